/** The 1.x retention policy holding the roll-ups: a fixed name, since dashboards query `"rollups"."…"`. */
export const ROLLUP_RP = 'rollups';

/** Where a point is kept: per-user raw points (RETENTION_DAYS), or anonymous roll-ups (ROLLUP_RP, forever). */
export type Destination = 'raw' | 'rollups';
