-- The mediation lifecycle: what was recorded on a case (sessions, the
-- agreement or failure, judicial confirmation) as JSON, the days the
-- queue and the reports select on, and the follow-up visits with their
-- ratings and rectifications, one row each.
ALTER TABLE mediation_cases ADD COLUMN tier VARCHAR(16) NOT NULL DEFAULT '';
ALTER TABLE mediation_cases ADD COLUMN accepted_on DATE NULL;
ALTER TABLE mediation_cases ADD COLUMN closed_on DATE NULL;
ALTER TABLE mediation_cases ADD COLUMN next_due DATE NULL;
ALTER TABLE mediation_cases ADD COLUMN subsidy_on DATE NULL;
ALTER TABLE mediation_cases ADD COLUMN dossier MEDIUMTEXT NULL;
CREATE INDEX mediation_cases_queue ON mediation_cases(assignee, next_due, id);
CREATE INDEX mediation_cases_subsidy ON mediation_cases(subsidy_on);
CREATE TABLE mediation_followups (
  id            BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  case_id       BIGINT NOT NULL,
  seq           INT NOT NULL,
  on_day        DATE NOT NULL,
  rating        INT NOT NULL,
  performed     BOOLEAN NOT NULL,
  comment       MEDIUMTEXT NOT NULL,
  by_user       VARCHAR(100) NOT NULL,
  rectification BOOLEAN NOT NULL,
  rectified_on  DATE NULL,
  rectify_action MEDIUMTEXT NULL,
  UNIQUE KEY mediation_followups_case (case_id, seq),
  KEY mediation_followups_on (on_day)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
