import request from "supertest";
import type { TestApp } from "./test-app.ts";

/**
 * What a browser sends with a write from one of Sluice's own pages (the access guard refuses cookie writes that
 * name no origin). Not an Origin header: supertest serves the app on a port of its choosing, which an Origin must name.
 */
export const SAME_ORIGIN = { "sec-fetch-site": "same-origin" };

/** The session cookie (`name=value`) of a response that signed someone in, or undefined. */
export function sessionCookieOf(res: { headers: Record<string, unknown> }): string | undefined {
  const cookies = ([] as string[]).concat((res.headers["set-cookie"] as string[] | string | undefined) ?? []);
  return cookies.find((c) => /^(__Host-)?sluice_session=[^;]+/.test(c))?.split(";")[0];
}

/** Signs in through the API, as the sign-in page does; the session cookie to send as `cookie`. */
export async function signIn(t: Pick<TestApp, "bareApp">, email: string, password: string): Promise<string> {
  const res = await request(t.bareApp).post("/api/auth/sign-in").set(SAME_ORIGIN).send({ email, password });
  const cookie = sessionCookieOf(res);
  if (res.status !== 200 || !cookie) throw new Error(`sign-in of ${email} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return cookie;
}

/** The token of an invitation link (`…/invite#<token>`). */
export const tokenOf = (link: string) => link.slice(link.indexOf("#") + 1);
