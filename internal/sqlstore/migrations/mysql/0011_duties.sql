-- Duties and windows (DOMAIN.md, "Duties and windows"). late_on is the day
-- a case's last duty done after its due day was done (超期办结), which the
-- leaders' figures count. next_due, the key of queues and scans, is set by
-- live duties only: a case that reached an agreement, failed or is being
-- followed up has none left (its old key was the parties' window to apply
-- for 司法确认), nor has a case transferred away. queue_rank orders a work
-- queue before next_due: 0 a live duty, 1 an open case with none (waiting
-- to be accepted, or only the parties' window left), 2 an ended case, so
-- that the queue is read in index order. clock_recounts holds the requests
-- to count every case's clocks again (sqlstore.DB.Recount): this migration
-- leaves one, which the next start (or jiefen migrate) carries out, and a
-- holiday notice loaded leaves one for the clock_refresh job.
ALTER TABLE mediation_cases ADD COLUMN late_on DATE NULL;
ALTER TABLE mediation_cases ADD COLUMN queue_rank SMALLINT NOT NULL DEFAULT 1;
ALTER TABLE reconsideration_cases ADD COLUMN late_on DATE NULL;
ALTER TABLE reconsideration_cases ADD COLUMN queue_rank SMALLINT NOT NULL DEFAULT 1;
UPDATE mediation_cases SET next_due = NULL WHERE state IN ('agreement', 'confirmation', 'followup', 'failed', 'closed', 'transferred');
UPDATE mediation_cases SET queue_rank = CASE WHEN state IN ('closed', 'transferred') THEN 2 WHEN next_due IS NOT NULL THEN 0 ELSE 1 END;
UPDATE reconsideration_cases SET queue_rank = CASE WHEN state IN ('decided', 'rejected') THEN 2 WHEN next_due IS NOT NULL THEN 0 ELSE 1 END;
DROP INDEX mediation_cases_queue ON mediation_cases;
CREATE INDEX mediation_cases_queue ON mediation_cases(assignee, queue_rank, next_due, id);
CREATE INDEX reconsideration_cases_rank ON reconsideration_cases(queue_rank, next_due, id);
CREATE TABLE clock_recounts (
  reason       VARCHAR(200) NOT NULL PRIMARY KEY,
  requested_at DATETIME(6) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
INSERT INTO clock_recounts (reason, requested_at) VALUES ('migration 0011', CURRENT_TIMESTAMP(6));
