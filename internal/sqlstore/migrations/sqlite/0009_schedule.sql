-- Scheduled jobs, events and notifications, the audit archive and the
-- frozen monthly figures.
--
-- job_runs: one row per (job, tick); inserting it claims the tick, so that
-- with several replicas on one database each tick runs once. A run whose
-- lease ran out while still "running" (its replica died) is taken over.
CREATE TABLE job_runs (
  job          TEXT NOT NULL,
  scheduled_at DATETIME NOT NULL,
  replica      TEXT NOT NULL,
  attempt      INT NOT NULL,
  started_at   DATETIME NOT NULL,
  lease_until  DATETIME NOT NULL,
  finished_at  DATETIME NULL,
  outcome      TEXT NOT NULL,
  error        TEXT NOT NULL,
  PRIMARY KEY (job, scheduled_at)
);
CREATE INDEX job_runs_outcome ON job_runs(outcome, lease_until);
CREATE INDEX job_runs_scheduled ON job_runs(scheduled_at);
-- job_locks: one row per job, held by the run in progress until its lease
-- ends, so that a job never overlaps itself across replicas.
CREATE TABLE job_locks (
  job          TEXT NOT NULL PRIMARY KEY,
  replica      TEXT NOT NULL,
  scheduled_at DATETIME NULL,
  lease_until  DATETIME NOT NULL
);
-- events: the outbox. An event is written in the same transaction as what
-- it reports, once under its key; its in-app notifications and webhook
-- deliveries are written with it.
CREATE TABLE events (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  event_key    TEXT NOT NULL,
  kind         TEXT NOT NULL,
  subject_type TEXT NOT NULL,
  subject_id   BIGINT NOT NULL,
  title        TEXT NOT NULL,
  due_on       DATE NULL,
  created_at   DATETIME NOT NULL
);
CREATE UNIQUE INDEX events_key ON events(event_key);
CREATE INDEX events_subject ON events(subject_type, subject_id);
CREATE TABLE notifications (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id   BIGINT NOT NULL,
  username   TEXT NOT NULL,
  created_at DATETIME NOT NULL,
  read_at    DATETIME NULL
);
CREATE UNIQUE INDEX notifications_event ON notifications(username, event_id);
CREATE INDEX notifications_user ON notifications(username, id);
CREATE TABLE webhook_deliveries (
  event_id     BIGINT NOT NULL,
  webhook      TEXT NOT NULL,
  state        TEXT NOT NULL,
  attempts     INT NOT NULL,
  next_at      DATETIME NOT NULL,
  last_error   TEXT NOT NULL,
  delivered_at DATETIME NULL,
  PRIMARY KEY (event_id, webhook)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(state, next_at);
-- audit_archive: entries past the retention period, moved out of the live
-- log unchanged; verification walks the archive and then the log as one
-- chain.
CREATE TABLE audit_archive (
  seq           BIGINT NOT NULL PRIMARY KEY,
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
  hash          TEXT NOT NULL,
  archived_at   DATETIME NOT NULL
);
-- litigation_snapshots: each month's figures by agency, frozen once the
-- month is over, for trends that later corrections do not rewrite.
CREATE TABLE litigation_snapshots (
  month    TEXT NOT NULL,
  agency   TEXT NOT NULL,
  figure   TEXT NOT NULL,
  n        INT NOT NULL,
  taken_at DATETIME NOT NULL,
  PRIMARY KEY (month, agency, figure)
);
CREATE INDEX mediation_cases_due ON mediation_cases(next_due);
