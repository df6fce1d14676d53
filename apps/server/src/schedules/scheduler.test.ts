import { describe, expect, it } from "vitest";
import { startScheduler } from "./scheduler.ts";
import type { ScheduleRepository } from "./schedule.repository.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("the scheduler's tick", () => {
  it("never stacks ticks behind a slow one, and stops without running a backlog", async () => {
    let reads = 0;
    let concurrent = 0;
    let most = 0;
    // A database that answers in 120 ms, with ticks every 10 ms: most beats find the previous tick still going.
    const schedules = {
      async enabled() {
        reads++;
        most = Math.max(most, ++concurrent);
        await sleep(120);
        concurrent--;
        return [];
      },
    } as unknown as ScheduleRepository;
    const scheduler = startScheduler({ schedules, runs: { start: () => Promise.reject(new Error("no run expected")) }, log: () => undefined, tickMs: 10 });
    await sleep(600);
    const before = reads;
    const stopping = Date.now();
    await scheduler.stop();
    const took = Date.now() - stopping;
    expect(most).toBe(1);
    // About one read per 120 ms, not one per 10 ms beat.
    expect(before).toBeLessThanOrEqual(7);
    expect(reads).toBe(before);
    // At most the tick in flight is waited for.
    expect(took).toBeLessThan(400);
  });
});
