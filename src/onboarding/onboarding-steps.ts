import { toAnswerContact } from "../assistant/contacts.ts";
import type { Turn } from "../core/feature.ts";
import type { ActionInbound } from "../core/inbound.ts";
import type { Card } from "../core/replies.ts";
import { decodeAnswer, decodeModule, decodeRole, ONBOARDING_ACTIONS } from "./onboarding-codec.ts";
import type { OnboardingFeatureDeps } from "./onboarding-feature.ts";
import { nudgeAt, nudgeable, nudgeJob } from "./onboarding-nudge.ts";
import { modulesOf, type OnboardingModule, type OnboardingPath, roleOf } from "./onboarding-paths.ts";
import { OnboardingStore, type Progress, type StepBy } from "./onboarding-store.ts";
import {
  answeredCard,
  doneCard,
  moduleCard,
  roleChoiceCard,
  startButton,
  whenText,
} from "./onboarding-views.ts";

/** What a step shows: a card (the next module, the explanation, the end) or a short notice. */
export type OnboardingStep = { kind: "card"; card: Card } | { kind: "notice"; text: string };

/** Contacts on the closing card: the role add-on's first, then the common path's, at most this many. */
const MAX_CONTACTS = 6;

/** One input's context: the person, the tenant's path, their progress, who acted. */
interface Ctx {
  turn: Turn;
  tenant: string;
  person: string;
  path: OnboardingPath;
  progress: Progress | undefined;
  by: StepBy;
}

/**
 * The steps of the onboarding path (what each button and "onboarding" does to the progress), apart from where the
 * card goes (OnboardingFeature.deliver). Every value is parsed; one that does not match the progress (a stale card,
 * a forged value) changes nothing and shows where the person is.
 */
/** An unlinked user's email is asked for again after this long (a failed lookup, a scope granted later). */
const LOOKUP_RETRY_MS = 60 * 60_000;
/** Lookups one process remembers before it starts over. */
const MAX_REMEMBERED_LOOKUPS = 50_000;

export class OnboardingSteps {
  private readonly deps: OnboardingFeatureDeps;
  private readonly store: OnboardingStore;
  /** When this process last asked a platform for an unlinked user's email (key tenant, platform, pseudonym). */
  private readonly askedAt = new Map<string, number>();

  constructor(deps: OnboardingFeatureDeps) {
    this.deps = deps;
    this.store = new OnboardingStore(deps.db);
  }

  /** The person's progress for a turn (undefined before the first "onboarding"). */
  async progressOf(turn: Turn): Promise<Progress | undefined> {
    const person = await this.deps.people.personOf(turn.tenant, turn.inbound.platform, turn.user);
    return this.store.get(turn.tenant, person);
  }

  /** Links the turn's user by the email their platform tells (Roster.emailOf); the person, or undefined. */
  private async linkByEmail(turn: Turn): Promise<string | undefined> {
    const { inbound, tenant } = turn;
    if (inbound.platform === "cli") return undefined;
    const roster = this.deps.rosters?.get(inbound.platform);
    if (!roster?.emailOf) return undefined;
    const key = `${tenant}\u0000${inbound.platform}\u0000${turn.user}`;
    const now = inbound.receivedAt.getTime();
    if ((this.askedAt.get(key) ?? Number.NEGATIVE_INFINITY) > now - LOOKUP_RETRY_MS) return undefined;
    if (this.askedAt.size >= MAX_REMEMBERED_LOOKUPS) this.askedAt.clear();
    this.askedAt.set(key, now);
    const email = await roster.emailOf(inbound).catch(() => undefined);
    if (!email) return undefined;
    this.askedAt.delete(key);
    return this.deps.people.link(tenant, inbound.platform, turn.user, email);
  }

  /** Takes the step the input asks for. */
  async take(turn: Turn): Promise<OnboardingStep> {
    const ctx = await this.context(turn);
    if (ctx.path.common.length === 0)
      return { kind: "notice", text: this.deps.templates.label("onboarding-unavailable") };
    const inbound = turn.inbound;
    if (inbound.kind !== "action") return this.where(ctx, { resumed: true });
    const a = inbound as ActionInbound;
    switch (a.actionId) {
      case ONBOARDING_ACTIONS.start:
        return this.where(ctx, { resumed: true });
      case ONBOARDING_ACTIONS.role:
        return this.chooseRole(ctx, decodeRole(a.value));
      case ONBOARDING_ACTIONS.answer:
        return this.answer(ctx, decodeAnswer(a.value));
      case ONBOARDING_ACTIONS.next:
        return this.move(ctx, decodeModule(a.value), 1);
      case ONBOARDING_ACTIONS.back:
        return this.move(ctx, decodeModule(a.value), -1);
      case ONBOARDING_ACTIONS.later:
        return this.later(ctx);
      case ONBOARDING_ACTIONS.stopNudges:
        return this.stopNudges(ctx);
      default:
        return this.where(ctx, { stale: true });
    }
  }

  private async context(turn: Turn): Promise<Ctx> {
    const { inbound, tenant } = turn;
    let person = await this.deps.people.personOf(tenant, inbound.platform, turn.user);
    const [path, stored] = await Promise.all([this.deps.paths.of(tenant), this.store.get(tenant, person)]);
    let progress = stored;
    if (person === turn.user) {
      // Not linked: where the platform tells the email now, the person may have begun elsewhere (what was begun
      // here moves with the link). Asked again after a failed or empty answer, at most once an hour.
      const linked = await this.linkByEmail(turn);
      if (linked) {
        person = linked;
        progress = await this.store.get(tenant, person);
      }
    }
    const perPerson = this.deps.tenantSettings.of(tenant).onboarding.perPersonReport;
    return {
      turn,
      tenant,
      person,
      path,
      progress,
      by: {
        platform: inbound.platform,
        userId: inbound.platform === "cli" ? null : inbound.user.id,
        displayName: perPerson ? (inbound.user.name ?? null) : null,
        at: inbound.receivedAt,
      },
    };
  }

  /** Where the person is: the role choice before the first module, the current module (resumed), or the end. */
  private async where(ctx: Ctx, opts: { resumed?: boolean; stale?: boolean }): Promise<OnboardingStep> {
    // Also records who asked (platform, nudge target, name where reported): the person may come from another platform.
    let p = await this.store.begin(ctx.tenant, ctx.person, ctx.by);
    if (!p.currentModule) return card(roleChoiceCard(this.deps.templates, ctx.path));
    if (p.status === "completed") return this.done(ctx, p);
    if (p.status === "paused") p = (await this.store.resume(ctx.tenant, ctx.person, ctx.by)) ?? p;
    const modules = modulesOf(ctx.path, p.role);
    const current = p.currentModule ?? "";
    let index = modules.findIndex((m) => m.id === current);
    if (index < 0) {
      // The module left the knowledge base: on with the first one not yet done.
      index = Math.max(
        0,
        modules.findIndex((m) => !p.completed.includes(m.id)),
      );
      const to = modules[index] as OnboardingModule;
      p = (await this.store.relocate(ctx.tenant, ctx.person, current, to.id, ctx.by)) ?? p;
    }
    const m = modules[index] as OnboardingModule;
    return card(
      moduleCard(
        this.deps.templates,
        m,
        { index: index + 1, total: modules.length },
        {
          completed: p.completed.includes(m.id),
          resumed: opts.resumed === true && (p.completed.length > 0 || index > 0),
          ...(opts.stale ? { stale: true } : {}),
        },
      ),
    );
  }

  private async chooseRole(ctx: Ctx, role: string | null | undefined): Promise<OnboardingStep> {
    if (role === undefined || (role !== null && !roleOf(ctx.path, role)))
      return this.where(ctx, { stale: true });
    if (!ctx.progress) await this.store.begin(ctx.tenant, ctx.person, ctx.by);
    const modules = modulesOf(ctx.path, role);
    const first = modules[0] as OnboardingModule;
    const p = await this.store.chooseRole(ctx.tenant, ctx.person, role, first.id, ctx.by);
    if (!p)
      return this.where({ ...ctx, progress: await this.store.get(ctx.tenant, ctx.person) }, { stale: true });
    return card(moduleCard(this.deps.templates, first, { index: 1, total: modules.length }));
  }

  private async answer(ctx: Ctx, a: { module: string; letter: string } | undefined): Promise<OnboardingStep> {
    const p = ctx.progress;
    if (!a || !p?.currentModule) return this.where(ctx, { stale: true });
    const modules = modulesOf(ctx.path, p.role);
    const index = modules.findIndex((m) => m.id === a.module);
    const m = modules[index];
    if (!m?.check.options.some((o) => o.letter === a.letter)) return this.where(ctx, { stale: true });
    if (!p.completed.includes(m.id)) {
      if (p.currentModule !== m.id) return this.where(ctx, { stale: true });
      const role = roleOf(ctx.path, p.role);
      const r = await this.store.answer(
        ctx.tenant,
        ctx.person,
        {
          module: m.id,
          choice: a.letter,
          correct: a.letter === m.check.correct,
          role: p.role,
          commonModules: ctx.path.common.map((x) => x.id),
          roleModules: role?.modules.map((x) => x.id) ?? [],
        },
        ctx.by,
      );
      // Not counted: the other of two presses at once (shown the same explanation), or the row moved on meanwhile.
      if (!r.counted && !r.progress?.completed.includes(m.id))
        return this.where({ ...ctx, progress: r.progress }, { stale: true });
    }
    return card(answeredCard(this.deps.templates, m, { index: index + 1, total: modules.length }, a.letter));
  }

  private async move(ctx: Ctx, from: string | undefined, by: 1 | -1): Promise<OnboardingStep> {
    const p = ctx.progress;
    if (!from || !p || p.currentModule !== from || !p.completed.includes(from))
      return this.where(ctx, { stale: true });
    const modules = modulesOf(ctx.path, p.role);
    const index = modules.findIndex((m) => m.id === from);
    if (index < 0) return this.where(ctx, { stale: true });
    const to = modules[index + by];
    if (!to) {
      if (by === 1 && modules.every((m) => p.completed.includes(m.id))) return this.done(ctx, p);
      return this.where(ctx, {});
    }
    const moved = await this.store.move(ctx.tenant, ctx.person, from, to.id, ctx.by);
    if (!moved)
      return this.where({ ...ctx, progress: await this.store.get(ctx.tenant, ctx.person) }, { stale: true });
    return card(
      moduleCard(
        this.deps.templates,
        to,
        { index: index + by + 1, total: modules.length },
        {
          completed: moved.completed.includes(to.id),
        },
      ),
    );
  }

  /** "Später fortsetzen": paused, and a personal nudge planned (at most one a week) where one can reach the person. */
  private async later(ctx: Ctx): Promise<OnboardingStep> {
    const { templates: t } = this.deps;
    let planned: Date | undefined;
    const r = await this.store.pause(ctx.tenant, ctx.person, ctx.by, (p) => {
      if (!nudgeable(p)) return undefined;
      return nudgeJob(p, nudgeAt(ctx.by.at, p.lastNudgeAt));
    });
    if (r?.planned) {
      planned = r.planned.dueAt;
      this.deps.wake?.();
    }
    if (!r && ctx.progress?.status === "completed") return this.done(ctx, ctx.progress);
    const text = planned
      ? t.label("onboarding-paused", { when: whenText(planned) })
      : t.label("onboarding-paused-no-nudge");
    return card({ sections: [{ text }], buttons: [startButton(t, true)] });
  }

  private async stopNudges(ctx: Ctx): Promise<OnboardingStep> {
    const { templates: t } = this.deps;
    await this.store.stopNudges(ctx.tenant, ctx.person, ctx.by.at);
    const done = ctx.progress?.status === "completed";
    return card({
      sections: [{ text: t.label("onboarding-nudges-stopped") }],
      ...(done || !ctx.progress ? {} : { buttons: [startButton(t, true)] }),
    });
  }

  /** The closing card: the path done, the role add-on, and the contacts of its modules (the role's first). */
  private async done(ctx: Ctx, p: Progress): Promise<OnboardingStep> {
    const role = roleOf(ctx.path, p.role);
    const modules = [...(role?.modules ?? []), ...ctx.path.common];
    const roles = [...new Set(modules.flatMap((m) => m.contacts))];
    const all = await this.deps.contacts(ctx.tenant);
    const contacts = roles
      .flatMap((r) => {
        const c = all.get(r);
        return c ? [toAnswerContact(c)] : [];
      })
      .slice(0, MAX_CONTACTS);
    return card(doneCard(this.deps.templates, modulesOf(ctx.path, p.role).length, role, contacts));
  }
}

const card = (c: Card): OnboardingStep => ({ kind: "card", card: c });
