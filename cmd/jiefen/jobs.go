package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"jiefen"
	"jiefen/calendar"
	"jiefen/configs"
	"jiefen/internal/live"
	"jiefen/internal/notify"
	"jiefen/internal/schedule"
	"jiefen/internal/sqlstore"
	"jiefen/mediation"
	"jiefen/reconsideration"
)

// jobDeps is what the scheduled jobs work with.
type jobDeps struct {
	cfg   configs.Config
	db    *sqlstore.DB
	cal   *live.Calendar
	rules *calendar.Rules
	log   *slog.Logger
}

// newScheduler builds the scheduler with every job of jiefen on its
// configured schedule, and the metrics that count its runs (to register).
func newScheduler(d jobDeps) (*schedule.Scheduler, []prometheus.Collector, error) {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return nil, nil, err
	}
	replica := d.cfg.Jobs.Replica
	if replica == "" {
		host, _ := os.Hostname()
		replica = host + ":" + strconv.Itoa(os.Getpid())
	}
	runs := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "jiefen_job_runs_total",
		Help: "Runs of scheduled jobs by this replica, by job and outcome."}, []string{"job", "outcome"})
	took := prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "jiefen_job_run_seconds",
		Help: "Duration of scheduled job runs by this replica.", Buckets: prometheus.ExponentialBuckets(0.005, 4, 10)}, []string{"job"})
	s := schedule.New(d.db.Jobs, schedule.Options{
		Replica: replica, Location: loc, Lease: d.cfg.Jobs.Lease, CatchUp: d.cfg.Jobs.CatchUp,
		Logger: d.log,
		Observe: func(job, outcome string, t time.Duration) {
			runs.WithLabelValues(job, outcome).Inc()
			took.WithLabelValues(job).Observe(t.Seconds())
		},
	})
	specs := d.cfg.Jobs.Schedules()
	for name, run := range d.jobs() {
		if err := s.Add(schedule.Job{Name: name, Spec: specs[name], Run: d.system(name, run)}); err != nil {
			return nil, nil, err
		}
	}
	return s, []prometheus.Collector{runs, took}, nil
}

// system runs a job as the actor "system" under request id job:NAME, so
// that what it writes is audited as the scheduler's.
func (d jobDeps) system(name string, run func(context.Context, time.Time) error) func(context.Context, time.Time) error {
	return func(ctx context.Context, tick time.Time) error {
		ctx = jiefen.NewContextWithRequestID(jiefen.NewContextWithActor(ctx, jiefen.Actor{Username: "system"}), "job:"+name)
		return run(ctx, tick)
	}
}

// jobs are the scheduled jobs by name (configs.Jobs.Schedules names the
// same ones). Each scans the database as it is now; a tick caught up after
// downtime does the same work as a tick on time.
func (d jobDeps) jobs() map[string]func(context.Context, time.Time) error {
	today := func() calendar.Date { return calendar.DateOf(d.db.Now()) }
	return map[string]func(context.Context, time.Time) error{
		"overdue_scan": func(ctx context.Context, _ time.Time) error {
			cal, err := d.cal.Get(ctx)
			if err != nil {
				return err
			}
			t := today()
			rep, err := d.db.Clocks.ScanOverdue(ctx, t, func(c *reconsideration.Case) { c.ComputeClocks(cal, d.rules, t) })
			d.logWork("overdue scan", rep.Events+rep.Deemed, "events", rep.Events, "deemed_accepted", rep.Deemed)
			return err
		},
		"due_soon": func(ctx context.Context, _ time.Time) error {
			cal, err := d.cal.Get(ctx)
			if err != nil {
				return err
			}
			t := today()
			until, err := cal.AddWorkdays(t, d.cfg.Jobs.DueSoon.Days)
			if err != nil {
				return err
			}
			n, err := d.db.Clocks.RemindDueSoon(ctx, t, until)
			d.logWork("due-soon reminders", n, "events", n, "until", until.String())
			return err
		},
		"hearing_reminders": func(ctx context.Context, _ time.Time) error {
			n, err := d.db.Clocks.RemindHearings(ctx, today(), d.cfg.Litigation.AlertDays)
			d.logWork("hearing reminders", n, "events", n)
			return err
		},
		"monthly_snapshot": func(ctx context.Context, _ time.Time) error {
			// The month before this one, now that it is over.
			y, m, _ := today().YMD()
			prev := calendar.NewDate(y, m, 1).AddDays(-1)
			py, pm, _ := prev.YMD()
			n, err := d.db.Litigation.SnapshotMonth(ctx, fmt.Sprintf("%04d-%02d", py, int(pm)))
			d.logWork("monthly snapshot", n, "month", fmt.Sprintf("%04d-%02d", py, int(pm)), "rows", n)
			return err
		},
		"clock_refresh": func(ctx context.Context, _ time.Time) error {
			cal, err := d.cal.Get(ctx)
			if err != nil {
				return err
			}
			// Every case when a recount was asked for (a notice loaded, a
			// migration), else the open ones.
			reqs, err := d.db.Clocks.RecountRequests(ctx)
			if err != nil {
				return err
			}
			n, err := recount(ctx, d.db, len(reqs) > 0, cal, d.rules, mediationPolicy(d.cfg), today())
			d.logWork("clock refresh", n, "changed", n, "requests", len(reqs))
			return err
		},
		"calendar_check": func(ctx context.Context, _ time.Time) error {
			cal, err := d.cal.Get(ctx)
			if err != nil {
				return err
			}
			return checkCalendar(ctx, d.db, cal, today())
		},
		"audit_retention": func(ctx context.Context, _ time.Time) error {
			cutoff := d.db.Now().AddDate(0, 0, -d.cfg.Jobs.AuditRetention.KeepDays)
			n, err := d.db.Audit.ArchiveAudit(ctx, cutoff)
			d.logWork("audit retention", int(n), "archived", n)
			return err
		},
		"audit_anchor": func(ctx context.Context, _ time.Time) error {
			if d.db.AnchorFile == "" {
				d.log.Warn("the audit chain is anchored to the webhooks only: set audit.anchor_file to keep anchors in a file verification checks")
			}
			a, anchored, err := d.db.Audit.AnchorAudit(ctx)
			if anchored {
				d.log.Info("audit anchor", "seq", a.Seq, "hash", a.Hash)
			}
			return err
		},
		"idempotency_expiry": func(ctx context.Context, _ time.Time) error {
			_, err := d.db.Idempotency.ExpireIdempotencyKeys(ctx)
			return err
		},
		"runs_expiry": func(ctx context.Context, _ time.Time) error {
			_, err := d.db.Jobs.ExpireJobRuns(ctx, d.db.Now().AddDate(0, 0, -d.cfg.Jobs.HistoryDays))
			return err
		},
		"notify_delivery": d.deliver,
	}
}

// recount counts again on cal what is stored of the clocks of the open
// cases, or of all (see sqlstore.DB.Recount): the queues, scans and figures
// then follow a holiday notice loaded since, or a pause that went on.
func recount(ctx context.Context, db *sqlstore.DB, all bool, cal *calendar.Calendar, rules *calendar.Rules, pol mediation.Policy, today calendar.Date) (int, error) {
	return db.Clocks.Recount(ctx, all, func(c *mediation.Case) { pol.Clocks(c, cal, rules, today) },
		func(c *reconsideration.Case) { c.ComputeClocks(cal, rules, today) })
}

// logWork logs what a run did when it did something; the run history
// records every run anyway.
func (d jobDeps) logWork(msg string, n int, args ...any) {
	if n > 0 {
		d.log.Info(msg, args...)
	}
}

// checkCalendar reports, from 1 November, a missing holiday table of next
// year (and at any time one of this year): the admins are notified once
// and the run fails, so that GET /api/v1/jobs shows it until the table is
// loaded.
func checkCalendar(ctx context.Context, db *sqlstore.DB, cal *calendar.Calendar, today calendar.Date) error {
	y, m, _ := today.YMD()
	missing := 0
	switch {
	case !cal.Loaded(y):
		missing = y
	case m >= time.November && !cal.Loaded(y+1):
		missing = y + 1
	}
	if missing == 0 {
		return nil
	}
	if _, err := db.Clocks.CalendarMissing(ctx, missing); err != nil {
		return err
	}
	return fmt.Errorf("the %d holiday table is not loaded", missing)
}

// deliver sends the pending webhook deliveries that are due. A failure is
// retried with backoff and dead-lettered after notify.max_attempts.
func (d jobDeps) deliver(ctx context.Context, _ time.Time) error {
	hooks := map[string]notify.Webhook{}
	for _, w := range d.cfg.Notify.Webhooks {
		hooks[w.Name] = notify.Webhook{Name: w.Name, URL: w.URL, Secret: []byte(w.Secret)}
	}
	sender := notify.Sender{Client: &http.Client{Timeout: d.cfg.Notify.Timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	backoff := notify.Backoff(d.cfg.Notify.Backoff, d.cfg.Notify.MaxBackoff)
	for ctx.Err() == nil {
		due, err := d.db.Notifications.DueDeliveries(ctx, 100)
		if err != nil {
			return err
		}
		for _, x := range due {
			var sendErr error
			if w, ok := hooks[x.Webhook]; ok {
				sendErr = sender.Send(ctx, w, strconv.FormatInt(x.EventID, 10), x.Kind, x.Payload)
			} else {
				sendErr = fmt.Errorf("webhook %s is no longer configured", x.Webhook)
			}
			if err := d.db.Notifications.DeliveryDone(ctx, x.EventID, x.Webhook, sendErr, d.cfg.Notify.MaxAttempts, backoff); err != nil {
				return err
			}
		}
		if len(due) < 100 {
			return nil
		}
	}
	return ctx.Err()
}
