/**
 * Free text from people (nicknames, titles, group names, questions): normalized to NFC, with control,
 * bidirectional-override and zero-width characters removed and runs of spaces folded, so what one
 * person types cannot disguise itself or reorder what another screen shows. Kept free of zod.
 */

// C0 and C1 controls, bidi embeddings, overrides, isolates and marks, zero-width characters, BOM.
const INVISIBLE = /[\u0000-\u001F\u007F-\u009F\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

export function cleanText(value: string): string {
  return value.normalize('NFC').replace(/\s+/gu, ' ').replace(INVISIBLE, '').trim();
}

/** Length in characters as people count them (code points), not UTF-16 units or bytes. */
export function characterCount(value: string): number {
  return [...value].length;
}
