import fs from 'node:fs';
import path from 'node:path';
import express, { Router, type RequestHandler } from 'express';
import { JoinCode } from '../../../shared/protocol.ts';

/** The built browser pages, one HTML entry per person, each taking the join code from its path. */
const PAGES = { join: 'join', present: 'present', console: 'console', organizer: 'organizer' } as const;

export function createPagesRouter(clientDir: string): Router {
  const router = Router();
  if (!fs.existsSync(path.join(clientDir, 'join', 'index.html'))) {
    throw new Error(`the browser build is missing in ${clientDir}: run npm run build`);
  }
  const assetsDir = path.join(clientDir, 'assets');
  router.use('/assets', precompressedAssets(assetsDir));
  router.use('/assets', express.static(assetsDir, { immutable: true, maxAge: '365d', index: false }));

  for (const [route, folder] of Object.entries(PAGES)) {
    const html = path.join(clientDir, folder, 'index.html');
    router.get(`/${route}/:code`, (req, res) => {
      const code = JoinCode.safeParse(req.params.code);
      if (code.success && code.data !== req.params.code) return res.redirect(302, `/${route}/${code.data}`);
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
