-- Disputes (parties kept with the dispute; their ID numbers indexed for
-- repeat detection), routing history, mediation cases as routing
-- opens them, and versioned routing rules.
CREATE TABLE routing_rule_sets (
  version    INT NOT NULL PRIMARY KEY,
  doc        MEDIUMTEXT NOT NULL,
  created_at DATETIME(6) NOT NULL,
  created_by VARCHAR(100) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE dispute_counters (
  year INT NOT NULL PRIMARY KEY,
  last BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE disputes (
  id            BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  code          VARCHAR(32) NOT NULL UNIQUE,
  title         VARCHAR(500) NOT NULL,
  description   MEDIUMTEXT NOT NULL,
  category      VARCHAR(100) NOT NULL,
  source        VARCHAR(100) NOT NULL,
  source_ref    VARCHAR(500) NOT NULL,
  township      VARCHAR(500) NOT NULL,
  amount_fen    BIGINT NOT NULL,
  occurred_on   DATE,
  received_on   DATE NOT NULL,
  flags         VARCHAR(500) NOT NULL,
  recused       VARCHAR(500) NOT NULL,
  parties       MEDIUMTEXT NOT NULL,
  status        VARCHAR(100) NOT NULL,
  priority      VARCHAR(100) NOT NULL,
  track         VARCHAR(100) NOT NULL,
  org_code      VARCHAR(100) NOT NULL,
  assignee      VARCHAR(100) NOT NULL,
  rule          VARCHAR(500) NOT NULL,
  reason        MEDIUMTEXT NOT NULL,
  guidance      MEDIUMTEXT NOT NULL,
  clock_rule    VARCHAR(100) NOT NULL,
  due_on        DATE,
  basis         VARCHAR(500) NOT NULL,
  intake_org    VARCHAR(100) NOT NULL,
  repeat_of     BIGINT,
  rules_version BIGINT NOT NULL,
  version       BIGINT NOT NULL,
  created_by    VARCHAR(100) NOT NULL,
  created_at    DATETIME(6) NOT NULL,
  updated_at    DATETIME(6) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX disputes_priority ON disputes(priority, id);
CREATE INDEX disputes_org ON disputes(org_code, id);
CREATE INDEX disputes_intake_org ON disputes(intake_org, id);
CREATE INDEX disputes_category ON disputes(category, received_on);
CREATE TABLE dispute_party_ids (
  id_number  VARCHAR(100) NOT NULL,
  dispute_id BIGINT NOT NULL,
  PRIMARY KEY (id_number, dispute_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE dispute_history (
  id         BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  dispute_id BIGINT NOT NULL ,
  track      VARCHAR(100) NOT NULL,
  org_code   VARCHAR(100) NOT NULL,
  assignee   VARCHAR(100) NOT NULL,
  rule       VARCHAR(500) NOT NULL,
  reason     MEDIUMTEXT NOT NULL,
  at         DATETIME(6) NOT NULL,
  by_user    VARCHAR(100) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX dispute_history_dispute ON dispute_history(dispute_id, id);
CREATE TABLE mediation_cases (
  id          BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  dispute_id  BIGINT NOT NULL ,
  track       VARCHAR(100) NOT NULL,
  org_code    VARCHAR(100) NOT NULL,
  assignee    VARCHAR(100) NOT NULL,
  state       VARCHAR(100) NOT NULL,
  opened_on   DATE NOT NULL,
  assigned_at DATETIME(6),
  clock_rule  VARCHAR(100) NOT NULL,
  assign_reason VARCHAR(500) NOT NULL,
  version     BIGINT NOT NULL,
  created_at  DATETIME(6) NOT NULL,
  updated_at  DATETIME(6) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX mediation_cases_org ON mediation_cases(org_code, state, assignee);
CREATE INDEX mediation_cases_assignee ON mediation_cases(assignee, state);
CREATE INDEX mediation_cases_dispute ON mediation_cases(dispute_id);
CREATE TABLE mediation_assignments (
  id       BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  case_id  BIGINT NOT NULL ,
  assignee VARCHAR(100) NOT NULL,
  reason   MEDIUMTEXT NOT NULL,
  at       DATETIME(6) NOT NULL,
  by_user  VARCHAR(100) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX mediation_assignments_case ON mediation_assignments(case_id);
