-- Applied only where the pgvector extension is available; without it retrieval is lexical-only.
-- The column has no fixed dimension so that a change of embedder needs a re-embed, not a schema change.
CREATE EXTENSION IF NOT EXISTS vector;
ALTER TABLE chunks ADD COLUMN IF NOT EXISTS embedding vector;
