package live_test

import (
	"context"
	"testing"
	"time"

	"jiefen"
	"jiefen/calendar"
	"jiefen/configs"
	"jiefen/internal/live"
	"jiefen/internal/sqlstore"
	"jiefen/internal/sqlstore/storetest"
)

// TestReplicasSeeATableLoadedElsewhere: a table stored through one replica
// is counted by another within its refresh interval.
func TestReplicasSeeATableLoadedElsewhere(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := jiefen.NewContextWithActor(context.Background(), jiefen.Actor{Username: "admin", Role: jiefen.RoleAdmin})
		shipped, err := configs.Holidays()
		if err != nil {
			t.Fatal(err)
		}
		a := live.NewCalendar(db, shipped, calendar.Options{}, time.Hour)
		b := live.NewCalendar(db, shipped, calendar.Options{}, 50*time.Millisecond)
		for _, s := range []*live.Calendar{a, b} {
			cal, err := s.Get(ctx)
			if err != nil || cal.Loaded(2027) || !cal.Loaded(2007) || s.Origin(2026) != "shipped" {
				t.Fatalf("before: %v", err)
			}
		}
		day, _ := calendar.ParseDate("2027-01-01")
		n := calendar.Notice{Year: 2027, Days: []calendar.Day{{Date: day, Name: "元旦", Off: true}}}
		if _, err := db.Calendar.PutCalendarNotice(ctx, n, nil); err != nil {
			t.Fatal(err)
		}
		a.Invalidate() // the replica that stored it
		if cal, _ := a.Get(ctx); !cal.Loaded(2027) || a.Origin(2027) != "database" {
			t.Fatal("the storing replica does not count with the new table")
		}
		time.Sleep(60 * time.Millisecond)
		if cal, _ := b.Get(ctx); !cal.Loaded(2027) {
			t.Fatal("another replica did not pick the table up after its refresh interval")
		}
		if k, _ := mustCal(t, b, ctx).Kind(day); k != calendar.Holiday {
			t.Fatalf("2027-01-01 is %v", k)
		}
		// The database going away keeps the last calendar.
		db.Close()
		b.Invalidate()
		if cal, err := b.Get(ctx); err != nil || !cal.Loaded(2027) {
			t.Fatalf("after the database went away: %v", err)
		}
	})
}

func mustCal(t *testing.T, s *live.Calendar, ctx context.Context) *calendar.Calendar {
	t.Helper()
	c, err := s.Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
