import fs from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';
import { JoinCode } from '../../../shared/protocol.ts';

/** The built browser pages, one HTML entry per person, each taking the join code from its path. */
const PAGES = { join: 'join', present: 'present', organizer: 'organizer' } as const;

export function createPagesRouter(clientDir: string): Router {
  const router = Router();
  if (!fs.existsSync(path.join(clientDir, 'join', 'index.html'))) {
    throw new Error(`the browser build is missing in ${clientDir}: run npm run build`);
  }
  router.use('/assets', express.static(path.join(clientDir, 'assets'), { immutable: true, maxAge: '365d', index: false }));

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
  router.get('/', (_req, res) => res.set('Cache-Control', 'no-cache').sendFile(path.join(clientDir, 'index.html')));
  return router;
}
