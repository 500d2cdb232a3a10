/** The 1.x retention policy holding the roll-ups: a fixed name, since dashboards query `"rollups"."…"`. */
export const ROLLUP_RP = 'rollups';
