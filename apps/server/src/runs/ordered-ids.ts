import { randomUUID } from "node:crypto";

/**
 * `count` random UUIDs that sort in the order given: the first 8 hex digits are the position, the rest random.
 * Rows written in one statement share their created time, and both the queue (pg-boss fetches by created time,
 * then id) and the runs list (created time, then id) fall back on the id: this keeps a backfill's slots in date order.
 */
export function orderedIds(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${i.toString(16).padStart(8, "0")}${randomUUID().slice(8)}`);
}
