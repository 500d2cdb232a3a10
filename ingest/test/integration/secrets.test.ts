import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { runCli } from '@kibotics/test-kit/cli';
import { GatewayProcess } from '@kibotics/test-kit/gateway-process';
import { Influxd } from '@kibotics/test-kit/influxd';

const PASSWORD = 'pw-S3cret-influx';
const TOKEN = 'tok-S3cret-ingest';
const HMAC = 'hmac-S3cret-0123456789';
const DB = 'secrets';

describe('credentials in INFLUX_URL', () => {
  let influx: Influxd;
  before(async () => {
    influx = await Influxd.start({ auth: true });
    // With no user yet, 1.x lets anyone create the first admin.
    await influx.query(`CREATE USER admin WITH PASSWORD '${PASSWORD}' WITH ALL PRIVILEGES`, DB);
  });
  after(async () => influx?.stop());

  test('are used (moved to the user and password settings) and never shown in /healthz, /metrics or the log', async () => {
    const host = new URL(influx.url).host;
    const gateway = await GatewayProcess.start({
      INFLUX_URL: `http://admin:${PASSWORD}@${host}`,
      INFLUX_DB: DB,
      INGEST_TOKENS: TOKEN,
      USER_ID_MODE: 'hmac',
      USER_ID_SECRET: HMAC,
      LOG_LEVEL: 'debug',
      STATS_INTERVAL_S: '1',
    });
    try {
      const response = await fetch(`${gateway.url}/v1/events`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}` },
        body: JSON.stringify([{ type: 'session_start', time: Date.UTC(2020, 5, 1, 9), user: 'ana' }]),
      });
      assert.equal(response.status, 202);
      await gateway.drained();
      const query = new URLSearchParams({ db: DB, q: 'SELECT count(*) FROM "session_start"', u: 'admin', p: PASSWORD });
      const answer = (await (await fetch(`${influx.url}/query?${query}`)).json()) as any;
      assert.equal(answer.results[0].series[0].values[0][1], 1, 'delivered with the credentials from the URL');
      await new Promise((r) => setTimeout(r, 1200)); // a stats point written and delivered, logged at debug

      const health = await (await fetch(`${gateway.url}/healthz`)).text();
      const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
      assert.match(health, new RegExp(`"url":"http://${host}"`), 'healthz names InfluxDB without credentials');
      const basic = Buffer.from(`admin:${PASSWORD}`).toString('base64');
      for (const [where, text] of [
        ['/healthz', health],
        ['/metrics', metrics],
        ['the log', gateway.output],
      ] as const) {
        for (const secret of [PASSWORD, encodeURIComponent(PASSWORD), basic, TOKEN, HMAC]) {
          assert.ok(!text.includes(secret), `${where} shows a secret`);
        }
      }
      assert.ok(gateway.output.length > 500, 'the log was captured');
    } finally {
      await gateway.stop();
    }
  });

  test('refused where they cannot be moved, without echoing them', async () => {
    const url = `http://admin:${PASSWORD}@127.0.0.1:1`;
    const both = await runCli(['serve'], { INFLUX_URL: url, INFLUX_USER: 'other', DATA_DIR: `${influx.dir}/refused` });
    assert.equal(both.code, 2);
    assert.match(
      both.stderr,
      /INFLUX_URL \(--influx-url\) holds credentials and INFLUX_USER or INFLUX_PASSWORD is set too/
    );
    const v2 = await runCli(['serve'], {
      INFLUX_URL: url,
      INFLUX_API: 'v2',
      INFLUX_ORG: 'o',
      INFLUX_BUCKET: 'b',
      INFLUX_TOKEN: 't',
      DATA_DIR: `${influx.dir}/refused`,
    });
    assert.equal(v2.code, 2);
    assert.match(v2.stderr, /InfluxDB 2\.x takes a token; set INFLUX_TOKEN/);
    const broken = await runCli(['serve'], {
      INFLUX_URL: `http://admin:${PASSWORD}@[bad`,
      DATA_DIR: `${influx.dir}/refused`,
    });
    assert.equal(broken.code, 2);
    for (const r of [both, v2, broken])
      assert.ok(!(r.stdout + r.stderr).includes(PASSWORD), 'the password is not echoed');
  });
});
