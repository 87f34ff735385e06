/**
 * Japanese line breaking for the projector: browsers break Japanese anywhere, so a title can split
 * mid-word (「従／業員」). BudouX (Google's phrase segmenter, a small model, no network) marks the phrase
 * boundaries with zero-width spaces, and the `budoux` class (word-break: keep-all) breaks only there.
 */
import { HTMLProcessingParser, jaModel } from 'budoux';

const parser = new HTMLProcessingParser(jaModel, { className: 'budoux' });

/** Titles, headings, question prompts and list items: the text read from the back of the room. */
const PHRASED = 'h1, h2, h3, li, .prompt, .option-text, td, th';

export function applyJapaneseLineBreaks(root: HTMLElement): void {
  for (const element of root.querySelectorAll<HTMLElement>(PHRASED)) {
    if (element.closest('.budoux') || element.querySelector('li, table')) continue;
    parser.applyToElement(element);
  }
}
