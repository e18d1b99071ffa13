-- Court caseload sync and the 府院联动 ledger: the imports, the court's own
-- rows (its view of each case, by canonical case number, for
-- reconciliation), the joint-meeting issues with their reports and
-- comments, and the court's judicial suggestions.
CREATE TABLE court_imports (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  name        TEXT NOT NULL,
  by_user     TEXT NOT NULL,
  rows_read   INT NOT NULL,
  created     INT NOT NULL,
  updated     INT NOT NULL,
  unchanged   INT NOT NULL,
  rejected    INT NOT NULL,
  started_at  DATETIME NOT NULL,
  finished_at DATETIME NULL
);
CREATE TABLE court_rows (
  canonical  TEXT NOT NULL PRIMARY KEY,
  import_id  INTEGER NOT NULL,
  line       INT NOT NULL,
  defendant  TEXT NOT NULL,
  filed_on   DATE NOT NULL,
  held_on    DATE NULL,
  result     TEXT NOT NULL,
  concluded_on DATE NULL
);
CREATE INDEX court_rows_filed ON court_rows(filed_on);
CREATE TABLE ledger_issues (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  meeting     TEXT NOT NULL,
  title       TEXT NOT NULL,
  lead_unit   TEXT NOT NULL,
  co_units    TEXT NOT NULL,
  deadline    DATE NOT NULL,
  state       TEXT NOT NULL,
  record      TEXT NOT NULL,
  closed_on   DATE NULL,
  version     INTEGER NOT NULL,
  created_by  TEXT NOT NULL,
  created_at  DATETIME NOT NULL,
  updated_at  DATETIME NOT NULL
);
CREATE INDEX ledger_issues_state ON ledger_issues(state, deadline);
CREATE TABLE judicial_suggestions (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  court       TEXT NOT NULL,
  number      TEXT NOT NULL,
  addressee   TEXT NOT NULL,
  subject     TEXT NOT NULL,
  content     TEXT NOT NULL,
  received_on DATE NOT NULL,
  replied_on  DATE NULL,
  reply       TEXT NOT NULL,
  version     INTEGER NOT NULL,
  created_by  TEXT NOT NULL,
  created_at  DATETIME NOT NULL,
  updated_at  DATETIME NOT NULL
);
CREATE INDEX judicial_suggestions_addressee ON judicial_suggestions(addressee, received_on);
