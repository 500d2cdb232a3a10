import { FieldConfigProperty, PanelPlugin, SelectableValue } from '@grafana/data';

import { ActivityPanel } from './components/ActivityPanel';
import { seriesLabels } from './fold';
import { DEFAULT_COLOR } from './scale';
import { ActivityOptions } from './types';

const WEEKDAYS: Array<SelectableValue<number>> = [
  { value: 1, label: 'Monday' },
  { value: 0, label: 'Sunday' },
  { value: 6, label: 'Saturday' },
  { value: 2, label: 'Tuesday' },
  { value: 3, label: 'Wednesday' },
  { value: 4, label: 'Thursday' },
  { value: 5, label: 'Friday' },
];

const TIME_ZONES: Array<SelectableValue<string>> = [
  { value: '', label: 'Dashboard time zone' },
  { value: 'browser', label: 'Browser time' },
  { value: 'utc', label: 'UTC' },
  { value: 'Europe/Madrid', label: 'Europe/Madrid' },
  { value: 'Europe/London', label: 'Europe/London' },
  { value: 'America/New_York', label: 'America/New_York' },
  { value: 'America/Mexico_City', label: 'America/Mexico_City' },
  { value: 'Asia/Kolkata', label: 'Asia/Kolkata' },
];

const isWeekdayHour = (options: ActivityOptions) => options.layout === 'weekdayHour';

export const plugin = new PanelPlugin<ActivityOptions>(ActivityPanel)
  .useFieldConfig({
    disableStandardOptions: [FieldConfigProperty.NoValue, FieldConfigProperty.Mappings, FieldConfigProperty.Filterable],
    standardOptions: {
      [FieldConfigProperty.Color]: {
        defaultValue: DEFAULT_COLOR,
        settings: { byValueSupport: true, bySeriesSupport: false, preferThresholdsMode: false },
      },
    },
  })
  .setPanelOptions((builder) =>
    builder
      .addRadio({
        path: 'layout',
        name: 'Layout',
        description: 'Fold the time range into a week of weekday × hour cells, or lay out its calendar weeks.',
        defaultValue: 'weekdayHour',
        settings: {
          options: [
            { value: 'weekdayHour', label: 'Weekday × hour' },
            { value: 'weekWeekday', label: 'Week × weekday' },
          ],
        },
      })
      .addRadio({
        path: 'calculation',
        name: 'Calculation',
        description:
          'Mean divides by how many times the slot occurs in the time range (a quiet Tuesday counts as zero), not by data points.',
        defaultValue: 'mean',
        settings: {
          options: [
            { value: 'mean', label: 'Mean' },
            { value: 'total', label: 'Total' },
            { value: 'max', label: 'Max' },
            { value: 'count', label: 'Count' },
          ],
        },
      })
      .addBooleanSwitch({
        path: 'percentOfTotal',
        name: 'Percent of total',
        description: 'Show each cell as a share of all cells.',
        defaultValue: false,
      })
      .addRadio({
        path: 'slotMinutes',
        name: 'Column width',
        defaultValue: 60,
        settings: {
          options: [
            { value: 60, label: '1 hour' },
            { value: 30, label: '30 min' },
            { value: 15, label: '15 min' },
          ],
        },
        showIf: isWeekdayHour,
      })
      .addNumberInput({
        path: 'hourFrom',
        name: 'From hour',
        description: 'First hour of the day that is counted (0–23).',
        defaultValue: 0,
        settings: { min: 0, max: 23, integer: true },
      })
      .addNumberInput({
        path: 'hourTo',
        name: 'To hour',
        description: 'Hour the counted part of the day ends (1–24, exclusive).',
        defaultValue: 24,
        settings: { min: 1, max: 24, integer: true },
      })
      .addSelect({
        path: 'firstDay',
        name: 'First day of the week',
        defaultValue: 1,
        settings: { options: WEEKDAYS },
      })
      .addSelect({
        path: 'timeZone',
        name: 'Time zone',
        description: 'Zone the weeks are folded in. Any IANA name can be typed; empty follows the dashboard.',
        defaultValue: '',
        settings: { options: TIME_ZONES, allowCustomValue: true },
      })
      .addFieldNamePicker({
        path: 'valueField',
        name: 'Value field',
        description: 'Number field to fold; empty uses the first number field of each series (Value for InfluxQL).',
        defaultValue: '',
        settings: { filter: (field) => field.type === 'number', noFieldsMessage: 'No number fields found' },
      })
      .addSelect({
        path: 'seriesLabel',
        name: 'Series',
        description: 'Sum all series, or show the one whose label has the value chosen below.',
        defaultValue: '',
        settings: {
          options: [{ value: '', label: 'All series (sum)' }],
          allowCustomValue: true,
          getOptions: async (context) => [
            { value: '', label: 'All series (sum)' },
            ...[...seriesLabels(context.data).keys()].map((label) => ({ value: label, label: `Pick by ${label}` })),
          ],
        },
      })
      .addSelect({
        path: 'seriesLabelValue',
        name: 'Series label value',
        defaultValue: '',
        settings: {
          options: [],
          allowCustomValue: true,
          getOptions: async (context) =>
            [...(seriesLabels(context.data).get(context.options?.seriesLabel) ?? [])].map((value) => ({
              value,
              label: value,
            })),
        },
        showIf: (options) => Boolean(options.seriesLabel),
      })
      .addBooleanSwitch({
        path: 'showValues',
        name: 'Show values',
        description: 'Write values in the cells when they fit.',
        defaultValue: false,
      })
      .addBooleanSwitch({
        path: 'showLegend',
        name: 'Show legend',
        defaultValue: true,
      })
      .addColorPicker({
        path: 'emptyColor',
        name: 'Empty colour',
        description: 'Cells with no slot in the time range: the missing spring hour, days outside the range.',
        defaultValue: 'transparent',
      })
  );
