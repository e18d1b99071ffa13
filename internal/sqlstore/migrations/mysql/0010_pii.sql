-- Personal data sealed at rest (internal/pii): the key under which every
-- stored value is known to be sealed, so that a start with that key skips
-- the walk that seals older rows (SealPersonalData), and a probe sealed
-- under it, which a start must be able to open (the right keys are loaded). dispute_party_ids now
-- keeps the blind index (HMAC-SM3, 64 hex characters) of each ID number.
CREATE TABLE pii_state (
  id        INT NOT NULL PRIMARY KEY,
  key_id    VARCHAR(64) NOT NULL,
  probe     VARCHAR(200) NOT NULL,
  sealed_at DATETIME(6) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
