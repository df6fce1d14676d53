import pg from "pg";
import { BUILT_IN_CONNECTION_ID } from "../connections/connection.repository.ts";
import type { BenchServer } from "./bench-server.ts";

const csv = (id: number) => new Blob([`id,note\n${id},upload ${id}\n`], { type: "text/csv" });

function form(id: number) {
  const f = new FormData();
  f.append("file", csv(id), "latency-orders.csv");
  return f;
}

/**
 * How long from sending an upload of a watched file to its row being readable in the target table: the upload
 * (received, inspected in its child process, recorded), the run it starts (queued, taken by the worker, run) and
 * the sink's commit. One upload at a time, each waiting for its row, 0-1 s apart (to land anywhere in a polling
 * worker's cycle); the table is polled every 10 ms on its own connection. Returns each delay in ms, and how much of
 * it the upload's answer took (the file received, inspected and recorded, its run queued).
 */
export async function fileToRows(server: BenchServer, uploads: number, log: (m: string) => void): Promise<{ delays: number[]; answered: number[] }> {
  const first = await server.api<{ id: string }>("POST", "/files", form(0));
  const graph = {
    formatVersion: 1,
    nodes: [
      { id: "src", type: "file", position: { x: 0, y: 0 }, config: { fileId: first.id } },
      { id: "sink", type: "postgres-sink", position: { x: 300, y: 0 }, config: { connectionId: BUILT_IN_CONNECTION_ID, schema: "warehouse", table: "latency_rows", mode: "append" } },
    ],
    edges: [{ id: "e1", source: "src", target: "sink" }],
  };
  const { id } = await server.api<{ id: string }>("POST", "/pipelines", { name: "File to rows", graph });
  await server.api("PUT", `/pipelines/${id}/file-watch`, { pattern: "latency-*.csv" });
  const client = new pg.Client({ connectionString: server.warehouseUrl });
  await client.connect();
  try {
    const landed = async (n: number) => {
      const r = await client.query(`SELECT 1 FROM warehouse.latency_rows WHERE id = $1`, [n]).catch((e: { code?: string }) => {
        if (e.code === "42P01") return { rowCount: 0 }; // before the first run creates the table
        throw e;
      });
      return (r.rowCount ?? 0) > 0;
    };
    const delays: number[] = [];
    const answered: number[] = [];
    // Upload 1 is a warm-up (DuckDB loads, the table is created); it is not counted.
    for (let i = 1; i <= uploads + 1; i++) {
      await new Promise((r) => setTimeout(r, Math.random() * 1000));
      const sent = Date.now();
      await server.api("POST", "/files?onExists=replace", form(i));
      const answer = Date.now() - sent;
      const until = sent + 120_000;
      while (!(await landed(i))) {
        if (Date.now() > until) throw new Error(`upload ${i}'s row did not reach the target in 120 s`);
        await new Promise((r) => setTimeout(r, 10));
      }
      if (i > 1) {
        delays.push(Date.now() - sent);
        answered.push(answer);
      }
      log(`upload ${i}: ${Date.now() - sent} ms (answered after ${answer} ms)`);
    }
    return { delays, answered };
  } finally {
    await client.end();
  }
}
