import { Temporal } from "temporal-polyfill";
import type { NewJob } from "../jobs/job.ts";
import { nudgeSubject, type Progress } from "./onboarding-store.ts";

/** The job kind of an onboarding nudge ("Weiter mit Modul N"). */
export const NUDGE_JOB = "onboarding-nudge";
const ZONE = "Europe/Berlin";
/** A nudge goes out at 9:00 local time on a workday. */
const HOUR = 9;
/** Days after the pause before the nudge. */
const AFTER_DAYS = 2;
/** At most one nudge a week: calendar days from one nudge's day to the next one's. */
const GAP_DAYS = 7;

const nineOn = (day: Temporal.PlainDate): Date =>
  new Date(
    day.toPlainDateTime({ hour: HOUR }).toZonedDateTime(ZONE, { disambiguation: "compatible" })
      .epochMilliseconds,
  );
const berlinDay = (at: Date): Temporal.PlainDate =>
  Temporal.Instant.fromEpochMilliseconds(at.getTime()).toZonedDateTimeISO(ZONE).toPlainDate();
/** The day itself when it is Monday to Friday, else the Monday after. */
const workday = (day: Temporal.PlainDate): Temporal.PlainDate =>
  day.dayOfWeek >= 6 ? day.add({ days: 8 - day.dayOfWeek }) : day;

/**
 * When the nudge after a pause at `now` goes: 9:00 Berlin on the first workday two days later, but never in the week
 * after the last nudge (then 9:00 on the first workday at least seven calendar days after its day).
 */
export function nudgeAt(now: Date, lastNudgeAt: Date | null): Date {
  let day = workday(berlinDay(now).add({ days: AFTER_DAYS }));
  if (lastNudgeAt) {
    const earliest = berlinDay(lastNudgeAt).add({ days: GAP_DAYS });
    if (Temporal.PlainDate.compare(day, earliest) < 0) day = workday(earliest);
  }
  return nineOn(day);
}

/** Whether `now` is within the week after the last nudge (before the seventh calendar day after it, in Berlin). */
export function nudgedWithinWeek(lastNudgeAt: Date | null, now: Date): boolean {
  if (!lastNudgeAt) return false;
  return Temporal.PlainDate.compare(berlinDay(now), berlinDay(lastNudgeAt).add({ days: GAP_DAYS })) < 0;
}

/** "2026-W50": the ISO week of an instant in Berlin. */
export function isoWeek(at: Date): string {
  const day = berlinDay(at);
  return `${day.yearOfWeek}-W${String(day.weekOfYear).padStart(2, "0")}`;
}

/**
 * The nudge job of a paused person: keyed by person and ISO week, so however often the person pauses or replicas
 * plan it, a week has one nudge. The payload names only the person's pseudonym; the job reads the row for the rest.
 */
export function nudgeJob(p: Progress, dueAt: Date): NewJob {
  return {
    kind: NUDGE_JOB,
    key: `${p.tenant}:${p.person}:${isoWeek(dueAt)}`,
    tenant: p.tenant,
    subject: nudgeSubject(p.tenant, p.person),
    lane: `${p.platform}:user:${p.person}`,
    dueAt,
    payload: { person: p.person },
  };
}

/** Whether a nudge can reach the person at all: nudges on, a user id kept, a chat platform (not the CLI). */
export function nudgeable(p: Progress): boolean {
  return p.nudges && p.notifyUserId !== null && (p.platform === "slack" || p.platform === "teams");
}
