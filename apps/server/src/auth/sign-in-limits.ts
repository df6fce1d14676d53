import type { Response } from "express";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { AppError } from "../http/app-error.ts";

export interface SignInLimitSettings {
  /** Failed sign-ins one account may have within `windowMinutes` before it is refused for that long. */
  perAccount: number;
  /** Failed sign-ins one address may have within `windowMinutes` (guessing across many accounts). */
  perAddress: number;
  windowMinutes: number;
}

export const DEFAULT_SIGN_IN_LIMITS: SignInLimitSettings = { perAccount: 10, perAddress: 50, windowMinutes: 15 };

/**
 * Counts sign-in attempts per account and per address (rate-limiter-flexible, in this process's memory). Each
 * attempt takes its point before the password is checked, so a burst of parallel guesses is counted as it
 * arrives, not after the slow hash; a success gives the points back (the account's all, the address's one), so
 * only failures add up. Once either count is spent, attempts are refused unchecked. Several server processes
 * each count their own.
 */
export function signInLimits(s: SignInLimitSettings = DEFAULT_SIGN_IN_LIMITS) {
  const duration = s.windowMinutes * 60;
  const byAccount = new RateLimiterMemory({ keyPrefix: "account", points: s.perAccount, duration, blockDuration: duration });
  const byAddress = new RateLimiterMemory({ keyPrefix: "address", points: s.perAddress, duration, blockDuration: duration });
  const spent = (r: RateLimiterRes | null, points: number) => r !== null && r.consumedPoints >= points;
  const wait = (r: RateLimiterRes | null) => Math.max(1, Math.ceil((r?.msBeforeNext ?? 1000) / 1000));
  const taken = async (limiter: RateLimiterMemory, key: string): Promise<RateLimiterRes | null> => {
    try {
      await limiter.consume(key);
      return null;
    } catch (e) {
      if (e instanceof RateLimiterRes) return e;
      throw e;
    }
  };
  return {
    /**
     * Takes one attempt's point from the account and the address before the password is checked; the seconds to
     * wait when either has none left (the attempt must then be refused unchecked), else null.
     */
    async attempt(email: string, address: string): Promise<number | null> {
      const [a, b] = await Promise.all([taken(byAccount, email), taken(byAddress, address)]);
      return a ? wait(a) : b ? wait(b) : null;
    },
    /** After a successful sign-in: the account's failures are forgotten, and this attempt's point is given back. */
    async signedIn(email: string, address: string): Promise<void> {
      await Promise.all([byAccount.delete(email), byAddress.reward(address, 1)]);
    },
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

/**
 * The one refusal for a spent limit, with Retry-After; the same words wherever passwords, setup codes or
 * invitation emails are tried, so a prober learns nothing from which route refused.
 */
export function tooManySignIns(res: Response, waitSeconds: number): AppError {
  res.set("Retry-After", String(waitSeconds));
  return new AppError(
    429,
    "TOO_MANY_SIGN_INS",
    `Too many failed sign-ins for this account or from this address. Wait ${Math.ceil(waitSeconds / 60)} minute(s), then try again.`,
    { retryAfterSeconds: waitSeconds },
  );
}
