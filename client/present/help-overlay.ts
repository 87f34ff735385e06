/** The projector's key list in Japanese, shown with ? (reveal's own help is English and is turned off). */
import { el } from '../lib/dom.ts';
import { t } from './strings.ts';

export class HelpOverlay {
  private readonly element: HTMLElement;

  constructor(root: HTMLElement) {
    this.element = el('div', { className: 'help-overlay', attrs: { hidden: '', role: 'dialog', 'aria-label': t.helpTitle } }, [
      el('h2', { text: t.helpTitle }),
      el(
        'table',
        {},
        t.helpKeys.map(([keys, action]) => el('tr', {}, [el('th', { text: keys }), el('td', { text: action })])),
      ),
      el('p', { className: 'help-close', text: t.helpClose }),
    ]);
    this.element.addEventListener('click', () => this.toggle(false));
    root.append(this.element);
  }

  toggle(isShown = this.element.hidden): void {
    this.element.hidden = !isShown;
  }

  get isShown(): boolean {
    return !this.element.hidden;
  }
}
