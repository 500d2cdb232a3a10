#!/usr/bin/env node
import { createRequire } from 'node:module';
import { ConfigError, settingsHelp } from './config.js';
import { DEAD_LETTERS_USAGE, deadLetters } from './commands/dead-letters.js';
import { DEMO_USAGE, demo } from './commands/demo.js';
import { IMPORT_USAGE, importFiles } from './commands/import.js';
import { EXPORT_USAGE, FORGET_USAGE, PRIVACY_USAGE, exportCommand, forget } from './commands/privacy.js';
import { serve } from './commands/serve.js';
import { RUN_STARTS_USAGE, runStarts } from './commands/run-starts.js';
import { SALVAGE_USAGE, salvage } from './commands/salvage.js';
import { VISIT_TOTALS_USAGE, visitTotals } from './commands/visit-totals.js';
import { StoreDamaged } from './store/integrity.js';

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  serve,
  'dead-letters': deadLetters,
  import: importFiles,
  demo,
  forget,
  export: exportCommand,
  salvage,
  'run-starts': runStarts,
  'visit-totals': visitTotals,
};

const SERVE_USAGE = `kibotics-analytics serve [--setting VALUE]...
    Run the gateway: POST /v1/events, POST /v1/logs, GET /healthz, GET /metrics; until SIGTERM or SIGINT.`;

/** Each command's own usage, for `<command> --help`. */
const USAGES: Record<string, string> = {
  serve: SERVE_USAGE,
  'dead-letters': DEAD_LETTERS_USAGE,
  import: IMPORT_USAGE,
  demo: DEMO_USAGE,
  forget: FORGET_USAGE,
  export: EXPORT_USAGE,
  salvage: SALVAGE_USAGE,
  'run-starts': RUN_STARTS_USAGE,
  'visit-totals': VISIT_TOTALS_USAGE,
};

const SETTINGS_HELP = `Settings (each an environment variable, or the flag beside it; a flag wins):
${settingsHelp()}
`;

const version = () => (createRequire(import.meta.url)('../package.json') as { version: string }).version;

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
  salvage         rescue what a damaged DATA_DIR still holds
${SALVAGE_USAGE.replace(/^/gm, '    ')}
  run-starts      once after upgrading: run starts for older active_days points
${RUN_STARTS_USAGE.replace(/^/gm, '    ')}
  visit-totals    once after upgrading: visit_totals_15m for older visits_15m buckets
${VISIT_TOTALS_USAGE.replace(/^/gm, '    ')}

  --version       the version of kibotics-analytics
  <command> --help, -h   that command's options and every setting

${SETTINGS_HELP}`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--version' || command === '-V') {
    process.stdout.write(`kibotics-analytics ${version()}\n`);
    return 0;
  }
  if (command === 'help' && rest[0] !== undefined && USAGES[rest[0]] !== undefined) return main([rest[0], '--help']);
  if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  // Before the command parses anything: `serve --help` must not start a gateway.
  if (command !== undefined && USAGES[command] !== undefined && (rest.includes('--help') || rest.includes('-h'))) {
    process.stdout.write(`Usage: ${USAGES[command]}\n\n${SETTINGS_HELP}`);
    return 0;
  }
  const run = command === undefined ? undefined : COMMANDS[command];
  if (!run) {
    process.stderr.write(
      `${command === undefined ? 'a command is needed' : `unknown command '${command}'`}\n\n${USAGE}`
    );
    return 2;
  }
  return run(rest);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof StoreDamaged) {
      process.stderr.write(`kibotics-analytics: ${err.message}\n`);
      process.exit(1);
    }
    if (err instanceof ConfigError) {
      process.stderr.write(`kibotics-analytics: ${err.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`kibotics-analytics: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  }
);
