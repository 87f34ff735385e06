import fs from 'node:fs';
import path from 'node:path';
import express, { Router, type RequestHandler } from 'express';
import { JoinCode } from '../../../shared/protocol.ts';
import type { RoomRegistry } from '../../live/room-registry.ts';
import type { RateLimits } from '../rate-limits.ts';
import { prepareJoinPage, publicSessionInfoWithHome } from './join-page.ts';
import { contentSecurityPolicy } from './security-headers.ts';
import { lookUpPublic } from './respond.ts';

/** The built browser pages served as they are, one HTML entry per person, each taking the join code from its path. */
const STATIC_PAGES = { present: 'present', console: 'console', organizer: 'organizer' } as const;

/** What the join page needs to carry the session's public info. */
export interface PagesRouterOptions {
  rooms: RoomRegistry;
  limits: RateLimits;
}

export function createPagesRouter(clientDir: string, { rooms, limits }: PagesRouterOptions): Router {
  const router = Router();
  const joinHtml = path.join(clientDir, 'join', 'index.html');
  if (!fs.existsSync(joinHtml)) {
    throw new Error(`the browser build is missing in ${clientDir}: run npm run build`);
  }
  const joinPage = prepareJoinPage(fs.readFileSync(joinHtml, 'utf8'));
  const assetsDir = path.join(clientDir, 'assets');
  router.use('/assets', precompressedAssets(assetsDir));
  router.use('/assets', express.static(assetsDir, { immutable: true, maxAge: '365d', index: false }));

  /** Sends a lower-case or padded code to its canonical address; true when it did. */
  const redirectToCanonical = (route: string, param: string, res: express.Response): boolean => {
    const code = JoinCode.safeParse(param);
    if (!code.success || code.data === param) return false;
    res.redirect(302, `/${route}/${code.data}`);
    return true;
  };
  // The same lookup (and the same limit on unknown codes) as GET /api/sessions/:code, whose answer it
  // carries: answered on any node, as a scanned QR code names no node.
  router.get('/join/:code', async (req, res) => {
    if (redirectToCanonical('join', req.params.code, res)) return;
    const found = await lookUpPublic(rooms, req, limits);
    const info = 'view' in found ? { ok: true as const, data: await publicSessionInfoWithHome(rooms, found.view) } : { ok: false as const, error: found.error };
    res.set({ 'Cache-Control': 'no-cache', 'Content-Security-Policy': contentSecurityPolicy(req.get('host') ?? '', joinPage.styleSources) });
    res.type('html').send(joinPage.render(info));
  });
  for (const [route, folder] of Object.entries(STATIC_PAGES)) {
    const html = path.join(clientDir, folder, 'index.html');
    router.get(`/${route}/:code`, (req, res) => {
      if (redirectToCanonical(route, req.params.code, res)) return;
      res.set('Cache-Control', 'no-cache').sendFile(html);
    });
  }
  // A participant who cannot scan types the address and the code into the form on the home page.
  router.get('/join', (req, res) => {
    const code = JoinCode.safeParse(req.query.code);
    res.redirect(302, code.success ? `/join/${code.data}` : '/?error=code');
  });
  router.get('/admin', (_req, res) => res.set('Cache-Control', 'no-cache').sendFile(path.join(clientDir, 'admin', 'index.html')));
  router.get('/', (_req, res) => res.set('Cache-Control', 'no-cache').sendFile(path.join(clientDir, 'index.html')));
  return router;
}

/**
 * Sends the .gz the build wrote beside an asset when the browser accepts gzip: a third of the bytes
 * over crowded venue Wi-Fi, at no CPU cost per request. Only names listed at start-up are served.
 */
function precompressedAssets(assetsDir: string): RequestHandler {
  const gzipped = new Set(
    fs
      .readdirSync(assetsDir)
      .filter((name) => name.endsWith('.gz'))
      .map((name) => name.slice(0, -'.gz'.length)),
  );
  return (req, res, next) => {
    const name = req.path.slice(1);
    res.vary('Accept-Encoding');
    if (!gzipped.has(name) || !req.acceptsEncodings('gzip')) return next();
    res.set({ 'Content-Encoding': 'gzip', 'Cache-Control': 'public, max-age=31536000, immutable' });
    res.type(path.extname(name));
    res.sendFile(path.join(assetsDir, `${name}.gz`));
  };
}
