-- The monthly rollup with a column per figure (issue 25): a month grouping
-- over a year by agency read 7 rows per month and agency (one per
-- figure) and pivoted them; litigation_months holds one, so that the same
-- answer is a range of 61 rows a month in key order, without grouping.
-- It replaces litigation_rollup, whose cells it sums.
CREATE TABLE litigation_months (
  month             TEXT NOT NULL,
  agency            TEXT NOT NULL,
  filed             INTEGER NOT NULL,
  concluded         INTEGER NOT NULL,
  lost              INTEGER NOT NULL,
  heard             INTEGER NOT NULL,
  head_appeared     INTEGER NOT NULL,
  key_heard         INTEGER NOT NULL,
  key_head_appeared INTEGER NOT NULL,
  PRIMARY KEY (month, agency)
);
INSERT INTO litigation_months (month, agency, filed, concluded, lost, heard, head_appeared, key_heard, key_head_appeared)
  SELECT month, agency, SUM(CASE WHEN figure = 'filed' THEN n ELSE 0 END), SUM(CASE WHEN figure = 'concluded' THEN n ELSE 0 END),
    SUM(CASE WHEN figure = 'lost' THEN n ELSE 0 END), SUM(CASE WHEN figure = 'heard' THEN n ELSE 0 END),
    SUM(CASE WHEN figure = 'head_appeared' THEN n ELSE 0 END), SUM(CASE WHEN figure = 'key_heard' THEN n ELSE 0 END),
    SUM(CASE WHEN figure = 'key_head_appeared' THEN n ELSE 0 END)
  FROM litigation_rollup GROUP BY month, agency;
DROP TABLE litigation_rollup;
