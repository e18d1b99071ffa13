package sqlstore

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// JobRun is one tick of a scheduled job: who ran it, when, and how it
// ended (running, ok, failed, skipped).
type JobRun struct {
	Job         string     `json:"job"`
	ScheduledAt time.Time  `json:"scheduled_at"`
	StartedAt   time.Time  `json:"started_at"`
	FinishedAt  *time.Time `json:"finished_at"`
	Replica     string     `json:"replica"`
	Attempt     int        `json:"attempt"`
	Outcome     string     `json:"outcome"`
	Error       string     `json:"error"`
}

type jobRunRow struct {
	Job         string    `gorm:"primaryKey"`
	ScheduledAt time.Time `gorm:"primaryKey"`
	Replica     string
	Attempt     int
	StartedAt   time.Time
	LeaseUntil  time.Time
	FinishedAt  *time.Time
	Outcome     string
	Error       string
}

func (jobRunRow) TableName() string { return "job_runs" }

func (r jobRunRow) run() JobRun {
	out := JobRun{Job: r.Job, ScheduledAt: r.ScheduledAt.UTC(), StartedAt: r.StartedAt.UTC(), Replica: r.Replica,
		Attempt: r.Attempt, Outcome: r.Outcome, Error: r.Error}
	if r.FinishedAt != nil {
		t := r.FinishedAt.UTC()
		out.FinishedAt = &t
	}
	return out
}

// instant is t as both databases keep it: UTC at microsecond precision, so
// that a tick read back equals the tick written.
func instant(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// never is the lease of a job no run holds.
var never = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)

// ClaimTick claims job's tick for replica until lease: it records the run
// under the unique key (job, tick), or takes over a run of that tick left
// running past its lease; then it takes the job's lease, so that the job
// never overlaps itself across replicas. When the previous run still holds
// the lease, the tick is recorded as skipped. It reports whether this
// replica is to run the tick.
func (s Jobs) ClaimTick(ctx context.Context, job string, tick time.Time, replica string, now, lease time.Time) (bool, error) {
	tick, now, lease = instant(tick), instant(now), instant(lease)
	ignore := "INSERT IGNORE INTO"
	if s.dialect == "sqlite" {
		ignore = "INSERT OR IGNORE INTO"
	}
	// One transaction, rerun whole when it loses a race (see tx): on a
	// Galera cluster two replicas on two nodes may both insert the tick's
	// row, and only one of the two transactions commits; the loser's
	// rerun finds the row. Written as autocommit statements (which the
	// server retries itself, wsrep_retry_autocommit), one run on the
	// cluster, as a killed node rejoined, had two replicas each report
	// the same tick claimed; the cause was not pinned down.
	won := false
	err := s.tx(ctx, func(q *gorm.DB) error {
		won = false
		if err := q.Exec(ignore+" job_locks (job, replica, scheduled_at, lease_until) VALUES (?, '', NULL, ?)", job, never).Error; err != nil {
			return err
		}
		res := q.Exec(ignore+" job_runs (job, scheduled_at, replica, attempt, started_at, lease_until, outcome, error) VALUES (?, ?, ?, 1, ?, ?, 'running', '')",
			job, tick, replica, now, lease)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			res = q.Exec("UPDATE job_runs SET replica = ?, attempt = attempt + 1, started_at = ?, lease_until = ? WHERE job = ? AND scheduled_at = ? AND outcome = 'running' AND lease_until < ?",
				replica, now, lease, job, tick, now)
			if res.Error != nil || res.RowsAffected == 0 {
				return res.Error // claimed by another replica, or already run
			}
		}
		res = q.Exec("UPDATE job_locks SET replica = ?, scheduled_at = ?, lease_until = ? WHERE job = ? AND lease_until < ?", replica, tick, lease, job, now)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return q.Exec("UPDATE job_runs SET outcome = 'skipped', finished_at = ?, error = ? WHERE job = ? AND scheduled_at = ? AND replica = ?",
				now, "the previous run still holds the job's lease", job, tick, replica).Error
		}
		won = true
		return nil
	})
	return won && err == nil, translate(err)
}

// FinishTick records the outcome of a run that replica claimed and
// releases the job's lease. An error text is cut to 1000 bytes.
func (s Jobs) FinishTick(ctx context.Context, job string, tick time.Time, replica string, now time.Time, outcome, errText string) error {
	tick, now = instant(tick), instant(now)
	errText = clipUTF8(errText, 1000)
	return s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Exec("UPDATE job_runs SET outcome = ?, error = ?, finished_at = ? WHERE job = ? AND scheduled_at = ? AND replica = ?",
			outcome, errText, now, job, tick, replica).Error; err != nil {
			return err
		}
		return tx.Exec("UPDATE job_locks SET lease_until = ? WHERE job = ? AND replica = ? AND scheduled_at = ?", never, job, replica, tick).Error
	})
}

// LastTick is the latest tick of job ever claimed, zero when none.
func (s Jobs) LastTick(ctx context.Context, job string) (time.Time, error) {
	var rows []jobRunRow
	if err := s.read(ctx).Where("job = ?", job).Order("scheduled_at DESC").Limit(1).Find(&rows).Error; err != nil {
		return time.Time{}, translate(err)
	}
	if len(rows) == 0 {
		return time.Time{}, nil
	}
	return rows[0].ScheduledAt.UTC(), nil
}

// StaleTicks are job's ticks left running past their lease: their replica
// died or lost the database.
func (s Jobs) StaleTicks(ctx context.Context, job string, now time.Time) ([]time.Time, error) {
	var rows []jobRunRow
	if err := s.read(ctx).Where("outcome = 'running' AND lease_until < ? AND job = ?", instant(now), job).Order("scheduled_at").Limit(10).Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]time.Time, len(rows))
	for i, r := range rows {
		out[i] = r.ScheduledAt.UTC()
	}
	return out, nil
}

// JobRuns lists runs, newest tick first, of one job or (job "") of all.
func (s Jobs) JobRuns(ctx context.Context, job string, limit int) ([]JobRun, error) {
	q := s.read(ctx).Order("scheduled_at DESC").Limit(limit)
	if job != "" {
		q = q.Where("job = ?", job)
	}
	var rows []jobRunRow
	if err := q.Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]JobRun, len(rows))
	for i, r := range rows {
		out[i] = r.run()
	}
	return out, nil
}

// LastRun is the latest run of job, nil when it never ran.
func (s Jobs) LastRun(ctx context.Context, job string) (*JobRun, error) {
	runs, err := s.JobRuns(ctx, job, 1)
	if err != nil || len(runs) == 0 {
		return nil, err
	}
	return &runs[0], nil
}

// ExpireJobRuns deletes the run history of ticks before cutoff and returns
// how many runs went.
func (s Jobs) ExpireJobRuns(ctx context.Context, cutoff time.Time) (int64, error) {
	res := s.read(ctx).Where("scheduled_at < ? AND outcome <> 'running'", instant(cutoff)).Delete(&jobRunRow{})
	return res.RowsAffected, translate(res.Error)
}
