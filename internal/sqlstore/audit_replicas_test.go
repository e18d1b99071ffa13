package sqlstore_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"jiefen"
	"jiefen/internal/sqlstore"
	"jiefen/internal/sqlstore/storetest"
)

// TestAuditChainAcrossReplicas: writers on two replicas of one database
// append to one chain with no fork and no gap (each entry's sequence is
// the head's plus one, under the head's lock); the auditor's verification
// passes from either replica and, after a stored entry is altered, fails
// at that entry's sequence number.
func TestAuditChainAcrossReplicas(t *testing.T) {
	storetest.EachReplicas(t, 2, func(t *testing.T, dbs []*sqlstore.DB) {
		ctx := ctxAs(jiefen.RoleAdmin)
		const writers = 60
		var wg sync.WaitGroup
		errs := make(chan error, writers)
		for i := 0; i < writers; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				_, err := dbs[i%2].Orgs.CreateOrg(ctx, jiefen.Org{Code: fmt.Sprintf("REPL-%02d", i), Name: "org " + fmt.Sprint(i), Kind: jiefen.OrgOffice})
				errs <- err
			}(i)
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		var n, distinct, lo, hi int64
		if err := dbs[0].SQL().QueryRow("SELECT COUNT(*), COUNT(DISTINCT prev_hash), MIN(seq), MAX(seq) FROM audit_log").Scan(&n, &distinct, &lo, &hi); err != nil {
			t.Fatal(err)
		}
		if n != writers || distinct != writers || lo != 1 || hi != writers {
			t.Fatalf("%d entries, %d distinct predecessors, seq %d..%d; want %d, one chain", n, distinct, lo, hi, writers)
		}
		for i, db := range dbs {
			if check, err := db.Audit.VerifyAudit(ctx); err != nil || check.Checked != writers || check.FirstBroken != 0 {
				t.Fatalf("replica %d: VerifyAudit = %+v, %v", i, check, err)
			}
		}
		if _, err := dbs[1].SQL().Exec("UPDATE audit_log SET target_id = 'REPL-XX' WHERE seq = 33"); err != nil {
			t.Fatal(err)
		}
		if check, _ := dbs[0].Audit.VerifyAudit(ctx); check.FirstBroken != 33 {
			t.Fatalf("an entry altered at 33: first broken %d", check.FirstBroken)
		}
	})
}

// TestOrgNamesUniqueAcrossReplicas: admins on two replicas of one database
// create orgs at once under names that are the same, or the same but for
// the city's name and 办事处: one of each wins, the others are conflicts
// naming the field.
func TestOrgNamesUniqueAcrossReplicas(t *testing.T) {
	storetest.EachReplicas(t, 2, func(t *testing.T, dbs []*sqlstore.DB) {
		ctx := ctxAs(jiefen.RoleAdmin)
		if _, err := dbs[0].Orgs.CreateOrg(ctx, jiefen.Org{Code: "RZ", Name: "汝州市人民政府", Kind: jiefen.OrgOffice}); err != nil {
			t.Fatal(err)
		}
		spellings := [][]string{{"城东街道办事处", "汝州市城东街道", "汝州市城东街道办事处", "城东街道"}, {"汝州市西关镇人民政府", "西关镇", "西关镇政府"}}
		const writers = 24
		var wg sync.WaitGroup
		errs := make([]error, writers)
		for i := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				group := spellings[i%2]
				_, errs[i] = dbs[i%2].Orgs.CreateOrg(ctx, jiefen.Org{Code: fmt.Sprintf("T-%02d", i), Name: group[i/2%len(group)], Kind: jiefen.OrgTownship})
			}()
		}
		wg.Wait()
		won := 0
		for i, err := range errs {
			var je *jiefen.Error
			switch {
			case err == nil:
				won++
			case errors.As(err, &je) && je.Code == jiefen.ECONFLICT && len(je.Fields) == 1 && je.Fields[0].Field == "name":
			default:
				t.Errorf("writer %d: %v", i, err)
			}
		}
		if won != len(spellings) {
			t.Fatalf("%d orgs created, want one per name", won)
		}
	})
}
