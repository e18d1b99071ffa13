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
  from_month        TEXT NOT NULL,
  to_month          TEXT NOT NULL,
  agency            TEXT NOT NULL,
  filed             INTEGER NOT NULL,
  concluded         INTEGER NOT NULL,
  lost              INTEGER NOT NULL,
  heard             INTEGER NOT NULL,
  head_appeared     INTEGER NOT NULL,
  key_heard         INTEGER NOT NULL,
  key_head_appeared INTEGER NOT NULL,
  PRIMARY KEY (from_month, to_month, agency)
);
INSERT INTO litigation_link_months (from_month, to_month, agency, filed, concluded, lost, heard, head_appeared, key_heard, key_head_appeared)
  SELECT substr(from_day, 1, 7), substr(to_day, 1, 7), agency, SUM(filed), SUM(concluded), SUM(lost), SUM(heard),
    SUM(head_appeared), SUM(key_heard), SUM(key_head_appeared)
  FROM litigation_links GROUP BY substr(from_day, 1, 7), substr(to_day, 1, 7), agency;
CREATE INDEX litigation_links_by_to ON litigation_links
  (to_day, from_day, agency, filed, concluded, lost, heard, head_appeared, key_heard, key_head_appeared);
