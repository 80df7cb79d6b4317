CREATE TABLE accounts (
    id            uuid PRIMARY KEY,
    role          text NOT NULL CHECK (role IN ('LEARNER', 'REVIEWER', 'INSTITUTION', 'ADMIN')),
    email         text NOT NULL,
    display_name  text NOT NULL,
    password_hash text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX accounts_email ON accounts (lower(email));
