import type { Chapter, Course, TimingSettings, Variant } from '../../shared/course.ts';
import { testItemsOfVariant } from './course-catalog.ts';

/** How many ○× items each variant's knowledge test must have. */
export const TEST_ITEM_COUNT = 20;

function duplicatesOf(values: string[]): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const value of values) (seen.has(value) ? repeated : seen).add(value);
  return [...repeated];
}

/** A chapter's timing estimate from its slide counts and the course's minutes per kind of slide. */
export interface ChapterEstimate {
  contentSlides: number;
  oxQuestions: number;
  caseQuestions: number;
  activityMinutes: number;
  minutes: number;
}

/** Estimates a chapter's minutes: content slides, ○× rounds and cases at the course's rates, plus its activity. */
export function estimateChapterMinutes(course: Course, chapter: Chapter, timing: TimingSettings): ChapterEstimate {
  let contentSlides = 0;
  let oxQuestions = 0;
  let caseQuestions = 0;
  for (const slide of chapter.slides) {
    // A test slide's minutes are the chapter's activity: the test itself runs off the slides.
    if (slide.kind === 'test') continue;
    if (slide.kind === 'content') contentSlides += 1;
    else if (course.questions.find((question) => question.id === slide.questionId)?.kind === 'case') caseQuestions += 1;
    else oxQuestions += 1;
  }
  const activityMinutes = chapter.activity?.minutes ?? 0;
  const minutes =
    contentSlides * timing.contentSlide + oxQuestions * timing.oxQuestion + caseQuestions * timing.caseQuestion + activityMinutes;
  return { contentSlides, oxQuestions, caseQuestions, activityMinutes, minutes: Math.round(minutes * 10) / 10 };
}

/** One line of a variant's timing report: a chapter's planned minutes against its estimate. */
export interface ChapterTiming {
  chapterId: string;
  planned: number;
  estimate: ChapterEstimate;
  /** True when the estimate exceeds the planned minutes by more than the course's maxOverrun. */
  isOver: boolean;
}

/** The timing report of a variant, chapter by chapter; empty when the course has no timing settings. */
export function timingOfVariant(course: Course, variant: Variant): ChapterTiming[] {
  const timing = course.manifest.timing;
  if (!timing) return [];
  return variant.agenda.flatMap((item) => {
    if (!('chapter' in item)) return [];
    const chapter = course.chapters.find((candidate) => candidate.id === item.chapter);
    if (!chapter) return [];
    const estimate = estimateChapterMinutes(course, chapter, timing);
    return [{ chapterId: chapter.id, planned: item.minutes, estimate, isOver: estimate.minutes > item.minutes * (1 + timing.maxOverrun) + 1e-9 }];
  });
}


/**
 * Checks what the schema cannot: references, unique ids, planned minutes against the timing estimate,
 * notes, the last-checked date, each variant's test (size, existing items, only chapters it teaches)
 * and the handout sheets' references.
 */
export function checkCourse(course: Course): string[] {
  const problems: string[] = [];
  const chapterIds = new Set(course.chapters.map((chapter) => chapter.id));
  const questionIds = new Set(course.questions.map((question) => question.id));
  const testItemIds = new Set(course.test.items.map((item) => item.id));

  const allIds = [
    ...course.chapters.map((chapter) => chapter.id),
    ...course.questions.map((question) => question.id),
    ...course.test.items.map((item) => item.id),
  ];
  for (const id of duplicatesOf(allIds)) problems.push(`id "${id}" is used more than once`);
  for (const id of duplicatesOf(course.manifest.variants.map((variant) => variant.id))) {
    problems.push(`variant id "${id}" is used more than once`);
  }
  if (!course.manifest.legalCheckedOn) problems.push('course.json has no legalCheckedOn date (when the legal content was last checked)');
  if (!course.manifest.timing) problems.push('course.json has no timing settings (minutes per content slide, ○× question and case)');

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
    if (!item.basis) problems.push(`test item ${item.id} has no basis`);
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
    for (const line of timingOfVariant(course, variant)) {
      if (line.isOver) {
        problems.push(
          `variant ${variant.id}: chapter ${line.chapterId} is estimated at ${line.estimate.minutes} min, more than ${Math.round((course.manifest.timing?.maxOverrun ?? 0) * 100)} % over its planned ${line.planned}`,
        );
      }
    }
    problems.push(...checkVariantTest(course, variant, testItemIds));
  }
  problems.push(...checkHandouts(course, chapterIds, questionIds, new Set(variantIds)));
  return problems;
}

function checkVariantTest(course: Course, variant: Variant, testItemIds: Set<string>): string[] {
  const problems: string[] = [];
  const listed = variant.testItems ?? course.test.items.map((item) => item.id);
  for (const itemId of listed) {
    if (!testItemIds.has(itemId)) problems.push(`variant ${variant.id} lists unknown test item "${itemId}"`);
  }
  for (const itemId of duplicatesOf(listed)) problems.push(`variant ${variant.id} lists test item "${itemId}" more than once`);
  if (listed.length !== TEST_ITEM_COUNT) {
    problems.push(`the knowledge test of variant ${variant.id} has ${listed.length} items, not ${TEST_ITEM_COUNT}`);
  }
  const taught = new Set(variant.agenda.flatMap((item) => ('chapter' in item ? [item.chapter] : [])));
  for (const item of testItemsOfVariant(course, variant)) {
    if (!taught.has(item.chapter)) {
      problems.push(`variant ${variant.id} tests item ${item.id} from chapter ${item.chapter}, which it does not teach`);
    }
  }
  return problems;
}

function checkHandouts(course: Course, chapterIds: Set<string>, questionIds: Set<string>, variantIds: Set<string>): string[] {
  if (!course.handouts) return [];
  const problems: string[] = [];
  for (const id of duplicatesOf(course.handouts.sheets.map((sheet) => sheet.id))) problems.push(`handout sheet id "${id}" is used more than once`);
  for (const sheet of course.handouts.sheets) {
    if (sheet.chapter && !chapterIds.has(sheet.chapter)) problems.push(`handout sheet ${sheet.id} names unknown chapter "${sheet.chapter}"`);
    if (sheet.questionId && !questionIds.has(sheet.questionId)) {
      problems.push(`handout sheet ${sheet.id} names unknown question "${sheet.questionId}"`);
    }
    if (sheet.kind === 'discussion' && !sheet.questionId) problems.push(`discussion sheet ${sheet.id} names no question to vote on first`);
    for (const variantId of sheet.variants ?? []) {
      if (!variantIds.has(variantId)) problems.push(`handout sheet ${sheet.id} names unknown variant "${variantId}"`);
    }
  }
  return problems;
}
