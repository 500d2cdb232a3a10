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
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { removeDir, tempDir } from './cleanup.js';
// The plugin browser test's page and bundles, so both load the plugin alike.
import {
  CHROMIUM_ARGS,
  CHROMIUM_PATH,
  FOLD_MODULE,
  MODULE_URL,
  PLUGIN_DIST as DIST,
  SHARED_MODULES,
  bundleForPage,
  grafanaPage,
} from 'kibotics-activity-panel/testing';

export interface PanelPage {
  page: Page;
  close(): Promise<void>;
}

export async function openPanelPage(): Promise<PanelPage> {
  if (!existsSync(join(DIST, 'module.js')))
    throw new Error('grafana-plugin/dist/module.js is missing: run `npm run build -w grafana-plugin` first');
  const [shared, fold] = await Promise.all([
    bundleForPage(SHARED_MODULES, 'grafanaShared'),
    bundleForPage(FOLD_MODULE, 'activityFold'),
  ]);
  const html = grafanaPage({ scripts: ['/fold.js', '/bench.js'] });
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url!, 'http://localhost').pathname;
    const send = (type: string, body: string | Uint8Array) => res.writeHead(200, { 'content-type': type }).end(body);
    if (path === '/') return send('text/html', html);
    if (path === '/shared.js') return send('text/javascript', shared);
    if (path === '/fold.js') return send('text/javascript', fold);
    if (path === '/bench.js') return send('text/javascript', readFileSync(join(import.meta.dirname, 'panel-page.js')));
    if (path === MODULE_URL) return send('text/javascript', readFileSync(join(DIST, 'module.js')));
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const userDataDir = tempDir(mkdtempSync(join(tmpdir(), 'bench-chromium-')));
  let context: BrowserContext | undefined;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      // Frames not held to 60 Hz, which would round every figure to 16.7 ms.
      args: [...CHROMIUM_ARGS, '--disable-frame-rate-limit', '--disable-gpu-vsync'],
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
