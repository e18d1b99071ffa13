package sqlstore_test

import (
	"context"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"jiefen"
	"jiefen/calendar"
	"jiefen/configs"
	"jiefen/internal/sqlstore"
	"jiefen/internal/sqlstore/storetest"
	"jiefen/litigation"
)

// fileLitigation files one case against agency on day and returns its id.
func fileLitigation(t *testing.T, db *sqlstore.DB, serial int, agency string, day calendar.Date) int64 {
	t.Helper()
	ctx := jiefen.NewContextWithActor(context.Background(), jiefen.Actor{Username: "t", Role: jiefen.RoleCourtLiaison})
	f := litigation.Filing{CaseNumber: fmt.Sprintf("（%d）豫0482行初%d号", day.Year(), serial), Defendant: agency,
		Plaintiff: "原告", FiledOn: day}
	n, err := f.Validate(calendar.NewDate(2026, 1, 1))
	if err != nil {
		t.Fatal(err)
	}
	c, err := db.Litigation.CreateLitigation(ctx, f, n)
	if err != nil {
		t.Fatal(err)
	}
	return c.ID
}

func seedAgencies(t *testing.T, db *sqlstore.DB) {
	t.Helper()
	orgs, err := configs.SeedOrgs("")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Orgs.EnsureOrgs(ctxAs(jiefen.RoleAdmin), orgs); err != nil {
		t.Fatal(err)
	}
}

func rollupN(t *testing.T, db *sqlstore.DB, month, agency, figure string) int {
	t.Helper()
	var n int
	err := db.SQL().QueryRow("SELECT COALESCE(SUM("+figure+"), 0) FROM litigation_months WHERE month = ? AND agency = ?",
		month, agency).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestSnapshotMonth(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		seedAgencies(t, db)
		taken := time.Date(2025, 4, 1, 1, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return taken }
		moved := fileLitigation(t, db, 1, "RZ-GAJ", calendar.NewDate(2025, 3, 3))
		fileLitigation(t, db, 2, "RZ-GAJ", calendar.NewDate(2025, 3, 20))
		fileLitigation(t, db, 3, "RZ-RSJ", calendar.NewDate(2025, 3, 31))
		fileLitigation(t, db, 4, "RZ-RSJ", calendar.NewDate(2025, 4, 1))

		n, err := db.Litigation.SnapshotMonth(ctx, "2025-03")
		if err != nil || n != 2 {
			t.Fatalf("SnapshotMonth(2025-03) = %d, %v; want 2", n, err)
		}
		want := []litigation.Snapshot{
			{Month: "2025-03", Agency: "RZ-GAJ", Figure: "filed", N: 2, TakenAt: taken},
			{Month: "2025-03", Agency: "RZ-RSJ", Figure: "filed", N: 1, TakenAt: taken},
		}
		got, err := db.Litigation.Snapshots(ctx, "2025-03", "2025-03", "")
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("Snapshots = %+v, %v\nwant %+v", got, err, want)
		}

		// Later corrections move the rollup, not the snapshot.
		db.Now = func() time.Time { return taken.AddDate(0, 1, 0) }
		sys := jiefen.NewContextWithActor(ctx, jiefen.Actor{Username: "t", Role: jiefen.RoleCourtLiaison})
		if _, err := db.Litigation.ActOnLitigation(sys, moved, sqlstore.LitAction{Name: "t", Do: func(c *litigation.Case) error {
			c.Defendant = "RZ-RSJ"
			return nil
		}}); err != nil {
			t.Fatal(err)
		}
		fileLitigation(t, db, 5, "RZ-ZRZYJ", calendar.NewDate(2025, 3, 10))
		if g, r := rollupN(t, db, "2025-03", "RZ-GAJ", "filed"), rollupN(t, db, "2025-03", "RZ-RSJ", "filed"); g != 1 || r != 2 {
			t.Fatalf("rollup after the correction = %d, %d; want 1, 2", g, r)
		}
		if n, err := db.Litigation.SnapshotMonth(ctx, "2025-03"); err != nil || n != 0 {
			t.Fatalf("second SnapshotMonth(2025-03) = %d, %v; want 0", n, err)
		}
		got, err = db.Litigation.Snapshots(ctx, "2025-03", "2025-03", "")
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("Snapshots after the correction = %+v, %v\nwant %+v", got, err, want)
		}

		if n, err := db.Litigation.SnapshotMonth(ctx, "2025-04"); err != nil || n != 1 {
			t.Fatalf("SnapshotMonth(2025-04) = %d, %v; want 1", n, err)
		}
		if n, err := db.Litigation.SnapshotMonth(ctx, "2025-05"); err != nil || n != 0 {
			t.Fatalf("SnapshotMonth of a month without figures = %d, %v; want 0", n, err)
		}
		got, err = db.Litigation.Snapshots(ctx, "", "", "RZ-RSJ")
		if err != nil || len(got) != 2 || got[0].Month != "2025-03" || got[1].Month != "2025-04" || got[1].N != 1 {
			t.Fatalf("Snapshots of RZ-RSJ = %+v, %v", got, err)
		}
		got, err = db.Litigation.Snapshots(ctx, "2025-04", "", "")
		if err != nil || len(got) != 1 || got[0].Month != "2025-04" || !got[0].TakenAt.Equal(taken.AddDate(0, 1, 0)) {
			t.Fatalf("Snapshots from 2025-04 = %+v, %v", got, err)
		}

		for _, bad := range []string{"", "2025-13", "2025-3", "2025-00", "25-03", "2025-03-01", "2025/03"} {
			_, err := db.Litigation.SnapshotMonth(ctx, bad)
			wantCode(t, err, jiefen.EINVALID)
		}
		_, err = db.Litigation.Snapshots(ctx, "2025-3", "", "")
		wantCode(t, err, jiefen.EINVALID)
		_, err = db.Litigation.Snapshots(ctx, "2025-04", "2025-03", "")
		wantCode(t, err, jiefen.EINVALID)
	})
}

// TestSnapshotMonthConcurrently freezes one month from two replicas at
// once: it is written once.
func TestSnapshotMonthConcurrently(t *testing.T) {
	storetest.EachReplicas(t, 2, func(t *testing.T, dbs []*sqlstore.DB) {
		seedAgencies(t, dbs[0])
		for i, agency := range []string{"RZ-GAJ", "RZ-RSJ", "RZ-ZRZYJ", "RZ-SCJGJ"} {
			fileLitigation(t, dbs[0], i+1, agency, calendar.NewDate(2025, 3, 3+i))
		}
		var wg sync.WaitGroup
		written := make([]int, len(dbs))
		errs := make([]error, len(dbs))
		for i, db := range dbs {
			db.Now = func() time.Time { return time.Date(2025, 4, 1, 1, 0, i, 0, time.UTC) }
			wg.Add(1)
			go func() {
				defer wg.Done()
				written[i], errs[i] = db.Litigation.SnapshotMonth(context.Background(), "2025-03")
			}()
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("replica %d: %v", i, err)
			}
		}
		if written[0]+written[1] != 4 || written[0]*written[1] != 0 {
			t.Fatalf("written %d and %d; want 4 by one replica", written[0], written[1])
		}
		got, err := dbs[1].Litigation.Snapshots(context.Background(), "2025-03", "2025-03", "")
		if err != nil || len(got) != 4 {
			t.Fatalf("Snapshots = %+v, %v", got, err)
		}
		for _, s := range got[1:] {
			if !s.TakenAt.Equal(got[0].TakenAt) {
				t.Fatalf("snapshot taken at two instants: %+v", got)
			}
		}
	})
}
