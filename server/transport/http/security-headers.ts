import type { RequestHandler } from 'express';

/**
 * Headers for a server that usually runs on plain HTTP on a venue LAN: a strict CSP with WebSocket
 * origins listed explicitly (Safari does not count them as 'self'), no HSTS and no upgrade to HTTPS.
 * reveal.js positions slides with inline style attributes, hence 'unsafe-inline' for styles only.
 */
export function securityHeaders(): RequestHandler {
  return (req, res, next) => {
    const host = req.get('host') ?? '';
    res.set({
      'Content-Security-Policy': [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        `connect-src 'self' ws://${host} wss://${host}`,
        "frame-ancestors 'self'",
        "base-uri 'none'",
        "form-action 'self'",
        "object-src 'none'",
      ].join('; '),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'X-Frame-Options': 'SAMEORIGIN',
    });
    next();
  };
}
