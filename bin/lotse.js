#!/usr/bin/env node
// Runs the TypeScript sources directly (Node >= 22.18 strips types natively; the repository pins Node 24).
await import("../src/main.ts");
