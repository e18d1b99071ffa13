package sqlstore_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"jiefen/internal/sqlstore"
)

// Lock timings for the tests: a waiting replica looks again every 20 ms;
// the holder renews every 50 ms a lease of 1 s, of the order of a full
// migration on MariaDB (0.3 to 1.5 s here).
const (
	testLease = time.Second
	testRenew = 50 * time.Millisecond
	testPoll  = 20 * time.Millisecond
)

// wantMigratedOnce checks that db is at the latest version, with each
// migration recorded once, and that no lock row is left behind.
func wantMigratedOnce(t *testing.T, db *sqlstore.DB) {
	t.Helper()
	ctx := context.Background()
	if v, err := db.SchemaVersion(ctx); err != nil || v != db.LatestVersion() {
		t.Errorf("schema version %d, %v; want %d", v, err, db.LatestVersion())
	}
	var rows, versions int
	if err := db.SQL().QueryRow("SELECT COUNT(*), COUNT(DISTINCT version) FROM schema_migrations").Scan(&rows, &versions); err != nil ||
		rows != db.LatestVersion() || versions != rows {
		t.Errorf("schema_migrations holds %d rows of %d versions (%v); want %d of as many", rows, versions, err, db.LatestVersion())
	}
	var locks int
	if err := db.SQL().QueryRow("SELECT COUNT(*) FROM schema_lock").Scan(&locks); err != nil || locks != 0 {
		t.Errorf("%d lock rows left (%v), want none", locks, err)
	}
}

// holdLock puts a lock row of another holder in db, its lease running
// out at until.
func holdLock(t *testing.T, db *sqlstore.DB, holder string, until time.Time) {
	t.Helper()
	ctx := context.Background()
	if err := db.CreateMigrationLock(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SQL().ExecContext(ctx, "INSERT INTO schema_lock (name, holder, expires_at) VALUES (?, ?, ?)",
		sqlstore.MigrationLockName, holder, until.UTC().Truncate(time.Microsecond)); err != nil {
		t.Fatal(err)
	}
}

// TestMigrateReplicasStartingTogether: six replicas, each with a store of
// its own on one empty database, migrate at the same moment. All come up;
// the migrations are applied once between them, and recorded once.
func TestMigrateReplicasStartingTogether(t *testing.T) {
	unmigratedReplicas(t, 6, func(t *testing.T, dbs []*sqlstore.DB) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		start := make(chan struct{})
		var wg sync.WaitGroup
		applied := make([]int, len(dbs))
		errs := make([]error, len(dbs))
		for i, db := range dbs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				applied[i], errs[i] = db.MigrateLeased(ctx, testLease, testRenew, testPoll)
			}()
		}
		began := time.Now()
		close(start)
		wg.Wait()
		total := 0
		for i, err := range errs {
			if err != nil {
				t.Errorf("replica %d: %v", i, err)
			}
			total += applied[i]
		}
		if total != dbs[0].LatestVersion() {
			t.Errorf("the replicas applied %v migrations, %d in all; want %d in all", applied, total, dbs[0].LatestVersion())
		}
		wantMigratedOnce(t, dbs[0])
		t.Logf("%d replicas migrated in %v, applying %v", len(dbs), time.Since(began).Round(time.Millisecond), applied)
	})
}

// TestMigrateTakesOverAStaleLease: the lock row of a migrator that died,
// its lease run out, does not hold a start up.
func TestMigrateTakesOverAStaleLease(t *testing.T) {
	unmigrated(t, func(t *testing.T, db *sqlstore.DB) {
		holdLock(t, db, "dead-host/4242/0123456789abcdef", time.Now().Add(-time.Minute))
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if n, err := db.MigrateLeased(ctx, time.Hour, time.Hour, time.Hour); err != nil || n != db.LatestVersion() {
			t.Fatalf("Migrate = %d, %v; want %d, nil", n, err, db.LatestVersion())
		}
		wantMigratedOnce(t, db)
	})
}

// TestMigrateWaitsForALiveLease: while another replica holds the lock
// under a live lease, a start waits (and gives up when its context ends);
// once that replica deletes its row, the start migrates.
func TestMigrateWaitsForALiveLease(t *testing.T) {
	unmigrated(t, func(t *testing.T, db *sqlstore.DB) {
		holdLock(t, db, "live-host/4243/fedcba9876543210", time.Now().Add(time.Hour))
		short, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		if n, err := db.MigrateLeased(short, testLease, testRenew, testPoll); !errors.Is(err, context.DeadlineExceeded) || n != 0 {
			t.Fatalf("Migrate under a live lease = %d, %v; want it to wait until its context ends", n, err)
		}

		type result struct {
			n   int
			err error
		}
		done := make(chan result, 1)
		go func() {
			n, err := db.MigrateLeased(context.Background(), testLease, testRenew, testPoll)
			done <- result{n, err}
		}()
		select {
		case r := <-done:
			t.Fatalf("Migrate under a live lease returned %d, %v without waiting", r.n, r.err)
		case <-time.After(300 * time.Millisecond):
		}
		if v, err := db.SchemaVersion(context.Background()); err != nil || v != 0 {
			t.Fatalf("schema version %d, %v while another replica holds the lock; want 0", v, err)
		}
		if _, err := db.SQL().Exec("DELETE FROM schema_lock WHERE name = ?", sqlstore.MigrationLockName); err != nil {
			t.Fatal(err)
		}
		select {
		case r := <-done:
			if r.err != nil || r.n != db.LatestVersion() {
				t.Fatalf("Migrate once the lock was released = %d, %v; want %d, nil", r.n, r.err, db.LatestVersion())
			}
		case <-time.After(time.Minute):
			t.Fatal("Migrate still waits a minute after the lock was released")
		}
		wantMigratedOnce(t, db)
	})
}

// TestMigrateLeaseIsRenewed: a replica holding the lock renews its lease,
// so that a start waits for it through four leases and more; once the
// holder releases the lock, the start migrates.
func TestMigrateLeaseIsRenewed(t *testing.T) {
	unmigratedReplicas(t, 2, func(t *testing.T, dbs []*sqlstore.DB) {
		const lease = 300 * time.Millisecond
		release, err := dbs[0].HoldMigrationLock(context.Background(), lease, lease/10)
		if err != nil {
			t.Fatal(err)
		}
		wait, cancel := context.WithTimeout(context.Background(), 4*lease)
		defer cancel()
		if n, err := dbs[1].MigrateLeased(wait, lease, lease/10, testPoll); !errors.Is(err, context.DeadlineExceeded) || n != 0 {
			t.Fatalf("Migrate beside a holder that renews = %d, %v; want it to wait until its context ends", n, err)
		}
		release()
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if n, err := dbs[1].MigrateLeased(ctx, lease, lease/10, testPoll); err != nil || n != dbs[1].LatestVersion() {
			t.Fatalf("Migrate once the holder released the lock = %d, %v; want %d, nil", n, err, dbs[1].LatestVersion())
		}
		wantMigratedOnce(t, dbs[1])
	})
}
