import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findVariant } from '../../../server/course/course-catalog.ts';
import { loadCourse } from '../../../server/course/course-loader.ts';
import { handoutOf } from '../../../server/transport/http/handout.router.ts';
import { REAL_COURSES_DIR } from '../../support/test-app.ts';

const course = loadCourse(path.join(REAL_COURSES_DIR, 'kasuhara'));

describe('the handout sheets of a variant', () => {
  it('prints the course-wide sheets first, then chapter by chapter in the agenda’s order, the sources last', () => {
    const variant = findVariant(course, 'field')!;
    const { sheets } = handoutOf(course, variant);
    expect(sheets.slice(0, 3).map((sheet) => sheet.kind)).toEqual(['policy', 'worksheet', 'record-form']);
    expect(sheets.at(-1)?.kind).toBe('sources');
    const agenda = variant.agenda.flatMap((item) => ('chapter' in item ? [item.chapter] : []));
    const order = sheets.flatMap((sheet) => (sheet.chapter ? [agenda.indexOf(sheet.chapter)] : []));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(order).not.toContain(-1);
  });

  it('leaves out the chapters a variant does not teach and resolves the discussion prompts without answers', () => {
    const field = handoutOf(course, findVariant(course, 'field')!);
    expect(field.sheets.some((sheet) => sheet.chapter === 'ch1-company')).toBe(false);
    const full = handoutOf(course, findVariant(course, 'full')!);
    expect(full.sheets.some((sheet) => sheet.chapter === 'field-scripts')).toBe(false);
    for (const sheet of full.sheets.filter((candidate) => candidate.kind === 'discussion')) {
      expect(sheet.questionPrompt, sheet.id).toBe(course.questions.find((question) => question.id === sheet.questionId)?.prompt);
    }
    expect(JSON.stringify(full)).not.toContain('"answer"');
    expect(full.course.legalCheckedOn).toBe(course.manifest.legalCheckedOn);
  });
});
