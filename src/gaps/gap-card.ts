import type { Templates } from "../assistant/templates.ts";
import type { Card, CardSection } from "../core/replies.ts";
import type { FeedbackReason, GapGroup, GapReportData } from "./gap-report.ts";

/** Groups the digest shows; the CLI report shows all. */
export const DIGEST_GROUPS = 5;

const DATE = new Intl.DateTimeFormat("de-DE", {
  timeZone: "Europe/Berlin",
  day: "numeric",
  month: "numeric",
  year: "numeric",
});

/** 2.12.2026, in Berlin time. */
export function germanDate(d: Date): string {
  return DATE.format(d);
}

export interface GapCardOptions {
  /** The weekly digest (its title, at most DIGEST_GROUPS groups, never comments) or the full report. */
  digest: boolean;
  /** Comments with 👎 (free text that may name people): only in the CLI report, never posted into a channel. */
  comments?: boolean;
}

const REASON_LABELS = {
  falsch: "gaps-reason-falsch",
  veraltet: "gaps-reason-veraltet",
  unvollstaendig: "gaps-reason-unvollstaendig",
  "nicht-meine-frage": "gaps-reason-nicht-meine-frage",
} as const satisfies Record<FeedbackReason, string>;

type Labels = Pick<Templates, "label">;

function groupSections(g: GapGroup, t: Labels, opts: GapCardOptions): CardSection[] {
  const facts: { label: string; value: string }[] = [
    {
      label: t.label("gaps-fact-kinds"),
      value: t.label("gaps-kinds", { noAnswer: g.noAnswer, downvoted: g.downvoted }),
    },
  ];
  const reasons = (Object.keys(REASON_LABELS) as FeedbackReason[])
    .filter((r) => (g.reasons[r] ?? 0) > 0)
    .map((r) => `${t.label(REASON_LABELS[r])} ${g.reasons[r]}`);
  if (reasons.length > 0) facts.push({ label: t.label("gaps-fact-reasons"), value: reasons.join(", ") });
  if (g.documents.length > 0)
    facts.push({
      label: t.label("gaps-fact-documents"),
      value: g.documents
        .slice(0, 3)
        .map((d) => `${d.title ?? d.docId} (${d.count}×)`)
        .join(", "),
    });
  facts.push({
    label: t.label("gaps-fact-seen"),
    value: t.label("gaps-seen", { first: germanDate(g.firstSeen), last: germanDate(g.lastSeen) }),
  });
  facts.push({
    label: t.label("gaps-fact-author"),
    value: g.suggested.matched
      ? g.suggested.label
      : t.label("gaps-author-default", { label: g.suggested.label }),
  });
  const out: CardSection[] = [
    {
      heading: t.label("gaps-group-heading", { name: g.terms.join(" · "), count: g.count }),
      items: g.examples.map((text) => t.label("gaps-example", { text })),
      facts,
    },
  ];
  if (opts.comments && !opts.digest && g.comments.length > 0)
    out.push({
      heading: t.label("gaps-comments-heading"),
      items: g.comments.map((text) => t.label("gaps-example", { text })),
    });
  return out;
}

/**
 * The report as a platform-neutral card for coordinators: the period and totals, then each group with its count,
 * typical wordings, what kind of gap it is, reasons, cited documents and the suggested author. The digest shows the
 * largest groups; comments appear only in the CLI report (they are free text and might name people).
 */
export function gapCard(report: GapReportData, t: Labels, opts: GapCardOptions): Card {
  const facts = [
    {
      label: t.label("gaps-fact-period"),
      value: t.label("gaps-period", {
        from: germanDate(report.since),
        to: germanDate(new Date(report.until.getTime() - 1)),
      }),
    },
    { label: t.label("gaps-fact-no-answer"), value: String(report.noAnswer) },
    { label: t.label("gaps-fact-downvoted"), value: String(report.downvoted) },
    { label: t.label("gaps-fact-groups"), value: String(report.groups.length) },
  ];
  if (report.withoutText > 0)
    facts.push({ label: t.label("gaps-fact-without-text"), value: String(report.withoutText) });
  const notes = [t.label("gaps-retention", { days: report.retentionDays })];
  if (report.truncated) notes.push(t.label("gaps-truncated", { count: report.questions }));
  const sections: CardSection[] = [{ facts, text: notes.join(" ") }];
  if (report.groups.length === 0)
    sections.push({ text: t.label(opts.digest ? "gaps-digest-empty" : "gaps-empty") });
  const shown = opts.digest ? report.groups.slice(0, DIGEST_GROUPS) : report.groups;
  for (const g of shown) sections.push(...groupSections(g, t, opts));
  if (shown.length < report.groups.length)
    sections.push({ text: t.label("gaps-more", { count: report.groups.length - shown.length }) });
  return { title: t.label(opts.digest ? "gaps-digest-title" : "gaps-title"), sections };
}
