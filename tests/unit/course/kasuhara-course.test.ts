import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chaptersOfVariant, findVariant } from '../../../server/course/course-catalog.ts';
import { loadCourse } from '../../../server/course/course-loader.ts';
import { REAL_COURSES_DIR } from '../../support/test-app.ts';

const course = loadCourse(path.join(REAL_COURSES_DIR, 'kasuhara'));
const numbered = course.chapters.filter((chapter) => chapter.number !== undefined);

function chapterIdsOf(variantId: string): string[] {
  const variant = findVariant(course, variantId);
  if (!variant) throw new Error(`no variant ${variantId}`);
  return chaptersOfVariant(course, variant).map(({ chapter }) => chapter.id);
}

describe('the カスタマーハラスメント course keeps the seminar’s promises', () => {
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
      for (const question of ox) expect(asked.has(question.id), question.id).toBe(true);
    }
  });

  it('has at least six 「失敗から教訓」 cases with court, date and outcome', () => {
    const cases = course.questions.filter((question) => question.kind === 'case');
    expect(cases.length).toBeGreaterThanOrEqual(6);
    for (const question of cases) expect(question.case.court && question.case.date && question.case.outcome).toBeTruthy();
  });

  it('has a 20-item test that covers all eight chapters and repeats no lecture question', () => {
    expect(course.test.items).toHaveLength(20);
    expect(new Set(course.test.items.map((item) => item.chapter))).toEqual(new Set(numbered.map((chapter) => chapter.id)));
    const prompts = new Set(course.questions.map((question) => question.prompt));
    for (const item of course.test.items) expect(prompts.has(item.prompt), item.id).toBe(false);
  });

  it('runs all chapters in 180 minutes and the field chapters 3–6 in 120, both ending with the test', () => {
    expect(findVariant(course, 'full')?.totalMinutes).toBe(180);
    expect(findVariant(course, 'field')?.totalMinutes).toBe(120);
    expect(chapterIdsOf('full')).toEqual(expect.arrayContaining(numbered.map((chapter) => chapter.id)));
    const fieldNumbers = chapterIdsOf('field').map((id) => course.chapters.find((chapter) => chapter.id === id)?.number);
    expect(fieldNumbers).toEqual(expect.arrayContaining([3, 4, 5, 6]));
    expect(chapterIdsOf('full').at(-1)).toBe('closing');
    expect(chapterIdsOf('field').at(-1)).toBe('closing');
  });

  it('uses 拘禁刑 for current penalties: 懲役 appears only as history or as a wrong answer', () => {
    const HISTORY = /当時|一本化|旧|古い/;
    const sentences = [
      ...course.chapters.flatMap((chapter) => chapter.slides.flatMap((slide) => [slide.kind === 'content' ? slide.markdown : '', slide.notes])),
      ...course.questions.flatMap((question) =>
        question.kind === 'ox' && question.answer === 'x' ? [question.explanation, question.basis] : Object.values(question).filter((value) => typeof value === 'string'),
      ),
      ...course.questions.flatMap((question) => (question.kind === 'case' ? [question.case.outcome] : [])),
      ...course.test.items.flatMap((item) => [item.explanation, ...(item.answer === 'x' ? [] : [item.prompt])]),
    ].flatMap((text) => text.split(/(?<=。)/));
    const mentions = sentences.filter((sentence) => sentence.includes('懲役'));
    expect(mentions.length).toBeGreaterThan(0);
    for (const sentence of mentions) expect(sentence, sentence).toMatch(HISTORY);
    expect(sentences.some((sentence) => sentence.includes('拘禁刑'))).toBe(true);
  });
});
