// Preloaded into every Node process of `npm run test:unit` (NODE_OPTIONS=--import): the unit tier
// starts no service, so a test that would start one fails, naming it, instead of slowing the tier.
import childProcess from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';
import { basename } from 'node:path';

const SERVICES = new Set(['influxd', 'chromium', 'chromium-browser', 'chrome', 'nginx', 'docker-compose', 'docker']);

for (const name of ['spawn', 'spawnSync', 'execFile', 'execFileSync']) {
  const original = childProcess[name];
  childProcess[name] = function (file, ...rest) {
    if (SERVICES.has(basename(String(file))))
      throw new Error(`${file}: the unit tier starts no service; this test belongs with the integration tests`);
    return original.call(this, file, ...rest);
  };
}
syncBuiltinESMExports();
