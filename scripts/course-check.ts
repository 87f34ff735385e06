/**
 * npm run course:check — validates every course under slides/ (or the folder given), prints its counts,
 * the date its legal content was last checked, and per variant each chapter's planned minutes against
 * the estimate from its slides; fails on any problem, including a chapter more than the allowed share over.
 */
import path from 'node:path';
import { testItemsOfVariant } from '../server/course/course-catalog.ts';
import { checkCourse, timingOfVariant } from '../server/course/course-check.ts';
import { CourseLoadError, listCourseFolders, loadCourse } from '../server/course/course-loader.ts';

const coursesDir = path.resolve(process.argv[2] ?? 'slides');
const folders = listCourseFolders(coursesDir);
let failures = folders.length === 0 ? 1 : 0;
if (folders.length === 0) console.error(`no course under ${coursesDir}`);

for (const folder of folders) {
  try {
    const course = loadCourse(folder);
    const problems = checkCourse(course);
    const slides = course.chapters.reduce((sum, chapter) => sum + chapter.slides.length, 0);
    const sheets = course.handouts?.sheets.length ?? 0;
    console.log(
      `${course.manifest.id}: ${course.chapters.length} chapters, ${slides} slides, ${course.questions.length} questions, ${course.test.items.length} test items, ${sheets} handout sheets`,
    );
    console.log(`  legal content last checked: ${course.manifest.legalCheckedOn ?? '(not recorded)'}`);
    const timing = course.manifest.timing;
    if (timing) {
      console.log(
        `  estimate: ${timing.contentSlide} min per content slide, ${timing.oxQuestion} per ○×, ${timing.caseQuestion} per case; fails above +${Math.round(timing.maxOverrun * 100)} %`,
      );
    }
    for (const variant of course.manifest.variants) {
      console.log(`  ${variant.id} (${variant.totalMinutes} min): planned / estimated minutes per chapter`);
      for (const line of timingOfVariant(course, variant)) {
        const { contentSlides, oxQuestions, caseQuestions, activityMinutes, minutes } = line.estimate;
        const parts = `${contentSlides} slides, ${oxQuestions} ○×, ${caseQuestions} case${caseQuestions === 1 ? '' : 's'}${activityMinutes ? `, +${activityMinutes} min activity` : ''}`;
        const mark = line.isOver ? '✗ over' : minutes > line.planned ? '~ within tolerance' : '✓';
        console.log(`    ${line.chapterId.padEnd(28)} ${String(line.planned).padStart(3)} / ${String(minutes).padStart(5)}  ${mark}  (${parts})`);
      }
      for (const item of variant.agenda) if ('break' in item) console.log(`    ${item.break.padEnd(28)} ${String(item.minutes).padStart(3)}`);
      const items = testItemsOfVariant(course, variant);
      const keys = items.filter((item) => item.answer === 'o').length;
      console.log(`    test: ${items.length} items (${keys} ○ / ${items.length - keys} ×) from ${[...new Set(items.map((item) => item.chapter))].join(', ')}`);
    }
    for (const problem of problems) console.error(`  ✗ ${problem}`);
    if (problems.length > 0) failures += 1;
  } catch (error) {
    failures += 1;
    console.error(error instanceof CourseLoadError ? `✗ ${error.message}` : error);
  }
}
if (failures > 0) {
  console.error(`course:check failed for ${failures} course(s)`);
  process.exit(1);
}
console.log('course:check passed');
