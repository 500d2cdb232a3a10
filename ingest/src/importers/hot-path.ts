/**
 * The importers' per-line shortcuts, all in one place. Each is here because a figure of bench
 * scenario 5 needs it (bench/README.md, "5. Import": lines/s over the real corpus repeated to 1M
 * lines, and a flat peak RSS); the parsers around them are written plainly. A new shortcut belongs
 * here, with the figure it moves; one that no figure needs any more goes. (How files are read, for
 * the same figures, is line-reader.ts's own business: synchronous reads, small decoded pieces.)
 */
import type { WireEvent } from './records.js';

/**
 * A new event `{ type, time }`, the start of every event an importer makes (the RSS figure). Not an
 * object literal, on purpose: V8 tracks where each literal is allocated, and once a GC finds nearly
 * all of a site's recent objects alive (as it may while events wait in a merge of many files) it
 * allocates that literal in the old generation from then on (pretenuring), and RSS grew by a third
 * with the garbage of events. `new Object()` has no allocation site.
 */
export function newEvent(type: WireEvent['type'], time: number): WireEvent {
  const e = new Object() as WireEvent;
  e.type = type;
  e.time = time;
  return e;
}

/** `line.split(sep)` by hand (the lines/s figure: Kibotics' " | " lines): sooner than V8's split with this separator (bench/README.md, finding 5). */
export function splitFields(line: string, sep: string): string[] {
  const f: string[] = [];
  let start = 0;
  for (let end = line.indexOf(sep); end >= 0; end = line.indexOf(sep, start)) {
    f.push(line.slice(start, end));
    start = end + sep.length;
  }
  f.push(line.slice(start));
  return f;
}

/** `s.slice(from).split(' ').filter((w) => w !== '')` without the two intermediate arrays (the lines/s figure: old Django lines). */
export function words(s: string, from: number): string[] {
  const out: string[] = [];
  for (let i = from; i < s.length;) {
    if (s.charCodeAt(i) === 32) {
      i++;
      continue;
    }
    const end = s.indexOf(' ', i);
    const stop = end < 0 ? s.length : end;
    out.push(s.slice(i, stop));
    i = stop;
  }
  return out;
}

/** `f.slice(from).join(sep)`, without the copy and the join when only one field is left, as on most lines (the lines/s figure). */
export function joinFrom(f: string[], from: number, sep: string): string {
  return f.length === from + 1 ? f[from]! : f.slice(from).join(sep);
}
