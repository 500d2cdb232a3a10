/**
 * A page that loads the built plugin the way Grafana does: boot data, Grafana's shared modules
 * (bundled into /shared.js as `grafanaShared`), then dist/module.js through an AMD `define` that
 * resolves each dependency from those shared modules. Used by the browser test and the benchmark.
 */
export const MODULE_URL = '/public/plugins/kibotics-activity-panel/module.js';

/** @param {{ language?: string; scripts?: string[] }} [options] extra scripts load after the shared modules */
export function grafanaPage({ language = 'en-US', scripts = [] } = {}) {
  const extra = scripts.map((src) => `<script src="${src}"></script>`).join('');
  return `<!doctype html><html><head><meta charset="utf-8">
<link rel="icon" href="data:,">
<script>window.grafanaBootData = { settings: { featureToggles: {} }, user: { language: '${language}' }, navTree: [] };</script>
<script src="/shared.js"></script>${extra}
<script>
  window.define = function (deps, factory) {
    const args = deps.map(function (name) {
      if (name === 'module') return { uri: '${MODULE_URL}' };
      if (!(name in grafanaShared.modules)) throw new Error('plugin asks for a module Grafana does not share: ' + name);
      return grafanaShared.modules[name];
    });
    window.pluginModule = factory.apply(null, args);
  };
  window.define.amd = {};
</script>
<script src="${MODULE_URL}"></script>
</head><body><div id="root"></div></body></html>`;
}
