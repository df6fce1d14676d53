import type { BecameNull, CheckResult } from "@sluice/model";
import { quoteIdent } from "@sluice/pipeline";
import type { TableProfile } from "./column-profile.ts";
import type { DuckSession } from "./duckdb-session.ts";

/** One step's results kept in the preview database, one table per output port. */
export interface CacheEntry {
  key: string;
  nodeId: string;
  /** Port → quoted table name. */
  tables: Record<string, string>;
  /** Port → row count. */
  rows: Record<string, number>;
  /** Rows the sources behind this result were cut to; null when no source was cut. */
  sampledAt: number | null;
  /** Results of loads (remote data) go stale; null for results that only depend on Sluice's own inputs. */
  expiresAt: number | null;
  /** Port → profile, computed on first request. */
  profiles: Map<string, TableProfile>;
  /** A check node's rule results on these rows. */
  checks?: CheckResult[];
  /** A conversion's values that became null, per column, in these rows' inputs. */
  becameNull?: BecameNull[];
}

/**
 * Least-recently-used results of preview steps, bounded by entry count and total rows. Evicting an entry
 * drops its tables. Entries the current preview is using are pinned and never evicted under it.
 */
export class PreviewCache {
  private readonly entries = new Map<string, CacheEntry>();

  constructor(private readonly limits: { entries: number; rows: number }) {}

  static tableName(key: string, port: string): string {
    return quoteIdent(`c_${key}_${port}`);
  }

  /** A fresh entry, marked most recently used; undefined when absent or stale. */
  get(key: string, now = Date.now()): CacheEntry | undefined {
    const e = this.entries.get(key);
    if (!e || (e.expiresAt !== null && e.expiresAt <= now)) return undefined;
    this.entries.delete(key);
    this.entries.set(key, e);
    return e;
  }

  put(entry: CacheEntry): void {
    this.entries.delete(entry.key);
    this.entries.set(entry.key, entry);
  }

  get size(): number {
    return this.entries.size;
  }

  get totalRows(): number {
    let n = 0;
    for (const e of this.entries.values()) for (const r of Object.values(e.rows)) n += r;
    return n;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** Drops least recently used entries (stale ones first) until both limits hold again, sparing `pinned`. */
  async evict(session: DuckSession, pinned: Set<string>, now = Date.now()): Promise<void> {
    for (const e of [...this.entries.values()]) {
      if (e.expiresAt !== null && e.expiresAt <= now && !pinned.has(e.key)) await this.drop(session, e);
    }
    for (const e of [...this.entries.values()]) {
      if (this.entries.size <= this.limits.entries && this.totalRows <= this.limits.rows) break;
      if (!pinned.has(e.key)) await this.drop(session, e);
    }
  }

  async clear(session: DuckSession): Promise<void> {
    for (const e of [...this.entries.values()]) await this.drop(session, e);
  }

  private async drop(session: DuckSession, e: CacheEntry): Promise<void> {
    this.entries.delete(e.key);
    for (const table of Object.values(e.tables)) await session.run(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
  }
}
