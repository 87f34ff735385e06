import type { RequestHandler } from 'express';

/**
 * Where styles may come from on most pages: reveal.js positions slides with inline style attributes,
 * hence 'unsafe-inline' for styles (never for scripts).
 */
const DEFAULT_STYLE_SOURCES = ["'self'", "'unsafe-inline'"];

/**
 * The Content-Security-Policy of a page served to `host`: scripts only from this server, WebSocket
 * origins listed explicitly (Safari does not count them as 'self'). `styleSources` replaces the
 * default style-src, e.g. by a hash for a page that needs no inline styles but its own element.
 */
export function contentSecurityPolicy(host: string, styleSources: readonly string[] = DEFAULT_STYLE_SOURCES): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    `style-src ${styleSources.join(' ')}`,
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self' ws://${host} wss://${host}`,
    "frame-ancestors 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "object-src 'none'",
  ].join('; ');
}

/**
 * Headers for a server that usually runs on plain HTTP on a venue LAN: a strict CSP, no HSTS and no
 * upgrade to HTTPS.
 */
export function securityHeaders(): RequestHandler {
  return (req, res, next) => {
    res.set({
      'Content-Security-Policy': contentSecurityPolicy(req.get('host') ?? ''),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'X-Frame-Options': 'SAMEORIGIN',
    });
    next();
  };
}
