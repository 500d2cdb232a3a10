// Types of grafanaPage.mjs, for the TypeScript that imports it as `kibotics-activity-panel/testing`.
export declare const PLUGIN_DIST: string;
export declare const SHARED_MODULES: string;
export declare const FOLD_MODULE: string;
export declare const CHROMIUM_PATH: string;
export declare const CHROMIUM_ARGS: string[];
export declare function bundleForPage(entry: string, globalName: string): Promise<Uint8Array>;
export declare const MODULE_URL: string;
export declare function grafanaPage(options?: { language?: string; scripts?: string[] }): string;
