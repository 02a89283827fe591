-- What several app instances on one database must agree on (SQLite).

-- One round of invitation or reminder mails per questionnaire at a time, across instances.
-- The holder renews its lease while the round runs; a crashed holder's lease expires.
CREATE TABLE mail_round_lease (
    questionnaire_id INTEGER PRIMARY KEY,
    -- A random id of the round holding the lease.
    holder TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);

-- Rate limits as a generic cell rate algorithm: per counter and key (SHA-256 of an address
-- or a typed e-mail address) the theoretical arrival time `tat` (ms). A row whose `tat` has
-- passed holds a full allowance, like no row, and is deleted.
CREATE TABLE rate_limit (
    counter TEXT NOT NULL,
    key_hash TEXT NOT NULL,
    tat INTEGER NOT NULL,
    PRIMARY KEY (counter, key_hash)
) WITHOUT ROWID;
CREATE INDEX rate_limit_tat ON rate_limit (tat);
