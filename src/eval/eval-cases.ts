import { readFile } from "node:fs/promises";
import { parse } from "yaml";
import { z } from "zod";
import { LotseError } from "../errors.ts";

const caseSchema = z.object({
  id: z.string().min(1),
  q: z.string().min(1),
  expect: z.array(z.string().min(1)).default([]),
  contact: z.string().optional(),
  abstain: z.boolean().default(false),
  tenant: z.string().optional(),
});

export type EvalCase = z.infer<typeof caseSchema>;

/** Reads an evaluation file in the format of test/eval/questions.yaml (the project's set). */
export async function loadEvalCases(file: string): Promise<EvalCase[]> {
  let raw: unknown;
  try {
    raw = parse(await readFile(file, "utf8"));
  } catch (cause) {
    throw new LotseError(
      "EVAL_FILE_INVALID",
      `Evaluationsdatei ${file} kann nicht gelesen werden: ${(cause as Error).message}`,
      { cause },
    );
  }
  const parsed = z.array(caseSchema).safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new LotseError(
      "EVAL_FILE_INVALID",
      `Evaluationsdatei ${file}: Fall ${String(i?.path[0])}, Feld ${i?.path.slice(1).join(".")}: ${i?.message}`,
    );
  }
  const ids = new Set<string>();
  for (const c of parsed.data) {
    if (ids.has(c.id))
      throw new LotseError("EVAL_FILE_INVALID", `Evaluationsdatei ${file}: Kennung ${c.id} ist doppelt.`);
    ids.add(c.id);
  }
  return parsed.data;
}

const norm = (s: string) => s.toLowerCase().replace(/\s+/g, " ");

/** An expect entry ("a|b") is found when one alternative occurs in one of the texts, case-insensitively. */
export function found(entry: string, texts: string[]): boolean {
  const hay = texts.map(norm);
  return entry.split("|").some((alt) => {
    const needle = norm(alt.trim());
    return needle.length > 0 && hay.some((h) => h.includes(needle));
  });
}
