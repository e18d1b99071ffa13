package sqlstore_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"jiefen/internal/sqlstore"
	"jiefen/internal/sqlstore/storetest"
)

// unmigrated opens empty stores, SQLite and (with JIEFEN_TEST_MYSQL_DSN)
// MariaDB, for a test that migrates them itself.
func unmigrated(t *testing.T, fn func(t *testing.T, db *sqlstore.DB)) {
	run := func(t *testing.T, o sqlstore.Options) {
		o.Keys = storetest.Keys()
		db, err := sqlstore.Open(context.Background(), o)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		fn(t, db)
	}
	t.Run("sqlite", func(t *testing.T) {
		run(t, sqlstore.Options{Driver: "sqlite", DSN: filepath.Join(t.TempDir(), "jiefen.db")})
	})
	if base := os.Getenv("JIEFEN_TEST_MYSQL_DSN"); base != "" {
		t.Run("mysql", func(t *testing.T) {
			dsn, drop := storetest.NewMySQLDatabase(t, base)
			t.Cleanup(drop)
			run(t, sqlstore.Options{Driver: "mysql", DSN: dsn, MaxOpenConns: 2, MaxIdleConns: 2, ConnMaxLifetime: time.Minute})
		})
	}
}

// TestMigrationToDuties holds cases written under schema 10, where a
// queue's key was the earliest unmet clock of any kind, and migrates them
// to 11: a case left with only the parties' window (agreement, follow-up)
// or failed has no due day any more, nor has a transferred one; each case
// gets its queue rank (a live duty 0, open with none 1, ended 2).
func TestMigrationToDuties(t *testing.T) {
	unmigrated(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		if _, err := db.MigrateTo(ctx, 10); err != nil {
			t.Fatal(err)
		}
		if db.Dialect() == "sqlite" {
			db.SQL().Exec("PRAGMA foreign_keys = OFF") // the cases' disputes are not the point here
		}
		cases := []struct {
			state, nextDue string
			wantDue        any
			wantRank       int
		}{
			{"accepted", "2026-12-20", "2026-12-20", 0},
			{"assigned", "", nil, 1},
			{"agreement", "2026-12-30", nil, 1}, // the 司法确认 window's day
			{"followup", "2026-11-30", nil, 1},
			{"failed", "2026-11-30", nil, 1},
			{"transferred", "2026-12-10", nil, 2},
			{"closed", "", nil, 2},
		}
		for i, c := range cases {
			var due any
			if c.nextDue != "" {
				due = c.nextDue
			}
			if _, err := db.SQL().Exec("INSERT INTO mediation_cases (id, dispute_id, track, org_code, assignee, state, opened_on, clock_rule, assign_reason, version, created_at, updated_at, next_due)"+
				" VALUES (?, ?, 'people', 'RZ-ZL-TWH', 'med', ?, '2026-11-01', 'mediation.people', '', 1, ?, ?, ?)",
				i+1, 100+i, c.state, time.Now().UTC(), time.Now().UTC(), due); err != nil {
				t.Fatal(err)
			}
		}
		for i, state := range []string{"accepted", "received", "decided"} {
			due := any("2026-12-15")
			if state == "decided" {
				due = nil
			}
			if _, err := db.SQL().Exec("INSERT INTO reconsideration_cases (id, applicant, respondent, act, received_on, procedure_, major, state, result, next_due, record, version, created_by, created_at, updated_at)"+
				" VALUES (?, '{}', 'RZ-ZRZYJ', '不予登记', '2026-11-02', 'ordinary', ?, ?, '', ?, '{}', 1, 'fuyi', ?, ?)",
				i+1, false, state, due, time.Now().UTC(), time.Now().UTC()); err != nil {
				t.Fatal(err)
			}
		}
		if n, err := db.Migrate(ctx); err != nil || n != db.LatestVersion()-10 {
			t.Fatalf("migrate from 10: %d, %v", n, err)
		}
		for i, c := range cases {
			var due *time.Time
			var dueText *string
			var rank int
			var err error
			if db.Dialect() == "mysql" {
				err = db.SQL().QueryRow("SELECT next_due, queue_rank FROM mediation_cases WHERE id = ?", i+1).Scan(&due, &rank)
			} else {
				err = db.SQL().QueryRow("SELECT next_due, queue_rank FROM mediation_cases WHERE id = ?", i+1).Scan(&dueText, &rank)
			}
			if err != nil {
				t.Fatal(err)
			}
			var got any
			if due != nil {
				got = due.Format("2006-01-02")
			} else if dueText != nil {
				got = *dueText
			}
			if got != c.wantDue || rank != c.wantRank {
				t.Errorf("a %s case: next_due %v, rank %d; want %v, %d", c.state, got, rank, c.wantDue, c.wantRank)
			}
		}
		for i, want := range []int{0, 0, 2} {
			var rank int
			if err := db.SQL().QueryRow("SELECT queue_rank FROM reconsideration_cases WHERE id = ?", i+1).Scan(&rank); err != nil || rank != want {
				t.Errorf("reconsideration case %d: rank %d (%v), want %d", i+1, rank, err, want)
			}
		}
	})
}
