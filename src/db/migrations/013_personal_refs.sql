-- Whose personal chat a reference is: the pseudonym of the user Lotse talks to there (a Slack DM's D… id names
-- nobody), so a data subject's request (lotse privacy export/delete) finds the chat even when no question of theirs
-- is kept any more. NULL for channels, groups and threads, and for references stored before.
ALTER TABLE conversation_refs ADD COLUMN IF NOT EXISTS user_pseudonym text;
