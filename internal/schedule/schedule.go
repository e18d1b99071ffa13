// Package schedule runs named jobs on cron schedules, each tick once
// across every replica that shares one database.
//
// Scheduled work in jiefen is a scan of the database (what is overdue, what
// is due soon), never a counter held in memory, so it does not matter which
// replica runs a tick, only that one does. A replica claims a tick by
// recording (job, tick) under a unique key in the Ledger; the others see
// the claim and move on. A claim carries a lease: a replica that dies in
// the middle of a run leaves a claim that runs out, and another replica
// takes the tick over. After downtime the ticks missed since the last one
// recorded are run, at most Options.CatchUp of them, oldest first. A job
// never overlaps itself (the Ledger holds one lease per job), recovers from
// panics, stops when the scheduler stops, and records its outcome.
package schedule

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sort"
	"sync"
	"time"

	"github.com/robfig/cron/v3"
)

// Outcomes of a run, as the Ledger records them.
const (
	Running = "running"
	OK      = "ok"
	Failed  = "failed"
	// Skipped: the tick came while the job's previous run still held its
	// lease, so it did not run.
	Skipped = "skipped"
)

// Job is a named piece of scheduled work. Run receives the tick it runs
// for (not the wall clock): a tick caught up after downtime runs with its
// own instant.
type Job struct {
	Name string
	// Spec is a cron expression of five fields (minute hour day month
	// weekday) or a descriptor: @hourly, @daily, @every 1s, ….
	Spec string
	Run  func(ctx context.Context, tick time.Time) error
}

// Ledger records the claims and outcomes of ticks; *sqlstore.DB is the
// implementation, shared by every replica.
type Ledger interface {
	// ClaimTick claims job's tick for replica until lease and reports
	// whether it won: false when another replica claimed it, when it has
	// run, or when the job's previous run still holds its lease (the tick
	// is then recorded as Skipped). A tick whose run was left running past
	// its lease is taken over.
	ClaimTick(ctx context.Context, job string, tick time.Time, replica string, now, lease time.Time) (bool, error)
	// FinishTick records the outcome of a run this replica claimed and
	// releases the job's lease.
	FinishTick(ctx context.Context, job string, tick time.Time, replica string, now time.Time, outcome, errText string) error
	// LastTick is the latest tick of job ever claimed (zero when none).
	LastTick(ctx context.Context, job string) (time.Time, error)
	// StaleTicks are job's ticks left running past their lease.
	StaleTicks(ctx context.Context, job string, now time.Time) ([]time.Time, error)
}

// Clock tells the time and waits; tests pass a fake one.
type Clock interface {
	Now() time.Time
	After(d time.Duration) <-chan time.Time
}

type realClock struct{}

func (realClock) Now() time.Time                         { return time.Now() }
func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// Options configure a Scheduler.
type Options struct {
	// Replica names this process in the run history (host and pid).
	Replica string
	// Location is where cron specs are read: Asia/Shanghai.
	Location *time.Location
	// Lease is how long a run may take: its context ends then, and after
	// it another replica may take the tick over.
	Lease time.Duration
	// CatchUp is the most missed ticks a job runs after downtime; older
	// missed ticks are logged and dropped.
	CatchUp int
	Clock   Clock
	Logger  *slog.Logger
	// Observe, when set, is told of every run's outcome and duration (the
	// metrics).
	Observe func(job, outcome string, took time.Duration)
}

// Scheduler runs jobs. Add every job, then Run.
type Scheduler struct {
	ledger Ledger
	o      Options
	jobs   []*entry
}

type entry struct {
	Job
	sched cron.Schedule
	mu    sync.Mutex
	next  time.Time
}

// Info describes a job: its spec and the next tick this replica waits for.
type Info struct {
	Name string
	Spec string
	Next time.Time
}

// New returns a scheduler recording its ticks in ledger.
func New(ledger Ledger, o Options) *Scheduler {
	if o.Location == nil {
		o.Location = time.UTC
	}
	if o.Clock == nil {
		o.Clock = realClock{}
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Lease <= 0 {
		o.Lease = 10 * time.Minute
	}
	return &Scheduler{ledger: ledger, o: o}
}

// Add registers a job; an unreadable spec is an error naming the job. A
// spec is a standard cron spec (cron.ParseStandard: five fields, or a
// descriptor such as @daily or @every 30s), as configs checks it.
func (s *Scheduler) Add(j Job) error {
	sched, err := cron.ParseStandard(j.Spec)
	if err != nil {
		return fmt.Errorf("schedule: job %s: spec %q: %w", j.Name, j.Spec, err)
	}
	for _, e := range s.jobs {
		if e.Name == j.Name {
			return fmt.Errorf("schedule: job %s added twice", j.Name)
		}
	}
	s.jobs = append(s.jobs, &entry{Job: j, sched: sched})
	return nil
}

// Jobs lists the jobs by name.
func (s *Scheduler) Jobs() []Info {
	out := make([]Info, 0, len(s.jobs))
	for _, e := range s.jobs {
		e.mu.Lock()
		out = append(out, Info{Name: e.Name, Spec: e.Spec, Next: e.next})
		e.mu.Unlock()
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Run runs every job on its schedule until ctx ends, then waits for the
// runs in progress (their contexts end with ctx) and returns.
func (s *Scheduler) Run(ctx context.Context) {
	var wg sync.WaitGroup
	for _, e := range s.jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.loop(ctx, e)
		}()
	}
	wg.Wait()
}

// Next is the tick of sched after t. An @every schedule ticks on multiples
// of its interval since the Unix epoch, not from when a replica started,
// so that every replica computes the same ticks and their claims meet.
func Next(sched cron.Schedule, t time.Time, loc *time.Location) time.Time {
	if every, ok := sched.(cron.ConstantDelaySchedule); ok {
		return t.Truncate(every.Delay).Add(every.Delay)
	}
	return sched.Next(t.In(loc))
}

// due returns the ticks in (after, now], at most max of them (the latest),
// and how many earlier ones it dropped.
func due(sched cron.Schedule, after, now time.Time, loc *time.Location, max int) (ticks []time.Time, dropped int) {
	if max < 1 {
		max = 1
	}
	if every, ok := sched.(cron.ConstantDelaySchedule); ok {
		// Jump over the ticks that would be dropped anyway.
		if skip := int(now.Sub(after)/every.Delay) - max - 1; skip > 0 {
			dropped = skip
			after = after.Add(time.Duration(skip) * every.Delay)
		}
	}
	for t := Next(sched, after, loc); !t.After(now) && !t.IsZero(); t = Next(sched, t, loc) {
		ticks = append(ticks, t)
		if len(ticks) > max {
			ticks = ticks[1:]
			dropped++
		}
	}
	return ticks, dropped
}

// staleEvery is how often a job looks for ticks left running by a replica
// that died.
const staleEvery = 10 * time.Second

func (s *Scheduler) loop(ctx context.Context, e *entry) {
	log := s.o.Logger.With("job", e.Name)
	after, err := s.ledger.LastTick(ctx, e.Name)
	if err != nil {
		log.Warn("schedule: reading the last tick", "err", err)
	}
	now := s.o.Clock.Now()
	if after.IsZero() {
		after = now // a job never run starts with the next tick
	}
	var staleAt time.Time
	for ctx.Err() == nil {
		now = s.o.Clock.Now()
		if !now.Before(staleAt) {
			staleAt = now.Add(staleEvery)
			stale, err := s.ledger.StaleTicks(ctx, e.Name, now)
			if err != nil && ctx.Err() == nil {
				log.Warn("schedule: looking for stale runs", "err", err)
			}
			for _, t := range stale {
				s.runTick(ctx, e, t)
			}
		}
		ticks, dropped := due(e.sched, after, now, s.o.Location, s.o.CatchUp)
		if dropped > 0 {
			log.Warn("schedule: missed ticks dropped beyond the catch-up bound", "dropped", dropped, "catch_up", s.o.CatchUp)
		}
		for _, t := range ticks {
			if ctx.Err() != nil {
				return
			}
			s.runTick(ctx, e, t)
			after = t
		}
		next := Next(e.sched, after, s.o.Location)
		if next.IsZero() {
			return // a spec that never fires again
		}
		e.mu.Lock()
		e.next = next
		e.mu.Unlock()
		wait := next.Sub(s.o.Clock.Now())
		if untilStale := staleAt.Sub(s.o.Clock.Now()); untilStale < wait {
			wait = untilStale
		}
		select {
		case <-ctx.Done():
			return
		case <-s.o.Clock.After(max(wait, 0)):
		}
	}
}

// runTick claims a tick and, when this replica wins it, runs the job
// under the claim's lease and records the outcome.
func (s *Scheduler) runTick(ctx context.Context, e *entry, tick time.Time) {
	log := s.o.Logger.With("job", e.Name, "tick", tick.UTC().Format(time.RFC3339))
	now := s.o.Clock.Now()
	lease := now.Add(s.o.Lease)
	won, err := s.ledger.ClaimTick(ctx, e.Name, tick, s.o.Replica, now, lease)
	if err != nil {
		if ctx.Err() == nil {
			log.Warn("schedule: claiming a tick", "err", err)
		}
		return
	}
	if !won {
		return
	}
	runCtx, cancel := context.WithDeadline(ctx, lease)
	err = call(runCtx, e.Job, tick, log)
	cancel()
	outcome, text := OK, ""
	if err != nil {
		outcome, text = Failed, err.Error()
		if ctx.Err() != nil {
			text = "stopped by shutdown: " + text
		}
		log.Warn("schedule: run failed", "err", text)
	}
	end := s.o.Clock.Now()
	// The outcome is recorded even when ctx has just ended (shutdown).
	fctx, fcancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer fcancel()
	if err := s.ledger.FinishTick(fctx, e.Name, tick, s.o.Replica, end, outcome, text); err != nil {
		log.Warn("schedule: recording the outcome", "err", err)
	}
	if s.o.Observe != nil {
		s.o.Observe(e.Name, outcome, end.Sub(now))
	}
}

// call runs the job, turning a panic into an error; the stack goes to the
// log, not into the run history that the API shows.
func call(ctx context.Context, j Job, tick time.Time, log *slog.Logger) (err error) {
	defer func() {
		if r := recover(); r != nil {
			log.Error("schedule: job panicked", "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	if j.Run == nil {
		return errors.New("no function to run")
	}
	return j.Run(ctx, tick)
}
