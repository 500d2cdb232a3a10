import { createDataFrame, FieldType, getPanelDataSummary, PanelModel } from '@grafana/data';

import { calculationChoices, plugin } from './module';
import { migrateOptions } from './migration';
import { activitySuggestions } from './suggestions';
import { ActivityOptions } from './types';

const HOUR = 3_600_000;
const series = (hours: number) =>
  createDataFrame({
    fields: [
      { name: 'Time', type: FieldType.time, values: Array.from({ length: hours }, (_, i) => i * HOUR) },
      { name: 'Value', type: FieldType.number, values: Array.from({ length: hours }, () => 1) },
    ],
  });

describe('visualization suggestions', () => {
  it('offers the weekday × hour heat map for a week or more of time series, not for a day', () => {
    const long = plugin.getSuggestions(getPanelDataSummary([series(24 * 14)]));
    expect(long).toHaveLength(1);
    expect(long![0]).toMatchObject({ name: 'Activity by weekday × hour', options: { layout: 'weekdayHour' } });
    expect(plugin.getSuggestions(getPanelDataSummary([series(24)]))).toEqual([]);
    const noTime = createDataFrame({ fields: [{ name: 'Value', type: FieldType.number, values: [1, 2] }] });
    expect(plugin.getSuggestions(getPanelDataSummary([noTime]))).toEqual([]);
  });

  it('answers the builder that Grafana before 12.4 calls on the supplier object, too', () => {
    // The shape of @grafana/data's (deprecated) VisualizationSuggestionsBuilder.
    const list: Array<{ name?: string; pluginId: string }> = [];
    const builder = {
      dataSummary: getPanelDataSummary([series(24 * 14)]),
      getListAppender: (defaults: { name: string; pluginId: string; options: object }) => ({
        append: (suggestion: { name?: string }) => list.push({ ...defaults, ...suggestion }),
      }),
    };
    activitySuggestions.getSuggestionsForData(builder);
    expect(list).toMatchObject([{ name: 'Activity by weekday × hour', pluginId: 'kibotics-activity-panel' }]);
  });
});

describe('options', () => {
  it('offer only total and count in day × hour, where every cell is one slot', () => {
    expect(calculationChoices('dayHour').map((c) => c.value)).toEqual(['total', 'count']);
    expect(calculationChoices('weekWeekday').map((c) => c.value)).toEqual([
      'mean',
      'median',
      'min',
      'max',
      'total',
      'count',
    ]);
  });

  it('migrate "mean" of week × weekday panels saved before 1.1 to the total they showed', () => {
    const panel = (options: Partial<ActivityOptions>, pluginVersion?: string) =>
      ({
        id: 1,
        type: 'kibotics-activity-panel',
        options,
        fieldConfig: { defaults: {}, overrides: [] },
        pluginVersion,
      }) as PanelModel<Partial<ActivityOptions>>;
    expect(migrateOptions(panel({ layout: 'weekWeekday', calculation: 'mean' }, '1.0.0')).calculation).toBe('total');
    expect(migrateOptions(panel({ layout: 'weekWeekday', calculation: 'mean' })).calculation).toBe('total');
    expect(migrateOptions(panel({ layout: 'weekWeekday', calculation: 'mean' }, '1.1.0')).calculation).toBe('mean');
    expect(migrateOptions(panel({ layout: 'weekdayHour', calculation: 'mean' }, '1.0.0')).calculation).toBe('mean');
  });
});
