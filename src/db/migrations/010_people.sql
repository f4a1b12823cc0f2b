-- Who is the same person on a tenant's platforms: a platform user's pseudonym linked to the pseudonym of their work
-- email (never the address itself), learned when a platform tells it (a Slack team_join, a Teams member lookup).
-- Onboarding progress is kept per person, so it follows someone from Slack to Teams. Deleted with the person's data
-- (lotse privacy delete).
CREATE TABLE IF NOT EXISTS person_links (
  tenant         text NOT NULL,
  platform       text NOT NULL,
  user_pseudonym text NOT NULL,
  person         text NOT NULL,
  linked_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant, platform, user_pseudonym)
);
CREATE INDEX IF NOT EXISTS person_links_person_idx ON person_links (tenant, person);
