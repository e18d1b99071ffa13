package sqlstore

import (
	"context"

	"jiefen/routing"
)

// RegisterBatch registers jobs as one batch, as the Intaker does when they
// arrive together, so that tests can form a batch deterministically.
func (db *DB) RegisterBatch(jobs []*IntakeJob, router *routing.Router, pol IntakePolicy) []IntakeResult {
	return db.registerBatch(jobs, router, pol)
}

// MigrateTo applies the pending migrations up to version target, so that a
// test can hold data written under an older schema.
func (db *DB) MigrateTo(ctx context.Context, target int) (int, error) {
	return db.migrateTo(ctx, target)
}
