import { createHash, timingSafeEqual } from 'node:crypto';
import { nanoid } from 'nanoid';

/** A capability secret: 32 characters of nanoid's 64-letter alphabet, 192 bits. */
export function newSecret(): string {
  return nanoid(32);
}

/** Secrets are stored as SHA-256 hashes: they are random, so no salt or slow hash is needed. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function isSecretValid(secret: string, expectedHash: string): boolean {
  const actual = Buffer.from(hashSecret(secret), 'hex');
  const expected = Buffer.from(expectedHash, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
