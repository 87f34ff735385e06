/**
 * Structured logs (pino): JSON lines in production, readable lines on a terminal. What is logged is
 * the session's code, counts and error codes: never keys, tokens, nicknames, answers or addresses.
 */
import { createRequire } from 'node:module';
import pino, { type Logger } from 'pino';
import type PinoPretty from 'pino-pretty';

export type { Logger };

export interface LoggerOptions {
  /** Human-readable output (a terminal) rather than JSON lines (a log collector). */
  isPretty: boolean;
  level?: pino.LevelWithSilent;
}

export function createLogger({ isPretty, level = 'info' }: LoggerOptions): Logger {
  const redact = { paths: ['*.key', '*.token', '*.presenterKey', '*.organizerKey', '*.nickname'], censor: '[redacted]' };
  if (!isPretty) return pino({ level, redact, base: { app: 'kotae' } });
  // Loaded only for a terminal: a server writing JSON lines does not carry the formatter.
  const pretty = createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty;
  return pino({ level, redact }, pretty({ colorize: true, sync: true, ignore: 'pid,hostname' }));
}

/** A logger that writes nothing, for scripts and tests that do not want log lines. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
