import { describe, expect, it } from "vitest";
import type { Button } from "../../src/core/replies.ts";
import { ONBOARDING_ACTIONS } from "../../src/onboarding/onboarding-codec.ts";
import { buildPaths } from "../../src/onboarding/onboarding-paths.ts";
import { FEWEST_ACTIONS, moduleCard } from "../../src/onboarding/onboarding-views.ts";
import { realKnowledge, realTemplates, TENANT } from "./onboarding-fixture.ts";

const isAction = (b: Button): b is Extract<Button, { actionId: string }> => "actionId" in b;

describe("moduleCard: the buttons that keep the path going come first", () => {
  it("shows every module's options and, once answered, Weiter/Zurück/Später fortsetzen within the first six buttons, links after them", async () => {
    const t = await realTemplates();
    const path = buildPaths(await realKnowledge()).get(TENANT);
    const modules = [...(path?.common ?? []), ...(path?.roles.flatMap((r) => r.modules) ?? [])];
    expect(modules.length).toBeGreaterThan(6);
    // Musterstadt's modules carry two or three links each: before, they took the first places on the card.
    expect(modules.some((m) => m.links.length >= 2)).toBe(true);
    for (const m of modules) {
      const answered = moduleCard(t, m, { index: 2, total: 7 }, { completed: true }).buttons ?? [];
      const shown = answered.slice(0, FEWEST_ACTIONS);
      const ids = shown.filter(isAction).map((b) => b.actionId);
      expect(ids.filter((id) => id === ONBOARDING_ACTIONS.answer)).toHaveLength(m.check.options.length);
      expect(ids).toEqual(
        expect.arrayContaining([ONBOARDING_ACTIONS.next, ONBOARDING_ACTIONS.back, ONBOARDING_ACTIONS.later]),
      );
      // The links are still there, after the actions.
      const links = answered.filter((b) => "url" in b);
      expect(links).toHaveLength(m.links.length);
      expect(answered.slice(answered.length - links.length)).toEqual(links);
      const first = moduleCard(t, m, { index: 1, total: 7 }).buttons ?? [];
      expect(
        first.slice(0, FEWEST_ACTIONS).filter((b) => isAction(b) && b.actionId === ONBOARDING_ACTIONS.answer),
      ).toHaveLength(m.check.options.length);
    }
  });
});
