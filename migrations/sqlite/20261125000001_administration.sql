-- Staff accounts, their database-held sessions, working-group themes and the audit log (SQLite).

CREATE TABLE account (
    id INTEGER PRIMARY KEY,
    -- Stored lower-cased, so that log-in ignores the case of the address.
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'member')),
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

-- The themes (by code) of a working-group member's working groups.
CREATE TABLE account_theme (
    account_id INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    theme_code TEXT NOT NULL,
    PRIMARY KEY (account_id, theme_code)
);

-- Only the SHA-256 of the session cookie is stored; any app instance can check it.
CREATE TABLE session (
    id_hash TEXT PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    -- A form's problems or a notice, carried across the redirect after a post, then cleared.
    flash TEXT
);
CREATE INDEX session_account ON session (account_id);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    account_id INTEGER REFERENCES account (id) ON DELETE SET NULL,
    -- The actor's address at the time, kept when the account goes.
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);

CREATE INDEX organisation_name ON organisation (name);
CREATE INDEX response_organisation ON response (organisation_id);
