/**
 * German schedule phrases and what they must mean, read at NOW (Wednesday, 2 December 2026, 10:00 in Berlin).
 * `rrule` is the exact RRULE line; `next` are the next occurrences at or after NOW as ISO 8601 with offset (one for a
 * one-off, three otherwise). DTSTART is always the first of them.
 */
export const NOW = "2026-12-02T10:00:00+01:00";

export interface PhraseCase {
  phrase: string;
  rrule: string;
  next: string[];
}

export const PHRASES: PhraseCase[] = [
  { phrase: "morgen um 14 Uhr", rrule: "RRULE:FREQ=DAILY;COUNT=1", next: ["2026-12-03T14:00:00+01:00"] },
  { phrase: "übermorgen", rrule: "RRULE:FREQ=DAILY;COUNT=1", next: ["2026-12-04T09:00:00+01:00"] },
  { phrase: "uebermorgen um 7:45", rrule: "RRULE:FREQ=DAILY;COUNT=1", next: ["2026-12-04T07:45:00+01:00"] },
  { phrase: "heute um 17 Uhr", rrule: "RRULE:FREQ=DAILY;COUNT=1", next: ["2026-12-02T17:00:00+01:00"] },
  { phrase: "am 31.3. um 10 Uhr", rrule: "RRULE:FREQ=DAILY;COUNT=1", next: ["2027-03-31T10:00:00+02:00"] },
  { phrase: "am 31.03.2027", rrule: "RRULE:FREQ=DAILY;COUNT=1", next: ["2027-03-31T09:00:00+02:00"] },
  { phrase: "am 31.3.27", rrule: "RRULE:FREQ=DAILY;COUNT=1", next: ["2027-03-31T09:00:00+02:00"] },
  { phrase: "16.12. 10 Uhr", rrule: "RRULE:FREQ=DAILY;COUNT=1", next: ["2026-12-16T10:00:00+01:00"] },
  { phrase: "am 3. Dezember", rrule: "RRULE:FREQ=DAILY;COUNT=1", next: ["2026-12-03T09:00:00+01:00"] },
  {
    phrase: "am 3. Dezember 2027 um 11 Uhr",
    rrule: "RRULE:FREQ=DAILY;COUNT=1",
    next: ["2027-12-03T11:00:00+01:00"],
  },
  { phrase: "in 3 Tagen", rrule: "RRULE:FREQ=DAILY;COUNT=1", next: ["2026-12-05T09:00:00+01:00"] },
  { phrase: "in zwei Wochen", rrule: "RRULE:FREQ=DAILY;COUNT=1", next: ["2026-12-16T09:00:00+01:00"] },
  { phrase: "in einer Woche", rrule: "RRULE:FREQ=DAILY;COUNT=1", next: ["2026-12-09T09:00:00+01:00"] },
  { phrase: "in drei Monaten", rrule: "RRULE:FREQ=DAILY;COUNT=1", next: ["2027-03-02T09:00:00+01:00"] },
  { phrase: "in 2 Stunden", rrule: "RRULE:FREQ=DAILY;COUNT=1", next: ["2026-12-02T12:00:00+01:00"] },
  {
    phrase: "nächsten Montag um 8:30",
    rrule: "RRULE:FREQ=DAILY;COUNT=1",
    next: ["2026-12-07T08:30:00+01:00"],
  },
  { phrase: "am naechsten Montag", rrule: "RRULE:FREQ=DAILY;COUNT=1", next: ["2026-12-07T09:00:00+01:00"] },
  {
    phrase: "kommenden Freitag um 17:15",
    rrule: "RRULE:FREQ=DAILY;COUNT=1",
    next: ["2026-12-04T17:15:00+01:00"],
  },
  {
    phrase: "nächste Woche Dienstag",
    rrule: "RRULE:FREQ=DAILY;COUNT=1",
    next: ["2026-12-08T09:00:00+01:00"],
  },
  { phrase: "am Freitag", rrule: "RRULE:FREQ=DAILY;COUNT=1", next: ["2026-12-04T09:00:00+01:00"] },
  { phrase: "am Mittwoch", rrule: "RRULE:FREQ=DAILY;COUNT=1", next: ["2026-12-09T09:00:00+01:00"] },
  { phrase: "halb zehn morgen", rrule: "RRULE:FREQ=DAILY;COUNT=1", next: ["2026-12-03T09:30:00+01:00"] },
  { phrase: "am 29.2.", rrule: "RRULE:FREQ=DAILY;COUNT=1", next: ["2028-02-29T09:00:00+01:00"] },
  {
    phrase: "täglich um 8 Uhr",
    rrule: "RRULE:FREQ=DAILY",
    next: ["2026-12-03T08:00:00+01:00", "2026-12-04T08:00:00+01:00", "2026-12-05T08:00:00+01:00"],
  },
  {
    phrase: "TAEGLICH UM 8 UHR",
    rrule: "RRULE:FREQ=DAILY",
    next: ["2026-12-03T08:00:00+01:00", "2026-12-04T08:00:00+01:00", "2026-12-05T08:00:00+01:00"],
  },
  {
    phrase: "jeden Tag",
    rrule: "RRULE:FREQ=DAILY",
    next: ["2026-12-03T09:00:00+01:00", "2026-12-04T09:00:00+01:00", "2026-12-05T09:00:00+01:00"],
  },
  {
    phrase: "jeden zweiten Tag",
    rrule: "RRULE:FREQ=DAILY;INTERVAL=2",
    next: ["2026-12-03T09:00:00+01:00", "2026-12-05T09:00:00+01:00", "2026-12-07T09:00:00+01:00"],
  },
  {
    phrase: "werktags um 9",
    rrule: "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
    next: ["2026-12-03T09:00:00+01:00", "2026-12-04T09:00:00+01:00", "2026-12-07T09:00:00+01:00"],
  },
  {
    phrase: "jeden Werktag",
    rrule: "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
    next: ["2026-12-03T09:00:00+01:00", "2026-12-04T09:00:00+01:00", "2026-12-07T09:00:00+01:00"],
  },
  {
    phrase: "montags bis freitags um 7:45",
    rrule: "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
    next: ["2026-12-03T07:45:00+01:00", "2026-12-04T07:45:00+01:00", "2026-12-07T07:45:00+01:00"],
  },
  {
    phrase: "jeden Freitag",
    rrule: "RRULE:FREQ=WEEKLY;BYDAY=FR",
    next: ["2026-12-04T09:00:00+01:00", "2026-12-11T09:00:00+01:00", "2026-12-18T09:00:00+01:00"],
  },
  {
    phrase: "jeden Freitag um 5 Uhr nachmittags",
    rrule: "RRULE:FREQ=WEEKLY;BYDAY=FR",
    next: ["2026-12-04T17:00:00+01:00", "2026-12-11T17:00:00+01:00", "2026-12-18T17:00:00+01:00"],
  },
  {
    phrase: "montags und donnerstags um 10 Uhr",
    rrule: "RRULE:FREQ=WEEKLY;BYDAY=MO,TH",
    next: ["2026-12-03T10:00:00+01:00", "2026-12-07T10:00:00+01:00", "2026-12-10T10:00:00+01:00"],
  },
  {
    phrase: "jeden Montag, Mittwoch und Freitag",
    rrule: "RRULE:FREQ=WEEKLY;BYDAY=MO,WE,FR",
    next: ["2026-12-04T09:00:00+01:00", "2026-12-07T09:00:00+01:00", "2026-12-09T09:00:00+01:00"],
  },
  {
    phrase: "wöchentlich am Mittwoch",
    rrule: "RRULE:FREQ=WEEKLY;BYDAY=WE",
    next: ["2026-12-09T09:00:00+01:00", "2026-12-16T09:00:00+01:00", "2026-12-23T09:00:00+01:00"],
  },
  {
    phrase: "um halb zehn jeden Montag",
    rrule: "RRULE:FREQ=WEEKLY;BYDAY=MO",
    next: ["2026-12-07T09:30:00+01:00", "2026-12-14T09:30:00+01:00", "2026-12-21T09:30:00+01:00"],
  },
  {
    phrase: "alle zwei Wochen dienstags",
    rrule: "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
    next: ["2026-12-08T09:00:00+01:00", "2026-12-22T09:00:00+01:00", "2027-01-05T09:00:00+01:00"],
  },
  {
    phrase: "alle 3 Wochen am Montag",
    rrule: "RRULE:FREQ=WEEKLY;INTERVAL=3;BYDAY=MO",
    next: ["2026-12-07T09:00:00+01:00", "2026-12-28T09:00:00+01:00", "2027-01-18T09:00:00+01:00"],
  },
  {
    phrase: "vierzehntägig freitags",
    rrule: "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=FR",
    next: ["2026-12-04T09:00:00+01:00", "2026-12-18T09:00:00+01:00", "2027-01-01T09:00:00+01:00"],
  },
  {
    phrase: "14-tägig am Donnerstag",
    rrule: "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TH",
    next: ["2026-12-03T09:00:00+01:00", "2026-12-17T09:00:00+01:00", "2026-12-31T09:00:00+01:00"],
  },
  {
    phrase: "alle 14 Tage dienstags",
    rrule: "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
    next: ["2026-12-08T09:00:00+01:00", "2026-12-22T09:00:00+01:00", "2027-01-05T09:00:00+01:00"],
  },
  {
    phrase: "jeden Monat am 15.",
    rrule: "RRULE:FREQ=MONTHLY;BYMONTHDAY=15",
    next: ["2026-12-15T09:00:00+01:00", "2027-01-15T09:00:00+01:00", "2027-02-15T09:00:00+01:00"],
  },
  {
    phrase: "monatlich am 1.",
    rrule: "RRULE:FREQ=MONTHLY;BYMONTHDAY=1",
    next: ["2027-01-01T09:00:00+01:00", "2027-02-01T09:00:00+01:00", "2027-03-01T09:00:00+01:00"],
  },
  {
    phrase: "am 15. jedes Monats",
    rrule: "RRULE:FREQ=MONTHLY;BYMONTHDAY=15",
    next: ["2026-12-15T09:00:00+01:00", "2027-01-15T09:00:00+01:00", "2027-02-15T09:00:00+01:00"],
  },
  {
    phrase: "jeden 15.",
    rrule: "RRULE:FREQ=MONTHLY;BYMONTHDAY=15",
    next: ["2026-12-15T09:00:00+01:00", "2027-01-15T09:00:00+01:00", "2027-02-15T09:00:00+01:00"],
  },
  {
    phrase: "am 31. jeden Monats",
    rrule: "RRULE:FREQ=MONTHLY;BYMONTHDAY=31",
    next: ["2026-12-31T09:00:00+01:00", "2027-01-31T09:00:00+01:00", "2027-03-31T09:00:00+02:00"],
  },
  {
    phrase: "jeden ersten Montag im Monat",
    rrule: "RRULE:FREQ=MONTHLY;BYDAY=1MO",
    next: ["2026-12-07T09:00:00+01:00", "2027-01-04T09:00:00+01:00", "2027-02-01T09:00:00+01:00"],
  },
  {
    phrase: "am letzten Freitag im Monat",
    rrule: "RRULE:FREQ=MONTHLY;BYDAY=-1FR",
    next: ["2026-12-25T09:00:00+01:00", "2027-01-29T09:00:00+01:00", "2027-02-26T09:00:00+01:00"],
  },
  {
    phrase: "jeden dritten Mittwoch",
    rrule: "RRULE:FREQ=MONTHLY;BYDAY=3WE",
    next: ["2026-12-16T09:00:00+01:00", "2027-01-20T09:00:00+01:00", "2027-02-17T09:00:00+01:00"],
  },
  {
    phrase: "am letzten Werktag im Monat",
    rrule: "RRULE:FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
    next: ["2026-12-31T09:00:00+01:00", "2027-01-29T09:00:00+01:00", "2027-02-26T09:00:00+01:00"],
  },
  {
    phrase: "am ersten Werktag im Monat",
    rrule: "RRULE:FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1",
    next: ["2027-01-01T09:00:00+01:00", "2027-02-01T09:00:00+01:00", "2027-03-01T09:00:00+01:00"],
  },
  {
    phrase: "am letzten Tag im Monat",
    rrule: "RRULE:FREQ=MONTHLY;BYMONTHDAY=-1",
    next: ["2026-12-31T09:00:00+01:00", "2027-01-31T09:00:00+01:00", "2027-02-28T09:00:00+01:00"],
  },
  {
    phrase: "am Monatsende",
    rrule: "RRULE:FREQ=MONTHLY;BYMONTHDAY=-1",
    next: ["2026-12-31T09:00:00+01:00", "2027-01-31T09:00:00+01:00", "2027-02-28T09:00:00+01:00"],
  },
  {
    phrase: "vierteljährlich am 1.",
    rrule: "RRULE:FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1",
    next: ["2027-01-01T09:00:00+01:00", "2027-04-01T09:00:00+02:00", "2027-07-01T09:00:00+02:00"],
  },
  {
    phrase: "alle 2 Monate am 10.",
    rrule: "RRULE:FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=10",
    next: ["2026-12-10T09:00:00+01:00", "2027-02-10T09:00:00+01:00", "2027-04-10T09:00:00+02:00"],
  },
  {
    phrase: "halbjährlich am 1.",
    rrule: "RRULE:FREQ=MONTHLY;INTERVAL=6;BYMONTHDAY=1",
    next: ["2027-01-01T09:00:00+01:00", "2027-07-01T09:00:00+02:00", "2028-01-01T09:00:00+01:00"],
  },
  {
    phrase: "jährlich am 30.9.",
    rrule: "RRULE:FREQ=YEARLY;BYMONTH=9;BYMONTHDAY=30",
    next: ["2027-09-30T09:00:00+02:00", "2028-09-30T09:00:00+02:00", "2029-09-30T09:00:00+02:00"],
  },
  {
    phrase: "jaehrlich am 30.9. um 10 Uhr",
    rrule: "RRULE:FREQ=YEARLY;BYMONTH=9;BYMONTHDAY=30",
    next: ["2027-09-30T10:00:00+02:00", "2028-09-30T10:00:00+02:00", "2029-09-30T10:00:00+02:00"],
  },
  {
    phrase: "jedes Jahr am 31. März",
    rrule: "RRULE:FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=31",
    next: ["2027-03-31T09:00:00+02:00", "2028-03-31T09:00:00+02:00", "2029-03-31T09:00:00+02:00"],
  },
  {
    phrase: "alle zwei Jahre am 30.6.",
    rrule: "RRULE:FREQ=YEARLY;INTERVAL=2;BYMONTH=6;BYMONTHDAY=30",
    next: ["2027-06-30T09:00:00+02:00", "2029-06-30T09:00:00+02:00", "2031-06-30T09:00:00+02:00"],
  },
  {
    phrase: "jedes Jahr am 29.2.",
    rrule: "RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29",
    next: ["2028-02-29T09:00:00+01:00", "2032-02-29T09:00:00+01:00", "2036-02-29T09:00:00+01:00"],
  },
  {
    phrase: "am letzten Freitag im Oktober",
    rrule: "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1FR",
    next: ["2027-10-29T09:00:00+02:00", "2028-10-27T09:00:00+02:00", "2029-10-26T09:00:00+02:00"],
  },
  {
    phrase: "viertel nach neun täglich",
    rrule: "RRULE:FREQ=DAILY",
    next: ["2026-12-03T09:15:00+01:00", "2026-12-04T09:15:00+01:00", "2026-12-05T09:15:00+01:00"],
  },
];
