-- When a link's invitation and the last reminder went out by e-mail (PostgreSQL).
ALTER TABLE response ADD COLUMN invited_mail_at BIGINT;
ALTER TABLE response ADD COLUMN reminded_at BIGINT;
