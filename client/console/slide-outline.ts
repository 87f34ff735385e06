/**
 * A slide as text, for the console's current and next slide: its title and its lines, built from the
 * course's Markdown without rendering it (the console shows words, not a miniature of the slide).
 */
import type { DeckSlide } from '../../shared/contract.ts';
import { t } from './strings.ts';

export interface SlideOutline {
  title: string;
  lines: string[];
}

/** Markdown marks and tags stripped from a line: **bold**, `code`, [text](link), <tags>, table pipes. */
function plainText(line: string): string {
  return line
    .replace(/<[^>]+>/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_`]/g, '')
    .replace(/^\s*(?:[-+]|\d+\.)\s+/, '')
    .replace(/\s*\|\s*/g, '　')
    .trim();
}

export function outlineOf(slide: DeckSlide): SlideOutline {
  if (slide.kind === 'break') return { title: slide.label, lines: [t.breakSlot(slide.minutes)] };
  if (slide.kind === 'test') return { title: slide.testKind === 'pre' ? t.preTest : t.postTest, lines: [t.testItems(slide.itemCount)] };
  if (slide.kind === 'question') {
    const question = slide.question;
    const kind = question.kind === 'case' ? t.caseLabel : t.question;
    return { title: `${kind}: ${question.prompt}`, lines: question.options.map((option) => `${option.symbol} ${option.text}`) };
  }
  const lines = slide.markdown.split('\n').filter((line) => line.trim() !== '' && !/^\s*\|?\s*:?-{3,}/.test(line));
  const headingIndex = lines.findIndex((line) => /^#{1,3}\s/.test(line));
  const title = headingIndex >= 0 ? plainText(lines[headingIndex]!.replace(/^#+\s*/, '')) : '';
  return { title, lines: lines.filter((_line, index) => index !== headingIndex).map(plainText).filter(Boolean) };
}
