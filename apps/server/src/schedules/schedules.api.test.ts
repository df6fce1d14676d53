import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { createTestApp, type TestApp } from "../testing/test-app.ts";
import { sqlRows } from "../testing/sql-rows.ts";
import { quickPipelineGraph } from "../testing/quick-pipeline.ts";
import { startScheduler } from "./scheduler.ts";
import { waitForRun } from "../testing/wait-for-run.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ startWorker: true, schedulerTickMs: 250 });
}, 60_000);
afterAll(async () => t?.close());

const graph = quickPipelineGraph("tick");

async function pipeline(name: string) {
  const p = await request(t.app).post("/api/pipelines").send({ name, graph });
  expect(p.status).toBe(201);
  return p.body.id as string;
}
async function runsOf(pipelineId: string) {
  return (await request(t.app).get(`/api/runs?pipelineId=${pipelineId}`)).body.runs as { trigger: string; status: string }[];
}
const sql = (text: string, values: unknown[] = []) => sqlRows(t.database.url, text, values);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(check: () => Promise<boolean>, timeoutMs = 20_000) {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await sleep(50);
  }
}

describe("schedules", () => {
  it("refuses an invalid expression or time zone with the reason, and previews the next run times", async () => {
    const id = await pipeline("Validated");
    const bad = await request(t.app).post(`/api/pipelines/${id}/schedules`).send({ cron: "61 * * * *" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/minute/);
    const fields = await request(t.app).post(`/api/pipelines/${id}/schedules`).send({ cron: "* * *" });
    expect(fields.body.error.message).toMatch(/5 fields/);
    const zone = await request(t.app).post(`/api/pipelines/${id}/schedules`).send({ cron: "0 6 * * *", timezone: "Mars/Base" });
    expect(zone.status).toBe(400);
    expect(zone.body.error.message).toMatch(/not a time zone/);
    expect(await sql("SELECT count(*)::int AS n FROM schedules")).toEqual([{ n: 0 }]);

    const check = await request(t.app).post("/api/schedules/check").send({ cron: "30 6 * * 1-5", timezone: "Europe/Paris" });
    expect(check.status).toBe(200);
    expect(check.body.nextRuns).toHaveLength(5);
    for (const at of check.body.nextRuns) expect(new Date(at).toLocaleString("en-GB", { timeZone: "Europe/Paris", hour: "2-digit", minute: "2-digit" })).toBe("06:30");

    const ok = await request(t.app).post(`/api/pipelines/${id}/schedules`).send({ cron: "0 6 * * *", timezone: "Europe/Paris", enabled: false });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ cron: "0 6 * * *", timezone: "Europe/Paris", enabled: false, missed: "catch_up_once", nextRuns: [] });
    const broken = await request(t.app).put(`/api/schedules/${ok.body.id}`).send({ timezone: "Nowhere/Land" });
    expect(broken.status).toBe(400);
    const on = await request(t.app).put(`/api/schedules/${ok.body.id}`).send({ enabled: true });
    expect(on.body.nextRuns).toHaveLength(5);
    expect((await request(t.app).delete(`/api/schedules/${ok.body.id}`)).status).toBe(204);
  });

  it("refuses a cadence closer than the scheduler can keep, saying what to use", async () => {
    const id = await pipeline("Too often");
    for (const cron of ["* * * * * *", "*/2 * * * * *", "0,1 * * * * *"]) {
      const r = await request(t.app).post(`/api/pipelines/${id}/schedules`).send({ cron });
      expect(r.status, cron).toBe(400);
      expect(r.body.error.message).toMatch(/at most every 5 seconds.*\*\/5/);
    }
    const check = await request(t.app).post("/api/schedules/check").send({ cron: "* * * * * *" });
    expect(check.status).toBe(400);
    const ok = await request(t.app).post(`/api/pipelines/${id}/schedules`).send({ cron: "*/5 * * * * *", enabled: false });
    expect(ok.status).toBe(201);
    const every5 = await request(t.app).post("/api/schedules/check").send({ cron: "*/5 * * * * *" });
    expect(every5.body.nextRuns.map((d: string) => (Date.parse(d) % 60_000) % 5000)).toEqual([0, 0, 0, 0, 0]);
    expect((await request(t.app).put(`/api/schedules/${ok.body.id}`).send({ cron: "*/3 * * * * *" })).status).toBe(400);
    expect(await sql("SELECT cron FROM schedules WHERE id = $1", [ok.body.id])).toEqual([{ cron: "*/5 * * * * *" }]);
  });

  it("records every slot exactly once across three schedulers, and never overlaps a schedule's own run", async () => {
    const id = await pipeline("Every five seconds");
    const s = await request(t.app).post(`/api/pipelines/${id}/schedules`).send({ cron: "*/5 * * * * *", enabled: false });
    // The schedulers below live a day ahead on a clock the test moves, so the app's own (real-time) one sees nothing due.
    const t0 = new Date(Math.ceil(Date.now() / 60_000) * 60_000 + 86_400_000);
    let clock = t0;
    await sql("UPDATE schedules SET created_at = $2, enabled = true WHERE id = $1", [s.body.id, t0]);
    const schedulers = Array.from({ length: 3 }, () =>
      startScheduler({ schedules: t.deps.schedules, runs: t.deps.runs, log: () => undefined, tickMs: 40, missedAfterMs: 60_000, now: () => clock }),
    );
    try {
      for (let burst = 1; burst <= 5; burst++) {
        // Four slots fall due at once: the first starts a run, the other three find it still queued and are skipped.
        clock = new Date(t0.getTime() + burst * 20_000);
        await until(async () => (await sql("SELECT count(*)::int AS n FROM schedule_slots WHERE schedule_id = $1", [s.body.id]))[0]!.n === burst * 4);
        const [started] = await sql("SELECT run_id FROM schedule_slots WHERE schedule_id = $1 AND slot = $2", [s.body.id, new Date(clock.getTime() - 15_000)]);
        expect(started?.run_id).toBeTruthy();
        await waitForRun(t.app, String(started!.run_id));
      }
    } finally {
      await Promise.all(schedulers.map((w) => w.stop()));
      await request(t.app).put(`/api/schedules/${s.body.id}`).send({ enabled: false });
    }
    const slots = await sql("SELECT slot, run_id, error, skipped FROM schedule_slots WHERE schedule_id = $1 ORDER BY slot", [s.body.id]);
    expect(slots.map((x) => (x.slot as Date).getTime())).toEqual(Array.from({ length: 20 }, (_, i) => t0.getTime() + (i + 1) * 5000));
    expect(slots.filter((x) => x.error !== null)).toEqual([]);
    expect(slots.filter((x) => x.run_id !== null)).toHaveLength(5);
    const skipped = slots.filter((x) => x.skipped !== null);
    expect(skipped).toHaveLength(15);
    expect(String(skipped[0]!.skipped)).toMatch(/is still (queued|running); a schedule does not overlap itself/);
    const runs = await runsOf(id);
    expect(runs).toHaveLength(5);
    expect(runs.every((r) => r.trigger === "schedule")).toBe(true);
    const listed = (await request(t.app).get(`/api/pipelines/${id}/schedules`)).body.schedules[0];
    expect(listed.recentSlots).toHaveLength(5);
    expect(listed.recentSlots[0].skipped).toMatch(/does not overlap itself/);
  }, 120_000);

  it("starts exactly one run per slot when several workers see it at once", async () => {
    const id = await pipeline("Two workers");
    const s = await request(t.app).post(`/api/pipelines/${id}/schedules`).send({ cron: "0 * * * *", enabled: false });
    // Created long ago and switched on: both workers see the same due slot at the same moment.
    await sql("UPDATE schedules SET created_at = now() - interval '3 hours', enabled = true WHERE id = $1", [s.body.id]);
    const fixed = new Date();
    const workers = Array.from({ length: 4 }, () => startScheduler({ schedules: t.deps.schedules, runs: t.deps.runs, log: () => undefined, tickMs: 50, now: () => fixed }));
    await sleep(600);
    await Promise.all(workers.map((w) => w.stop()));
    await request(t.app).put(`/api/schedules/${s.body.id}`).send({ enabled: false });
    const runs = await runsOf(id);
    expect(runs).toHaveLength(1);
    expect(runs[0]!.trigger).toBe("schedule (caught up)");
  }, 20_000);

  it("runs a slot missed while nothing ran once (catch up), or not at all (skip)", async () => {
    const catchUp = await pipeline("Catch up");
    const skip = await pipeline("Skip");
    const a = await request(t.app).post(`/api/pipelines/${catchUp}/schedules`).send({ cron: "*/10 * * * *", enabled: false });
    const b = await request(t.app).post(`/api/pipelines/${skip}/schedules`).send({ cron: "*/10 * * * *", enabled: false, missed: "skip" });
    // Down for five hours: thirty slots passed.
    await sql("UPDATE schedules SET created_at = now() - interval '5 hours', enabled = true WHERE id IN ($1, $2)", [a.body.id, b.body.id]);
    const handled = async () => (await sql("SELECT count(*)::int AS n FROM schedules WHERE id IN ($1, $2) AND last_slot_at IS NOT NULL", [a.body.id, b.body.id]))[0]!.n === 2;
    await until(handled);
    const caught = await runsOf(catchUp);
    expect(caught).toHaveLength(1);
    expect(caught[0]!.trigger).toBe("schedule (caught up)");
    expect(await runsOf(skip)).toEqual([]);
    // Every missed slot is on record once, with why it started nothing; the latest one ran (catch up).
    const recorded = await sql(
      "SELECT schedule_id, count(*)::int AS slots, count(run_id)::int AS ran, count(skipped)::int AS skipped FROM schedule_slots WHERE schedule_id IN ($1, $2) GROUP BY schedule_id",
      [a.body.id, b.body.id],
    );
    expect(recorded.find((r) => r.schedule_id === a.body.id)).toMatchObject({ slots: 30, ran: 1, skipped: 29 });
    expect(recorded.find((r) => r.schedule_id === b.body.id)).toMatchObject({ slots: 30, ran: 0, skipped: 30 });
    const marked = await sql("SELECT last_slot_at FROM schedules WHERE id = $1", [b.body.id]);
    expect(marked[0]?.last_slot_at).not.toBeNull();
    await sql("UPDATE schedules SET enabled = false");
  }, 30_000);

  it("does not call a slot missed when a worker that was checking all along comes to it late (a slow tick), but does after a pause", async () => {
    const id = await pipeline("Slow tick");
    const s = await request(t.app).post(`/api/pipelines/${id}/schedules`).send({ cron: "*/5 * * * * *", enabled: false, missed: "skip" });
    // A day ahead, on a clock the test moves, as above; the default missed threshold (two ticks and a second).
    const t0 = new Date(Math.ceil(Date.now() / 60_000) * 60_000 + 2 * 86_400_000);
    let clock = t0;
    let reads = 0;
    /** Moves the clock once the tick that reads the schedules next is over, before the one after starts. */
    let between: (() => void) | undefined;
    /** Moves the clock while the tick that reads the schedules next is going: that tick is slow. */
    let during: (() => void) | undefined;
    const schedules: typeof t.deps.schedules = {
      ...t.deps.schedules,
      enabled: async () => {
        reads++;
        const mine = (await t.deps.schedules.enabled()).filter((x) => x.id === s.body.id);
        during?.();
        during = undefined;
        return mine;
      },
      exclusively: async (scheduleId, fn) => {
        const done = await t.deps.schedules.exclusively(scheduleId, fn);
        // The tick ends in this turn of the event loop; setImmediate runs before the next interval can fire.
        const move = between;
        between = undefined;
        if (move) setImmediate(move);
        return done;
      },
    };
    await sql("UPDATE schedules SET created_at = $2, enabled = true WHERE id = $1", [s.body.id, t0]);
    const scheduler = startScheduler({ schedules, runs: t.deps.runs, log: () => undefined, tickMs: 40, now: () => clock });
    const settled = async (n: number) =>
      until(async () => (await sql("SELECT count(*)::int AS n FROM schedule_slots WHERE schedule_id = $1 AND (run_id IS NOT NULL OR skipped IS NOT NULL OR error IS NOT NULL)", [s.body.id]))[0]!.n === n);
    try {
      await until(async () => reads > 0);
      // A tick that takes 30 s, as one waiting on a slow database would: the six slots it passed were watched.
      during = () => (clock = new Date(t0.getTime() + 30_000));
      await settled(6);
      const slots = await sql("SELECT run_id, skipped FROM schedule_slots WHERE schedule_id = $1 ORDER BY slot", [s.body.id]);
      expect(slots.filter((x) => String(x.skipped).startsWith("Missed"))).toEqual([]);
      expect(slots[0]!.run_id).toBeTruthy();
      expect(slots.slice(1).every((x) => /does not overlap itself/.test(String(x.skipped)))).toBe(true);
      expect((await waitForRun(t.app, String(slots[0]!.run_id))).trigger).toBe("schedule");
      // Then a minute in which no tick ran at all (the process was suspended): the slots in it were missed, and skipped.
      between = () => (clock = new Date(t0.getTime() + 90_000));
      await settled(18);
    } finally {
      await scheduler.stop();
      await request(t.app).put(`/api/schedules/${s.body.id}`).send({ enabled: false });
    }
    const paused = await sql("SELECT run_id, skipped FROM schedule_slots WHERE schedule_id = $1 AND slot > $2 ORDER BY slot", [s.body.id, new Date(t0.getTime() + 30_000)]);
    expect(paused).toHaveLength(12);
    // The eleven before the clock's time; the one at it is on time and runs.
    expect(paused.slice(0, 11).every((x) => x.run_id === null && /^Missed while no Sluice worker was running; this schedule skips missed slots/.test(String(x.skipped)))).toBe(true);
    expect(paused[11]!.run_id).toBeTruthy();
    expect((await waitForRun(t.app, String(paused[11]!.run_id))).trigger).toBe("schedule");
  }, 30_000);

  it("decides a slot again on the next tick when deciding it failed (a database error), instead of leaving it empty", async () => {
    const id = await pipeline("Blip");
    const s = await request(t.app).post(`/api/pipelines/${id}/schedules`).send({ cron: "*/5 * * * * *", enabled: false });
    const t0 = new Date(Math.ceil(Date.now() / 60_000) * 60_000 + 3 * 86_400_000);
    let clock = t0;
    let failures = 0;
    const logs: string[] = [];
    const schedules: typeof t.deps.schedules = {
      ...t.deps.schedules,
      enabled: async () => (await t.deps.schedules.enabled()).filter((x) => x.id === s.body.id),
      activeRun: async (scheduleId) => {
        if (failures++ === 0) throw new Error("Connection terminated unexpectedly");
        return t.deps.schedules.activeRun(scheduleId);
      },
    };
    await sql("UPDATE schedules SET created_at = $2, enabled = true WHERE id = $1", [s.body.id, t0]);
    const scheduler = startScheduler({ schedules, runs: t.deps.runs, log: (m) => logs.push(m), tickMs: 40, now: () => clock });
    try {
      clock = new Date(t0.getTime() + 5_000);
      await until(async () => (await sql("SELECT count(run_id)::int AS n FROM schedule_slots WHERE schedule_id = $1", [s.body.id]))[0]!.n === 1);
    } finally {
      await scheduler.stop();
      await request(t.app).put(`/api/schedules/${s.body.id}`).send({ enabled: false });
    }
    expect(logs.some((m) => m.includes("Connection terminated unexpectedly"))).toBe(true);
    const [slot] = await sql("SELECT slot, run_id FROM schedule_slots WHERE schedule_id = $1", [s.body.id]);
    expect((slot!.slot as Date).getTime()).toBe(t0.getTime() + 5_000);
    expect((await waitForRun(t.app, String(slot!.run_id))).trigger).toBe("schedule");
  }, 30_000);

  it("keeps the slot of a run still going when it prunes a schedule's old slots, so a later slot does not overlap it", async () => {
    const id = await pipeline("Long run");
    const s = await request(t.app).post(`/api/pipelines/${id}/schedules`).send({ cron: "* * * * *", enabled: false });
    const started = await request(t.app).post(`/api/pipelines/${id}/runs`).send({});
    const runId = started.body.runId as string;
    await waitForRun(t.app, runId);
    const t0 = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 200 * 60_000);
    // The run of the oldest slot is still running (as a run of two hours would be) when 120 newer slots are handled.
    await t.deps.schedules.claim(s.body.id, t0);
    await t.deps.schedules.settle(s.body.id, t0, { runId });
    await t.db.run.update({ where: { id: runId }, data: { status: "running" } });
    try {
      for (let i = 1; i <= 120; i++) {
        const slot = new Date(t0.getTime() + i * 60_000);
        await t.deps.schedules.claim(s.body.id, slot);
        await t.deps.schedules.settle(s.body.id, slot, { skipped: "test" });
      }
      await t.deps.schedules.markHandled(s.body.id, new Date(t0.getTime() + 120 * 60_000));
      expect(await t.deps.schedules.activeRun(s.body.id)).toMatchObject({ runId, slot: t0 });
      expect(await sql("SELECT count(*)::int AS n FROM schedule_slots WHERE schedule_id = $1", [s.body.id])).toEqual([{ n: 101 }]);
    } finally {
      await t.db.run.update({ where: { id: runId }, data: { status: "succeeded" } });
    }
    // Once it has ended, its slot goes with the other old ones.
    await t.deps.schedules.markHandled(s.body.id, new Date(t0.getTime() + 120 * 60_000));
    expect(await sql("SELECT count(*)::int AS n FROM schedule_slots WHERE schedule_id = $1", [s.body.id])).toEqual([{ n: 100 }]);
  }, 30_000);

  it("does not run a slot that passed while the schedule was switched off", async () => {
    const id = await pipeline("Paused");
    const s = await request(t.app).post(`/api/pipelines/${id}/schedules`).send({ cron: "*/10 * * * *", enabled: false });
    await sql("UPDATE schedules SET created_at = now() - interval '5 hours' WHERE id = $1", [s.body.id]);
    const on = await request(t.app).put(`/api/schedules/${s.body.id}`).send({ enabled: true });
    expect(on.status).toBe(200);
    await sleep(1500);
    expect(await runsOf(id)).toEqual([]);
    await request(t.app).put(`/api/schedules/${s.body.id}`).send({ enabled: false });
  }, 20_000);

  it("starts runs with the schedule's parameter values, and shows why a slot could not start one", async () => {
    const withParam = { ...graph, parameters: [{ name: "day", type: "date", default: "2024-01-01" }] };
    const p = await request(t.app).post("/api/pipelines").send({ name: "Scheduled with values", graph: withParam });
    const s = await request(t.app).post(`/api/pipelines/${p.body.id}/schedules`).send({ cron: "*/5 * * * * *", params: { day: "2024-05-01" } });
    expect(s.status).toBe(201);
    await until(async () => (await runsOf(p.body.id)).length > 0);
    await request(t.app).put(`/api/schedules/${s.body.id}`).send({ enabled: false });
    const runs = (await request(t.app).get(`/api/runs?pipelineId=${p.body.id}`)).body.runs as { id: string }[];
    expect(runs).toHaveLength(1);
    const run = await waitForRun(t.app, runs[0]!.id);
    expect(run.status).toBe("succeeded");
    expect(run.params).toEqual({ day: "2024-05-01" });
    const listed = (await request(t.app).get(`/api/pipelines/${p.body.id}/schedules`)).body.schedules[0];
    expect(listed.lastSlot).toMatchObject({ runId: expect.any(String), error: null, skipped: null });

    // A value the pipeline no longer accepts: the slot is claimed, no run starts, and the schedule says why.
    await sql(`UPDATE schedules SET params = '{"nope": 1}', enabled = true WHERE id = $1`, [s.body.id]);
    await until(async () => (await sql("SELECT count(error)::int AS n FROM schedule_slots WHERE schedule_id = $1", [s.body.id]))[0]!.n as number > 0);
    await request(t.app).put(`/api/schedules/${s.body.id}`).send({ enabled: false });
    const after = (await request(t.app).get(`/api/pipelines/${p.body.id}/schedules`)).body.schedules[0];
    expect(after.lastSlot.runId).toBeNull();
    expect(after.lastSlot.error).toContain('no parameter "nope"');
    // Said up front too, against the pipeline's current version.
    expect(after.problems.map((p: { code: string; field: string }) => [p.code, p.field])).toEqual([["PARAMETER_UNKNOWN", "params.nope"]]);
    expect(listed.problems).toEqual([]);
  }, 30_000);
});
