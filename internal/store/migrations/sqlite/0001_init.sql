-- 0001: people, the audit trail and kinship bindings (SPEC.md §5.3).
-- People are keyed by HMAC-SHA256(service secret, normalised ID number);
-- no raw ID number is stored.

CREATE TABLE people (
    person       BLOB    NOT NULL PRIMARY KEY, -- 32-byte HMAC of the ID number
    hash_version INTEGER NOT NULL,
    salt         BLOB    NOT NULL,             -- identity hash salt, 16 bytes
    sum          BLOB    NOT NULL,             -- identity hash (Argon2id), 16 bytes
    created_at   INTEGER NOT NULL              -- Unix milliseconds
) WITHOUT ROWID;

CREATE TABLE audit (
    seq          INTEGER NOT NULL PRIMARY KEY, -- order of commit, the export cursor
    serial       BLOB    NOT NULL UNIQUE,      -- cti, 12 bytes
    person       BLOB    NOT NULL,
    hash_version INTEGER NOT NULL,
    salt         BLOB    NOT NULL,
    sum          BLOB    NOT NULL,
    colour       INTEGER NOT NULL,
    kind         INTEGER NOT NULL,
    iat          INTEGER NOT NULL,             -- Unix seconds
    exp          INTEGER NOT NULL,             -- Unix seconds
    kid          BLOB    NOT NULL,             -- 8 bytes
    token        TEXT    NOT NULL,             -- name of the API token that asked
    request_id   TEXT    NOT NULL,
    binding_id   TEXT                          -- set for kinship codes
);

CREATE INDEX audit_iat ON audit (iat);

CREATE TABLE bindings (
    id         TEXT    NOT NULL PRIMARY KEY,
    guardian   BLOB    NOT NULL,
    relative   BLOB    NOT NULL,
    relation   TEXT    NOT NULL,
    created_at INTEGER NOT NULL,               -- Unix milliseconds
    UNIQUE (guardian, relative)
);

CREATE INDEX bindings_relative ON bindings (relative);
