import { readFile } from "node:fs/promises";
import { parse } from "yaml";
import { z } from "zod";
import { LotseError } from "../errors.ts";

const caseSchema = z.object({
  id: z.string().min(1),
  q: z.string().min(1),
  /** Facts that must appear in the answer text ("a|b": either spelling). */
  expect: z.array(z.string().min(1)).default([]),
  /** Text that must not appear in the answer text: the wrong sense of a homonym. */
  reject: z.array(z.string().min(1)).default([]),
  contact: z.string().optional(),
  abstain: z.boolean().default(false),
  tenant: z.string().optional(),
  /** Pattern the case measures (synonym, typo, …); cases without one count as "general". */
  category: z.string().min(1).optional(),
  /** The staff word the answering document does not use (paraphrase set). */
  key: z.string().min(1).optional(),
  /** Id of the document that answers. */
  doc: z.string().min(1).optional(),
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

/** Category of a case for the per-category figures. */
export const categoryOf = (c: EvalCase): string => c.category ?? "general";

/** The case with this id (for `lotse eval FILE --explain ID`); EVAL_FILE_INVALID, naming close ids, otherwise. */
export function selectCase(cases: EvalCase[], id: string, file?: string): EvalCase {
  const hit = cases.find((c) => c.id === id);
  if (hit) return hit;
  const stem = id.toLowerCase().slice(0, 6);
  const near = cases.filter((c) => c.id.toLowerCase().includes(stem)).slice(0, 5);
  throw new LotseError(
    "EVAL_FILE_INVALID",
    `Die Evaluationsdatei${file ? ` ${file}` : ""} enthält keinen Fall „${id}“.${near.length > 0 ? ` Ähnliche Kennungen: ${near.map((c) => c.id).join(", ")}.` : ""}`,
  );
}

// Non-breaking and thin spaces ("216 000") compare like plain spaces; "80 %" and "80%", "20 °C" and "20°C" alike.
const norm = (s: string) =>
  s
    .toLowerCase()
    .replace(/[\s\u00a0\u2009\u202f]+/g, " ")
    .replace(/ (?=[%°])/g, "");

/** An expect entry ("a|b") is found when one alternative occurs in one of the texts, case-insensitively. */
export function found(entry: string, texts: string[]): boolean {
  const hay = texts.map(norm);
  return entry.split("|").some((alt) => {
    const needle = norm(alt.trim());
    return needle.length > 0 && hay.some((h) => h.includes(needle));
  });
}
