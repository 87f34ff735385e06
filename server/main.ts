/** The kotae server process: reads the environment, listens, opens the demo session, handles signals. */
import { createApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { openDemoSession } from './demo-session.ts';
import { createIpcDiagnostics } from './diagnostics.ts';
import { createLogger } from './logger.ts';
import { publicBaseUrl } from './public-urls.ts';
import { adminBanner, sessionBanner, venueCheckBanner } from './terminal-banner.ts';

/** How long a node that stopped serving may take to close before it exits anyway. */
const UNHEALTHY_EXIT_AFTER_MS = 10_000;

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger({ isPretty: process.stdout.isTTY === true });
  const diagnostics = config.diagnostics === 'ipc' ? createIpcDiagnostics(process) : undefined;
  const app = await createApp({ config, logger, ...(diagnostics ? { diagnostics } : {}) });
  const port = await app.listen();
  logger.info({ host: config.host, port }, `kotae listening on http://${config.host}:${port}`);

  const demo = await openDemoSession(app, config.dataDir, config.demoCourse);
  const urls = app.urlsOf(demo.code, demo);
  console.log(await sessionBanner(demo.title, demo.code, urls));
  console.log(adminBanner(`${publicBaseUrl(config.publicUrl, port, config.tls !== undefined)}/admin`, app.adminPassword));
  console.log(venueCheckBanner(urls.join));

  let isClosing = false;
  const shutdown = (signal: string, exitCode = 0): void => {
    if (isClosing) return;
    isClosing = true;
    logger.info({ signal }, 'closing: commands under way are committed and answered first');
    app.close().then(
      () => {
        logger.info('closed');
        process.exit(exitCode);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'closing failed');
        process.exit(1);
      },
    );
  };
  // A node that lost its heartbeat never serves again: it exits for its supervisor to start it afresh.
  app.onUnhealthy(() => {
    shutdown('unhealthy', 1);
    // Closing talks to the database, which may be what is unreachable: exit regardless after a while.
    setTimeout(() => process.exit(1), UNHEALTHY_EXIT_AFTER_MS).unref();
  });
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
