// Zips dist/ the way Grafana's signing and catalog expect: one folder named after the plugin id at the
// top of the archive, holding module.js, plugin.json, README, LICENSE, CHANGELOG, img/ and source maps.
// Uses Debian's zip/unzip; run `npm run build` first. Output: kibotics-activity-panel-<version>.zip.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const pluginDir = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const dist = join(pluginDir, 'dist');
if (!existsSync(join(dist, 'module.js')) || !existsSync(join(dist, 'plugin.json'))) {
  throw new Error('dist/ is incomplete: run `npm run build` first');
}
const { id, info } = JSON.parse(readFileSync(join(dist, 'plugin.json'), 'utf8'));
const zipName = `${id}-${info.version}.zip`;
const zipPath = join(pluginDir, zipName);

const staging = mkdtempSync(join(tmpdir(), 'activity-package-'));
try {
  cpSync(dist, join(staging, id), { recursive: true });
  rmSync(zipPath, { force: true });
  execFileSync('zip', ['-qr', zipPath, id], { cwd: staging });
} finally {
  rmSync(staging, { recursive: true, force: true });
}

const entries = execFileSync('unzip', ['-Z1', zipPath], { encoding: 'utf8' }).trim().split('\n');
const outside = entries.filter((entry) => !entry.startsWith(`${id}/`));
const required = ['module.js', 'plugin.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'img/logo.svg'].map(
  (f) => `${id}/${f}`
);
const missing = required.filter((entry) => !entries.includes(entry));
if (outside.length || missing.length) {
  throw new Error(`bad layout in ${zipName}: outside ${id}/: ${outside.join(', ')}; missing: ${missing.join(', ')}`);
}
console.log(`${zipName}: ${entries.length} entries under ${id}/`);
console.log(entries.map((entry) => `  ${entry}`).join('\n'));
