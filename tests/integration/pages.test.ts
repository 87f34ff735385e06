import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT_DIR } from '../../server/app.ts';
import { useServerWithSession } from '../support/fixtures.ts';

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

describe('pages and assets', () => {
  it('serves the join page with a strict CSP and no HSTS', async () => {
    const page = await rawGet(`${ctx.server.baseUrl}/join/${ctx.session.session.code}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(page.headers.get('content-security-policy')).toContain('ws://127.0.0.1:');
    expect(page.headers.get('strict-transport-security')).toBeNull();
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
