import path from 'node:path';
import { Router } from 'express';
import { ErrorCode } from '../../../shared/contract.ts';
import type { Course, HandoutPayload, HandoutSheet, HandoutSheetView, Variant } from '../../../shared/course.ts';
import type { CourseCatalog } from '../../course/course-catalog.ts';
import { sendData, sendError } from './respond.ts';

const COURSE_ID = /^[a-z0-9][a-z0-9-]*$/;

/** The order sheets print in: course-wide sheets first, then chapter by chapter, the sources last. */
const KIND_ORDER: Record<HandoutSheet['kind'], number> = {
  policy: 0,
  worksheet: 1,
  'record-form': 2,
  'one-point': 3,
  discussion: 4,
  'role-play': 5,
  sources: 6,
};

/** The sheets a variant prints, in print order, with chapter titles and discussion prompts resolved. */
export function handoutOf(course: Course, variant: Variant): HandoutPayload {
  const agenda = variant.agenda.flatMap((item) => ('chapter' in item ? [item.chapter] : []));
  const isPrinted = (sheet: HandoutSheet): boolean => {
    if (sheet.variants) return sheet.variants.includes(variant.id);
    return sheet.chapter === undefined || agenda.includes(sheet.chapter);
  };
  const rank = (sheet: HandoutSheet): [number, number, number] => {
    if (sheet.kind === 'sources') return [2, 0, 0];
    if (sheet.chapter === undefined) return [0, 0, KIND_ORDER[sheet.kind]];
    return [1, agenda.indexOf(sheet.chapter), KIND_ORDER[sheet.kind]];
  };
  const sheets = (course.handouts?.sheets ?? [])
    .filter(isPrinted)
    .map((sheet, index) => ({ sheet, index, rank: rank(sheet) }))
    .sort((a, b) => a.rank[0] - b.rank[0] || a.rank[1] - b.rank[1] || a.rank[2] - b.rank[2] || a.index - b.index)
    .map(({ sheet }): HandoutSheetView => {
      const chapter = course.chapters.find((candidate) => candidate.id === sheet.chapter);
      const question = course.questions.find((candidate) => candidate.id === sheet.questionId);
      return {
        ...sheet,
        ...(chapter ? { chapterTitle: chapter.title, ...(chapter.number ? { chapterNumber: chapter.number } : {}) } : {}),
        ...(question ? { questionPrompt: question.prompt } : {}),
      };
    });
  const { id, title, subtitle, presenter, legalCheckedOn } = course.manifest;
  return {
    course: { id, title, ...(subtitle ? { subtitle } : {}), ...(presenter ? { presenter } : {}), ...(legalCheckedOn ? { legalCheckedOn } : {}) },
    variant: { id: variant.id, title: variant.title, audience: variant.audience },
    title: course.handouts?.title ?? '配布資料',
    sheets,
  };
}

/**
 * The A4 print page of a course's workshop and handout sheets (/handout/:courseId?variant=…) and the
 * JSON it renders. The sheets hold no participant data, so neither needs a key.
 */
export function createHandoutRouter(catalog: CourseCatalog, clientDir: string): Router {
  const router = Router();
  const page = path.join(clientDir, 'handout', 'index.html');

  router.get('/handout/:courseId', (req, res) => {
    if (!COURSE_ID.test(req.params.courseId) || !catalog.get(req.params.courseId)) {
      return res.status(404).type('text/plain').send('no such course');
    }
    res.set('Cache-Control', 'no-cache').sendFile(page);
  });

  router.get('/api/courses/:courseId/handouts', (req, res) => {
    const course = COURSE_ID.test(req.params.courseId) ? catalog.get(req.params.courseId) : undefined;
    if (!course) return sendError(res, { code: ErrorCode.courseNotFound, message: 'no such course' });
    const variantId = typeof req.query.variant === 'string' ? req.query.variant : course.manifest.defaultVariant;
    const variant = course.manifest.variants.find((candidate) => candidate.id === variantId);
    if (!variant) return sendError(res, { code: ErrorCode.courseNotFound, message: 'no such variant' });
    res.set('Cache-Control', 'no-cache');
    sendData(res, handoutOf(course, variant));
  });
  return router;
}
