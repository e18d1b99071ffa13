-- Foundation: users, sessions, lock-out, orgs, the audit chain, idempotency keys.
-- utf8mb4_bin: what is a duplicate is decided by the application's
-- normalisation, never by a collation (DESIGN.md, "Keys").
CREATE TABLE users (
  id            BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  username      VARCHAR(64) NOT NULL,
  password_hash VARCHAR(255) NOT NULL,
  role          VARCHAR(32) NOT NULL,
  org_code      VARCHAR(64) NOT NULL DEFAULT '',
  active        TINYINT(1) NOT NULL DEFAULT 1,
  version       BIGINT NOT NULL DEFAULT 1,
  created_at    DATETIME(6) NOT NULL,
  updated_at    DATETIME(6) NOT NULL,
  UNIQUE KEY users_username (username)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE sessions (
  token_hash   CHAR(64) NOT NULL PRIMARY KEY,
  user_id      BIGINT NOT NULL,
  created_at   DATETIME(6) NOT NULL,
  last_seen_at DATETIME(6) NOT NULL,
  KEY sessions_user (user_id),
  CONSTRAINT sessions_user_fk FOREIGN KEY (user_id) REFERENCES users(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE login_failures (
  id        BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  username  VARCHAR(64) NOT NULL,
  failed_at DATETIME(6) NOT NULL,
  KEY login_failures_user (username, failed_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE login_locks (
  username     VARCHAR(64) NOT NULL PRIMARY KEY,
  locked_until DATETIME(6) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE orgs (
  id          BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  code        VARCHAR(64) NOT NULL,
  name        VARCHAR(200) NOT NULL,
  kind        VARCHAR(16) NOT NULL,
  parent_code VARCHAR(64) NOT NULL DEFAULT '',
  version     BIGINT NOT NULL DEFAULT 1,
  created_at  DATETIME(6) NOT NULL,
  updated_at  DATETIME(6) NOT NULL,
  UNIQUE KEY orgs_code (code),
  KEY orgs_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE org_aliases (
  alias    VARCHAR(200) NOT NULL PRIMARY KEY,
  org_code VARCHAR(64) NOT NULL,
  position INT NOT NULL,
  KEY org_aliases_org (org_code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE audit_log (
  seq           BIGINT NOT NULL PRIMARY KEY,
  at            DATETIME(6) NOT NULL,
  actor         VARCHAR(64) NOT NULL,
  role          VARCHAR(32) NOT NULL,
  action        VARCHAR(64) NOT NULL,
  target_type   VARCHAR(32) NOT NULL,
  target_id     VARCHAR(200) NOT NULL,
  request_id    VARCHAR(64) NOT NULL,
  before_digest CHAR(64) NOT NULL,
  after_digest  CHAR(64) NOT NULL,
  prev_hash     CHAR(64) NOT NULL,
  hash          CHAR(64) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE audit_head (
  id   INT NOT NULL PRIMARY KEY,
  seq  BIGINT NOT NULL,
  hash CHAR(64) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
CREATE TABLE idempotency_keys (
  user_id      BIGINT NOT NULL,
  idem_key     VARCHAR(200) NOT NULL,
  request_hash CHAR(64) NOT NULL,
  state        VARCHAR(16) NOT NULL,
  status_code  INT NOT NULL DEFAULT 0,
  location     VARCHAR(500) NOT NULL DEFAULT '',
  body         MEDIUMBLOB,
  created_at   DATETIME(6) NOT NULL,
  expires_at   DATETIME(6) NOT NULL,
  PRIMARY KEY (user_id, idem_key),
  KEY idempotency_keys_expiry (expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
