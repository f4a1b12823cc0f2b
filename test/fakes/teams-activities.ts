import { readFile } from "node:fs/promises";
import path from "node:path";
import { ROOT } from "../helpers.ts";

export const TENANT = "5d0c2b4e-8f3a-4c1e-9b7d-2a6f1e3c9d10";
export const FOREIGN_TENANT = "9a7c5e3f-1b2d-4c6e-8f0a-3b5d7e9f1c2a";
export const CLIENT_ID = "8e2f6c1a-3b4d-4e5f-9a8b-7c6d5e4f3a2b";
/** Bot credentials as the Azure Bot registration gives them (the secret has the shape of a real one). */
export const CREDENTIALS = {
  TEAMS_CLIENT_ID: CLIENT_ID,
  TEAMS_CLIENT_SECRET: "Vq78Q~kR3zT.p9Lw_2xN5mB8vH4cJ6dF1gS0aYeU",
  TEAMS_TENANT_ID: TENANT,
};
const FIXTURES = path.join(ROOT, "test/fixtures/teams");

/** A payload from test/fixtures/teams with its service URL filled in, top-level fields replaced by `patch`. */
export async function fixture(
  name: string,
  serviceUrl: string,
  patch: Record<string, unknown> = {},
): Promise<Record<string, unknown>> {
  const raw = await readFile(path.join(FIXTURES, `${name}.json`), "utf8");
  return {
    ...(JSON.parse(raw.replaceAll("{{serviceUrl}}", serviceUrl)) as Record<string, unknown>),
    ...patch,
  };
}

/** POSTs an activity to Lotse's messaging endpoint as the Bot Connector does. */
export const post = (base: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}/api/messages`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
