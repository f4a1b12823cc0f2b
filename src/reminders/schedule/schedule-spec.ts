import type { Temporal } from "temporal-polyfill";

/** What a phrase, a cron line or a form means, before its first occurrence is known. */
export type ScheduleSpec =
  | { kind: "once"; at: Temporal.PlainDateTime }
  | {
      kind: "rule";
      /** RRULE body without time of day (that comes from DTSTART), e.g. "FREQ=WEEKLY;BYDAY=FR". */
      rrule: string;
      time: Temporal.PlainTime;
      /** First day the rule may start on (Berlin date). */
      anchor: Temporal.PlainDate;
      /** Keep the INTERVAL phase of `anchor` (a form's date); otherwise the phase starts at the first occurrence. */
      keepPhase?: boolean;
      /** BYHOUR/BYMINUTE are part of the rule (cron), so the time is not only DTSTART's. */
      explicitTime?: boolean;
    };
