import type { DecodeReason } from '../pipeline/accept.js';

/** One entry of a request body: the decoded JSON value, or why it could not be decoded. */
export type Entry = { index: number; value: unknown } | { index: number; error: string; reason: DecodeReason };

export class BodyError extends Error {}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Splits a request body into entries: one JSON object, a JSON array of them, or NDJSON (one per
 * line, `Content-Type: application/x-ndjson`). In NDJSON a broken line costs only that line.
 */
export function decodeBody(body: Buffer, contentType: string | undefined): Entry[] {
  if (body.length === 0) throw new BodyError('body is empty: send one event object, a JSON array of events, or NDJSON');
  if (isNdjson(contentType)) return decodeNdjson(body);
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw new BodyError('body is not valid UTF-8');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new BodyError(
      `body is not valid JSON (${(err as Error).message}); for one event per line use Content-Type: application/x-ndjson`
    );
  }
  const values = Array.isArray(value) ? value : [value];
  return values.map((v, index) => ({ index, value: v }));
}

function isNdjson(contentType: string | undefined): boolean {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  return (
    type === 'application/x-ndjson' ||
    type === 'application/jsonl' ||
    type === 'application/json-seq' ||
    type === 'application/ndjson'
  );
}

/** The lines of a body, split at \\n (a \\r before it stays: callers trim). */
export function splitLines(body: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  for (let start = 0; start <= body.length;) {
    let end = body.indexOf(0x0a, start);
    if (end === -1) end = body.length;
    lines.push(body.subarray(start, end));
    start = end + 1;
  }
  return lines;
}

/** Strict UTF-8 (no U+FFFD for broken bytes): undefined when `bytes` are not valid UTF-8. */
export function decodeUtf8(bytes: Buffer): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

function decodeNdjson(body: Buffer): Entry[] {
  const entries: Entry[] = [];
  let lineNo = 0;
  for (let start = 0; start <= body.length;) {
    let end = body.indexOf(0x0a, start);
    if (end === -1) end = body.length;
    const raw = body.subarray(start, end);
    start = end + 1;
    lineNo++;
    const index = entries.length;
    let text: string;
    try {
      text = utf8.decode(raw).trim();
    } catch {
      entries.push({ index, error: `line ${lineNo}: not valid UTF-8`, reason: 'utf8' });
      continue;
    }
    if (text === '') continue; // blank lines (and the final newline) are not events
    try {
      entries.push({ index, value: JSON.parse(text) });
    } catch (err) {
      entries.push({ index, error: `line ${lineNo}: not valid JSON (${(err as Error).message})`, reason: 'json' });
    }
  }
  return entries;
}
