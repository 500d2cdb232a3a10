/**
 * How cell values spread over the colours: `linear`; `sqrt` and `log` give quiet cells more of the
 * range, so one busy hour does not wash the others into the same pale colour; `percentile` caps the
 * top of the scale at a percentile of the non-zero cell values (cells above it take the strongest colour).
 */
export type ScaleKind = 'linear' | 'sqrt' | 'log' | 'percentile';
