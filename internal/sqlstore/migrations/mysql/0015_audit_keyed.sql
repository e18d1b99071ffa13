-- The audit log says what changed and is sealed under a key kept outside
-- the database (README, "Audit"). changes: the JSON array of the fields an
-- entry changed, with their old and new values but for personal data
-- (package audit, Withheld); covered by the entry's hash, so kept as text
-- exactly as written (not a JSON column, which would reformat it). Entries
-- made before have none ('', read as []). No default: a writer that does
-- not know the column (an older binary still running) cannot append.
ALTER TABLE audit_log ADD COLUMN changes LONGTEXT NOT NULL;
ALTER TABLE audit_archive ADD COLUMN changes LONGTEXT NOT NULL;
-- scheme: how the chain is sealed. 'hmac-sm3' (HMAC-SM3 under the audit
-- key) for a new database; 'sha256' (plain SHA-256, what earlier versions
-- wrote) when it holds entries, which the start after this migration
-- verifies once, seals again under the key and records (audit.reseal).
ALTER TABLE audit_head ADD COLUMN scheme VARCHAR(16) NOT NULL DEFAULT 'hmac-sm3';
UPDATE audit_head SET scheme = 'sha256' WHERE seq > 0;
