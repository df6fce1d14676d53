import { open } from "node:fs/promises";

/** Footers past this size are not read here (real ones are kilobytes); the isolated inspection reads them instead. */
const MAX_FOOTER_BYTES = 64 * 1024 * 1024;

// Thrift compact protocol type ids (parquet-format writes its footer, FileMetaData, with it).
const T = { TRUE: 1, FALSE: 2, BYTE: 3, I16: 4, I32: 5, I64: 6, DOUBLE: 7, BINARY: 8, LIST: 9, SET: 10, MAP: 11, STRUCT: 12, UUID: 13 };

/** Just enough of a thrift compact reader to walk a footer; any read past the end throws. */
class Reader {
  at = 0;
  constructor(private readonly buf: Buffer) {}

  byte(): number {
    const b = this.buf[this.at++];
    if (b === undefined) throw new Error("footer ends early");
    return b;
  }

  varint(): number {
    let n = 0;
    for (let shift = 0; ; shift += 7) {
      const b = this.byte();
      if (shift < 35) n += (b & 0x7f) * 2 ** shift; // what lies beyond 2^35 is only skipped
      if ((b & 0x80) === 0) return n;
      if (shift > 63) throw new Error("varint too long");
    }
  }

  zigzag(): number {
    const n = this.varint();
    return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
  }

  skipBytes(n: number) {
    if (n < 0 || this.at + n > this.buf.length) throw new Error("footer ends early");
    this.at += n;
  }

  /** Calls `each(fieldId, type)` per field of a struct; `each` must consume the value (or call skip). */
  struct(each: (id: number, type: number) => void) {
    let last = 0;
    for (;;) {
      const header = this.byte();
      if (header === 0) return;
      const type = header & 0x0f;
      const id = header >> 4 ? last + (header >> 4) : this.zigzag();
      last = id;
      each(id, type);
    }
  }

  listHeader(): { size: number; type: number } {
    const header = this.byte();
    return { size: header >> 4 === 15 ? this.varint() : header >> 4, type: header & 0x0f };
  }

  /** Skips one value; thrift structs nest only a few levels in a real footer, and a hostile one ends in a RangeError. */
  skip(type: number, inList = false): void {
    switch (type) {
      case T.TRUE:
      case T.FALSE:
        if (inList) this.byte();
        return;
      case T.BYTE:
        return this.skipBytes(1);
      case T.I16:
      case T.I32:
      case T.I64:
        this.varint();
        return;
      case T.DOUBLE:
        return this.skipBytes(8);
      case T.UUID:
        return this.skipBytes(16);
      case T.BINARY:
        return this.skipBytes(this.varint());
      case T.LIST:
      case T.SET: {
        const { size, type: item } = this.listHeader();
        for (let i = 0; i < size; i++) this.skip(item, true);
        return;
      }
      case T.MAP: {
        const size = this.varint();
        if (size === 0) return;
        const kinds = this.byte();
        for (let i = 0; i < size; i++) {
          this.skip(kinds >> 4, true);
          this.skip(kinds & 0x0f, true);
        }
        return;
      }
      case T.STRUCT:
        return this.struct((_id, t) => this.skip(t));
      default:
        throw new Error(`unknown thrift type ${type}`);
    }
  }
}

/**
 * How many groups deep a Parquet schema nests (a struct is one group; a list or a map is two), read from the
 * file's footer without DuckDB, whose reader recurses once per level. Undefined when the footer cannot be read
 * here: not Parquet, damaged, or too large; the isolated inspection then has the last word.
 */
export async function parquetSchemaDepth(path: string): Promise<number | undefined> {
  const handle = await open(path, "r");
  try {
    const size = (await handle.stat()).size;
    if (size < 12) return undefined;
    const tail = Buffer.alloc(8);
    await handle.read(tail, 0, 8, size - 8);
    const length = tail.readUInt32LE(0);
    if (tail.subarray(4).toString("latin1") !== "PAR1" || length > MAX_FOOTER_BYTES || length > size - 12) return undefined;
    const footer = Buffer.alloc(length);
    await handle.read(footer, 0, length, size - 8 - length);
    return schemaDepth(new Reader(footer));
  } catch {
    return undefined;
  } finally {
    await handle.close();
  }
}

/** FileMetaData field 2 is the schema: SchemaElements depth first, each group saying how many children follow it. */
function schemaDepth(r: Reader): number | undefined {
  let depth: number | undefined;
  r.struct((id, type) => {
    if (id !== 2 || type !== T.LIST) return r.skip(type);
    const { size } = r.listHeader();
    const open: number[] = []; // children still to come, per group being read (the root first)
    let deepest = 0;
    for (let i = 0; i < size; i++) {
      let children = 0;
      r.struct((field, t) => {
        if (field === 5 && t === T.I32) children = r.zigzag();
        else r.skip(t);
      });
      if (open.length > 0) open[open.length - 1]!--;
      deepest = Math.max(deepest, open.length - 1);
      if (children > 0) open.push(children);
      while (open.length > 0 && open[open.length - 1]! <= 0) open.pop();
    }
    depth = deepest;
  });
  return depth;
}
