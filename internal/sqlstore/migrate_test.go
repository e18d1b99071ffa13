package sqlstore_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"jiefen"
	"jiefen/calendar"
	"jiefen/internal/sqlstore"
	"jiefen/internal/sqlstore/storetest"
	"jiefen/litigation"
)

// unmigrated opens empty stores, SQLite and (with JIEFEN_TEST_MYSQL_DSN)
// MariaDB, for a test that migrates them itself.
func unmigrated(t *testing.T, fn func(t *testing.T, db *sqlstore.DB)) {
	unmigratedReplicas(t, 1, func(t *testing.T, dbs []*sqlstore.DB) { fn(t, dbs[0]) })
}

// unmigratedReplicas is unmigrated with n stores open on one database, as
// n replicas of jiefen starting together would be.
func unmigratedReplicas(t *testing.T, n int, fn func(t *testing.T, dbs []*sqlstore.DB)) {
	run := func(t *testing.T, o sqlstore.Options) {
		o.Keys = storetest.Keys()
		dbs := make([]*sqlstore.DB, n)
		for i := range dbs {
			db, err := sqlstore.Open(context.Background(), o)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			dbs[i] = db
		}
		fn(t, dbs)
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

// TestMigrationToDefendants holds orgs and a lawsuit written under schema
// 11 and migrates them to 12: names and aliases enter the unique index,
// the first of two orgs that shared a name keeping it (a lookup by that
// name is then ambiguous, never a silent pick); the case's defendant is its
// first defendant; its facts may count for a second defendant; the
// rollups gain the city's cells, equal to the sum of the agencies' then.
func TestMigrationToDefendants(t *testing.T) {
	unmigrated(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		if _, err := db.MigrateTo(ctx, 11); err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC()
		exec := func(q string, args ...any) {
			t.Helper()
			if _, err := db.SQL().Exec(q, args...); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		for i, o := range [][3]string{{"T-A", "城东街道办事处", "township"}, {"T-B", "城东街道办事处", "township"}, {"T-C", "汝州市某局", "agency"}} {
			exec("INSERT INTO orgs (id, code, name, kind, parent_code, version, created_at, updated_at) VALUES (?, ?, ?, ?, '', 1, ?, ?)",
				i+1, o[0], o[1], o[2], now, now)
		}
		exec("INSERT INTO org_aliases (alias, org_code, position) VALUES ('某局', 'T-C', 0)")
		exec("INSERT INTO litigation_cases (id, canonical, as_entered, year, court_code, type_code, serial, defendant, plaintiff, cause, filed_on,"+
			" key_flags, hearings, result, loss_causes, version, created_by, created_at, updated_at)"+
			" VALUES (1, '（2025）豫0482行初1号', '（2025）豫0482行初1号', 2025, '豫0482', '行初', 1, 'T-C', '甲', '行政处罚', '2025-03-04', '', '[]', '', '', 1, 't', ?, ?)",
			now, now)
		exec("INSERT INTO litigation_facts (case_id, figure, on_day, month, agency) VALUES (1, 'filed', '2025-03-04', '2025-03', 'T-C')")
		exec("INSERT INTO litigation_rollup (agency, month, figure, n) VALUES ('T-C', '2025-03', 'filed', 1)")
		if n, err := db.Migrate(ctx); err != nil || n != db.LatestVersion()-11 {
			t.Fatalf("migrate from 11: %d, %v", n, err)
		}
		var holder string
		if err := db.SQL().QueryRow("SELECT org_code FROM org_names WHERE name = '城东街道办事处'").Scan(&holder); err != nil || holder != "T-A" {
			t.Errorf("城东街道办事处 is indexed for %q (%v), want the first org, T-A", holder, err)
		}
		if err := db.SQL().QueryRow("SELECT org_code FROM org_names WHERE name = '某局'").Scan(&holder); err != nil || holder != "T-C" {
			t.Errorf("the alias 某局 is indexed for %q (%v), want T-C", holder, err)
		}
		_, err := db.Litigation.ResolveAgency(ctx, "城东街道", "defendant")
		if e, ok := err.(*jiefen.Error); !ok || len(e.Fields) != 1 || !strings.Contains(e.Fields[0].Message, "城东街道办事处（T-A）、城东街道办事处（T-B）") {
			t.Errorf("a name two orgs shared: %v, want it ambiguous", err)
		}
		if code, err := db.Litigation.ResolveAgency(ctx, "汝州市某局", "defendant"); err != nil || code != "T-C" {
			t.Errorf("汝州市某局: %q, %v", code, err)
		}
		c, err := db.Litigation.LitigationCase(ctx, 1)
		if err != nil || !slices.Equal(c.Defendants, []string{"T-C"}) {
			t.Fatalf("the case's defendants: %v, %v", c.Defendants, err)
		}
		exec("INSERT INTO litigation_facts (case_id, figure, on_day, month, agency) VALUES (1, 'filed', '2025-03-04', '2025-03', 'T-A')")
		from, to := calendar.NewDate(2025, 3, 1), calendar.NewDate(2025, 3, 31)
		for _, g := range []litigation.Grouping{{}, {Month: true}} {
			rows, err := db.Litigation.LitigationStats(ctx, from, to, g, "")
			if err != nil || len(rows) != 1 || rows[0].Filed != 1 {
				t.Errorf("the city's figures %+v: %+v, %v; want one suit filed", g, rows, err)
			}
		}
		// The agency's monthly cell, as migration 0024 pivots it.
		rows, err := db.Litigation.LitigationStats(ctx, from, to, litigation.Grouping{Agency: true, Month: true}, "")
		if err != nil || len(rows) != 1 || *rows[0].AgencyCode != "T-C" || rows[0].Filed != 1 || rows[0].Heard != 0 {
			t.Errorf("the agencies' figures by month: %+v, %v; want T-C's suit filed", rows, err)
		}
	})
}

// TestMigrationToAccounts holds an account made under schema 13, years
// before the upgrade, and migrates it: the age of its password counts from
// the upgrade, so that auth.password_max_age stops no account on the day
// of the upgrade, and nothing must be changed or is locked.
func TestMigrationToAccounts(t *testing.T) {
	unmigrated(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		if _, err := db.MigrateTo(ctx, 13); err != nil {
			t.Fatal(err)
		}
		made := time.Date(2021, 3, 1, 8, 0, 0, 0, time.UTC)
		if _, err := db.SQL().Exec("INSERT INTO users (username, password_hash, role, org_code, active, version, created_at, updated_at)"+
			" VALUES ('old.hand', 'x', 'mediator', '', 1, 1, ?, ?)", made, made); err != nil {
			t.Fatal(err)
		}
		before := time.Now().Add(-time.Minute)
		if _, err := db.MigrateTo(ctx, 14); err != nil {
			t.Fatal(err)
		}
		u, err := db.Users.User(ctx, "old.hand")
		if err != nil {
			t.Fatal(err)
		}
		if u.PasswordChangedAt.Before(before) || u.PasswordChangedAt.After(time.Now().Add(time.Minute)) {
			t.Errorf("the password's age counts from %v, not from the upgrade", u.PasswordChangedAt)
		}
		if u.MustChangePassword || !u.CreatedAt.Equal(made) || u.Name != "" {
			t.Errorf("migrated account %+v", u)
		}
	})
}

// TestMigrationToPartyHistory holds two disputes of one party stored under
// schema 19 and migrates them: each ID number's row learns its dispute's
// category and day of receipt, which the repeat lookup now reads there.
func TestMigrationToPartyHistory(t *testing.T) {
	unmigrated(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		if _, err := db.MigrateTo(ctx, 19); err != nil {
			t.Fatal(err)
		}
		const party = "b1e5d00000000000000000000000000000000000000000000000000000000001"
		at := time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)
		for i, on := range []string{"2025-03-01", "2025-02-01"} {
			if _, err := db.SQL().Exec(`INSERT INTO disputes (id, code, title, description, category, source, source_ref, township, amount_fen,
				received_on, flags, recused, parties, status, priority, track, org_code, assignee, rule, reason, guidance, clock_rule,
				basis, intake_org, rules_version, version, created_by, created_at, updated_at)
				VALUES (?, ?, 't', '', 'labour', 'walk_in', '', '', 0, ?, '[]', '[]', '[]', 'routed', 'normal', 'people', '', '', '', '', '', '',
				'', '', 1, 1, 't', ?, ?)`, i+1, fmt.Sprintf("RZ-2025-%06d", i+1), on, at, at); err != nil {
				t.Fatal(err)
			}
			if _, err := db.SQL().Exec("INSERT INTO dispute_party_ids (id_number, dispute_id) VALUES (?, ?)", party, i+1); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.MigrateTo(ctx, 20); err != nil {
			t.Fatal(err)
		}
		rows, err := db.SQL().Query("SELECT dispute_id, category, received_on FROM dispute_party_ids ORDER BY dispute_id")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var got []string
		for rows.Next() {
			var id int
			var category string
			var on any
			if err := rows.Scan(&id, &category, &on); err != nil {
				t.Fatal(err)
			}
			if tm, ok := on.(time.Time); ok {
				on = tm.Format(time.DateOnly)
			}
			got = append(got, fmt.Sprintf("%d %s %s", id, category, on))
		}
		if want := []string{"1 labour 2025-03-01", "2 labour 2025-02-01"}; !slices.Equal(got, want) {
			t.Errorf("migrated party rows %q, want %q", got, want)
		}
	})
}
