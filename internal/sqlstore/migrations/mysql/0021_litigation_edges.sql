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
  edge              CHAR(5) NOT NULL,
  on_day            DATE NOT NULL,
  agency            VARCHAR(100) NOT NULL,
  filed             INT NOT NULL,
  concluded         INT NOT NULL,
  lost              INT NOT NULL,
  heard             INT NOT NULL,
  head_appeared     INT NOT NULL,
  key_heard         INT NOT NULL,
  key_head_appeared INT NOT NULL,
  PRIMARY KEY (edge, on_day, agency)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
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
  id     BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  deltas LONGBLOB NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
