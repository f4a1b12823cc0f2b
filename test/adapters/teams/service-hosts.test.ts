import { describe, expect, it } from "vitest";
import {
  isLoopbackHost,
  ServiceUrlPolicy,
  TEAMS_SERVICE_HOSTS,
} from "../../../adapters/teams/service-hosts.ts";

describe("Teams service URL policy", () => {
  const extraHosts = ["smba.infra.example-cloud.de", "*.bots.example-cloud.de"];
  /** The local trial (no Bot credentials): loopback is the Agents Playground. */
  const policy = new ServiceUrlPolicy({ extraHosts, anyLoopback: true });
  /** With Bot credentials. */
  const strict = new ServiceUrlPolicy({ extraHosts });

  it("allows the Teams services the SDK knows, Azure Bot channels, extra hosts and, in the local trial, loopback", () => {
    expect(TEAMS_SERVICE_HOSTS).toEqual(
      expect.arrayContaining([
        "smba.trafficmanager.net",
        "smba.infra.gcc.teams.microsoft.com",
        "*.botframework.com",
      ]),
    );
    for (const url of [
      "https://smba.trafficmanager.net/emea/",
      "https://smba.trafficmanager.net/teams/",
      "https://smba.infra.gov.teams.microsoft.us/teams",
      "https://webchat.botframework.com/",
      "https://europe.directline.botframework.com/",
      "http://localhost:56150/",
      "http://127.0.0.1:3978/",
      "http://127.8.9.10/",
      "http://[::1]:8080/",
      "https://smba.infra.example-cloud.de/teams/",
      "https://de.bots.example-cloud.de/",
    ])
      expect(policy.isAllowed(url), url).toBe(true);
  });

  it("refuses everything else: plain http off loopback, look-alikes, hosts anyone can own, private and odd addresses", () => {
    for (const url of [
      "http://smba.trafficmanager.net/emea/",
      "https://smba.trafficmanager.net.attacker.example/",
      "https://attacker-smba.trafficmanager.net/",
      "https://evil.trafficmanager.net/",
      "https://botframework.com.attacker.example/",
      "https://lotse.blob.core.windows.net/",
      "https://contoso.sharepoint.com/",
      "https://bots.example-cloud.de/",
      "https://x.smba.infra.example-cloud.de/",
      "http://169.254.169.254/latest/meta-data/",
      "http://10.0.0.1/",
      "http://192.168.1.20/",
      "http://[::ffff:127.0.0.1]/",
      "http://0.0.0.0/",
      "https://user:pass@smba.trafficmanager.net/",
      "ftp://127.0.0.1/",
      "keine URL",
      "",
      undefined,
    ])
      expect(policy.isAllowed(url), String(url)).toBe(false);
  });

  it("with Bot credentials: loopback only where TEAMS_SERVICE_HOSTS names it, https everywhere else", () => {
    for (const url of [
      "http://127.0.0.1:3978/",
      "https://127.0.0.1/",
      "http://localhost:56150/",
      "http://[::1]/",
    ])
      expect(strict.isAllowed(url), url).toBe(false);
    expect(strict.isAllowed("https://smba.trafficmanager.net/emea/")).toBe(true);
    expect(strict.isAllowed("https://de.bots.example-cloud.de/")).toBe(true);
    const listed = new ServiceUrlPolicy({ extraHosts: ["127.0.0.1", "*.0.0.1"] });
    expect(listed.isAllowed("http://127.0.0.1:41234/")).toBe(true);
    expect(listed.isAllowed("http://2130706433:41234/")).toBe(true);
    // Only the exact loopback host listed, never by pattern or another spelling of this machine.
    expect(listed.isAllowed("http://127.0.0.2/")).toBe(false);
    expect(listed.isAllowed("http://localhost/")).toBe(false);
  });

  it("counts as a Teams service host (for tokens naming no service URL) only https off loopback", () => {
    const listed = new ServiceUrlPolicy({ extraHosts: [...extraHosts, "127.0.0.1"], anyLoopback: true });
    for (const url of ["https://smba.trafficmanager.net/emea/", "https://de.bots.example-cloud.de/"])
      expect(listed.isServiceHost(url), url).toBe(true);
    for (const url of [
      "http://127.0.0.1:41234/",
      "https://127.0.0.1/",
      "https://localhost/",
      "http://smba.trafficmanager.net/emea/",
      "https://evil.example/",
      undefined,
    ])
      expect(listed.isServiceHost(url), String(url)).toBe(false);
  });

  it("knows loopback by the normalised host of a URL", () => {
    expect(isLoopbackHost(new URL("http://2130706433/").hostname)).toBe(true);
    expect(isLoopbackHost(new URL("http://LOCALHOST./").hostname)).toBe(true);
    expect(isLoopbackHost("localhost.attacker.example")).toBe(false);
    expect(isLoopbackHost("128.0.0.1")).toBe(false);
  });
});
