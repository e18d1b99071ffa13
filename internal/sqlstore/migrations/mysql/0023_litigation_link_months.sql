-- Statistics without months over a year (issue 25): the pairs of a case's
-- months in a row (litigation_links) that fall in a window were read day
-- by day, some 56,000 rows for the last 365 days at 1,000,000 cases. A pair
-- whose earlier month is one of the window's whole months and whose later
-- month is too counts whatever its days: litigation_link_months sums the
-- pairs by their two months, so that only the pairs leaving the partial
-- month at the window's start (by from_day, the primary key) or reaching
-- the partial month at its end (by to_day, litigation_links_by_to, which
-- holds the counts so that the rows themselves are never read) are read
-- by the day.
CREATE TABLE litigation_link_months (
  from_month        CHAR(7) NOT NULL,
  to_month          CHAR(7) NOT NULL,
  agency            VARCHAR(100) NOT NULL,
  filed             INT NOT NULL,
  concluded         INT NOT NULL,
  lost              INT NOT NULL,
  heard             INT NOT NULL,
  head_appeared     INT NOT NULL,
  key_heard         INT NOT NULL,
  key_head_appeared INT NOT NULL,
  PRIMARY KEY (from_month, to_month, agency)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
INSERT INTO litigation_link_months (from_month, to_month, agency, filed, concluded, lost, heard, head_appeared, key_heard, key_head_appeared)
  SELECT DATE_FORMAT(from_day, '%Y-%m'), DATE_FORMAT(to_day, '%Y-%m'), agency, SUM(filed), SUM(concluded), SUM(lost), SUM(heard),
    SUM(head_appeared), SUM(key_heard), SUM(key_head_appeared)
  FROM litigation_links GROUP BY DATE_FORMAT(from_day, '%Y-%m'), DATE_FORMAT(to_day, '%Y-%m'), agency;
CREATE INDEX litigation_links_by_to ON litigation_links
  (to_day, from_day, agency, filed, concluded, lost, heard, head_appeared, key_heard, key_head_appeared);
