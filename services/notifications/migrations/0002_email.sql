-- e-mails of messages (service_layer/email.py): queued in the transaction that stores
-- the message when the account's preferences send its kind by e-mail, to the address
-- and in the language chosen then; rendered from the message when sent by the `email`
-- job, which claims due ones (FOR UPDATE SKIP LOCKED, so two replicas never send the
-- same one) and retries a failure with back-off until a day after queuing (then
-- failed_at). Erased with the message, so with the account (account.closed).
CREATE TABLE emails (
    id              uuid PRIMARY KEY,
    message_id      uuid NOT NULL UNIQUE REFERENCES messages (id) ON DELETE CASCADE,
    account_id      uuid NOT NULL,
    recipient       text NOT NULL,
    language        text NOT NULL,
    queued_at       timestamptz NOT NULL,
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    sent_at         timestamptz,
    failed_at       timestamptz,
    last_error      text
);
CREATE INDEX emails_due ON emails (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
