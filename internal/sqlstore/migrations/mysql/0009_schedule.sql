-- Scheduled jobs, events and notifications, the audit archive and the
-- frozen monthly figures.
--
-- job_runs: one row per (job, tick); inserting it claims the tick, so that
-- with several replicas on one database each tick runs once. A run whose
-- lease ran out while still "running" (its replica died) is taken over.
CREATE TABLE job_runs (
  job          VARCHAR(64) NOT NULL,
  scheduled_at DATETIME(6) NOT NULL,
  replica      VARCHAR(100) NOT NULL,
  attempt      INT NOT NULL,
  started_at   DATETIME(6) NOT NULL,
  lease_until  DATETIME(6) NOT NULL,
  finished_at  DATETIME(6) NULL,
  outcome      VARCHAR(16) NOT NULL,
  error        VARCHAR(1000) NOT NULL,
  PRIMARY KEY (job, scheduled_at),
  KEY job_runs_outcome (outcome, lease_until),
  KEY job_runs_scheduled (scheduled_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
-- job_locks: one row per job, held by the run in progress until its lease
-- ends, so that a job never overlaps itself across replicas.
CREATE TABLE job_locks (
  job          VARCHAR(64) NOT NULL PRIMARY KEY,
  replica      VARCHAR(100) NOT NULL,
  scheduled_at DATETIME(6) NULL,
  lease_until  DATETIME(6) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
-- events: the outbox. An event is written in the same transaction as what
-- it reports, once under its key; its in-app notifications and webhook
-- deliveries are written with it.
CREATE TABLE events (
  id           BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  event_key    VARCHAR(191) NOT NULL,
  kind         VARCHAR(64) NOT NULL,
  subject_type VARCHAR(32) NOT NULL,
  subject_id   BIGINT NOT NULL,
  title        VARCHAR(500) NOT NULL,
  due_on       DATE NULL,
  created_at   DATETIME(6) NOT NULL,
  UNIQUE KEY events_key (event_key),
  KEY events_subject (subject_type, subject_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE notifications (
  id         BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  event_id   BIGINT NOT NULL,
  username   VARCHAR(64) NOT NULL,
  created_at DATETIME(6) NOT NULL,
  read_at    DATETIME(6) NULL,
  UNIQUE KEY notifications_event (username, event_id),
  KEY notifications_user (username, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE webhook_deliveries (
  event_id     BIGINT NOT NULL,
  webhook      VARCHAR(100) NOT NULL,
  state        VARCHAR(16) NOT NULL,
  attempts     INT NOT NULL,
  next_at      DATETIME(6) NOT NULL,
  last_error   VARCHAR(1000) NOT NULL,
  delivered_at DATETIME(6) NULL,
  PRIMARY KEY (event_id, webhook),
  KEY webhook_deliveries_due (state, next_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
-- audit_archive: entries past the retention period, moved out of the live
-- log unchanged; verification walks the archive and then the log as one
-- chain.
CREATE TABLE audit_archive (
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
  hash          CHAR(64) NOT NULL,
  archived_at   DATETIME(6) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
-- litigation_snapshots: each month's figures by agency, frozen once the
-- month is over, for trends that later corrections do not rewrite.
CREATE TABLE litigation_snapshots (
  month    CHAR(7) NOT NULL,
  agency   VARCHAR(100) NOT NULL,
  figure   VARCHAR(24) NOT NULL,
  n        INT NOT NULL,
  taken_at DATETIME(6) NOT NULL,
  PRIMARY KEY (month, agency, figure)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX mediation_cases_due ON mediation_cases(next_due);
