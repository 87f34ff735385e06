/**
 * npm run demo:reset — deletes the demo session `npm start` opens (its participants, rounds and votes)
 * so the next `npm start` opens a new one with new keys. Stop the server first.
 */
import { loadConfig } from '../server/config.ts';
import { forgetDemoSession, readDemoSessionCode } from '../server/demo-session.ts';
import { openStorage } from '../server/storage/open-storage.ts';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const code = readDemoSessionCode(config.dataDir);
  if (!code) return console.log('kotae: no demo session to reset');
  const storage = await openStorage(config);
  try {
    const session = await storage.sessions.findByCode(code);
    if (session?.settings.isDemo) await storage.commit([{ kind: 'session-deleted', sessionId: session.id }]);
  } finally {
    await storage.close();
  }
  forgetDemoSession(config.dataDir);
  console.log(`kotae: demo session ${code} deleted; the next npm start opens a new one`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
