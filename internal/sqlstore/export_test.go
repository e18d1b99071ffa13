package sqlstore

import (
	"context"

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
