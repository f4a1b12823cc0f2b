import { describe, expect, it } from "vitest";
import {
  isLoopbackHost,
  ServiceUrlPolicy,
  TEAMS_SERVICE_HOSTS,
} from "../../../adapters/teams/service-hosts.ts";

describe("Teams service URL policy", () => {
  const policy = new ServiceUrlPolicy(["smba.infra.example-cloud.de", "*.bots.example-cloud.de"]);

  it("allows the Teams services of every cloud, Azure Bot channels and loopback", () => {
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

  it("knows loopback by the normalised host of a URL", () => {
    expect(isLoopbackHost(new URL("http://2130706433/").hostname)).toBe(true);
    expect(isLoopbackHost(new URL("http://LOCALHOST./").hostname)).toBe(true);
    expect(isLoopbackHost("localhost.attacker.example")).toBe(false);
    expect(isLoopbackHost("128.0.0.1")).toBe(false);
  });
});
