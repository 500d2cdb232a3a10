import { DataFrame, Field, FieldType, getFieldDisplayName } from '@grafana/data';

import { Series } from './types';

export interface SeriesSelection {
  /** Number field to fold, by name or display name; empty: each frame's first number field. */
  valueField: string;
  /** When set, only series whose label `label` equals `labelValue` are folded; otherwise all are summed. */
  label: string;
  labelValue: string;
}

/**
 * Data frames → series. InfluxQL returns one frame per series (`Time` + `Value`, tags as labels of
 * the value field); other time series frames are read the same way: first time field, chosen number field.
 */
export function seriesFromFrames(frames: DataFrame[], selection: SeriesSelection): Series[] {
  const series: Series[] = [];
  for (const frame of frames) {
    const time = frame.fields.find((field) => field.type === FieldType.time);
    if (!time) {
      continue;
    }
    for (const field of valueFields(frame, frames, selection.valueField)) {
      const labels = field.labels ?? {};
      if (selection.label && labels[selection.label] !== selection.labelValue) {
        continue;
      }
      series.push({
        name: getFieldDisplayName(field, frame, frames),
        labels,
        times: time.values as number[],
        values: field.values as Array<number | null>,
      });
    }
  }
  return series;
}

function valueFields(frame: DataFrame, frames: DataFrame[], wanted: string): Field[] {
  const numbers = frame.fields.filter((field) => field.type === FieldType.number);
  if (!wanted) {
    return numbers.slice(0, 1);
  }
  return numbers.filter((field) => field.name === wanted || getFieldDisplayName(field, frame, frames) === wanted);
}

/** Label names and their values across the frames' number fields, for the series picker. */
export function seriesLabels(frames: DataFrame[]): Map<string, Set<string>> {
  const labels = new Map<string, Set<string>>();
  for (const frame of frames) {
    for (const field of frame.fields) {
      if (field.type !== FieldType.number) {
        continue;
      }
      for (const [name, value] of Object.entries(field.labels ?? {})) {
        labels.set(name, (labels.get(name) ?? new Set<string>()).add(value));
      }
    }
  }
  return labels;
}
