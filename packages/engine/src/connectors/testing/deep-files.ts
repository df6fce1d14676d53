/** Hostile files for tests: data nested deeper than DuckDB's recursive readers can survive. */

/** The payload from the report: `[` + `{"a":` × depth + `1` + `}` × depth + `]` (120 KB at depth 20,000). */
export const deepJson = (depth: number) => "[" + '{"a":'.repeat(depth) + "1" + "}".repeat(depth) + "]";

// Thrift compact protocol, just enough for a Parquet footer (parquet-format's FileMetaData).
const varint = (n: number) => {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
};
const zigzag = (n: number) => varint(n >= 0 ? n * 2 : -n * 2 - 1);
const I32 = 5;
const I64 = 6;
const BINARY = 8;
const LIST = 9;
const STRUCT = 12;

/** Appends without spreading: a schema of 100,000 elements is too long for push(...items). */
const append = (out: number[], items: number[]) => {
  for (const b of items) out.push(b);
  return out;
};

/** One thrift struct from [field id, type, encoded value] in rising id order. */
function struct(fields: [number, number, number[]][]): number[] {
  const out: number[] = [];
  let last = 0;
  for (const [id, type, value] of fields) {
    append(out, [((id - last) << 4) | type]);
    append(out, value);
    last = id;
  }
  return append(out, [0]);
}
const list = (type: number, items: number[][]) => items.reduce(append, [0xf0 | type, ...varint(items.length)]);
const text = (s: string) => [...varint(Buffer.byteLength(s)), ...Buffer.from(s)];

/**
 * A Parquet file with no rows whose one column is a struct nested `depth` deep (a.a.a…: INT32). DuckDB
 * builds its reader recursively: some 30,000 levels overflow its stack, 10,000 take it most of a minute.
 */
export function deepParquet(depth: number): Buffer {
  const OPTIONAL = 1;
  const INT32 = 1;
  const schema = [struct([[4, BINARY, text("schema")], [5, I32, zigzag(1)]])];
  for (let i = 0; i < depth; i++) schema.push(struct([[3, I32, zigzag(OPTIONAL)], [4, BINARY, text("a")], [5, I32, zigzag(1)]]));
  schema.push(struct([[1, I32, zigzag(INT32)], [3, I32, zigzag(OPTIONAL)], [4, BINARY, text("a")]]));
  const footer = Buffer.from(
    struct([
      [1, I32, zigzag(1)], // version
      [2, LIST, list(STRUCT, schema)],
      [3, I64, zigzag(0)], // num_rows
      [4, LIST, list(STRUCT, [])], // row_groups
    ]),
  );
  const length = Buffer.alloc(4);
  length.writeUInt32LE(footer.length);
  return Buffer.concat([Buffer.from("PAR1"), footer, length, Buffer.from("PAR1")]);
}
