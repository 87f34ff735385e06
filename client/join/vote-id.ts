const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';

/**
 * A new id for one tap of a vote: 22 url-safe characters (132 random bits). From
 * crypto.getRandomValues, which works on plain http:// too (randomUUID needs a secure context).
 */
export function newVoteId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(22));
  return Array.from(bytes, (byte) => ALPHABET[byte & 63]).join('');
}
