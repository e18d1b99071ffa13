package schedule_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/robfig/cron/v3"

	"jiefen/internal/schedule"
	"jiefen/internal/sqlstore"
	"jiefen/internal/sqlstore/storetest"
)

var shanghai = mustLoad("Asia/Shanghai")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// ticks counts the calls of a job by tick.
type ticks struct {
	mu      sync.Mutex
	calls   map[time.Time]int
	order   []time.Time
	running atomic.Int32
	overlap atomic.Bool
}

func newTicks() *ticks { return &ticks{calls: map[time.Time]int{}} }

func (c *ticks) run(sleep time.Duration) func(context.Context, time.Time) error {
	return func(ctx context.Context, tick time.Time) error {
		if c.running.Add(1) > 1 {
			c.overlap.Store(true)
		}
		defer c.running.Add(-1)
		c.mu.Lock()
		c.calls[tick.UTC()]++
		c.order = append(c.order, tick.UTC())
		c.mu.Unlock()
		select {
		case <-time.After(sleep):
		case <-ctx.Done():
		}
		return nil
	}
}

func (c *ticks) snapshot() (map[time.Time]int, []time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	m := map[time.Time]int{}
	for k, v := range c.calls {
		m[k] = v
	}
	return m, append([]time.Time(nil), c.order...)
}

func start(t *testing.T, db *sqlstore.DB, replica string, clock schedule.Clock, catchUp int, jobs ...schedule.Job) (stop func()) {
	t.Helper()
	s := schedule.New(db.Jobs, schedule.Options{Replica: replica, Location: shanghai, Lease: time.Minute, CatchUp: catchUp, Clock: clock})
	for _, j := range jobs {
		if err := s.Add(j); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.Run(ctx); close(done) }()
	var once sync.Once
	stop = func() { once.Do(func() { cancel(); <-done }) }
	t.Cleanup(stop)
	return stop
}

func TestEveryTickRunsOnceAcrossReplicas(t *testing.T) {
	t.Parallel()
	storetest.EachReplicas(t, 2, func(t *testing.T, dbs []*sqlstore.DB) {
		c := newTicks()
		job := schedule.Job{Name: "overdue_scan", Spec: "@every 1s", Run: c.run(50 * time.Millisecond)}
		stopA := start(t, dbs[0], "replica-a", nil, 3, job)
		stopB := start(t, dbs[1], "replica-b", nil, 3, job)
		time.Sleep(3500 * time.Millisecond)
		stopA() // a replica dies; the other carries on
		killed := time.Now()
		time.Sleep(2500 * time.Millisecond)
		// Stopped before counting, so that no tick starts between the count
		// of calls and the read of the recorded runs.
		stopB()

		calls, _ := c.snapshot()
		if len(calls) < 4 {
			t.Fatalf("%d ticks ran in 6 s, want at least 4", len(calls))
		}
		for tick, n := range calls {
			if n != 1 {
				t.Errorf("tick %s ran %d times", tick.Format(time.RFC3339), n)
			}
		}
		runs, err := dbs[1].Jobs.JobRuns(context.Background(), "overdue_scan", 100)
		if err != nil {
			t.Fatal(err)
		}
		// Every tick that ran has its run recorded: ok, running (the last
		// one, still in progress) or failed ("stopped by shutdown": the
		// run replica-a was in when it stopped). Skipped runs never ran.
		recorded := 0
		after := 0
		for _, r := range runs {
			if r.Outcome != schedule.Skipped {
				recorded++
			}
			if r.ScheduledAt.After(killed.Add(time.Second)) {
				after++
				if r.Replica != "replica-b" {
					t.Errorf("tick %s ran on %s after replica-a stopped", r.ScheduledAt, r.Replica)
				}
			}
		}
		if after == 0 {
			t.Errorf("no tick ran after replica-a stopped: %+v", runs)
		}
		if recorded != len(calls) {
			t.Errorf("%d runs recorded, %d ticks ran", recorded, len(calls))
		}
	})
}

func TestAJobNeverOverlapsItself(t *testing.T) {
	t.Parallel()
	storetest.EachReplicas(t, 2, func(t *testing.T, dbs []*sqlstore.DB) {
		c := newTicks()
		job := schedule.Job{Name: "slow", Spec: "@every 1s", Run: c.run(2200 * time.Millisecond)}
		start(t, dbs[0], "replica-a", nil, 3, job)
		start(t, dbs[1], "replica-b", nil, 3, job)
		time.Sleep(5 * time.Second)
		if c.overlap.Load() {
			t.Error("two runs of the job overlapped")
		}
		runs, err := dbs[0].Jobs.JobRuns(context.Background(), "slow", 100)
		if err != nil {
			t.Fatal(err)
		}
		skipped := 0
		for _, r := range runs {
			if r.Outcome == schedule.Skipped {
				skipped++
			}
		}
		if skipped == 0 {
			t.Errorf("no tick was skipped while a 2.2 s run held the lease: %+v", runs)
		}
	})
}

// fixedClock stands still: the scheduler sees one instant and its waits
// never end, so what runs is what was due at that instant.
type fixedClock struct{ now time.Time }

func (c fixedClock) Now() time.Time                     { return c.now }
func (fixedClock) After(time.Duration) <-chan time.Time { return nil }

func TestMissedTicksAreCaughtUpAfterDowntime(t *testing.T) {
	day0 := time.Date(2026, 10, 9, 10, 0, 0, 0, shanghai)
	for _, tc := range []struct {
		catchUp int
		first   time.Time
		n       int
	}{
		{catchUp: 48, first: day0.Add(time.Hour), n: 24},    // a day of hourly ticks, all caught up
		{catchUp: 5, first: day0.Add(20 * time.Hour), n: 5}, // bounded: the latest five
		{catchUp: 1, first: day0.Add(24 * time.Hour), n: 1}, // only the latest
	} {
		t.Run(fmt.Sprint("catch_up=", tc.catchUp), func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
				ctx := context.Background()
				// The last tick recorded before the downtime.
				if won, err := db.Jobs.ClaimTick(ctx, "hourly", day0, "old", day0, day0.Add(time.Minute)); err != nil || !won {
					t.Fatalf("ClaimTick = %v, %v", won, err)
				}
				if err := db.Jobs.FinishTick(ctx, "hourly", day0, "old", day0.Add(time.Second), schedule.OK, ""); err != nil {
					t.Fatal(err)
				}
				c := newTicks()
				back := day0.Add(24*time.Hour + 30*time.Minute) // a day later
				start(t, db, "replica-a", fixedClock{back}, tc.catchUp, schedule.Job{Name: "hourly", Spec: "@hourly", Run: c.run(0)})
				waitFor(t, func() bool { _, order := c.snapshot(); return len(order) >= tc.n })
				time.Sleep(100 * time.Millisecond)
				_, order := c.snapshot()
				if len(order) != tc.n {
					t.Fatalf("%d ticks caught up, want %d", len(order), tc.n)
				}
				for i, tick := range order {
					if want := tc.first.Add(time.Duration(i) * time.Hour); !tick.Equal(want) {
						t.Errorf("tick %d = %s, want %s", i, tick.In(shanghai), want)
					}
				}
			})
		})
	}
}

func TestAStaleRunIsTakenOver(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		now := time.Now()
		tick := now.Add(-2 * time.Minute).Truncate(time.Hour)
		// A replica claimed the tick and died: its lease ran out a minute ago.
		if won, err := db.Jobs.ClaimTick(ctx, "daily", tick, "dead", now.Add(-2*time.Minute), now.Add(-time.Minute)); err != nil || !won {
			t.Fatalf("ClaimTick = %v, %v", won, err)
		}
		c := newTicks()
		start(t, db, "replica-b", nil, 3, schedule.Job{Name: "daily", Spec: "@daily", Run: c.run(0)})
		waitFor(t, func() bool { calls, _ := c.snapshot(); return calls[tick.UTC()] == 1 })
		waitFor(t, func() bool {
			r, err := db.Jobs.LastRun(ctx, "daily")
			return err == nil && r != nil && r.Outcome == schedule.OK
		})
		r, _ := db.Jobs.LastRun(ctx, "daily")
		if r.Replica != "replica-b" || r.Attempt != 2 {
			t.Errorf("run = %+v, want replica-b's second attempt", r)
		}
		// A live claim is not taken over.
		if won, _ := db.Jobs.ClaimTick(ctx, "daily", tick, "replica-c", time.Now(), time.Now().Add(time.Minute)); won {
			t.Error("a finished tick was claimed again")
		}
	})
}

func TestAPanicIsRecordedAndTheJobGoesOn(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		var n atomic.Int32
		start(t, db, "replica-a", nil, 3, schedule.Job{Name: "boom", Spec: "@every 1s", Run: func(context.Context, time.Time) error {
			if n.Add(1) == 1 {
				panic("boom")
			}
			return nil
		}})
		waitFor(t, func() bool { return n.Load() >= 2 })
		time.Sleep(200 * time.Millisecond)
		runs, err := db.Jobs.JobRuns(context.Background(), "boom", 10)
		if err != nil {
			t.Fatal(err)
		}
		var failed, ok int
		for _, r := range runs {
			switch {
			case r.Outcome == schedule.Failed && r.Error == "panic: boom":
				failed++
			case r.Outcome == schedule.OK:
				ok++
			}
		}
		if failed != 1 || ok < 1 {
			t.Errorf("runs = %+v, want one failed with the panic and then ok", runs)
		}
	})
}

func TestEveryTicksAlignOnTheEpoch(t *testing.T) {
	sched, err := cron.NewParser(cron.Descriptor).Parse("@every 90s")
	if err != nil {
		t.Fatal(err)
	}
	// Two replicas that started at different moments compute the same ticks.
	a := schedule.Next(sched, time.Date(2026, 11, 25, 8, 0, 7, 0, time.UTC), time.UTC)
	b := schedule.Next(sched, time.Date(2026, 11, 25, 8, 0, 59, 0, time.UTC), time.UTC)
	want := time.Date(2026, 11, 25, 8, 1, 30, 0, time.UTC)
	if !a.Equal(want) || !b.Equal(want) {
		t.Errorf("Next = %s, %s; want %s", a, b, want)
	}
	// A cron spec is read in the location given.
	daily, _ := cron.ParseStandard("0 2 * * *")
	got := schedule.Next(daily, time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC), shanghai)
	if want := time.Date(2026, 11, 26, 2, 0, 0, 0, shanghai); !got.Equal(want) {
		t.Errorf("0 2 * * * after 16:00 Shanghai = %s, want %s", got, want)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
