/**
 * The handout print page: the course's workshop and handout sheets for one variant, one A4 page each.
 * All course text is set with textContent; nothing is loaded from outside the server.
 */
import type { HandoutPayload, HandoutSheetView, SheetBlock } from '../../shared/course.ts';
import { t } from './strings.ts';
import './handout.css';

const app = document.querySelector<HTMLElement>('#app')!;
const courseId = location.pathname.split('/').filter(Boolean)[1] ?? '';
const variantId = new URLSearchParams(location.search).get('variant');

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}

function renderBlock(block: SheetBlock): HTMLElement {
  const section = el('div', block.boxed ? 'block boxed' : 'block');
  if (block.heading) section.append(el('h3', undefined, block.heading));
  for (const paragraph of block.paragraphs ?? []) section.append(el('p', undefined, paragraph));
  if (block.bullets) {
    const isChecklist = block.bullets.every((bullet) => bullet.startsWith('□'));
    const list = el('ul', isChecklist ? 'checklist' : undefined);
    for (const bullet of block.bullets) list.append(el('li', undefined, bullet));
    section.append(list);
  }
  for (const field of block.fields ?? []) {
    const box = el('div', 'field');
    box.append(el('div', 'field-label', field.label));
    for (let line = 0; line < field.lines; line += 1) box.append(el('div', 'ruled'));
    section.append(box);
  }
  if (block.table) {
    const table = el('table');
    const head = el('tr');
    for (const column of block.table.columns) head.append(el('th', undefined, column));
    table.append(el('thead'), el('tbody'));
    table.tHead!.append(head);
    for (const row of block.table.rows) {
      const tr = el('tr');
      row.forEach((cell, index) => tr.append(el('td', cell === '' ? 'blank' : index === 0 ? 'first' : undefined, cell)));
      table.tBodies[0]!.append(tr);
    }
    section.append(table);
  }
  return section;
}

function renderSheet(payload: HandoutPayload, sheet: HandoutSheetView, index: number, count: number): HTMLElement {
  const page = el('section', `sheet kind-${sheet.kind}`);
  page.dataset.sheetId = sheet.id;
  const header = el('header');
  const meta = el('div', 'meta');
  meta.append(el('span', 'badge', t.kind[sheet.kind]));
  if (sheet.chapterTitle) meta.append(el('span', 'chapter', t.chapter(sheet.chapterNumber, sheet.chapterTitle)));
  meta.append(el('span', 'course', `${payload.course.title}｜${payload.variant.title}`));
  header.append(meta, el('h2', undefined, sheet.title));
  page.append(header);
  if (sheet.questionPrompt) {
    const question = el('div', 'block boxed question');
    question.append(el('h3', undefined, t.question), el('p', undefined, sheet.questionPrompt));
    page.append(question);
  }
  for (const block of sheet.blocks) page.append(renderBlock(block));
  const footer = el('footer');
  if (sheet.sources?.length) footer.append(el('p', 'sources', `${t.sources}${sheet.sources.join('／')}`));
  const line = el('p', 'foot-line');
  line.append(
    el('span', undefined, payload.course.legalCheckedOn ? t.legalCheckedOn(payload.course.legalCheckedOn) : ''),
    el('span', undefined, t.disclaimer),
    el('span', 'page-no', `${index + 1} / ${count}`),
  );
  footer.append(line);
  page.append(footer);
  return page;
}

function render(payload: HandoutPayload): void {
  document.title = `${payload.title}｜${payload.course.title}`;
  const toolbar = el('div', 'toolbar no-print');
  const heading = el('div');
  heading.append(el('h1', undefined, payload.title), el('p', 'muted', `${payload.course.title}｜${payload.variant.title}｜${t.sheetsCount(payload.sheets.length)}`));
  const button = el('button', undefined, t.print);
  button.type = 'button';
  button.addEventListener('click', () => window.print());
  toolbar.append(heading, button, el('p', 'muted hint', t.printHint));
  app.replaceChildren(toolbar, ...payload.sheets.map((sheet, index) => renderSheet(payload, sheet, index, payload.sheets.length)));
  app.dataset.ready = 'true';
}

async function load(): Promise<void> {
  app.replaceChildren(el('p', 'muted', t.loading));
  const query = variantId ? `?variant=${encodeURIComponent(variantId)}` : '';
  try {
    const response = await fetch(`/api/courses/${encodeURIComponent(courseId)}/handouts${query}`);
    const body = (await response.json()) as { ok: true; data: HandoutPayload } | { ok: false; error: { message: string } };
    if (!body.ok) throw new Error(body.error.message);
    render(body.data);
  } catch (error) {
    app.replaceChildren(el('p', 'error', `${t.failed}（${(error as Error).message}）`));
    app.dataset.ready = 'error';
  }
}

void load();
