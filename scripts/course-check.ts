/** npm run course:check — validates every course under slides/ (or the folder given) and prints its counts. */
import path from 'node:path';
import { checkCourse } from '../server/course/course-check.ts';
import { chaptersOfVariant } from '../server/course/course-catalog.ts';
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
    console.log(
      `${course.manifest.id}: ${course.chapters.length} chapters, ${slides} slides, ${course.questions.length} questions, ${course.test.items.length} test items`,
    );
    for (const variant of course.manifest.variants) {
      const plan = chaptersOfVariant(course, variant).map(({ chapter, minutes }) => `${chapter.id} ${minutes}`);
      console.log(`  ${variant.id} (${variant.totalMinutes} min): ${plan.join(', ')}`);
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
