import { type OutboundUrlPolicy, TeamsServiceEndpoints } from "@microsoft/agents-hosting";

/**
 * Where the Bot Framework and Teams send activities from: the Teams service hosts the SDK knows
 * (TeamsServiceEndpoints: public, GCC, GCC High, DoD) and the Azure Bot channels (Web Chat, Direct Line) under
 * botframework.com. Not the SDK's wider default list: it also allows *.blob.core.windows.net and *.sharepoint.com,
 * where anyone can own a host, and a reply posts Lotse's bearer token to the service URL.
 */
export const TEAMS_SERVICE_HOSTS: readonly string[] = [
  ...new Set(Object.values(TeamsServiceEndpoints).map((url) => new URL(url).hostname)),
  "*.botframework.com",
];

/** Whether a URL hostname (as `new URL().hostname` gives it) is this machine: 127.0.0.0/8, ::1 or localhost. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  return host === "localhost" || host === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** The host (with port) of a URL for logs, never its path or query; undefined when it is no URL. */
export function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).host || undefined;
  } catch {
    return undefined;
  }
}

function matches(host: string, pattern: string): boolean {
  return pattern.startsWith("*.") ? host.endsWith(pattern.slice(1)) : host === pattern;
}

/** A URL without user info, as a URL; undefined for anything else. */
function parse(input: string | URL | null | undefined): URL | undefined {
  if (!input) return undefined;
  try {
    const url = input instanceof URL ? input : new URL(input);
    return url.username || url.password ? undefined : url;
  } catch {
    return undefined;
  }
}

const normalise = (host: string) => host.toLowerCase().replace(/\.$/, "");

export interface ServiceUrlPolicyOptions {
  /** Extra hosts of TEAMS_SERVICE_HOSTS: exact names, or "*.suffix" for subdomains. */
  extraHosts?: readonly string[];
  /**
   * Any loopback URL, http or https: the local trial without Bot credentials (Agents Playground, tests). With
   * credentials a loopback host is allowed only when TEAMS_SERVICE_HOSTS names it exactly.
   */
  anyLoopback?: boolean;
}

/**
 * The service URLs Lotse may send to (replies, proactive messages, new conversations): https to a Teams / Bot
 * Framework service host or to an extra host of TEAMS_SERVICE_HOSTS; http or https to this machine only in the local
 * trial or for a loopback host TEAMS_SERVICE_HOSTS names. Anything else would hand a forged or replayed activity the
 * power to make Lotse post, with its token, to any address it can reach (cloud metadata, the internal network, any
 * port on this machine).
 */
export class ServiceUrlPolicy implements OutboundUrlPolicy {
  readonly enabled = true;
  private readonly hosts: readonly string[];
  private readonly loopback: ReadonlySet<string>;
  private readonly anyLoopback: boolean;

  constructor(options: ServiceUrlPolicyOptions = {}) {
    const extra = (options.extraHosts ?? []).map(normalise);
    this.hosts = [...TEAMS_SERVICE_HOSTS, ...extra.filter((h) => !isLoopbackHost(h))];
    this.loopback = new Set(extra.filter(isLoopbackHost));
    this.anyLoopback = options.anyLoopback ?? false;
  }

  isAllowed(input: string | URL | null | undefined): boolean {
    const url = parse(input);
    if (!url) return false;
    const host = normalise(url.hostname);
    if (isLoopbackHost(host))
      return (
        (url.protocol === "http:" || url.protocol === "https:") &&
        (this.anyLoopback || this.loopback.has(host))
      );
    return url.protocol === "https:" && this.hosts.some((pattern) => matches(host, pattern));
  }

  /**
   * Whether a URL is https to a Teams / Bot Framework service host (or a non-loopback extra host): where a token that
   * names no service URL (Entra-issued) may send Lotse, since nobody but Microsoft (or the operator) answers there.
   */
  isServiceHost(input: string | URL | null | undefined): boolean {
    const url = parse(input);
    if (url?.protocol !== "https:") return false;
    const host = normalise(url.hostname);
    return !isLoopbackHost(host) && this.hosts.some((pattern) => matches(host, pattern));
  }
}
