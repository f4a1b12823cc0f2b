import type { Deadlines } from "./deadlines/deadlines.ts";

/** How long a tenant's deadline ids are trusted before they are read again (another replica may have ingested). */
const TTL_MS = 5 * 60_000;

/**
 * Which cited document is a deadline with a schedule, for the answer's "Erinnerung anlegen" button: one query per
 * tenant every few minutes instead of one per answer (answers are the hot path). `refresh()` after an ingest.
 */
export class DeadlineLookup {
  private readonly deadlines: Pick<Deadlines, "list">;
  private readonly now: () => number;
  private readonly cache = new Map<string, { at: number; ids: Promise<Set<string>> }>();

  constructor(deadlines: Pick<Deadlines, "list">, now: () => number = Date.now) {
    this.deadlines = deadlines;
    this.now = now;
  }

  /** The first of `docIds` that is one of the tenant's deadlines with a `due` schedule. */
  async first(tenant: string, docIds: string[]): Promise<string | undefined> {
    if (docIds.length === 0) return undefined;
    let entry = this.cache.get(tenant);
    if (!entry || this.now() - entry.at > TTL_MS) {
      const ids = this.deadlines.list(tenant).then((list) => new Set(list.map((d) => d.docId)));
      entry = { at: this.now(), ids };
      this.cache.set(tenant, entry);
      // A failed read is not cached: the next answer asks again.
      ids.catch(() => this.cache.delete(tenant));
    }
    const ids = await entry.ids;
    return docIds.find((id) => ids.has(id));
  }

  /** Forgets what was read (knowledge was ingested). */
  refresh(): void {
    this.cache.clear();
  }
}
