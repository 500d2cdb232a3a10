import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import ts from 'typescript';
import { ACTIVITY_PANEL, type Dashboard } from '../src/grafana.js';
import { PROVISIONING, dashboards } from './support/files.js';

/**
 * Every generated dashboard type-checked (tsc, through the TypeScript API) against @grafana/schema's
 * dashboard type and each panel's options and custom field config against the option types of the
 * Grafana release we pin (12.4), and our panel's options against the plugin's own options type:
 * Grafana loads unknown options silently and ignores them, so only a type check catches them.
 */

/** The option types of each panel plugin we use: [module in @grafana/schema, options type, custom field config type]. */
const SCHEMA = '@grafana/schema/dist/esm/raw/composable';
const PANEL_TYPES: Record<string, { module: string; options: string; custom?: string }> = {
  timeseries: {
    module: `${SCHEMA}/timeseries/panelcfg/x/TimeSeriesPanelCfg_types.gen`,
    options: 'Options',
    custom: 'FieldConfig',
  },
  stat: { module: `${SCHEMA}/stat/panelcfg/x/StatPanelCfg_types.gen`, options: 'Options' },
  piechart: {
    module: `${SCHEMA}/piechart/panelcfg/x/PieChartPanelCfg_types.gen`,
    options: 'Options',
    custom: 'FieldConfig',
  },
  table: { module: `${SCHEMA}/table/panelcfg/x/TablePanelCfg_types.gen`, options: 'Options', custom: 'FieldConfig' },
  barchart: {
    module: `${SCHEMA}/barchart/panelcfg/x/BarChartPanelCfg_types.gen`,
    options: 'Options',
    custom: 'FieldConfig',
  },
  geomap: { module: `${SCHEMA}/geomap/panelcfg/x/GeomapPanelCfg_types.gen`, options: 'Options' },
  // Our panel: the options type the plugin itself declares, by its package's name.
  [ACTIVITY_PANEL]: { module: 'kibotics-activity-panel', options: 'ActivityOptions' },
};

const dir = join(PROVISIONING, 'test/.typecheck');
after(() => rmSync(dir, { recursive: true, force: true }));

/** A TypeScript module asserting each dashboard, panel options and custom field config with `satisfies` (excess properties are errors). */
function source(all: Dashboard[]): string {
  const lines = [
    "import type { Dashboard } from '@grafana/schema';",
    ...Object.entries(PANEL_TYPES).map(([type, t], i) => `import type * as P${i} from '${t.module}'; // ${type}`),
    // Enum members compare as their string values (JSON holds strings); every option is optional (Grafana fills defaults).
    'type Loose<T> = T extends string ? `${T}` | T : T extends ReadonlyArray<infer E> ? Array<Loose<E>> : T extends object ? { [K in keyof T]?: Loose<T[K]> } : T;',
  ];
  const index = Object.keys(PANEL_TYPES);
  for (const [d, dashboard] of all.entries()) {
    lines.push(`export const d${d} = ${JSON.stringify(dashboard)} satisfies Loose<Dashboard>;`);
    for (const [p, panel] of dashboard.panels.flatMap((x) => [x, ...(x.panels ?? [])]).entries()) {
      if (panel.type === 'row') continue;
      const i = index.indexOf(panel.type);
      if (i < 0) throw new Error(`${dashboard.title} / ${panel.title}: no option types known for ${panel.type}`);
      const t = PANEL_TYPES[panel.type]!;
      lines.push(`// ${dashboard.title} / ${panel.title}`);
      lines.push(`export const d${d}p${p}o = ${JSON.stringify(panel.options)} satisfies Loose<P${i}.${t.options}>;`);
      const custom = (panel.fieldConfig.defaults as Record<string, unknown>).custom;
      if (t.custom && custom !== undefined)
        lines.push(`export const d${d}p${p}c = ${JSON.stringify(custom)} satisfies Loose<P${i}.${t.custom}>;`);
      else if (custom !== undefined)
        throw new Error(`${dashboard.title} / ${panel.title}: custom field config without a type to check it`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** tsc's diagnostics for the module, with the project's compiler options. */
function typecheck(text: string, name: string): string[] {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.ts`);
  writeFileSync(file, text);
  const config = ts.getParsedCommandLineOfConfigFile(
    join(PROVISIONING, 'tsconfig.json'),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(String(d.messageText)) }
  )!;
  const program = ts.createProgram([file], { ...config.options, noEmit: true, types: [] });
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file?.fileName === file || !d.file)
    .map((d) => {
      const at = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
      const line = at ? (text.split('\n')[at.line - 1] ?? '') : '';
      return `${ts.flattenDiagnosticMessageText(d.messageText, '\n')}${line.startsWith('//') ? ` (${line.slice(3)})` : ''}`;
    });
}

describe("dashboards against @grafana/schema 12.4 and the plugin's options type (tsc)", () => {
  test('every generated dashboard, panel options and custom field config type-checks', () => {
    const problems = typecheck(source(dashboards()), 'dashboards');
    assert.deepEqual(problems, []);
  });

  test("broken copies fail: a table footer (not in 12.4's table options), an unknown activity option, a wrong value", () => {
    const all = dashboards();
    const tables = all.flatMap((d) => d.panels).filter((p) => p.type === 'table');
    const activity = all.flatMap((d) => d.panels).filter((p) => p.type === ACTIVITY_PANEL);
    assert.ok(tables.length >= 10 && activity.length >= 5, 'the copies break real panels');
    tables[0]!.options.footer = { show: false, reducer: ['sum'], fields: '' };
    activity[0]!.options.weekStart = 'monday';
    activity[1]!.options.layout = 'weekdayMinute';
    all[0]!.panels[0]!.gridPos = { x: 0, y: 0, w: '6' as unknown as number, h: 4 };
    const problems = typecheck(source(all), 'broken').join('\n');
    assert.match(problems, /'"footer"' does not exist/);
    assert.match(problems, /'"weekStart"' does not exist/);
    assert.match(problems, /"weekdayMinute"/);
    assert.match(problems, /Type 'string' is not assignable to type 'number'/);
  });
});
