-- Background work every replica shares: one row per thing to do at a time (a reminder occurrence, a deadline notice,
-- later an onboarding nudge or a digest). (kind, job_key) is unique, so an occurrence is planned once however many
-- replicas plan it; due rows are claimed with FOR UPDATE SKIP LOCKED and a lease, so none is run twice or skipped.
CREATE TABLE IF NOT EXISTS jobs (
  job_id        bigserial PRIMARY KEY,
  kind          text NOT NULL,
  -- Unique per kind: a reminder occurrence is "<reminder id>@<instant ISO 8601 UTC>".
  job_key       text NOT NULL,
  tenant        text NOT NULL,
  -- What the job belongs to, for lists and clean-up ("reminder:42", "deadline-subscription:7").
  subject       text,
  -- Deliveries into the same conversation are paced together ("slack:C0123", "teams:19:…"); NULL: not paced.
  lane          text,
  -- The occurrence itself (lateness and the grace window are measured from it).
  due_at        timestamptz NOT NULL,
  -- When the next attempt may run: due_at, later after a retry or a platform's Retry-After.
  run_at        timestamptz NOT NULL,
  payload       jsonb NOT NULL DEFAULT '{}',
  -- pending | running | done | failed | skipped | cancelled
  status        text NOT NULL DEFAULT 'pending',
  attempts      integer NOT NULL DEFAULT 0,
  locked_by     text,
  locked_until  timestamptz,
  late          boolean NOT NULL DEFAULT false,
  -- Stable code of the last outcome (delivered, gone, rate_limited, an error code); never message text.
  outcome       text,
  finished_at   timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (kind, job_key)
);
CREATE INDEX IF NOT EXISTS jobs_runnable_idx ON jobs (run_at) WHERE status IN ('pending', 'running');
CREATE INDEX IF NOT EXISTS jobs_subject_idx ON jobs (subject, due_at DESC);

-- Reminders set by coordinators (into a channel) or by anyone (personal, delivered as a direct message).
CREATE TABLE IF NOT EXISTS reminders (
  reminder_id         bigserial PRIMARY KEY,
  tenant              text NOT NULL,
  -- draft (shown for confirmation, not yet saved) | active | paused | ended (a one-off that was sent)
  status              text NOT NULL DEFAULT 'draft',
  -- channel | personal
  audience            text NOT NULL,
  platform            text NOT NULL,
  -- The conversation it is posted into (channel), or the platform user id it is sent to (personal).
  target              text NOT NULL,
  -- The conversation it was set in: its list ("erinnerungen") shows it there.
  origin_conversation text NOT NULL,
  text                text NOT NULL,
  link_url            text,
  -- RFC 5545: "DTSTART;TZID=Europe/Berlin:20270104T090000\nRRULE:FREQ=MONTHLY;BYDAY=1MO"
  rrule               text NOT NULL,
  timezone            text NOT NULL DEFAULT 'Europe/Berlin',
  -- The schedule in German words, as confirmed ("jeden ersten Montag im Monat um 9:00 Uhr").
  reading             text NOT NULL,
  creator_pseudonym   text NOT NULL,
  -- Shown with every delivery ("Eingerichtet von …"); the platform id is needed to tell the creator when the
  -- target conversation is gone, and is the target of a personal reminder. Deleted with the reminder.
  creator_name        text,
  creator_user_id     text NOT NULL,
  -- chat | cli | deadline:<doc id>
  source              text NOT NULL DEFAULT 'chat',
  -- Why it was paused by Lotse (conversation_gone) rather than by a person; NULL otherwise.
  paused_reason       text,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS reminders_origin_idx ON reminders (platform, origin_conversation);
CREATE INDEX IF NOT EXISTS reminders_target_idx ON reminders (platform, target);
CREATE INDEX IF NOT EXISTS reminders_creator_idx ON reminders (creator_pseudonym);

-- Channels subscribed to all of a tenant's deadlines (documents of type deadline), each announced lead_days before.
CREATE TABLE IF NOT EXISTS deadline_subscriptions (
  subscription_id   bigserial PRIMARY KEY,
  tenant            text NOT NULL,
  platform          text NOT NULL,
  conversation_id   text NOT NULL,
  lead_days         integer[] NOT NULL,
  creator_pseudonym text NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant, platform, conversation_id)
);

-- A deadline document's recurrence in German words (front matter `due: "jährlich am 30.9."`), parsed by the same
-- grammar as reminders; NULL for documents without one.
ALTER TABLE documents ADD COLUMN IF NOT EXISTS due text;
