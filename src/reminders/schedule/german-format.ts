import { fromBerlin, parseIcalStamp, toBerlin } from "./berlin-time.ts";
import { cardinalText, MONTH_NAMES, ordinalText, WEEKDAY_CODES, WEEKDAY_NAMES } from "./german-words.ts";
import { parseRuleText } from "./rule-text.ts";

const WORKDAYS = "MO,TU,WE,TH,FR";

function clock(hour: number, minute: number): string {
  return `${hour}:${String(minute).padStart(2, "0")}`;
}

/** "Montag, 4. Januar 2027, 9:00 Uhr" in Europe/Berlin. */
export function formatOccurrence(d: Date): string {
  const z = toBerlin(d);
  return `${WEEKDAY_NAMES[z.dayOfWeek - 1]}, ${formatDate(d)}, ${clock(z.hour, z.minute)} Uhr`;
}

/** "4. Januar 2027" */
export function formatDate(d: Date): string {
  const z = toBerlin(d);
  return `${z.day}. ${MONTH_NAMES[z.month - 1]} ${z.year}`;
}

function list(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} und ${items.at(-1)}`;
}

function dayName(code: string): string {
  return WEEKDAY_NAMES[WEEKDAY_CODES.indexOf(code as never)] ?? code;
}

function every(interval: number, one: string, many: string): string {
  return interval === 1 ? one : `alle ${cardinalText(interval)} ${many}`;
}

function monthDayNote(days: number[]): string | undefined {
  const max = Math.max(...days);
  if (max === 31) return "Monate ohne 31. Tag werden übersprungen";
  if (max === 30) return "der Februar wird übersprungen";
  if (max === 29) return "ein Februar ohne 29. Tag wird übersprungen";
  return undefined;
}

/** The rule in German words: "jeden ersten Montag im Monat um 9:00 Uhr", "einmalig am Donnerstag, 3. Dezember 2026, 14:00 Uhr". */
export function describeRrule(rrule: string): string {
  const rule = parseRuleText(rrule);
  if (!rule) return `nach der Regel ${rrule.replace(/\s+/g, " ")}`;
  const { dtstart, parts } = rule;
  const get = (k: string) => parts.get(k);
  const nums = (k: string) => (get(k) ?? "").split(",").filter(Boolean).map(Number);
  if (get("COUNT") === "1") return `einmalig am ${formatOccurrence(fromBerlin(dtstart))}`;

  const interval = Number(get("INTERVAL") ?? "1");
  const byDay = (get("BYDAY") ?? "").split(",").filter(Boolean);
  const monthDays = nums("BYMONTHDAY");
  const months = nums("BYMONTH");
  const setPos = nums("BYSETPOS");
  const notes: string[] = [];
  let when: string;

  const ordinalDays = byDay.map((d) => /^([+-]?\d)([A-Z]{2})$/.exec(d)).filter((m) => m !== null);
  const workdayPos =
    byDay.join(",") === WORKDAYS && setPos.length === 1
      ? `am ${ordinalText(setPos[0] ?? 1)} Werktag`
      : undefined;
  if (workdayPos) notes.push("Montag bis Freitag; Feiertage werden nicht berücksichtigt");
  const dayOfMonth = (days: number[]) =>
    days.length === 1 && days[0] === -1 ? "am letzten Tag" : `am ${list(days.map((d) => `${d}.`))}`;

  switch (get("FREQ")) {
    case "DAILY":
      when = every(interval, "täglich", "Tage");
      break;
    case "WEEKLY": {
      const days = byDay.length > 0 ? byDay : [WEEKDAY_CODES[dtstart.dayOfWeek - 1] ?? "MO"];
      if (days.join(",") === WORKDAYS)
        when = `${every(interval, "", "Wochen ")}werktags (Montag bis Freitag)`;
      else if (interval === 1) when = `jeden ${list(days.map(dayName))}`;
      else when = `alle ${cardinalText(interval)} Wochen am ${list(days.map(dayName))}`;
      break;
    }
    case "MONTHLY": {
      const ord = ordinalDays.length === 1 ? ordinalDays[0] : undefined;
      if (ord && interval === 1)
        when = `jeden ${ordinalText(Number(ord[1]))} ${dayName(ord[2] ?? "")} im Monat`;
      else if (ord)
        when = `alle ${cardinalText(interval)} Monate am ${ordinalText(Number(ord[1]))} ${dayName(ord[2] ?? "")}`;
      else if (workdayPos && interval === 1) when = `${workdayPos} im Monat`;
      else if (workdayPos) when = `alle ${cardinalText(interval)} Monate ${workdayPos}`;
      else {
        const days = monthDays.length > 0 ? monthDays : [dtstart.day];
        when = `${every(interval, "jeden Monat", "Monate")} ${dayOfMonth(days)}`;
        const note = monthDayNote(days);
        if (note) notes.push(note);
      }
      break;
    }
    case "YEARLY": {
      const base = every(interval, "jedes Jahr", "Jahre");
      const ord = ordinalDays.length === 1 ? ordinalDays[0] : undefined;
      const monthName = (m: number) => MONTH_NAMES[m - 1] ?? String(m);
      if (ord && months.length === 1)
        when = `${base} am ${ordinalText(Number(ord[1]))} ${dayName(ord[2] ?? "")} im ${monthName(months[0] ?? 1)}`;
      else if (workdayPos && months.length === 1)
        when = `${base} ${workdayPos} im ${monthName(months[0] ?? 1)}`;
      else {
        const month = months[0] ?? dtstart.month;
        const day = monthDays[0] ?? dtstart.day;
        when =
          day === -1
            ? `${base} am letzten Tag im ${monthName(month)}`
            : `${base} am ${day}. ${monthName(month)}`;
        if (month === 2 && day === 29) notes.push("in Jahren ohne 29. Februar entfällt der Termin");
      }
      break;
    }
    case "HOURLY":
      when = every(interval, "stündlich", "Stunden");
      break;
    default:
      return `nach der Regel ${rrule.replace(/\s+/g, " ")}`;
  }
  if (months.length > 0 && get("FREQ") !== "YEARLY")
    when += ` im ${list(months.map((m) => MONTH_NAMES[m - 1] ?? String(m)))}`;

  const hours = nums("BYHOUR");
  const minutes = nums("BYMINUTE");
  const minute = minutes[0] ?? dtstart.minute;
  const times =
    get("FREQ") === "HOURLY" && hours.length === 0
      ? []
      : (hours.length > 0 ? hours : [dtstart.hour]).map((h) => clock(h, minute));
  const at =
    times.length > 0
      ? ` um ${list(times)} Uhr`
      : minute === 0
        ? " zur vollen Stunde"
        : ` jeweils ${minute} Minuten nach der vollen Stunde`;

  const count = get("COUNT");
  const until = get("UNTIL");
  if (count) notes.push(`${count}-mal`);
  if (until) {
    const u = parseIcalStamp(
      until.replace(/Z$/, "").length === 8 ? `${until}T235959` : until.replace(/Z$/, ""),
    );
    if (u) notes.push(`bis ${u.day}. ${MONTH_NAMES[u.month - 1]} ${u.year}`);
  }
  return `${when}${at}${notes.length > 0 ? ` (${notes.join("; ")})` : ""}`;
}
