#!/usr/bin/env node
import { ConfigError, flagsToEnv, loadConfig, SETTINGS, flagOf } from './config.js';
import { startGateway } from './gateway.js';
import { createLogger } from './log.js';

const USAGE = `Usage: kibotics-analytics <command> [options]

Commands:
  serve     run the gateway: POST /v1/events, GET /healthz

Options (each also an environment variable):
${Object.values(SETTINGS)
  .map((s) => `  ${flagOf(s.env).padEnd(26)} ${s.env}`)
  .join('\n')}
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE);
    return command ? 0 : 2;
  }
  switch (command) {
    case 'serve':
      return serve(rest);
    default:
      process.stderr.write(`unknown command '${command}'\n\n${USAGE}`);
      return 2;
  }
}

async function serve(args: string[]): Promise<number> {
  const config = loadConfig(process.env, flagsToEnv(args));
  const log = createLogger(config.logLevel);
  const gateway = await startGateway(config, log);
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, 'shutting down: delivering what can be delivered in 10 s; the rest stays in the spool');
      gateway.close(10_000).then(resolve, resolve);
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof ConfigError) {
      process.stderr.write(`kibotics-analytics: configuration error: ${err.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`kibotics-analytics: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
