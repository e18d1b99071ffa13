-- Statistics over a window that is not whole months (issue 25): the
-- partial month at each end is counted from this day rollup, not from the
-- facts. A group is a case's facts of one figure in one month under one
-- agency (each defendant, and the city as agency ''); its 'first' row
-- counts it on the day of its first fact of the month, its 'last' row on
-- the day of its last. The cases of a month with a fact from day d to the
-- month's end are then the 'last' counts of those days, and those with a
-- fact from the month's first day to d the 'first' counts: distinct cases,
-- by sums over at most 31 days. The figures are columns, one row per day
-- and agency. The rows are filled here from the facts.
CREATE TABLE litigation_edges (
  edge              TEXT NOT NULL,
  on_day            TEXT NOT NULL,
  agency            TEXT NOT NULL,
  filed             INTEGER NOT NULL,
  concluded         INTEGER NOT NULL,
  lost              INTEGER NOT NULL,
  heard             INTEGER NOT NULL,
  head_appeared     INTEGER NOT NULL,
  key_heard         INTEGER NOT NULL,
  key_head_appeared INTEGER NOT NULL,
  PRIMARY KEY (edge, on_day, agency)
);
INSERT INTO litigation_edges (edge, on_day, agency, filed, concluded, lost, heard, head_appeared, key_heard, key_head_appeared)
  SELECT 'first', d, agency, SUM(figure = 'filed'), SUM(figure = 'concluded'), SUM(figure = 'lost'), SUM(figure = 'heard'),
    SUM(figure = 'head_appeared'), SUM(figure = 'key_heard'), SUM(figure = 'key_head_appeared')
  FROM (SELECT MIN(on_day) AS d, agency, figure FROM litigation_facts GROUP BY case_id, agency, figure, month) g GROUP BY d, agency;
INSERT INTO litigation_edges (edge, on_day, agency, filed, concluded, lost, heard, head_appeared, key_heard, key_head_appeared)
  SELECT 'first', d, '', SUM(figure = 'filed'), SUM(figure = 'concluded'), SUM(figure = 'lost'), SUM(figure = 'heard'),
    SUM(figure = 'head_appeared'), SUM(figure = 'key_heard'), SUM(figure = 'key_head_appeared')
  FROM (SELECT MIN(on_day) AS d, figure FROM litigation_facts GROUP BY case_id, figure, month) g GROUP BY d;
INSERT INTO litigation_edges (edge, on_day, agency, filed, concluded, lost, heard, head_appeared, key_heard, key_head_appeared)
  SELECT 'last', d, agency, SUM(figure = 'filed'), SUM(figure = 'concluded'), SUM(figure = 'lost'), SUM(figure = 'heard'),
    SUM(figure = 'head_appeared'), SUM(figure = 'key_heard'), SUM(figure = 'key_head_appeared')
  FROM (SELECT MAX(on_day) AS d, agency, figure FROM litigation_facts GROUP BY case_id, agency, figure, month) g GROUP BY d, agency;
INSERT INTO litigation_edges (edge, on_day, agency, filed, concluded, lost, heard, head_appeared, key_heard, key_head_appeared)
  SELECT 'last', d, '', SUM(figure = 'filed'), SUM(figure = 'concluded'), SUM(figure = 'lost'), SUM(figure = 'heard'),
    SUM(figure = 'head_appeared'), SUM(figure = 'key_heard'), SUM(figure = 'key_head_appeared')
  FROM (SELECT MAX(on_day) AS d, figure FROM litigation_facts GROUP BY case_id, figure, month) g GROUP BY d;
-- The rollups' changes a court file import leaves pending (pendRollups):
-- a row per batch, written with the batch's facts, applied at once and
-- deleted by FoldRollups when the file ends or before any read of the
-- rollups, so that a file in random order moves each cell once.
CREATE TABLE litigation_rollup_pending (
  id     INTEGER PRIMARY KEY AUTOINCREMENT,
  deltas BLOB NOT NULL
);
