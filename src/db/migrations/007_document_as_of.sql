-- Stand der Rechtslage / des Sachstands a document states (front matter as_of: YYYY-MM-DD or YYYY-MM); answers show it
-- next to the source. Text, since a month alone is no date.
ALTER TABLE documents ADD COLUMN IF NOT EXISTS as_of text;
