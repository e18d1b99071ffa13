-- The password and lock-out policy the security administrator sets (API.md,
-- "Roles"): one row (id 1), so that every replica applies the same policy.
-- The first replica to need it writes it from the configuration
-- (auth.password_max_age, auth.lockout_*); version counts its changes, for
-- If-Match.
CREATE TABLE password_policy (
  id                     INTEGER PRIMARY KEY CHECK (id = 1),
  min_length             INTEGER NOT NULL,
  min_classes            INTEGER NOT NULL,
  max_age_days           INTEGER NOT NULL,
  lockout_failures       INTEGER NOT NULL,
  lockout_window_minutes INTEGER NOT NULL,
  lockout_minutes        INTEGER NOT NULL,
  version                INTEGER NOT NULL,
  updated_at             DATETIME NOT NULL,
  updated_by             TEXT NOT NULL
);
