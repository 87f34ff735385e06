import fs from 'node:fs';
import path from 'node:path';
import type { App } from './app.ts';

interface DemoSessionFile {
  code: string;
  presenterKey: string;
  organizerKey: string;
}

/**
 * Opens the demo session `npm start` prints, or resumes the one from the previous start. Its keys are
 * kept in DATA_DIR/demo-session.json (the database only has their hashes) so the same URLs keep working.
 */
export async function openDemoSession(app: App, dataDir: string, courseId: string): Promise<DemoSessionFile & { title: string }> {
  const file = path.join(dataDir, 'demo-session.json');
  if (fs.existsSync(file)) {
    const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as DemoSessionFile;
    const room = app.rooms.find(saved.code);
    if (room && app.rooms.isPresenter(room, saved.presenterKey)) return { ...saved, title: room.session.title };
  }
  const created = await app.rooms.create({ courseId });
  if (!created.ok) throw new Error(`cannot open the demo session: ${created.error.message}`);
  const { session, presenterKey, organizerKey } = created.data;
  const saved: DemoSessionFile = { code: session.code, presenterKey, organizerKey };
  fs.writeFileSync(file, JSON.stringify(saved, null, 2), { mode: 0o600 });
  return { ...saved, title: session.title };
}
