/**
 * Child process of `npm run bench`: retrieval latency as the server sees it (V8 baseline compiler for the embedded
 * database, see src/db/pglite-compiler.ts). Reads a JSON request on argv[2], prints latencies in ms as JSON on stdout.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { loadConfig } from "../src/config.ts";
import { cleanQuestion } from "../src/core/router.ts";
import { useBaselineWasmCompiler } from "../src/db/pglite-compiler.ts";
import { silentLogger } from "../src/log.ts";
import { createRuntime } from "../src/runtime.ts";

type Request = {
  dataDir: string;
  knowledgeDir: string;
  questionsFile: string;
  rounds: number;
  tenant: string;
};

const req = JSON.parse(process.argv[2] ?? "{}") as Request;
useBaselineWasmCompiler();
const rt = await createRuntime(
  loadConfig(
    { LOTSE_DATA_DIR: req.dataDir, LOTSE_KNOWLEDGE_DIR: req.knowledgeDir },
    path.resolve(import.meta.dirname, ".."),
  ),
  silentLogger,
  { autoIngest: true },
);
try {
  const questions = (JSON.parse(await readFile(req.questionsFile, "utf8")) as string[]).map(cleanQuestion);
  for (const q of questions.slice(0, 5)) await rt.retriever.search(q, req.tenant); // warm-up
  const ms: number[] = [];
  for (let r = 0; r < req.rounds; r++)
    for (const q of questions) {
      const t = performance.now();
      await rt.retriever.search(q, req.tenant);
      ms.push(performance.now() - t);
    }
  process.stdout.write(`${JSON.stringify({ ms, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
} finally {
  await rt.close();
}
