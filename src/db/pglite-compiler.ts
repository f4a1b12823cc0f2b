import { setFlagsFromString } from "node:v8";

/**
 * Keeps WebAssembly (PGlite) on V8's baseline compiler, Liftoff, for the rest of the process.
 *
 * Why: V8 re-compiles hot WebAssembly functions with its optimizing compiler. PostgreSQL's expression interpreter is
 * one huge function, and optimizing it takes about 600 MB of compiler memory for a moment: a server would peak near
 * 800 MB resident at its first queries and settle near 280 MB. On Liftoff alone it stays near 200 MB, at the cost of
 * slower SQL (measured in `npm run bench`: retrieval p95 at 20,000 chunks ~25 ms instead of ~18 ms). The long-running
 * server takes that trade; a one-off `lotse ingest` keeps the optimizing compiler, which ingests faster.
 *
 * Must run before the first PGlite instance is created: V8 caches compiled modules, so a module compiled earlier
 * keeps its optimized code. Node allows V8 flags at run time; `npm run bench` verifies that this one takes effect
 * (the server's peak resident memory).
 */
export function useBaselineWasmCompiler(): void {
  setFlagsFromString("--no-wasm-dynamic-tiering");
  setFlagsFromString("--no-wasm-tier-up");
}
