-- Verifiable credentials (issue 16): what the bank issued, signed, and the W3C Bitstring
-- Status Lists that say which of them are revoked.

-- A status list: its bits (index 0 = the top bit of byte 0, as the W3C list counts;
-- PostgreSQL's set_bit counts from the bottom bit), bumped `version` and `changed_at`
-- on every change, and the signed BitstringStatusListCredential kept as text (served
-- byte for byte) with the version it was signed at: re-signed on the next read once
-- the bits changed since.
CREATE TABLE status_lists (
    number         integer PRIMARY KEY CHECK (number >= 1),
    size           integer NOT NULL CHECK (size >= 131072 AND size % 8 = 0),
    bits           bytea NOT NULL,
    version        bigint NOT NULL DEFAULT 1,
    changed_at     timestamptz NOT NULL,
    signed         text,
    signed_version bigint,
    signed_at      timestamptz,
    CHECK (octet_length(bits) * 8 = size)
);

-- Every credential issued: a programme certificate's OpenBadgeCredential (one per
-- certificate, `serial`) or a transcript's ClrCredential (a new one whenever what it
-- holds changed: the one before is superseded, never deleted, as someone may hold it).
-- `id` is the public id; the status index is drawn at random among the list's free
-- ones (sequential indexes would tell the order of issue). A transcript keeps which
-- conversions and certificates it holds, so that revoking one revokes it too, and the
-- fingerprint of its unsigned content (sha256 of the canonical JSON).
CREATE TABLE issued_credentials (
    id              uuid PRIMARY KEY,
    kind            text NOT NULL CHECK (kind IN ('CERTIFICATE', 'TRANSCRIPT')),
    learner_id      uuid NOT NULL,
    serial          text REFERENCES awarded_certificates (serial),
    status_list     integer NOT NULL REFERENCES status_lists (number),
    status_index    integer NOT NULL CHECK (status_index >= 0),
    document        text NOT NULL,
    fingerprint     text,
    conversion_ids  uuid[] NOT NULL DEFAULT '{}',
    serials         text[] NOT NULL DEFAULT '{}',
    issued_at       timestamptz NOT NULL,
    revoked_at      timestamptz,
    revoke_reason   text,
    superseded_at   timestamptz,
    UNIQUE (status_list, status_index),
    CHECK ((kind = 'CERTIFICATE') = (serial IS NOT NULL)),
    CHECK (kind = 'TRANSCRIPT' OR superseded_at IS NULL)
);
-- one credential per certificate; one current transcript per learner
CREATE UNIQUE INDEX issued_certificate ON issued_credentials (serial) WHERE kind = 'CERTIFICATE';
CREATE UNIQUE INDEX issued_current_transcript ON issued_credentials (learner_id)
    WHERE kind = 'TRANSCRIPT' AND superseded_at IS NULL;
-- a learner's credentials (revocations, closure)
CREATE INDEX issued_learner ON issued_credentials (learner_id, kind);
