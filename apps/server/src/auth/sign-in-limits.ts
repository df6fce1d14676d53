import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";

export interface SignInLimitSettings {
  /** Failed sign-ins one account may have within `windowMinutes` before it is refused for that long. */
  perAccount: number;
  /** Failed sign-ins one address may have within `windowMinutes` (guessing across many accounts). */
  perAddress: number;
  windowMinutes: number;
}

export const DEFAULT_SIGN_IN_LIMITS: SignInLimitSettings = { perAccount: 10, perAddress: 50, windowMinutes: 15 };

/**
 * Counts failed sign-ins per account and per address (rate-limiter-flexible, in this process's memory), the
 * pattern its authors give for login endpoints: only failures count, a success clears the account's count, and
 * once either count is spent, attempts are refused before the password is even checked. Several server
 * processes each count their own.
 */
export function signInLimits(s: SignInLimitSettings = DEFAULT_SIGN_IN_LIMITS) {
  const duration = s.windowMinutes * 60;
  const byAccount = new RateLimiterMemory({ keyPrefix: "account", points: s.perAccount, duration, blockDuration: duration });
  const byAddress = new RateLimiterMemory({ keyPrefix: "address", points: s.perAddress, duration, blockDuration: duration });
  const spent = (r: RateLimiterRes | null, points: number) => r !== null && r.consumedPoints >= points;
  const wait = (r: RateLimiterRes | null) => Math.max(1, Math.ceil((r?.msBeforeNext ?? 1000) / 1000));
  return {
    /** Seconds to wait when this account or address has used up its failures, else null. */
    async refused(email: string, address: string): Promise<number | null> {
      const [a, b] = await Promise.all([byAccount.get(email), byAddress.get(address)]);
      if (spent(a, s.perAccount)) return wait(a);
      if (spent(b, s.perAddress)) return wait(b);
      return null;
    },
    async failed(email: string, address: string): Promise<void> {
      // consume() rejects once the points are spent; that is the block starting, not an error.
      await Promise.allSettled([byAccount.consume(email), byAddress.consume(address)]);
    },
    async succeeded(email: string): Promise<void> {
      await byAccount.delete(email);
    },
  };
}

export type SignInLimits = ReturnType<typeof signInLimits>;
