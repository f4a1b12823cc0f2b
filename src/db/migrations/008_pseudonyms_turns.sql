-- Settings Lotse creates for itself and every replica must share (the key of the user pseudonyms).
CREATE TABLE IF NOT EXISTS settings (
  name       text PRIMARY KEY,
  value      text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Conversation memory: each question answered, per conversation and thread, so that a follow-up in the thread is
-- understood with the turn before and any replica can continue it. Users only as pseudonyms; question texts are
-- deleted after the retention period (LOTSE_RETENTION_DAYS).
CREATE TABLE IF NOT EXISTS conversation_turns (
  turn_id            bigserial PRIMARY KEY,
  platform           text NOT NULL,
  conversation_id    text NOT NULL,
  tenant             text NOT NULL,
  user_pseudonym     text NOT NULL,
  question           text NOT NULL,
  -- The question as answered: a follow-up ("und für Busse?") completed with the turn before.
  resolved_question  text NOT NULL,
  answer_kind        text NOT NULL,
  doc_ids            text[] NOT NULL DEFAULT '{}',
  created_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS conversation_turns_conversation_idx
  ON conversation_turns (platform, conversation_id, created_at DESC);
-- No index on created_at: retention deletes by it once per start, and every answer writes a turn (each index costs
-- the write path, which is the embedded database's bottleneck under load).

-- Notices a user has been shown once (the automated-assistant notice at first contact), by pseudonym.
CREATE TABLE IF NOT EXISTS user_notices (
  platform       text NOT NULL,
  user_pseudonym text NOT NULL,
  notice         text NOT NULL,
  shown_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (platform, user_pseudonym, notice)
);
