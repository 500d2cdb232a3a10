/** Realistic, deterministic Kibotics traffic for demos and benchmarks. */
export {
  ANONYMOUS_USER,
  DEFAULT_TIMEZONE,
  DemoModel,
  demoWindow,
  generateDemo,
  liveDemo,
  type BackfillOptions,
  type DemoOptions,
  type RawEvent,
} from './generator.js';
export { buildPopulation, type Person, type Population, type SchoolClass, type Slot } from './population.js';
export { TimeZone } from './time.js';
