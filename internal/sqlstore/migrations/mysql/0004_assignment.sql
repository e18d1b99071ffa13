-- Mediator assignment without scanning history: when each mediator was
-- last given a case (round robin), and an index for an org's mediators.
ALTER TABLE users ADD COLUMN last_assigned_at DATETIME(6) NULL;
CREATE INDEX users_org_role ON users(org_code, role);
