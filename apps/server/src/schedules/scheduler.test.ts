import { describe, expect, it } from "vitest";
import { startScheduler } from "./scheduler.ts";
import type { ScheduleRepository } from "./schedule.repository.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, ok: () => boolean) {
  for (let i = 0; i < 500 && !ok(); i++) await sleep(10);
  if (!ok()) throw new Error(`timed out waiting for ${what}`);
}

describe("the scheduler's tick", () => {
  // The database answers only when the test says so: what is asserted is what the loop did while a tick was in
  // flight, which a slow or loaded machine cannot change (no bound on elapsed time).
  it("never stacks ticks behind a slow one, and stops after the tick in flight without running a backlog", async () => {
    let reads = 0;
    let concurrent = 0;
    let most = 0;
    let answer: (() => void) | undefined;
    const schedules = {
      async enabled() {
        reads++;
        most = Math.max(most, ++concurrent);
        await new Promise<void>((r) => (answer = r));
        concurrent--;
        return [];
      },
    } as unknown as ScheduleRepository;
    const scheduler = startScheduler({ schedules, runs: { start: () => Promise.reject(new Error("no run expected")) }, log: () => undefined, tickMs: 10 });
    await until("the first tick", () => reads === 1);
    // Many 10 ms beats pass while the first tick waits on the database: none starts another read.
    await sleep(200);
    expect(reads).toBe(1);

    let stopped = false;
    const stopping = scheduler.stop().then(() => (stopped = true));
    await sleep(50);
    // stop() waits for the tick in flight...
    expect(stopped).toBe(false);
    answer!();
    await stopping;
    // ...and nothing after it: the beats skipped meanwhile are not run as a backlog.
    await sleep(100);
    expect(reads).toBe(1);
    expect(most).toBe(1);
  });

  it("reads again on the next beat once a slow tick has ended", async () => {
    let reads = 0;
    const answers: (() => void)[] = [];
    const schedules = {
      async enabled() {
        reads++;
        await new Promise<void>((r) => answers.push(r));
        return [];
      },
    } as unknown as ScheduleRepository;
    const scheduler = startScheduler({ schedules, runs: { start: () => Promise.reject(new Error("no run expected")) }, log: () => undefined, tickMs: 10 });
    await until("the first tick", () => reads === 1);
    answers[0]!();
    await until("the second tick", () => reads === 2);
    const stopping = scheduler.stop();
    answers[1]!();
    await stopping;
  });
});
