/**
 * The participant page's transfer size: /join/CODE and every script, style sheet and module it pulls
 * in, each fetched from the running server: raw, as the server sends it to a browser that accepts
 * gzip, and compressed here with gzip -6 and brotli for comparison.
 */
import { gzipSync, brotliCompressSync } from 'node:zlib';

export interface PageResource {
  path: string;
  bytes: number;
  /** What the server sends to a browser that accepts gzip (its precompressed asset, or the raw bytes). */
  sentBytes: number;
  gzipBytes: number;
  brotliBytes: number;
}

export interface PageWeight {
  path: string;
  resources: PageResource[];
  totalBytes: number;
  totalSentBytes: number;
  totalGzipBytes: number;
  totalBrotliBytes: number;
  /** Whether the server itself compressed any response (Content-Encoding). */
  isServedCompressed: boolean;
}

const MAX_RESOURCES = 50;

/** Same-origin URLs the HTML loads: scripts, style sheets and module preloads. */
function findReferencesInHtml(html: string): string[] {
  const found: string[] = [];
  for (const match of html.matchAll(/<(script|link)\b[^>]*>/gi)) {
    const tag = match[0];
    const url = /\b(?:src|href)="([^"]+)"/i.exec(tag)?.[1];
    if (!url || !url.startsWith('/') || url.startsWith('//')) continue;
    if (match[1]?.toLowerCase() === 'link' && !/rel="(stylesheet|modulepreload|preload)"/i.test(tag)) continue;
    found.push(url);
  }
  return found;
}

/** Static and dynamic imports of sibling chunks in a built module (Vite writes them as "./name.js"). */
function findReferencesInScript(script: string, scriptPath: string): string[] {
  const folder = scriptPath.slice(0, scriptPath.lastIndexOf('/') + 1);
  const found: string[] = [];
  for (const match of script.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)["'](\.\/[^"']+\.js)["']/g)) {
    if (match[1]) found.push(folder + match[1].slice(2));
  }
  return found;
}

/** The bytes on the wire when the browser accepts gzip: Content-Length of an encoded response. */
async function measureSentBytes(url: string, rawBytes: number): Promise<number> {
  const response = await fetch(url, { headers: { 'Accept-Encoding': 'gzip' }, signal: AbortSignal.timeout(10_000) });
  await response.arrayBuffer();
  const length = Number(response.headers.get('content-length'));
  return response.headers.get('content-encoding') && length > 0 ? length : rawBytes;
}

export async function measurePageWeight(baseUrl: string, pagePath: string): Promise<PageWeight> {
  const resources: PageResource[] = [];
  const queue = [pagePath];
  const seen = new Set<string>(queue);
  let isServedCompressed = false;
  while (queue.length > 0 && resources.length < MAX_RESOURCES) {
    const path = queue.shift() as string;
    const response = await fetch(baseUrl + path, { headers: { 'Accept-Encoding': 'identity' }, signal: AbortSignal.timeout(10_000) });
    if (!response.ok) throw new Error(`GET ${path}: ${response.status}`);
    if (response.headers.get('content-encoding')) isServedCompressed = true;
    const body = Buffer.from(await response.arrayBuffer());
    const sentBytes = await measureSentBytes(baseUrl + path, body.length);
    if (sentBytes < body.length) isServedCompressed = true;
    resources.push({ path, bytes: body.length, sentBytes, gzipBytes: gzipSync(body, { level: 6 }).length, brotliBytes: brotliCompressSync(body).length });
    const text = body.toString('utf8');
    const type = response.headers.get('content-type') ?? '';
    const references = type.includes('html') ? findReferencesInHtml(text) : type.includes('javascript') ? findReferencesInScript(text, path) : [];
    for (const reference of references) {
      if (seen.has(reference)) continue;
      seen.add(reference);
      queue.push(reference);
    }
  }
  const sum = (pick: (resource: PageResource) => number): number => resources.reduce((total, resource) => total + pick(resource), 0);
  return {
    path: pagePath,
    resources,
    totalBytes: sum((resource) => resource.bytes),
    totalSentBytes: sum((resource) => resource.sentBytes),
    totalGzipBytes: sum((resource) => resource.gzipBytes),
    totalBrotliBytes: sum((resource) => resource.brotliBytes),
    isServedCompressed,
  };
}
