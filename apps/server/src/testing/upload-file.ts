import type { Express } from "express";
import request from "supertest";
import { expect } from "vitest";

/** Uploads `content` as a file named `name` through the API (optionally replacing the file of that name); its id. */
export async function uploadFile(app: Express, name: string, content: string, onExists?: "replace"): Promise<string> {
  const res = await request(app)
    .post(`/api/files${onExists ? `?onExists=${onExists}` : ""}`)
    .attach("file", Buffer.from(content), name);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}
