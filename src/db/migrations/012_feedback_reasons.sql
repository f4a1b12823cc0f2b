-- After 👎: why (one of four reasons) and an optional short comment, both optional. The comment is free text from a
-- person: deleted with the question text after the retention period.
ALTER TABLE feedback ADD COLUMN IF NOT EXISTS reason text
  CHECK (reason IN ('falsch', 'veraltet', 'unvollstaendig', 'nicht-meine-frage'));
ALTER TABLE feedback ADD COLUMN IF NOT EXISTS comment text;
ALTER TABLE feedback ADD COLUMN IF NOT EXISTS commented_at timestamptz;
