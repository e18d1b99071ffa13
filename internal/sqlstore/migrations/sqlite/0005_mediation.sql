-- The mediation lifecycle: what was recorded on a case (sessions, the
-- agreement or failure, judicial confirmation) as JSON, the days the
-- queue and the reports select on, and the follow-up visits with their
-- ratings and rectifications, one row each.
ALTER TABLE mediation_cases ADD COLUMN tier TEXT NOT NULL DEFAULT '';
ALTER TABLE mediation_cases ADD COLUMN accepted_on TEXT;
ALTER TABLE mediation_cases ADD COLUMN closed_on TEXT;
ALTER TABLE mediation_cases ADD COLUMN next_due TEXT;
ALTER TABLE mediation_cases ADD COLUMN subsidy_on TEXT;
ALTER TABLE mediation_cases ADD COLUMN dossier TEXT;
CREATE INDEX mediation_cases_queue ON mediation_cases(assignee, next_due, id);
CREATE INDEX mediation_cases_subsidy ON mediation_cases(subsidy_on);
CREATE TABLE mediation_followups (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  case_id       INTEGER NOT NULL REFERENCES mediation_cases(id),
  seq           INTEGER NOT NULL,
  on_day        TEXT NOT NULL,
  rating        INTEGER NOT NULL,
  performed     BOOLEAN NOT NULL,
  comment       TEXT NOT NULL,
  by_user       TEXT NOT NULL,
  rectification BOOLEAN NOT NULL,
  rectified_on  TEXT,
  rectify_action TEXT,
  UNIQUE (case_id, seq)
);
CREATE INDEX mediation_followups_on ON mediation_followups(on_day);
