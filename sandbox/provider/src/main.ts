// Boots the sandbox provider as its own process: `node dist/sandbox/provider/src/main.js`.
// A SANDBOX for tests and demos: it fakes a provider's wire format and must never sit on a real request path.
import { pino } from 'pino';
import { parseSandboxEnv, SandboxEnvError, type SandboxEnv } from './sandbox-env.config';
import { createSandboxServer } from './sandbox-server';

const logger = pino({ name: 'sandbox-provider' });

async function main(): Promise<void> {
  let env: SandboxEnv;
  try {
    env = parseSandboxEnv(process.env);
  } catch (error) {
    if (!(error instanceof SandboxEnvError)) throw error;
    logger.fatal({ problems: error.problems }, error.message);
    process.exit(1);
  }

  const sandbox = createSandboxServer({ ...env, logger });
  const port = await sandbox.listen(env.port, env.host);
  const host = env.host.includes(':') ? `[${env.host}]` : env.host;
  const { latencyMs, chunkDelayMs } = env;
  logger.info(
    { url: `http://${host}:${port}`, formats: ['openai-chat', 'anthropic-messages', 'gemini', 'xai-video', 'suno'], latencyMs, chunkDelayMs },
    'sandbox provider listening (test/demo infrastructure, not a real provider)',
  );

  const shutdown = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'sandbox provider closing');
    sandbox.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'sandbox provider failed to close cleanly');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, 'sandbox provider failed to start');
  process.exit(1);
});
