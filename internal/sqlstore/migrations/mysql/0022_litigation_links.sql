-- Statistics without months over a window of more than one month (issue
-- 25): the monthly groups of a case (its facts of one figure in one month
-- under one agency, the city's as agency '') add up to the window's count
-- less one for each two of its months in a row that both fall in the
-- window. litigation_links counts those pairs by the day of the last fact
-- of the earlier month (from_day) and of the first of the later (to_day):
-- a pair is inside the window [from, to] when from_day >= from and to_day
-- <= to, exactly when both months' groups count in it. Only hearings can
-- make pairs (a case is filed, concluded and lost once). The rows are
-- filled here from the facts.
CREATE TABLE litigation_links (
  from_day          DATE NOT NULL,
  to_day            DATE NOT NULL,
  agency            VARCHAR(100) NOT NULL,
  filed             INT NOT NULL,
  concluded         INT NOT NULL,
  lost              INT NOT NULL,
  heard             INT NOT NULL,
  head_appeared     INT NOT NULL,
  key_heard         INT NOT NULL,
  key_head_appeared INT NOT NULL,
  PRIMARY KEY (from_day, to_day, agency)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
INSERT INTO litigation_links (from_day, to_day, agency, filed, concluded, lost, heard, head_appeared, key_heard, key_head_appeared)
  SELECT from_day, to_day, agency, SUM(figure = 'filed'), SUM(figure = 'concluded'), SUM(figure = 'lost'), SUM(figure = 'heard'),
    SUM(figure = 'head_appeared'), SUM(figure = 'key_heard'), SUM(figure = 'key_head_appeared')
  FROM (SELECT agency, figure, LAG(last_day) OVER (PARTITION BY case_id, agency, figure ORDER BY month) AS from_day, first_day AS to_day
    FROM (SELECT case_id, agency, figure, month, MIN(on_day) AS first_day, MAX(on_day) AS last_day
      FROM litigation_facts GROUP BY case_id, agency, figure, month) g) l
  WHERE from_day IS NOT NULL GROUP BY from_day, to_day, agency;
INSERT INTO litigation_links (from_day, to_day, agency, filed, concluded, lost, heard, head_appeared, key_heard, key_head_appeared)
  SELECT from_day, to_day, '', SUM(figure = 'filed'), SUM(figure = 'concluded'), SUM(figure = 'lost'), SUM(figure = 'heard'),
    SUM(figure = 'head_appeared'), SUM(figure = 'key_heard'), SUM(figure = 'key_head_appeared')
  FROM (SELECT figure, LAG(last_day) OVER (PARTITION BY case_id, figure ORDER BY month) AS from_day, first_day AS to_day
    FROM (SELECT case_id, figure, month, MIN(on_day) AS first_day, MAX(on_day) AS last_day
      FROM litigation_facts GROUP BY case_id, figure, month) g) l
  WHERE from_day IS NOT NULL GROUP BY from_day, to_day;
