import { dirname, join } from 'node:path';

import { ActivityPanel } from './components/ActivityPanel';
import { migrateOptions } from './migration';
import { activitySuggestions } from './suggestions';

/**
 * The two calls whose declarations levitate reports as changed between the @grafana/data the plugin
 * is built with and the oldest (12.3.0) and newest (13.2.3) releases it is checked against
 * (tests/compat/levitate.mjs), made on those releases' real PanelPlugin: devDependencies
 * levitate-grafana-runtime-min/-latest pin them, with their own @grafana/data inside.
 */
const release = (alias: string) =>
  require(join(dirname(require.resolve(`${alias}/package.json`)), 'node_modules/@grafana/data'));

const HOUR = 3_600_000;
const twoWeeks = Array.from({ length: 24 * 14 }, (_, i) => i * HOUR);

describe.each([
  ['12.3.0', 'levitate-grafana-runtime-min'],
  ['13.2.3', 'levitate-grafana-runtime-latest'],
])('@grafana/data %s', (version, alias) => {
  const data = release(alias);
  const frames = [
    data.createDataFrame({
      fields: [
        { name: 'Time', type: 'time', values: twoWeeks },
        { name: 'Value', type: 'number', values: twoWeeks.map(() => 1) },
      ],
    }),
  ];
  const plugin = new data.PanelPlugin(ActivityPanel)
    .setMigrationHandler(migrateOptions)
    .setSuggestionsSupplier(activitySuggestions);
  plugin.meta = { id: 'kibotics-activity-panel', name: 'Activity heat map' };

  it('is the release asked for', () => {
    expect(
      require(join(dirname(require.resolve(`${alias}/package.json`)), 'node_modules/@grafana/data/package.json'))
        .version
    ).toBe(version);
  });

  it('keeps the migration handler', () => {
    expect(plugin.onPanelMigration).toBe(migrateOptions);
  });

  if (version === '12.3.0') {
    it('lists the suggestion through the builder 12.3 hands to getSuggestionsForData', () => {
      const builder = new data.VisualizationSuggestionsBuilder({ series: frames });
      plugin.getSuggestionsSupplier().getSuggestionsForData(builder);
      expect(builder.getList().map((s: { name: string; pluginId: string }) => [s.name, s.pluginId])).toEqual([
        ['Activity by weekday × hour', 'kibotics-activity-panel'],
      ]);
    });
  } else {
    it('returns it from getSuggestions(summary)', () => {
      expect(plugin.getSuggestions(data.getPanelDataSummary(frames)).map((s: { name: string }) => s.name)).toEqual([
        'Activity by weekday × hour',
      ]);
    });
  }
});
