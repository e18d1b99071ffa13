-- The account lifecycle (API.md, "Roles"): a display name (姓名) printed on
-- documents; a reset's one-time password must be changed at the next
-- login; when the password was last changed, so that one older than
-- auth.password_max_age must be changed too (GB/T 22239-2019 8.1.4.1 a); the last login, which the managers see.
-- An existing account counts its password's age from this upgrade, so that
-- no account, an API client's included, is stopped by it on the day of the
-- upgrade.
ALTER TABLE users ADD COLUMN name VARCHAR(32) NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN must_change_password TINYINT(1) NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN password_changed_at DATETIME(6) NULL;
ALTER TABLE users ADD COLUMN last_login_at DATETIME(6) NULL;
UPDATE users SET password_changed_at = UTC_TIMESTAMP(6);
ALTER TABLE users MODIFY password_changed_at DATETIME(6) NOT NULL;
