-- 0002: identity hashes sealed under the service secret (issue 10), kinship
-- over time, pending revocations, a row readiness probes write.
-- New rows keep salt and sum empty and the hash in sealed; the program
-- seals the clear hashes of older rows when it opens the store with the
-- secret (secure_delete overwrites the freed bytes).

ALTER TABLE people ADD COLUMN sealed BLOB;
ALTER TABLE audit ADD COLUMN sealed BLOB;

ALTER TABLE bindings ADD COLUMN relative_last4 TEXT NOT NULL DEFAULT '';
ALTER TABLE bindings ADD COLUMN eligible_until INTEGER; -- Unix milliseconds; NULL: no end

CREATE TABLE revocations (
    seq        INTEGER NOT NULL PRIMARY KEY,
    serial     BLOB,             -- a code's serial, or NULL
    kid        BLOB,             -- the key that signed that code
    person     BLOB,             -- a person's HMAC, or NULL
    sealed     BLOB,             -- the person's sealed identity hash
    reason     TEXT    NOT NULL,
    token      TEXT    NOT NULL,
    request_id TEXT    NOT NULL,
    at         INTEGER NOT NULL  -- Unix seconds
);

CREATE TABLE health (
    id INTEGER NOT NULL PRIMARY KEY,
    at INTEGER NOT NULL
);
