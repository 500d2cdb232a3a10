/**
 * The contract between the gateway, the dashboards and the bench (README "Schema"): what InfluxDB
 * holds and under which names. Declarations only: how points are built stays in ingest.
 */
export * from './events.js';
export * from './measurements.js';
export * from './retention.js';
