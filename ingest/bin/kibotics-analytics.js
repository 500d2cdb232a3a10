#!/usr/bin/env node
// The package's command. A file that exists before the build, so npm links it at install time;
// the compiled CLI it runs is built by `npm install` (postinstall) or `npm run build`.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('kibotics-analytics: not built yet: run `npm run build -w ingest` (or `npm install`) first\n');
  process.exit(1);
}
await import(cli.href);
