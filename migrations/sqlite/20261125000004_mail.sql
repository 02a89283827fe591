-- When a link's invitation and the last reminder went out by e-mail (SQLite).
ALTER TABLE response ADD COLUMN invited_mail_at INTEGER;
ALTER TABLE response ADD COLUMN reminded_at INTEGER;
