package sqlstore

import "jiefen/routing"

// RegisterBatch registers jobs as one batch, as the Intaker does when they
// arrive together, so that tests can form a batch deterministically.
func (db *DB) RegisterBatch(jobs []*IntakeJob, router *routing.Router, pol IntakePolicy) []IntakeResult {
	return db.registerBatch(jobs, router, pol)
}
