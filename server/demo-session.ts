import fs from 'node:fs';
import path from 'node:path';
import type { App } from './app.ts';
import { SessionMovedError } from './live/session-ownership.ts';

interface DemoSessionFile {
  code: string;
  presenterKey: string;
  organizerKey: string;
}

const DEMO_FILE = 'demo-session.json';

function demoTitle(app: App, courseId: string): string {
  return `【デモ】${app.catalog.get(courseId)?.manifest.title ?? courseId}`;
}

/**
 * Opens the demo session `npm start` prints, or resumes the one from the previous start. Its keys are
 * kept in DATA_DIR/demo-session.json (the database only has their hashes) so the same URLs keep working.
 */
export async function openDemoSession(app: App, dataDir: string, courseId: string): Promise<DemoSessionFile & { title: string }> {
  const file = path.join(dataDir, DEMO_FILE);
  if (fs.existsSync(file)) {
    const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as DemoSessionFile;
    try {
      const room = await app.rooms.find(saved.code);
      if (room && app.rooms.isPresenter(room, saved.presenterKey)) return { ...saved, title: room.session.title };
    } catch (error) {
      // In a cluster another node may run it now: it is still this node's demo, reached through `home`.
      if (!(error instanceof SessionMovedError)) throw error;
      return { ...saved, title: demoTitle(app, courseId) };
    }
  }
  const created = await app.rooms.create({ courseId, title: demoTitle(app, courseId), settings: { isDemo: true, isRehearsal: true } });
  if (!created.ok) throw new Error(`cannot open the demo session: ${created.error.message}`);
  const { session, presenterKey, organizerKey } = created.data;
  const saved: DemoSessionFile = { code: session.code, presenterKey, organizerKey };
  fs.writeFileSync(file, JSON.stringify(saved, null, 2), { mode: 0o600 });
  return { ...saved, title: session.title };
}

/** The join code of the demo session kept in DATA_DIR, if any: what `npm run demo:reset` deletes. */
export function readDemoSessionCode(dataDir: string): string | null {
  const file = path.join(dataDir, DEMO_FILE);
  if (!fs.existsSync(file)) return null;
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as DemoSessionFile).code;
}

/** Forgets the demo session, so the next start opens a new one. */
export function forgetDemoSession(dataDir: string): void {
  fs.rmSync(path.join(dataDir, DEMO_FILE), { force: true });
}
