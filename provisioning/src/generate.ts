/**
 * Writes the provisioned files from their TypeScript source: dashboards/json/*.json and
 * alerting/rules.yaml. `--check` writes nothing and exits 1 when a committed file differs.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderAll } from './render.js';

const root = join(import.meta.dirname, '..');
const check = process.argv.includes('--check');
let stale = 0;
for (const { path, text } of renderAll()) {
  const full = join(root, path);
  let current: string | undefined;
  try {
    current = readFileSync(full, 'utf8');
  } catch {
    current = undefined;
  }
  if (current === text) continue;
  if (check) {
    process.stderr.write(`${path} differs from its source: run npm run generate -w provisioning\n`);
    stale++;
  } else {
    writeFileSync(full, text);
    process.stdout.write(`wrote ${path}\n`);
  }
}
process.exit(stale ? 1 : 0);
