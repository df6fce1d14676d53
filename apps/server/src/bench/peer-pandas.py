"""The benchmark pipeline's work as a typical pandas script, loaded into PostgreSQL with COPY.

Usage: python3 peer-pandas.py ORDERS.csv CUSTOMERS.csv POSTGRES_URL SCHEMA
Prints the rows written. Same semantics as the pipeline: the nodes' whitespace, strict number patterns with
thousands separators, both date formats, amounts exact to the cent (kept as integer cents), keep-first dedupe
in file order, rows without an amount dropped, inner join, month, monthly totals.
"""
import io
import sys

import numpy as np
import pandas as pd
import psycopg2

orders_path, customers_path, url, schema = sys.argv[1:5]
# RE2's \s and Unicode's Z, as the clean and retype nodes trim.
SPACES = "\t\n\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
WHOLE = r"[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)"
DECIMAL = r"[+-]?(?:(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"

# Only an empty field is missing, as the file source reads it ("n/a" stays text until clean says otherwise).
read = dict(dtype=str, keep_default_na=False, na_values=[""])
orders = pd.read_csv(orders_path, **read)
customers = pd.read_csv(customers_path, **read)

status = orders["status"].str.strip(SPACES).str.lower()
amount = orders["amount"].str.strip(SPACES)
amount = amount.mask(amount.isin(["", "n/a"]))
order_id = orders["order_id"].str.strip(SPACES)
order_id = pd.to_numeric(order_id.where(order_id.str.fullmatch(WHOLE) == True).str.replace(",", "", regex=False), errors="coerce").astype("Int64")
date_text = orders["order_date"].str.strip(SPACES)
order_date = pd.to_datetime(date_text, format="%Y-%m-%d", errors="coerce").fillna(pd.to_datetime(date_text, format="%d/%m/%Y", errors="coerce"))
# Cents as integers: exact sums. The float goes no further than rounding a value with at most two decimals.
value = pd.to_numeric(amount.where(amount.str.fullmatch(DECIMAL) == True).str.replace(",", "", regex=False), errors="coerce")
cents = np.round(value * 100).astype("Int64")

typed = pd.DataFrame({"order_id": order_id, "customer_id": orders["customer_id"], "order_date": order_date, "cents": cents, "status": status})
# drop_duplicates treats missing ids as one key and keeps the first in file order, as the dedupe node does.
typed = typed.drop_duplicates(subset=["order_id"], keep="first")
typed = typed[typed["cents"].notna() & typed["customer_id"].notna()]
joined = typed.merge(customers, on="customer_id", how="inner")
joined["month"] = joined["order_date"].dt.to_period("M").dt.to_timestamp()

monthly = joined.groupby(["country", "month"], sort=False, dropna=False).agg(cents=("cents", "sum"), orders=("cents", "size")).reset_index()


def money(c):
    """Integer cents as exact decimal text: -5 -> -0.05."""
    a = c.abs()
    return np.where(c < 0, "-", "") + (a // 100).astype(str) + "." + (a % 100).astype(str).str.zfill(2)


def day(d):
    return d.dt.strftime("%Y-%m-%d")


out_orders = pd.DataFrame({
    "order_id": joined["order_id"], "customer_id": joined["customer_id"], "order_date": day(joined["order_date"]),
    "amount": money(joined["cents"].astype("int64")), "status": joined["status"], "name": joined["name"],
    "country": joined["country"], "month": day(joined["month"]),
})
out_monthly = pd.DataFrame({"country": monthly["country"], "month": day(monthly["month"]), "revenue": money(monthly["cents"].astype("int64")), "orders": monthly["orders"]})

ORDERS = "order_id bigint, customer_id text, order_date date, amount numeric(18,2), status text, name text, country text, month date"
MONTHLY = "country text, month date, revenue numeric(38,2), orders bigint"
with psycopg2.connect(url) as conn, conn.cursor() as cur:
    cur.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
    for table, columns, frame in (("orders", ORDERS, out_orders), ("monthly", MONTHLY, out_monthly)):
        cur.execute(f"DROP TABLE IF EXISTS {schema}.{table}")
        cur.execute(f"CREATE TABLE {schema}.{table} ({columns})")
        buf = io.StringIO()
        frame.to_csv(buf, index=False, header=False)
        buf.seek(0)
        cur.copy_expert(f"COPY {schema}.{table} FROM STDIN WITH (FORMAT csv)", buf)
print(len(out_orders) + len(out_monthly))
