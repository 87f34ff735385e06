/**
 * The course format: what a folder under slides/ must contain, as zod schemas.
 *
 * slides/<course>/course.json   metadata, chapters (each pointing at a Markdown file) and variants
 * slides/<course>/questions.json the question bank (○× questions and 「失敗から教訓」 case questions)
 * slides/<course>/test.json      the knowledge test (○× items scored per participant)
 * slides/<course>/chapters/*.md  the slides of one chapter, in Markdown (see parseChapterMarkdown)
 * slides/<course>/handouts/handouts.json  optional: workshop and handout sheets printed to A4
 */
import { z } from 'zod';

const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'ids are lowercase letters, digits and hyphens' });
const text = z.string().trim().min(1);

/** The two answers of a ○× question: o = ○ (正しい), x = × (誤り). */
export const OxAnswer = z.enum(['o', 'x']);
export type OxAnswer = z.infer<typeof OxAnswer>;

/** Which definition of カスタマーハラスメント a question relies on, when it matters. */
export const HarassmentDefinition = z.enum(['statute-2025', 'manual-2022']);

/** A ○× question asked live during the lecture. */
export const OxQuestion = z.strictObject({
  id,
  kind: z.literal('ox'),
  /** The chapter the question belongs to. */
  chapter: id,
  prompt: text,
  answer: OxAnswer,
  /** 解説: why the answer is right, 2–4 sentences. */
  explanation: text,
  /** The legal basis or source (statute, guideline, case). */
  basis: text,
  definition: HarassmentDefinition.optional(),
});

/** One answer option of a multiple-choice question. */
export const Choice = z.strictObject({
  key: z.string().regex(/^[a-d]$/, { error: 'choice keys are a, b, c or d' }),
  label: text,
});

/** A 「失敗から教訓」 question built on a real court case. */
export const CaseQuestion = z
  .strictObject({
    id,
    kind: z.literal('case'),
    chapter: id,
    /** The case as the fact sheet gives it. */
    case: z.strictObject({ court: text, date: text, outcome: text }),
    /** What happened, told to the room before the question. */
    facts: text,
    prompt: text,
    /** 2–4 options; without them the question is answered ○×. */
    choices: z.array(Choice).min(2).max(4).optional(),
    /** 'o' / 'x' for a ○× case question, a choice key otherwise. */
    answer: z.string().min(1),
    /** What the court decided. */
    explanation: text,
    /** The lesson for the company. */
    lesson: text,
    basis: text,
  })
  .superRefine((question, ctx) => {
    const keys = question.choices ? question.choices.map((choice) => choice.key) : ['o', 'x'];
    if (!keys.includes(question.answer)) {
      ctx.addIssue({ code: 'custom', path: ['answer'], message: `answer must be one of ${keys.join(', ')}` });
    }
    if (question.choices && new Set(keys).size !== keys.length) {
      ctx.addIssue({ code: 'custom', path: ['choices'], message: 'choice keys must be unique' });
    }
  });

/** Any question that can be asked live as a poll round. */
export const Question = z.union([OxQuestion, CaseQuestion]);
export type Question = z.infer<typeof Question>;
export const QuestionBank = z.array(Question);

/** One ○× item of the knowledge test (知識定着確認テスト). */
export const TestItem = z.strictObject({
  id,
  chapter: id,
  prompt: text,
  answer: OxAnswer,
  explanation: text,
  /** The legal basis or source of the key (statute, guideline, case, or 講師の実務上の助言); course:check requires it. */
  basis: text.optional(),
});
export type TestItem = z.infer<typeof TestItem>;
export const KnowledgeTest = z.strictObject({
  title: text,
  items: z.array(TestItem).min(1),
});
export type KnowledgeTest = z.infer<typeof KnowledgeTest>;

/** A chapter: its Markdown file under chapters/, and its number when it is one of the numbered chapters. */
export const ChapterEntry = z.strictObject({
  id,
  title: text,
  /** 1-based chapter number; opening and closing parts have none. */
  number: z.number().int().positive().optional(),
  file: z.string().regex(/^chapters\/[a-z0-9-]+\.md$/, { error: 'file must be chapters/<name>.md' }),
  /** Time the chapter spends off the slides (e.g. running the knowledge test), added to its timing estimate. */
  activity: z.strictObject({ label: text, minutes: z.number().positive() }).optional(),
});
export type ChapterEntry = z.infer<typeof ChapterEntry>;

/** One line of a variant's agenda: a chapter with its planned minutes, or a break. */
export const AgendaItem = z.union([
  z.strictObject({ chapter: id, minutes: z.number().int().positive() }),
  z.strictObject({ break: text, minutes: z.number().int().positive() }),
]);
export type AgendaItem = z.infer<typeof AgendaItem>;

/** A variant: which chapters one format of the seminar presents, in order, and for how long. */
export const Variant = z.strictObject({
  id,
  title: text,
  /** Who the variant is for, shown to the organizer. */
  audience: text,
  totalMinutes: z.number().int().positive(),
  agenda: z.array(AgendaItem).min(1),
  /** The ids of the test.json items this variant's knowledge test asks, in order; without it, all items. */
  testItems: z.array(id).optional(),
});
export type Variant = z.infer<typeof Variant>;

/**
 * Average minutes per kind of slide, for the timing estimate that npm run course:check compares with
 * each chapter's planned minutes.
 */
export const TimingSettings = z.strictObject({
  /** Minutes per content slide (chapter title slides included). */
  contentSlide: z.number().positive(),
  /** Minutes per ○× question round (vote, reveal, 解説). */
  oxQuestion: z.number().positive(),
  /** Minutes per 「失敗から教訓」 case (facts read out, vote, reveal, lesson). */
  caseQuestion: z.number().positive(),
  /** How far a chapter's estimate may exceed its planned minutes before course:check fails (0.1 = 10 %). */
  maxOverrun: z.number().min(0).max(1),
});
export type TimingSettings = z.infer<typeof TimingSettings>;

/** course.json */
export const CourseManifest = z.strictObject({
  id,
  title: text,
  subtitle: z.string().optional(),
  /** The presenter's name and title as shown on the title slide. */
  presenter: z.string().optional(),
  language: z.literal('ja'),
  /** The date (YYYY-MM-DD) the legal content was last checked against its sources; course:check requires it. */
  legalCheckedOn: z.iso.date().optional(),
  /** Minutes per kind of slide for the timing estimate; course:check requires it. */
  timing: TimingSettings.optional(),
  defaultVariant: id,
  chapters: z.array(ChapterEntry).min(1),
  variants: z.array(Variant).min(1),
});
export type CourseManifest = z.infer<typeof CourseManifest>;

/** A slide of a chapter, parsed from Markdown. */
export const Slide = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('content'),
    /** Stable id: <chapter>-<n>. */
    id: z.string(),
    markdown: text,
    notes: z.string(),
  }),
  z.strictObject({
    kind: z.literal('question'),
    id: z.string(),
    questionId: id,
    notes: z.string(),
  }),
  z.strictObject({
    kind: z.literal('test'),
    id: z.string(),
    /** The knowledge test after the lecture, or the short pre-test at the start (sessions with a pre/post measure). */
    testKind: z.enum(['post', 'pre']),
    notes: z.string(),
  }),
]);
export type Slide = z.infer<typeof Slide>;
export type TestKind = Extract<Slide, { kind: 'test' }>['testKind'];

/**
 * A block of a printed workshop or handout sheet: a heading with paragraphs, bullets, blank fields to
 * fill in by hand, or a table. Rendered with textContent only.
 */
export const SheetBlock = z.strictObject({
  heading: text.optional(),
  paragraphs: z.array(text).optional(),
  bullets: z.array(text).optional(),
  /** Labels with blank lines to write on; lines is the number of ruled lines. */
  fields: z.array(z.strictObject({ label: text, lines: z.number().int().min(1).max(12) })).optional(),
  table: z.strictObject({ columns: z.array(text).min(1), rows: z.array(z.array(z.string())) }).optional(),
  /** A box with a border, e.g. one role-play card to cut out. */
  boxed: z.boolean().optional(),
});
export type SheetBlock = z.infer<typeof SheetBlock>;

/** The kinds of printed sheet (one A4 page each). */
export const SheetKind = z.enum(['discussion', 'role-play', 'worksheet', 'record-form', 'policy', 'one-point', 'sources']);
export type SheetKind = z.infer<typeof SheetKind>;

/** One printed A4 sheet of workshop or handout material. */
export const HandoutSheet = z.strictObject({
  id,
  kind: SheetKind,
  title: text,
  /** The chapter the sheet belongs to; without it the sheet belongs to the whole course. */
  chapter: id.optional(),
  /** For a discussion sheet: the question whose split vote opens the discussion. */
  questionId: id.optional(),
  /** The variants that print the sheet; without it, every variant that teaches its chapter. */
  variants: z.array(id).optional(),
  blocks: z.array(SheetBlock).min(1),
  /** Where the content comes from (statutes, guidelines, or 講師の実務上の助言), printed at the foot. */
  sources: z.array(text).optional(),
});
export type HandoutSheet = z.infer<typeof HandoutSheet>;

/** handouts/handouts.json: the workshop and handout sheets of a course (optional). */
export const Handouts = z.strictObject({
  title: text,
  sheets: z.array(HandoutSheet).min(1),
});
export type Handouts = z.infer<typeof Handouts>;

/** A chapter with its slides, as the server hands it to the projector. */
export const Chapter = ChapterEntry.omit({ file: true }).extend({ slides: z.array(Slide) });
export type Chapter = z.infer<typeof Chapter>;

/** A whole course, loaded and resolved. */
export const Course = z.strictObject({
  manifest: CourseManifest,
  chapters: z.array(Chapter),
  questions: QuestionBank,
  test: KnowledgeTest,
  /** The printable workshop and handout sheets, when the course has handouts/handouts.json. */
  handouts: Handouts.optional(),
});
export type Course = z.infer<typeof Course>;

const SLIDE_SEPARATOR = /^\s*---\s*$/m;
const NOTES_MARKER = /^Note:\s*$/m;
const QUESTION_DIRECTIVE = /^::: *question +([a-z0-9][a-z0-9-]*) *$/;
const TEST_DIRECTIVE = /^::: *test( +pre)? *$/;

/**
 * Splits a chapter file into slides. Slides are separated by a line of `---`; the speaker notes of a
 * slide follow a line `Note:`; a slide whose body is the single line `::: question <id>` asks that
 * question from the bank; `::: test` is the knowledge test's slide and `::: test pre` the pre-test's.
 */
export function parseChapterMarkdown(chapterId: string, source: string): Slide[] {
  return source
    .split(SLIDE_SEPARATOR)
    .map((block) => block.trim())
    .filter((block) => block.length > 0)
    .map((block, index) => {
      const [body = '', notes = ''] = block.split(NOTES_MARKER).map((part) => part.trim());
      const slideId = `${chapterId}-${index + 1}`;
      const directive = QUESTION_DIRECTIVE.exec(body);
      if (directive?.[1]) return { kind: 'question', id: slideId, questionId: directive[1], notes };
      const test = TEST_DIRECTIVE.exec(body);
      if (test) return { kind: 'test', id: slideId, testKind: test[1] ? 'pre' : 'post', notes };
      return { kind: 'content', id: slideId, markdown: body, notes };
    });
}

/** The answer keys a question accepts as votes. */
export function optionKeysOf(question: Question): string[] {
  if (question.kind === 'case' && question.choices) return question.choices.map((choice) => choice.key);
  return ['o', 'x'];
}

/** A handout sheet as the print page receives it, with its chapter and (for a discussion) the question resolved. */
export interface HandoutSheetView extends HandoutSheet {
  chapterTitle?: string;
  chapterNumber?: number;
  /** The prompt of the question voted on before a discussion; its answer is not sent. */
  questionPrompt?: string;
}

/** GET /api/courses/:courseId/handouts?variant=…: what the A4 print page of the handout sheets renders. */
export interface HandoutPayload {
  course: { id: string; title: string; subtitle?: string; presenter?: string; legalCheckedOn?: string };
  variant: { id: string; title: string; audience: string };
  title: string;
  sheets: HandoutSheetView[];
}
