/**
 * Which importer a file needs, from its name and its first non-empty line. The content decides the
 * family (Kibotics lines, old Django lines, JSON); for JSON the name (collection / index) decides
 * between mongoexport and Elasticsearch, and the keys when the name says nothing.
 */
import { indexKindOf } from './elasticsearch-ndjson.js';
import { collectionFromName } from './mongoexport.js';

export const IMPORT_FORMATS = ['kibotics-log', 'django-access-log', 'mongoexport', 'elasticsearch'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export function isImportFormat(s: string): s is ImportFormat {
  return (IMPORT_FORMATS as readonly string[]).includes(s);
}

function baseName(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i < 0 ? path : path.slice(i + 1);
}

/** `1 | …` … `6 | …`: digits, then the " | " separator. */
function isKiboticsLine(s: string): boolean {
  return /^\d+ \| /.test(s);
}

function isDjangoLine(s: string): boolean {
  return s.startsWith('New Simulation ==>') || s.startsWith('End Simulation ==>') || s.startsWith('Error ==>');
}

const ES_KEYS = ['"_source"', '"_index"', '"start_date"', '"end_date"', '"browser"', '"device"', '"location"'];
const MONGO_KEYS = ['"$oid"', '"$date"', '"date"', '"container_id"', '"host_ip"'];

/** `firstLine`: the first non-empty line, possibly cut short (only its beginning is looked at). */
export function sniffFormat(fileName: string, firstLine: string | undefined): ImportFormat | undefined {
  const name = baseName(fileName);
  const line = firstLine?.trim();
  if (line !== undefined && line !== '') {
    if (isKiboticsLine(line)) return 'kibotics-log';
    if (isDjangoLine(line)) return 'django-access-log';
    if (!line.startsWith('{')) return undefined; // nothing we read
    if (indexKindOf(name) !== undefined) return 'elasticsearch';
    if (collectionFromName(name) !== undefined) return 'mongoexport';
    if (ES_KEYS.some((k) => line.includes(k))) return 'elasticsearch';
    if (MONGO_KEYS.some((k) => line.includes(k))) return 'mongoexport';
    return undefined;
  }
  // Nothing but blank lines: the name is all there is.
  if (/^\d{4}-\d{2}-\d{2}-log\.txt$/.test(name)) return 'kibotics-log';
  if (name.includes('access_log')) return 'django-access-log';
  if (indexKindOf(name) !== undefined) return 'elasticsearch';
  if (collectionFromName(name) !== undefined) return 'mongoexport';
  return undefined;
}
