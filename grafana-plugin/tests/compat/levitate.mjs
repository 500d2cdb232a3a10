// Compatibility of the plugin's use of @grafana/data, @grafana/ui and @grafana/runtime with the
// oldest Grafana it declares (plugin.json grafanaDependency) and the newest release pinned here,
// checked by @grafana/levitate as `levitate is-compatible` does: the exports the plugin uses, in the
// installed version it is built against, compared with the same exports in the target version.
// Offline: the targets are devDependencies (aliases of @grafana/runtime, which pins its own
// @grafana/data and @grafana/ui), not downloads. `levitate is-compatible` run naively skips every
// package it cannot resolve and reports success, so this fails when nothing was compared.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createTsProgram,
  getIncompatibilitiesBetweenPackages,
  getUsageInfo,
  printIncompatibilities,
} from '@grafana/levitate';

const here = dirname(fileURLToPath(import.meta.url));
const pluginDir = resolve(here, '../..');
const require = createRequire(join(pluginDir, 'package.json'));
const packageDir = (name, from = pluginDir) =>
  dirname(createRequire(join(from, 'package.json')).resolve(`${name}/package.json`));
const versionOf = (dir) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;

const PACKAGES = ['@grafana/data', '@grafana/ui', '@grafana/runtime'];

// Declarations levitate reports as changed whose calls were checked on the target release itself
// (src/compat.test.ts runs them on that release's real PanelPlugin). Anything else fails, and so
// does an entry here that levitate no longer reports (review it away).
const REVIEWED = [
  {
    package: '@grafana/data',
    version: '12.3.0',
    name: 'PanelPlugin.setSuggestionsSupplier',
    why: '12.3 declares only the object form; the supplier is a function that also carries getSuggestionsForData',
  },
  {
    package: '@grafana/data',
    version: '13.2.3',
    name: 'PanelPlugin.setSuggestionsSupplier',
    why: 'its parameter types became type aliases; same shapes, the function form is what 13 calls',
  },
  {
    package: '@grafana/data',
    version: '13.2.3',
    name: 'PanelPlugin.setMigrationHandler',
    why: 'PanelMigrationHandler became a type alias of the same (panel) => options signature',
  },
];
const entry = process.argv[2] ? resolve(process.argv[2]) : join(pluginDir, 'src/module.ts');

const pluginJson = JSON.parse(readFileSync(join(pluginDir, 'src/plugin.json'), 'utf8'));
const minimum = /^>=\s*(\d+\.\d+\.\d+)$/.exec(pluginJson.dependencies.grafanaDependency)?.[1];
assert.ok(minimum, `plugin.json grafanaDependency "${pluginJson.dependencies.grafanaDependency}": expected ">=x.y.z"`);

const targets = [
  { name: 'minimum grafanaDependency', dir: packageDir('levitate-grafana-runtime-min') },
  { name: 'latest release pinned', dir: packageDir('levitate-grafana-runtime-latest') },
];
assert.equal(versionOf(targets[0].dir), minimum, 'levitate-grafana-runtime-min must be the plugin.json minimum');

// levitate resolves a bare package name as a path relative to the working directory first: run where
// the installed @grafana/* sit, so "@grafana/data" is both the import name it looks for and the
// installed version it compares from.
const installedRoot = dirname(dirname(packageDir('@grafana/data')));
process.chdir(installedRoot);
const quiet = (body) => {
  const log = console.log;
  console.log = () => {};
  return body().finally(() => (console.log = log));
};

const project = createTsProgram(entry);
let failures = 0;
const summary = [];
for (const name of PACKAGES) {
  const usages = await quiet(() => getUsageInfo(entry, [name]));
  assert.ok(usages.length > 0, `${name}: levitate found no use of it in ${entry}: it would compare nothing`);
  const installed = versionOf(join(installedRoot, name));
  for (const target of targets) {
    const targetDir = name === '@grafana/runtime' ? target.dir : packageDir(name, target.dir);
    const version = versionOf(targetDir);
    const reported = await quiet(() =>
      getIncompatibilitiesBetweenPackages(project, name, targetDir, { additions: [], changes: [], removals: [] })
    );
    summary.push(
      `${name} ${installed} → ${version} (${target.name}): ${usages.length} exports used, ${reported.length} reported`
    );
    const reviewed = REVIEWED.filter((entry) => entry.package === name && entry.version === version);
    const incompatibilities = reported.filter((found) => !reviewed.some((entry) => entry.name === found.name));
    for (const entry of reviewed) {
      if (reported.some((found) => found.name === entry.name)) {
        summary.push(`  reviewed: ${entry.name} (${entry.why})`);
      } else {
        failures++;
        summary.push(`  STALE review entry: levitate no longer reports ${entry.name} for ${name} ${version}`);
      }
    }
    if (incompatibilities.length > 0) {
      failures += incompatibilities.length;
      console.log(`\n${name} ${installed} → ${version}:`);
      printIncompatibilities(incompatibilities, { markdown: false });
    }
  }
}
console.log(summary.join('\n'));
if (failures > 0) {
  console.log(`${failures} incompatibilities`);
  process.exitCode = 1;
}
