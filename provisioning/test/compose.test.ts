import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { SETTINGS } from 'kibotics-analytics/config';
import { runCli } from '@kibotics/test-kit/cli';
import { dockerignore, parseDockerfile } from './support/dockerfile.js';
import { REPO, compose, composeEnv, composeValue, readJson, readYaml } from './support/files.js';

/**
 * docker-compose.yml and the Dockerfiles against the repository: what they copy and mount exists,
 * images are pinned, and the settings are the names the gateway and Grafana read. No Docker engine
 * runs here; Debian's docker-compose validates the file itself.
 */

const { services, volumes } = compose();
const svc = (name: string) => services[name] ?? assert.fail(`no service ${name}`);
const pluginJson = readJson('grafana-plugin/src/plugin.json');
/** The root's workspaces as folders, `packages/*` expanded as npm does. */
const workspaces = (readJson('package.json').workspaces as string[]).flatMap((w) =>
  w.endsWith('/*')
    ? readdirSync(join(REPO, w.slice(0, -2)))
        .map((name) => `${w.slice(0, -2)}/${name}`)
        .filter((dir) => existsSync(join(REPO, dir, 'package.json')))
    : [w]
);
/** A workspace as `npm -w` names it: its folder or its package's name. */
const workspaceNames = new Set(workspaces.flatMap((w) => [w, readJson(`${w}/package.json`).name as string]));

/** The Grafana settings compose sets, as section.key of Grafana's conf/defaults.ini. */
const GRAFANA_SETTINGS = new Set([
  'security.admin_password',
  'security.allow_embedding',
  'security.cookie_samesite',
  'security.cookie_secure',
  'auth.anonymous.enabled',
  'auth.proxy.enabled',
  'auth.proxy.header_name',
  'auth.proxy.header_property',
  'auth.proxy.auto_sign_up',
  'auth.proxy.whitelist',
  'users.auto_assign_org_role',
  'server.root_url',
  'server.serve_from_sub_path',
  'dashboards.default_home_dashboard_path',
  'analytics.reporting_enabled',
  'analytics.check_for_updates',
  'smtp.enabled',
  'smtp.host',
  'smtp.from_address',
  'plugins.allow_loading_unsigned_plugins',
  'paths.plugins',
]);
/** GF_SECTION_KEY as Grafana maps it: upper case, dots and dashes of the section become underscores. */
const grafanaEnvNames = new Set(
  [...GRAFANA_SETTINGS].map(
    (s) =>
      `GF_${s
        .replace(/\.(?=[^.]*$)/, '_')
        .replace(/[.-]/g, '_')
        .toUpperCase()}`
  )
);

const built = Object.entries(services).filter(([, s]) => s.build);
/** A service's image as `docker build` makes it: its Dockerfile (compose's default name) and target. */
const imageOf = (s: (typeof services)[string]) => `${s.build!.dockerfile ?? 'Dockerfile'}#${s.build!.target ?? ''}`;
const dockerfiles = new Map(
  built.map(([, s]) => [imageOf(s), parseDockerfile(s.build!.dockerfile ?? 'Dockerfile', s.build!.target)])
);
const gatewayEnv = composeEnv(svc('gateway'));
const grafanaEnv = composeEnv(svc('grafana'));
const pinned = (image: string) => /^[\w./-]+:(?!latest$)[\w.-]*\d[\w.-]*$/.test(image);

describe('docker-compose.yml', () => {
  test('uses only the Compose Specification that Compose v2 reads: no top-level version, known top-level keys', () => {
    // Compose v2 implements the Compose Specification (compose-spec/compose-spec, schema/compose-spec.json);
    // it warns that `version` is obsolete. v1.29 reads the same file (the test below).
    const top = Object.keys(readYaml('docker-compose.yml'));
    assert.ok(!top.includes('version'), 'no top-level version');
    for (const key of top)
      assert.ok(
        ['name', 'services', 'volumes', 'networks', 'configs', 'secrets', 'include'].includes(key) ||
          key.startsWith('x-'),
        key
      );
    for (const [name, s] of Object.entries(services))
      if (s.profiles) assert.ok(Array.isArray(s.profiles), `${name}: profiles is a list`);
  });

  test('docker-compose accepts it, with and without the demo profile', () => {
    for (const args of [
      ['-f', 'docker-compose.yml', 'config', '-q'],
      ['-f', 'docker-compose.yml', '--profile', 'demo', 'config', '-q'],
    ]) {
      const r = spawnSync('docker-compose', args, { cwd: REPO, encoding: 'utf8' });
      assert.equal(
        r.error,
        undefined,
        'docker-compose is needed (apt-get install docker-compose; .ci/run installs it)'
      );
      assert.equal(r.status, 0, r.stderr);
    }
    const services = spawnSync('docker-compose', ['--profile', 'demo', 'config', '--services'], {
      cwd: REPO,
      encoding: 'utf8',
    })
      .stdout.trim()
      .split('\n');
    assert.deepEqual(services.sort(), ['demo', 'gateway', 'grafana', 'influxdb']);
  });

  test('images are pinned to versions, never latest; Grafana to one the plugin supports', () => {
    for (const [name, s] of Object.entries(services)) if (!s.build) assert.ok(pinned(s.image!), `${name}: ${s.image}`);
    for (const d of dockerfiles.values())
      for (const from of d.froms) assert.ok(d.stages.includes(from) || pinned(from), `${d.path}: FROM ${from}`);
    const grafana = [...dockerfiles.values()].flatMap((d) => d.froms).find((f) => f.startsWith('grafana/'))!;
    const [major, minor] = grafana.split(':')[1]!.split('.').map(Number);
    const [, needMajor, needMinor] = /^>=(\d+)\.(\d+)/.exec(pluginJson.dependencies.grafanaDependency)!.map(Number);
    assert.ok(
      major! > needMajor! || (major === needMajor && minor! >= needMinor!),
      `${grafana} vs ${pluginJson.dependencies.grafanaDependency}`
    );
  });

  test('bind mounts exist in the repository; named volumes are declared', () => {
    for (const [name, s] of Object.entries(services)) {
      for (const v of s.volumes ?? []) {
        const [source] = v.split(':');
        if (source!.startsWith('.')) assert.ok(existsSync(join(REPO, source!)), `${name}: ${source}`);
        else assert.ok(source! in volumes, `${name}: volume ${source} is not declared`);
      }
    }
    for (const name of ['influxdb', 'gateway', 'grafana'])
      assert.ok(
        (svc(name).volumes ?? []).some((v) => v.split(':')[0]! in volumes),
        `${name} keeps no data`
      );
  });

  test('the long-running services have health checks, and dependencies wait for them', () => {
    for (const name of ['influxdb', 'gateway', 'grafana']) assert.ok(svc(name).healthcheck?.test.length, name);
    for (const [name, s] of Object.entries(services)) {
      for (const [dep, { condition }] of Object.entries(s.depends_on ?? {})) {
        assert.equal(condition, 'service_healthy', `${name} → ${dep}`);
        assert.ok(svc(dep).healthcheck, dep);
      }
    }
    assert.match(svc('influxdb').healthcheck!.test.join(' '), /:8086\/ping/);
    assert.match(svc('grafana').healthcheck!.test.join(' '), /:3000\/api\/health/);
  });
});

describe('the gateway service', () => {
  const settingNames = new Set(Object.values(SETTINGS).map((s) => s.env));

  test('sets only settings the gateway reads', () => {
    for (const name of Object.keys(gatewayEnv)) assert.ok(settingNames.has(name), `${name} is not a gateway setting`);
    for (const s of Object.values(SETTINGS))
      if (gatewayEnv[s.env] !== undefined) (s.parse as (raw: string) => unknown)(gatewayEnv[s.env]!);
  });

  test('listens, publishes and is health-checked on the same port', () => {
    const port = SETTINGS.port.parse(gatewayEnv.PORT);
    assert.ok(svc('gateway').ports!.some((p) => p.endsWith(`:${port}`)));
    assert.match(svc('gateway').healthcheck!.test.join(' '), new RegExp(`localhost:${port}/healthz`));
    assert.match(dockerfiles.get(imageOf(svc('gateway')))!.text, new RegExp(`EXPOSE ${port}\\b`));
    assert.ok(svc('demo').command!.includes(`http://gateway:${port}`));
  });

  test('writes where Grafana reads: the influxdb service, the database of the datasource', () => {
    const datasource = readYaml('provisioning/datasources/influxdb.yaml').datasources[0];
    assert.equal(new URL(gatewayEnv.INFLUX_URL!).host, new URL(datasource.url).host);
    assert.equal(new URL(datasource.url).hostname, 'influxdb');
    assert.equal(SETTINGS.influxDb.parse(gatewayEnv.INFLUX_DB), datasource.jsonData.dbName);
    assert.equal(composeEnv(svc('influxdb')).INFLUXDB_DB, datasource.jsonData.dbName);
  });

  test('the demo runs a real CLI command with its flags and the gateway token', async () => {
    const command = svc('demo').command!;
    assert.equal(command[0], 'demo');
    // The command's own usage, as `demo --help` prints it before the settings every command shares.
    const help = await runCli(['demo', '--help'], {});
    assert.equal(help.code, 0, help.stderr);
    const usage = help.stdout.split('\nSettings')[0]!;
    assert.match(usage, /^Usage: kibotics-analytics demo/);
    for (const flag of command.filter((a) => a.startsWith('--'))) assert.ok(usage.includes(flag), flag);
    const demoEnv = composeEnv(svc('demo'));
    // The demo command reads INGEST_TOKEN (its --token default): the same as the gateway accepts.
    assert.ok(readFileSync(join(REPO, 'ingest/src/commands/demo.ts'), 'utf8').includes('process.env.INGEST_TOKEN'));
    assert.ok(gatewayEnv.INGEST_TOKENS!.split(',').includes(demoEnv.INGEST_TOKEN!));
    assert.equal(imageOf(svc('demo')), imageOf(svc('gateway')));
  });
});

describe('the grafana service', () => {
  test('sets only settings Grafana reads, and ALERT_EMAIL for the contact point', () => {
    for (const name of Object.keys(grafanaEnv))
      assert.ok(grafanaEnvNames.has(name) || name === 'ALERT_EMAIL', `${name}`);
    const contactPoints = readFileSync(join(REPO, 'provisioning/alerting/contact-points.yaml'), 'utf8');
    for (const [, name] of contactPoints.matchAll(/\$\{(\w+)\}/g))
      assert.ok(grafanaEnv[name!], `${name} is not set for Grafana`);
  });

  test('loads our unsigned plugin and allows embedding; no anonymous viewer, since names are one /api/ds/query away', () => {
    assert.ok(grafanaEnv.GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS!.split(',').includes(pluginJson.id));
    assert.equal(grafanaEnv.GF_SECURITY_ALLOW_EMBEDDING, 'true');
    // Every dashboard and the one datasource live in organisation 1, dashboards with names included:
    // an anonymous viewer there could read every name (see provisioning.test.ts, "who sees names").
    assert.equal(grafanaEnv.GF_AUTH_ANONYMOUS_ENABLED, 'false');
    // The auth proxy, when turned on, takes the header from the proxy's address only.
    assert.equal(grafanaEnv.GF_AUTH_PROXY_ENABLED, 'false');
    assert.equal(grafanaEnv.GF_AUTH_PROXY_HEADER_NAME, 'X-WEBAUTH-USER');
    assert.ok(grafanaEnv.GF_AUTH_PROXY_WHITELIST, 'an empty whitelist lets anyone who reaches Grafana claim any user');
    assert.ok(
      svc('grafana').ports!.every((p) => composeValue(p).startsWith('127.0.0.1:')),
      'Grafana is published on this host only by default'
    );
  });

  test('mounts the provisioning folders where Grafana looks, and its home dashboard is one of them', () => {
    const mounts = Object.fromEntries(
      svc('grafana')
        .volumes!.filter((v) => v.startsWith('./'))
        .map((v) => v.split(':').slice(0, 2))
    );
    for (const kind of ['datasources', 'dashboards', 'alerting'])
      assert.equal(mounts[`./provisioning/${kind}`], `/etc/grafana/provisioning/${kind}`);
    const home = grafanaEnv.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH!.replace(
      '/etc/grafana/provisioning/',
      'provisioning/'
    );
    assert.equal(readJson(home).uid, 'kibotics-overview');
  });

  test("the image puts the built plugin in Grafana's plugin path under the plugin's id", () => {
    const d = dockerfiles.get(imageOf(svc('grafana')))!;
    const path = /GF_PATHS_PLUGINS=(\S+)/.exec(d.text)![1];
    const copy = d.copies.find((c) => c.from && c.dest.startsWith(path!))!;
    assert.equal(copy.dest, `${path}/${pluginJson.id}`);
    assert.match(copy.sources[0]!, /grafana-plugin\/dist$/);
    assert.match(d.text, /npm run build -w grafana-plugin/);
  });
});

describe('Dockerfiles', () => {
  test('build from the root with the one lockfile and every workspace package.json it checks', () => {
    for (const [name, s] of built) {
      assert.equal(s.build!.context, '.', name);
      const d = dockerfiles.get(imageOf(s))!;
      const copied = d.copies.filter((c) => !c.from).flatMap((c) => c.sources);
      for (const file of ['package.json', 'package-lock.json', ...workspaces.map((w) => `${w}/package.json`)])
        assert.ok(copied.includes(file), `${d.path} does not copy ${file}`);
      for (const [, ws] of d.text.matchAll(/npm (?:ci|run \w+) -w ([@\w/-]+)/g))
        assert.ok(workspaceNames.has(ws!), `${d.path}: workspace ${ws}`);
      // The root's install scripts build workspaces whose sources are not copied at that step.
      const rootScripts = Object.keys(readJson('package.json').scripts ?? {}).filter((k) =>
        /^(pre|post)?install$/.test(k)
      );
      if (rootScripts.length)
        for (const [ci] of d.text.matchAll(/RUN npm ci[^\n]*/g))
          assert.match(ci, /--ignore-scripts/, `${d.path}: ${ci}`);
    }
  });

  test('every file copied from the context exists and is not ignored by .dockerignore', () => {
    const ignored = dockerignore();
    for (const d of dockerfiles.values()) {
      for (const c of d.copies.filter((c) => !c.from)) {
        for (const source of c.sources) {
          assert.ok(existsSync(join(REPO, source)), `${d.path}: ${source}`);
          assert.ok(!ignored(source), `${d.path}: ${source} is ignored`);
        }
      }
    }
    assert.ok(
      ignored('grafana-plugin/node_modules') && ignored('ingest/dist'),
      'dependencies and builds stay out of the context'
    );
  });

  test('the gateway image runs the compiled CLI, with the store on the data volume', () => {
    const d = dockerfiles.get(imageOf(svc('gateway')))!;
    const entry = /ENTRYPOINT \["node", "ingest\/([^"]+)"\]/.exec(d.text)![1]!;
    // The compiled counterpart of src/cli.ts, the file ingest's bin wrapper runs too.
    const tsconfig = readJson('ingest/tsconfig.json').compilerOptions;
    assert.equal(entry, `${tsconfig.outDir}/cli.js`);
    assert.ok(existsSync(join(REPO, 'ingest', tsconfig.rootDir, 'cli.ts')));
    const bin = readJson('ingest/package.json').bin['kibotics-analytics'] as string;
    assert.match(readFileSync(join(REPO, 'ingest', bin), 'utf8'), new RegExp(`\\.\\./${entry.replace('.', '\\.')}`));
    assert.match(d.text, /CMD \["serve"\]/);
    const dataDir = /DATA_DIR=(\S+)/.exec(d.text)![1];
    assert.equal(SETTINGS.dataDir.parse(gatewayEnv.DATA_DIR), dataDir);
    assert.ok(svc('gateway').volumes!.some((v) => v.endsWith(`:${dataDir}`)));
    // better-sqlite3 is native: built where a toolchain exists, run on the same base image.
    assert.match(d.text, /python3 make g\+\+/);
    assert.match(d.text, /npm rebuild better-sqlite3/);
    assert.equal(new Set(d.froms.filter((f) => !d.stages.includes(f))).size, 1);
  });

  test('the .env the README suggests stays out of the build context', () => {
    assert.ok(dockerignore()('.env'));
  });
});
