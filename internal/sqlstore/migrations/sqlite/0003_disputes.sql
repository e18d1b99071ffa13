-- Disputes (parties kept with the dispute; their ID numbers indexed for
-- repeat detection), routing history, mediation cases as routing
-- opens them, and versioned routing rules.
CREATE TABLE routing_rule_sets (
  version    INTEGER PRIMARY KEY,
  doc        TEXT NOT NULL,
  created_at DATETIME NOT NULL,
  created_by TEXT NOT NULL
);
CREATE TABLE dispute_counters (
  year INTEGER PRIMARY KEY,
  last INTEGER NOT NULL
);
CREATE TABLE disputes (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  code          TEXT NOT NULL UNIQUE,
  title         TEXT NOT NULL,
  description   TEXT NOT NULL,
  category      TEXT NOT NULL,
  source        TEXT NOT NULL,
  source_ref    TEXT NOT NULL,
  township      TEXT NOT NULL,
  amount_fen    INTEGER NOT NULL,
  occurred_on   TEXT,
  received_on   TEXT NOT NULL,
  flags         TEXT NOT NULL,
  recused       TEXT NOT NULL,
  parties       TEXT NOT NULL,
  status        TEXT NOT NULL,
  priority      TEXT NOT NULL,
  track         TEXT NOT NULL,
  org_code      TEXT NOT NULL,
  assignee      TEXT NOT NULL,
  rule          TEXT NOT NULL,
  reason        TEXT NOT NULL,
  guidance      TEXT NOT NULL,
  clock_rule    TEXT NOT NULL,
  due_on        TEXT,
  basis         TEXT NOT NULL,
  intake_org    TEXT NOT NULL,
  repeat_of     INTEGER,
  rules_version INTEGER NOT NULL,
  version       INTEGER NOT NULL,
  created_by    TEXT NOT NULL,
  created_at    DATETIME NOT NULL,
  updated_at    DATETIME NOT NULL
);
CREATE INDEX disputes_priority ON disputes(priority, id);
CREATE INDEX disputes_org ON disputes(org_code, id);
CREATE INDEX disputes_intake_org ON disputes(intake_org, id);
CREATE INDEX disputes_category ON disputes(category, received_on);
CREATE TABLE dispute_party_ids (
  id_number  TEXT NOT NULL,
  dispute_id INTEGER NOT NULL REFERENCES disputes(id),
  PRIMARY KEY (id_number, dispute_id)
);
CREATE TABLE dispute_history (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  dispute_id INTEGER NOT NULL REFERENCES disputes(id),
  track      TEXT NOT NULL,
  org_code   TEXT NOT NULL,
  assignee   TEXT NOT NULL,
  rule       TEXT NOT NULL,
  reason     TEXT NOT NULL,
  at         DATETIME NOT NULL,
  by_user    TEXT NOT NULL
);
CREATE INDEX dispute_history_dispute ON dispute_history(dispute_id, id);
CREATE TABLE mediation_cases (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  dispute_id  INTEGER NOT NULL REFERENCES disputes(id),
  track       TEXT NOT NULL,
  org_code    TEXT NOT NULL,
  assignee    TEXT NOT NULL,
  state       TEXT NOT NULL,
  opened_on   TEXT NOT NULL,
  assigned_at DATETIME,
  clock_rule  TEXT NOT NULL,
  assign_reason TEXT NOT NULL,
  version     INTEGER NOT NULL,
  created_at  DATETIME NOT NULL,
  updated_at  DATETIME NOT NULL
);
CREATE INDEX mediation_cases_org ON mediation_cases(org_code, state, assignee);
CREATE INDEX mediation_cases_assignee ON mediation_cases(assignee, state);
CREATE INDEX mediation_cases_dispute ON mediation_cases(dispute_id);
CREATE TABLE mediation_assignments (
  id       INTEGER PRIMARY KEY AUTOINCREMENT,
  case_id  INTEGER NOT NULL REFERENCES mediation_cases(id),
  assignee TEXT NOT NULL,
  reason   TEXT NOT NULL,
  at       DATETIME NOT NULL,
  by_user  TEXT NOT NULL
);
CREATE INDEX mediation_assignments_case ON mediation_assignments(case_id);
