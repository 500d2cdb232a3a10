/** The table `npm run bench` prints and the README shows: scenario, figure, baseline, ratio, goal, met? */
import { fmt, type Row } from './result.js';

const num = (n: number, unit: string) => {
  if (!Number.isFinite(n)) return '—';
  const digits = Math.abs(n) >= 100 ? 0 : Math.abs(n) >= 10 ? 1 : 2;
  return `${fmt(n, digits)} ${unit}`;
};

export function cells(r: Row): string[] {
  return [
    r.scenario,
    `${r.figure}: ${num(r.value, r.unit)}`,
    Number.isFinite(r.baselineValue) ? `${r.baseline}: ${num(r.baselineValue, r.baselineUnit)}` : r.baseline,
    Number.isFinite(r.ratio) ? `${fmt(r.ratio, r.ratio >= 10 ? 1 : 2)} (${r.ratioIs})` : '—',
    r.goal,
    r.met === undefined ? '—' : r.met ? 'yes' : 'NO',
  ];
}

export const HEADER = ['scenario', 'figure (median)', 'baseline (same run)', 'ratio', 'goal', 'met?'];

export function markdownTable(rows: Row[]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return [
    `| ${HEADER.join(' | ')} |`,
    `| ${HEADER.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${cells(r).map(esc).join(' | ')} |`),
  ].join('\n');
}

/** Plain columns for the terminal. */
export function textTable(rows: Row[]): string {
  const all = [HEADER, ...rows.map(cells)];
  const widths = HEADER.map((_, i) => Math.min(70, Math.max(...all.map((r) => r[i]!.length))));
  const clip = (s: string, w: number) => (s.length > w ? `${s.slice(0, w - 1)}…` : s.padEnd(w));
  return all
    .map(
      (r, j) =>
        r.map((c, i) => clip(c, widths[i]!)).join('  ') +
        (j === 0 ? `\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : '')
    )
    .join('\n');
}
