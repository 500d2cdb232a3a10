/**
 * What an import did, for the CLI to print: lines read, events by type, skips and notes by code with
 * the first few line references of each (so a person can open the file there). Pure: feed it records.
 * A file's records arrive in line order, so a line giving two events (Elasticsearch start + end) counts once.
 */
import type { ImportRecord } from './records.js';

const FIRST_REFS = 5;

export interface CodeCount {
  count: number;
  /** `file:line` of the first occurrences. */
  first: string[];
}

export interface ImportSummaryData {
  files: number;
  lines: number;
  events: number;
  eventsByType: Record<string, number>;
  skips: Record<string, CodeCount>;
  notes: Record<string, CodeCount>;
}

function bump(map: Record<string, CodeCount>, code: string, r: ImportRecord): void {
  const c = (map[code] ??= { count: 0, first: [] });
  c.count++;
  // The reference is built only when kept: a string per record would be most of add()'s cost.
  if (c.first.length < FIRST_REFS) c.first.push(`${r.file}:${r.line}`);
}

export class ImportSummary {
  private data: ImportSummaryData = { files: 0, lines: 0, events: 0, eventsByType: {}, skips: {}, notes: {} };
  /** The last line seen of each file: files are read side by side, so records of several interleave. */
  private readonly lastLine = new Map<string, number>();

  add(r: ImportRecord): void {
    const d = this.data;
    const last = this.lastLine.get(r.file);
    if (last === undefined) d.files++;
    if (r.line !== last) {
      d.lines++;
      this.lastLine.set(r.file, r.line);
    }
    if ('skip' in r) {
      bump(d.skips, r.skip, r);
      return;
    }
    d.events++;
    d.eventsByType[r.event.type] = (d.eventsByType[r.event.type] ?? 0) + 1;
    if (r.notes !== undefined) for (const n of r.notes) bump(d.notes, n, r);
  }

  get lines(): number {
    return this.data.lines;
  }

  get events(): number {
    return this.data.events;
  }

  get skipped(): number {
    return Object.values(this.data.skips).reduce((a, c) => a + c.count, 0);
  }

  toJSON(): ImportSummaryData {
    return structuredClone(this.data);
  }

  /** Human-readable, stable order (codes sorted), for the terminal. */
  format(): string {
    const d = this.data;
    const out = [`${d.files} files, ${d.lines} lines: ${d.events} events, ${this.skipped} lines skipped`];
    for (const t of Object.keys(d.eventsByType).sort()) out.push(`  event ${t}: ${d.eventsByType[t]}`);
    const codes = (title: string, m: Record<string, CodeCount>) => {
      for (const k of Object.keys(m).sort())
        out.push(`  ${title} ${k}: ${m[k].count} (first: ${m[k].first.join(', ')})`);
    };
    codes('skip', d.skips);
    codes('note', d.notes);
    return out.join('\n');
  }
}
