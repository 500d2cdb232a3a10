/** The importers' public surface, for the CLI `import` command and POST /v1/logs. */
export { firstNonEmptyLine, listImportFiles, readImport, readImportBatches } from './read-import.js';
export { DEFAULT_TIMEZONE, SourceParser, createLineParser, parseLines, type ImportOptions } from './parse-lines.js';
export { IMPORT_FORMATS, isImportFormat, sniffFormat, type ImportFormat } from './sniff.js';
export { ImportSummary, type CodeCount, type ImportSummaryData } from './summary.js';
export type { ImportRecord, LineOutcome, LineParser, NoteCode, ParsedEvent, SkipReason, WireEvent } from './records.js';
export { MONGO_COLLECTIONS, isMongoCollection, type MongoCollection } from './mongoexport.js';
export { ES_INDEX_KINDS, type EsIndexKind } from './elasticsearch-ndjson.js';
export { LocalTimeResolver, parseDmyTime, zoneClock, type TimeNote } from './localtime.js';
export { candidatesOf, type LineRef } from './candidates.js';
