import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { firstValueFrom } from 'rxjs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { DataFrame, DataTransformerConfig } from '@grafana/data';
import type { Panel } from '../src/grafana.js';
import { dashboards, panels } from './support/files.js';

/**
 * The dashboards' transformations and "no value" texts run through the real @grafana/data (the
 * version the panel is built against), as Grafana runs them in the viewer's browser. Grafana's app
 * fills the transformer registry at start-up (public/app/features/transformers/standardTransformers.ts);
 * here it holds @grafana/data's own transformers, the ones our panels use.
 */
// @grafana/data's CommonJS modules, each by its file: its ESM build imports moment-timezone in a way
// Node's ESM loader refuses, and its index loads browser-only modules (local storage, CSS).
const require = createRequire(import.meta.url);
const dist = dirname(require.resolve('@grafana/data'));
const load = <T>(file: string) => require(join(dist, file)) as T;
type Data = typeof import('@grafana/data');
const { createDataFrame } = load<Pick<Data, 'createDataFrame'>>('dataframe/processDataFrame.cjs');
const { FieldType } = load<Pick<Data, 'FieldType'>>('types/dataFrame.cjs');
// The viewer's language, which Grafana's local date formats read from the browser (Node 20 has no navigator).
(globalThis as any).navigator ??= { language: 'en-US', languages: ['en-US'] };
const { createTheme } = load<Pick<Data, 'createTheme'>>('themes/createTheme.cjs');
const { getFieldDisplayValues } = load<Pick<Data, 'getFieldDisplayValues'>>('field/fieldDisplay.cjs');
/** The transformers the dashboards use, each from its own file (the list of all loads the browser-only index). */
const TRANSFORMERS: Record<string, [file: string, name: string]> = {
  formatTime: ['formatTime.cjs', 'formatTimeTransformer'],
  groupBy: ['groupBy.cjs', 'groupByTransformer'],
  sortBy: ['sortBy.cjs', 'sortByTransformer'],
  organize: ['organize.cjs', 'organizeFieldsTransformer'],
};
const transformers = Object.values(TRANSFORMERS).map(
  ([file, name]) => load<Record<string, any>>(`transformations/transformers/${file}`)[name]
);
const { standardTransformersRegistry } = load<Pick<Data, 'standardTransformersRegistry'>>(
  'transformations/standardTransformersRegistry.cjs'
);
const { transformDataFrame } = load<Pick<Data, 'transformDataFrame'>>('transformations/transformDataFrame.cjs');
standardTransformersRegistry.setInit(
  () =>
    transformers.map((t) => ({
      id: t.id,
      name: t.name,
      description: t.description ?? '',
      transformation: t,
      editor: () => null,
      imageDark: '',
      imageLight: '',
    })) as any
);

// transformDataFrame asks the page whether it is a Scenes dashboard (Grafana 12's dashboards are), set only now that every module is loaded.
(globalThis as any).window ??= { __grafanaSceneContext: {} };

const all = dashboards();

test('every transformation the dashboards use is one loaded here', () => {
  const used = new Set(
    panels(all).flatMap(({ panel }) => (panel.transformations ?? []).map((t: any) => t.id as string))
  );
  for (const id of used) assert.ok(id in TRANSFORMERS, id);
  assert.deepEqual(transformers.map((t) => t.id).sort(), Object.keys(TRANSFORMERS).sort());
});
const panel = (uid: string, title: string) =>
  all.find((d) => d.uid === uid)!.panels.find((p) => p.title === title) ?? assert.fail(`no ${title} in ${uid}`);
const FOLDED = [
  ['kibotics-sessions', 'Sessions per weekday'],
  ['kibotics-sessions', 'Sessions per hour of the day'],
  ['kibotics-visitors', 'Visits per weekday'],
  ['kibotics-visitors', 'Visits per hour of the day'],
] as const;

/** The viewer's zone, as a browser has it: @grafana/data formats with moment in the process' zone. */
async function asViewerIn<T>(zone: string, run: () => Promise<T>): Promise<T> {
  const before = process.env.TZ;
  process.env.TZ = zone;
  try {
    return await run();
  } finally {
    if (before === undefined) delete process.env.TZ;
    else process.env.TZ = before;
  }
}

async function transform(p: Panel, frame: DataFrame): Promise<Map<string, number>> {
  const out = await firstValueFrom(
    transformDataFrame((p.transformations ?? []) as DataTransformerConfig[], [frame], { interpolate: (v: string) => v })
  );
  assert.equal(out.length, 1, p.title);
  const [label, value] = [out[0]!.fields[0]!, out[0]!.fields[1]!];
  return new Map(label.values.map((l: string, i: number) => [String(l), value.values[i] as number]));
}

/** 15-minute buckets as InfluxDB answers the panel's query (UTC epoch ms). */
const frameOf = (valueName: string, points: Array<[number, number]>) =>
  createDataFrame({
    refId: 'A',
    fields: [
      { name: 'Time', type: FieldType.time, values: points.map((p) => p[0]) },
      { name: valueName, type: FieldType.number, values: points.map((p) => p[1]) },
    ],
  });

describe("weekday and hour bars fold in the platform's zone, whatever the viewer's (real @grafana/data transformers)", () => {
  // Tuesday 10:00 in Madrid (09:00 UTC in winter), 3 logins; Wednesday 00:30 in Madrid (Tuesday 23:30 UTC), 2 logins.
  const tuesdayTen = Date.parse('2026-11-17T10:00:00+01:00');
  const wednesdayHalfPast = Date.parse('2026-11-18T00:30:00+01:00');
  for (const zone of ['UTC', 'America/New_York', 'Europe/Madrid']) {
    for (const [uid, title] of FOLDED) {
      test(`${title} for a viewer in ${zone}`, async () => {
        const p = panel(uid, title);
        const value = /Sessions/.test(title) ? 'sessions' : 'visits';
        const bars = await asViewerIn(zone, () =>
          transform(
            p,
            frameOf(value, [
              [tuesdayTen, 3],
              [wednesdayHalfPast, 2],
            ])
          )
        );
        if (/weekday/.test(title)) assert.deepEqual(Object.fromEntries(bars), { '2 Tue': 3, '3 Wed': 2 });
        else assert.deepEqual(Object.fromEntries(bars), { '00': 2, '10': 3 });
      });
    }
  }

  test("a broken copy, the option @grafana/data does not read (useTimezone), groups in the viewer's zone", async () => {
    const p = structuredClone(panel('kibotics-sessions', 'Sessions per hour of the day'));
    const formatTime = (p.transformations as any[]).find((t) => t.id === 'formatTime');
    delete formatTime.options.timezone;
    formatTime.options.useTimezone = true;
    const bars = await asViewerIn('America/New_York', () => transform(p, frameOf('sessions', [[tuesdayTen, 3]])));
    assert.deepEqual(Object.fromEntries(bars), { '04': 3 });
  });
});

describe('counts of errors read 0 on a quiet platform, not "No data" (real @grafana/data display)', () => {
  const theme = createTheme();
  /** What a stat-like panel shows when every query answered no series (InfluxQL's sum over no points). */
  const shownWithoutData = (p: Panel) =>
    getFieldDisplayValues({
      data: [],
      fieldConfig: p.fieldConfig as any,
      reduceOptions: (p.options.reduceOptions as any) ?? { calcs: ['lastNotNull'], values: false },
      replaceVariables: (s: string) => s,
      theme,
      timeZone: 'Europe/Madrid',
    }).map((v) => v.display.text);

  for (const [uid, title] of [
    ['kibotics-errors', 'Errors in the range'],
    ['kibotics-errors', 'Errors by status'],
    ['kibotics-overview', 'Error rate'],
  ] as const) {
    test(`${title}`, () => assert.deepEqual(shownWithoutData(panel(uid, title)), ['0']));
  }

  test('time series of errors too (Grafana shows noValue in place of "No data")', () => {
    for (const title of ['Errors', 'Error rate against traffic'])
      assert.equal((panel('kibotics-errors', title).fieldConfig.defaults as any).noValue, '0', title);
  });

  test('a broken copy without noValue shows "No data"', () => {
    const p = structuredClone(panel('kibotics-errors', 'Errors in the range'));
    delete (p.fieldConfig.defaults as any).noValue;
    assert.deepEqual(shownWithoutData(p), ['No data']);
  });

  test('every panel that counts errors says what it shows without data', () => {
    for (const { dashboard, panel: p } of panels(all)) {
      const countsErrors = (p.targets ?? []).some(
        (t) => 'query' in t && /"errors"/.test(t.query) && !/ORDER BY time DESC/.test(t.query)
      );
      if (countsErrors && p.type !== 'kibotics-activity-panel')
        assert.ok((p.fieldConfig.defaults as any).noValue !== undefined, `${dashboard.title} / ${p.title}`);
    }
  });
});
