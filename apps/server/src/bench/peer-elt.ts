import pg from "pg";
import { copyFromFile } from "@sluice/engine";
import { MONTHLY_COLUMNS, ORDERS_COLUMNS, tablesOf, withClient } from "./targets.ts";

/** The characters the clean and retype nodes trim: RE2's \s (tab, newline, form feed, return, space) and Unicode's Z. */
const SPACES = "\t\n\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000";
const lit = (s: string) => `'${s.replaceAll("'", "''")}'`;
const trim = (x: string) => `btrim(${x}, ${lit(SPACES)})`;
const WHOLE = "^[+-]?([0-9]{1,3}(,[0-9]{3})+|[0-9]+)$";
const DECIMAL = "^[+-]?(([0-9]{1,3}(,[0-9]{3})+|[0-9]+)(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?$";

/**
 * The orders target's INSERT … SELECT, written by hand, from raw text tables of orders and customers; `position`
 * is an expression of the orders table giving its rows' input order. Where PostgreSQL has no TRY_CAST, a value is
 * checked before it is cast: a number by the retype node's own pattern (and range), a date by its shape; an
 * impossible calendar date such as 2024-02-30 would stop the statement here where the pipeline makes it null (the
 * generated data has none).
 */
export function ordersSql(from: { orders: string; customers: string; position: string }, target: string): string {
  return `
    INSERT INTO ${target}
    WITH cleaned AS (
      SELECT ${from.position} AS rn, ${trim("order_id")} AS order_id, customer_id, ${trim("order_date")} AS order_date,
             nullif(nullif(${trim("amount")}, ''), 'n/a') AS amount, lower(${trim("status")}) AS status
      FROM ${from.orders}
    ), parsed AS (
      SELECT rn, CASE WHEN order_id ~ '${WHOLE}' THEN replace(order_id, ',', '')::numeric END AS order_id, customer_id,
             CASE WHEN order_date ~ '^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}$' THEN to_date(order_date, 'YYYY-MM-DD')
                  WHEN order_date ~ '^[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}$' THEN to_date(order_date, 'DD/MM/YYYY') END AS order_date,
             CASE WHEN amount ~ '${DECIMAL}' THEN replace(amount, ',', '')::numeric END AS amount, status
      FROM cleaned
    ), typed AS (
      SELECT rn, CASE WHEN order_id BETWEEN -9223372036854775808 AND 9223372036854775807 THEN order_id::bigint END AS order_id,
             customer_id, order_date, CASE WHEN abs(amount) < 9999999999999999.995 THEN amount::numeric(18,2) END AS amount, status
      FROM parsed
    ), firsts AS (
      SELECT DISTINCT ON (order_id) * FROM typed ORDER BY order_id, rn
    )
    SELECT d.order_id, d.customer_id, d.order_date, d.amount, d.status, c.name, c.country, date_trunc('month', d.order_date)::date
    FROM firsts d JOIN ${from.customers} c ON c.customer_id = d.customer_id
    WHERE d.amount IS NOT NULL`;
}

/** The monthly target's INSERT … SELECT, from the orders target. */
export const monthlySql = (orders: string, target: string) => `INSERT INTO ${target} SELECT country, month, sum(amount), count(*) FROM ${orders} GROUP BY country, month`;

/**
 * The same work as hand-written PostgreSQL ELT: COPY the raw files into staging tables (numbered in file order),
 * then one INSERT … SELECT per target.
 */
export async function postgresElt(o: { ordersPath: string; customersPath: string; warehouseUrl: string }): Promise<{ seconds: number; rowsWritten: number }> {
  const t = tablesOf("elt");
  const schema = t.orders.split(".")[0]!;
  const started = Date.now();
  const signal = new AbortController().signal;
  return withClient(o.warehouseUrl, async (c: pg.Client) => {
    await c.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await c.query(`DROP TABLE IF EXISTS ${schema}.raw_orders, ${schema}.raw_customers`);
    // Staging tables are scratch: unlogged, as ELT tools make them.
    await c.query(`CREATE UNLOGGED TABLE ${schema}.raw_orders (rn bigint GENERATED ALWAYS AS IDENTITY, order_id text, customer_id text, order_date text, amount text, status text)`);
    await c.query(`CREATE UNLOGGED TABLE ${schema}.raw_customers (customer_id text, name text, country text)`);
    await copyFromFile(c, `COPY ${schema}.raw_orders (order_id, customer_id, order_date, amount, status) FROM STDIN WITH (FORMAT csv, HEADER true)`, o.ordersPath, signal);
    await copyFromFile(c, `COPY ${schema}.raw_customers FROM STDIN WITH (FORMAT csv, HEADER true)`, o.customersPath, signal);
    await c.query("BEGIN");
    await c.query(`DROP TABLE IF EXISTS ${t.orders}, ${t.monthly}`);
    await c.query(`CREATE TABLE ${t.orders} (${ORDERS_COLUMNS})`);
    const orders = (await c.query(ordersSql({ orders: `${schema}.raw_orders`, customers: `${schema}.raw_customers`, position: "rn" }, t.orders))).rowCount ?? 0;
    await c.query(`CREATE TABLE ${t.monthly} (${MONTHLY_COLUMNS})`);
    const monthly = (await c.query(monthlySql(t.orders, t.monthly))).rowCount ?? 0;
    await c.query("COMMIT");
    await c.query(`DROP TABLE ${schema}.raw_orders, ${schema}.raw_customers`);
    return { seconds: (Date.now() - started) / 1000, rowsWritten: orders + monthly };
  });
}
