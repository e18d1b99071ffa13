package main

import (
	"context"
	"sync"
	"testing"

	"jiefen/configs"
	"jiefen/internal/sqlstore"
	"jiefen/internal/sqlstore/storetest"
)

// Replicas started together on an empty database all find no routing
// rules and all seed them: one stores version 1, and the others, losing
// the race on its key, must come up on the rules it stored rather than
// exit (as one did on the Galera cluster).
func TestPrepareRoutingReplicasStartingTogether(t *testing.T) {
	e, _, _ := testEnv("", map[string]string{})
	c, err := configs.Load("", e.lookup)
	if err != nil {
		t.Fatal(err)
	}
	clocks, err := configs.Rules(c.Calendar.RulesFile)
	if err != nil {
		t.Fatal(err)
	}
	storetest.EachReplicas(t, 4, func(t *testing.T, dbs []*sqlstore.DB) {
		ctx := context.Background()
		start := make(chan struct{})
		errs := make([]error, len(dbs))
		var wg sync.WaitGroup
		for i, db := range dbs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				errs[i] = prepareRouting(ctx, db, c, clocks)
			}()
		}
		close(start)
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("replica %d: %v", i+1, err)
			}
		}
		v, err := dbs[0].Routing.RoutingRulesVersion(ctx)
		if err != nil || v != 1 {
			t.Fatalf("routing rules version %d (%v), want 1: seeded once", v, err)
		}
	})
}
