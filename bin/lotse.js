#!/usr/bin/env node
// Runs the TypeScript sources directly: Node strips the types itself from 22.18 on (23.6 on the 23 line); the
// repository pins Node 24 for its npm scripts. This file is plain JavaScript so that an older Node reaches the check
// below and says what to do instead of failing with ERR_UNKNOWN_FILE_EXTENSION.
const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
const recentEnough = major >= 24 || (major === 23 && minor >= 6) || (major === 22 && minor >= 18);

if (process.features.typescript) await import("../src/main.ts");
else {
  process.stderr.write(
    recentEnough
      ? `Lotse kann nicht starten: Node.js ${process.version} führt TypeScript-Dateien nur aus, wenn das Entfernen der Typen eingeschaltet ist. Entfernen Sie --no-experimental-strip-types bzw. --no-strip-types (auch aus NODE_OPTIONS).\n`
      : `Lotse braucht Node.js 22.18 oder neuer (empfohlen: Node.js 24 LTS); installiert ist ${process.version}. Aktualisieren Sie Node.js, oder starten Sie Lotse im Projektordner mit npm start bzw. npx lotse: die npm-Skripte nutzen das mitgelieferte Node.js 24.\n`,
  );
  process.exitCode = 1;
}
