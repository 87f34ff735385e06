import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCourse } from '../../../server/course/course-check.ts';
import { CourseLoadError, loadCourse } from '../../../server/course/course-loader.ts';
import { CaseQuestion, parseChapterMarkdown, type Course } from '../../../shared/course.ts';
import { FIXTURE_COURSES_DIR } from '../../support/test-app.ts';

const sampleFolder = path.join(FIXTURE_COURSES_DIR, 'sample');

describe('chapter Markdown', () => {
  it('splits slides on --- lines and takes the notes after Note:', () => {
    const slides = parseChapterMarkdown('ch1', '# 扉\n\nNote:\n扉のノート\n\n---\n\n## 本文\n- 箇条\n\nNote:\n本文のノート\n');
    expect(slides).toEqual([
      { kind: 'content', id: 'ch1-1', markdown: '# 扉', notes: '扉のノート' },
      { kind: 'content', id: 'ch1-2', markdown: '## 本文\n- 箇条', notes: '本文のノート' },
    ]);
  });

  it('reads a slide that is only `::: question <id>` as a question slide', () => {
    expect(parseChapterMarkdown('ch1', '::: question q1-1\n\nNote:\n話し合ってもらう')).toEqual([
      { kind: 'question', id: 'ch1-1', questionId: 'q1-1', notes: '話し合ってもらう' },
    ]);
  });

  it('leaves a slide without notes with empty notes', () => {
    expect(parseChapterMarkdown('x', '## 見出しだけ')[0]).toMatchObject({ kind: 'content', notes: '' });
  });
});

describe('course schema and checks', () => {
  it('loads the sample course without problems', () => {
    const course = loadCourse(sampleFolder);
    expect(course.chapters.map((chapter) => chapter.slides.length)).toEqual([1, 5]);
    expect(checkCourse(course)).toEqual([]);
  });

  it('rejects a case question whose answer is not one of its choices', () => {
    const result = CaseQuestion.safeParse({
      id: 'c1',
      kind: 'case',
      chapter: 'ch1',
      case: { court: '地裁', date: '2020年', outcome: '棄却' },
      facts: '事実',
      prompt: '問い',
      choices: [
        { key: 'a', label: 'A' },
        { key: 'b', label: 'B' },
      ],
      answer: 'c',
      explanation: '判断',
      lesson: '教訓',
      basis: '根拠',
    });
    expect(result.success).toBe(false);
  });

  it('reports dangling references, missing notes, wrong minutes, duplicate ids and a short test', () => {
    const course = loadCourse(sampleFolder);
    const broken: Course = structuredClone(course);
    const chapter = broken.chapters[1]!;
    chapter.slides.push({ kind: 'question', id: 'ch1-99', questionId: 'nope', notes: '' });
    chapter.slides.push({ kind: 'content', id: 'ch1-100', markdown: '## x', notes: '' });
    broken.manifest.variants[0]!.totalMinutes = 31;
    broken.questions.push({ ...broken.questions[0]!, chapter: 'ghost' } as Course['questions'][number]);
    broken.test.items.pop();
    const problems = checkCourse(broken).join('\n');
    expect(problems).toContain('asks question "nope"');
    expect(problems).toContain('slide ch1-100 has no speaker notes');
    expect(problems).toContain('plans 30 minutes, not its 31');
    expect(problems).toContain('id "q-basic" is used more than once');
    expect(problems).toContain('names unknown chapter "ghost"');
    expect(problems).toContain('19 items, not 20');
  });

  it('names the file and the field when a course file does not fit the schema', () => {
    expect(() => loadCourse(path.join(FIXTURE_COURSES_DIR, 'does-not-exist'))).toThrow(CourseLoadError);
  });
});
