-- Holiday tables loaded at run time (PUT /api/v1/calendar/{year}, jiefen calendar import).
-- They override the tables shipped in configs/holidays for the same year.
CREATE TABLE calendar_years (
  year       INT NOT NULL PRIMARY KEY,
  notice     MEDIUMTEXT NOT NULL,
  version    BIGINT NOT NULL DEFAULT 1,
  updated_at DATETIME(6) NOT NULL,
  updated_by VARCHAR(64) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
