-- the accounts this service heard of (account.opened): who is an admin, and the name
-- an institution's message shows for a learner; a closed account keeps its role only
CREATE TABLE accounts (
    id           uuid PRIMARY KEY,
    role         text NOT NULL,
    display_name text,
    closed_at    timestamptz
);
CREATE INDEX accounts_role ON accounts (role) WHERE closed_at IS NULL;

-- the learner's results as outcome.submitted told them: a decision's message names
-- the result's title; erased with the account
CREATE TABLE outcomes (
    id         uuid PRIMARY KEY,
    learner_id uuid NOT NULL,
    title      text NOT NULL
);
CREATE INDEX outcomes_learner ON outcomes (learner_id);

-- one message to one account; its title and body are rendered when read, in the
-- reader's language, from its kind and params (domain/messages.py). `position`
-- orders the live stream; (created_at, id) pages the inbox, newest first.
CREATE TABLE messages (
    id         uuid PRIMARY KEY,
    position   bigserial UNIQUE,
    account_id uuid NOT NULL,
    kind       text NOT NULL,
    about_type text NOT NULL,
    about_id   text NOT NULL,
    params     jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL,
    read_at    timestamptz,
    event_id   uuid NOT NULL,
    -- an event makes at most one message per account, so a redelivery adds none
    UNIQUE (event_id, account_id)
);
CREATE INDEX messages_inbox ON messages (account_id, created_at DESC, id DESC);
CREATE INDEX messages_unread ON messages (account_id, created_at DESC, id DESC)
    WHERE read_at IS NULL;

-- what each account chose (no row: the defaults, zh-CN and no e-mail)
CREATE TABLE preferences (
    account_id  uuid PRIMARY KEY,
    language    text NOT NULL DEFAULT 'zh-CN',
    email       text,
    email_kinds text[] NOT NULL DEFAULT '{}',
    updated_at  timestamptz NOT NULL
);
