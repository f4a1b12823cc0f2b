import { describe, expect, it } from "vitest";
import { ProgressBar } from "../../../adapters/cli/progress-bar.ts";

function fakeStream(): NodeJS.WriteStream & { out: string } {
  const s = {
    out: "",
    columns: 60,
    write(chunk: string) {
      s.out += chunk;
      return true;
    },
  };
  return s as unknown as NodeJS.WriteStream & { out: string };
}

describe("ProgressBar", () => {
  it("draws a bar with percentage and counts on a terminal and clears it at the end", () => {
    const s = fakeStream();
    const bar = new ProgressBar(s, true);
    bar.update("Schreiben", 400, 400);
    expect(s.out).toContain("100 %");
    expect(s.out).toContain("400/400");
    expect(s.out).toContain("█");
    bar.done();
    expect(s.out.endsWith("\r\x1b[K")).toBe(true);
  });

  it("writes nothing when stderr is not a terminal (pipes, CI, log files)", () => {
    const s = fakeStream();
    const bar = new ProgressBar(s, false);
    bar.status("Lese shared/a.md");
    bar.update("Schreiben", 1, 2);
    bar.done();
    expect(s.out).toBe("");
  });
});
