package sqlstore_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"jiefen"
	"jiefen/internal/audit"
	"jiefen/internal/sqlstore"
	"jiefen/internal/sqlstore/storetest"
)

// sha256Hash is how entries were hashed before the chain was keyed: plain
// SHA-256 over the length-prefixed fields, which anyone can compute.
func sha256Hash(e audit.Entry) string {
	var b strings.Builder
	for _, f := range []string{
		strconv.FormatInt(e.Seq, 10),
		e.At.UTC().Truncate(time.Microsecond).Format("2006-01-02T15:04:05.000000Z"),
		e.Actor, e.Role, e.Action, e.TargetType, e.TargetID, e.RequestID, e.Before, e.After,
		e.PrevHash,
	} {
		b.WriteString(strconv.Itoa(len(f)))
		b.WriteByte(':')
		b.WriteString(f)
	}
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:])
}

// liveEntries returns the entries of the live log.
func liveEntries(t *testing.T, db *sqlstore.DB) []audit.Entry {
	t.Helper()
	es, err := db.Audit.ListAudit(context.Background(), sqlstore.AuditFilter{Limit: 10000})
	if err != nil {
		t.Fatal(err)
	}
	return es
}

// rewriteLog does what an insider with the database would: it replaces the
// live log from sequence number from on with entries, numbered and chained
// from there on with hash, and moves the head.
func rewriteLog(t *testing.T, db *sqlstore.DB, from int64, entries []audit.Entry, hash func(audit.Entry) string) {
	t.Helper()
	var prevHash string
	if err := db.SQL().QueryRow("SELECT hash FROM audit_log WHERE seq = ?", from-1).Scan(&prevHash); err != nil {
		t.Fatal(err)
	}
	mustExec(t, db, "DELETE FROM audit_log WHERE seq >= ?", from)
	seq := from - 1
	for _, e := range entries {
		seq++
		e.Seq, e.PrevHash = seq, prevHash
		e.Hash = hash(e)
		mustExec(t, db, "INSERT INTO audit_log (seq, at, actor, role, action, target_type, target_id, request_id, "+
			"before_digest, after_digest, changes, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			e.Seq, e.At, e.Actor, e.Role, e.Action, e.TargetType, e.TargetID, e.RequestID, e.Before, e.After,
			string(e.Changes), e.PrevHash, e.Hash)
		prevHash = e.Hash
	}
	mustExec(t, db, "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", seq, prevHash)
}

// TestAuditChainHoldsAgainstAnInsider: two dispute.unmask entries deleted
// and the rest chained again, with plain SHA-256 (the old scheme) or under
// another key, break the chain at the first entry chained again.
func TestAuditChainHoldsAgainstAnInsider(t *testing.T) {
	other, err := audit.NewKey([]byte("not-the-audit-key-of-this-store!"))
	if err != nil {
		t.Fatal(err)
	}
	for name, hash := range map[string]func(audit.Entry) string{"sha256": sha256Hash, "another key": other.Hash} {
		t.Run(name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
				ctx := ctxAs(jiefen.RoleIntake)
				for i := range 10 { // seq 1..10; 4 and 7 are reads of personal data
					var err error
					if i == 3 || i == 6 {
						err = db.Disputes.AuditUnmask(ctx, "dispute", fmt.Sprint(100+i))
					} else {
						_, err = db.Orgs.CreateOrg(ctxAs(jiefen.RoleAdmin), jiefen.Org{Code: fmt.Sprintf("INS-%02d", i), Name: "机关" + fmt.Sprint(i), Kind: jiefen.OrgOffice})
					}
					if err != nil {
						t.Fatal(err)
					}
				}
				wantVerified(t, db, 10)
				var kept []audit.Entry
				for _, e := range liveEntries(t, db)[3:] {
					if e.Action != "dispute.unmask" {
						kept = append(kept, e)
					}
				}
				if len(kept) != 5 {
					t.Fatalf("kept %d entries after seq 3, want 5", len(kept))
				}
				rewriteLog(t, db, 4, kept, hash)
				wantBroken(t, db, 4)
			})
		})
	}
}

// seedLegacyAudit makes the log an earlier version left: n entries
// chained with plain SHA-256, the first archived of them in the archive.
// On a database migrated to 0015 already (migrated), the head is marked as
// sealed so, as the migration marks it.
func seedLegacyAudit(t *testing.T, db *sqlstore.DB, n, archived int, migrated bool) (headHash string) {
	t.Helper()
	at := time.Date(2025, 6, 1, 8, 0, 0, 0, time.UTC)
	prev := audit.Genesis
	for i := 1; i <= n; i++ {
		e := audit.Entry{Seq: int64(i), At: at.Add(time.Duration(i) * time.Minute), Actor: "admin", Role: "admin",
			Action: "org.update", TargetType: "org", TargetID: fmt.Sprint("OLD-", i), After: audit.Digest(i), PrevHash: prev}
		e.Hash = sha256Hash(e)
		cols := "seq, at, actor, role, action, target_type, target_id, request_id, before_digest, after_digest, prev_hash, hash"
		args := []any{e.Seq, e.At, e.Actor, e.Role, e.Action, e.TargetType, e.TargetID, e.RequestID, e.Before, e.After, e.PrevHash, e.Hash}
		if migrated {
			cols, args = cols+", changes", append(args, "")
		}
		table := "audit_log"
		if i <= archived {
			table, cols, args = "audit_archive", cols+", archived_at", append(args, at)
		}
		mustExec(t, db, "INSERT INTO "+table+" ("+cols+") VALUES (?"+strings.Repeat(", ?", len(args)-1)+")", args...)
		prev = e.Hash
	}
	mustExec(t, db, "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", n, prev)
	if migrated {
		mustExec(t, db, "UPDATE audit_head SET scheme = 'sha256' WHERE id = 1")
	}
	return prev
}

// changeValues returns the new values of the changes of e by field.
func changeValues(t *testing.T, e audit.Entry) map[string]string {
	t.Helper()
	var cs []audit.Change
	if err := json.Unmarshal(e.Changes, &cs); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, c := range cs {
		out[c.Field] = string(c.Old) + "→" + string(c.New)
	}
	return out
}

// resealEntries counts the audit.reseal entries of the live log.
func resealEntries(t *testing.T, db *sqlstore.DB) int {
	t.Helper()
	es, err := db.Audit.ListAudit(context.Background(), sqlstore.AuditFilter{Action: "audit.reseal", Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	return len(es)
}

// TestResealAudit: a log chained with SHA-256 by an earlier version is
// sealed under the key by the migration to 0015, every entry (archived and
// live) once, verifies after, and the reseal is recorded; migrating again
// (`jiefen migrate`, then a start) does nothing.
func TestResealAudit(t *testing.T) {
	unmigrated(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		if _, err := db.MigrateTo(ctx, 13); err != nil {
			t.Fatal(err)
		}
		oldHead := seedLegacyAudit(t, db, 1500, 700, false)
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		wantVerified(t, db, 1501)
		es, err := db.Audit.ListAudit(ctx, sqlstore.AuditFilter{AfterSeq: 1500, Limit: 10})
		if err != nil || len(es) != 1 || es[0].Action != "audit.reseal" || es[0].Actor != "system" {
			t.Fatalf("after the reseal: %+v, %v; want one audit.reseal entry", es, err)
		}
		got := changeValues(t, es[0])
		for field, want := range map[string]string{"sealed": "→1500", "old_head_hash": `→"` + oldHead + `"`, "old_chain_ok": "→true",
			"old_first_broken": "→0", "old_checked": "→1500", "scheme": `"sha256"→"hmac-sm3"`} {
			if got[field] != want {
				t.Errorf("reseal change %s = %s, want %s", field, got[field], want)
			}
		}
		if n, err := db.Migrate(ctx); err != nil || n != 0 {
			t.Fatalf("Migrate again = %d, %v", n, err)
		}
		if _, err := db.Orgs.CreateOrg(ctxAs(jiefen.RoleAdmin), jiefen.Org{Code: "NEW", Name: "新机关", Kind: jiefen.OrgOffice}); err != nil {
			t.Fatal(err)
		}
		wantVerified(t, db, 1502)
		if n := resealEntries(t, db); n != 1 {
			t.Fatalf("%d audit.reseal entries, want 1", n)
		}
		if err := db.Audit.CheckAuditHead(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

// TestResealAfterAFailedOne: a run whose reseal failed left migration
// 0015's columns behind (MySQL commits DDL at once) without its row: the
// next run applies the rest and seals the chain.
func TestResealAfterAFailedOne(t *testing.T) {
	unmigrated(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		if _, err := db.MigrateTo(ctx, 14); err != nil {
			t.Fatal(err)
		}
		seedLegacyAudit(t, db, 30, 10, false)
		if err := db.ApplyUnrecorded(ctx, 15); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		wantVerified(t, db, 31)
		if n := resealEntries(t, db); n != 1 {
			t.Fatalf("%d audit.reseal entries, want 1", n)
		}
	})
}

// TestResealKeepsAnOldBreak: an old chain found broken is sealed up to
// the break only, so that verification under the key still names it, and
// the reseal records where it broke.
func TestResealKeepsAnOldBreak(t *testing.T) {
	unmigrated(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		if _, err := db.MigrateTo(ctx, 14); err != nil {
			t.Fatal(err)
		}
		seedLegacyAudit(t, db, 20, 5, false)
		mustExec(t, db, "UPDATE audit_log SET target_id = 'FORGED' WHERE seq = 12")
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		wantBroken(t, db, 12)
		got := changeValues(t, liveEntries(t, db)[20-5])
		if got["old_chain_ok"] != "→false" || got["old_first_broken"] != "→12" || got["sealed"] != "→11" {
			t.Errorf("the reseal records %v; want the old chain broken at 12, 11 sealed", got)
		}
	})
}

// TestResealOnReplicas: replicas starting together seal the chain once.
func TestResealOnReplicas(t *testing.T) {
	unmigratedReplicas(t, 2, func(t *testing.T, dbs []*sqlstore.DB) {
		if _, err := dbs[0].MigrateTo(context.Background(), 14); err != nil {
			t.Fatal(err)
		}
		seedLegacyAudit(t, dbs[0], 300, 0, false)
		var wg sync.WaitGroup
		errs := make([]error, len(dbs))
		for i, db := range dbs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = db.Migrate(context.Background())
			}()
		}
		wg.Wait()
		if errs[0] != nil || errs[1] != nil {
			t.Fatalf("migrations: %v", errs)
		}
		wantVerified(t, dbs[1], 301)
		if n := resealEntries(t, dbs[0]); n != 1 {
			t.Fatalf("%d audit.reseal entries, want 1", n)
		}
	})
}

// TestResealIsNotReplayed: an insider who forges an entry and sets the
// head's scheme back to 'sha256' gets no reseal at the next start: the
// writes go on, chained under the key, and verification reports the chain
// broken at 1 before and after the start.
func TestResealIsNotReplayed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := ctxAs(jiefen.RoleAdmin)
		create := func(code string) {
			t.Helper()
			if _, err := db.Orgs.CreateOrg(ctx, jiefen.Org{Code: code, Name: "机关" + code, Kind: jiefen.OrgOffice}); err != nil {
				t.Fatal(err)
			}
		}
		for i := range 6 {
			create(fmt.Sprint("RPL-", i))
		}
		mustExec(t, db, "UPDATE audit_head SET scheme = 'sha256' WHERE id = 1")
		create("RPL-6")
		if check, err := db.Audit.VerifyAudit(ctx); err != nil || check.FirstBroken != 1 || check.Checked != 7 {
			t.Fatalf("the scheme flipped: VerifyAudit = %+v, %v; want broken at 1, 7 checked", check, err)
		}
		mustExec(t, db, "UPDATE audit_log SET actor = 'x', target_id = '1' WHERE seq = 4")
		if _, err := db.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		if n := resealEntries(t, db); n != 0 {
			t.Fatalf("%d audit.reseal entries after the start, want none", n)
		}
		wantBroken(t, db, 1)
		if err := db.Audit.CheckAuditHead(ctx); err == nil || !strings.Contains(err.Error(), "audit_head") {
			t.Fatalf("CheckAuditHead = %v; want the audit head named", err)
		}
		mustExec(t, db, "UPDATE audit_head SET scheme = 'hmac-sm3' WHERE id = 1")
		wantBroken(t, db, 4)
	})
}

// TestAuditAnchors: the head is anchored to the anchor file and the
// webhooks' outbox; history rewritten before an anchor, even under the
// key, breaks verification at the first anchor whose entry changed.
func TestAuditAnchors(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := ctxAs(jiefen.RoleAdmin)
		db.AnchorFile = filepath.Join(t.TempDir(), "jiefen.anchors")
		if _, anchored, err := db.Audit.AnchorAudit(ctx); err != nil || anchored {
			t.Fatalf("anchoring an empty chain = %v, %v; want nothing", anchored, err)
		}
		create := func(from, to int) {
			t.Helper()
			for i := from; i < to; i++ {
				if _, err := db.Orgs.CreateOrg(ctx, jiefen.Org{Code: fmt.Sprintf("ANC-%02d", i), Name: "锚" + fmt.Sprint(i), Kind: jiefen.OrgOffice}); err != nil {
					t.Fatal(err)
				}
			}
		}
		anchor := func(want int64) {
			t.Helper()
			a, anchored, err := db.Audit.AnchorAudit(ctx)
			if err != nil || !anchored || a.Seq != want {
				t.Fatalf("AnchorAudit = %+v, %v, %v; want seq %d", a, anchored, err, want)
			}
		}
		create(0, 5)
		anchor(5)
		if _, anchored, err := db.Audit.AnchorAudit(ctx); err != nil || anchored {
			t.Fatalf("anchoring the same head again = %v, %v; want nothing", anchored, err)
		}
		create(5, 8)
		anchor(8)
		create(8, 10)
		check, err := db.Audit.VerifyAudit(ctx)
		if err != nil || check.FirstBroken != 0 || check.Checked != 10 || check.AnchorsChecked != 2 || check.AnchorsRejected != 0 {
			t.Fatalf("VerifyAudit = %+v, %v; want 10 checked, 2 anchors, none broken", check, err)
		}
		var events int64
		if err := db.SQL().QueryRow("SELECT COUNT(*) FROM events WHERE kind = 'audit.anchor' AND title LIKE '{\"seq\":8,%'").Scan(&events); err != nil || events != 1 {
			t.Fatalf("audit.anchor events of seq 8: %d, %v; want 1", events, err)
		}

		f, err := os.OpenFile(db.AnchorFile, os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(f, "{\"seq\":9,\"hash\":\"%s\",\"at\":\"2026-12-02T08:00:00Z\",\"sig\":\"00\"}\n", strings.Repeat("0", 64))
		f.Close()
		if check, err := db.Audit.VerifyAudit(ctx); err != nil || check.FirstBroken != 0 || check.AnchorsRejected != 1 {
			t.Fatalf("an unsigned line: VerifyAudit = %+v, %v; want it rejected, the chain intact", check, err)
		}

		// A key holder rewrites entry 3 and chains the rest again under the
		// key: the chain holds in itself, the anchors do not.
		key := auditKey(t)
		es := liveEntries(t, db)[2:]
		es[0].TargetID = "ANC-XX"
		rewriteLog(t, db, 3, es, key.Hash)
		if check, err := db.Audit.VerifyAudit(ctx); err != nil || check.FirstBroken != 5 || check.AnchorsChecked != 2 {
			t.Fatalf("history rewritten under the key: VerifyAudit = %+v, %v; want broken at the anchor of 5", check, err)
		}
	})
}

// TestVerifyAuditBesideAnAppend: an entry appended after verification read
// the head, even after the walk's last read, is left to the next
// verification instead of breaking this one just past the last entry.
func TestVerifyAuditBesideAnAppend(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := ctxAs(jiefen.RoleAdmin)
		for i := range 6 {
			if _, err := db.Orgs.CreateOrg(ctx, jiefen.Org{Code: fmt.Sprint("VBA-", i), Name: "机关" + fmt.Sprint(i), Kind: jiefen.OrgOffice}); err != nil {
				t.Fatal(err)
			}
		}
		appended := false
		db.AfterQuery(func(table string, rows int64) {
			if table == "audit_log" && rows == 0 && !appended {
				appended = true
				if _, err := db.Orgs.CreateOrg(ctx, jiefen.Org{Code: "VBA-LATE", Name: "后来的机关", Kind: jiefen.OrgOffice}); err != nil {
					t.Error(err)
				}
			}
		})
		check, err := db.Audit.VerifyAudit(ctx)
		if err != nil || !appended || check.FirstBroken != 0 || check.Checked != 6 {
			t.Fatalf("VerifyAudit = %+v, %v (appended meanwhile: %v); want 6 checked, none broken", check, err, appended)
		}
		wantVerified(t, db, 7)

		// An entry put past the head by hand is no entry appended meanwhile.
		e := liveEntries(t, db)[6]
		mustExec(t, db, "INSERT INTO audit_log (seq, at, actor, role, action, target_type, target_id, request_id, "+
			"before_digest, after_digest, changes, prev_hash, hash) VALUES (8, ?, 'x', 'admin', 'org.create', 'org', 'X', '', '', '', '[]', ?, ?)",
			e.At, e.Hash, e.Hash)
		wantBroken(t, db, 8)
	})
}

// TestAuditAnchorsMissing: anchors jiefen wrote that the anchor file no
// longer holds (the file deleted, or its last lines together with the end
// of the chain) break verification at the first of them; anchors sent
// before the file was configured are not asked of it.
func TestAuditAnchorsMissing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := ctxAs(jiefen.RoleAdmin)
		n := 0
		create := func(count int) {
			t.Helper()
			for range count {
				n++
				if _, err := db.Orgs.CreateOrg(ctx, jiefen.Org{Code: fmt.Sprint("MIS-", n), Name: "锚" + fmt.Sprint(n), Kind: jiefen.OrgOffice}); err != nil {
					t.Fatal(err)
				}
			}
		}
		anchor := func() {
			t.Helper()
			if _, anchored, err := db.Audit.AnchorAudit(ctx); err != nil || !anchored {
				t.Fatalf("AnchorAudit = %v, %v", anchored, err)
			}
		}
		create(2)
		anchor() // 2, to the webhooks only
		file := filepath.Join(t.TempDir(), "jiefen.anchors")
		db.AnchorFile = file
		check, err := db.Audit.VerifyAudit(ctx)
		if err != nil || check.FirstBroken != 2 || check.AnchorsMissing != 1 {
			t.Fatalf("no file while an anchor was sent: VerifyAudit = %+v, %v; want anchor 2 missing", check, err)
		}
		create(3)
		anchor() // 5
		create(3)
		anchor() // 8
		create(1)
		check, err = db.Audit.VerifyAudit(ctx)
		if err != nil || check.FirstBroken != 0 || check.AnchorsChecked != 2 || check.AnchorsMissing != 0 {
			t.Fatalf("VerifyAudit = %+v, %v; want 2 anchors checked, none missing", check, err)
		}
		lines, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Remove(file); err != nil {
			t.Fatal(err)
		}
		check, err = db.Audit.VerifyAudit(ctx)
		if err != nil || check.FirstBroken != 2 || check.AnchorsMissing != 3 || check.AnchorsChecked != 0 {
			t.Fatalf("the file deleted: VerifyAudit = %+v, %v; want 3 anchors missing, broken at 2", check, err)
		}
		// An insider without the key cuts the chain back to 6 and the file
		// back to its first anchor: the chain holds in itself.
		first, _, _ := strings.Cut(string(lines), "\n")
		if err := os.WriteFile(file, []byte(first+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		var hash string
		if err := db.SQL().QueryRow("SELECT hash FROM audit_log WHERE seq = 6").Scan(&hash); err != nil {
			t.Fatal(err)
		}
		mustExec(t, db, "DELETE FROM audit_log WHERE seq > 6")
		mustExec(t, db, "UPDATE audit_head SET seq = 6, hash = ? WHERE id = 1", hash)
		check, err = db.Audit.VerifyAudit(ctx)
		if err != nil || check.FirstBroken != 8 || check.AnchorsMissing != 1 || check.Checked != 6 {
			t.Fatalf("the end cut off with its anchor: VerifyAudit = %+v, %v; want anchor 8 missing", check, err)
		}
	})
}
