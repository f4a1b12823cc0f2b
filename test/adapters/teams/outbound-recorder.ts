import dc from "node:diagnostics_channel";

export type Dial = { via: string; host: string; port: string };

/**
 * Records every outbound connection this process attempts, without patching anything: fetch (which the Agents SDK
 * uses for the Bot Connector) announces each connection on undici's diagnostics channel before DNS and connect;
 * node:http (MSAL) announces each request. `except` leaves out the test's own requests to Lotse.
 */
export class OutboundRecorder {
  readonly dials: Dial[] = [];
  private readonly onConnect = (m: unknown) => {
    const p = (m as { connectParams: { hostname: string; port: string } }).connectParams;
    this.dials.push({ via: "fetch", host: p.hostname, port: String(p.port) });
  };
  private readonly onHttp = (m: unknown) => {
    const r = (m as { request: { host: string; socket?: { remotePort?: number } } }).request;
    this.dials.push({ via: "http", host: r.host, port: "" });
  };

  start(): this {
    dc.subscribe("undici:client:beforeConnect", this.onConnect);
    dc.subscribe("http.client.request.start", this.onHttp);
    return this;
  }

  /** Connections except those to the given ports on loopback (Lotse itself, the fake connector). */
  others(...loopbackPorts: (string | number)[]): Dial[] {
    const own = new Set(loopbackPorts.map(String));
    return this.dials.filter((d) => !(d.host === "127.0.0.1" && own.has(d.port)));
  }

  reset(): void {
    this.dials.length = 0;
  }

  stop(): void {
    dc.unsubscribe("undici:client:beforeConnect", this.onConnect);
    dc.unsubscribe("http.client.request.start", this.onHttp);
  }
}
