import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The gateway's package (a workspace), found by its name wherever the kit is installed. */
export const INGEST = dirname(createRequire(import.meta.url).resolve('kibotics-analytics/package.json'));
/** Its CLI from the sources, through tsx: tests test the tree as it is, not the last build. */
export const CLI = join(INGEST, 'src/cli.ts');
// tsx by location, so a process also starts from a working directory outside the repository.
export const TSX = import.meta.resolve('tsx');
