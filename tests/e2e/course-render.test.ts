import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { apiPaths, PRESENTER_KEY_HEADER, type DeckPayload, type DeckQuestion } from '../../shared/contract.ts';
import { SCREENSHOT_DIR } from '../support/browser.ts';
import { useServerAndBrowser } from '../support/fixtures.ts';
import { createSession, REAL_COURSES_DIR } from '../support/test-app.ts';

const ctx = useServerAndBrowser({ coursesDir: REAL_COURSES_DIR });

/** The smallest text a participant must read, and the smallest citation or slide furniture (px at 1280×720). */
const MIN_READ_PX = 28;
const MIN_FURNITURE_PX = 20;
/** Citations and slide furniture, which may be smaller than the text people must read (but not below 20 px). */
const FURNITURE = '.basis, .case-label, .question-kind span, .status-badge, .round-controls, .hud, .slide-number, .break-until, .break-minutes';

interface SlideReport {
  index: number;
  slideId: string;
  overflow: string[];
  /** The visible text of the slide, without speaker notes. */
  text: string;
  /** The smallest text to read and the smallest furniture, as shown (font size × reveal's scale), with where. */
  smallestRead: { px: number; what: string };
  smallestFurniture: { px: number; what: string };
}

/**
 * Describes every element of the current slide that sticks out of the 1280×720 slide area or covers
 * the corner join code, and the smallest text shown on it (with the join code bar and slide number).
 */
function measureCurrentSlide(page: Page, furniture: string): Promise<SlideReport> {
  return page.evaluate((furnitureSelector) => {
    const slides = document.querySelector('.reveal .slides') as HTMLElement;
    const area = slides.getBoundingClientRect();
    const scale = area.width / slides.offsetWidth;
    const hud = (document.querySelector('#hud') as HTMLElement).getBoundingClientRect();
    const section = document.querySelector('.reveal .slides > section.present') as HTMLElement;
    const overflow: string[] = [];
    const smallestRead = { px: Infinity, what: '' };
    const smallestFurniture = { px: Infinity, what: '' };
    const describe = (element: Element): string => `${element.tagName.toLowerCase()}.${element.className} "${(element.textContent ?? '').trim().slice(0, 30)}"`;
    const onSlide = [section, ...Array.from(section.querySelectorAll<HTMLElement>('*'))];
    const aroundSlide = Array.from(document.querySelectorAll<HTMLElement>('#hud, #hud *, .reveal .slide-number, .reveal .slide-number *'));
    for (const element of [...onSlide, ...aroundSlide]) {
      if (element.closest('aside.notes, [hidden]')) continue;
      const box = element.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      const isOnSlide = section.contains(element);
      const hasText = Array.from(element.childNodes).some((node) => node.nodeType === Node.TEXT_NODE && (node.textContent ?? '').trim() !== '');
      if (isOnSlide && (box.bottom > area.bottom + 1 || box.right > area.right + 1 || box.left < area.left - 1 || box.top < area.top - 1)) {
        overflow.push(describe(element));
      } else if (isOnSlide && hasText && box.bottom > hud.top + 1 && box.left < hud.right - 1) {
        overflow.push(`under the join code: ${describe(element)}`);
      }
      if (!hasText) continue;
      const px = Math.round(parseFloat(getComputedStyle(element).fontSize) * (isOnSlide ? scale : 1) * 10) / 10;
      const smallest = element.closest(furnitureSelector) ? smallestFurniture : smallestRead;
      if (px < smallest.px) Object.assign(smallest, { px, what: describe(element) });
    }
    const index = Array.from(slides.children).indexOf(section);
    return { index, slideId: section.dataset.slideId ?? 'title', overflow, text: section.innerText.trim(), smallestRead, smallestFurniture };
  }, furniture);
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

async function walkDeck(variant: string): Promise<{ count: number; problems: string[]; smallest: { read: number; furniture: number } }> {
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
  const smallest = { read: Infinity, furniture: Infinity };
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
      const open = await measureCurrentSlide(page, FURNITURE);
      problems.push(...tooSmall(variant, index, open));
      if (open.overflow.length > 0) problems.push(`${variant} slide ${index + 1} (${open.slideId}) while open: ${open.overflow.slice(0, 3).join('; ')}`);
      const question = questions.get(open.slideId);
      if (!question) problems.push(`${variant} slide ${index + 1} (${open.slideId}) asks no question of the deck`);
      const leaked = question ? answerTextShown(question, open.text) : [];
      if (leaked.length > 0) problems.push(`${variant} slide ${index + 1} (${open.slideId}) shows while open: ${leaked.map((text) => text.slice(0, 30)).join(' / ')}`);
      // Measure the tallest state: after the reveal, with the 解説 shown.
      await page.keyboard.press('e');
      await page.locator('section.present .question-panel[data-status="revealed"]').waitFor();
      if (question?.kind === 'case') await page.screenshot({ path: `${SCREENSHOT_DIR}/revealed-${variant}-${open.slideId}.png` });
    }
    const report = await measureCurrentSlide(page, FURNITURE);
    problems.push(...tooSmall(variant, index, report));
    smallest.read = Math.min(smallest.read, report.smallestRead.px);
    smallest.furniture = Math.min(smallest.furniture, report.smallestFurniture.px);
    if (report.text.length === 0) problems.push(`${variant} slide ${index + 1} (${report.slideId}) shows no text`);
    if (report.overflow.length > 0) {
      problems.push(`${variant} slide ${index + 1} (${report.slideId}): ${report.overflow.slice(0, 3).join('; ')}`);
      await page.screenshot({ path: `${SCREENSHOT_DIR}/overflow-${variant}-${index + 1}.png` });
    }
  }
  await page.close();
  return { count: total, problems: [...problems, ...errors.map((error) => `${variant}: ${error}`)], smallest };
}

function tooSmall(variant: string, index: number, report: SlideReport): string[] {
  const where = `${variant} slide ${index + 1} (${report.slideId})`;
  return [
    report.smallestRead.px < MIN_READ_PX ? `${where}: text of ${report.smallestRead.px} px: ${report.smallestRead.what}` : null,
    report.smallestFurniture.px < MIN_FURNITURE_PX ? `${where}: citation or furniture of ${report.smallestFurniture.px} px: ${report.smallestFurniture.what}` : null,
  ].filter((problem): problem is string => problem !== null);
}

describe('the kasuhara course in the projector deck at 1280×720', () => {
  for (const variant of ['full', 'field']) {
    it(`renders every slide of the ${variant} variant without errors or overflow, readable from the back row, and no answer before its reveal`, { timeout: 240_000 }, async () => {
      const { count, problems, smallest } = await walkDeck(variant);
      expect(count).toBeGreaterThan(20);
      expect(problems).toEqual([]);
      console.log(`${variant}: ${count} slides; smallest text to read ${smallest.read} px, smallest citation or furniture ${smallest.furniture} px`);
    });
  }
});
