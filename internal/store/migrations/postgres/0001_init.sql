-- 0001: the signing service's state on PostgreSQL (SPEC.md §5.3).
-- People are keyed by HMAC-SHA256(service secret, normalised ID number);
-- no ID number is stored, and identity hashes are sealed (AES-256-GCM under
-- a key derived from the service secret): the tables hold no clear salt or
-- digest.

CREATE TABLE people (
    person       bytea       NOT NULL PRIMARY KEY, -- 32-byte HMAC of the ID number
    hash_version smallint    NOT NULL,
    sealed       bytea       NOT NULL,             -- sealed identity hash
    created_at   bigint      NOT NULL              -- Unix milliseconds
);

-- The audit trail. Instances insert concurrently (their commits share WAL
-- flushes); seq, the export cursor, is assigned after commit by a
-- sequencer that runs under an advisory lock, so a reader paging with
-- seq > N never skips a record that commits late.
CREATE SEQUENCE audit_seq;

CREATE TABLE audit (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    seq          bigint      UNIQUE,               -- trail order; NULL until sequenced
    serial       bytea       NOT NULL UNIQUE,      -- cti, 12 bytes
    person       bytea       NOT NULL,
    hash_version smallint    NOT NULL,
    sealed       bytea       NOT NULL,
    colour       smallint    NOT NULL,
    kind         smallint    NOT NULL,
    iat          bigint      NOT NULL,             -- Unix seconds
    exp          bigint      NOT NULL,             -- Unix seconds
    kid          bytea       NOT NULL,             -- 8 bytes
    token        text        NOT NULL,             -- name of the API token that asked
    request_id   text        NOT NULL,
    binding_id   text                              -- set for kinship codes
);

CREATE INDEX audit_iat ON audit (iat);
CREATE INDEX audit_unsequenced ON audit (id) WHERE seq IS NULL;

-- One row per person who is a guardian or a relative: a binding locks the
-- guardian's and the relative's rows (FOR UPDATE through an upsert) before
-- it counts their bindings, so the limits hold across instances.
CREATE TABLE kin_people (
    person bytea NOT NULL PRIMARY KEY
);

CREATE TABLE bindings (
    id             text     NOT NULL PRIMARY KEY,
    guardian       bytea    NOT NULL,
    relative       bytea    NOT NULL,
    relation       text     NOT NULL,
    relative_last4 text     NOT NULL,
    created_at     bigint   NOT NULL,             -- Unix milliseconds
    eligible_until bigint,                        -- Unix milliseconds; NULL: no end
    UNIQUE (guardian, relative)
);

CREATE INDEX bindings_relative ON bindings (relative);

CREATE TABLE revocations (
    seq        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    serial     bytea,            -- a code's serial, or NULL
    kid        bytea,            -- the key that signed that code
    person     bytea,            -- a person's HMAC, or NULL
    sealed     bytea,            -- the person's sealed identity hash
    reason     text   NOT NULL,
    token      text   NOT NULL,
    request_id text   NOT NULL,
    at         bigint NOT NULL   -- Unix seconds
);

CREATE TABLE health (
    id integer NOT NULL PRIMARY KEY,
    at bigint  NOT NULL
);
