-- Mediator assignment without scanning history: when each mediator was
-- last given a case (round robin), the reason on the case itself, and an
-- index for an org's mediators. A dispute's current case is found from the cases
-- (the newest not transferred away), so disputes no longer keep it.
ALTER TABLE users ADD COLUMN last_assigned_at DATETIME;
CREATE INDEX users_org_role ON users(org_code, role);
ALTER TABLE mediation_cases ADD COLUMN assign_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE disputes DROP COLUMN case_id;
