import {
  booleanOverrideProcessor,
  dataLinksOverrideProcessor,
  displayNameOverrideProcessor,
  Field,
  FieldType,
  identityOverrideProcessor,
  numberOverrideProcessor,
  standardEditorsRegistry,
  standardFieldConfigEditorRegistry,
  stringOverrideProcessor,
  thresholdsOverrideProcessor,
  ThresholdsMode,
  unitOverrideProcessor,
  valueMappingsOverrideProcessor,
} from '@grafana/data';

/**
 * Grafana core fills the option editor registries at start-up (public/app/core/components/OptionsUI);
 * plugins only name the editors. The tests render panels, not editors, so each editor is a stub, but
 * ids, processors and defaults are core's.
 */
export function registerCoreEditors() {
  const NoEditor = () => null;
  const editor = (id: string) => ({ id, name: id, editor: NoEditor });
  standardEditorsRegistry.setInit(() =>
    [
      'text',
      'number',
      'slider',
      'boolean',
      'radio',
      'select',
      'multi-select',
      'color',
      'field-name',
      'unit',
      'links',
    ].map(editor)
  );
  const any = () => true;
  const numbers = (field: Field) => field.type === FieldType.number;
  const field = (id: string, process: any, extra: object = {}) => ({
    ...editor(id),
    path: id,
    override: NoEditor,
    process,
    shouldApply: any,
    ...extra,
  });
  standardFieldConfigEditorRegistry.setInit(() => [
    field('displayName', displayNameOverrideProcessor),
    field('unit', unitOverrideProcessor, { shouldApply: numbers }),
    field('fieldMinMax', booleanOverrideProcessor, { shouldApply: numbers }),
    field('min', numberOverrideProcessor, { shouldApply: numbers }),
    field('max', numberOverrideProcessor, { shouldApply: numbers }),
    field('decimals', numberOverrideProcessor, { shouldApply: numbers }),
    field('thresholds', thresholdsOverrideProcessor, {
      defaultValue: {
        mode: ThresholdsMode.Absolute,
        steps: [
          { value: -Infinity, color: 'green' },
          { value: 80, color: 'red' },
        ],
      },
    }),
    field('mappings', valueMappingsOverrideProcessor, { defaultValue: [] }),
    field('noValue', stringOverrideProcessor),
    field('links', dataLinksOverrideProcessor),
    field('actions', identityOverrideProcessor),
    field('color', identityOverrideProcessor, { defaultValue: { mode: 'thresholds' } }),
    field('filterable', booleanOverrideProcessor, { hideFromDefaults: true }),
  ]);
}
