import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCourse, estimateChapterMinutes, timingOfVariant } from '../../../server/course/course-check.ts';
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

  it('reads `::: test` as the knowledge test\'s slide and `::: test pre` as the pre-test\'s', () => {
    const slides = parseChapterMarkdown('closing', '::: test\n\nNote:\nT で開始\n\n---\n\n::: test pre\n\n---\n\n::: test later');
    expect(slides.map((slide) => [slide.kind, slide.kind === 'test' ? slide.testKind : null])).toEqual([
      ['test', 'post'],
      ['test', 'pre'],
      ['content', null],
    ]);
  });

  it('leaves a slide without notes with empty notes', () => {
    expect(parseChapterMarkdown('x', '## 見出しだけ')[0]).toMatchObject({ kind: 'content', notes: '' });
  });
});

describe('course schema and checks', () => {
  it('loads the sample course without problems', () => {
    const course = loadCourse(sampleFolder);
    expect(course.chapters.map((chapter) => chapter.slides.length)).toEqual([2, 6]);
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
    expect(problems).toContain('variant short has 19 items, not 20');
  });

  it('estimates a chapter from its slides at the course’s minutes per kind and fails it only beyond the allowed overrun', () => {
    const course = loadCourse(sampleFolder);
    const ch1 = course.chapters[1]!;
    expect(estimateChapterMinutes(course, ch1, course.manifest.timing!)).toEqual({
      contentSlides: 2,
      oxQuestions: 2,
      caseQuestions: 1,
      activityMinutes: 0,
      minutes: 10,
    });
    const tight: Course = structuredClone(course);
    const agendaLine = tight.manifest.variants[0]!.agenda[1]!;
    agendaLine.minutes = 9; // 10 estimated against 9 planned: 11 % over
    tight.manifest.variants[0]!.agenda[2]!.minutes += 11;
    expect(timingOfVariant(tight, tight.manifest.variants[0]!).find((line) => line.chapterId === 'ch1')?.isOver).toBe(true);
    expect(checkCourse(tight).join('\n')).toContain('chapter ch1 is estimated at 10 min, more than 10 % over its planned 9');
    agendaLine.minutes = 10;
    tight.manifest.variants[0]!.agenda[2]!.minutes -= 1;
    expect(checkCourse(tight)).toEqual([]);
    tight.chapters[1]!.activity = { label: 'テスト', minutes: 5 };
    expect(checkCourse(tight).join('\n')).toContain('chapter ch1 is estimated at 15 min');
  });

  it('requires the last-checked date, the timing settings and a basis for every test item', () => {
    const broken: Course = structuredClone(loadCourse(sampleFolder));
    delete broken.manifest.legalCheckedOn;
    delete broken.manifest.timing;
    delete broken.test.items[3]!.basis;
    const problems = checkCourse(broken).join('\n');
    expect(problems).toContain('no legalCheckedOn date');
    expect(problems).toContain('no timing settings');
    expect(problems).toContain('test item t04 has no basis');
  });

  it('checks each variant’s own test: 20 existing items, none twice, only from chapters the variant teaches', () => {
    const course = loadCourse(sampleFolder);
    const ids = course.test.items.map((item) => item.id);
    const withList: Course = structuredClone(course);
    withList.manifest.variants[0]!.testItems = ids;
    expect(checkCourse(withList)).toEqual([]);
    withList.manifest.variants[0]!.testItems = [...ids.slice(0, 18), 'ghost', ids[0]!];
    withList.manifest.variants[0]!.agenda = withList.manifest.variants[0]!.agenda.filter((item) => !('chapter' in item) || item.chapter !== 'intro');
    withList.manifest.variants[0]!.agenda.push({ break: '休憩', minutes: 5 });
    const problems = checkCourse(withList).join('\n');
    expect(problems).toContain('lists unknown test item "ghost"');
    expect(problems).toContain('lists test item "t01" more than once');
    expect(problems).toContain('tests item t02 from chapter intro, which it does not teach');
    withList.manifest.variants[0]!.testItems = ids.slice(0, 19);
    expect(checkCourse(withList).join('\n')).toContain('variant short has 19 items, not 20');
  });

  it('checks the handout sheets’ references to chapters, questions and variants', () => {
    const course: Course = structuredClone(loadCourse(sampleFolder));
    course.handouts = {
      title: '配布資料',
      sheets: [
        { id: 's1', kind: 'discussion', title: '討議', chapter: 'ch1', questionId: 'q-basic', blocks: [{ paragraphs: ['話し合う'] }] },
        { id: 's2', kind: 'one-point', title: '要点', chapter: 'ghost', variants: ['nope'], blocks: [{ bullets: ['要点'] }] },
        { id: 's3', kind: 'discussion', title: '討議', questionId: 'missing', blocks: [{ paragraphs: ['x'] }] },
        { id: 's3', kind: 'discussion', title: '討議', blocks: [{ paragraphs: ['x'] }] },
      ],
    };
    const problems = checkCourse(course).join('\n');
    expect(problems).not.toContain('sheet s1');
    expect(problems).toContain('handout sheet s2 names unknown chapter "ghost"');
    expect(problems).toContain('handout sheet s2 names unknown variant "nope"');
    expect(problems).toContain('handout sheet s3 names unknown question "missing"');
    expect(problems).toContain('handout sheet id "s3" is used more than once');
    expect(problems).toContain('discussion sheet s3 names no question');
  });

  it('names the file and the field when a course file does not fit the schema', () => {
    expect(() => loadCourse(path.join(FIXTURE_COURSES_DIR, 'does-not-exist'))).toThrow(CourseLoadError);
  });
});
