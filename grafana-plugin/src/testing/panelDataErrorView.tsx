import React from 'react';
import { FieldType, PanelData } from '@grafana/data';
import type { PanelDataErrorViewProps } from '@grafana/runtime';

/**
 * Stand-in for Grafana core's PanelDataErrorView, which Grafana puts into the @grafana/runtime it
 * shares with plugins at start-up (setPanelDataErrorView, not exported to plugins; the npm package's
 * own placeholder renders "Unable to render data"). Tests put it in the same place.
 * The message rules are core's getMessageFor in public/app/features/panel/components/PanelDataErrorView.tsx;
 * its editor-only buttons (switch to table, suggestions) are left out.
 */
export function CorePanelDataErrorView({
  data,
  fieldConfig,
  message,
  needsNumberField,
  needsTimeField,
  needsStringField,
}: PanelDataErrorViewProps) {
  return (
    <div style={{ display: 'flex', height: '100%', width: '100%', alignItems: 'center', justifyContent: 'center' }}>
      <div data-testid="data-testid Panel data error message">
        {message ??
          messageFor(data, fieldConfig?.defaults.noValue, { needsNumberField, needsTimeField, needsStringField })}
      </div>
    </div>
  );
}

function messageFor(
  data: PanelData,
  noValue: string | undefined,
  needs: { needsNumberField?: boolean; needsTimeField?: boolean; needsStringField?: boolean }
): string {
  if (!data.series || data.series.length === 0 || data.series.every((frame) => frame.length === 0)) {
    return noValue ?? 'No data';
  }
  const has = (type: FieldType) => data.series.some((frame) => frame.fields.some((field) => field.type === type));
  if (needs.needsStringField && !has(FieldType.string)) {
    return 'Data is missing a string field';
  }
  if (needs.needsNumberField && !has(FieldType.number)) {
    return 'Data is missing a number field';
  }
  if (needs.needsTimeField && !has(FieldType.time)) {
    return 'Data is missing a time field';
  }
  return 'Cannot visualize data';
}
