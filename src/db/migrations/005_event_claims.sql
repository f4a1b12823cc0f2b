-- Events that must be handled once across replicas (a Slack event retried with the same event_id): the first replica
-- to insert the row handles it; the others see the conflict and skip. Old rows are pruned by the claimer.
CREATE TABLE IF NOT EXISTS event_claims (
  platform   text NOT NULL,
  event_id   text NOT NULL,
  tenant     text,
  claimed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (platform, event_id)
);
CREATE INDEX IF NOT EXISTS event_claims_claimed_at_idx ON event_claims (claimed_at);
