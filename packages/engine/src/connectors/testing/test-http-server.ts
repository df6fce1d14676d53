import http from "node:http";
import type { AddressInfo } from "node:net";

export interface SeenRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export type Handler = (req: SeenRequest, res: http.ServerResponse) => void;

/** A local HTTP server on 127.0.0.1 that records every request (and counts connections); tests answer by path. */
export async function startTestServer(
  routes: Record<string, Handler>,
): Promise<{ port: number; base: string; seen: SeenRequest[]; connections: () => number; close(): Promise<void> }> {
  const seen: SeenRequest[] = [];
  let connections = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const r: SeenRequest = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
      seen.push(r);
      const handler = routes[new URL(r.url, "http://x").pathname];
      if (handler) handler(r, res);
      else res.writeHead(404, { "content-type": "text/plain" }).end("no such route");
    });
  });
  server.on("connection", () => connections++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    base: `http://127.0.0.1:${port}`,
    seen,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const json = (body: unknown, status = 200): Handler => (_req, res) => {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
};

export const redirect = (location: string, status = 302): Handler => (_req, res) => {
  res.writeHead(status, { location }).end();
};
