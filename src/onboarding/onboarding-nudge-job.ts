import type { Templates } from "../assistant/templates.ts";
import type { Notifier } from "../core/notifier.ts";
import type { Database } from "../db/database.ts";
import { LotseError } from "../errors.ts";
import type { Job, JobHandler, JobResult, RunContext } from "../jobs/job.ts";
import type { Logger } from "../log.ts";
import { NUDGE_JOB, nudgedWithinWeek } from "./onboarding-nudge.ts";
import { modulesOf, type OnboardingPaths } from "./onboarding-paths.ts";
import { OnboardingStore } from "./onboarding-store.ts";
import { nudgeCard } from "./onboarding-views.ts";

/** Pseudonyms as Pseudonyms issues them, and linked persons: printable, bounded. */
const PERSON = /^[^\s\p{Cc}]{1,200}$/u;

/**
 * The personal nudge after "Später fortsetzen": "Weiter mit Modul N: …" with "Fortsetzen" and "Keine Erinnerungen
 * mehr". It reads the progress afresh and sends nothing when the person resumed or finished, switched nudges off, or
 * was nudged less than a week ago. A person who cannot be reached gets no further nudges; a platform's rate limit
 * waits. Logs codes only, never the user id.
 */
export class OnboardingNudgeJob implements JobHandler {
  readonly kind = NUDGE_JOB;
  /** A nudge more than two days late is not worth sending (the next pause plans another). */
  readonly graceMs = 2 * 86_400_000;
  private readonly deps: {
    db: Database;
    paths: Pick<OnboardingPaths, "of">;
    templates: Templates;
    notifiers: Map<Notifier["platform"], Notifier>;
    log: Logger;
  };
  private readonly store: OnboardingStore;

  constructor(deps: {
    db: Database;
    paths: Pick<OnboardingPaths, "of">;
    templates: Templates;
    notifiers: Map<Notifier["platform"], Notifier>;
    log: Logger;
  }) {
    this.deps = deps;
    this.store = new OnboardingStore(deps.db);
  }

  async run(job: Job, ctx: RunContext): Promise<JobResult> {
    const person = job.payload.person;
    if (typeof person !== "string" || !PERSON.test(person))
      return { kind: "failed", outcome: "REQUEST_INVALID" };
    const p = await this.store.get(job.tenant, person);
    if (p?.status !== "paused") return { kind: "done", outcome: p ? p.status : "unknown" };
    if (!p.nudges || !p.notifyUserId) return { kind: "done", outcome: "nudges-off" };
    if (nudgedWithinWeek(p.lastNudgeAt, ctx.now)) return { kind: "done", outcome: "nudged-this-week" };
    if (p.platform !== "slack" && p.platform !== "teams")
      return { kind: "done", outcome: "no-chat-platform" };
    const path = await this.deps.paths.of(job.tenant);
    const modules = modulesOf(path, p.role);
    const index = modules.findIndex((m) => m.id === p.currentModule);
    const module = modules[index];
    if (!module) return { kind: "done", outcome: "module-unknown" };
    const notifier = this.deps.notifiers.get(p.platform);
    if (!notifier) return { kind: "retry", outcome: "NOTIFIER_MISSING" };
    const left = modules.filter((m) => !p.completed.includes(m.id)).length;
    let sent: Awaited<ReturnType<Notifier["send"]>>;
    try {
      sent = await notifier.send(
        { kind: "user", userId: p.notifyUserId, tenant: job.tenant },
        {
          kind: "card",
          card: nudgeCard(this.deps.templates, module, { index: index + 1, total: modules.length }, left),
        },
      );
    } catch (err) {
      const code = err instanceof LotseError ? err.code : "INTERNAL";
      this.deps.log.warn({ job: job.id, code, attempts: job.attempts + 1 }, "onboarding nudge failed");
      return { kind: "retry", outcome: code };
    }
    if (sent.ok) {
      await this.store.nudged(job.tenant, person, ctx.now);
      return { kind: "done", outcome: "delivered" };
    }
    if (sent.reason === "rate-limited") return { kind: "wait", afterMs: sent.retryAfterMs };
    // Nobody to reach (the app removed, the account deactivated): no more nudges, none planned.
    await this.store.stopNudges(job.tenant, person, ctx.now);
    this.deps.log.info(
      { job: job.id, tenant: job.tenant, platform: p.platform },
      "onboarding nudge target gone, nudges stopped",
    );
    return { kind: "failed", outcome: "gone" };
  }
}
