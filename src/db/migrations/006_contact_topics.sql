-- What each contact's role answers for (roles.yaml `topics`): a question the knowledge base cannot answer names the
-- contact whose topics it mentions, before the default contact role.
ALTER TABLE contacts ADD COLUMN IF NOT EXISTS topics text[] NOT NULL DEFAULT '{}';
