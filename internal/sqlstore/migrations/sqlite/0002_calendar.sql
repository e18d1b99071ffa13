-- Holiday tables loaded at run time (PUT /api/v1/calendar/{year}, jiefen calendar import).
-- They override the tables shipped in configs/holidays for the same year.
CREATE TABLE calendar_years (
  year       INTEGER PRIMARY KEY,
  notice     TEXT NOT NULL,
  version    INTEGER NOT NULL DEFAULT 1,
  updated_at DATETIME NOT NULL,
  updated_by TEXT NOT NULL
);
