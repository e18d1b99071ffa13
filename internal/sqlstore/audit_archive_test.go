package sqlstore_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"jiefen"
	"jiefen/internal/audit"
	"jiefen/internal/sqlstore"
	"jiefen/internal/sqlstore/storetest"
)

// count returns the number of rows of table.
func count(t *testing.T, db *sqlstore.DB, table string) int64 {
	t.Helper()
	var n int64
	if err := db.SQL().QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// wantVerified fails unless the chain verifies intact with want entries.
func wantVerified(t *testing.T, db *sqlstore.DB, want int64) {
	t.Helper()
	check, err := db.Audit.VerifyAudit(context.Background())
	if err != nil || check.Checked != want || check.FirstBroken != 0 {
		t.Fatalf("VerifyAudit = %+v, %v; want %d checked, none broken", check, err, want)
	}
}

// wantBroken fails unless the chain is found broken at seq.
func wantBroken(t *testing.T, db *sqlstore.DB, seq int64) {
	t.Helper()
	if check, err := db.Audit.VerifyAudit(context.Background()); err != nil || check.FirstBroken != seq {
		t.Fatalf("VerifyAudit first broken = %d, %v; want %d", check.FirstBroken, err, seq)
	}
}

func mustExec(t *testing.T, db *sqlstore.DB, query string, args ...any) {
	t.Helper()
	if _, err := db.SQL().Exec(query, args...); err != nil {
		t.Fatal(err)
	}
}

// auditKey is the audit key of the test stores (storetest.Keys).
func auditKey(t *testing.T) *audit.Key {
	t.Helper()
	k, err := audit.NewKey(storetest.Keys().AuditKey())
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// seedAudit chains n entries onto the log directly, a second apart from
// at, as many writes would have made them.
func seedAudit(t *testing.T, db *sqlstore.DB, n int, at time.Time) {
	t.Helper()
	key := auditKey(t)
	var seq int64
	var hash string
	if err := db.SQL().QueryRow("SELECT seq, hash FROM audit_head WHERE id = 1").Scan(&seq, &hash); err != nil {
		t.Fatal(err)
	}
	for done := 0; done < n; {
		var sql strings.Builder
		var args []any
		sql.WriteString("INSERT INTO audit_log (seq, at, actor, role, action, target_type, target_id, request_id, " +
			"before_digest, after_digest, changes, prev_hash, hash) VALUES ")
		for i := 0; i < 200 && done < n; i, done = i+1, done+1 {
			e := key.Chain(audit.Entry{At: at.Add(time.Duration(done) * time.Second), Actor: "seed", Role: "admin",
				Action: "org.update", TargetType: "org", TargetID: fmt.Sprint("ORG-", done), After: audit.Digest(done)}, seq, hash)
			if i > 0 {
				sql.WriteString(", ")
			}
			sql.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
			args = append(args, e.Seq, e.At, e.Actor, e.Role, e.Action, e.TargetType, e.TargetID, e.RequestID,
				e.Before, e.After, string(e.Changes), e.PrevHash, e.Hash)
			seq, hash = e.Seq, e.Hash
		}
		mustExec(t, db, sql.String(), args...)
	}
	mustExec(t, db, "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", seq, hash)
}

func TestArchiveAudit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := ctxAs(jiefen.RoleAdmin)
		day0 := time.Date(2024, 1, 1, 8, 0, 0, 0, time.UTC)
		now := day0
		db.Now = func() time.Time { return now }
		create := func(from, to int) {
			t.Helper()
			for i := from; i < to; i++ {
				now = day0.AddDate(0, 0, i)
				if _, err := db.Orgs.CreateOrg(ctx, jiefen.Org{Code: fmt.Sprintf("ORG-%02d", i), Name: "org " + fmt.Sprint(i), Kind: jiefen.OrgOffice}); err != nil {
					t.Fatal(err)
				}
			}
		}
		if n, err := db.Audit.ArchiveAudit(ctx, day0.AddDate(1, 0, 0)); err != nil || n != 0 {
			t.Fatalf("ArchiveAudit of an empty log = %d, %v; want 0", n, err)
		}
		create(0, 10) // seq 1..10, on days 0..9

		n, err := db.Audit.ArchiveAudit(ctx, day0.AddDate(0, 0, 5))
		if err != nil || n != 5 {
			t.Fatalf("ArchiveAudit(day 5) = %d, %v; want 5", n, err)
		}
		if a, l := count(t, db, "audit_archive"), count(t, db, "audit_log"); a != 5 || l != 5 {
			t.Fatalf("archive, log = %d, %d; want 5, 5", a, l)
		}
		wantVerified(t, db, 10)
		if n, err := db.Audit.ArchiveAudit(ctx, day0.AddDate(0, 0, 5)); err != nil || n != 0 {
			t.Fatalf("second ArchiveAudit(day 5) = %d, %v; want 0", n, err)
		}
		if a, l := count(t, db, "audit_archive"), count(t, db, "audit_log"); a != 5 || l != 5 {
			t.Fatalf("after a repeat: archive, log = %d, %d; want 5, 5", a, l)
		}
		var archivedAt time.Time
		if err := db.SQL().QueryRow("SELECT archived_at FROM audit_archive WHERE seq = 1").Scan(&archivedAt); err != nil {
			t.Fatal(err)
		}
		if !archivedAt.Equal(day0.AddDate(0, 0, 9)) {
			t.Errorf("archived_at = %v, want %v", archivedAt, day0.AddDate(0, 0, 9))
		}

		// Everything is old now, but the head stays in the live log.
		n, err = db.Audit.ArchiveAudit(ctx, day0.AddDate(1, 0, 0))
		if err != nil || n != 4 {
			t.Fatalf("ArchiveAudit(next year) = %d, %v; want 4", n, err)
		}
		var live int64
		if err := db.SQL().QueryRow("SELECT seq FROM audit_log").Scan(&live); err != nil || live != 10 {
			t.Fatalf("live log = seq %d, %v; want only the head, 10", live, err)
		}
		wantVerified(t, db, 10)
		create(10, 12)
		wantVerified(t, db, 12)
		entries, err := db.Audit.ListAudit(ctx, sqlstore.AuditFilter{Limit: 100})
		if err != nil || len(entries) != 3 || entries[0].Seq != 10 {
			t.Fatalf("ListAudit = %d entries, %v; want the live 10..12", len(entries), err)
		}

		// An entry in both tables is read once.
		mustExec(t, db, "INSERT INTO audit_log SELECT seq, at, actor, role, action, target_type, target_id, request_id, "+
			"before_digest, after_digest, prev_hash, hash, changes FROM audit_archive WHERE seq = 9")
		wantVerified(t, db, 12)
		mustExec(t, db, "DELETE FROM audit_log WHERE seq = 9")

		mustExec(t, db, "UPDATE audit_archive SET action = 'org.delete' WHERE seq = 3")
		wantBroken(t, db, 3)
		mustExec(t, db, "UPDATE audit_archive SET action = 'org.create' WHERE seq = 3")
		wantVerified(t, db, 12)
		mustExec(t, db, "DELETE FROM audit_archive WHERE seq = 9") // the last archived
		wantBroken(t, db, 9)
		mustExec(t, db, "DELETE FROM audit_archive WHERE seq = 4")
		wantBroken(t, db, 4)
	})
}

// TestArchiveAuditInBatches archives more than one batch and stops at the
// first entry that is not old enough, so that the archive is always the
// beginning of the chain.
func TestArchiveAuditInBatches(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		at := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
		seedAudit(t, db, 2500, at) // seq s made at at + (s-1) seconds
		// Seq 2301 is made before seq 2300: moving stops at 2300.
		mustExec(t, db, "UPDATE audit_log SET at = ? WHERE seq = 2300", at.Add(time.Hour))
		n, err := db.Audit.ArchiveAudit(ctx, at.Add(2400*time.Second))
		if err != nil || n != 2299 {
			t.Fatalf("ArchiveAudit = %d, %v; want 2299", n, err)
		}
		if a, l := count(t, db, "audit_archive"), count(t, db, "audit_log"); a != 2299 || l != 201 {
			t.Fatalf("archive, log = %d, %d; want 2299, 201", a, l)
		}
		wantBroken(t, db, 2300) // the altered time breaks the chain, but nothing is lost
	})
}

// TestArchiveAuditConcurrently runs ArchiveAudit on two replicas at once:
// each entry is moved once.
func TestArchiveAuditConcurrently(t *testing.T) {
	storetest.EachReplicas(t, 2, func(t *testing.T, dbs []*sqlstore.DB) {
		at := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
		seedAudit(t, dbs[0], 2500, at)
		var wg sync.WaitGroup
		moved := make([]int64, len(dbs))
		errs := make([]error, len(dbs))
		for i, db := range dbs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				moved[i], errs[i] = db.Audit.ArchiveAudit(context.Background(), at.AddDate(1, 0, 0))
			}()
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("replica %d: %v", i, err)
			}
		}
		if moved[0]+moved[1] != 2499 {
			t.Fatalf("moved %d + %d, want 2499 in all", moved[0], moved[1])
		}
		if a, l := count(t, dbs[0], "audit_archive"), count(t, dbs[0], "audit_log"); a != 2499 || l != 1 {
			t.Fatalf("archive, log = %d, %d; want 2499, 1", a, l)
		}
		wantVerified(t, dbs[1], 2500)
	})
}

// TestArchiveAuditKeepsADifferingLogEntry refuses to drop a live entry the
// archive holds with another hash.
func TestArchiveAuditKeepsADifferingLogEntry(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		at := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
		seedAudit(t, db, 10, at)
		mustExec(t, db, "INSERT INTO audit_archive SELECT seq, at, actor, role, action, target_type, target_id, request_id, "+
			"before_digest, after_digest, prev_hash, 'forged', ?, changes FROM audit_log WHERE seq = 3", at)
		_, err := db.Audit.ArchiveAudit(context.Background(), at.AddDate(1, 0, 0))
		wantCode(t, err, jiefen.EINTERNAL)
		if a, l := count(t, db, "audit_archive"), count(t, db, "audit_log"); a != 1 || l != 10 {
			t.Fatalf("archive, log = %d, %d; want 1, 10 (the batch undone)", a, l)
		}
	})
}
