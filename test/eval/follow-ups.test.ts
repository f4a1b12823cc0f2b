import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { z } from "zod";
import { loadConfig } from "../../src/config.ts";
import type { MessageInbound } from "../../src/core/inbound.ts";
import type { Reply } from "../../src/core/replies.ts";
import { found } from "../../src/eval/eval-cases.ts";
import { silentLogger } from "../../src/log.ts";
import { createRuntime, type Runtime } from "../../src/runtime.ts";
import { ROOT } from "../helpers.ts";

/**
 * Follow-ups in a thread, measured on the bundled knowledge: each case is two messages in one thread of one
 * platform (tenant musterstadt by the workspace mapping), run through the conversation core as an adapter would.
 * Strict: the follow-up's answer text holds every expected fact ("a|b": either) and no rejected text. A `switch`
 * (a new topic in the same thread) must also be answered as asked: the question recorded for it is the message
 * itself, not one completed with the old topic.
 */
const FILE = path.join(ROOT, "test/eval/follow-ups.yaml");

const caseSchema = z
  .object({
    id: z.string().min(1),
    first: z.string().min(1),
    // biome-ignore lint/suspicious/noThenProperty: the file names the follow-up "then"; parsed cases carry it as `next`, so they are not thenables
    then: z.string().min(1),
    expect: z.array(z.string().min(1)).min(1),
    reject: z.array(z.string().min(1)).default([]),
    category: z.enum(["follow-up", "switch"]),
    platform: z.enum(["slack", "teams"]).default("slack"),
  })
  .strict()
  .transform(({ then: next, ...rest }) => ({ ...rest, next }));
type FollowUpCase = z.infer<typeof caseSchema>;

/**
 * Measured 2026-12-02 on the bundled knowledge, 63 cases: follow-ups 41/42, switches 20/21. For comparison, each
 * message answered on its own: follow-ups 25/42; the resolver of commit a191eb0: follow-ups 39/42, switches 14/21
 * (it completed "und wie viel Bio muss ins Schulessen?" with the vehicle question). The follow-up miss,
 * eu-construction-en ("what about construction contracts?"), is English retrieval, not reading the turn before:
 * "Ab welchem Auftragswert … EU-weit ausschreiben: construction contracts?" does not find the 5.404.000 euros for
 * Bauaufträge. Floor: one follow-up below the measurement.
 */
const FOLLOW_UP_FLOOR = 40 / 42;
/**
 * Switches that fail, and why. sw-stichwort-kantine: a bare keyword query ("Bio-Quote Kantine?") looks like an
 * elliptic follow-up ("Silber?") by its words alone, so it is read with the turn before; telling them apart needs
 * more than the text (retrieval scores of both readings).
 */
const KNOWN_SWITCH_MISSES = ["sw-stichwort-kantine"];

const EXTERNAL = { slack: "T0MUSTER", teams: "5d0c2b4e-8f3a-4c1e-9b7d-2a6f1e3c9d10" } as const;

let rt: Runtime;
let cases: FollowUpCase[];
beforeAll(async () => {
  cases = z.array(caseSchema).parse(parse(await readFile(FILE, "utf8")));
  rt = await createRuntime(
    loadConfig(
      {
        LOTSE_DATA_DIR: ":memory:",
        LOG_LEVEL: "silent",
        LOTSE_TENANT_MAP: `slack:${EXTERNAL.slack}=musterstadt;teams:${EXTERNAL.teams}=musterstadt`,
      },
      ROOT,
    ),
    silentLogger,
    { autoIngest: true },
  );
}, 120_000);
afterAll(() => rt?.close());

/** The text a user reads in the replies (an answer's text, a notice's text). */
function replyText(replies: Reply[]): string {
  return replies
    .map((r) => (r.kind === "answer" ? r.view.answer.text : r.kind === "notice" ? r.text : ""))
    .join("\n");
}

interface Result {
  id: string;
  category: string;
  pass: boolean;
  missing: string[];
  resolved: string;
}

async function run(c: FollowUpCase, at: Date): Promise<Result> {
  const conversation = { id: `C0EVAL:${c.id}`, kind: "thread" as const, channel: "C0EVAL" };
  const inbound = (text: string, offsetMs: number): MessageInbound => ({
    kind: "message",
    platform: c.platform,
    externalTenantId: EXTERNAL[c.platform],
    user: { id: "U0EVAL" },
    conversation,
    text,
    receivedAt: new Date(at.getTime() + offsetMs),
  });
  await rt.core.handle(inbound(c.first, 0));
  const out = await rt.core.handle(inbound(c.next, 30_000));
  const text = replyText(out.replies);
  const answered = out.replies.some((r) => r.kind === "answer" && r.view.answer.kind === "answer");
  const missing: string[] = [];
  if (!answered) missing.push("kind: answer");
  for (const e of c.expect) if (!found(e, [text])) missing.push(e);
  for (const r of c.reject) if (found(r, [text])) missing.push(`unerwünscht: ${r}`);
  const resolved = (await rt.turns.last(c.platform, conversation.id))?.resolvedQuestion ?? "";
  if (c.category === "switch" && resolved.trim() !== c.next.trim())
    missing.push(`eigene Frage verändert: ${resolved}`);
  return { id: c.id, category: c.category, pass: missing.length === 0, missing, resolved };
}

describe("follow-ups in a thread (test/eval/follow-ups.yaml), strict scoring", () => {
  it("has at least 24 cases, about two thirds follow-ups and one third topic switches", () => {
    expect(cases.length).toBeGreaterThanOrEqual(24);
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
    const switches = cases.filter((c) => c.category === "switch").length;
    expect(switches / cases.length).toBeGreaterThanOrEqual(0.25);
    expect(switches / cases.length).toBeLessThanOrEqual(0.42);
  });

  it("answers follow-ups with the turn before and topic switches on their own", {
    timeout: 240_000,
  }, async () => {
    const results: Result[] = [];
    const at = new Date();
    for (const c of cases) results.push(await run(c, at));
    const lines = results.map(
      (r) =>
        `${r.pass ? "PASS" : "FAIL"} ${r.category.padEnd(9)} ${r.id}${r.pass ? "" : `: ${r.missing.join("; ")}`}\n      → ${r.resolved}`,
    );
    const figures = (["follow-up", "switch"] as const).map((name) => {
      const of = results.filter((r) => r.category === name);
      return { name, pass: of.filter((r) => r.pass).length, total: of.length };
    });
    console.log(`${lines.join("\n")}\n${figures.map((f) => `${f.name}: ${f.pass}/${f.total}`).join(", ")}`);
    const followUp = figures[0] as (typeof figures)[0];
    const failed = results.filter((r) => !r.pass).map((r) => `${r.id}: ${r.missing.join("; ")}`);
    expect(followUp.pass / followUp.total, failed.join("\n")).toBeGreaterThanOrEqual(FOLLOW_UP_FLOOR);
    const switchMisses = results.filter((r) => r.category === "switch" && !r.pass).map((r) => r.id);
    expect(
      switchMisses.filter((id) => !KNOWN_SWITCH_MISSES.includes(id)),
      failed.join("\n"),
    ).toEqual([]);
  });
});
