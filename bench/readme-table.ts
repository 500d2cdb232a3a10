/**
 * Puts the table of bench/results.json into the root README.md, under "## Benchmarks" (the last
 * section: other engineers edit the rest of the file concurrently, so this reads the file right
 * before writing and replaces only that section, or appends it). `npm run bench` does not call
 * this; run it after a full run: `npx tsx bench/readme-table.ts`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const results = JSON.parse(readFileSync(join(import.meta.dirname, 'results.json'), 'utf8'));
const m = results.machine;
const met = results.rows.filter((r: { met?: boolean }) => r.met === true).length;
const notMet = results.rows.filter((r: { met?: boolean }) => r.met === false).length;
const section = `## Benchmarks

\`${results.command}\` (figures only, not part of \`npm test\`; what each scenario measures and why
some goals are not met: [bench/README.md](bench/README.md)). Every figure is the median of 3+ runs
next to a baseline measured in the same run; the ratio is what to compare between machines.

Latest run: ${results.date.slice(0, 16).replace('T', ' ')} UTC, ${Math.floor(results.durationS / 60)} min ${results.durationS % 60} s in all;
${m.cpus} CPUs (${m.cpuModel}), ${m.memoryGiB} GiB, shared with other work (load average ${m.loadAverageAtEnd.join(', ')} at the end);
Node ${m.node}, ${m.influxd}, ${m.chromium}. ${met} goals met, ${notMet} not met${results.errors.length ? `, ${results.errors.length} scenario(s) failed` : ''}.

${results.markdown}
`;

// Another file (e.g. the committed README, to stage only this section) can be given as an argument.
const target = process.argv[2] ?? join(root, 'README.md');
const readme = readFileSync(target, 'utf8');
const at = readme.search(/^## Benchmarks\s*$/m);
let next = -1;
if (at >= 0) {
  const rest = readme.slice(at + 1);
  const n = rest.search(/^## /m);
  next = n < 0 ? -1 : at + 1 + n;
}
const updated =
  at < 0
    ? `${readme.replace(/\s*$/, '')}\n\n${section}`
    : `${readme.slice(0, at)}${section}${next < 0 ? '' : `\n${readme.slice(next)}`}`;
writeFileSync(target, updated);
console.log(`${target}: "## Benchmarks" ${at < 0 ? 'appended' : 'replaced'} (${results.rows.length} rows)`);
