/**
 * A setting or option the operator must fix: the CLI prints its message and exits with status 2.
 * A module of its own so that the layers that raise it (store, enrich) need not import the settings.
 */
export class ConfigError extends Error {}
