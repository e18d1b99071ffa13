-- Duties and windows (DOMAIN.md, "Duties and windows"). late_on is the day
-- a case's last duty done after its due day was done (超期办结), which the
-- leaders' figures count. next_due, the key of queues and scans, is set by
-- live duties only: a case that reached an agreement, failed or is being
-- followed up has none left (its old key was the parties' window to apply
-- for 司法确认). Reconsideration cases are counted again by the first start
-- after this migration (sqlstore.DB.RecountClocks).
ALTER TABLE mediation_cases ADD COLUMN late_on TEXT NULL;
ALTER TABLE reconsideration_cases ADD COLUMN late_on TEXT NULL;
UPDATE mediation_cases SET next_due = NULL WHERE state IN ('agreement', 'confirmation', 'followup', 'failed');
