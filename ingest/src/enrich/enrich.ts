import type { KiboticsEvent } from '../events/types.js';
import { HostPolicy, maskAddresses } from './addresses.js';
import type { CountryLookup } from './country.js';
import type { UserIds } from './pseudonym.js';
import { UNKNOWN, type UserAgentParser } from './user-agent.js';

/**
 * An event after enrichment: the client's IP address and raw user agent are gone (the type has no
 * field for them), replaced by what the dashboards need.
 */
export type EnrichedEvent = WithoutClient<KiboticsEvent> & {
  os: string;
  browser: string;
  device: string;
  bot: boolean;
  country: string;
};

/** Per member of the union, so an enriched event still narrows on its `type`. */
type WithoutClient<E> = E extends unknown ? Omit<E, 'client_ip' | 'user_agent' | 'container'> : never;

export class Enricher {
  constructor(
    private readonly userAgents: UserAgentParser,
    private readonly countries: CountryLookup,
    private readonly userIds: UserIds = (user) => user,
    private readonly hosts = new HostPolicy()
  ) {}

  enrich(event: KiboticsEvent): EnrichedEvent {
    const { client_ip, user_agent, container: _container, host, path, message, ...rest } = event;
    const client = this.userAgents.parse(user_agent);
    const enriched: EnrichedEvent = {
      ...rest,
      ...(rest.user === undefined ? {} : { user: this.userIds(rest.user) }),
      ...client,
      country: (client_ip && this.countries.country(client_ip)) || UNKNOWN,
    };
    // For in-browser simulations Kibotics reports the child's own address as the "host": only server
    // names and SIMULATION_HOSTS' addresses are kept, whatever client_ip says.
    const kept = this.hosts.keep(host);
    if (kept !== undefined) enriched.host = kept;
    if (path !== undefined) enriched.path = maskAddresses(path);
    if (message !== undefined) enriched.message = maskAddresses(message);
    return enriched;
  }
}
