import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { apiPaths, PRESENTER_KEY_HEADER, type DeckPayload, type DeckQuestion } from '../../shared/contract.ts';
import { SCREENSHOT_DIR } from '../support/browser.ts';
import { useServerAndBrowser } from '../support/fixtures.ts';
import { createSession, REAL_COURSES_DIR } from '../support/test-app.ts';

const ctx = useServerAndBrowser({ coursesDir: REAL_COURSES_DIR });

interface SlideReport {
  index: number;
  slideId: string;
  overflow: string[];
  /** The visible text of the slide, without speaker notes. */
  text: string;
}

/** Describes every element of the current slide that sticks out of the 1280×720 slide area. */
function measureCurrentSlide(page: Page): Promise<SlideReport> {
  return page.evaluate(() => {
    const slides = document.querySelector('.reveal .slides') as HTMLElement;
    const area = slides.getBoundingClientRect();
    const section = document.querySelector('.reveal .slides > section.present') as HTMLElement;
    const overflow: string[] = [];
    for (const element of [section, ...Array.from(section.querySelectorAll<HTMLElement>('*'))]) {
      if (element.closest('aside.notes, [hidden]')) continue;
      const box = element.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      if (box.bottom > area.bottom + 1 || box.right > area.right + 1 || box.left < area.left - 1 || box.top < area.top - 1) {
        overflow.push(`${element.tagName.toLowerCase()}.${element.className} "${(element.textContent ?? '').trim().slice(0, 30)}"`);
      }
    }
    const index = Array.from(slides.children).indexOf(section);
    return { index, slideId: section.dataset.slideId ?? 'title', overflow, text: section.innerText.trim() };
  });
}

/** The deck's questions by slide id, answers included, as only the presenter key gets them. */
async function questionsBySlide(code: string, presenterKey: string): Promise<Map<string, DeckQuestion>> {
  const response = await fetch(`${ctx.server.baseUrl}${apiPaths.deck(code)}`, { headers: { [PRESENTER_KEY_HEADER]: presenterKey } });
  const deck = ((await response.json()) as { data: DeckPayload }).data;
  const questions = new Map<string, DeckQuestion>();
  for (const chapter of deck.chapters) for (const slide of chapter.slides) if (slide.kind === 'question') questions.set(slide.id, slide.question);
  return questions;
}

/** What of the answer a question slide shows while voting is open: nothing is allowed. */
function answerTextShown(question: DeckQuestion, visibleText: string): string[] {
  const { explanation, lesson, outcome } = question.reveal;
  const isChoiceLabel = question.options.some((option) => option.text === outcome);
  const secrets = [explanation, lesson, isChoiceLabel ? null : outcome, '正解:'].filter((text): text is string => Boolean(text));
  return secrets.filter((secret) => visibleText.includes(secret));
}

async function walkDeck(variant: string): Promise<{ count: number; problems: string[] }> {
  const session = await createSession(ctx.server.baseUrl, { course: 'kasuhara', variant });
  const questions = await questionsBySlide(session.session.code, session.presenterKey);
  const page = await ctx.browser.newPage({ viewport: { width: 1280, height: 720 }, reducedMotion: 'reduce' });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(`${ctx.server.baseUrl}/present/${session.session.code}#key=${session.presenterKey}`);
  await page.locator('.reveal.ready').waitFor();
  const total = await page.locator('.reveal .slides > section').count();
  const problems: string[] = [];
  for (let index = 0; index < total; index += 1) {
    if (index > 0) {
      await page.keyboard.press('ArrowRight');
      await page.waitForFunction((expected) => {
        const present = document.querySelector('.reveal .slides > section.present');
        return present && Array.from(present.parentElement!.children).indexOf(present) === expected;
      }, index);
    }
    const isQuestion = (await page.locator('.reveal .slides > section.present.question-slide').count()) > 0;
    if (isQuestion) {
      await page.locator('section.present .question-panel[data-status="open"]').waitFor();
      const open = await measureCurrentSlide(page);
      const question = questions.get(open.slideId);
      if (!question) problems.push(`${variant} slide ${index + 1} (${open.slideId}) asks no question of the deck`);
      const leaked = question ? answerTextShown(question, open.text) : [];
      if (leaked.length > 0) problems.push(`${variant} slide ${index + 1} (${open.slideId}) shows while open: ${leaked.map((text) => text.slice(0, 30)).join(' / ')}`);
      // Measure the tallest state: after the reveal, with the 解説 shown.
      await page.keyboard.press('e');
      await page.locator('section.present .question-panel[data-status="revealed"]').waitFor();
    }
    const report = await measureCurrentSlide(page);
    if (report.text.length === 0) problems.push(`${variant} slide ${index + 1} (${report.slideId}) shows no text`);
    if (report.overflow.length > 0) {
      problems.push(`${variant} slide ${index + 1} (${report.slideId}): ${report.overflow.slice(0, 3).join('; ')}`);
      await page.screenshot({ path: `${SCREENSHOT_DIR}/overflow-${variant}-${index + 1}.png` });
    }
  }
  await page.close();
  return { count: total, problems: [...problems, ...errors.map((error) => `${variant}: ${error}`)] };
}

describe('the kasuhara course in the projector deck at 1280×720', () => {
  for (const variant of ['full', 'field']) {
    it(`renders every slide of the ${variant} variant without errors or overflow, and no answer before its reveal`, { timeout: 240_000 }, async () => {
      const { count, problems } = await walkDeck(variant);
      expect(count).toBeGreaterThan(20);
      expect(problems).toEqual([]);
    });
  }
});
