/** Turns the deck payload into reveal.js sections; Markdown slides are rendered by reveal's plugin. */
import { apiPaths, TITLE_SLIDE_ID, type DeckPayload, type DeckSlide, type TestKind } from '../../shared/contract.ts';
import { startsAtDisplay } from '../../shared/japan-time.ts';
import { el } from '../lib/dom.ts';
import { QuestionPanel, type PanelControls } from './question-panel.ts';
import { TestPanel, type TestControls } from './test-panel.ts';
import { t } from './strings.ts';

export interface BuiltDeck {
  sections: HTMLElement[];
  /** The question panels by question id. */
  panels: Map<string, QuestionPanel>;
  /** The test slides' panels by test kind. */
  testPanels: Map<TestKind, TestPanel>;
}

/** The session's own title (when the organizer gave one), client and date, e.g. 「12月研修 ・ 株式会社A 御中 ・ 2026/12/01 14:00」. */
function sessionLine(deck: DeckPayload): string {
  const { session } = deck;
  const isOwnTitle = session.title !== `${deck.courseTitle}｜${deck.variant.title}`;
  return [isOwnTitle ? session.title : '', session.clientName ? t.clientHonorific(session.clientName) : '', startsAtDisplay(session.startsAt)]
    .filter((part) => part !== '')
    .join(' ・ ');
}

function titleSlide(deck: DeckPayload, code: string): HTMLElement {
  return el('section', { className: 'title-slide', attrs: { 'data-slide-kind': 'title', 'data-slide-id': TITLE_SLIDE_ID } }, [
    el('div', { className: 'title-text' }, [
      el('h1', { text: deck.courseTitle }),
      deck.subtitle ? el('p', { className: 'subtitle', text: deck.subtitle }) : null,
      el('p', { className: 'variant', text: `${deck.variant.title}` }),
      sessionLine(deck) ? el('p', { className: 'session-line', text: sessionLine(deck) }) : null,
      deck.presenter ? el('p', { className: 'presenter', text: deck.presenter }) : null,
    ]),
    el('div', { className: 'join-box' }, [
      el('img', { className: 'join-qr', attrs: { src: apiPaths.qr(code), alt: `参加用QRコード ${deck.joinUrl}` } }),
      el('div', { className: 'join-text' }, [
        el('p', { className: 'join-heading', text: t.joinHeading }),
        el('p', { className: 'join-url', text: deck.joinUrl }),
        el('p', { className: 'join-code' }, [el('span', { text: t.code }), el('strong', { text: code })]),
        el('p', { className: 'join-steps', text: t.joinSteps }),
      ]),
    ]),
  ]);
}

/** A break or Q&A slot: its label, planned minutes and a countdown to its planned end (filled in live). */
function breakSlide(slide: Extract<DeckSlide, { kind: 'break' }>, attrs: Record<string, string>): HTMLElement {
  return el('section', { className: 'break-slide', attrs: { ...attrs, 'data-slide-kind': 'break', 'data-minutes': String(slide.minutes) } }, [
    el('h2', { className: 'break-label', text: slide.label }),
    el('p', { className: 'break-minutes', text: t.breakMinutes(slide.minutes) }),
    el('p', { className: 'break-countdown', attrs: { 'aria-live': 'off' } }),
    el('p', { className: 'break-until' }),
  ]);
}

/** How the printed handout differs: speaker notes (when the print asks for them), no break slides. */
export interface PrintOptions {
  notes: Record<string, string>;
}

/**
 * Builds the sections of the deck. `print` is given only for the printed handout: the live projector
 * never has speaker notes, and shows the break and Q&A slots, which the handout leaves out.
 */
export function buildDeck(
  deck: DeckPayload,
  code: string,
  controlsFor: (questionId: string) => PanelControls,
  testControlsFor: (kind: TestKind) => TestControls,
  print?: PrintOptions,
): BuiltDeck {
  const notes = print?.notes ?? {};
  const sections: HTMLElement[] = [titleSlide(deck, code)];
  const panels = new Map<string, QuestionPanel>();
  const testPanels = new Map<TestKind, TestPanel>();
  for (const chapter of deck.chapters) {
    const chapterLabel = chapter.number ? `${t.chapter(chapter.number)} ${chapter.title}` : chapter.title;
    for (const slide of chapter.slides) {
      const attrs = { 'data-slide-id': slide.id, 'data-chapter-id': chapter.id };
      const slideNotes = notes[slide.id];
      const notesAside = slideNotes ? el('aside', { className: 'notes', text: slideNotes }) : null;
      if (slide.kind === 'break') {
        if (!print) sections.push(breakSlide(slide, attrs));
      } else if (slide.kind === 'content') {
        const template = el('textarea', { attrs: { 'data-template': '' } });
        template.textContent = slideNotes ? `${slide.markdown}\n\nNote:\n${slideNotes}` : slide.markdown;
        sections.push(el('section', { attrs: { ...attrs, 'data-markdown': '' } }, [template]));
      } else if (slide.kind === 'test') {
        const panel = new TestPanel(slide.testKind, slide.itemCount, testControlsFor(slide.testKind));
        testPanels.set(slide.testKind, panel);
        sections.push(el('section', { className: 'test-slide', attrs: { ...attrs, 'data-test-kind': slide.testKind } }, [panel.element, notesAside]));
      } else {
        const panel = new QuestionPanel(slide.question, chapterLabel, controlsFor(slide.question.id));
        panels.set(slide.question.id, panel);
        sections.push(el('section', { className: 'question-slide', attrs: { ...attrs, 'data-question-id': slide.question.id } }, [panel.element, notesAside]));
      }
    }
  }
  return { sections, panels, testPanels };
}
