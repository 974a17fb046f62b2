// The headless `serve` command: parse flags/env, build and start the engine, print the URL line that
// people and the e2e tests read, and shut down gracefully on SIGINT/SIGTERM (a second signal forces exit).
import os from 'node:os';
import { createLogger, isNvrError } from '../base';
import { isLoopbackHost, parseCommandLine } from './config';
import { createEngine } from './engine';
import { keyFileCipher, takeKeyFromEnv } from './secret-key';

/** Longest a graceful stop may take before the process exits anyway. */
const STOP_TIMEOUT_MS = 10_000;

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseCommandLine(process.argv.slice(2), process.env, { homeDir: os.homedir() });
  } catch (err) {
    process.stderr.write(`nvr serve: ${isNvrError(err) ? err.message : String(err)}\n`);
    process.exit(2);
  }
  if (parsed.kind === 'help') {
    process.stdout.write(parsed.text + '\n');
    return;
  }
  const config = parsed.config;
  const logger = createLogger({ level: config.logLevel, bindings: { pid: process.pid } });
  // The desktop app hands over its safeStorage-wrapped data key; headless, the 0600 key file is used.
  const appKey = takeKeyFromEnv(process.env);
  const engine = createEngine(config, {
    logger,
    generateAdminPassword: true,
    ...(appKey ? { secretCipher: keyFileCipher(appKey) } : {}),
  });
  if (appKey)
    logger.info('camera passwords sealed with the key from the desktop app (safeStorage)');

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    setTimeout(() => {
      logger.error('shutdown took too long: exiting');
      process.exit(1);
    }, STOP_TIMEOUT_MS).unref();
    engine.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);

  try {
    const { url, generatedAdminPassword, tlsFingerprint } = await engine.start();
    if (!isLoopbackHost(config.host))
      logger.info({ host: config.host }, 'listening beyond this machine: login required');
    // Printed once, on stdout only (never logged): it is not stored anywhere in clear.
    if (generatedAdminPassword)
      process.stdout.write(
        `NVR created the admin user "admin" with the password: ${generatedAdminPassword}\n` +
          'Write it down now: it will not be shown again.\n',
      );
    if (tlsFingerprint) process.stdout.write(`NVR TLS certificate SHA-256: ${tlsFingerprint}\n`);
    process.stdout.write(`NVR listening on ${url}\n`);
  } catch (err) {
    const message =
      (err as NodeJS.ErrnoException).code === 'EADDRINUSE'
        ? `port ${config.port} is already in use`
        : String(err);
    logger.fatal({ err }, 'engine failed to start');
    process.stderr.write(`nvr serve: ${message}\n`);
    process.exit(1);
  }
}

await main();
