import path from "node:path";
import { Templates } from "../../src/assistant/templates.ts";
import type { Turn } from "../../src/core/feature.ts";
import type {
  ActionInbound,
  ConversationAddress,
  HomeInbound,
  Inbound,
  JoinedInbound,
  MessageInbound,
  Platform,
} from "../../src/core/inbound.ts";
import type { Notifier, NotifyOutcome, NotifyTarget } from "../../src/core/notifier.ts";
import { People } from "../../src/core/people.ts";
import { Pseudonyms } from "../../src/core/pseudonyms.ts";
import type { Button, Card, Reply } from "../../src/core/replies.ts";
import type { Roster } from "../../src/core/roster.ts";
import { TenantSettings } from "../../src/core/tenant-settings.ts";
import type { Database } from "../../src/db/database.ts";
import { type KnowledgeSet, loadKnowledge } from "../../src/knowledge/load-knowledge.ts";
import { silentLogger } from "../../src/log.ts";
import { OnboardingFeature } from "../../src/onboarding/onboarding-feature.ts";
import { OnboardingPaths } from "../../src/onboarding/onboarding-paths.ts";
import { moveOnboarding } from "../../src/onboarding/onboarding-store.ts";
import { ROOT } from "../helpers.ts";

export const KNOWLEDGE = path.join(ROOT, "knowledge");
export const TENANT = "musterstadt";
export const KEY = "4c1e9a7f3b5d8e2a6c0f4b9d1e7a3c5f8b2d6e0a4c9f1b7d3e5a8c2f6b0d4e9a";
export const pseudonyms = new Pseudonyms(KEY);

let knowledge: Promise<KnowledgeSet> | undefined;
/** The real knowledge base, read once per test file. */
export const realKnowledge = (): Promise<KnowledgeSet> => {
  knowledge ??= loadKnowledge(KNOWLEDGE);
  return knowledge;
};

let templates: Promise<Templates> | undefined;
export const realTemplates = (): Promise<Templates> => {
  templates ??= Templates.load(path.join(ROOT, "prompts/de"));
  return templates;
};

type Script = NotifyOutcome | Error;

/** A notifier that records what it was asked to send and answers from a script (delivered when it runs out). */
export class FakeNotifier implements Notifier {
  readonly sent: { target: NotifyTarget; reply: Reply }[] = [];
  readonly platform: "slack" | "teams";
  readonly script: Script[];
  constructor(platform: "slack" | "teams", script: Script[] = []) {
    this.platform = platform;
    this.script = script;
  }
  async send(target: NotifyTarget, reply: Reply): Promise<NotifyOutcome> {
    this.sent.push({ target, reply });
    const next = this.script.shift() ?? { ok: true, conversationId: "D0LOTSE0001" };
    if (next instanceof Error) throw next;
    return next;
  }
}

/** A feature on `db` with the real knowledge, prompts and Musterstadt contacts; settings as JSON. */
export async function onboardingFeature(
  db: Database,
  opts: { settings?: string; notifiers?: FakeNotifier[]; rosters?: Roster[] } = {},
): Promise<OnboardingFeature> {
  const set = await realKnowledge();
  return new OnboardingFeature({
    db,
    paths: new OnboardingPaths(realKnowledge),
    people: new People(db, pseudonyms, [moveOnboarding]),
    rosters: new Map((opts.rosters ?? []).map((r) => [r.platform, r])),
    templates: await realTemplates(),
    tenantSettings: TenantSettings.parse(opts.settings, [14, 2]),
    notifiers: new Map((opts.notifiers ?? []).map((n) => [n.platform, n])),
    contacts: async (tenant) => set.tenants.get(tenant)?.contacts ?? new Map(),
    log: silentLogger,
  });
}

/** A Slack user of Musterstadt in their DM with Lotse. */
export const SLACK_USER = { id: "U0NEUMANN1", name: "Nora Neumann" };
export const DM: ConversationAddress = { id: "D0LOTSE0001", kind: "personal", channel: "D0LOTSE0001" };
export const CHANNEL: ConversationAddress = { id: "C0NACHHALT", kind: "channel", channel: "C0NACHHALT" };

export interface Who {
  platform?: Platform;
  user?: { id: string; name?: string; email?: string };
  conversation?: ConversationAddress;
  at?: string;
}

const base = (w: Who) => ({
  platform: w.platform ?? ("slack" as const),
  externalTenantId: "T0MUSTER1",
  user: w.user ?? SLACK_USER,
  conversation: w.conversation ?? DM,
  receivedAt: new Date(w.at ?? "2026-12-02T09:00:00Z"),
});

export const message = (text: string, w: Who = {}, extra: Partial<MessageInbound> = {}): MessageInbound => ({
  ...base(w),
  kind: "message",
  text,
  ...extra,
});

export const action = (actionId: string, value: string, w: Who = {}, source?: string): ActionInbound => ({
  ...base(w),
  kind: "action",
  actionId,
  value,
  source: source ?? `${(w.conversation ?? DM).channel}:1764666000.000100`,
});

export const joined = (scope: JoinedInbound["scope"], w: Who = {}): JoinedInbound => ({
  ...base(w),
  kind: "joined",
  scope,
});

export const home = (w: Who = {}): HomeInbound => ({ ...base(w), kind: "home" });

/** A turn as the core gives it: tenant resolved, user pseudonymised. */
export const turnOf = <I extends Inbound>(inbound: I): Turn<I> => ({
  inbound,
  tenant: TENANT,
  user: pseudonyms.of(inbound.platform, inbound.user.id),
});

/** The card of a one-reply answer (card or update). */
export function cardOf(replies: Reply[], kind: "card" | "update" = "update"): Card {
  if (replies.length !== 1 || replies[0]?.kind !== kind)
    throw new Error(`expected one ${kind}, got ${JSON.stringify(replies.map((r) => r.kind))}`);
  return (replies[0] as { card: Card }).card;
}

/** The card's text: title and every section's heading, text and items. */
export const textOf = (card: Card): string =>
  [
    card.title ?? "",
    ...card.sections.flatMap((s) => [s.heading ?? "", s.text ?? "", ...(s.items ?? [])]),
  ].join("\n");

/** The action button with this label. */
export function button(card: Card, label: string): { actionId: string; value: string } {
  const b = (card.buttons ?? []).find((x: Button) => x.label === label && "actionId" in x);
  if (!b || !("actionId" in b))
    throw new Error(`no button "${label}" in ${JSON.stringify((card.buttons ?? []).map((x) => x.label))}`);
  return { actionId: b.actionId, value: b.value };
}

export const labels = (card: Card): string[] => (card.buttons ?? []).map((b) => b.label);
