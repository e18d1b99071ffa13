-- The password and lock-out policy the security administrator sets (API.md,
-- "Roles"): one row (id 1), so that every replica applies the same policy.
-- The first replica to need it writes it from the configuration
-- (auth.password_max_age, auth.lockout_*); version counts its changes, for
-- If-Match.
CREATE TABLE password_policy (
  id                     TINYINT NOT NULL PRIMARY KEY CHECK (id = 1),
  min_length             INT NOT NULL,
  min_classes            INT NOT NULL,
  max_age_days           INT NOT NULL,
  lockout_failures       INT NOT NULL,
  lockout_window_minutes INT NOT NULL,
  lockout_minutes        INT NOT NULL,
  version                BIGINT NOT NULL,
  updated_at             DATETIME(6) NOT NULL,
  updated_by             VARCHAR(64) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
