/**
 * The thesaurus and English dictionary reduced to the index's vocabulary, as ingest stores them in index_meta
 * (vocabulary-reduction.ts says what is kept), with the fingerprint of what they were made from: an ingest that changes
 * neither the vocabulary nor the data files keeps the stored reduction.
 */
import { createHash } from "node:crypto";
import type { Queryable } from "../db/database.ts";
import {
  type DictionaryTexts,
  dictionaryReduction,
  FINGERPRINT_KEY,
  META_KEY,
  REDUCTION_VERSION,
  rememberReduction,
  runSliced,
  type StoredReduction,
} from "../retrieval/vocabulary-reduction.ts";
import { ENGLISH_DICTIONARY_FILE } from "../text/english-dictionary.ts";
import { THESAURUS_FILE } from "../text/thesaurus.ts";
import { readVocabularyData } from "../text/vocabulary-file.ts";

/** The data files; tests pass others. */
export interface DictionaryFiles {
  thesaurus: string;
  english: string;
}
export const DICTIONARY_FILES: DictionaryFiles = {
  thesaurus: THESAURUS_FILE,
  english: ENGLISH_DICTIONARY_FILE,
};

/** Both data files' texts, with a version that changes with their contents and with REDUCTION_VERSION. */
export interface Dictionaries extends DictionaryTexts {
  version: string;
}

const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");

/** Reads both data files, gunzipped in libuv's pool, so that the main thread can meanwhile chunk and embed. */
export async function loadDictionaries(files: DictionaryFiles = DICTIONARY_FILES): Promise<Dictionaries> {
  const [thesaurus, english] = await Promise.all([
    readVocabularyData(files.thesaurus, "Thesaurus"),
    readVocabularyData(files.english, "English dictionary"),
  ]);
  return {
    thesaurus: thesaurus.data.toString("utf8"),
    english: english.data,
    version: sha256(`${REDUCTION_VERSION}\n${sha256(thesaurus.bytes)}\n${sha256(english.bytes)}`),
  };
}

/** What a reduction is made from: the corpus words in the order the index lists them (the result depends on it). */
export function reductionFingerprint(words: readonly string[], version: string): string {
  return sha256(`${version}\n${words.join("\n")}`);
}

/**
 * Inside the ingest transaction, once the documents are written: the reduction of the dictionaries to the index's
 * vocabulary, or undefined when the stored one was made from the same vocabulary and data files. Reduces in slices,
 * so that the ingest's further statements keep the database busy meanwhile. Both reads are sent at once: the
 * transaction is not used again until storeReduction.
 */
export async function reduceForIndex(
  tx: Queryable,
  dictionaries: Promise<Dictionaries>,
): Promise<StoredReduction | undefined> {
  const [vocab, stored] = await Promise.all([
    tx.query<{ w: string }>("SELECT DISTINCT unnest(vocabulary) AS w FROM documents"),
    tx.query<{ value: unknown }>(
      "SELECT value FROM index_meta WHERE key = $1 AND EXISTS (SELECT 1 FROM index_meta WHERE key = $2)",
      [FINGERPRINT_KEY, META_KEY],
    ),
  ]);
  const words = vocab.rows.map((r) => r.w);
  const d = await dictionaries;
  const fingerprint = reductionFingerprint(words, d.version);
  if (stored.rows[0]?.value === fingerprint) return undefined;
  return { fingerprint, reduced: await runSliced(dictionaryReduction(words, d)) };
}

/** Stores what reduceForIndex made (nothing when the stored reduction still holds). */
export async function storeReduction(tx: Queryable, reduction: StoredReduction | undefined): Promise<void> {
  if (!reduction) return;
  await tx.query(
    "INSERT INTO index_meta (key, value, updated_at) VALUES ($1, $2, now()), ($3, $4, now()) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()",
    [META_KEY, JSON.stringify(reduction.reduced), FINGERPRINT_KEY, JSON.stringify(reduction.fingerprint)],
  );
  rememberReduction(reduction);
}
