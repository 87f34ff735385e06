/** Capability keys travel in these headers, never in a URL a server or proxy would log. */
export const PRESENTER_KEY_HEADER = 'x-presenter-key';
export const ORGANIZER_KEY_HEADER = 'x-organizer-key';
