import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import {
  CourseManifest,
  Handouts,
  KnowledgeTest,
  QuestionBank,
  parseChapterMarkdown,
  type Course,
} from '../../shared/course.ts';

export class CourseLoadError extends Error {}

function readJson<T>(file: string, schema: z.ZodType<T>): T {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CourseLoadError(`${file}: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new CourseLoadError(`${file}:\n${issues.join('\n')}`);
  }
  return parsed.data;
}

/** Reads one course folder and checks it against the schemas; the cross-references are checked by checkCourse. */
export function loadCourse(folder: string): Course {
  const manifest = readJson(path.join(folder, 'course.json'), CourseManifest);
  const questions = readJson(path.join(folder, 'questions.json'), QuestionBank);
  const test = readJson(path.join(folder, 'test.json'), KnowledgeTest);
  const chapters = manifest.chapters.map(({ file, ...entry }) => {
    const chapterFile = path.join(folder, file);
    if (!fs.existsSync(chapterFile)) throw new CourseLoadError(`${chapterFile}: chapter file is missing`);
    return { ...entry, slides: parseChapterMarkdown(entry.id, fs.readFileSync(chapterFile, 'utf8')) };
  });
  const handoutsFile = path.join(folder, 'handouts', 'handouts.json');
  const handouts = fs.existsSync(handoutsFile) ? readJson(handoutsFile, Handouts) : undefined;
  return { manifest, chapters, questions, test, ...(handouts ? { handouts } : {}) };
}

/** The folders under coursesDir that hold a course.json. */
export function listCourseFolders(coursesDir: string): string[] {
  if (!fs.existsSync(coursesDir)) return [];
  return fs
    .readdirSync(coursesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(coursesDir, entry.name, 'course.json')))
    .map((entry) => path.join(coursesDir, entry.name))
    .sort();
}
