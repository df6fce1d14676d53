import http from "node:http";
import type { AddressInfo } from "node:net";

/** The bearer token the fixture corpus's HTTP credential sends; /secure answers only to it. */
export const FIXTURE_API_TOKEN = "fixture-token-7d3e";

const ITEMS = [
  { id: 1, name: "anvil", price: 12.5 },
  { id: 2, name: "bell", price: 3 },
  { id: 3, name: "crate", price: 7.25 },
  { id: 4, name: "drum", price: 20 },
  { id: 5, name: "easel", price: 9.75 },
];
const PAGE = 2;

/**
 * The API the HTTP source fixtures (packages/pipeline/fixtures) read: the same five items behind each kind of
 * pagination, a POST search and an endpoint that needs the credential's token.
 */
export async function startFixtureApi(): Promise<{ origin: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const q = url.searchParams;
    const send = (body: unknown, status = 200) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    const slice = (from: number, n = PAGE) => ITEMS.slice(from, from + n);
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      switch (url.pathname) {
        case "/pages": // page=0,1,2… of `size`
          return send({ data: { items: slice(Number(q.get("page")) * Number(q.get("size") ?? PAGE), Number(q.get("size") ?? PAGE)) } });
        case "/offset":
          return send({ data: { items: slice(Number(q.get("skip")), Number(q.get("take"))) } });
        case "/cursor": {
          const from = Number(q.get("after") ?? 0);
          return send({ data: { items: slice(from) }, meta: { next: from + PAGE < ITEMS.length ? String(from + PAGE) : null } });
        }
        case "/linked": {
          const from = Number(q.get("from") ?? 0);
          return send({ results: slice(from), links: { next: from + PAGE < ITEMS.length ? `/linked?from=${from + PAGE}` : null } });
        }
        case "/search": {
          if (req.method !== "POST") return send({ error: "POST only" }, 405);
          const { maxPrice } = JSON.parse(body || "{}") as { maxPrice?: number };
          return send({ data: { items: ITEMS.filter((i) => maxPrice === undefined || i.price <= maxPrice) } });
        }
        case "/secure":
          if (req.headers.authorization !== `Bearer ${FIXTURE_API_TOKEN}`) return send({ error: "unauthorized" }, 401);
          return send(ITEMS);
        default:
          return send({ error: `no ${url.pathname}` }, 404);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
