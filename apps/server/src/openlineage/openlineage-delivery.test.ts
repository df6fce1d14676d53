import { afterEach, describe, expect, it } from "vitest";
import { closedPort, startLineageReceiver, type LineageReceiver } from "../testing/lineage-receiver.ts";
import { openLineageDelivery, type DeliveryLimits } from "./openlineage-delivery.ts";
import type { RunEvent } from "./openlineage.types.ts";

const event = (n: number, eventType: RunEvent["eventType"] = "START"): RunEvent => ({
  eventTime: new Date().toISOString(),
  producer: "https://github.com/sluice",
  schemaURL: "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
  eventType,
  run: { runId: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}` },
  job: { namespace: "sluice", name: "job" },
  inputs: [],
  outputs: [],
});

const fast: Partial<DeliveryLimits> = { baseDelayMs: 20, maxDelayMs: 80 };
let receiver: LineageReceiver | undefined;
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
  await receiver?.close();
  receiver = undefined;
});

function delivery(endpoint: string, limits: Partial<DeliveryLimits> = fast, o: { apiKey?: string; timeoutMs?: number } = {}) {
  const logs: string[] = [];
  const d = openLineageDelivery({ endpoint, apiKey: o.apiKey, namespace: "sluice", timeoutMs: o.timeoutMs ?? 2000 }, (m) => logs.push(m), limits);
  stops.push(() => d.stop(100));
  return { d, logs };
}

async function until(check: () => boolean, what: string, ms = 10_000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const runIds = (bodies: unknown[]) => bodies.map((b) => (b as RunEvent).run.runId.slice(-2) + (b as RunEvent).eventType);

describe("OpenLineage delivery", () => {
  it("POSTs each event once, in order, as JSON with the bearer key", async () => {
    receiver = await startLineageReceiver();
    const { d } = delivery(`${receiver.url}/api/v1/lineage`, fast, { apiKey: "k3y" });
    d.emit(event(1));
    d.emit(event(1, "COMPLETE"));
    d.emit(event(2));
    await until(() => d.pending === 0 && receiver!.requests.length === 3, "three deliveries");
    expect(runIds(receiver.delivered())).toEqual(["01START", "01COMPLETE", "02START"]);
    expect(receiver.requests.every((r) => r.path === "/api/v1/lineage" && r.headers.authorization === "Bearer k3y" && r.headers["content-type"] === "application/json")).toBe(true);
  });

  it("retries a 500 with backoff and then delivers every event exactly once, still in order", async () => {
    receiver = await startLineageReceiver((n) => (n <= 3 ? 500 : 200));
    const { d, logs } = delivery(receiver.url);
    d.emit(event(1));
    d.emit(event(1, "COMPLETE"));
    await until(() => d.pending === 0, "the queue to drain");
    expect(receiver.requests.map((r) => r.answer)).toEqual([500, 500, 500, 200, 200]);
    expect(runIds(receiver.delivered())).toEqual(["01START", "01COMPLETE"]);
    expect(logs.filter((l) => l.includes("retrying"))).toHaveLength(1);
  });

  it("returns at once and drops an event with a log line after its tries when nothing listens (connection refused)", async () => {
    const { d, logs } = delivery(`http://127.0.0.1:${await closedPort()}/`, { ...fast, maxAttempts: 3 });
    // emit hands the event over and returns: its three tries are all still to come when it has returned.
    expect(d.emit(event(1))).toBeUndefined();
    expect(d.pending).toBe(1);
    expect(logs.filter((l) => l.includes("dropped"))).toEqual([]);
    await until(() => d.pending === 0, "the event to be dropped");
    expect(logs.at(-1)).toMatch(/dropped START of run .*01 \(3 tries failed, the last: ECONNREFUSED\)/);
  });

  it("counts a receiver that never answers as failed after the timeout, and drops the event past its age limit", async () => {
    receiver = await startLineageReceiver(() => "hang");
    const { d, logs } = delivery(receiver.url, { ...fast, maxAgeMs: 300 }, { timeoutMs: 150 });
    d.emit(event(1));
    await until(() => d.pending === 0, "the event to be dropped");
    expect(receiver.requests.length).toBeGreaterThanOrEqual(2);
    expect(logs.join("\n")).toMatch(/no answer within 150 ms/);
    expect(logs.at(-1)).toMatch(/dropped START/);
  });

  it("drops an event the receiver refuses with a 4xx without retrying it, and goes on with the next", async () => {
    receiver = await startLineageReceiver((n) => (n === 1 ? 400 : 200));
    const { d, logs } = delivery(receiver.url);
    d.emit(event(1));
    d.emit(event(2));
    await until(() => d.pending === 0, "the queue to drain");
    expect(receiver.requests.map((r) => r.answer)).toEqual([400, 200]);
    expect(logs).toEqual([expect.stringMatching(/dropped START of run .*01 \(the receiver refused it: HTTP 400\)/)]);
  });

  it("keeps at most maxQueued events, dropping the oldest with a log line", async () => {
    receiver = await startLineageReceiver((n) => (n === 1 ? "hang" : 200));
    const { d, logs } = delivery(receiver.url, { ...fast, maxQueued: 2 }, { timeoutMs: 200 });
    for (const n of [1, 2, 3, 4]) d.emit(event(n));
    expect(d.pending).toBe(2);
    expect(logs.filter((l) => l.includes("the queue was full"))).toHaveLength(2);
    await until(() => d.pending === 0, "the queue to drain");
    expect(runIds(receiver.delivered())).toEqual(["03START", "04START"]);
  });

  it("flushes queued events on stop without waiting out a backoff, and gives up on a hung receiver within the timeout", async () => {
    receiver = await startLineageReceiver((n) => (n === 1 ? 500 : 200));
    const { d } = delivery(receiver.url, { baseDelayMs: 60_000, maxDelayMs: 60_000 });
    d.emit(event(1));
    await until(() => receiver!.requests.length === 1, "the first try");
    await d.stop(2000);
    expect(runIds(receiver.delivered())).toEqual(["01START"]);

    const hung = await startLineageReceiver(() => "hang");
    const h = delivery(hung.url, fast, { timeoutMs: 60_000 });
    h.d.emit(event(2));
    const before = Date.now();
    await h.d.stop(200);
    expect(Date.now() - before).toBeLessThan(2000);
    expect(h.logs.at(-1)).toMatch(/1 event\(s\) not delivered .* before shutdown; dropped/);
    await hung.close();
  });
});
