/**
 * The checks Grafana applies when it loads each kind of provisioned file, written from Grafana's
 * source (the file named beside each rule), so that a file Grafana would refuse, or load wrongly,
 * fails a test here. No Grafana server runs on these machines. Each check returns its problems,
 * `where: problem`; none means Grafana accepts the file.
 */

/** A fresh Grafana has one organisation: provisioning into another fails (utils.CheckOrgExists, pkg/services/provisioning/utils/utils.go). */
export const EXISTING_ORGS = new Set([1]);
/** The unified alerting scheduler's base interval, 10 s by default (pkg/setting/setting_unified_alerting.go). */
const BASE_INTERVAL_S = 10;

/** util.ValidateUID (pkg/util/shortid_generator.go): at most 40 characters of [a-zA-Z0-9-_]. */
function uidProblem(uid: unknown): string | undefined {
  if (typeof uid !== 'string' || uid === '') return 'is empty';
  if (uid.length > 40) return `is longer than 40 characters: ${uid}`;
  if (!/^[a-zA-Z0-9\-_]*$/.test(uid)) return `holds characters other than letters, digits, - and _: ${uid}`;
  return undefined;
}

/** Prometheus' model.ParseDuration (github.com/prometheus/common/model/time.go), which Grafana uses for intervals and `for`. */
export function parseDuration(text: unknown): number | undefined {
  if (typeof text !== 'string' || text === '') return undefined;
  if (text === '0') return 0;
  const m = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/.exec(text);
  if (!m || m.slice(1).every((g) => g === undefined)) return undefined;
  const unit = [365 * 86_400_000, 7 * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1];
  return m.slice(1).reduce((sum, g, i) => sum + (g ? Number(g) * unit[i]! : 0), 0);
}

const orgOf = (orgId: unknown) => (typeof orgId === 'number' && orgId >= 1 ? orgId : 1);

// --- datasources -------------------------------------------------------------------------------

/** pkg/services/provisioning/datasources/config_reader.go and types.go. */
export function checkDatasources(file: any): string[] {
  const out: string[] = [];
  if (file?.apiVersion !== 1) out.push('apiVersion: must be 1 (0 is the deprecated format)');
  const defaults = new Map<number, number>();
  const names = new Set<string>();
  for (const [i, ds] of (file?.datasources ?? []).entries()) {
    const where = `datasources[${i}]`;
    const org = orgOf(ds.orgId);
    // validateAccessAndOrgID: the org must exist.
    if (!EXISTING_ORGS.has(org)) out.push(`${where}.orgId: organisation ${org} does not exist in a fresh Grafana`);
    if (ds.access !== undefined && ds.access !== 'proxy' && ds.access !== 'direct')
      out.push(`${where}.access: ${ds.access} is neither proxy nor direct`);
    // validateDefaultUniqueness: ErrInvalidConfigToManyDefault.
    if (ds.isDefault) {
      defaults.set(org, (defaults.get(org) ?? 0) + 1);
      if (defaults.get(org) === 2)
        out.push(`${where}.isDefault: only one datasource per organization can be marked as default`);
    }
    if (!ds.name) out.push(`${where}.name: required`);
    if (names.has(`${org}/${ds.name}`)) out.push(`${where}.name: ${ds.name} twice in one organisation`);
    names.add(`${org}/${ds.name}`);
    const uid = uidProblem(ds.uid);
    if (uid) out.push(`${where}.uid: ${uid}`);
    if (!ds.type) out.push(`${where}.type: required`);
    // The InfluxDB plugin (pkg/tsdb/influxdb/influxdb.go) reads the query language and database from jsonData.
    if (ds.type === 'influxdb') {
      if (!['InfluxQL', 'Flux', 'SQL'].includes(ds.jsonData?.version))
        out.push(`${where}.jsonData.version: ${ds.jsonData?.version} is not InfluxQL, Flux or SQL`);
      if (ds.jsonData?.version === 'InfluxQL' && !ds.jsonData?.dbName)
        out.push(`${where}.jsonData.dbName: InfluxQL needs a database`);
      if (!/^https?:\/\//.test(ds.url ?? '')) out.push(`${where}.url: ${ds.url} is not an http(s) URL`);
    }
  }
  return out;
}

// --- dashboard providers -----------------------------------------------------------------------

/** pkg/services/provisioning/dashboards/config_reader.go, types.go and file_reader.go. */
export function checkDashboardProviders(file: any, mounted: (containerPath: string) => boolean): string[] {
  const out: string[] = [];
  if (file?.apiVersion !== 1) out.push('apiVersion: must be 1 (0 is the deprecated format)');
  const names = new Set<string>();
  for (const [i, p] of (file?.providers ?? []).entries()) {
    const where = `providers[${i}]`;
    if (!EXISTING_ORGS.has(orgOf(p.orgId)))
      out.push(`${where}.orgId: organisation ${p.orgId} does not exist in a fresh Grafana`);
    if (p.type !== undefined && p.type !== 'file') out.push(`${where}.type: only "file" providers exist`);
    if (!p.name) out.push(`${where}.name: required`);
    if (names.has(p.name)) out.push(`${where}.name: ${p.name} twice (providers are told apart by name)`);
    names.add(p.name);
    // NewDashboardFileReader: "Failed to load dashboards, path param must be set".
    if (!p.options?.path) out.push(`${where}.options.path: must be set`);
    else if (!mounted(p.options.path))
      out.push(`${where}.options.path: ${p.options.path} is not where the dashboards are mounted`);
    if (p.folderUid !== undefined && uidProblem(p.folderUid))
      out.push(`${where}.folderUid: ${uidProblem(p.folderUid)}`);
    if (
      p.updateIntervalSeconds !== undefined &&
      !(Number.isInteger(p.updateIntervalSeconds) && p.updateIntervalSeconds >= 0)
    )
      out.push(`${where}.updateIntervalSeconds: not a whole number of seconds`);
  }
  return out;
}

// --- dashboards --------------------------------------------------------------------------------

/**
 * pkg/services/dashboards/service/dashboard_service.go (BuildSaveDashboardCommand: empty title, uid
 * too long or invalid) and pkg/services/provisioning/dashboards/validator.go (the same uid, or the
 * same title in a folder, twice: the provider loses its write permission and stops updating).
 */
export function checkDashboards(files: Array<{ file: string; json: any }>): string[] {
  const out: string[] = [];
  const uids = new Map<string, string>();
  const titles = new Map<string, string>();
  for (const { file, json } of files) {
    if (typeof json?.title !== 'string' || json.title.trim() === '')
      out.push(`${file}: title: Dashboard title cannot be empty`);
    const uid = uidProblem(json?.uid);
    if (uid) out.push(`${file}: uid: ${uid}`);
    if (json?.id !== undefined && json.id !== null)
      out.push(`${file}: id: a provisioned dashboard must not carry a database id`);
    if (uids.has(json?.uid)) out.push(`${file}: uid: ${json.uid} is also ${uids.get(json.uid)}'s`);
    uids.set(json?.uid, file);
    if (titles.has(json?.title)) out.push(`${file}: title: ${json.title} is also ${titles.get(json.title)}'s`);
    titles.set(json?.title, file);
    // Panel ids are how alert rules (__panelId__) and embeds (panelId=) name panels: one each.
    const ids = new Set<number>();
    for (const p of (json?.panels ?? []).flatMap((p: any) => [p, ...(p.panels ?? [])])) {
      if (!Number.isInteger(p.id)) out.push(`${file}: panel ${p.title}: id is not an integer`);
      if (ids.has(p.id)) out.push(`${file}: panel ${p.title}: id ${p.id} twice`);
      ids.add(p.id);
    }
  }
  return out;
}

// --- alert rules -------------------------------------------------------------------------------

const NO_DATA_STATES = ['Alerting', 'NoData', 'OK', 'KeepLast'];
const ERROR_STATES = ['Alerting', 'Error', 'OK', 'KeepLast'];
/** pkg/expr/commands.go and threshold.go: the expression types and the threshold evaluators. */
const EXPRESSION_TYPES = ['math', 'reduce', 'resample', 'classic_conditions', 'threshold', 'sql'];
const REDUCERS = ['sum', 'mean', 'min', 'max', 'count', 'last', 'median'];
const THRESHOLDS = [
  'gt',
  'lt',
  'eq',
  'ne',
  'within_range',
  'outside_range',
  'within_range_included',
  'outside_range_included',
];

/**
 * pkg/services/provisioning/alerting/rules_types.go (mapToModel), pkg/services/ngalert/models/alert_rule.go
 * (SetDashboardAndPanelFromAnnotations, ValidateAlertRule, ValidateRuleGroupInterval,
 * ErrAlertRuleUniqueConstraintViolation). Any of these stops Grafana at start-up: an alerting
 * provisioning error ends the provisioning service and the process with it.
 */
export function checkAlertRules(
  file: any,
  ctx: { datasourceUids: Set<string>; dashboards: Array<{ uid: string; panels: Array<{ id: number }> }> }
): string[] {
  const out: string[] = [];
  if (file?.apiVersion !== 1) out.push('apiVersion: must be 1');
  const uids = new Set<string>();
  for (const [g, group] of (file?.groups ?? []).entries()) {
    const gw = `groups[${g}]`;
    if (!String(group.name ?? '').trim()) out.push(`${gw}.name: rule group has no name set`);
    if (!String(group.folder ?? '').trim()) out.push(`${gw}.folder: rule group has no folder set`);
    if (!EXISTING_ORGS.has(orgOf(group.orgId)))
      out.push(`${gw}.orgId: organisation ${group.orgId} does not exist in a fresh Grafana`);
    const interval = parseDuration(group.interval);
    if (interval === undefined) out.push(`${gw}.interval: cannot parse ${group.interval}`);
    else if (interval <= 0 || (interval / 1000) % BASE_INTERVAL_S !== 0)
      out.push(
        `${gw}.interval: ${group.interval} should be non-zero and divided exactly by scheduler interval: ${BASE_INTERVAL_S}s`
      );
    const titles = new Set<string>();
    for (const [r, rule] of (group.rules ?? []).entries()) {
      const rw = `${gw}.rules[${r}] (${rule.title ?? rule.uid})`;
      if (!rule.title) out.push(`${rw}.title: rule has no title set`);
      const uid = uidProblem(rule.uid);
      if (uid) out.push(`${rw}.uid: ${uid}`);
      if (uids.has(rule.uid)) out.push(`${rw}.uid: ${rule.uid} twice`);
      uids.add(rule.uid);
      if (titles.has(rule.title))
        out.push(
          `${rw}.title: a conflicting alert rule is found: rule title under the same organisation and folder should be unique`
        );
      titles.add(rule.title);
      if (rule.for !== undefined && parseDuration(rule.for) === undefined)
        out.push(`${rw}.for: cannot parse ${rule.for}`);
      if (rule.noDataState !== undefined && !NO_DATA_STATES.includes(rule.noDataState))
        out.push(`${rw}.noDataState: unknown NoData state option ${rule.noDataState}`);
      if (rule.execErrState !== undefined && !ERROR_STATES.includes(rule.execErrState))
        out.push(`${rw}.execErrState: unknown Error state option ${rule.execErrState}`);
      if (!rule.condition && !rule.record) out.push(`${rw}.condition: no condition set`);
      const data = rule.data ?? [];
      if (data.length === 0) out.push(`${rw}.data: no data set`);
      // SetDashboardAndPanelFromAnnotations.
      const dash = rule.annotations?.__dashboardUid__;
      const panel = rule.annotations?.__panelId__;
      if ((dash && !panel) || (!dash && panel))
        out.push(
          `${rw}.annotations: invalid alert rule: both annotations __dashboardUid__ and __panelId__ must be specified`
        );
      else if (dash) {
        if (!/^-?\d+$/.test(String(panel)))
          out.push(`${rw}.annotations: invalid alert rule: annotation __panelId__ must be a valid integer Panel ID`);
        const target = ctx.dashboards.find((d) => d.uid === dash);
        // Not checked by Grafana at load time, but the rule's link then leads nowhere.
        if (!target) out.push(`${rw}.annotations.__dashboardUid__: no provisioned dashboard ${dash}`);
        else if (!target.panels.some((p) => p.id === Number(panel)))
          out.push(`${rw}.annotations.__panelId__: no panel ${panel} in ${dash}`);
      }
      for (const label of Object.keys(rule.labels ?? {})) {
        if (['__grafana_autogenerated__', '__grafana_receiver__', '__grafana_route_settings_hash__'].includes(label))
          out.push(`${rw}.labels: system reserved label ${label} cannot be defined`);
      }
      // The queries and expressions: refIds unique, every reference defined before use, the condition among them.
      const refs = new Set<string>();
      for (const [q, d] of data.entries()) {
        const qw = `${rw}.data[${q}] (${d.refId})`;
        if (!d.refId) out.push(`${qw}.refId: required`);
        if (refs.has(d.refId)) out.push(`${qw}.refId: ${d.refId} twice`);
        if (d.model?.refId !== undefined && d.model.refId !== d.refId)
          out.push(`${qw}.model.refId: ${d.model.refId} differs from ${d.refId}`);
        if (d.datasourceUid === '__expr__') {
          const m = d.model ?? {};
          if (!EXPRESSION_TYPES.includes(m.type)) out.push(`${qw}.model.type: ${m.type} is not an expression type`);
          const used =
            m.type === 'math'
              ? [...String(m.expression).matchAll(/\$\{?([A-Za-z]\w*)\}?/g)].map((x) => x[1]!)
              : [String(m.expression)];
          for (const u of used)
            if (!refs.has(u)) out.push(`${qw}.model.expression: ${u} is not a query or expression before it`);
          if (m.type === 'reduce' && !REDUCERS.includes(m.reducer))
            out.push(`${qw}.model.reducer: reduction ${m.reducer} not implemented`);
          if (m.type === 'reduce' && m.settings?.mode && !['dropNN', 'replaceNN', ''].includes(m.settings.mode))
            out.push(`${qw}.model.settings.mode: ${m.settings.mode}`);
          if (m.type === 'threshold')
            for (const c of m.conditions ?? [])
              if (!THRESHOLDS.includes(c.evaluator?.type))
                out.push(`${qw}.model.conditions: evaluator ${c.evaluator?.type} is not supported`);
        } else {
          if (!ctx.datasourceUids.has(d.datasourceUid))
            out.push(`${qw}.datasourceUid: ${d.datasourceUid} is not a provisioned datasource`);
          if (!(d.relativeTimeRange?.from > (d.relativeTimeRange?.to ?? 0)))
            out.push(`${qw}.relativeTimeRange: from must be further back than to`);
        }
        refs.add(d.refId);
      }
      if (rule.condition && !refs.has(rule.condition))
        out.push(`${rw}.condition: ${rule.condition} is not a refId of its data`);
    }
  }
  return out;
}

// --- contact points ----------------------------------------------------------------------------

/** The settings each notifier we use requires (pkg/services/ngalert/notifier/channels_config/available_channels.go, the email notifier's "could not find addresses in settings"). */
const REQUIRED_SETTINGS: Record<string, string[]> = {
  email: ['addresses'],
  webhook: ['url'],
  slack: [],
  telegram: ['bottoken', 'chatid'],
  teams: ['url'],
};

/** pkg/services/provisioning/alerting/contact_point_types.go, then provisioning.ValidateContactPoint. */
export function checkContactPoints(file: any, env: Record<string, string | undefined>): string[] {
  const out: string[] = [];
  if (file?.apiVersion !== 1) out.push('apiVersion: must be 1');
  const uids = new Set<string>();
  for (const [i, cp] of (file?.contactPoints ?? []).entries()) {
    const where = `contactPoints[${i}] (${cp.name})`;
    if (!String(cp.name ?? '').trim()) out.push(`${where}.name: no name is set`);
    if (!EXISTING_ORGS.has(orgOf(cp.orgId)))
      out.push(`${where}.orgId: organisation ${cp.orgId} does not exist in a fresh Grafana`);
    for (const [j, r] of (cp.receivers ?? []).entries()) {
      const rw = `${where}.receivers[${j}]`;
      if (!String(r.uid ?? '').trim()) out.push(`${rw}.uid: no uid is set`);
      else if (uidProblem(r.uid)) out.push(`${rw}.uid: ${uidProblem(r.uid)}`);
      if (uids.has(r.uid)) out.push(`${rw}.uid: ${r.uid} twice`);
      uids.add(r.uid);
      if (!String(r.type ?? '').trim()) out.push(`${rw}.type: no type is set`);
      else if (!(r.type in REQUIRED_SETTINGS)) out.push(`${rw}.type: ${r.type} is not a notifier checked here`);
      if (!r.settings || Object.keys(r.settings).length === 0) out.push(`${rw}.settings: no settings are set`);
      // Values go through the environment first (values.JSONValue, pkg/services/provisioning/values/values.go).
      for (const key of REQUIRED_SETTINGS[r.type] ?? []) {
        const value = interpolate(String(r.settings?.[key] ?? ''), env).trim();
        if (!value) out.push(`${rw}.settings.${key}: empty once the environment is applied`);
      }
    }
  }
  return out;
}

/** `$VAR` and `${VAR}` from the environment, as values.go does (os.ExpandEnv-like). */
export const interpolate = (text: string, env: Record<string, string | undefined>) =>
  text.replace(/\$\{(\w+)\}|\$(\w+)/g, (_m, a: string | undefined, b: string | undefined) => env[(a ?? b)!] ?? '');

// --- notification policies --------------------------------------------------------------------

/**
 * pkg/services/provisioning/alerting/notification_policy_types.go hands the tree to the notification
 * policy service (pkg/services/ngalert/provisioning/notification_policies.go: every receiver and time
 * interval must exist; definitions.Route.Validate: the root has a receiver and no matchers).
 */
export function checkPolicies(file: any, ctx: { receivers: Set<string>; timeIntervals: Set<string> }): string[] {
  const out: string[] = [];
  if (file?.apiVersion !== 1) out.push('apiVersion: must be 1');
  for (const [i, root] of (file?.policies ?? []).entries()) {
    const where = `policies[${i}]`;
    if (!EXISTING_ORGS.has(orgOf(root.orgId)))
      out.push(`${where}.orgId: organisation ${root.orgId} does not exist in a fresh Grafana`);
    if (!root.receiver) out.push(`${where}.receiver: the root route must have a receiver`);
    if (root.object_matchers?.length || root.matchers?.length)
      out.push(`${where}: the root route must not have any matchers`);
    const walk = (route: any, at: string) => {
      if (route.receiver && !ctx.receivers.has(route.receiver))
        out.push(`${at}.receiver: ${route.receiver} does not exist`);
      for (const name of [...(route.mute_time_intervals ?? []), ...(route.active_time_intervals ?? [])]) {
        if (!ctx.timeIntervals.has(name)) out.push(`${at}: undefined time interval ${name} used in route`);
      }
      for (const [k, m] of (route.object_matchers ?? []).entries()) {
        if (!Array.isArray(m) || m.length !== 3 || !['=', '!=', '=~', '!~'].includes(m[1]))
          out.push(`${at}.object_matchers[${k}]: not [name, operator, value]`);
      }
      for (const d of ['group_wait', 'group_interval', 'repeat_interval'])
        if (route[d] !== undefined && parseDuration(route[d]) === undefined)
          out.push(`${at}.${d}: cannot parse ${route[d]}`);
      for (const [k, child] of (route.routes ?? []).entries()) walk(child, `${at}.routes[${k}]`);
    };
    walk(root, where);
  }
  return out;
}

// --- mute timings ------------------------------------------------------------------------------

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

/**
 * pkg/services/provisioning/alerting/mute_times_types.go reads Alertmanager's time intervals, whose
 * YAML unmarshalling validates them (prometheus/alertmanager timeinterval/timeinterval.go): times
 * HH:MM up to 24:00 with start before end, weekday and month names or numbers with begin ≤ end,
 * days of month in ±1–31, a location Go can load.
 */
export function checkMuteTimings(file: any): string[] {
  const out: string[] = [];
  if (file?.apiVersion !== 1) out.push('apiVersion: must be 1');
  const names = new Set<string>();
  const range = (text: string, member: (s: string) => number) => {
    const [a, b = a] = String(text)
      .split(':')
      .map((s) => member(s.trim().toLowerCase()));
    return [a!, b!] as const;
  };
  for (const [i, mt] of (file?.muteTimes ?? []).entries()) {
    const where = `muteTimes[${i}] (${mt.name})`;
    if (!String(mt.name ?? '').trim()) out.push(`${where}.name: required`);
    if (names.has(mt.name)) out.push(`${where}.name: ${mt.name} twice`);
    names.add(mt.name);
    for (const [j, ti] of (mt.time_intervals ?? []).entries()) {
      const tw = `${where}.time_intervals[${j}]`;
      const known = new Set(['times', 'weekdays', 'days_of_month', 'months', 'years', 'location']);
      for (const key of Object.keys(ti))
        if (!known.has(key)) out.push(`${tw}.${key}: not a field of a time interval (ignored by Alertmanager)`);
      for (const t of ti.times ?? []) {
        const valid = /^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$/;
        if (!valid.test(t.start_time ?? '') || !valid.test(t.end_time ?? ''))
          out.push(`${tw}.times: couldn't parse timestamp ${t.start_time}–${t.end_time}, invalid format`);
        else if (t.start_time >= t.end_time)
          out.push(`${tw}.times: start time cannot be equal or greater than end time`);
      }
      for (const w of ti.weekdays ?? []) {
        const [a, b] = range(w, (s) => WEEKDAYS.indexOf(s));
        if (a < 0 || b < 0) out.push(`${tw}.weekdays: ${w} is not a valid weekday`);
        else if (a > b) out.push(`${tw}.weekdays: ${w}: start day cannot be before end day`);
      }
      for (const d of ti.days_of_month ?? []) {
        const [a, b] = range(d, Number);
        if (![a, b].every((n) => Number.isInteger(n) && n !== 0 && n >= -31 && n <= 31))
          out.push(`${tw}.days_of_month: ${d} is not a valid day of the month: out of range`);
        else if (a < 0 && b > 0)
          out.push(`${tw}.days_of_month: ${d}: end day must be negative if start day is negative`);
        else if ((a < 0 ? 28 + a : a) > (b < 0 ? 28 + b : b))
          out.push(`${tw}.days_of_month: ${d}: end day is always before start day`);
      }
      for (const m of ti.months ?? []) {
        const [a, b] = range(m, (s) => (/^\d+$/.test(s) ? Number(s) : MONTHS.indexOf(s) + 1));
        if (!(a >= 1 && a <= 12 && b >= 1 && b <= 12)) out.push(`${tw}.months: ${m} is not a valid month`);
        else if (a > b) out.push(`${tw}.months: ${m}: end month is before start month`);
      }
      for (const y of ti.years ?? []) {
        const [a, b] = range(y, Number);
        if (!(Number.isInteger(a) && Number.isInteger(b) && a > 0)) out.push(`${tw}.years: ${y} is not a valid year`);
        else if (a > b) out.push(`${tw}.years: ${y}: end year is before start year`);
      }
      if (ti.location !== undefined) {
        try {
          new Intl.DateTimeFormat('en', { timeZone: ti.location });
        } catch {
          out.push(`${tw}.location: unknown time zone ${ti.location}`);
        }
      }
    }
  }
  return out;
}
