import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Influxd } from '@kibotics/test-kit/influxd';
import { freePort, waitFor } from '@kibotics/test-kit/ports';
import { parseDockerfile, rehearsalKey, rehearseCached, type Rehearsal } from './support/dockerfile.js';
import { compose, composeEnv, readJson } from './support/files.js';

/**
 * The images' build steps, run without Docker (see support/dockerfile.ts): `npm ci` against the
 * lockfile with only the files the Dockerfile copies, the native module's rebuild, the builds, the
 * production-only dependencies; then what the image would run, run. This catches what the static
 * checks of compose.test.ts cannot: a step that fails, a runtime import of a dev dependency, a file
 * the build needs but the Dockerfile does not copy or .dockerignore leaves out. A rehearsal is reused
 * while nothing it depends on changed (support/dockerfile.ts, rehearseCached): the steps take minutes,
 * so this file is a tier of its own (`npm run test:images`, which `npm test` runs after the others).
 */
const log = (line: string) => process.stderr.write(`  rehearsal ${line}\n`);
const rehearsals: string[] = [];
after(() => {
  for (const dir of rehearsals) rmSync(dir, { recursive: true, force: true });
});

describe('the gateway image (Dockerfile, target gateway), rehearsed', { timeout: 900_000 }, () => {
  let image: Rehearsal;
  let influx: Influxd;
  before(async () => {
    image = rehearseCached(parseDockerfile('Dockerfile', 'gateway'), log);
    influx = await Influxd.start();
  });
  after(async () => influx?.stop());

  test('holds production dependencies only, and skips only what needs the image itself', () => {
    const installed = readdirSync(join(image.workdir, 'node_modules'));
    assert.ok(installed.includes('better-sqlite3') && installed.includes('express'), 'the runtime dependencies');
    // Type declarations aside (packages of other workspaces depend on some of them at run time, so npm keeps them).
    const devDependencies = Object.keys({
      ...readJson('package.json').devDependencies,
      ...readJson('ingest/package.json').devDependencies,
    }).filter((d) => !d.startsWith('@types/'));
    assert.ok(devDependencies.includes('tsx') && devDependencies.includes('typescript'));
    for (const dev of devDependencies)
      assert.ok(!existsSync(join(image.workdir, 'node_modules', dev)), `dev dependency ${dev} in the image`);
    assert.ok(!existsSync(join(image.workdir, 'ingest/src')), 'the image runs the build, not the sources');
    assert.deepEqual(
      image.skipped.map((s) => s.replace(/:.*/, '')),
      ['deps', 'gateway'],
      `only the toolchain's apt-get and the volume's mount point are left to Docker:\n${image.skipped.join('\n')}`
    );
    // The production dependencies' rebuild is deps' compile of the same version: copied, and loaded by the next test.
    assert.deepEqual(
      image.reused.map((s) => s.replace(/ \(.*/, '')),
      ['prod-deps: npm rebuild better-sqlite3']
    );
  });

  test("runs as compose runs it: healthy, and an event posted with compose's token reaches InfluxDB", async () => {
    const env = composeEnv(compose().services.gateway!);
    const port = await freePort();
    // The volume lives outside the (possibly reused) image files.
    const dataDir = mkdtempSync(join(tmpdir(), 'gateway-volume-'));
    rehearsals.push(dataDir);
    const token = String(env.INGEST_TOKENS);
    const child = spawn(process.execPath, image.command.slice(1), {
      cwd: image.workdir,
      // The image's ENV, then compose's environment, with this machine's ports and paths.
      env: {
        PATH: process.env.PATH,
        ...image.env,
        ...env,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        INFLUX_URL: influx.url,
        STATS_INTERVAL_S: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    try {
      assert.equal(image.command[0], 'node');
      const url = `http://127.0.0.1:${port}`;
      await waitFor(
        'the gateway to answer /healthz',
        async () => (await fetch(`${url}/healthz`).catch(() => undefined))?.ok,
        30_000,
        100
      ).catch((err: Error) => {
        throw new Error(`${err.message}\n${output}`);
      });
      const post = await fetch(`${url}/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({
          type: 'session_start',
          user: 'image-check',
          user_agent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0',
        }),
      });
      assert.equal(post.status, 202, await post.text());
      const rows = await waitFor(
        'the event in InfluxDB',
        async () => {
          const r = await influx.rows(
            `SELECT "count", "browser" FROM "session_start" WHERE "user" = 'image-check'`,
            String(env.INFLUX_DB)
          );
          return r.length > 0 ? r : undefined;
        },
        30_000,
        200
      );
      assert.equal(rows[0]!.browser, 'Firefox');
      assert.ok(readFileSync(join(dataDir, 'gateway.sqlite')).length > 0, 'the store is on the data volume');
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });
});

describe(
  'the Grafana image (Dockerfile, target grafana), rehearsed up to what Grafana loads',
  { timeout: 900_000 },
  () => {
    test('the plugin stage builds the panel from the copied sources, into the plugins path Grafana is given', () => {
      const image = rehearseCached(parseDockerfile('Dockerfile', 'grafana'), log);
      assert.deepEqual(image.skipped, []);
      assert.deepEqual(image.reused, []);
      // The last stage is Grafana's own image: only its ENV and the COPY of the built panel are ours.
      const pluginDir = join(image.root, image.env.GF_PATHS_PLUGINS!, 'kibotics-activity-panel');
      const pluginJson = JSON.parse(readFileSync(join(pluginDir, 'plugin.json'), 'utf8'));
      assert.equal(pluginJson.id, readJson('grafana-plugin/src/plugin.json').id);
      assert.ok(readFileSync(join(pluginDir, 'module.js'), 'utf8').length > 10_000, 'the bundled panel');
      assert.equal(composeEnv(compose().services.grafana!).GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS, pluginJson.id);
    });
  }
);

describe('a reused rehearsal stands for exactly its inputs', () => {
  test('the key changes with the Dockerfile, with a copied file, and not otherwise', () => {
    const file = parseDockerfile('Dockerfile', 'gateway');
    const key = rehearsalKey(file);
    assert.equal(rehearsalKey(parseDockerfile('Dockerfile', 'gateway')), key);
    assert.notEqual(rehearsalKey({ ...file, text: `${file.text}\n# a changed step` }), key);
    assert.notEqual(rehearsalKey({ ...file, copies: [...file.copies, { sources: ['README.md'], dest: './' }] }), key);
    assert.notEqual(rehearsalKey(parseDockerfile('Dockerfile', 'grafana')), key);
  });

  test("a target is built from the stages it needs only: the gateway's from none of the panel's", () => {
    assert.deepEqual(parseDockerfile('Dockerfile', 'gateway').stages, [
      'manifests',
      'deps',
      'build',
      'prod-deps',
      'gateway',
    ]);
    assert.deepEqual(parseDockerfile('Dockerfile', 'grafana').stages, ['manifests', 'plugin', 'grafana']);
    assert.throws(() => parseDockerfile('Dockerfile', 'nginx'), /no stage named nginx/);
  });
});
