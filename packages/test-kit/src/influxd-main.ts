/**
 * influxd for a suite in another language (the Django client's tests), started exactly as the Node
 * suites start it: imported as `@kibotics/test-kit/influxd-main`, it prints one JSON line
 * `{"url", "port", "dir"}` once influxd answers, and stops it (its files removed) when its stdin
 * closes or on SIGTERM/SIGINT, so a caller that dies leaves no influxd behind.
 */
import { Influxd } from './influxd.js';

const influxd = await Influxd.start();
let stopping: Promise<void> | undefined;
const stop = () => {
  stopping ??= influxd.stop().then(() => process.exit(0));
  return stopping;
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
process.stdin.once('end', stop);
process.stdin.once('close', stop);
process.stdin.resume();
process.stdout.write(`${JSON.stringify({ url: influxd.url, port: influxd.port, dir: influxd.dir })}\n`);
