import type { Database } from "../db/database.ts";
import { blocks, splitSentences } from "../knowledge/chunk.ts";
import { stripMarkers } from "../knowledge/footnotes.ts";
import type { Contact } from "../knowledge/types.ts";
import type { Retriever } from "../retrieval/retriever.ts";
import type { Answer } from "./answer.ts";
import type { ComposeInput, Composer } from "./composer.ts";

type TenantContext = { contacts: Map<string, Contact>; goals: ComposeInput["goals"] };

/** retrieve → compose, with the tenant's contacts and goals loaded once per tenant and refreshed after ingest. */
export class Assistant {
  private readonly cache = new Map<string, TenantContext>();

  private readonly db: Database;
  private readonly retriever: Retriever;
  private readonly composer: Composer;

  constructor(db: Database, retriever: Retriever, composer: Composer) {
    this.db = db;
    this.retriever = retriever;
    this.composer = composer;
  }

  async refresh(): Promise<void> {
    this.cache.clear();
    await this.retriever.refresh();
  }

  async answer(question: string, tenant: string): Promise<Answer> {
    const [retrieval, context] = await Promise.all([
      this.retriever.search(question, tenant),
      this.context(tenant),
    ]);
    return this.composer.compose({ question, tenant, retrieval, ...context });
  }

  /** The tenant's contacts by role id; needs only the contacts table, so error replies can still name someone. */
  async contacts(tenant: string): Promise<Map<string, Contact>> {
    const cached = this.cache.get(tenant);
    if (cached) return cached.contacts;
    const contacts = await this.db.query<{
      role: string;
      label: string;
      name: string;
      unit: string | null;
      email: string | null;
      phone: string | null;
      teams_upn: string | null;
      slack_user_id: string | null;
      topics: string[] | null;
    }>(
      "SELECT role, label, name, unit, email, phone, teams_upn, slack_user_id, topics FROM contacts WHERE tenant = $1",
      [tenant],
    );
    return new Map(
      contacts.rows.map((r) => [
        r.role,
        {
          role: r.role,
          label: r.label,
          name: r.name,
          unit: r.unit ?? undefined,
          email: r.email ?? undefined,
          phone: r.phone ?? undefined,
          teamsUpn: r.teams_upn ?? undefined,
          slackUserId: r.slack_user_id ?? undefined,
          ...(r.topics && r.topics.length > 0 ? { topics: r.topics } : {}),
        },
      ]),
    );
  }

  private async context(tenant: string): Promise<TenantContext> {
    const cached = this.cache.get(tenant);
    if (cached) return cached;
    const contacts = await this.contacts(tenant);
    const goals = await this.db.query<{ doc_id: string; title: string; body: string; tags: string[] }>(
      `SELECT d.doc_id, d.title, d.tags, (SELECT body FROM chunks c WHERE c.doc_id = d.doc_id ORDER BY ord LIMIT 1) AS body
       FROM documents d WHERE d.type = 'goal' AND d.tenant = $1 ORDER BY d.doc_id`,
      [tenant],
    );
    const ctx: TenantContext = {
      contacts,
      goals: goals.rows.map((g) => ({
        docId: g.doc_id,
        title: g.title,
        text: stripMarkers(firstSentence(g.body ?? "")),
        tags: g.tags,
      })),
    };
    this.cache.set(tenant, ctx);
    return ctx;
  }
}

/** The goal itself: the first sentence of its first section. */
function firstSentence(body: string): string {
  return splitSentences(blocks(body)[0]?.replace(/^([-*+]|\d+[.)])\s+/, "") ?? "")[0] ?? "";
}
