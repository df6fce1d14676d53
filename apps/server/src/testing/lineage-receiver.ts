import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
  /** The status answered, or "hang" for a request left without an answer. */
  answer: number | "hang";
}

/**
 * A real HTTP server on a free loopback port standing in for Marquez and the like: it records every POST and answers
 * as `answer` says for the n-th request (1-based), 200 unless told otherwise. `port`: listen there again after a close,
 * to play a receiver that was down and came back.
 */
export async function startLineageReceiver(answer: (n: number) => number | "hang" = () => 200, o: { port?: number } = {}) {
  const requests: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const a = answer(requests.length + 1);
      const text = Buffer.concat(chunks).toString("utf8");
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // kept as text: a test asserting on it then fails with what arrived
      }
      requests.push({ path: req.url ?? "", headers: req.headers, body, answer: a });
      if (a === "hang") return;
      res.writeHead(a, { "content-type": "application/json" }).end(a < 300 ? "{}" : '{"error":"test"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(o.port ?? 0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    /** The bodies answered with a 2xx: what was delivered. */
    delivered: () => requests.filter((r) => typeof r.answer === "number" && r.answer < 300).map((r) => r.body),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type LineageReceiver = Awaited<ReturnType<typeof startLineageReceiver>>;

/** A loopback port nothing listens on (bound, then released), for "receiver is down". */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
