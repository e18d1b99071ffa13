-- Personal data sealed at rest (internal/pii): the key under which every
-- stored value is known to be sealed, so that a start with that key skips
-- the walk that seals older rows (SealPersonalData), and a probe sealed
-- under it, which a start must be able to open (the right keys are loaded). dispute_party_ids now
-- keeps the blind index (HMAC-SM3, 64 hex characters) of each ID number.
CREATE TABLE pii_state (
  id        INTEGER PRIMARY KEY,
  key_id    TEXT NOT NULL,
  probe     TEXT NOT NULL,
  sealed_at DATETIME NOT NULL
);
