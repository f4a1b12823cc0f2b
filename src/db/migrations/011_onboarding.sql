-- Onboarding progress: where one person (a pseudonym, src/core/people.ts) is in the tenant's onboarding path.
CREATE TABLE IF NOT EXISTS onboarding_progress (
  tenant         text NOT NULL,
  person         text NOT NULL,
  -- The role add-on the person chose ("rolle-beschaffende"); NULL: none chosen (offered, never inferred).
  role           text,
  -- The module (document id) the person is at; NULL before the first.
  current_module text,
  -- Modules whose check question the person answered.
  completed      text[] NOT NULL DEFAULT '{}',
  -- active | paused ("Später fortsetzen") | completed
  status         text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'completed')),
  -- Where a nudge goes: the platform of the last step and the platform user id the Notifier's personal target needs.
  -- The id is kept only while a nudge may be sent (cleared with "Keine Erinnerungen mehr" and on completion).
  platform       text NOT NULL,
  notify_user_id text,
  nudges         boolean NOT NULL DEFAULT true,
  last_nudge_at  timestamptz,
  -- The name shown in a per-person report: filled only for tenants that switched per-person reporting on.
  display_name   text,
  started_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  completed_at   timestamptz,
  PRIMARY KEY (tenant, person)
);

-- Aggregates with nobody in them, kept when a person's data is deleted: per tenant and item (a module's document id,
-- or a path "pfad:alle", "pfad:rolle-beschaffende") how often it was started and completed, and per check question
-- how often each option was chosen.
CREATE TABLE IF NOT EXISTS onboarding_stats (
  tenant  text NOT NULL,
  item    text NOT NULL,
  -- started | completed | answer
  metric  text NOT NULL CHECK (metric IN ('started', 'completed', 'answer')),
  -- The option letter for 'answer' ("A"); '' otherwise.
  choice  text NOT NULL DEFAULT '',
  correct boolean,
  count   integer NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant, item, metric, choice)
);
