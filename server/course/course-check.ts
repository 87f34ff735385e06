import type { Course } from '../../shared/course.ts';

/** How many ○× items the knowledge test must have. */
export const TEST_ITEM_COUNT = 20;

function duplicatesOf(values: string[]): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const value of values) (seen.has(value) ? repeated : seen).add(value);
  return [...repeated];
}

/** Checks what the schema cannot: references, unique ids, planned minutes, notes, the test's size. */
export function checkCourse(course: Course): string[] {
  const problems: string[] = [];
  const chapterIds = new Set(course.chapters.map((chapter) => chapter.id));
  const questionIds = new Set(course.questions.map((question) => question.id));

  const allIds = [
    ...course.chapters.map((chapter) => chapter.id),
    ...course.questions.map((question) => question.id),
    ...course.test.items.map((item) => item.id),
  ];
  for (const id of duplicatesOf(allIds)) problems.push(`id "${id}" is used more than once`);
  for (const id of duplicatesOf(course.manifest.variants.map((variant) => variant.id))) {
    problems.push(`variant id "${id}" is used more than once`);
  }

  for (const chapter of course.chapters) {
    if (chapter.slides.length === 0) problems.push(`chapter ${chapter.id} has no slides`);
    for (const slide of chapter.slides) {
      if (slide.kind === 'question' && !questionIds.has(slide.questionId)) {
        problems.push(`slide ${slide.id} asks question "${slide.questionId}", which is not in questions.json`);
      }
      if (slide.kind === 'content' && slide.notes.trim() === '') problems.push(`slide ${slide.id} has no speaker notes`);
    }
  }
  for (const question of course.questions) {
    if (!chapterIds.has(question.chapter)) problems.push(`question ${question.id} names unknown chapter "${question.chapter}"`);
  }
  for (const item of course.test.items) {
    if (!chapterIds.has(item.chapter)) problems.push(`test item ${item.id} names unknown chapter "${item.chapter}"`);
  }
  if (course.test.items.length !== TEST_ITEM_COUNT) {
    problems.push(`the knowledge test has ${course.test.items.length} items, not ${TEST_ITEM_COUNT}`);
  }

  const variantIds = course.manifest.variants.map((variant) => variant.id);
  if (!variantIds.includes(course.manifest.defaultVariant)) {
    problems.push(`defaultVariant "${course.manifest.defaultVariant}" is not a variant`);
  }
  for (const variant of course.manifest.variants) {
    const planned = variant.agenda.reduce((sum, item) => sum + item.minutes, 0);
    if (planned !== variant.totalMinutes) {
      problems.push(`variant ${variant.id} plans ${planned} minutes, not its ${variant.totalMinutes}`);
    }
    for (const item of variant.agenda) {
      if ('chapter' in item && !chapterIds.has(item.chapter)) {
        problems.push(`variant ${variant.id} lists unknown chapter "${item.chapter}"`);
      }
    }
  }
  return problems;
}
