import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { MAX_PREVIEWS_PER_CALLER } from "./preview.facade.ts";

/**
 * Previews share one engine and run one at a time, each for up to 30 s. A preview nobody waits for any more is
 * stopped, and one caller cannot queue up previews without bound: otherwise a few requests for a result that doubles
 * at every step (a ladder of unions, 2^60 rows here) kept every other preview of the server waiting for minutes.
 */
let t: TestApp;
let hostile: string;
let other: string;
beforeAll(async () => {
  t = await createTestApp();
  hostile = await t.tokenFor("editor");
  other = await t.tokenFor("editor");
}, 60_000);
afterAll(async () => t.close());

const inline = { id: "s", type: "inline", typeVersion: 1, position: { x: 0, y: 0 }, config: { columns: [{ name: "a", type: "integer" }], rows: [[1]] } };

/** Each level unions both nodes of the level before twice: 2^levels rows from one, in a graph of a few kB. */
function ladder(levels: number) {
  const nodes: object[] = [inline];
  const edges: object[] = [];
  let prev = ["s", "s"];
  for (let i = 0; i < levels; i++) {
    const pair = [`a${i}`, `b${i}`];
    for (const [k, id] of pair.entries()) {
      nodes.push({ id, type: "union", typeVersion: 1, position: { x: i, y: k }, config: {} });
      edges.push({ id: `${id}-1`, source: prev[0], target: id }, { id: `${id}-2`, source: prev[1], target: id });
    }
    prev = pair;
  }
  return { graph: { formatVersion: 1, nodes, edges }, nodeId: prev[0], limit: 10 };
}

const small = { graph: { formatVersion: 1, nodes: [inline], edges: [] }, nodeId: "s", limit: 10 };
const preview = (token: string, body: object) => request(t.bareApp).post("/api/preview").set("Authorization", `Bearer ${token}`).send(body);

/** Sends a preview and goes away after `ms`, as a browser does when the editor moves on. */
const abandoned = (ms: number) =>
  preview(hostile, ladder(60))
    .timeout(ms)
    .then(
      () => "answered",
      () => "gone",
    );

async function timed<T>(f: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await f();
  return { value, ms: performance.now() - started };
}

describe("the preview queue", () => {
  it("stops a preview whose client went away: the next one does not wait out its 30 s", async () => {
    const gone = abandoned(1500);
    await new Promise((r) => setTimeout(r, 300));
    const { value: res, ms } = await timed(() => preview(other, small));
    expect(await gone).toBe("gone");
    expect(res.status).toBe(200);
    expect(res.body.rows).toEqual([{ a: 1 }]);
    expect(ms).toBeLessThan(15_000);
  }, 90_000);

  it(`lets one caller have ${MAX_PREVIEWS_PER_CALLER} previews waiting or running and refuses more with 429; others are not refused`, async () => {
    const mine = Array.from({ length: MAX_PREVIEWS_PER_CALLER }, () => abandoned(4000));
    await new Promise((r) => setTimeout(r, 500));
    const refused = await preview(hostile, small);
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe("TOO_MANY_PREVIEWS");
    expect(refused.headers["retry-after"]).toBe("5");
    expect(refused.body.error.message).toContain(`${MAX_PREVIEWS_PER_CALLER} previews waiting or running`);
    const { value: theirs, ms } = await timed(() => preview(other, small));
    expect(theirs.status).toBe(200);
    expect(ms).toBeLessThan(20_000);
    expect(await Promise.all(mine)).toEqual(mine.map(() => "gone"));
    // Every place was given back.
    expect((await preview(hostile, small)).status).toBe(200);
  }, 120_000);
});
