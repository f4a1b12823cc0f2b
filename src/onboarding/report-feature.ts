import type { Templates } from "../assistant/templates.ts";
import { isCoordinator } from "../core/coordinators.ts";
import type { Feature, Turn } from "../core/feature.ts";
import type { Inbound, MessageInbound } from "../core/inbound.ts";
import { notice, type Reply } from "../core/replies.ts";
import type { Roster } from "../core/roster.ts";
import type { TenantSettings } from "../core/tenant-settings.ts";
import { toLotseError } from "../errors.ts";
import type { Logger } from "../log.ts";
import type { OnboardingReport } from "./report-onboarding.ts";
import { personsCard, reportCard } from "./report-views.ts";

export interface OnboardingReportFeatureDeps {
  report: Pick<OnboardingReport, "build" | "perPersonEnabled">;
  templates: Templates;
  tenantSettings: TenantSettings;
  rosters: Map<Roster["platform"], Roster>;
  log: Logger;
  /** Who a refused user can ask (the tenant's sustainability coordination with its contact); see ReminderFeature. */
  whoCanHelp?: (tenant: string) => Promise<string | undefined>;
}

export type ReportIntent = { kind: "report" } | { kind: "persons" };

/**
 * "onboarding bericht", "onboarding-bericht", "onboarding report", "/lotse onboarding bericht" (the adapters strip
 * "@Lotse" and "/lotse"; a leftover one is tolerated), with "personen" / "pro person" after it for the per-person
 * list. Anything else, "onboarding" alone included (the onboarding feature's), is not the report's.
 */
export function reportIntent(text: string): ReportIntent | undefined {
  const t = text
    .normalize("NFC")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^\/?lotse\s+/, "")
    .replace(/[.!?\s]+$/, "");
  const m = /^onboarding[\s-]*(?:bericht|report)(?:\s+(personen|pro person|je person|person))?$/.exec(t);
  if (!m) return undefined;
  return m[1] ? { kind: "persons" } : { kind: "report" };
}

/**
 * The onboarding report in chat, for the tenant's coordinators: the aggregate card (small counts hidden unless
 * per-person reporting is on, see SMALL_COUNT), and on "onboarding bericht personen" the per-person list, only where
 * the tenant switched it on and only in a personal chat or a Slack slash command's private answer. Everyone else is
 * told who can help.
 */
export class OnboardingReportFeature implements Feature {
  readonly name = "onboarding-report";
  private readonly deps: OnboardingReportFeatureDeps;

  constructor(deps: OnboardingReportFeatureDeps) {
    this.deps = deps;
  }

  owns(inbound: Inbound): boolean {
    return inbound.kind === "message" && reportIntent(inbound.text) !== undefined;
  }

  async handle(turn: Turn): Promise<Reply[]> {
    const msg = turn.inbound as MessageInbound;
    const { templates: t, log } = this.deps;
    const intent = reportIntent(msg.text) ?? { kind: "report" };
    const say = (text: string): Reply[] => [notice(text, { private: true })];
    const roster = msg.platform === "cli" ? undefined : this.deps.rosters.get(msg.platform);
    if (!(await isCoordinator(msg, this.deps.tenantSettings.of(turn.tenant), roster))) {
      log.info(
        { event: "onboarding_report_refused", tenant: turn.tenant, platform: msg.platform },
        "not a coordinator",
      );
      return say(await this.refused(turn.tenant));
    }
    if (intent.kind === "persons") {
      if (!this.deps.report.perPersonEnabled(turn.tenant))
        return say(t.label("onboarding-report-persons-disabled", { tenant: turn.tenant }));
      // Names are for the coordinator alone: never into a channel (a Teams channel has no private replies).
      if (msg.conversation.kind !== "personal" && msg.private !== true)
        return say(t.label("onboarding-report-persons-personal-only"));
      const data = await this.deps.report.build(turn.tenant, { perPerson: true });
      log.info({ event: "onboarding_report_persons", tenant: turn.tenant, platform: msg.platform }, "shown");
      return [{ kind: "card", card: personsCard(t, data), private: true }];
    }
    const data = await this.deps.report.build(turn.tenant);
    return [{ kind: "card", card: reportCard(t, data), private: true }];
  }

  /** "Only coordinators see it", naming whom to ask where the tenant has a contact for it. */
  private async refused(tenant: string): Promise<string> {
    const t = this.deps.templates;
    const who = await this.deps.whoCanHelp?.(tenant).catch((err: unknown) => {
      this.deps.log.warn({ code: toLotseError(err).code, tenant }, "report contact not found");
      return undefined;
    });
    const text = t.label("onboarding-report-refused");
    return who ? `${text} ${t.label("onboarding-report-refused-contact", { who })}` : text;
  }
}
