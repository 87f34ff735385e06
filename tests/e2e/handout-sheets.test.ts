import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HandoutPayload } from '../../shared/course.ts';
import { SCREENSHOT_DIR } from '../support/browser.ts';
import { useServerAndBrowser } from '../support/fixtures.ts';
import { REAL_COURSES_DIR } from '../support/test-app.ts';

const ctx = useServerAndBrowser({ coursesDir: REAL_COURSES_DIR });

function countPdfPages(pdf: Buffer): number {
  return pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)?.length ?? 0;
}

async function handoutOf(variant: string): Promise<HandoutPayload> {
  const response = await fetch(`${ctx.server.baseUrl}/api/courses/kasuhara/handouts?variant=${variant}`);
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
    expect((await fetch(`${ctx.server.baseUrl}/api/courses/kasuhara/handouts?variant=nope`)).status).toBe(404);
    expect((await fetch(`${ctx.server.baseUrl}/handout/no-such-course`)).status).toBe(404);
  });

  for (const variant of ['full', 'field']) {
    it(`prints every sheet of the ${variant} variant on exactly one A4 page, with no error under the CSP`, { timeout: 120_000 }, async () => {
      const payload = await handoutOf(variant);
      const page = await ctx.browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      page.on('request', (request) => {
        if (!request.url().startsWith(ctx.server.baseUrl) && !request.url().startsWith('data:')) errors.push(`outside request: ${request.url()}`);
      });
      await page.goto(`${ctx.server.baseUrl}/handout/kasuhara?variant=${variant}`);
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
