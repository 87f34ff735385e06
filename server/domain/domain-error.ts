import type { ErrorCode } from '../../shared/contract.ts';

/** A rule said no: the command changes nothing and the caller answers with this code. */
export interface DomainError {
  code: ErrorCode;
  message: string;
  /** With rate_limited: how long to wait before trying again. */
  retryAfterMs?: number;
}

export type Decision<T> = { ok: true; value: T } | { ok: false; error: DomainError };

export function allow<T>(value: T): Decision<T> {
  return { ok: true, value };
}

export function refuse<T = never>(code: ErrorCode, message: string): Decision<T> {
  return { ok: false, error: { code, message } };
}
