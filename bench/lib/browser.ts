/**
 * The panel in Debian's Chromium, as the plugin's own browser test loads it
 * (grafana-plugin/tests/browser): the BUILT dist/module.js through an AMD define, the modules Grafana
 * shares bundled from tests/browser/sharedModules.ts (whose render() mounts the panel the way a
 * dashboard does), plus the fold alone (src/fold) bundled into the same page for a baseline.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { removeDir, tempDir } from './cleanup.js';
// The plugin browser test's page (a plain ES module), shared so both load the plugin alike.
import { grafanaPage } from '../../grafana-plugin/tests/browser/grafanaPage.mjs';

const PLUGIN = join(import.meta.dirname, '../../grafana-plugin');
const DIST = join(PLUGIN, 'dist');

export interface PanelPage {
  page: Page;
  close(): Promise<void>;
}

async function bundle(entry: string, globalName: string): Promise<Uint8Array> {
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
  return out.outputFiles[0]!.contents;
}

export async function openPanelPage(): Promise<PanelPage> {
  if (!existsSync(join(DIST, 'module.js')))
    throw new Error('grafana-plugin/dist/module.js is missing: run `npm run build -w grafana-plugin` first');
  const [shared, fold] = await Promise.all([
    bundle(join(PLUGIN, 'tests/browser/sharedModules.ts'), 'grafanaShared'),
    bundle(join(PLUGIN, 'src/fold/index.ts'), 'activityFold'),
  ]);
  const html = grafanaPage({ scripts: ['/fold.js', '/bench.js'] });
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url!, 'http://localhost').pathname;
    const send = (type: string, body: string | Uint8Array) => res.writeHead(200, { 'content-type': type }).end(body);
    if (path === '/') return send('text/html', html);
    if (path === '/shared.js') return send('text/javascript', shared);
    if (path === '/fold.js') return send('text/javascript', fold);
    if (path === '/bench.js') return send('text/javascript', readFileSync(join(import.meta.dirname, 'panel-page.js')));
    if (path === '/public/plugins/kibotics-activity-panel/module.js')
      return send('text/javascript', readFileSync(join(DIST, 'module.js')));
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const userDataDir = tempDir(mkdtempSync(join(tmpdir(), 'bench-chromium-')));
  let context: BrowserContext | undefined;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-frame-rate-limit',
        '--disable-gpu-vsync',
      ],
    });
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.setViewportSize({ width: 900, height: 360 });
    return {
      page,
      async close() {
        await context?.close();
        server.close();
        removeDir(userDataDir);
      },
    };
  } catch (err) {
    await context?.close();
    server.close();
    removeDir(userDataDir);
    throw err;
  }
}
