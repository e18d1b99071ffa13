-- Several database nodes taking writes at once (db.multi_primary, issue 23):
-- no row that every write must update. dispute_code_blocks records the
-- blocks of dispute numbers each replica reserves from dispute_counters and
-- hands out itself: a number of a block that no dispute carries is a gap,
-- left by an intake that failed or a replica that stopped. audit_pending
-- holds the audit entries written but not yet sealed into the chain; the
-- sealer (SealAudit) chains them in id order and deletes them.
CREATE TABLE dispute_code_blocks (
  year        INT NOT NULL,
  first       BIGINT NOT NULL,
  last        BIGINT NOT NULL,
  holder      VARCHAR(128) NOT NULL,
  reserved_at DATETIME(6) NOT NULL,
  PRIMARY KEY (year, first)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE audit_pending (
  id            BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  at            DATETIME(6) NOT NULL,
  actor         VARCHAR(64) NOT NULL,
  role          VARCHAR(32) NOT NULL,
  action        VARCHAR(64) NOT NULL,
  target_type   VARCHAR(32) NOT NULL,
  target_id     VARCHAR(200) NOT NULL,
  request_id    VARCHAR(64) NOT NULL,
  before_digest CHAR(64) NOT NULL,
  after_digest  CHAR(64) NOT NULL,
  changes       LONGTEXT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
