import { type OutboundUrlPolicy, TeamsServiceEndpoints } from "@microsoft/agents-hosting";

/**
 * Where the Bot Framework and Teams send activities from: the Teams service of each cloud (the SDK's
 * TeamsServiceEndpoints: public, GCC, GCC High, DoD) and the Azure Bot channels (Web Chat, Direct Line) under
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

/**
 * The service URLs Lotse may send to (replies, proactive messages, new conversations): https to a Teams / Bot
 * Framework service host or to an extra host of TEAMS_SERVICE_HOSTS (exact, or "*.suffix" for its subdomains), and
 * http or https to this machine (the Agents Playground, tests). Anything else would hand a forged activity the power
 * to make Lotse post, with its token, to any address it can reach (cloud metadata, the internal network).
 */
export class ServiceUrlPolicy implements OutboundUrlPolicy {
  readonly enabled = true;
  private readonly hosts: readonly string[];

  constructor(extraHosts: readonly string[] = []) {
    this.hosts = [...TEAMS_SERVICE_HOSTS, ...extraHosts.map((h) => h.toLowerCase())];
  }

  isAllowed(input: string | URL | null | undefined): boolean {
    if (!input) return false;
    let url: URL;
    try {
      url = input instanceof URL ? input : new URL(input);
    } catch {
      return false;
    }
    if (url.username || url.password) return false;
    const host = url.hostname.toLowerCase().replace(/\.$/, "");
    if (isLoopbackHost(host)) return url.protocol === "http:" || url.protocol === "https:";
    return url.protocol === "https:" && this.hosts.some((pattern) => matches(host, pattern));
  }
}
