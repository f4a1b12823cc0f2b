import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Templates } from "../../src/assistant/templates.ts";
import { ConversationCore } from "../../src/core/conversation-core.ts";
import { ConversationStore } from "../../src/core/conversation-store.ts";
import type { Feature, Turn } from "../../src/core/feature.ts";
import type { JoinedInbound } from "../../src/core/inbound.ts";
import { People } from "../../src/core/people.ts";
import { Pseudonyms } from "../../src/core/pseudonyms.ts";
import { Tenancy } from "../../src/core/tenancy.ts";
import { TurnStore } from "../../src/core/turn-store.ts";
import type { Database } from "../../src/db/database.ts";
import { migrate } from "../../src/db/migrate.ts";
import { openPglite } from "../../src/db/pglite-database.ts";
import { captureLogs, ROOT, testConfig } from "../helpers.ts";

const KEY = "9d3e1f7a2b8c4d6e0f1a3b5c7d9e2f4a6b8c0d1e3f5a7b9c2d4e6f8a0b1c3d5e";
const EMAIL = "Erika.Mustermann@musterstadt.example";

describe("People: one person across a tenant's platforms, by email pseudonym", () => {
  let db: Database;
  const pseudonyms = new Pseudonyms(KEY);
  beforeAll(async () => {
    db = await openPglite(":memory:");
    await migrate(db);
  });
  afterAll(() => db.close());

  it("links the Slack and the Teams user of one email to one person; an unlinked user is their own person", async () => {
    const people = new People(db, pseudonyms);
    const slack = pseudonyms.of("slack", "U0ERIKA01");
    const teams = pseudonyms.of("teams", "29:1erika");
    const person = await people.link("musterstadt", "slack", slack, EMAIL);
    expect(await people.link("musterstadt", "teams", teams, " erika.mustermann@MUSTERSTADT.example ")).toBe(
      person,
    );
    expect(await people.personOf("musterstadt", "slack", slack)).toBe(person);
    expect(await people.personOf("musterstadt", "teams", teams)).toBe(person);
    expect(person).toMatch(/^p1_[0-9a-f]{32}$/);
    expect(person).not.toBe(slack);
    // Another tenant's person of the same address is someone else; an unknown user is their own person.
    expect(pseudonyms.ofEmail("neustadt", EMAIL)).not.toBe(person);
    const stranger = pseudonyms.of("slack", "U0FREMD01");
    expect(await people.personOf("musterstadt", "slack", stranger)).toBe(stranger);
    expect((await people.pseudonymsOf("musterstadt", person)).sort()).toEqual([person, slack, teams].sort());
    // Only pseudonyms are stored: never the address.
    const rows = await db.query("SELECT * FROM person_links");
    expect(JSON.stringify(rows.rows).toLowerCase()).not.toContain("erika");
  });

  it("keeps one person across platforms when one platform tells a new address, and moves what features keep", async () => {
    const moved: [string, string][] = [];
    const people = new People(db, pseudonyms, [
      async (_q, _tenant, from, to) => {
        moved.push([from, to]);
      },
    ]);
    const slack = pseudonyms.of("slack", "U0NEUNAME1");
    const teams = pseudonyms.of("teams", "29:1neuname");
    const before = await people.link("bergheim", "slack", slack, "anna.alt@bergheim.example");
    await people.link("bergheim", "teams", teams, "anna.alt@bergheim.example");
    // Married and renamed: Slack tells the new address; Teams still knows the old one's person.
    const after = await people.link("bergheim", "slack", slack, "anna.neu@bergheim.example");
    expect(after).not.toBe(before);
    expect(await people.personOf("bergheim", "teams", teams)).toBe(after);
    // Each platform's own first, then the person's.
    expect(moved).toEqual([
      [slack, before],
      [teams, before],
      [before, after],
    ]);
  });

  it("the core links a user whose join carries an email before the feature sees the input", async () => {
    const { log } = captureLogs();
    let seen: string | undefined;
    const people = new People(db, pseudonyms);
    const feature: Feature = {
      name: "probe",
      owns: (i) => i.kind === "joined",
      handle: async (turn: Turn) => {
        seen = await people.personOf(turn.tenant, turn.inbound.platform, turn.user);
        return [];
      },
    };
    const core = new ConversationCore({
      tenancy: Tenancy.fromConfig(testConfig()),
      templates: await Templates.load(path.join(ROOT, "prompts/de")),
      log,
      features: [feature],
      conversations: new ConversationStore(db),
      turns: new TurnStore(db),
      pseudonyms,
      people,
      defaultContact: async () => undefined,
    });
    const joined: JoinedInbound = {
      kind: "joined",
      scope: "workspace",
      platform: "slack",
      tenant: "musterstadt",
      user: { id: "U0NEU0001", email: "neu@musterstadt.example" },
      conversation: { id: "U0NEU0001", kind: "personal", channel: "U0NEU0001" },
      receivedAt: new Date(),
    };
    await core.handle(joined);
    expect(seen).toBe(pseudonyms.ofEmail("musterstadt", "neu@musterstadt.example"));
  });
});
