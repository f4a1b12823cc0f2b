-- Document frequency of every lexeme in the index, rewritten by each ingest. Retrieval leaves very common lexemes
-- out of the full-text match (ranking thousands of rows is the slow part) and weighs the rest by rarity.
-- tenant NULL: statistics are deployment-wide.
CREATE TABLE IF NOT EXISTS lexeme_stats (
  lexeme text PRIMARY KEY,
  tenant text,
  ndoc   integer NOT NULL
);
