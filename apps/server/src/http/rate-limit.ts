/**
 * A token bucket per client: `perMinute` requests at once, refilled evenly over a minute. Small enough to
 * keep here rather than add a dependency (no rate limiter is installed); it lives in one process, which
 * is where the requests it limits are served.
 */
export interface RateLimiter {
  readonly perMinute: number;
  /** Takes one request's token for `key`; when none is left, how many seconds until one is. */
  take(key: string): { ok: true } | { ok: false; retryAfterSeconds: number };
  /** How many clients it remembers (it forgets those with a full bucket once there are many). */
  size(): number;
}

/** Buckets kept before full ones (clients that stopped asking) are forgotten. */
const MAX_KEYS = 10_000;

export function rateLimiter(perMinute: number, now: () => number = Date.now): RateLimiter {
  const msPerToken = 60_000 / perMinute;
  const buckets = new Map<string, { tokens: number; at: number }>();
  const refilled = (b: { tokens: number; at: number }, t: number) => Math.min(perMinute, b.tokens + (t - b.at) / msPerToken);
  return {
    perMinute,
    take(key) {
      const t = now();
      if (buckets.size >= MAX_KEYS) for (const [k, b] of buckets) if (refilled(b, t) >= perMinute) buckets.delete(k);
      const b = buckets.get(key);
      const tokens = b ? refilled(b, t) : perMinute;
      if (tokens < 1) {
        buckets.set(key, { tokens, at: t });
        return { ok: false, retryAfterSeconds: Math.ceil(((1 - tokens) * msPerToken) / 1000) };
      }
      buckets.set(key, { tokens: tokens - 1, at: t });
      return { ok: true };
    },
    size: () => buckets.size,
  };
}
