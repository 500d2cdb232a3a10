import { createDataFrame, FieldType, PanelOptionsEditorBuilder, StandardEditorContext } from '@grafana/data';

import { registerCoreEditors } from './testing/coreEditors';
import { plugin } from './module';
import { ActivityOptions } from './types';

registerCoreEditors();

const optionItems = () => {
  const builder = new PanelOptionsEditorBuilder<ActivityOptions>();
  plugin.getPanelOptionsSupplier()(builder, { data: [] });
  return builder.getItems() as unknown as Array<{
    path: string;
    showIf?: (o: ActivityOptions) => boolean;
    category?: string[];
    settings?: any;
  }>;
};

describe('panel options', () => {
  it('default to the mean of weekday × hour cells in the dashboard zone and week start', () => {
    expect(plugin.defaults).toEqual({
      layout: 'weekdayHour',
      calculation: 'mean',
      percentOfTotal: false,
      slotMinutes: 60,
      hourFrom: 0,
      hourTo: 24,
      firstDay: 'auto',
      timeZone: '',
      valueField: '',
      seriesLabel: '',
      seriesLabelValue: '',
      colorScale: 'linear',
      colorPercentile: 95,
      reverseColors: false,
      showValues: false,
      showLegend: true,
      highlightNow: false,
      emptyColor: 'transparent',
    });
  });

  it('colour shades of blue by default and keep links, unit and thresholds but not value mappings', () => {
    expect(plugin.fieldConfigDefaults.defaults.color).toEqual({ mode: 'shades', fixedColor: 'blue' });
    const ids = plugin.fieldConfigRegistry.list().map((item) => item.id);
    expect(ids).toEqual(expect.arrayContaining(['unit', 'decimals', 'min', 'max', 'thresholds', 'links', 'color']));
    expect(ids).not.toContain('mappings');
  });

  it('show the column width only for weekday × hour, and the label value only when a label is picked', () => {
    const items = optionItems();
    const slot = items.find((item) => item.path === 'slotMinutes')!;
    const labelValue = items.find((item) => item.path === 'seriesLabelValue')!;
    expect(slot.showIf!({ ...plugin.defaults, layout: 'weekWeekday' } as ActivityOptions)).toBe(false);
    expect(slot.showIf!({ ...plugin.defaults, layout: 'weekdayHour' } as ActivityOptions)).toBe(true);
    expect(labelValue.showIf!({ ...plugin.defaults, seriesLabel: 'exercise' } as ActivityOptions)).toBe(true);
    expect(labelValue.showIf!(plugin.defaults as ActivityOptions)).toBe(false);
  });

  it('offer the labels of the data as series choices, and their values', async () => {
    const data = ['maze', 'drone'].map((exercise) =>
      createDataFrame({
        fields: [
          { name: 'Time', type: FieldType.time, values: [0] },
          { name: 'Value', type: FieldType.number, values: [1], labels: { exercise } },
        ],
      })
    );
    const items = optionItems();
    const context = (options: Partial<ActivityOptions>) =>
      ({ data, options }) as StandardEditorContext<ActivityOptions>;
    const labels = await items.find((item) => item.path === 'seriesLabel')!.settings.getOptions(context({}));
    expect(labels).toEqual([
      { value: '', label: 'All series (sum)' },
      { value: 'exercise', label: 'Pick by exercise' },
    ]);
    const values = await items
      .find((item) => item.path === 'seriesLabelValue')!
      .settings.getOptions(context({ seriesLabel: 'exercise' }));
    expect(values.map((v: { value: string }) => v.value)).toEqual(['maze', 'drone']);
  });

  it('are grouped in the editor: Layout, Time, Data, Colours, Display', () => {
    const groups = [...new Set(optionItems().map((item) => item.category?.join('/')))];
    expect(groups).toEqual(['Layout', 'Time', 'Data', 'Colours', 'Display']);
  });
});
