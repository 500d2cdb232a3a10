#!/usr/bin/env node
import { ConfigError, SETTINGS, flagOf } from './config.js';
import { DEAD_LETTERS_USAGE, deadLetters } from './commands/dead-letters.js';
import { DEMO_USAGE, demo } from './commands/demo.js';
import { IMPORT_USAGE, importFiles } from './commands/import.js';
import { PRIVACY_USAGE, exportCommand, forget } from './commands/privacy.js';
import { serve } from './commands/serve.js';

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  serve,
  'dead-letters': deadLetters,
  import: importFiles,
  demo,
  forget,
  export: exportCommand,
};

const USAGE = `Usage: kibotics-analytics <command> [options]

Commands:
  serve           run the gateway: POST /v1/events, GET /healthz, GET /metrics
  import          bring in historical files (Kibotics logs, MongoDB and Elasticsearch exports)
${IMPORT_USAGE.replace(/^/gm, '    ')}
  demo            generate realistic traffic: history, then live
${DEMO_USAGE.replace(/^/gm, '    ')}
  forget, export  erase one user, or give their data (GDPR rights)
${PRIVACY_USAGE.replace(/^/gm, '    ')}
  dead-letters    list, replay or purge the points InfluxDB refused
${DEAD_LETTERS_USAGE.replace(/^/gm, '    ')}

Settings (each an environment variable, or the flag beside it):
${Object.values(SETTINGS)
  .map((s) => `  ${flagOf(s.env).padEnd(26)} ${s.env}`)
  .join('\n')}
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  const run = command === undefined ? undefined : COMMANDS[command];
  if (!run) {
    process.stderr.write(`${command === undefined ? 'a command is needed' : `unknown command '${command}'`}\n\n${USAGE}`);
    return 2;
  }
  return run(rest);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof ConfigError) {
      process.stderr.write(`kibotics-analytics: ${err.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`kibotics-analytics: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
