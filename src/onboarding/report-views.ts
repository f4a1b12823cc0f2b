import type { Templates } from "../assistant/templates.ts";
import type { Card, CardSection } from "../core/replies.ts";
import type { ModuleStats, OnboardingReportData, PersonRow } from "./report-onboarding.ts";

const DATE = new Intl.DateTimeFormat("de-DE", {
  timeZone: "Europe/Berlin",
  day: "numeric",
  month: "numeric",
  year: "numeric",
});

/** A date as German readers write it: "2.12.2026" (Berlin). */
export const germanDate = (d: Date): string => DATE.format(d);

/** A chosen option: "A („bis 2030“)", or the letter alone where its wording is not known. */
export const optionText = (o: { choice: string; text?: string }): string =>
  o.text ? `${o.choice} („${o.text}“)` : o.choice;

/** A share as "33 %". */
export const percent = (x: number): string => `${Math.round(x * 100)} %`;

/** A count as shown: "< 5" for 1 … SMALL_COUNT − 1 when the report is masked (see SMALL_COUNT). */
export function shownCount(n: number, data: Pick<OnboardingReportData, "masked" | "thresholds">): string {
  const small = data.thresholds.smallCount;
  return data.masked && n > 0 && n < small ? `< ${small}` : String(n);
}

/** Whether a share over this base may be shown (always unless masked and the base is small). */
export function shareShown(base: number, data: Pick<OnboardingReportData, "masked" | "thresholds">): boolean {
  return base > 0 && (!data.masked || base >= data.thresholds.smallCount);
}

/** The often-wrong questions a rendering lists: masked, only those with enough answers to name nobody. */
export function oftenWrongShown(data: OnboardingReportData): ModuleStats[] {
  return data.oftenWrong.filter((m) => shareShown(m.answered, data));
}

/** Whether anything at all happened (a path or module started or answered). */
export function hasActivity(data: OnboardingReportData): boolean {
  return (
    data.paths.some((p) => p.started > 0 || p.completed > 0) ||
    data.modules.some((m) => m.started > 0 || m.answered > 0)
  );
}

/** The aggregate report as a card: paths, modules, often wrong questions; small counts hidden when masked. */
export function reportCard(t: Templates, data: OnboardingReportData): Card {
  const small = data.thresholds.smallCount;
  const count = (n: number) => shownCount(n, data);
  const title = t.label("onboarding-report-title", { tenant: data.tenant });
  const intro = t.label("onboarding-report-intro", { date: germanDate(data.generatedAt) });
  const lead: CardSection = {
    text: data.masked ? `${intro} ${t.label("onboarding-report-masked-note", { n: small })}` : intro,
  };
  if (!hasActivity(data)) return { title, sections: [lead, { text: t.label("onboarding-report-empty") }] };
  const paths: CardSection = {
    heading: t.label("onboarding-report-heading-paths"),
    facts: data.paths.map((p) => ({
      label: p.path === "alle" ? p.name : t.label("onboarding-report-path-role", { role: p.name }),
      value: t.label("onboarding-report-path-value", {
        started: count(p.started),
        completed: count(p.completed),
        rate:
          p.completionRate !== null && shareShown(p.started, data)
            ? t.label("onboarding-report-rate", { rate: percent(p.completionRate) })
            : p.started > 0
              ? t.label("onboarding-report-rate-hidden", { n: small })
              : t.label("onboarding-report-no-rate"),
      }),
    })),
  };
  const modules: CardSection = {
    heading: t.label("onboarding-report-heading-modules"),
    items: data.modules.map((m) => {
      let wrong = "";
      if (m.answered === 0) wrong = "";
      else if (!shareShown(m.answered, data)) wrong = t.label("onboarding-report-module-few", { n: small });
      else if (m.topWrong === null || m.wrongShare === null)
        wrong = t.label("onboarding-report-module-none-wrong");
      else
        wrong = t.label("onboarding-report-module-wrong", {
          share: percent(m.wrongShare),
          choice: m.topWrong.choice,
          count: count(m.topWrong.count),
        });
      const line = t.label("onboarding-report-module-line", {
        title: m.title,
        started: count(m.started),
        completed: count(m.completed),
        answered: count(m.answered),
      });
      return wrong ? `${line}; ${wrong}` : line;
    }),
  };
  const shown = oftenWrongShown(data);
  const rule = t.label("onboarding-report-often-wrong-rule", {
    share: percent(data.thresholds.oftenWrongMinShare),
    min: data.thresholds.oftenWrongMinAnswers,
  });
  const hidden = data.masked ? ` ${t.label("onboarding-report-often-wrong-hidden", { n: small })}` : "";
  const often: CardSection = {
    heading: t.label("onboarding-report-heading-often-wrong"),
    text:
      shown.length === 0
        ? `${t.label("onboarding-report-often-wrong-none")} ${rule}${hidden}`
        : `${rule}${hidden}`,
    ...(shown.length > 0
      ? {
          items: shown.map((m) =>
            t.label("onboarding-report-often-wrong-line", {
              title: m.question ? `${m.title} – „${m.question}“` : m.title,
              share: percent(m.wrongShare ?? 0),
              answered: count(m.answered),
              choice: m.topWrong ? optionText(m.topWrong) : "–",
              count: count(m.topWrong?.count ?? 0),
            }),
          ),
        }
      : {}),
  };
  const sections = [lead, paths, modules, often];
  if (data.perPersonEnabled) sections.push({ text: t.label("onboarding-report-persons-hint") });
  return { title, sections };
}

/** A person's name as shown: the stored name, else "Person 3f9a1c2e" (the start of the pseudonym). */
export function personName(t: Templates, p: PersonRow): string {
  return p.name ?? t.label("onboarding-report-person-pseudonym", { id: p.pseudonym.slice(0, 8) });
}

/** The status in words: in Bearbeitung, pausiert, abgeschlossen am 2.12.2026. */
export function personStatus(t: Templates, p: PersonRow): string {
  if (p.status === "completed")
    return t.label("onboarding-report-status-completed", {
      date: p.completedAt ? germanDate(p.completedAt) : "–",
    });
  return t.label(
    p.status === "paused" ? "onboarding-report-status-paused" : "onboarding-report-status-active",
  );
}

/** The per-person list as a card (only built when the tenant enabled it). */
export function personsCard(t: Templates, data: OnboardingReportData, since?: Date): Card {
  const persons = data.persons ?? [];
  const sinceText = since ? t.label("onboarding-report-persons-since", { date: germanDate(since) }) : "";
  const title = t.label("onboarding-report-persons-title", { tenant: data.tenant });
  if (persons.length === 0)
    return { title, sections: [{ text: t.label("onboarding-report-persons-empty", { since: sinceText }) }] };
  const roleName = new Map(data.paths.map((p) => [p.path, p.name]));
  return {
    title,
    sections: [
      { text: t.label("onboarding-report-persons-intro", { count: persons.length, since: sinceText }) },
      {
        items: persons.map((p) =>
          t.label("onboarding-report-person-line", {
            name: personName(t, p),
            role: p.role ? (roleName.get(p.role) ?? p.role) : t.label("onboarding-report-person-no-role"),
            done: p.completed.length,
            total: p.total,
            status: personStatus(t, p),
          }),
        ),
      },
    ],
  };
}
