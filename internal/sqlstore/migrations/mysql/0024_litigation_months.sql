-- The monthly rollup with a column per figure (issue 25): a month grouping
-- over a year by agency read 7 rows per month and agency (one per
-- figure) and pivoted them; litigation_months holds one, so that the same
-- answer is a range of 61 rows a month in key order, without grouping.
-- It replaces litigation_rollup, whose cells it sums.
CREATE TABLE litigation_months (
  month             CHAR(7) NOT NULL,
  agency            VARCHAR(100) NOT NULL,
  filed             INT NOT NULL,
  concluded         INT NOT NULL,
  lost              INT NOT NULL,
  heard             INT NOT NULL,
  head_appeared     INT NOT NULL,
  key_heard         INT NOT NULL,
  key_head_appeared INT NOT NULL,
  PRIMARY KEY (month, agency)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
INSERT INTO litigation_months (month, agency, filed, concluded, lost, heard, head_appeared, key_heard, key_head_appeared)
  SELECT month, agency, SUM(CASE WHEN figure = 'filed' THEN n ELSE 0 END), SUM(CASE WHEN figure = 'concluded' THEN n ELSE 0 END),
    SUM(CASE WHEN figure = 'lost' THEN n ELSE 0 END), SUM(CASE WHEN figure = 'heard' THEN n ELSE 0 END),
    SUM(CASE WHEN figure = 'head_appeared' THEN n ELSE 0 END), SUM(CASE WHEN figure = 'key_heard' THEN n ELSE 0 END),
    SUM(CASE WHEN figure = 'key_head_appeared' THEN n ELSE 0 END)
  FROM litigation_rollup GROUP BY month, agency;
DROP TABLE litigation_rollup;
