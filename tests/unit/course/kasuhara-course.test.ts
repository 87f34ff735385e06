import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chaptersOfVariant, findVariant, testItemsOfVariant } from '../../../server/course/course-catalog.ts';
import { checkCourse, timingOfVariant } from '../../../server/course/course-check.ts';
import { loadCourse } from '../../../server/course/course-loader.ts';
import { REAL_COURSES_DIR } from '../../support/test-app.ts';

const course = loadCourse(path.join(REAL_COURSES_DIR, 'kasuhara'));
const numbered = course.chapters.filter((chapter) => chapter.number !== undefined);

function variantOf(variantId: string) {
  const variant = findVariant(course, variantId);
  if (!variant) throw new Error(`no variant ${variantId}`);
  return variant;
}

function chapterIdsOf(variantId: string): string[] {
  return chaptersOfVariant(course, variantOf(variantId)).map(({ chapter }) => chapter.id);
}

function slideTextsOf(chapterId: string): string[] {
  const chapter = course.chapters.find((candidate) => candidate.id === chapterId);
  return (chapter?.slides ?? []).flatMap((slide) => [slide.kind === 'content' ? slide.markdown : '', slide.notes]);
}

describe('the カスタマーハラスメント course keeps the seminar’s promises', () => {
  it('passes course:check with no problem', () => {
    expect(checkCourse(course)).toEqual([]);
  });

  it('has the eight chapters in the seminar’s order', () => {
    expect(numbered.map((chapter) => `${chapter.number} ${chapter.title}`)).toEqual([
      '1 クレームから企業を守る',
      '2 クレームから従業員を守る',
      '3 顧客との初回面談までの対応',
      '4 初回面談時における対応',
      '5 顧客の要求への対応',
      '6 証拠開示や社内調査への対応',
      '7 損害賠償等の請求への対応',
      '8 サービス・リカバリー・システム',
    ]);
  });

  it('asks at least three ○× questions in every chapter, each asked on a slide', () => {
    const asked = new Set(course.chapters.flatMap((chapter) => chapter.slides.flatMap((slide) => (slide.kind === 'question' ? [slide.questionId] : []))));
    for (const chapter of numbered) {
      const ox = course.questions.filter((question) => question.kind === 'ox' && question.chapter === chapter.id);
      expect(ox.length, chapter.id).toBeGreaterThanOrEqual(3);
    }
    for (const question of course.questions) expect(asked.has(question.id), question.id).toBe(true);
  });

  it('has at least six 「失敗から教訓」 cases with court, date and outcome, framed as what the court decided', () => {
    const cases = course.questions.filter((question) => question.kind === 'case');
    expect(cases.length).toBeGreaterThanOrEqual(6);
    for (const question of cases) {
      expect(question.case.court && question.case.date && question.case.outcome).toBeTruthy();
      expect(question.lesson, question.id).toMatch(/怠った|守られた|事前にできた/);
    }
  });

  it('balances the answer keys: ○× between 40 and 60 % ○, multiple-choice keys not all alike', () => {
    const ox = course.questions.filter((question) => question.kind === 'ox');
    const share = ox.filter((question) => question.answer === 'o').length / ox.length;
    expect(share).toBeGreaterThanOrEqual(0.4);
    expect(share).toBeLessThanOrEqual(0.6);
    const choiceKeys = course.questions.flatMap((question) => (question.kind === 'case' && question.choices ? [question.answer] : []));
    expect(new Set(choiceKeys).size).toBeGreaterThanOrEqual(3);
    for (const variantId of ['full', 'field']) {
      const items = testItemsOfVariant(course, variantOf(variantId));
      const keys = items.filter((item) => item.answer === 'o').length;
      expect(keys, variantId).toBeGreaterThanOrEqual(8);
      expect(keys, variantId).toBeLessThanOrEqual(12);
    }
  });

  it('asks no strawman (「常に」「一切」) and no question whose key rests on a draft of the 指針', () => {
    const prompts = [...course.questions.map((question) => question.prompt), ...course.test.items.map((item) => item.prompt)];
    for (const prompt of prompts) {
      expect(prompt).not.toMatch(/常に|一切|どれか1つ/);
      expect(prompt).not.toMatch(/指針の(素)?案/);
    }
  });

  it('gives each variant a 20-item test of its own, with a basis for every item, from chapters it teaches only', () => {
    for (const variantId of ['full', 'field']) {
      const variant = variantOf(variantId);
      const items = testItemsOfVariant(course, variant);
      expect(items, variantId).toHaveLength(20);
      const taught = new Set(chapterIdsOf(variantId));
      for (const item of items) {
        expect(taught.has(item.chapter), `${variantId} ${item.id}`).toBe(true);
        expect(item.basis, item.id).toBeTruthy();
      }
    }
    const fullChapters = new Set(testItemsOfVariant(course, variantOf('full')).map((item) => item.chapter));
    expect(fullChapters).toEqual(new Set(numbered.map((chapter) => chapter.id)));
    const fieldChapters = new Set(testItemsOfVariant(course, variantOf('field')).map((item) => item.chapter));
    for (const id of ['legal-intro', 'ch3-before-meeting', 'ch4-first-meeting', 'ch5-demands', 'ch6-evidence-investigation']) {
      expect(fieldChapters.has(id), id).toBe(true);
    }
    const prompts = new Set(course.questions.map((question) => question.prompt));
    for (const item of course.test.items) expect(prompts.has(item.prompt), item.id).toBe(false);
  });

  it('runs all chapters in 180 minutes and chapters 3–6 in 120, each variant with its own opening and closing', () => {
    expect(variantOf('full').totalMinutes).toBe(180);
    expect(variantOf('field').totalMinutes).toBe(120);
    const full = chapterIdsOf('full');
    const field = chapterIdsOf('field');
    expect(full).toEqual(expect.arrayContaining(numbered.map((chapter) => chapter.id)));
    const fieldNumbers = field.flatMap((id) => course.chapters.find((chapter) => chapter.id === id)?.number ?? []);
    expect(fieldNumbers).toEqual([3, 4, 5, 6]);
    expect(full.at(-1)).toBe('closing');
    expect(field.at(-1)).toBe('closing-field');
    expect(field[0]).toBe('opening-field');
    expect(full).not.toContain('opening-field');
    const fieldOnly = [field[0]!, field.at(-1)!].flatMap(slideTextsOf).join('\n');
    expect(fieldOnly).not.toMatch(/第1章|第2章|第7章|第8章|第1章から第8章/);
  });

  it('fits every chapter of both variants into its planned minutes at the course’s minutes per slide', () => {
    expect(course.manifest.timing).toEqual({ contentSlide: 1, oxQuestion: 2, caseQuestion: 4, maxOverrun: 0.1 });
    for (const variantId of ['full', 'field']) {
      const lines = timingOfVariant(course, variantOf(variantId));
      expect(lines.length).toBe(chapterIdsOf(variantId).length);
      for (const line of lines) expect(line.isOver, `${variantId} ${line.chapterId} ${line.estimate.minutes}/${line.planned}`).toBe(false);
    }
  });

  it('records when the legal content was last checked and says so on an opening slide and in its notes', () => {
    const date = course.manifest.legalCheckedOn;
    expect(date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const [year, month, day] = date!.split('-').map(Number);
    const japanese = `${year}年${month}月${day}日`;
    for (const opening of ['opening', 'opening-field']) {
      const slides = course.chapters.find((chapter) => chapter.id === opening)!.slides;
      const dated = slides.filter((slide) => slide.kind === 'content' && slide.markdown.includes(japanese));
      expect(dated.length, opening).toBeGreaterThan(0);
      expect(dated.some((slide) => slide.notes.includes(japanese)), opening).toBe(true);
    }
  });

  it('cites the national 指針 by its legal basis and says visibly, in both openings, that its examples are the draft’s', () => {
    for (const opening of ['opening', 'opening-field']) {
      const markdown = course.chapters.find((chapter) => chapter.id === opening)!.slides.map((slide) => (slide.kind === 'content' ? slide.markdown : '')).join('\n');
      expect(markdown, opening).toMatch(/33条4項/);
      expect(markdown, opening).toMatch(/指針案(\*\*)?（2025年12月）/);
      expect(markdown, opening).toMatch(/告示/);
    }
  });

  it('states the corrected facts: 川義事件’s former employee and the 旅館業法 amending Act of 2023-06-14', () => {
    const kawagi = course.questions.find((question) => question.id === 'case-2');
    expect(kawagi?.kind === 'case' && kawagi.facts).toMatch(/元従業員/);
    expect(JSON.stringify(course)).not.toMatch(/無関係の外部|2023年12月改正/);
    expect(slideTextsOf('ch5-demands').join('\n')).toMatch(/2023年6月14日/);
  });

  it('describes the knowledge-test flow the product runs on the closing slides of both variants', () => {
    for (const closing of ['closing', 'closing-field']) {
      const text = slideTextsOf(closing).join('\n');
      for (const phrase of ['講師が開始', '1問ずつ', 'n / 20', '前に戻る', '見直し', '提出', '講師が締め切る', '自分の得点', '解説', '得点分布', '正答率']) {
        expect(text, `${closing}: ${phrase}`).toContain(phrase);
      }
    }
  });

  it('prints the workshop and handout sheets: a split-vote discussion and a one-point sheet per chapter, role-play cards, flow, record, policy', () => {
    const sheets = course.handouts?.sheets ?? [];
    for (const chapter of numbered) {
      expect(sheets.some((sheet) => sheet.kind === 'discussion' && sheet.chapter === chapter.id), `discussion ${chapter.id}`).toBe(true);
      expect(sheets.some((sheet) => sheet.kind === 'one-point' && sheet.chapter === chapter.id), `one-point ${chapter.id}`).toBe(true);
    }
    for (const kind of ['role-play', 'worksheet', 'record-form', 'policy'] as const) {
      expect(sheets.some((sheet) => sheet.kind === kind), kind).toBe(true);
    }
    const rolePlay = sheets.find((sheet) => sheet.kind === 'role-play')!;
    const headings = rolePlay.blocks.map((block) => block.heading ?? '').join(' ');
    for (const role of ['顧客', '担当者', '観察']) expect(headings).toContain(role);
  });

  it('uses 拘禁刑 for current penalties: 懲役 appears only as history or as a wrong answer', () => {
    const HISTORY = /当時|一本化|旧|古い/;
    const sentences = [
      ...course.chapters.flatMap((chapter) => chapter.slides.flatMap((slide) => [slide.kind === 'content' ? slide.markdown : '', slide.notes])),
      ...course.questions.flatMap((question) =>
        question.kind === 'ox' && question.answer === 'x' ? [question.explanation, question.basis] : Object.values(question).filter((value) => typeof value === 'string'),
      ),
      ...course.questions.flatMap((question) => (question.kind === 'case' ? [question.case.outcome, ...(question.choices ?? []).map((choice) => choice.label)] : [])),
      ...course.test.items.flatMap((item) => [item.explanation, ...(item.answer === 'x' ? [] : [item.prompt])]),
    ].flatMap((text) => text.split(/(?<=。)/));
    const mentions = sentences.filter((sentence) => sentence.includes('懲役'));
    expect(mentions.length).toBeGreaterThan(0);
    for (const sentence of mentions) expect(sentence, sentence).toMatch(HISTORY);
    expect(sentences.some((sentence) => sentence.includes('拘禁刑'))).toBe(true);
  });
});
