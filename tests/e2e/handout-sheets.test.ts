import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT_DIR } from '../../server/app.ts';
import { CourseCatalog } from '../../server/course/course-catalog.ts';
import { createHandoutRouter } from '../../server/transport/http/handout.router.ts';
import { createPagesRouter } from '../../server/transport/http/pages.router.ts';
import { securityHeaders } from '../../server/transport/http/security-headers.ts';
import type { HandoutPayload } from '../../shared/course.ts';
import { launchChromium, SCREENSHOT_DIR } from '../support/browser.ts';
import { REAL_COURSES_DIR } from '../support/test-app.ts';

/**
 * Mounts the handout router itself (beside the pages router for /assets, behind the same security
 * headers as the app), so the test does not depend on where createApp mounts it.
 */
let server: http.Server;
let baseUrl: string;
let browser: Browser;

beforeAll(async () => {
  if (!fs.existsSync(path.join(DEFAULT_CLIENT_DIR, 'handout', 'index.html'))) {
    throw new Error(`the handout page is not built in ${DEFAULT_CLIENT_DIR}: run npm run build`);
  }
  const web = express();
  web.use(securityHeaders());
  web.use(createHandoutRouter(CourseCatalog.fromFolder(REAL_COURSES_DIR), DEFAULT_CLIENT_DIR));
  web.use(createPagesRouter(DEFAULT_CLIENT_DIR));
  server = http.createServer(web);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

function countPdfPages(pdf: Buffer): number {
  return pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)?.length ?? 0;
}

async function handoutOf(variant: string): Promise<HandoutPayload> {
  const response = await fetch(`${baseUrl}/api/courses/kasuhara/handouts?variant=${variant}`);
  expect(response.status).toBe(200);
  const body = (await response.json()) as { ok: boolean; data: HandoutPayload };
  expect(body.ok).toBe(true);
  return body.data;
}

describe('the handout sheets print page (/handout/:courseId)', () => {
  it('sends only the sheets of the chapters a variant teaches, with discussion prompts but no answers', async () => {
    const full = await handoutOf('full');
    const field = await handoutOf('field');
    expect(full.course.legalCheckedOn).toBe('2026-11-28');
    const fieldChapters = new Set(field.sheets.flatMap((sheet) => sheet.chapter ?? []));
    for (const untaught of ['ch1-company', 'ch2-employees', 'ch7-damages', 'ch8-service-recovery']) expect(fieldChapters.has(untaught), untaught).toBe(false);
    expect(new Set(full.sheets.flatMap((sheet) => sheet.chapter ?? []))).toContain('ch8-service-recovery');
    const discussions = full.sheets.filter((sheet) => sheet.kind === 'discussion');
    expect(discussions.length).toBeGreaterThanOrEqual(8);
    for (const sheet of discussions) expect(sheet.questionPrompt, sheet.id).toBeTruthy();
    expect(JSON.stringify(full)).not.toMatch(/"answer"/);
    expect((await fetch(`${baseUrl}/api/courses/kasuhara/handouts?variant=nope`)).status).toBe(404);
    expect((await fetch(`${baseUrl}/handout/no-such-course`)).status).toBe(404);
  });

  for (const variant of ['full', 'field']) {
    it(`prints every sheet of the ${variant} variant on exactly one A4 page, with no error under the CSP`, { timeout: 120_000 }, async () => {
      const payload = await handoutOf(variant);
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      page.on('request', (request) => {
        if (!request.url().startsWith(baseUrl) && !request.url().startsWith('data:')) errors.push(`outside request: ${request.url()}`);
      });
      await page.goto(`${baseUrl}/handout/kasuhara?variant=${variant}`);
      await page.locator('main[data-ready="true"]').waitFor();
      expect(await page.locator('section.sheet').count()).toBe(payload.sheets.length);
      const firstTitle = await page.locator('section.sheet h2').first().textContent();
      expect(firstTitle).toBe(payload.sheets[0]!.title);

      await page.emulateMedia({ media: 'print' });
      const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true });
      fs.writeFileSync(path.join(SCREENSHOT_DIR, `handout-sheets-${variant}.pdf`), pdf);
      expect(countPdfPages(pdf)).toBe(payload.sheets.length);
      expect(errors).toEqual([]);
      await page.close();
    });
  }
});
