-- Every defendant the city really has (DOMAIN.md, "Litigation monitoring").
--
-- org_names holds every name and alias of every org once: its primary key
-- keeps them unique across orgs however many replicas write (API.md,
-- "Orgs"). The orgs already there enter in the order they were made, each
-- name before the aliases; a later duplicate is left out of the index (the
-- lookup of defendants finds both and calls the name ambiguous).
CREATE TABLE org_names (
  name     TEXT NOT NULL PRIMARY KEY,
  org_code TEXT NOT NULL
);
CREATE INDEX org_names_org ON org_names(org_code);
INSERT OR IGNORE INTO org_names (name, org_code) SELECT name, code FROM orgs ORDER BY id;
INSERT OR IGNORE INTO org_names (name, org_code)
  SELECT a.alias, a.org_code FROM org_aliases a JOIN orgs o ON o.code = a.org_code ORDER BY o.id, a.position;
-- litigation_defendants: every defendant of a case (共同被告), the first
-- (position 0) the one litigation_cases.defendant names; agency staff find
-- their cases by org_code.
CREATE TABLE litigation_defendants (
  case_id  INTEGER NOT NULL REFERENCES litigation_cases(id),
  position INTEGER NOT NULL,
  org_code TEXT NOT NULL,
  PRIMARY KEY (case_id, position)
);
CREATE UNIQUE INDEX litigation_defendants_org ON litigation_defendants(org_code, case_id);
INSERT INTO litigation_defendants (case_id, position, org_code) SELECT id, 0, defendant FROM litigation_cases;
-- A case's facts count once for each of its defendants.
CREATE TABLE litigation_facts_0012 (
  case_id INTEGER NOT NULL REFERENCES litigation_cases(id),
  figure  TEXT NOT NULL,
  on_day  TEXT NOT NULL,
  month   TEXT NOT NULL,
  agency  TEXT NOT NULL,
  PRIMARY KEY (case_id, figure, on_day, agency)
);
INSERT INTO litigation_facts_0012 (case_id, figure, on_day, month, agency) SELECT case_id, figure, on_day, month, agency FROM litigation_facts;
DROP TABLE litigation_facts;
ALTER TABLE litigation_facts_0012 RENAME TO litigation_facts;
CREATE INDEX litigation_facts_window ON litigation_facts(figure, on_day, agency);
-- The rollups keep the city's own cells under agency '': every case once,
-- however many defendants it has. Until now each case had one defendant,
-- so the city's cells are the sums of the agencies'.
INSERT INTO litigation_rollup (agency, month, figure, n)
  SELECT '', month, figure, SUM(n) FROM litigation_rollup GROUP BY month, figure;
