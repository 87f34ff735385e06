/**
 * Rate limits per client address and per participant, with rate-limiter-flexible (a maintained library
 * with in-memory, Redis and PostgreSQL stores, so the limits can follow the growth path unchanged).
 * The numbers are for a seminar hall: a whole room behind one NAT joins within a minute; a script
 * cannot enumerate join codes, guess keys, flood session creation or flip a vote hundreds of times.
 */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { ErrorCode, type ErrorBody } from '../../shared/contract.ts';

export interface RateLimitSettings {
  /** Joins per minute from one address: a full hall behind one NAT address must fit. */
  joinsPerMinutePerAddress: number;
}

export const DEFAULT_RATE_LIMITS: RateLimitSettings = { joinsPerMinutePerAddress: 600 };

export interface RateLimits {
  /** New sessions per address: 30 in 10 minutes. */
  sessionCreation: RateLimiterMemory;
  /** Joins per address. */
  join: RateLimiterMemory;
  /** Lookups of a join code that names no session, per address: 30 a minute. */
  failedLookup: RateLimiterMemory;
  /** Handshakes refused for a wrong key, token or code, per address: 30 a minute. */
  failedHandshake: RateLimiterMemory;
  /** Votes (and changes of vote) per participant: 4 a second, one per ~250 ms. */
  vote: RateLimiterMemory;
}

export function createRateLimits(settings: RateLimitSettings = DEFAULT_RATE_LIMITS): RateLimits {
  return {
    sessionCreation: new RateLimiterMemory({ keyPrefix: 'create', points: 30, duration: 600 }),
    join: new RateLimiterMemory({ keyPrefix: 'join', points: settings.joinsPerMinutePerAddress, duration: 60 }),
    failedLookup: new RateLimiterMemory({ keyPrefix: 'lookup', points: 30, duration: 60 }),
    failedHandshake: new RateLimiterMemory({ keyPrefix: 'handshake', points: 30, duration: 60 }),
    vote: new RateLimiterMemory({ keyPrefix: 'vote', points: 4, duration: 1 }),
  };
}

/** The error a limited request gets, with how long to wait. */
export function rateLimited(retryAfterMs: number): ErrorBody {
  return { code: ErrorCode.rateLimited, message: `too many requests; try again in ${Math.ceil(retryAfterMs / 1000)} s`, retryAfterMs };
}

/** Takes one point; resolves with null when allowed, or with the milliseconds to wait. */
export async function consume(limiter: RateLimiterMemory, key: string): Promise<number | null> {
  try {
    await limiter.consume(key);
    return null;
  } catch (error) {
    if (error instanceof RateLimiterRes) return Math.max(1, error.msBeforeNext);
    throw error;
  }
}

/** Milliseconds until the key may try again when its points are used up; null while it still may. */
export async function blockedFor(limiter: RateLimiterMemory, key: string): Promise<number | null> {
  const state = await limiter.get(key);
  return state && state.consumedPoints >= limiter.points ? Math.max(1, state.msBeforeNext) : null;
}
