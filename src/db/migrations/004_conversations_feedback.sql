-- Where Lotse can write without being asked (reminders, onboarding): one row per platform conversation, with the
-- platform's opaque reference (for Teams the ConversationReference of the last activity). Refreshed on every
-- incoming activity and on installation.
CREATE TABLE IF NOT EXISTS conversation_refs (
  platform           text NOT NULL,
  conversation_id    text NOT NULL,
  tenant             text NOT NULL,
  external_tenant_id text,
  kind               text NOT NULL CHECK (kind IN ('personal', 'group', 'channel', 'thread')),
  reference          jsonb NOT NULL,
  updated_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (platform, conversation_id)
);
CREATE INDEX IF NOT EXISTS conversation_refs_tenant_idx ON conversation_refs (tenant);

-- 👍/👎 on answers, with the question and the documents the answer cited (for the gap report).
CREATE TABLE IF NOT EXISTS feedback (
  feedback_id     bigserial PRIMARY KEY,
  tenant          text NOT NULL,
  platform        text NOT NULL,
  user_id         text NOT NULL,
  conversation_id text,
  rating          text NOT NULL CHECK (rating IN ('up', 'down')),
  question        text NOT NULL,
  doc_ids         text[] NOT NULL DEFAULT '{}',
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS feedback_tenant_idx ON feedback (tenant, created_at);
