/**
 * A page that loads the built plugin the way Grafana does: boot data, Grafana's shared modules
 * (bundled into /shared.js as `grafanaShared`), then dist/module.js through an AMD `define` that
 * resolves each dependency from those shared modules. Used by the browser test and the benchmark
 * (as `kibotics-activity-panel/testing`), so both load the plugin alike.
 */
import { join } from 'node:path';
import { build } from 'esbuild';

const pluginDir = join(import.meta.dirname, '../..');
/** The built plugin (`npm run build`): dist/module.js is what Grafana loads. */
export const PLUGIN_DIST = join(pluginDir, 'dist');
/** The modules Grafana shares with plugins, and a render() that mounts a panel as a dashboard does. */
export const SHARED_MODULES = join(import.meta.dirname, 'sharedModules.ts');
/** The fold alone (no React), for a baseline beside the panel. */
export const FOLD_MODULE = join(pluginDir, 'src/fold/index.ts');

/** Debian's Chromium, headless, with nothing of its own running in the background. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** `entry` bundled for a page's <script>, its exports as the global `globalName`. */
export async function bundleForPage(entry, globalName) {
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'iife',
    globalName,
    platform: 'browser',
    minify: true,
    define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
    loader: {
      '.css': 'empty',
      '.svg': 'text',
      '.woff': 'empty',
      '.woff2': 'empty',
      '.ttf': 'empty',
      '.png': 'dataurl',
      '.gif': 'dataurl',
    },
    logLevel: 'error',
  });
  return out.outputFiles[0].contents;
}

export const MODULE_URL = '/public/plugins/kibotics-activity-panel/module.js';

/** @param {{ language?: string; scripts?: string[] }} [options] extra scripts load after the shared modules */
export function grafanaPage({ language = 'en-US', scripts = [] } = {}) {
  const extra = scripts.map((src) => `<script src="${src}"></script>`).join('');
  return `<!doctype html><html><head><meta charset="utf-8">
<link rel="icon" href="data:,">
<script>window.grafanaBootData = { settings: { featureToggles: {} }, user: { language: '${language}' }, navTree: [] };</script>
<script src="/shared.js"></script>${extra}
<script>
  window.define = function (deps, factory) {
    const args = deps.map(function (name) {
      if (name === 'module') return { uri: '${MODULE_URL}' };
      if (!(name in grafanaShared.modules)) throw new Error('plugin asks for a module Grafana does not share: ' + name);
      return grafanaShared.modules[name];
    });
    window.pluginModule = factory.apply(null, args);
  };
  window.define.amd = {};
</script>
<script src="${MODULE_URL}"></script>
</head><body><div id="root"></div></body></html>`;
}
