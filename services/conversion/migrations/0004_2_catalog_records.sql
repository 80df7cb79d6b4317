-- The catalog in two languages: `name` is the English name, `name_zh` the Chinese;
-- descriptions in both (each optional).
ALTER TABLE majors
    ADD COLUMN name_zh text, ADD COLUMN description_en text, ADD COLUMN description_zh text;
ALTER TABLE courses
    ADD COLUMN name_zh text, ADD COLUMN description_en text, ADD COLUMN description_zh text;
ALTER TABLE credential_types
    ADD COLUMN name_zh text, ADD COLUMN description_en text, ADD COLUMN description_zh text;
ALTER TABLE certificate_programs
    ADD COLUMN name_zh text, ADD COLUMN description_en text, ADD COLUMN description_zh text;

-- Searching the catalog: a code matched exactly or by prefix, a name (either language)
-- or code holding the words, or trigram-similar English. ILIKE '%...%' of three
-- characters or more uses these indexes; shorter (two Chinese characters) scans the
-- catalog, which is small.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX majors_search ON majors USING gin
    ((code || ' ' || lower(name) || ' ' || coalesce(name_zh, '')) gin_trgm_ops);
CREATE INDEX courses_search ON courses USING gin
    ((code || ' ' || lower(name) || ' ' || coalesce(name_zh, '')) gin_trgm_ops);
CREATE INDEX credential_types_search ON credential_types USING gin
    ((code || ' ' || lower(name) || ' ' || coalesce(name_zh, '')) gin_trgm_ops);

-- the pages of courses by major, ordered by code
CREATE INDEX courses_major_code ON courses (major_code, code);

-- Every change of the catalog, kept: what it was and became, who (an admin's account,
-- NULL for the development seed) and when. `key` is the entry's code (a rule's id;
-- "caps" for the caps).
CREATE TABLE catalog_changes (
    id         bigserial PRIMARY KEY,
    kind       text NOT NULL,
    key        text NOT NULL,
    action     text NOT NULL,
    before     jsonb,
    after      jsonb,
    changed_by uuid,
    changed_at timestamptz NOT NULL
);
-- newest first, all of them, of one kind, or of one entry
CREATE INDEX catalog_changes_newest ON catalog_changes (changed_at DESC, id DESC);
CREATE INDEX catalog_changes_kind ON catalog_changes (kind, changed_at DESC, id DESC);
CREATE INDEX catalog_changes_entry ON catalog_changes (kind, key, changed_at DESC, id DESC);
-- an entry's history whatever its kind (a code filter without a kind)
CREATE INDEX catalog_changes_key ON catalog_changes (key, changed_at DESC, id DESC);
