/**
 * npm run session:new -- --course kasuhara --variant full [--title "…"]
 * Creates a session in DATA_DIR (whether or not the server is running) and prints its URLs and QR.
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../server/config.ts';
import { CourseCatalog } from '../server/course/course-catalog.ts';
import { SessionService } from '../server/live/session-service.ts';
import { publicBaseUrl, sessionUrls } from '../server/public-urls.ts';
import { openStorage } from '../server/storage/storage.ts';
import { sessionBanner } from '../server/terminal-banner.ts';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      course: { type: 'string' },
      variant: { type: 'string' },
      title: { type: 'string' },
    },
  });
  const config = loadConfig(process.env);
  const catalog = CourseCatalog.fromFolder(config.coursesDir);
  const courseId = values.course ?? config.demoCourse;
  const storage = openStorage(config.dataDir);
  try {
    const service = new SessionService(storage, catalog, { now: () => Date.now() });
    const created = service.createSession({ courseId, variantId: values.variant, title: values.title });
    if (!created.ok) {
      const course = catalog.get(courseId);
      const known = course ? `variants: ${course.manifest.variants.map((variant) => variant.id).join(', ')}` : `courses: ${catalog.ids().join(', ')}`;
      throw new Error(`${created.error.message} (${known})`);
    }
    const { session, presenterKey, organizerKey } = created.value;
    const urls = sessionUrls(publicBaseUrl(config.publicUrl, config.port), session.code, { presenterKey, organizerKey });
    console.log(await sessionBanner(session.title, session.code, urls));
  } finally {
    storage.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError || error instanceof Error ? error.message : error);
  process.exit(1);
});
