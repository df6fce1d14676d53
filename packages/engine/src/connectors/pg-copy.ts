import { createReadStream, createWriteStream, type ReadStream, type WriteStream } from "node:fs";
import type { Duplex } from "node:stream";
import type pg from "pg";
import type { ByteRange } from "./csv-row-ranges.ts";

/**
 * COPY … TO STDOUT and COPY … FROM STDIN over node-postgres, streamed to and from files. node-postgres
 * runs any object with `submit` as a query and hands it the COPY protocol messages (the mechanism
 * pg-copy-streams uses); these are the few handlers a COPY needs.
 *
 * COPY TO goes over the extended protocol (Parse, Bind, Execute, Sync): its text carries a user's query, and
 * there the server itself refuses more than one statement. COPY FROM keeps the simple protocol: the server
 * ignores a Sync that arrives during copy-in, so the extended protocol's Sync would have to wait for the end
 * of the data; its text is entirely Sluice's own, identifiers quoted.
 */
interface CopyConnection {
  stream: Duplex;
  query(text: string): void;
  parse(query: { text: string }): void;
  bind(config: { values: unknown[] }): void;
  execute(config: { portal: string }): void;
  sync(): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  sendCopyFail(message: string): void;
}

abstract class CopyQuery implements pg.Submittable {
  protected connection: CopyConnection | undefined;
  private rows = 0;
  private settled = false;
  readonly done: Promise<number>;
  private resolve!: (rows: number) => void;
  private reject!: (e: unknown) => void;

  constructor(protected readonly text: string) {
    this.done = new Promise<number>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  submit(connection: pg.Connection): void {
    this.connection = connection as unknown as CopyConnection;
    this.send(this.connection);
  }

  protected abstract send(connection: CopyConnection): void;

  protected fail(e: unknown) {
    if (this.settled) return;
    this.settled = true;
    this.cleanup();
    this.reject(e);
  }

  protected abstract cleanup(): void;

  handleCommandComplete(msg: { text?: string }) {
    const m = /^COPY (\d+)/.exec(msg.text ?? "");
    if (m) this.rows = Number(m[1]);
  }
  handleReadyForQuery() {
    if (this.settled) return;
    this.settled = true;
    this.cleanup();
    this.resolve(this.rows);
  }
  handleError(e: unknown) {
    this.fail(e);
  }
  handleRowDescription() {}
  handleDataRow() {}
  handlePortalSuspended() {}
  handleEmptyQuery() {}
  handleCopyInResponse(_connection: unknown) {}
  handleCopyData(_msg: { chunk: Buffer }) {}
}

class CopyToFile extends CopyQuery {
  private readonly out: WriteStream;
  /** Settles once the file is closed: opening it is asynchronous, so a failed COPY can otherwise still create it later. */
  readonly closed: Promise<void>;
  constructor(text: string, path: string) {
    super(text);
    this.out = createWriteStream(path);
    this.closed = new Promise((resolve) => this.out.once("close", () => resolve()));
    this.out.on("error", (e) => this.fail(e));
    this.out.on("drain", () => this.connection?.stream.resume());
  }
  protected send(connection: CopyConnection) {
    connection.parse({ text: this.text });
    connection.bind({ values: [] });
    connection.execute({ portal: "" });
    connection.sync();
  }
  override handleCopyData(msg: { chunk: Buffer }) {
    // A copy: the chunk is a view into node-postgres's socket buffer, which it reuses for the data that follows, and
    // the file stream may hold a chunk well after this returns (a lagging file got rows overwritten by later bytes).
    // Backpressure: stop reading the socket while the file catches up.
    if (!this.out.write(Buffer.from(msg.chunk))) this.connection?.stream.pause();
  }
  override handleReadyForQuery() {
    this.out.end(() => super.handleReadyForQuery());
  }
  protected cleanup() {
    this.connection?.stream.resume();
    this.closeFile();
  }
  closeFile() {
    if (!this.out.writableEnded && !this.out.destroyed) this.out.end();
  }
}

class CopyFromFile extends CopyQuery {
  private input: ReadStream | undefined;
  constructor(
    text: string,
    private readonly path: string,
    private readonly range?: ByteRange,
  ) {
    super(text);
  }
  protected send(connection: CopyConnection) {
    connection.query(this.text);
  }
  override handleCopyInResponse() {
    const connection = this.connection!;
    if (this.range && this.range.end <= this.range.start) return connection.endCopyFrom();
    const input = createReadStream(this.path, { highWaterMark: 256 * 1024, ...(this.range ? { start: this.range.start, end: this.range.end - 1 } : {}) });
    this.input = input;
    const socket = connection.stream;
    input.on("data", (chunk) => {
      connection.sendCopyFromChunk(chunk as Buffer);
      if (socket.writableNeedDrain) {
        input.pause();
        socket.once("drain", () => input.resume());
      }
    });
    input.on("end", () => connection.endCopyFrom());
    input.on("error", (e) => connection.sendCopyFail(`could not read the staged rows: ${e.message}`));
  }
  /** Ends the COPY with an error on the server's side, so the transaction can be rolled back cleanly. */
  abort(reason: string) {
    if (this.input && !this.input.destroyed) {
      this.input.destroy();
      this.connection?.sendCopyFail(reason);
    }
  }
  protected cleanup() {
    this.input?.destroy();
  }
}

/** Streams the rows of `COPY (…) TO STDOUT …` into a file; resolves with the row count. */
export async function copyToFile(client: pg.Client, sql: string, path: string, signal: AbortSignal): Promise<number> {
  const q = new CopyToFile(sql, path);
  // There is no protocol message to stop a COPY TO; closing the socket ends it, and the transaction with it.
  const onAbort = () => client.connection.stream.destroy();
  signal.addEventListener("abort", onAbort, { once: true });
  try {
    client.query(q);
    return await q.done;
  } finally {
    signal.removeEventListener("abort", onAbort);
    // Whatever happened, the file is closed when this returns, so a caller may remove it and find it gone.
    q.closeFile();
    await q.closed;
  }
}

/** Streams a file, or a byte range of it, into `COPY … FROM STDIN …`; resolves with the row count. */
export async function copyFromFile(client: pg.Client, sql: string, path: string, signal: AbortSignal, range?: ByteRange): Promise<number> {
  const q = new CopyFromFile(sql, path, range);
  const onAbort = () => q.abort("cancelled by Sluice");
  signal.addEventListener("abort", onAbort, { once: true });
  try {
    client.query(q);
    return await q.done;
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}
