import { randomBytes, randomInt } from "node:crypto";

/**
 * `count` random UUIDs (RFC 9562 version 4 layout) that sort in the order given. Rows written in one statement share
 * their created time, and both the queue (pg-boss fetches by created time, then id) and the runs list (created time,
 * then id) fall back on the id: this keeps a backfill's slots in date order.
 *
 * The order lives in the first 32 bits, since the UI names a run by its first 8 hex digits: they start at a random
 * point and climb by random steps, so each run of a backfill reads as a distinct, ordinary id (not 00000000,
 * 00000001…, and not a shared time prefix as in UUIDv7, which would give every run of a backfill the same name).
 */
export function orderedIds(count: number): string[] {
  if (count === 0) return [];
  const start = randomInt(0, 2 ** 31);
  const step = Math.floor((2 ** 32 - start) / count);
  if (step < 1) throw new RangeError(`orderedIds orders at most 2^31 ids at once, not ${count}.`);
  return Array.from({ length: count }, (_, i) => {
    const b = randomBytes(16);
    // Each id gets its own bucket of `step` values, so the prefixes are distinct and increasing.
    b.writeUInt32BE(start + i * step + (step > 1 ? randomInt(0, step) : 0), 0);
    b[6] = 0x40 | (b[6]! & 0x0f);
    b[8] = 0x80 | (b[8]! & 0x3f);
    const h = b.toString("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  });
}
