package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"gorm.io/gorm"

	"jiefen/routing"
)

// RegisterBatch registers jobs as one batch, as the Intaker does when they
// arrive together, so that tests can form a batch deterministically.
func (db *DB) RegisterBatch(jobs []*IntakeJob, router *routing.Router, pol IntakePolicy) []IntakeResult {
	return db.Disputes.registerBatch(jobs, router, pol)
}

// MigrateTo applies the pending migrations up to version target, so that a
// test can hold data written under an older schema.
func (db *DB) MigrateTo(ctx context.Context, target int) (int, error) {
	return db.migrateTo(ctx, target)
}

// MigrateLeased is Migrate with the migration lock's lease, the holder's
// renewal interval and a waiting replica's poll interval set by the test.
func (db *DB) MigrateLeased(ctx context.Context, lease, renew, poll time.Duration) (int, error) {
	return db.migrateLeased(ctx, db.LatestVersion(), leaseTiming{lease: lease, renew: renew, poll: poll})
}

// CreateMigrationLock creates the table of the migration lock, so that a
// test can put a row in it; the row of the lock is named MigrationLockName.
func (db *DB) CreateMigrationLock(ctx context.Context) error { return db.createMigrationLock(ctx) }

const MigrationLockName = migrationLockName

// HoldMigrationLock takes the migration lock of an unmigrated database as
// a migrating replica does, renewing its lease, until release.
func (db *DB) HoldMigrationLock(ctx context.Context, lease, renew time.Duration) (release func(), err error) {
	l, err := db.lockForMigration(ctx, db.LatestVersion(), db.LatestVersion(), leaseTiming{lease: lease, renew: renew, poll: renew})
	if err != nil {
		return nil, err
	}
	if l == nil {
		return nil, errors.New("nothing to migrate, so no lock taken")
	}
	return func() { l.release(context.Background()) }, nil
}

// AfterQuery calls fn after every query gorm runs, with the table it read
// and the rows it returned, so that a test can act between two reads of a
// use case.
func (db *DB) AfterQuery(fn func(table string, rows int64)) {
	if err := db.gorm.Callback().Query().After("gorm:query").Register("test:after_query", func(g *gorm.DB) {
		fn(g.Statement.Table, g.RowsAffected)
	}); err != nil {
		panic(err)
	}
}

// ApplyUnrecorded runs the statements of migration version without its row
// in schema_migrations, as a run that failed after them leaves them.
func (db *DB) ApplyUnrecorded(ctx context.Context, version int) error {
	ms, err := db.migrations()
	if err != nil {
		return err
	}
	for _, s := range ms[version-1].stmts {
		if _, err := db.sql.ExecContext(ctx, s); err != nil {
			return err
		}
	}
	return nil
}

// Tx runs fn through the transaction helper every use case uses, reruns
// included, so that a test can make a transaction fail as it likes.
func (db *DB) Tx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return db.tx(ctx, fn)
}

// RetryAttempts is how many times tx runs a use case at most.
const RetryAttempts = retryAttempts

// SetRetry makes tx run a use case at most attempts times, waiting at
// most base before the first rerun (doubling after, up to 200 ms or base).
func (db *DB) SetRetry(attempts int, base time.Duration) {
	db.retry = retryPolicy{attempts: attempts, base: base, max: max(base, retryMax)}
}

// FailAuditWrites makes the next n audit entries written (by any use case,
// in its transaction) fail with err, as the database fails a statement
// that loses a race: late in the transaction, after the use case's other
// writes. Each call adds its own n.
func (db *DB) FailAuditWrites(n int, err error) {
	left := new(atomic.Int64)
	left.Store(int64(n))
	if e := db.gorm.Callback().Create().After("gorm:create").Register(fmt.Sprintf("test:fail_audit:%p", left), func(g *gorm.DB) {
		if g.Statement.Table == "audit_log" && left.Add(-1) >= 0 {
			g.AddError(err)
		}
	}); e != nil {
		panic(e)
	}
}

// RowsFile is a court file of rows already read, for ImportFile.
type RowsFile = rowsFile
