import { describe, expect, it } from 'vitest';
import { useServerAndBrowser } from '../support/fixtures.ts';
import { createSession, REAL_COURSES_DIR } from '../support/test-app.ts';

const ctx = useServerAndBrowser({ coursesDir: REAL_COURSES_DIR });

function countPdfPages(pdf: Buffer): number {
  return pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)?.length ?? 0;
}

/** The first speaker note of the field variant's opening. */
const FIRST_NOTE = '法律の話は最初の10分だけ';

describe('the handout (?print-pdf)', () => {
  it('prints one page per slide, with answers on the question pages, and asks nothing of the room', async () => {
    const session = await createSession(ctx.server.baseUrl, { course: 'kasuhara', variant: 'field' });
    const page = await ctx.browser.newPage();
    await page.goto(`${ctx.server.baseUrl}/present/${session.session.code}?print-pdf#key=${session.presenterKey}`);
    await page.locator('html.reveal-print .pdf-page').first().waitFor();
    const slideCount = await page.locator('.reveal .slides section').count();
    const handoutPanels = page.locator('.question-panel[data-status="handout"] .reveal-box:not([hidden])');
    expect(await handoutPanels.count()).toBe(await page.locator('.question-panel').count());
    await expect.poll(() => page.locator('.question-panel').count()).toBeGreaterThan(10);

    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    expect(countPdfPages(pdf)).toBe(slideCount);
    expect((await ctx.server.app.rooms.find(session.session.code))?.rounds).toHaveLength(0);
    // Speaker notes are printed only when asked for, fetched from the notes route; break slots are not printed.
    expect(await page.content()).not.toContain(FIRST_NOTE);
    expect(await page.locator('[data-slide-kind="break"]').count()).toBe(0);
    await page.goto(`${ctx.server.baseUrl}/present/${session.session.code}?print-pdf&showNotes=separate-page#key=${session.presenterKey}`);
    await page.locator('html.reveal-print .pdf-page').first().waitFor();
    await page.getByText(FIRST_NOTE).first().waitFor({ state: 'attached' });
    await page.close();
  });
});
