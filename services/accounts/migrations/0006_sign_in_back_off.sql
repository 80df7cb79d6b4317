-- Sign-in attempts counted per email and per client address before the password is
-- checked; the next attempt of a key may not come before next_allowed_at (a back-off,
-- never a lock). The hard lock per email goes.
DROP TABLE sign_in_failures;

CREATE TABLE sign_in_attempts (
    scope           text NOT NULL CHECK (scope IN ('EMAIL', 'ADDRESS')),
    key             text NOT NULL,
    attempts        integer NOT NULL CHECK (attempts >= 0),
    last_at         timestamptz NOT NULL,
    next_allowed_at timestamptz,
    PRIMARY KEY (scope, key)
);
