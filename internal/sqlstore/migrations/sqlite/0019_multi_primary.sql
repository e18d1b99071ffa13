-- Several database nodes taking writes at once (db.multi_primary, issue 23;
-- MySQL only, the tables exist here so that both schemas match):
-- dispute_code_blocks records the blocks of dispute numbers a replica
-- reserves; audit_pending holds audit entries not yet sealed into the chain.
CREATE TABLE dispute_code_blocks (
  year        INTEGER NOT NULL,
  first       INTEGER NOT NULL,
  last        INTEGER NOT NULL,
  holder      TEXT NOT NULL,
  reserved_at DATETIME NOT NULL,
  PRIMARY KEY (year, first)
);
CREATE TABLE audit_pending (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  at            DATETIME NOT NULL,
  actor         TEXT NOT NULL,
  role          TEXT NOT NULL,
  action        TEXT NOT NULL,
  target_type   TEXT NOT NULL,
  target_id     TEXT NOT NULL,
  request_id    TEXT NOT NULL,
  before_digest TEXT NOT NULL,
  after_digest  TEXT NOT NULL,
  changes       TEXT NOT NULL
);
