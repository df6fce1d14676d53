import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import request from "supertest";
import pg from "pg";
import { repoRoot } from "../config.ts";
import { FIXTURE_API_TOKEN, startFixtureApi } from "./fixture-api.ts";
import type { TestApp } from "./test-app.ts";

/** Pipeline files exported from Sluice as it was, kept to prove every later Sluice still reads them (see its README). */
export const FIXTURES_DIR = path.join(repoRoot, "packages/pipeline/fixtures");

/** fixtures/environment.json: what the placeholders in the fixture files stand for. */
export interface FixtureEnvironment {
  apiOrigin: string;
  httpCredentials: string[];
  files: Record<string, { name: string; format: string }>;
}

export const fixtureEnvironment = (): FixtureEnvironment => JSON.parse(readFileSync(path.join(FIXTURES_DIR, "environment.json"), "utf8")) as FixtureEnvironment;

/** Every fixture pipeline file, by file name, as text (placeholders still in). */
export const fixtureFiles = (): { file: string; text: string }[] =>
  readdirSync(path.join(FIXTURES_DIR, "pipelines"))
    .filter((f) => f.endsWith(".sluice.json"))
    .sort()
    .map((file) => ({ file, text: readFileSync(path.join(FIXTURES_DIR, "pipelines", file), "utf8") }));

export interface FixtureWorld {
  /** A fixture's text with each placeholder replaced by the resource made for it. */
  toReal(text: string): string;
  /** The reverse, for writing fixtures. */
  toPlaceholders(text: string): string;
  /** What each upload detected, by placeholder id. */
  uploads: Map<string, Record<string, unknown>>;
  close(): Promise<void>;
}

/**
 * Makes, in the test app's Default workspace, what the fixture placeholders refer to: the data files
 * uploaded, the HTTP credential, the warehouse tables of data/warehouse.sql and the fixture API.
 * Needs createTestApp({ httpAllowlist: ["127.0.0.1"] }) for the API.
 */
export async function prepareFixtureWorld(t: TestApp, env: Pick<FixtureEnvironment, "apiOrigin" | "httpCredentials" | "files"> = fixtureEnvironment()): Promise<FixtureWorld> {
  const pairs: [placeholder: string, real: string][] = [];
  const uploads = new Map<string, Record<string, unknown>>();
  for (const [placeholder, { name }] of Object.entries(env.files)) {
    const res = await request(t.app).post("/api/files").attach("file", readFileSync(path.join(FIXTURES_DIR, "data", name)), name);
    if (res.status !== 201) throw new Error(`fixture data file ${name} did not upload: ${res.status} ${JSON.stringify(res.body)}`);
    pairs.push([placeholder, res.body.id]);
    uploads.set(placeholder, res.body);
  }
  const api = await startFixtureApi();
  pairs.push([env.apiOrigin, api.origin]);
  for (const placeholder of env.httpCredentials) {
    const res = await request(t.app)
      .post("/api/connections")
      .send({ name: `Fixture API ${placeholder.slice(0, 8)}`, kind: "http", settings: { hosts: ["127.0.0.1"] }, headers: [{ name: "Authorization", value: `Bearer ${FIXTURE_API_TOKEN}` }] });
    if (res.status !== 201) throw new Error(`fixture credential did not save: ${res.status} ${JSON.stringify(res.body)}`);
    pairs.push([placeholder, res.body.id]);
  }
  const c = new pg.Client({ connectionString: t.warehouse.url });
  await c.connect();
  try {
    await c.query(readFileSync(path.join(FIXTURES_DIR, "data", "warehouse.sql"), "utf8"));
  } finally {
    await c.end();
  }
  const swap = (text: string, from: 0 | 1) => pairs.reduce((s, p) => s.split(p[from]).join(p[1 - from]!), text);
  return { toReal: (text) => swap(text, 0), toPlaceholders: (text) => swap(text, 1), uploads, close: api.close };
}
