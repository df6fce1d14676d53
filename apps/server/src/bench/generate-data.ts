import { createWriteStream } from "node:fs";
import { once } from "node:events";

/** Small, fast, seedable PRNG (mulberry32): the same seed gives the same files on every machine. */
export function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COUNTRIES = ["Brazil", "Sweden", "China", "Ireland", "Germany", "Morocco", "United Kingdom", "Japan", "Spain", "Ghana", "India", "Canada"];
const STATUSES = ["shipped", "Shipped", " SHIPPED", "delivered", "Delivered ", "pending", " Pending ", "CANCELLED"];

async function writeLines(path: string, header: string, count: number, line: (i: number) => string) {
  const out = createWriteStream(path, { highWaterMark: 1 << 20 });
  out.write(`${header}\n`);
  let buf = "";
  for (let i = 0; i < count; i++) {
    buf += line(i) + "\n";
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, "drain");
      buf = "";
    }
  }
  out.end(buf);
  await once(out, "finish");
}

export interface BenchData {
  orders: number;
  customers: number;
}

/**
 * Messy orders: about 1% repeated order ids, two date formats, blank and "n/a" amounts, thousands
 * separators, and statuses in mixed case with stray spaces.
 */
export async function generateBenchData(dir: string, size: BenchData, seed = 42) {
  const r = rng(seed);
  const customersPath = `${dir}/customers.csv`;
  const ordersPath = `${dir}/orders.csv`;
  await writeLines(customersPath, "customer_id,name,country", size.customers, (i) => {
    const country = COUNTRIES[Math.floor(r() * COUNTRIES.length)]!;
    return `C${i + 1},Customer ${i + 1},${country}`;
  });
  let lastId = 0;
  await writeLines(ordersPath, "order_id,customer_id,order_date,amount,status", size.orders, () => {
    const repeat = lastId > 0 && r() < 0.01;
    const id = repeat ? lastId - Math.floor(r() * Math.min(lastId, 50)) : ++lastId;
    const customer = 1 + Math.floor(r() * size.customers);
    const m = 1 + Math.floor(r() * 12);
    const d = 1 + Math.floor(r() * 28);
    const date = r() < 0.7 ? `2024-${m < 10 ? "0" : ""}${m}-${d < 10 ? "0" : ""}${d}` : `${d < 10 ? "0" : ""}${d}/${m < 10 ? "0" : ""}${m}/2024`;
    const x = r();
    const value = Math.round(r() * 300000) / 100;
    const amount = x < 0.01 ? "" : x < 0.02 ? "n/a" : value >= 1000 && x < 0.1 ? `"${value.toLocaleString("en-US", { minimumFractionDigits: 2 })}"` : String(value);
    const status = STATUSES[Math.floor(r() * STATUSES.length)]!;
    return `${id},C${customer},${date},${amount},${status}`;
  });
  return { ordersPath, customersPath };
}
