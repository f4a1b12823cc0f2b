import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { waitUntil } from "../../fakes/neutral.ts";
import { CREDENTIALS, fixture, post } from "../../fakes/teams-activities.ts";
import { FakeConnector, type FakeMember } from "../../fakes/teams-connector.ts";
import { type Lotse, startLotse } from "../../fakes/teams-harness.ts";
import { BotTokens } from "../../fakes/teams-tokens.ts";

// The member lookup on join and install (adapters/teams/member-email.ts), driven over HTTP with credentials: signed
// Bot Framework tokens in, Lotse's access token on its calls to the fake Bot Connector.

/** The team "Nachhaltigkeit" of members-added.json: Teams knows every member of the team there. */
const TEAM_ID = "19:9e8d7c6b5a4f4e3d2c1b0a9f8e7d6c5b@thread.tacv2";
const ACCESS_TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.lotse-access-token.c2lnbmF0dXJl";

let n = 0;
/** A new colleague of Musterstadt as the Bot Connector describes them (a TeamsChannelAccount). */
function colleague(name: string): FakeMember {
  const [givenName = "", surname = ""] = name.split(" ");
  const i = String(++n).padStart(2, "0");
  const email = `${givenName}.${surname}@musterstadt.de`.toLowerCase();
  return {
    id: `29:1Neu${i}Rs3Tu4Vw5Xy6Za7Bc8De9Fg0Hi1Jk`,
    aadObjectId: `7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c${i}`,
    name,
    givenName,
    surname,
    email,
    userPrincipalName: email,
    userRole: "user",
  };
}

describe("Teams member lookup on join and install (fake Bot Connector, with credentials)", () => {
  const connector = new FakeConnector();
  const tokens = new BotTokens();
  let lotse: Lotse;

  beforeAll(async () => {
    await Promise.all([connector.start(), tokens.start()]);
    lotse = await startLotse(
      { ...CREDENTIALS, TEAMS_SERVICE_HOSTS: "127.0.0.1" },
      { signingKeys: tokens.keys, accessToken: async () => ACCESS_TOKEN },
    );
  });
  /** Where this test's log lines begin. */
  let mark = 0;
  beforeEach(() => {
    mark = lotse.logs.length;
  });
  afterEach(() => connector.reset());
  afterAll(async () => {
    await lotse.stop();
    await connector.stop();
  });

  const signed = async () => ({
    authorization: `Bearer ${await tokens.token("botFramework", connector.url)}`,
  });

  /** `member` joins the team (membersAdded); resolves once the welcome was accepted by the connector. */
  async function join(member: Pick<FakeMember, "id" | "aadObjectId">) {
    const before = connector.delivered().length;
    const activity = await fixture("members-added", connector.url, {
      membersAdded: [{ id: member.id, aadObjectId: member.aadObjectId }],
    });
    // Waited for is the welcome itself (bounded), not the request: an unbounded lookup fails here, not at the timeout.
    const pending = post(lotse.base, activity, await signed());
    // Should the wait fail, the request's own end (a closed socket at stop) is no unhandled rejection.
    pending.catch(() => undefined);
    await waitUntil(() => connector.delivered().length > before, "the welcome");
    expect((await pending).status).toBe(200);
    return connector.delivered().slice(before);
  }

  /** The person Lotse keeps a Teams user's onboarding under (People.personOf, as onboarding asks). */
  const personOf = (aadObjectId: string) =>
    lotse.rt.people.personOf("musterstadt", "teams", lotse.rt.pseudonyms.of("teams", aadObjectId));

  const lookupFailures = () => lotse.logs.slice(mark).filter((l) => l.code === "TEAMS_MEMBER_LOOKUP_FAILED");

  it("looks the member up in the team, passes the email on, and the core links the person (no address stored)", async () => {
    const jonas = colleague("Jonas Becker");
    connector.members.set(jonas.id, jonas);
    const [welcome, ...more] = await join(jonas);
    expect(more).toEqual([]);
    expect(JSON.stringify(welcome?.body)).toContain("Willkommen!");
    expect(JSON.stringify(welcome?.body)).toContain("Onboarding starten");
    expect(connector.lookups().map((c) => [c.path, c.authorization])).toEqual([
      [`/v3/conversations/${TEAM_ID}/members/${jonas.id}`, `Bearer ${ACCESS_TOKEN}`],
    ]);
    expect(await personOf(jonas.aadObjectId)).toBe(
      lotse.rt.pseudonyms.ofEmail("musterstadt", "jonas.becker@musterstadt.de"),
    );
    // Only pseudonyms are stored, and the address is in no log line.
    const links = await lotse.rt.db.query("SELECT * FROM person_links");
    expect(JSON.stringify(links.rows)).not.toContain("musterstadt.de");
    expect(JSON.stringify(lotse.logs.slice(mark))).not.toContain(jonas.email);
    expect(lookupFailures()).toEqual([]);
  });

  it("looks up the user who installs Lotse in their personal chat, and links them too", async () => {
    const erika = { ...colleague("Erika Mustermann"), id: "29:1Xk9f2mZC0aR8bq7V5eP3wYtUjL6nHsD" };
    erika.aadObjectId = "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
    connector.members.set(erika.id, erika);
    const res = await post(lotse.base, await fixture("installation-update", connector.url), await signed());
    expect(res.status).toBe(200);
    await waitUntil(() => connector.delivered().length === 1, "the welcome");
    expect(connector.lookups()[0]?.path).toMatch(
      /^\/v3\/conversations\/a:1pQ7wZ3x.+\/members\/29:1Xk9f2mZC0aR8bq7V5eP3wYtUjL6nHsD$/,
    );
    expect(await personOf(erika.aadObjectId)).toBe(
      lotse.rt.pseudonyms.ofEmail("musterstadt", "erika.mustermann@musterstadt.de"),
    );
  });

  it("welcomes a guest without mailbox without email: nothing linked, and no failure logged", async () => {
    const { email: _, ...guest } = { ...colleague("Sam Gast"), userRole: "guest" as const };
    guest.userPrincipalName = "sam.gast_partner.example#EXT#@musterstadt.onmicrosoft.com";
    connector.members.set(guest.id, guest);
    const [welcome] = await join(guest);
    expect(JSON.stringify(welcome?.body)).toContain("Willkommen!");
    expect(connector.lookups()[0]?.status).toBe(200);
    // The UPN is no address to link by.
    expect(await personOf(guest.aadObjectId)).toBe(lotse.rt.pseudonyms.of("teams", guest.aadObjectId));
    expect(lookupFailures()).toEqual([]);
  });

  it("welcomes a member Teams does not find (404) without email, logging TEAMS_MEMBER_LOOKUP_FAILED without secrets", async () => {
    const lea = colleague("Lea Koch");
    // The connector knows her under another team only: the lookup in this team is 404 MemberNotFoundInConversation.
    const [welcome] = await join(lea);
    expect(JSON.stringify(welcome?.body)).toContain("Willkommen!");
    expect(JSON.stringify(welcome?.body)).toContain("Onboarding starten");
    expect(connector.lookups()[0]?.status).toBe(404);
    const [line, ...others] = lookupFailures();
    expect(others).toEqual([]);
    expect(line).toMatchObject({ level: 40, code: "TEAMS_MEMBER_LOOKUP_FAILED", status: 404 });
    const text = JSON.stringify(line);
    for (const secret of [CREDENTIALS.TEAMS_CLIENT_SECRET, ACCESS_TOKEN, "Bearer", lea.email ?? "-", lea.id])
      expect(text).not.toContain(secret);
    // Without the email progress stays per platform: the person is the Teams pseudonym itself.
    expect(await personOf(lea.aadObjectId)).toBe(lotse.rt.pseudonyms.of("teams", lea.aadObjectId));
  });

  it("bounds a lookup the connector never answers: the welcome goes out without the email", async () => {
    const tim = colleague("Tim Schulz");
    connector.members.set(tim.id, tim);
    connector.hangLookups = true;
    const [welcome] = await join(tim);
    expect(JSON.stringify(welcome?.body)).toContain("Onboarding starten");
    // The lookup was asked and is still unanswered when the welcome went out.
    expect(connector.lookups()).toHaveLength(1);
    expect(connector.lookups()[0]?.status).toBeUndefined();
    const [line] = lookupFailures();
    expect(line).toMatchObject({ level: 40, code: "TEAMS_MEMBER_LOOKUP_FAILED" });
    const text = JSON.stringify(line);
    for (const secret of [CREDENTIALS.TEAMS_CLIENT_SECRET, ACCESS_TOKEN, tim.email ?? "-"])
      expect(text).not.toContain(secret);
    expect(await personOf(tim.aadObjectId)).toBe(lotse.rt.pseudonyms.of("teams", tim.aadObjectId));
  });
});
