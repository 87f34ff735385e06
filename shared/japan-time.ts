/** Times as Japanese organizers read them: Japan Standard Time (UTC+9, no daylight saving). */
const JST_OFFSET_MS = 9 * 60 * 60 * 1000;

/** ISO 8601 in Japan time with its offset, e.g. 2026-11-28T14:05:09+09:00. */
export function japanIso(epochMs: number): string {
  return `${new Date(epochMs + JST_OFFSET_MS).toISOString().slice(0, 19)}+09:00`;
}

/** 2026/11/28 14:05, for people. */
export function japanDisplay(isoOrMs: string | number): string {
  const ms = typeof isoOrMs === 'number' ? isoOrMs : Date.parse(isoOrMs);
  const text = new Date(ms + JST_OFFSET_MS).toISOString();
  return `${text.slice(0, 4)}/${text.slice(5, 7)}/${text.slice(8, 10)} ${text.slice(11, 16)}`;
}

/** A session's start setting (YYYY-MM-DDTHH:mm, Japan time) for people: 2026/11/28 14:00. */
export function startsAtDisplay(startsAt: string | null): string {
  return startsAt ? `${startsAt.slice(0, 4)}/${startsAt.slice(5, 7)}/${startsAt.slice(8, 10)} ${startsAt.slice(11, 16)}` : '';
}

/** The date part (YYYY-MM-DD) in Japan time of an epoch time. */
export function japanDate(epochMs: number): string {
  return new Date(epochMs + JST_OFFSET_MS).toISOString().slice(0, 10);
}
