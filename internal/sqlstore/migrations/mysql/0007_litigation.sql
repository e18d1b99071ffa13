-- Administrative lawsuits against the city's agencies (行政应诉), the facts
-- the statistics count (one row per case, figure and day), the monthly
-- rollups kept in the same transaction as every change, and the
-- interviews of agency heads (约谈).
CREATE TABLE litigation_cases (
  id                 BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  canonical          VARCHAR(64) NOT NULL,
  as_entered         VARCHAR(200) NOT NULL,
  year               INT NOT NULL,
  court_code         VARCHAR(16) NOT NULL,
  type_code          VARCHAR(16) NOT NULL,
  serial             INT NOT NULL,
  defendant          VARCHAR(100) NOT NULL,
  plaintiff          MEDIUMTEXT NOT NULL,
  cause              VARCHAR(500) NOT NULL,
  filed_on           DATE NOT NULL,
  key_flags          VARCHAR(200) NOT NULL,
  previous_id        BIGINT NULL,
  reconsideration_id BIGINT NULL,
  hearings           MEDIUMTEXT NOT NULL,
  result             VARCHAR(32) NOT NULL,
  concluded_on       DATE NULL,
  loss_causes        VARCHAR(200) NOT NULL,
  version            BIGINT NOT NULL,
  created_by         VARCHAR(100) NOT NULL,
  created_at         DATETIME(6) NOT NULL,
  updated_at         DATETIME(6) NOT NULL,
  UNIQUE KEY litigation_cases_canonical (canonical),
  KEY litigation_cases_defendant (defendant, filed_on),
  KEY litigation_cases_filed (filed_on),
  KEY litigation_cases_reconsideration (reconsideration_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE litigation_facts (
  case_id BIGINT NOT NULL,
  figure  VARCHAR(24) NOT NULL,
  on_day  DATE NOT NULL,
  month   CHAR(7) NOT NULL,
  agency  VARCHAR(100) NOT NULL,
  PRIMARY KEY (case_id, figure, on_day),
  KEY litigation_facts_window (figure, on_day, agency)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE litigation_rollup (
  agency VARCHAR(100) NOT NULL,
  month  CHAR(7) NOT NULL,
  figure VARCHAR(24) NOT NULL,
  n      INT NOT NULL,
  PRIMARY KEY (month, agency, figure)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE litigation_interviews (
  id            BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  agency        VARCHAR(100) NOT NULL,
  year          INT NOT NULL,
  held_on       DATE NOT NULL,
  interviewee   VARCHAR(200) NOT NULL,
  interviewer   VARCHAR(200) NOT NULL,
  causes        VARCHAR(200) NOT NULL,
  rectification MEDIUMTEXT NOT NULL,
  follow_up     MEDIUMTEXT NOT NULL,
  follow_up_on  DATE NULL,
  version       BIGINT NOT NULL,
  created_by    VARCHAR(100) NOT NULL,
  created_at    DATETIME(6) NOT NULL,
  updated_at    DATETIME(6) NOT NULL,
  KEY litigation_interviews_agency (agency, year)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
