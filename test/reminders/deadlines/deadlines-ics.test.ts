import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Deadline } from "../../../src/reminders/deadlines/deadlines.ts";
import { dateRule, deadlinesIcs, writeDeadlinesIcs } from "../../../src/reminders/deadlines/deadlines-ics.ts";

const NOW = new Date("2026-12-02T05:15:00Z");

const indicators: Deadline = {
  docId: "musterstadt-frist-indikatoren",
  tenant: "musterstadt",
  title: "Frist Musterstadt: Indikatoren für den Nachhaltigkeitsbericht jedes Jahr bis 31. März melden",
  due: "jährlich am 31.3.",
  rrule:
    "DTSTART;TZID=Europe/Berlin:20270331T090000\nRRULE:FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=31;BYHOUR=9;BYMINUTE=0",
  reading: "jedes Jahr am 31. März um 9:00 Uhr",
  url: "https://intranet.musterstadt.example/ratsinfo/drucksache-2024-0187",
  summary:
    "In Musterstadt melden alle Fachbereiche ihre Indikatoren bis 31. März; gemeldet werden Werte für Wärme, Strom, Kraftstoffe – und C:\\Pfad bleibt ein Pfad.",
};

const report: Deadline = {
  docId: "musterstadt-frist-nachhaltigkeitsbericht",
  tenant: "musterstadt",
  title: "Frist Musterstadt: Nachhaltigkeitsbericht nach BNK alle zwei Jahre",
  due: "alle zwei Jahre am 30.9.",
  rrule: "DTSTART;TZID=Europe/Berlin:20270930T090000\nRRULE:FREQ=YEARLY;INTERVAL=2;BYMONTH=9;BYMONTHDAY=30",
  reading: "alle zwei Jahre am 30. September um 9:00 Uhr",
  summary: "Der Nachhaltigkeitsbericht erscheint alle zwei Jahre.",
};

const passedOnce: Deadline = {
  ...report,
  docId: "musterstadt-frist-einmalig",
  rrule: "DTSTART;TZID=Europe/Berlin:20260115T090000\nRRULE:FREQ=DAILY;COUNT=1",
};

interface Component {
  name: string;
  props: { name: string; params: Record<string, string>; value: string }[];
  children: Component[];
}

/** Unfolds and parses iCalendar text into components; throws on unbalanced BEGIN/END. */
function parseIcs(text: string): Component {
  const lines = text.replace(/\r\n[ \t]/g, "").split("\r\n");
  expect(lines.pop()).toBe("");
  const root: Component = { name: "", props: [], children: [] };
  const stack = [root];
  for (const line of lines) {
    const m = /^([A-Z-]+)((?:;[A-Z-]+=[^;:]+)*):(.*)$/.exec(line);
    if (!m) throw new Error(`not a content line: ${line}`);
    const [, name = "", rawParams = "", value = ""] = m;
    const top = stack.at(-1) as Component;
    if (name === "BEGIN") {
      const c: Component = { name: value, props: [], children: [] };
      top.children.push(c);
      stack.push(c);
    } else if (name === "END") {
      if (top.name !== value) throw new Error(`END:${value} closes ${top.name}`);
      stack.pop();
    } else {
      const params = Object.fromEntries(
        rawParams
          .split(";")
          .filter(Boolean)
          .map((p) => p.split("=") as [string, string]),
      );
      top.props.push({ name, params, value });
    }
  }
  if (stack.length !== 1) throw new Error("unclosed component");
  const [calendar] = root.children;
  if (!calendar || root.children.length !== 1) throw new Error("not one VCALENDAR");
  return calendar;
}

const prop = (c: Component | undefined, name: string) => c?.props.find((p) => p.name === name);
const unescapeText = (v: string) =>
  v.replace(/\\([\\;,nN])/g, (_, ch: string) => (ch === "n" || ch === "N" ? "\n" : ch));

describe("deadlinesIcs", () => {
  const ics = deadlinesIcs([indicators, report, passedOnce], { now: NOW, tenant: "musterstadt" });
  const cal = parseIcs(ics);
  const events = cal.children.filter((c) => c.name === "VEVENT");

  it("is a VCALENDAR with the header Outlook needs, CRLF line endings and lines of at most 75 octets", () => {
    expect(ics.startsWith("BEGIN:VCALENDAR\r\n")).toBe(true);
    expect(ics.endsWith("END:VCALENDAR\r\n")).toBe(true);
    expect(ics.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
    for (const line of ics.split("\r\n")) expect(Buffer.byteLength(line, "utf8")).toBeLessThanOrEqual(75);
    expect(prop(cal, "VERSION")?.value).toBe("2.0");
    expect(prop(cal, "PRODID")?.value).toBe("-//Lotse//Fristen//DE");
    expect(prop(cal, "CALSCALE")?.value).toBe("GREGORIAN");
    expect(prop(cal, "METHOD")?.value).toBe("PUBLISH");
    expect(prop(cal, "X-WR-CALNAME")?.value).toBe("Fristen musterstadt");
  });

  it("carries a VTIMEZONE for Europe/Berlin with its summer and winter rules", () => {
    const tz = cal.children.find((c) => c.name === "VTIMEZONE");
    expect(prop(tz, "TZID")?.value).toBe("Europe/Berlin");
    const daylight = tz?.children.find((c) => c.name === "DAYLIGHT");
    const standard = tz?.children.find((c) => c.name === "STANDARD");
    expect([prop(daylight, "TZOFFSETTO")?.value, prop(daylight, "RRULE")?.value]).toEqual([
      "+0200",
      "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    ]);
    expect([prop(standard, "TZOFFSETTO")?.value, prop(standard, "RRULE")?.value]).toEqual([
      "+0100",
      "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    ]);
  });

  it("has one all-day event per upcoming deadline, on its next day, recurring without times of day", () => {
    // The one-off of January 2026 has passed: no event.
    expect(events.map((e) => prop(e, "UID")?.value)).toEqual([
      "musterstadt-frist-indikatoren@lotse",
      "musterstadt-frist-nachhaltigkeitsbericht@lotse",
    ]);
    const [first, second] = events;
    expect(prop(first, "DTSTART")).toEqual({ name: "DTSTART", params: { VALUE: "DATE" }, value: "20270331" });
    expect(prop(first, "DTEND")).toEqual({ name: "DTEND", params: { VALUE: "DATE" }, value: "20270401" });
    expect(prop(first, "RRULE")?.value).toBe("FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=31");
    expect(prop(first, "DTSTAMP")?.value).toBe("20261202T051500Z");
    expect(prop(second, "DTSTART")?.value).toBe("20270930");
    expect(prop(second, "RRULE")?.value).toBe("FREQ=YEARLY;INTERVAL=2;BYMONTH=9;BYMONTHDAY=30");
    expect(ics).not.toMatch(/DTSTART;TZID|BYHOUR|BYMINUTE/);
  });

  it("names the deadline, describes it with its summary and link, and alarms 14 days before", () => {
    const [first, second] = events;
    expect(unescapeText(prop(first, "SUMMARY")?.value ?? "")).toBe(indicators.title);
    expect(unescapeText(prop(first, "DESCRIPTION")?.value ?? "")).toBe(
      `${indicators.summary}\n\n${indicators.url}`,
    );
    expect(prop(first, "DESCRIPTION")?.value).toContain(
      "bis 31. März\\; gemeldet werden Werte für Wärme\\, Strom",
    );
    expect(prop(first, "DESCRIPTION")?.value).toContain("C:\\\\Pfad");
    expect(prop(first, "URL")?.value).toBe(indicators.url);
    expect(prop(second, "URL")).toBeUndefined();
    const alarm = first?.children.find((c) => c.name === "VALARM");
    expect([prop(alarm, "ACTION")?.value, prop(alarm, "TRIGGER")?.value]).toEqual(["DISPLAY", "-P14D"]);
  });

  it("starts a deadline that falls on today today, not next year", () => {
    const onTheDay = deadlinesIcs([indicators], {
      now: new Date("2027-03-31T15:00:00Z"),
      tenant: "musterstadt",
    });
    expect(onTheDay).toContain("DTSTART;VALUE=DATE:20270331\r\n");
  });

  it("uses the product id it is given", () => {
    expect(deadlinesIcs([], { now: NOW, tenant: "t", productId: "-//Stadt//X//DE" })).toContain(
      "PRODID:-//Stadt//X//DE\r\n",
    );
  });
});

describe("dateRule", () => {
  const from = new Date("2026-12-01T23:00:00Z");
  it("counts only the occurrences still ahead and turns UNTIL into a date", () => {
    expect(
      dateRule("DTSTART;TZID=Europe/Berlin:20260101T090000\nRRULE:FREQ=MONTHLY;BYMONTHDAY=1;COUNT=14", from),
    ).toBe("FREQ=MONTHLY;BYMONTHDAY=1;COUNT=2");
    expect(
      dateRule(
        "DTSTART;TZID=Europe/Berlin:20260101T090000\nRRULE:FREQ=MONTHLY;BYMONTHDAY=1;UNTIL=20271231T230000Z",
        from,
      ),
    ).toBe("FREQ=MONTHLY;BYMONTHDAY=1;UNTIL=20280101");
  });
  it("has none for a one-off or an hourly rule", () => {
    expect(
      dateRule("DTSTART;TZID=Europe/Berlin:20270101T090000\nRRULE:FREQ=DAILY;COUNT=1", from),
    ).toBeUndefined();
    expect(dateRule("DTSTART;TZID=Europe/Berlin:20270101T090000\nRRULE:FREQ=HOURLY", from)).toBeUndefined();
  });
});

describe("writeDeadlinesIcs", () => {
  it("writes the calendar atomically and returns the number of events", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "lotse-ics-"));
    try {
      const db = {
        query: async <T>() => ({
          rows: [
            {
              doc_id: "x",
              tenant: "musterstadt",
              title: "Frist X",
              due: "jährlich am 31.3.",
              sources: [{ title: "Q", url: "https://intranet.musterstadt.example/x" }],
              reviewed: "2026-11-20",
              body: "Bis 31. März melden.",
            },
          ] as T[],
        }),
      };
      const file = path.join(dir, "fristen.ics");
      expect(await writeDeadlinesIcs(db, "musterstadt", file, NOW)).toBe(1);
      const text = await readFile(file, "utf8");
      expect(parseIcs(text).children.filter((c) => c.name === "VEVENT")).toHaveLength(1);
      expect(await readdir(dir)).toEqual(["fristen.ics"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
