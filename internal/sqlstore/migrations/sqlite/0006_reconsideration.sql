-- Reconsideration cases (行政复议): the application, the days the lists and
-- statistics select on, and what was recorded on the case as JSON.
CREATE TABLE reconsideration_cases (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  applicant   TEXT NOT NULL,
  respondent  TEXT NOT NULL,
  act         TEXT NOT NULL,
  received_on TEXT NOT NULL,
  procedure_  TEXT NOT NULL,
  dispute_id  INTEGER REFERENCES disputes(id),
  major       BOOLEAN NOT NULL,
  state       TEXT NOT NULL,
  accepted_on TEXT,
  decided_on  TEXT,
  result      TEXT NOT NULL,
  next_due    TEXT,
  record      TEXT NOT NULL,
  version     INTEGER NOT NULL,
  created_by  TEXT NOT NULL,
  created_at  DATETIME NOT NULL,
  updated_at  DATETIME NOT NULL
);
CREATE INDEX reconsideration_cases_respondent ON reconsideration_cases(respondent, received_on);
CREATE INDEX reconsideration_cases_received ON reconsideration_cases(received_on);
CREATE INDEX reconsideration_cases_queue ON reconsideration_cases(state, next_due);
