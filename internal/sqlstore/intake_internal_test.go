package sqlstore

import (
	"context"
	"fmt"
	"jiefen/internal/pii"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"jiefen"
	"jiefen/calendar"
	"jiefen/configs"
	"jiefen/routing"
)

// TestBatchIDsBothWays registers concurrent intakes (so that batches form)
// with ids taken from the insert and with ids read back, and checks that
// every dispute and case id the answers give is the stored one.
func TestBatchIDsBothWays(t *testing.T) {
	for _, trust := range []bool{true, false} {
		t.Run(fmt.Sprint("trust=", trust), func(t *testing.T) {
			ctx := context.Background()
			keys, err := pii.NewKeyring("k1", map[string][]byte{"k1": []byte("0123456789abcdef")}, []byte("an-index-key-of-32-bytes-long!!!"))
			if err != nil {
				t.Fatal(err)
			}
			db, err := Open(ctx, Options{Driver: "sqlite", DSN: filepath.Join(t.TempDir(), "j.db"), Keys: keys})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if _, err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			db.batchIDs = trust
			sys := jiefen.NewContextWithActor(ctx, jiefen.Actor{Username: "t", Role: jiefen.RoleIntake})
			orgs, _ := configs.SeedOrgs("")
			if _, err := db.Orgs.EnsureOrgs(sys, orgs); err != nil {
				t.Fatal(err)
			}
			set, _ := configs.RoutingRules("")
			set.Version = 1
			clocks, _ := configs.Rules("")
			ns, _ := configs.Holidays()
			cal, _ := calendar.New(calendar.Options{}, ns...)
			router := routing.NewRouter(set, cal, clocks)
			it := NewIntaker(db, IntakePolicy{Policy: routing.Policy{CodePrefix: "RZ", MediatorCapacity: 10, RepeatWindowDays: 180}, IdempotencyTTL: time.Hour},
				func(context.Context) (*routing.Router, error) { return router, nil }, 16)
			var wg sync.WaitGroup
			var mu sync.Mutex
			var got []routing.Dispute
			for i := 0; i < 40; i++ {
				wg.Add(1)
				go func(i int) {
					defer wg.Done()
					cat := routing.Category("family")
					if i%3 == 0 {
						cat = "land_ownership" // guided: no case
					}
					on, _ := calendar.ParseDate("2025-05-06")
					res := it.Register(&IntakeJob{Ctx: sys, Intake: routing.Intake{Title: "t", Category: cat, Source: "walk_in",
						Township: "钟楼街道", ReceivedOn: on, Parties: []jiefen.Party{{Role: "applicant", Name: fmt.Sprint("p", i)}}}})
					mu.Lock()
					defer mu.Unlock()
					if res.Err != nil {
						t.Error(res.Err)
						return
					}
					got = append(got, res.Dispute)
				}(i)
			}
			wg.Wait()
			for _, d := range got {
				stored, err := db.Disputes.Dispute(ctx, d.Code)
				if err != nil || stored.ID != d.ID {
					t.Fatalf("%s: answered id %d, stored %d (%v)", d.Code, d.ID, stored.ID, err)
				}
				if (d.Routing.CaseID == nil) != (stored.Routing.CaseID == nil) || d.Routing.CaseID != nil && *d.Routing.CaseID != *stored.Routing.CaseID {
					t.Fatalf("%s: answered case %v, stored %v", d.Code, d.Routing.CaseID, stored.Routing.CaseID)
				}
			}
			if len(got) != 40 {
				t.Fatalf("%d disputes", len(got))
			}
		})
	}
}
