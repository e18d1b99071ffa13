package sqlstore_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"

	"jiefen"
	"jiefen/calendar"
	"jiefen/internal/sqlstore"
	"jiefen/internal/sqlstore/storetest"
	"jiefen/routing"
)

// When several nodes take writes (Options.MultiPrimary) an intake updates
// neither the year's counter row nor the audit head: three replicas
// registering at once hand out unique codes, rising within each replica,
// every one inside a block recorded in dispute_code_blocks; the audit
// entries wait unsealed in audit_pending until SealAudit, run by two
// replicas at once, chains each once, and the chain then verifies with
// every entry in it.
func TestMultiPrimaryIntakeTouchesNoSharedRow(t *testing.T) {
	dbs := storetest.MultiPrimaryReplicas(t, 3)
	ctx := context.Background()
	sys, router, pol := intakeFixture(t, dbs[0])
	// The fixture's orgs are audited at commit time of no one: seal them so
	// that the head below is the chain before the intakes.
	if _, err := dbs[0].Audit.SealAudit(ctx); err != nil {
		t.Fatal(err)
	}
	headSeq := func() int64 {
		var seq int64
		if err := dbs[0].SQL().QueryRow("SELECT seq FROM audit_head WHERE id = 1").Scan(&seq); err != nil {
			t.Fatal(err)
		}
		return seq
	}
	count := func(q string) int64 {
		var n int64
		if err := dbs[0].SQL().QueryRow(q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := headSeq()
	counter := count("SELECT COALESCE(SUM(last), 0) FROM dispute_counters")

	const perReplica = 60 // more than a block: each replica reserves twice
	on, _ := calendar.ParseDate("2026-12-03")
	codes := make([][]string, len(dbs))
	var wg sync.WaitGroup
	for r, db := range dbs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perReplica {
				township := "钟楼街道"
				if i == 7 {
					township = "不存在的乡镇" // refused: its number goes to the next intake
				}
				in := routing.Intake{Title: "t", Category: "neighbour", Source: "walk_in", Township: township, ReceivedOn: on,
					Parties: []jiefen.Party{{Role: "applicant", Name: "甲", IDType: jiefen.IDResident, IDNumber: testIDNumber(r*100 + i)}}}
				d, err := db.Disputes.RegisterDispute(sys, in, router, pol)
				if i == 7 {
					if err == nil {
						t.Errorf("replica %d: an unknown township was registered", r+1)
					}
					continue
				}
				if err != nil {
					t.Errorf("replica %d intake %d: %v", r+1, i, err)
					return
				}
				codes[r] = append(codes[r], d.Code)
			}
		}()
	}
	wg.Wait()
	if t.Failed() {
		return
	}

	seen := map[string]int{}
	for r, cs := range codes {
		for i, c := range cs {
			if prev, ok := seen[c]; ok {
				t.Errorf("code %s handed out by replicas %d and %d", c, prev+1, r+1)
			}
			seen[c] = r
			if i > 0 && number(t, c) <= number(t, cs[i-1]) {
				t.Errorf("replica %d: %s after %s, not rising", r+1, c, cs[i-1])
			}
		}
		// The refused intake's number went to the one after it: a replica's
		// first block has no gap.
		if got, want := number(t, cs[7])-number(t, cs[6]), int64(1); got != want {
			t.Errorf("replica %d: %s after %s: the refused intake left a gap", r+1, cs[7], cs[6])
		}
	}
	type block struct{ first, last int64 }
	var blocks []block
	rows, err := dbs[0].SQL().Query("SELECT first, last FROM dispute_code_blocks WHERE year = 2026 ORDER BY first")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var b block
		if err := rows.Scan(&b.first, &b.last); err != nil {
			t.Fatal(err)
		}
		if len(blocks) > 0 && b.first <= blocks[len(blocks)-1].last {
			t.Errorf("blocks %v and %v overlap", blocks[len(blocks)-1], b)
		}
		blocks = append(blocks, b)
	}
	rows.Close()
	if len(blocks) != 2*len(dbs) {
		t.Errorf("%d blocks reserved, want 2 per replica: %v", len(blocks), blocks)
	}
	for c := range seen {
		n := number(t, c)
		in := false
		for _, b := range blocks {
			in = in || (b.first <= n && n <= b.last)
		}
		if !in {
			t.Errorf("code %s is in no recorded block", c)
		}
	}
	if got := count("SELECT COALESCE(SUM(last), 0) FROM dispute_counters"); got != counter+int64(len(blocks)*50) {
		t.Errorf("the counters moved by %d, want one block of 50 per reservation (%d)", got-counter, len(blocks)*50)
	}

	// The intakes left the head as it was; their entries wait.
	intakes := int64(len(dbs) * (perReplica - 1))
	if got := headSeq(); got != before {
		t.Errorf("the audit head moved from %d to %d: an intake updated it", before, got)
	}
	if got := count("SELECT COUNT(*) FROM audit_pending"); got != intakes {
		t.Errorf("%d entries pending, want %d", got, intakes)
	}
	var sealed [2]int
	var errs [2]error
	for i := range sealed {
		wg.Add(1)
		go func() { defer wg.Done(); sealed[i], errs[i] = dbs[i].Audit.SealAudit(ctx) }()
	}
	wg.Wait()
	if errs[0] != nil || errs[1] != nil {
		t.Fatal(errs)
	}
	if int64(sealed[0]+sealed[1]) != intakes {
		t.Errorf("two sealers sealed %d and %d, want %d in all", sealed[0], sealed[1], intakes)
	}
	if got := count("SELECT COUNT(*) FROM audit_pending"); got != 0 {
		t.Errorf("%d entries still pending", got)
	}
	if got := headSeq(); got != before+intakes {
		t.Errorf("head at %d, want %d", got, before+intakes)
	}
	check, err := dbs[2].Audit.VerifyAudit(ctx)
	if err != nil || check.FirstBroken != 0 || check.Checked != before+intakes {
		t.Fatalf("verify: %+v, %v; want %d entries, unbroken", check, err, before+intakes)
	}
	entries, err := dbs[1].Audit.ListAudit(ctx, sqlstore.AuditFilter{AfterSeq: before, Limit: 1000, Action: "dispute.create"})
	if err != nil || int64(len(entries)) != intakes {
		t.Fatalf("%d dispute.create entries listed (%v), want %d", len(entries), err, intakes)
	}
	for _, e := range entries {
		if e.Actor != "t" || e.Role != string(jiefen.RoleIntake) {
			t.Fatalf("entry %d: actor %q role %q: the writer's context was lost on the way", e.Seq, e.Actor, e.Role)
		}
	}
}

// An entry written on one replica is in the log another replica lists at
// once, without waiting for the interval: reads of the chain seal first.
func TestMultiPrimaryReadsSealFirst(t *testing.T) {
	dbs := storetest.MultiPrimaryReplicas(t, 2)
	ctx := context.Background()
	sys, router, pol := intakeFixture(t, dbs[0])
	on, _ := calendar.ParseDate("2026-12-03")
	d, err := dbs[0].Disputes.RegisterDispute(sys, routing.Intake{Title: "t", Category: "neighbour", Source: "walk_in", Township: "钟楼街道",
		ReceivedOn: on, Parties: []jiefen.Party{{Role: "applicant", Name: "甲", IDType: jiefen.IDResident, IDNumber: testIDNumber(1)}}}, router, pol)
	if err != nil {
		t.Fatal(err)
	}
	entries, err := dbs[1].Audit.ListAudit(ctx, sqlstore.AuditFilter{Limit: 1000, Action: "dispute.create"})
	if err != nil || len(entries) != 1 {
		t.Fatalf("%d entries (%v), want the intake's", len(entries), err)
	}
	if check, err := dbs[1].Audit.VerifyAudit(ctx); err != nil || check.FirstBroken != 0 {
		t.Fatalf("verify: %+v, %v", check, err)
	}
	if !strings.HasPrefix(d.Code, "RZ-2026-") {
		t.Errorf("code %q: the format is the contract's", d.Code)
	}
}

// With several primaries, assignment neither locks nor stamps the
// mediators' rows, and the least loaded still gets the case: four
// neighbour disputes of 钟楼街道 go two to each of its two mediators, in
// turn, and their rows keep the stamp they had (none).
func TestMultiPrimaryAssignsWithoutStampingMediators(t *testing.T) {
	dbs := storetest.MultiPrimaryReplicas(t, 1)
	db := dbs[0]
	sys, router, pol := intakeFixture(t, db)
	hash, err := cheap.Hash("Long-enough-1")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"med-a", "med-b"} {
		if _, err := db.Users.CreateUser(ctxAs(jiefen.RoleSecurity), jiefen.User{Username: name, Role: jiefen.RoleMediator, OrgCode: "RZ-ZL-TWH"}, hash); err != nil {
			t.Fatal(err)
		}
	}
	on, _ := calendar.ParseDate("2026-12-03")
	var got []string
	for i := range 4 {
		d, err := db.Disputes.RegisterDispute(sys, routing.Intake{Title: "t", Category: "neighbour", Source: "walk_in", Township: "钟楼街道",
			ReceivedOn: on, Parties: []jiefen.Party{{Role: "applicant", Name: "甲", IDType: jiefen.IDResident, IDNumber: testIDNumber(i)}}}, router, pol)
		if err != nil {
			t.Fatal(err)
		}
		if d.Routing.Assignee == "" {
			t.Fatalf("dispute %d: not assigned (%+v)", i, d)
		}
		got = append(got, d.Routing.Assignee)
	}
	if got[0] == got[1] || got[0] != got[2] || got[1] != got[3] {
		t.Errorf("assigned %v, want the two mediators in turn", got)
	}
	var stamped int
	if err := db.SQL().QueryRow("SELECT COUNT(*) FROM users WHERE last_assigned_at IS NOT NULL").Scan(&stamped); err != nil {
		t.Fatal(err)
	}
	if stamped != 0 {
		t.Errorf("%d mediators' rows stamped: intakes into one org on two nodes would conflict on them", stamped)
	}
}

// A replica that stops gives back the numbers of its block it did not
// hand out when no one reserved after them, so that a restart leaves no
// gap; numbers another replica reserved after stay gaps, recorded.
func TestMultiPrimaryCloseGivesBackUnusedNumbers(t *testing.T) {
	base := os.Getenv("JIEFEN_TEST_MYSQL_DSN")
	if base == "" {
		t.Skip("JIEFEN_TEST_MYSQL_DSN not set")
	}
	dsn, drop := storetest.NewMySQLDatabase(t, base)
	t.Cleanup(drop)
	openReplica := func() *sqlstore.DB {
		db, err := sqlstore.Open(context.Background(), sqlstore.Options{Driver: "mysql", DSN: dsn, MaxOpenConns: 4, Keys: storetest.Keys(), MultiPrimary: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		return db
	}
	a := openReplica()
	sys, router, pol := intakeFixture(t, a)
	on, _ := calendar.ParseDate("2026-12-03")
	intake := func(db *sqlstore.DB, i int) string {
		d, err := db.Disputes.RegisterDispute(sys, routing.Intake{Title: "t", Category: "neighbour", Source: "walk_in", Township: "钟楼街道",
			ReceivedOn: on, Parties: []jiefen.Party{{Role: "applicant", Name: "甲", IDType: jiefen.IDResident, IDNumber: testIDNumber(i)}}}, router, pol)
		if err != nil {
			t.Fatal(err)
		}
		return d.Code
	}
	blocks := func(db *sqlstore.DB) string {
		rows, err := db.SQL().Query("SELECT first, last FROM dispute_code_blocks ORDER BY first")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var f, l int64
			rows.Scan(&f, &l)
			out = append(out, fmt.Sprintf("%d-%d", f, l))
		}
		return strings.Join(out, " ")
	}
	for i := range 3 {
		intake(a, i)
	}
	b := openReplica()
	intake(b, 10) // b reserves 51-100 after a's 1-50
	b.Close()     // gives 52-100 back: no one reserved after
	if got := blocks(a); got != "1-50 51-51" {
		t.Errorf("blocks after b stopped: %s, want 1-50 51-51", got)
	}
	a.Close() // 4-50 stay gaps: b reserved after them
	c := openReplica()
	if got := blocks(c); got != "1-50 51-51" {
		t.Errorf("blocks after a stopped: %s, want 1-50 51-51", got)
	}
	if got := intake(c, 20); got != "RZ-2026-000052" {
		t.Errorf("the next replica's first code %s, want RZ-2026-000052", got)
	}
	c.Close()
	d := openReplica()
	defer d.Close()
	if got := blocks(d); got != "1-50 51-51 52-52" {
		t.Errorf("blocks after c stopped: %s, want 1-50 51-51 52-52", got)
	}
}

// Several primaries are a cluster of MySQL nodes: a SQLite store refuses.
func TestMultiPrimaryNeedsMySQL(t *testing.T) {
	_, err := sqlstore.Open(context.Background(), sqlstore.Options{Driver: "sqlite", DSN: t.TempDir() + "/j.db", Keys: storetest.Keys(), MultiPrimary: true})
	if err == nil || !strings.Contains(err.Error(), "multi_primary") {
		t.Fatalf("err %v, want a refusal naming multi_primary", err)
	}
}

// number is the serial number of a dispute code, PREFIX-YYYY-NNNNNN.
func number(t *testing.T, code string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(code[strings.LastIndex(code, "-")+1:], 10, 64)
	if err != nil {
		t.Fatalf("code %q: %v", code, err)
	}
	return n
}

// testIDNumber is a valid resident ID number (GB 11643-1999), different
// for each n below 1000.
func testIDNumber(n int) string {
	body := fmt.Sprintf("41048219900101%03d", n%1000)
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(body[i]-'0') * w
	}
	return body + string("10X98765432"[sum%11])
}
