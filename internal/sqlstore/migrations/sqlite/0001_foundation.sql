-- Foundation: users, sessions, lock-out, orgs, the audit chain, idempotency keys.
CREATE TABLE users (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  username      TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  role          TEXT NOT NULL,
  org_code      TEXT NOT NULL DEFAULT '',
  active        INTEGER NOT NULL DEFAULT 1,
  version       INTEGER NOT NULL DEFAULT 1,
  created_at    DATETIME NOT NULL,
  updated_at    DATETIME NOT NULL
);
CREATE TABLE sessions (
  token_hash   TEXT PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES users(id),
  created_at   DATETIME NOT NULL,
  last_seen_at DATETIME NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE TABLE login_failures (
  id        INTEGER PRIMARY KEY AUTOINCREMENT,
  username  TEXT NOT NULL,
  failed_at DATETIME NOT NULL
);
CREATE INDEX login_failures_user ON login_failures(username, failed_at);
CREATE TABLE login_locks (
  username     TEXT PRIMARY KEY,
  locked_until DATETIME NOT NULL
);
CREATE TABLE orgs (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  code        TEXT NOT NULL UNIQUE,
  name        TEXT NOT NULL,
  kind        TEXT NOT NULL,
  parent_code TEXT NOT NULL DEFAULT '',
  version     INTEGER NOT NULL DEFAULT 1,
  created_at  DATETIME NOT NULL,
  updated_at  DATETIME NOT NULL
);
CREATE INDEX orgs_name ON orgs(name);
CREATE TABLE org_aliases (
  alias    TEXT PRIMARY KEY,
  org_code TEXT NOT NULL,
  position INTEGER NOT NULL
);
CREATE INDEX org_aliases_org ON org_aliases(org_code);
CREATE TABLE audit_log (
  seq           INTEGER PRIMARY KEY,
  at            DATETIME NOT NULL,
  actor         TEXT NOT NULL,
  role          TEXT NOT NULL,
  action        TEXT NOT NULL,
  target_type   TEXT NOT NULL,
  target_id     TEXT NOT NULL,
  request_id    TEXT NOT NULL,
  before_digest TEXT NOT NULL,
  after_digest  TEXT NOT NULL,
  prev_hash     TEXT NOT NULL,
  hash          TEXT NOT NULL
);
CREATE TABLE audit_head (
  id   INTEGER PRIMARY KEY CHECK (id = 1),
  seq  INTEGER NOT NULL,
  hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
CREATE TABLE idempotency_keys (
  user_id      INTEGER NOT NULL,
  idem_key     TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  state        TEXT NOT NULL,
  status_code  INTEGER NOT NULL DEFAULT 0,
  location     TEXT NOT NULL DEFAULT '',
  body         BLOB,
  created_at   DATETIME NOT NULL,
  expires_at   DATETIME NOT NULL,
  PRIMARY KEY (user_id, idem_key)
);
CREATE INDEX idempotency_keys_expiry ON idempotency_keys(expires_at);
