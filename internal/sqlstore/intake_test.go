package sqlstore_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"jiefen"
	"jiefen/calendar"
	"jiefen/configs"
	"jiefen/internal/sqlstore"
	"jiefen/internal/sqlstore/storetest"
	"jiefen/routing"
)

// intakeFixture seeds the model city's orgs into db and returns an intake
// desk's context, the shipped routing rules and the intake policy of the
// tests (a 180-day repeat window).
func intakeFixture(t *testing.T, db *sqlstore.DB) (context.Context, *routing.Router, sqlstore.IntakePolicy) {
	t.Helper()
	sys := jiefen.NewContextWithActor(context.Background(), jiefen.Actor{Username: "t", Role: jiefen.RoleIntake})
	orgs, _ := configs.SeedOrgs("")
	if _, err := db.Orgs.EnsureOrgs(sys, orgs); err != nil {
		t.Fatal(err)
	}
	set, _ := configs.RoutingRules("")
	set.Version = 1
	clocks, _ := configs.Rules("")
	ns, _ := configs.Holidays()
	cal, _ := calendar.New(calendar.Options{}, ns...)
	return sys, routing.NewRouter(set, cal, clocks), sqlstore.IntakePolicy{Policy: routing.Policy{CodePrefix: "RZ", MediatorCapacity: 10, RepeatWindowDays: 180}, IdempotencyTTL: time.Hour}
}

// intakeJob is a walk-in dispute of category received on (YYYY-MM-DD),
// brought by the applicant with ID number id.
func intakeJob(sys context.Context, on, id string, category routing.Category) *sqlstore.IntakeJob {
	d, _ := calendar.ParseDate(on)
	return &sqlstore.IntakeJob{Ctx: sys, Intake: routing.Intake{Title: "t", Category: category, Source: "walk_in",
		Township: "钟楼街道", ReceivedOn: d, Parties: []jiefen.Party{{Role: "applicant", Name: "甲", IDType: jiefen.IDResident, IDNumber: id}}}}
}

// registerAll registers jobs as one batch and fails the test on any error.
func registerAll(t *testing.T, db *sqlstore.DB, router *routing.Router, pol sqlstore.IntakePolicy, jobs []*sqlstore.IntakeJob) []sqlstore.IntakeResult {
	t.Helper()
	rs := db.RegisterBatch(jobs, router, pol)
	for _, r := range rs {
		if r.Err != nil {
			t.Fatal(r.Err)
		}
	}
	return rs
}

// TestRepeatsWithinAndAcrossBatches: a party's second dispute of a category
// within the window is a repeat of the first, whether the first is already
// stored or came in the same batch; the link and the flag are stored.
func TestRepeatsWithinAndAcrossBatches(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		sys, router, pol := intakeFixture(t, db)
		job := func(on, id string) *sqlstore.IntakeJob {
			d, _ := calendar.ParseDate(on)
			return &sqlstore.IntakeJob{Ctx: sys, Intake: routing.Intake{Title: "t", Category: "neighbour", Source: "walk_in",
				Township: "钟楼街道", ReceivedOn: d, Parties: []jiefen.Party{{Role: "applicant", Name: "甲", IDType: jiefen.IDResident, IDNumber: id}}}}
		}
		const x, y, z = "110101199003074477", "11010519491231002X", "440524188001010014"
		first := db.RegisterBatch([]*sqlstore.IntakeJob{job("2025-01-10", y), job("2025-01-10", z)}, router, pol)
		batch := db.RegisterBatch([]*sqlstore.IntakeJob{
			job("2025-03-01", x), // new
			job("2025-03-02", x), // repeats the one before, in this batch
			job("2025-03-03", y), // repeats a stored one
			job("2025-09-01", z), // stored one is 234 days old: outside the window
		}, router, pol)
		for _, r := range append(first, batch...) {
			if r.Err != nil {
				t.Fatal(r.Err)
			}
		}
		want := []string{"", batch[0].Dispute.Code, first[0].Dispute.Code, ""}
		for i, r := range batch {
			stored, err := db.Disputes.Dispute(ctx, r.Dispute.Code)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range []routing.Dispute{r.Dispute, stored} {
				got := ""
				if d.RepeatOf != nil {
					got = *d.RepeatOf
				}
				if got != want[i] {
					t.Errorf("dispute %d: repeat of %q, want %q", i, got, want[i])
				}
				if flagged := slices.Contains(d.Flags, routing.FlagRepeat); flagged != (want[i] != "") {
					t.Errorf("dispute %d: repeat flag %v", i, flagged)
				}
			}
		}
	})
}

// TestRepeatLookupWalksPastOtherCategories: the earlier dispute a repeat
// links to is the party's latest in the same category and window, however
// many newer disputes of other categories the party has had since, and
// a party's dispute of the category outside the window is not one.
func TestRepeatLookupWalksPastOtherCategories(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		sys, router, pol := intakeFixture(t, db)
		job := func(on, id string, category routing.Category) *sqlstore.IntakeJob {
			return intakeJob(sys, on, id, category)
		}
		register := func(jobs ...*sqlstore.IntakeJob) []sqlstore.IntakeResult {
			return registerAll(t, db, router, pol, jobs)
		}
		const x, y = "110101199003074477", "11010519491231002X"
		old := register(job("2024-06-01", y, "neighbour"))   // y: outside the window of 2025-03-01
		first := register(job("2025-01-10", x, "neighbour")) // x: the one to find
		var others []*sqlstore.IntakeJob
		for i := range 25 {
			others = append(others, job(fmt.Sprintf("2025-02-%02d", 1+i), x, "labour")) // x: newer, other category
		}
		others = append(others, job("2025-02-27", y, "labour"))
		register(others...)
		got := register(job("2025-03-01", x, "neighbour"), job("2025-03-01", y, "neighbour"))
		if r := got[0].Dispute.RepeatOf; r == nil || *r != first[0].Dispute.Code {
			t.Errorf("x: repeat of %v, want %s (its neighbour dispute, behind 25 labour ones)", r, first[0].Dispute.Code)
		}
		if r := got[1].Dispute.RepeatOf; r != nil {
			t.Errorf("y: repeat of %s; its neighbour dispute %s is 273 days old, outside the window", *r, old[0].Dispute.Code)
		}
	})
}

// TestRepeatLookupFollowsTheRule: the dispute on record a repeat links to
// is the one routing.Repeats names: the party's latest by day of receipt
// (not the last registered: a desk may record a dispute received days
// ago), within each intake's own window, also when a batch holds intakes
// far apart in time.
func TestRepeatLookupFollowsTheRule(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		sys, router, pol := intakeFixture(t, db)
		job := func(on, id string) *sqlstore.IntakeJob { return intakeJob(sys, on, id, "labour") }
		register := func(jobs ...*sqlstore.IntakeJob) []sqlstore.IntakeResult {
			return registerAll(t, db, router, pol, jobs)
		}
		const x, y = "110101199003074477", "11010519491231002X"
		latest := register(job("2025-06-10", x))
		register(job("2025-05-01", x)) // registered later, received earlier
		early := register(job("2024-12-20", y))
		late := register(job("2025-11-20", y))
		got := register(job("2025-06-20", x))
		if r := got[0].Dispute.RepeatOf; r == nil || *r != latest[0].Dispute.Code {
			t.Errorf("x: repeat of %s, want %s, received 2025-06-10, the latest though registered first", orNone(r), latest[0].Dispute.Code)
		}
		both := register(job("2025-12-01", y), job("2025-01-10", y))
		if r := both[0].Dispute.RepeatOf; r == nil || *r != late[0].Dispute.Code {
			t.Errorf("y on 2025-12-01: repeat of %s, want %s", orNone(r), late[0].Dispute.Code)
		}
		if r := both[1].Dispute.RepeatOf; r == nil || *r != early[0].Dispute.Code {
			t.Errorf("y on 2025-01-10: repeat of %s, want %s, within its own window though not the batch's latest", orNone(r), early[0].Dispute.Code)
		}
	})
}

// orNone is the code a repeat links to, or "none".
func orNone(code *string) string {
	if code == nil {
		return "none"
	}
	return *code
}

// TestConcurrentRepeatsAreLinked: intakes of one party arriving at once,
// spread over concurrent batches, still see each other: exactly one is
// new and every other is a repeat.
func TestConcurrentRepeatsAreLinked(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		sys, router, pol := intakeFixture(t, db)
		it := sqlstore.NewIntaker(db, pol, func(context.Context) (*routing.Router, error) { return router, nil }, 4)
		on, _ := calendar.ParseDate("2025-05-06")
		var wg sync.WaitGroup
		results := make([]sqlstore.IntakeResult, 24)
		for i := range results {
			wg.Add(1)
			go func() {
				defer wg.Done()
				// Every third intake is someone else, so that batches mix.
				id := "110101199003074477"
				if i%3 == 0 {
					id = fmt.Sprintf("4104821950%02d%02d%03d", 1+i%12, 1+i%28, i)
					id += checkChar(id)
				}
				results[i] = it.Register(&sqlstore.IntakeJob{Ctx: sys, Intake: routing.Intake{Title: "t", Category: "neighbour", Source: "walk_in",
					Township: "钟楼街道", ReceivedOn: on, Parties: []jiefen.Party{{Role: "applicant", Name: "甲", IDType: jiefen.IDResident, IDNumber: id}}}})
			}()
		}
		wg.Wait()
		fresh := 0
		for i, r := range results {
			if r.Err != nil {
				t.Fatal(r.Err)
			}
			if i%3 != 0 && r.Dispute.RepeatOf == nil {
				fresh++
			}
		}
		if fresh != 1 {
			t.Fatalf("%d of the party's 16 intakes are not repeats, want 1", fresh)
		}
	})
}

// checkChar is the GB 11643 check character of 17 digits.
func checkChar(body string) string {
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for j, w := range weights {
		sum += int(body[j]-'0') * w
	}
	return string("10X98765432"[sum%11])
}
