-- The highest certification `sequence` applied, so a late, older event never
-- overwrites a newer status.
ALTER TABLE outcomes
    ADD COLUMN case_sequence     integer NOT NULL DEFAULT 0,
    ADD COLUMN status_changed_at timestamptz NOT NULL DEFAULT now();

-- Uploaded files: the row appears once every byte is stored and checked.
CREATE TABLE evidence (
    id           uuid PRIMARY KEY,
    owner_id     uuid NOT NULL,
    filename     text NOT NULL,
    content_type text NOT NULL,
    size         bigint NOT NULL CHECK (size > 0),
    sha256       text NOT NULL,
    uploaded_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX evidence_owner_sha ON evidence (owner_id, sha256);

-- The bytes, in order. Chunks written while an upload streams in; an upload
-- that never completes leaves chunks without an evidence row, swept later.
CREATE TABLE evidence_chunks (
    upload_id  uuid NOT NULL,
    seq        integer NOT NULL,
    data       bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (upload_id, seq)
);
-- PDF, PNG and JPEG are compressed already: skip TOAST compression.
ALTER TABLE evidence_chunks ALTER COLUMN data SET STORAGE EXTERNAL;
CREATE INDEX evidence_chunks_age ON evidence_chunks (created_at);

CREATE TABLE outcome_evidence (
    outcome_id  uuid NOT NULL REFERENCES outcomes (id),
    evidence_id uuid NOT NULL REFERENCES evidence (id),
    position    integer NOT NULL,
    attached_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (outcome_id, evidence_id)
);
CREATE INDEX outcome_evidence_evidence ON outcome_evidence (evidence_id);

-- What the learner wrote when answering a request for information.
CREATE TABLE resubmissions (
    id         bigserial PRIMARY KEY,
    outcome_id uuid NOT NULL REFERENCES outcomes (id),
    note       text NOT NULL,
    at         timestamptz NOT NULL DEFAULT now()
);

-- Our copy of consents, from consent.granted / consent.revoked.
CREATE TABLE consents (
    consent_id     uuid PRIMARY KEY,
    learner_id     uuid NOT NULL,
    institution_id uuid NOT NULL,
    expires_at     timestamptz,
    revoked_at     timestamptz
);
CREATE INDEX consents_pair ON consents (institution_id, learner_id);
