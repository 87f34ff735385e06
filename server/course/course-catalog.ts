import { optionKeysOf, type Chapter, type Course, type Question, type TestItem, type Variant } from '../../shared/course.ts';
import type { OptionView } from '../../shared/contract.ts';
import { CourseLoadError, listCourseFolders, loadCourse } from './course-loader.ts';

/** The courses the server offers, loaded once at start-up. */
export class CourseCatalog {
  private readonly courses: Map<string, Course>;

  constructor(courses: Course[]) {
    this.courses = new Map(courses.map((course) => [course.manifest.id, course]));
  }

  static fromFolder(coursesDir: string): CourseCatalog {
    const folders = listCourseFolders(coursesDir);
    if (folders.length === 0) throw new CourseLoadError(`no course found under ${coursesDir}`);
    return new CourseCatalog(folders.map(loadCourse));
  }

  get(courseId: string): Course | undefined {
    return this.courses.get(courseId);
  }

  ids(): string[] {
    return [...this.courses.keys()];
  }
}

export function findVariant(course: Course, variantId: string): Variant | undefined {
  return course.manifest.variants.find((variant) => variant.id === variantId);
}

export function findQuestion(course: Course, questionId: string): Question | undefined {
  return course.questions.find((question) => question.id === questionId);
}

const OX_OPTIONS: Record<string, Omit<OptionView, 'key'>> = {
  o: { symbol: '○', text: '正しい' },
  x: { symbol: '×', text: '誤り' },
};

/** The options of a question as buttons and bars show them. */
export function optionsOf(question: Question): OptionView[] {
  if (question.kind === 'case' && question.choices) {
    return question.choices.map((choice) => ({ key: choice.key, symbol: choice.key.toUpperCase(), text: choice.label }));
  }
  return optionKeysOf(question).map((key) => ({ key, ...(OX_OPTIONS[key] ?? { symbol: key, text: '' }) }));
}

/** The chapters a variant presents, in its order, with their planned minutes. */
export function chaptersOfVariant(course: Course, variant: Variant): Array<{ chapter: Chapter; minutes: number }> {
  return variant.agenda.flatMap((item) => {
    if (!('chapter' in item)) return [];
    const chapter = course.chapters.find((candidate) => candidate.id === item.chapter);
    return chapter ? [{ chapter, minutes: item.minutes }] : [];
  });
}

/** The knowledge test's items of a variant, in order; a variant without its own list takes every item. */
export function testItemsOfVariant(course: Course, variant: Variant): TestItem[] {
  if (!variant.testItems) return course.test.items;
  return variant.testItems.flatMap((itemId) => course.test.items.filter((item) => item.id === itemId));
}

/** One part of a variant's plan: a chapter, or a break/Q&A slot (its id is `break-<position in the agenda>`). */
export type PlanPart =
  | { kind: 'chapter'; id: string; title: string; minutes: number; chapter: Chapter }
  | { kind: 'break'; id: string; title: string; minutes: number };

/** Every part of a variant's agenda in order: its chapters and its break and Q&A slots. */
export function partsOfVariant(course: Course, variant: Variant): PlanPart[] {
  return variant.agenda.flatMap((item, index): PlanPart[] => {
    if ('break' in item) return [{ kind: 'break', id: `break-${index + 1}`, title: item.break, minutes: item.minutes }];
    const chapter = course.chapters.find((candidate) => candidate.id === item.chapter);
    return chapter ? [{ kind: 'chapter', id: chapter.id, title: chapter.title, minutes: item.minutes, chapter }] : [];
  });
}
