-- Knowledge index. tenant NULL marks shared guidance, visible to every tenant; otherwise the tenant id.
CREATE TABLE IF NOT EXISTS documents (
  doc_id        text PRIMARY KEY,
  tenant        text,
  type          text NOT NULL CHECK (type IN ('guidance', 'goal', 'rule', 'deadline', 'onboarding')),
  title         text NOT NULL,
  source_path   text NOT NULL,
  content_hash  text NOT NULL,
  sources       jsonb NOT NULL DEFAULT '[]',
  contact_roles text[] NOT NULL DEFAULT '{}',
  next_steps    jsonb NOT NULL DEFAULT '[]',
  tags          text[] NOT NULL DEFAULT '{}',
  reviewed      date,
  vocabulary    text[] NOT NULL DEFAULT '{}',
  ingested_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS documents_tenant_idx ON documents (tenant);

CREATE TABLE IF NOT EXISTS chunks (
  chunk_id    bigserial PRIMARY KEY,
  doc_id      text NOT NULL REFERENCES documents (doc_id) ON DELETE CASCADE,
  tenant      text,
  ord         integer NOT NULL,
  section     text NOT NULL,
  page        integer,
  body        text NOT NULL,
  search_text text NOT NULL,
  tsv         tsvector GENERATED ALWAYS AS (to_tsvector('german', search_text)) STORED
);
CREATE INDEX IF NOT EXISTS chunks_tsv_idx ON chunks USING gin (tsv);
CREATE INDEX IF NOT EXISTS chunks_tenant_idx ON chunks (tenant);
CREATE INDEX IF NOT EXISTS chunks_doc_idx ON chunks (doc_id);

-- A tenant's contacts by role id (roles are defined in knowledge/roles.yaml).
CREATE TABLE IF NOT EXISTS contacts (
  tenant        text NOT NULL,
  role          text NOT NULL,
  label         text NOT NULL,
  name          text NOT NULL,
  unit          text,
  email         text,
  phone         text,
  teams_upn     text,
  slack_user_id text,
  PRIMARY KEY (tenant, role)
);

-- Facts about the index (embedder, last ingest); tenant NULL for deployment-wide entries.
CREATE TABLE IF NOT EXISTS index_meta (
  key        text PRIMARY KEY,
  tenant     text,
  value      jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
