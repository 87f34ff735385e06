/** The kotae server process: reads the environment, listens, opens the demo session, handles signals. */
import { createApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { openDemoSession } from './demo-session.ts';
import { sessionBanner } from './terminal-banner.ts';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const app = createApp({ config });
  const port = await app.listen();
  console.log(`kotae listening on http://${config.host}:${port}`);

  const demo = await openDemoSession(app, config.dataDir, config.demoCourse);
  const urls = app.urlsOf(demo.code, demo);
  console.log(await sessionBanner(demo.title, demo.code, urls));

  let isClosing = false;
  const shutdown = (signal: string): void => {
    if (isClosing) return;
    isClosing = true;
    console.log(`kotae: ${signal}, closing`);
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
