-- Administrative lawsuits against the city's agencies (行政应诉), the facts
-- the statistics count (one row per case, figure and day), the monthly
-- rollups kept in the same transaction as every change, and the
-- interviews of agency heads (约谈).
CREATE TABLE litigation_cases (
  id                 INTEGER PRIMARY KEY AUTOINCREMENT,
  canonical          TEXT NOT NULL UNIQUE,
  as_entered         TEXT NOT NULL,
  year               INTEGER NOT NULL,
  court_code         TEXT NOT NULL,
  type_code          TEXT NOT NULL,
  serial             INTEGER NOT NULL,
  defendant          TEXT NOT NULL,
  plaintiff          TEXT NOT NULL,
  cause              TEXT NOT NULL,
  filed_on           TEXT NOT NULL,
  key_flags          TEXT NOT NULL,
  previous_id        INTEGER REFERENCES litigation_cases(id),
  reconsideration_id INTEGER REFERENCES reconsideration_cases(id),
  hearings           TEXT NOT NULL,
  result             TEXT NOT NULL,
  concluded_on       TEXT,
  loss_causes        TEXT NOT NULL,
  version            INTEGER NOT NULL,
  created_by         TEXT NOT NULL,
  created_at         DATETIME NOT NULL,
  updated_at         DATETIME NOT NULL
);
CREATE INDEX litigation_cases_defendant ON litigation_cases(defendant, filed_on);
CREATE INDEX litigation_cases_filed ON litigation_cases(filed_on);
CREATE INDEX litigation_cases_reconsideration ON litigation_cases(reconsideration_id);
CREATE TABLE litigation_facts (
  case_id INTEGER NOT NULL REFERENCES litigation_cases(id),
  figure  TEXT NOT NULL,
  on_day  TEXT NOT NULL,
  month   TEXT NOT NULL,
  agency  TEXT NOT NULL,
  PRIMARY KEY (case_id, figure, on_day)
);
CREATE INDEX litigation_facts_window ON litigation_facts(figure, on_day, agency);
CREATE TABLE litigation_rollup (
  agency TEXT NOT NULL,
  month  TEXT NOT NULL,
  figure TEXT NOT NULL,
  n      INTEGER NOT NULL,
  PRIMARY KEY (month, agency, figure)
);
CREATE TABLE litigation_interviews (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  agency        TEXT NOT NULL,
  year          INTEGER NOT NULL,
  held_on       TEXT NOT NULL,
  interviewee   TEXT NOT NULL,
  interviewer   TEXT NOT NULL,
  causes        TEXT NOT NULL,
  rectification TEXT NOT NULL,
  follow_up     TEXT NOT NULL,
  follow_up_on  TEXT,
  version       INTEGER NOT NULL,
  created_by    TEXT NOT NULL,
  created_at    DATETIME NOT NULL,
  updated_at    DATETIME NOT NULL
);
CREATE INDEX litigation_interviews_agency ON litigation_interviews(agency, year);
