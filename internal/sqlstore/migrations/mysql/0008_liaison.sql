-- Court caseload sync and the 府院联动 ledger: the imports, the court's own
-- rows (its view of each case, by canonical case number, for
-- reconciliation), the joint-meeting issues with their reports and
-- comments, and the court's judicial suggestions.
CREATE TABLE court_imports (
  id          BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name        VARCHAR(200) NOT NULL,
  by_user     VARCHAR(100) NOT NULL,
  rows_read   INT NOT NULL,
  created     INT NOT NULL,
  updated     INT NOT NULL,
  unchanged   INT NOT NULL,
  rejected    INT NOT NULL,
  started_at  DATETIME(6) NOT NULL,
  finished_at DATETIME(6) NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE court_rows (
  canonical  VARCHAR(64) NOT NULL PRIMARY KEY,
  import_id  BIGINT NOT NULL,
  line       INT NOT NULL,
  defendant  VARCHAR(100) NOT NULL,
  filed_on   DATE NOT NULL,
  held_on    DATE NULL,
  result     VARCHAR(32) NOT NULL,
  concluded_on DATE NULL,
  KEY court_rows_filed (filed_on)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE ledger_issues (
  id          BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  meeting     VARCHAR(200) NOT NULL,
  title       VARCHAR(500) NOT NULL,
  lead_unit   VARCHAR(100) NOT NULL,
  co_units    VARCHAR(1000) NOT NULL,
  deadline    DATE NOT NULL,
  state       VARCHAR(32) NOT NULL,
  record      MEDIUMTEXT NOT NULL,
  closed_on   DATE NULL,
  version     BIGINT NOT NULL,
  created_by  VARCHAR(100) NOT NULL,
  created_at  DATETIME(6) NOT NULL,
  updated_at  DATETIME(6) NOT NULL,
  KEY ledger_issues_state (state, deadline)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE judicial_suggestions (
  id          BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  court       VARCHAR(200) NOT NULL,
  number      VARCHAR(100) NOT NULL,
  addressee   VARCHAR(100) NOT NULL,
  subject     VARCHAR(500) NOT NULL,
  content     MEDIUMTEXT NOT NULL,
  received_on DATE NOT NULL,
  replied_on  DATE NULL,
  reply       MEDIUMTEXT NOT NULL,
  version     BIGINT NOT NULL,
  created_by  VARCHAR(100) NOT NULL,
  created_at  DATETIME(6) NOT NULL,
  updated_at  DATETIME(6) NOT NULL,
  KEY judicial_suggestions_addressee (addressee, received_on)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
