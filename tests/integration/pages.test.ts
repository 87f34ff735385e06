import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT_DIR } from '../../server/app.ts';
import { SESSION_INFO_BLOCK_ID } from '../../shared/contract.ts';
import { useServerWithSession } from '../support/fixtures.ts';
import { createSession } from '../support/test-app.ts';

const ctx = useServerWithSession();

/** node's fetch always asks for gzip and inflates it; http.get shows the bytes on the wire. */
async function rawGet(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; body: Buffer }> {
  const { default: http } = await import('node:http');
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: new Headers(response.headers as Record<string, string>),
            body: Buffer.concat(chunks),
          }),
        );
      })
      .on('error', reject);
  });
}

/** The text of the join page's session-info data block, or null when the page has none. */
function sessionInfoBlock(html: string): string | null {
  const opening = `<script type="application/json" id="${SESSION_INFO_BLOCK_ID}">`;
  const start = html.indexOf(opening);
  if (start === -1) return null;
  return html.slice(start + opening.length, html.indexOf('</script>', start));
}

describe('pages and assets', () => {
  it('serves the join page with a strict CSP and no HSTS', async () => {
    const page = await rawGet(`${ctx.server.baseUrl}/join/${ctx.session.session.code}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self';");
    expect(page.headers.get('content-security-policy')).toContain('ws://127.0.0.1:');
    expect(page.headers.get('strict-transport-security')).toBeNull();
  });

  it('gives the join page one script to fetch and its stylesheet inline, allowed by hash without unsafe-inline', async () => {
    const page = await rawGet(`${ctx.server.baseUrl}/join/${ctx.session.session.code}`);
    const html = page.body.toString('utf8');
    expect(html.match(/<script type="module"[^>]* src="\/assets\/[^"]+\.js"><\/script>/g)).toHaveLength(1);
    expect(html).not.toMatch(/<link rel="(stylesheet|modulepreload)"/);
    const css = /<style>([^<]*)<\/style>/.exec(html)?.[1];
    if (!css) throw new Error('the join page has no inline stylesheet');
    const styleSrc = page.headers.get('content-security-policy')?.split('; ').find((directive) => directive.startsWith('style-src '));
    expect(styleSrc).toBe(`style-src 'self' 'sha256-${createHash('sha256').update(css).digest('base64')}'`);
    // The other pages keep theirs (reveal.js positions slides with style attributes).
    const projector = await rawGet(`${ctx.server.baseUrl}/present/${ctx.session.session.code}`);
    expect(projector.headers.get('content-security-policy')).toContain("style-src 'self' 'unsafe-inline'");
  });

  it('puts the session\'s public info in the join page, the same as GET /api/sessions/:code answers', async () => {
    const code = ctx.session.session.code;
    const page = await rawGet(`${ctx.server.baseUrl}/join/${code}`);
    const block = sessionInfoBlock(page.body.toString('utf8'));
    if (block === null) throw new Error('the join page has no session-info block');
    const api = (await (await fetch(`${ctx.server.baseUrl}/api/sessions/${code}`)).json()) as unknown;
    expect(JSON.parse(block)).toEqual(api);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const revisit = await rawGet(`${ctx.server.baseUrl}/join/${code}`, { 'If-None-Match': page.headers.get('etag') ?? '' });
    expect(revisit.status).toBe(304);
  });

  it('keeps a hostile title inside the join page\'s data block: no </script> or <!-- reaches the HTML', async () => {
    const title = '</script><script>alert(1)</script><!--<script>';
    const hostile = await createSession(ctx.server.baseUrl, { course: 'sample', title });
    const html = (await rawGet(`${ctx.server.baseUrl}/join/${hostile.session.code}`)).body.toString('utf8');
    const block = sessionInfoBlock(html);
    if (block === null) throw new Error('the join page has no session-info block');
    expect(block).not.toMatch(/[<>&]/);
    expect((JSON.parse(block) as { data: { session: { title: string } } }).data.session.title).toBe(title);
    const plain = (await rawGet(`${ctx.server.baseUrl}/join/${ctx.session.session.code}`)).body.toString('utf8');
    const elementEnds = (text: string): number => text.split('</script>').length;
    expect(elementEnds(html)).toBe(elementEnds(plain));
  });

  it('says in the join page that an unknown code names no session, and counts it as a failed lookup', async () => {
    const page = await rawGet(`${ctx.server.baseUrl}/join/ZZZZZZ`);
    expect(page.status).toBe(200);
    expect(JSON.parse(sessionInfoBlock(page.body.toString('utf8')) ?? 'null')).toMatchObject({ ok: false, error: { code: 'session_not_found' } });
    for (let lookup = 1; lookup < 30; lookup++) await rawGet(`${ctx.server.baseUrl}/join/ZZZZZZ`);
    const limited = await rawGet(`${ctx.server.baseUrl}/join/${ctx.session.session.code}`);
    expect(JSON.parse(sessionInfoBlock(limited.body.toString('utf8')) ?? 'null')).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
  });

  it('sends the precompressed asset to browsers that accept gzip, the plain one to others', async () => {
    const assetsDir = path.join(DEFAULT_CLIENT_DIR, 'assets');
    // The chunk with socket.io-client, shared by the pages (its name follows whichever module Rollup names it after).
    const script = fs
      .readdirSync(assetsDir)
      .filter((name) => name.endsWith('.js'))
      .find((name) => fs.readFileSync(path.join(assetsDir, name), 'utf8').includes('engine.io'));
    if (!script) throw new Error('no socket chunk in the build');
    const url = `${ctx.server.baseUrl}/assets/${script}`;
    const plain = fs.readFileSync(path.join(assetsDir, script));

    const gzipped = await rawGet(url, { 'Accept-Encoding': 'gzip, deflate, br' });
    expect(gzipped.headers.get('content-encoding')).toBe('gzip');
    expect(gzipped.headers.get('content-type')).toContain('javascript');
    expect(gzipped.body.length).toBeLessThan(plain.length / 2);
    expect(zlib.gunzipSync(gzipped.body).equals(plain)).toBe(true);

    const identity = await rawGet(url);
    expect(identity.headers.get('content-encoding')).toBeNull();
    expect(identity.body.equals(plain)).toBe(true);
    expect((await rawGet(`${ctx.server.baseUrl}/assets/..%2F..%2Fpackage.json`, { 'Accept-Encoding': 'gzip' })).status).toBe(404);
  });

  it('sends a typed join code from the home page to the join page', async () => {
    const redirect = await rawGet(`${ctx.server.baseUrl}/join?code=${ctx.session.session.code.toLowerCase()}`);
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe(`/join/${ctx.session.session.code}`);
    expect((await rawGet(`${ctx.server.baseUrl}/join?code=nope`)).headers.get('location')).toBe('/?error=code');
  });
});
