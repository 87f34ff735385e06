/**
 * npm run session:new -- --course kasuhara --variant full [--title "…"] [--client "…"] [--starts-at 2026-12-01T14:00] [--rehearsal]
 * Creates a session in DATA_DIR (whether or not the server is running) and prints its URLs and QR.
 */
import { parseArgs } from 'node:util';
import { SessionSettings } from '../shared/protocol.ts';
import { ConfigError, loadConfig } from '../server/config.ts';
import { CourseCatalog } from '../server/course/course-catalog.ts';
import { RoomRegistry } from '../server/live/room-registry.ts';
import { SoloOwnership } from '../server/live/session-ownership.ts';
import { silentLogger } from '../server/logger.ts';
import type { RoomNotifier } from '../server/live/session-room.ts';
import { publicBaseUrl, sessionUrls } from '../server/public-urls.ts';
import { openStorage } from '../server/storage/open-storage.ts';
import { sessionBanner } from '../server/terminal-banner.ts';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      course: { type: 'string' },
      variant: { type: 'string' },
      title: { type: 'string' },
      client: { type: 'string' },
      'starts-at': { type: 'string' },
      rehearsal: { type: 'boolean', default: false },
    },
  });
  const config = loadConfig(process.env);
  const catalog = CourseCatalog.fromFolder(config.coursesDir);
  const courseId = values.course ?? config.demoCourse;
  const storage = await openStorage(config);
  try {
    // No server runs here, so nobody is listening for changes.
    const nobody: RoomNotifier = {
      deckMoved() {},
      roundChanged() {},
      votesChanged() {},
      participantsChanged() {},
      testChanged() {},
      participantsAdmitted() {},
      participantsRemoved() {},
      sessionEnded() {},
      sessionDeleted() {},
      sessionMoved() {},
      stageChanged() {},
      qaChanged() {},
    };
    const rooms = new RoomRegistry({
      storage,
      catalog,
      clock: { now: () => Date.now() },
      notifier: nobody,
      logger: silentLogger(),
      connectedSockets: () => 0,
      // Only creates a session: no room is loaded, so no node's ownership is involved.
      ownership: new SoloOwnership(() => ({ nodeId: config.nodeId, url: publicBaseUrl(config.publicUrl, config.port) })),
      unloadDelays: { endedMs: config.endedSessionUnloadSeconds * 1000, runningMs: config.idleSessionUnloadMinutes * 60_000 },
    });
    const settings = SessionSettings.safeParse({ clientName: values.client, startsAt: values['starts-at'] ?? null, isRehearsal: values.rehearsal });
    if (!settings.success) throw new Error(settings.error.issues.map((issue) => `--${issue.path.join('.')}: ${issue.message}`).join('; '));
    const created = await rooms.create({ courseId, variantId: values.variant, title: values.title, settings: settings.data });
    if (!created.ok) {
      const course = catalog.get(courseId);
      const known = course ? `variants: ${course.manifest.variants.map((variant) => variant.id).join(', ')}` : `courses: ${catalog.ids().join(', ')}`;
      throw new Error(`${created.error.message} (${known})`);
    }
    const { session, presenterKey, organizerKey } = created.data;
    const urls = sessionUrls(publicBaseUrl(config.publicUrl, config.port), session.code, { presenterKey, organizerKey });
    console.log(await sessionBanner(session.title, session.code, urls));
  } finally {
    await storage.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError || error instanceof Error ? error.message : error);
  process.exit(1);
});
