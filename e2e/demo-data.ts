import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const demoDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../apps/server/demo");
export const demoFile = (name: "orders.csv" | "customers.csv") => ({ name, mimeType: "text/csv", buffer: readFileSync(path.join(demoDir, name)) });

/** A small CSV reader for the demo files (quoted fields, no embedded newlines), independent of Sluice's. */
function parseCsv(text: string): Record<string, string>[] {
  const lines = text.trim().split(/\r?\n/);
  const split = (line: string) => {
    const out: string[] = [];
    let cur = "";
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i]!;
      if (quoted) {
        if (ch === '"' && line[i + 1] === '"') {
          cur += '"';
          i++;
        }
        else if (ch === '"') quoted = false;
        else cur += ch;
      } else if (ch === '"') quoted = true;
      else if (ch === ",") {
        out.push(cur);
        cur = "";
      }
      else cur += ch;
    }
    out.push(cur);
    return out;
  };
  const header = split(lines[0]!);
  return lines.slice(1).map((l) => Object.fromEntries(split(l).map((v, i) => [header[i]!, v])));
}

/**
 * What the e2e pipeline must load, computed here by hand from the demo files: orders deduplicated by order id
 * (first wins), amounts trimmed with "" and "n/a" as missing and thousands separators removed, joined to
 * customers, then revenue and order count per country.
 */
export function expectedRevenueByCountry(): Map<string, { revenue: number | null; orders: number }> {
  const customers = new Map(parseCsv(demoFile("customers.csv").buffer.toString("utf8")).map((c) => [c.customer_id!, c.country!]));
  const seen = new Set<string>();
  const out = new Map<string, { revenue: number | null; orders: number }>();
  for (const o of parseCsv(demoFile("orders.csv").buffer.toString("utf8"))) {
    if (seen.has(o.order_id!)) continue;
    seen.add(o.order_id!);
    const country = customers.get(o.customer_id!);
    if (country === undefined) continue;
    const raw = o.amount!.trim();
    const amount = raw === "" || raw === "n/a" ? null : Number(raw.replaceAll(",", ""));
    const g = out.get(country) ?? { revenue: null, orders: 0 };
    g.orders += 1;
    if (amount !== null) g.revenue = (g.revenue ?? 0) + amount;
    out.set(country, g);
  }
  return out;
}

export const distinctOrderCount = () => new Set(parseCsv(demoFile("orders.csv").buffer.toString("utf8")).map((o) => o.order_id)).size;
export const rawOrderCount = () => parseCsv(demoFile("orders.csv").buffer.toString("utf8")).length;
