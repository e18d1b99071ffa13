-- Reconsideration cases (行政复议): the application, the days the lists and
-- statistics select on, and what was recorded on the case as JSON.
CREATE TABLE reconsideration_cases (
  id          BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  applicant   MEDIUMTEXT NOT NULL,
  respondent  VARCHAR(100) NOT NULL,
  act         MEDIUMTEXT NOT NULL,
  received_on DATE NOT NULL,
  procedure_  VARCHAR(16) NOT NULL,
  dispute_id  BIGINT NULL,
  major       BOOLEAN NOT NULL,
  state       VARCHAR(32) NOT NULL,
  accepted_on DATE NULL,
  decided_on  DATE NULL,
  result      VARCHAR(32) NOT NULL,
  next_due    DATE NULL,
  record      MEDIUMTEXT NOT NULL,
  version     BIGINT NOT NULL,
  created_by  VARCHAR(100) NOT NULL,
  created_at  DATETIME(6) NOT NULL,
  updated_at  DATETIME(6) NOT NULL,
  KEY reconsideration_cases_respondent (respondent, received_on),
  KEY reconsideration_cases_received (received_on),
  KEY reconsideration_cases_queue (state, next_due)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
