-- Every defendant the city really has (DOMAIN.md, "Litigation monitoring").
--
-- org_names holds every name and alias of every org once: its primary key
-- keeps them unique across orgs however many replicas write (API.md,
-- "Orgs"). The orgs already there enter in the order they were made, each
-- name before the aliases; a later duplicate is left out of the index (the
-- lookup of defendants finds both and calls the name ambiguous).
CREATE TABLE org_names (
  name     VARCHAR(200) NOT NULL PRIMARY KEY,
  org_code VARCHAR(64) NOT NULL,
  KEY org_names_org (org_code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
INSERT IGNORE INTO org_names (name, org_code) SELECT name, code FROM orgs ORDER BY id;
INSERT IGNORE INTO org_names (name, org_code)
  SELECT a.alias, a.org_code FROM org_aliases a JOIN orgs o ON o.code = a.org_code ORDER BY o.id, a.position;
-- litigation_defendants: every defendant of a case (共同被告), the first
-- (position 0) the one litigation_cases.defendant names; agency staff find
-- their cases by org_code.
CREATE TABLE litigation_defendants (
  case_id  BIGINT NOT NULL,
  position INT NOT NULL,
  org_code VARCHAR(64) NOT NULL,
  PRIMARY KEY (case_id, position),
  UNIQUE KEY litigation_defendants_org (org_code, case_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
INSERT INTO litigation_defendants (case_id, position, org_code) SELECT id, 0, defendant FROM litigation_cases;
-- A case's facts count once for each of its defendants.
ALTER TABLE litigation_facts DROP PRIMARY KEY, ADD PRIMARY KEY (case_id, figure, on_day, agency);
-- The rollups keep the city's own cells under agency '': every case once,
-- however many defendants it has. Until now each case had one defendant,
-- so the city's cells are the sums of the agencies'.
INSERT INTO litigation_rollup (agency, month, figure, n)
  SELECT '', month, figure, SUM(n) FROM litigation_rollup GROUP BY month, figure;
-- The court's rows name all the defendants of the 被告 cell.
ALTER TABLE court_rows MODIFY defendant VARCHAR(1000) NOT NULL;
