-- Schema version 2: what a newsroom server adds to a shared library. People sign in with a
-- password (an argon2id hash, never the password), hold sessions (only a hash of each token is
-- kept), and every sign-in, failed sign-in and admin action is written to an audit log.

CREATE TABLE accounts (
    user_id       bigint PRIMARY KEY REFERENCES users (id),
    password_hash text,
    disabled_at   bigint,
    changed_at    bigint NOT NULL
);

CREATE TABLE sessions (
    token_hash bytea PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users (id),
    created_at bigint NOT NULL,
    last_seen  bigint NOT NULL,
    address    text NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Failed sign-ins, by the email tried and by the address they came from, for slowing down
-- whoever guesses; old rows are of no use and are pruned as new ones arrive.
CREATE TABLE sign_in_failures (
    email   text NOT NULL,
    address text NOT NULL,
    at      bigint NOT NULL
);
CREATE INDEX sign_in_failures_email ON sign_in_failures (lower(email), at);
CREATE INDEX sign_in_failures_address ON sign_in_failures (address, at);

CREATE TABLE audit_log (
    id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at      bigint NOT NULL,
    actor   bigint REFERENCES users (id),
    action  text NOT NULL,
    subject text NOT NULL DEFAULT '',
    address text NOT NULL DEFAULT '',
    detail  text NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at DESC);

-- A request's answer kept under the key its client chose, so a request retried after a
-- timeout is answered again instead of being carried out twice. `status` is NULL while the
-- first attempt is still running.
CREATE TABLE idempotent_requests (
    user_id     bigint NOT NULL REFERENCES users (id),
    key         text NOT NULL,
    fingerprint bytea NOT NULL,
    status      integer,
    body        text,
    at          bigint NOT NULL,
    PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotent_requests_at ON idempotent_requests (at);

-- Who has which article open, and whether to edit it: kept alive by the client, gone when it
-- stops saying so.
CREATE TABLE presence (
    article_id bigint NOT NULL REFERENCES articles (id),
    user_id    bigint NOT NULL REFERENCES users (id),
    editing    boolean NOT NULL,
    until      bigint NOT NULL,
    PRIMARY KEY (article_id, user_id)
);
