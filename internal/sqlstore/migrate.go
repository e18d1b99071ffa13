package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"jiefen"
)

//go:embed migrations
var migrationFS embed.FS

// migration is one embedded, numbered SQL file. Files are never edited once
// landed; a change is a new file.
type migration struct {
	version int
	name    string
	stmts   []string
}

func (db *DB) migrations() ([]migration, error) {
	dir := path.Join("migrations", db.dialect)
	entries, err := fs.ReadDir(migrationFS, dir)
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".sql") {
			continue
		}
		n, err := strconv.Atoi(strings.SplitN(name, "_", 2)[0])
		if err != nil {
			return nil, fmt.Errorf("migration %s: name must start with its number", name)
		}
		b, err := migrationFS.ReadFile(path.Join(dir, name))
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: n, name: name, stmts: splitStatements(string(b))})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	for i, m := range out {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %s: numbers must run 1, 2, 3 … without gaps", m.name)
		}
	}
	return out, nil
}

// splitStatements splits a migration on semicolons that end a line; comment
// lines are dropped. Migrations keep semicolons out of string literals.
func splitStatements(src string) []string {
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(src, "\n") {
		t := strings.TrimSpace(line)
		if t == "" || strings.HasPrefix(t, "--") {
			continue
		}
		cur.WriteString(line)
		cur.WriteByte('\n')
		if strings.HasSuffix(t, ";") {
			out = append(out, strings.TrimSuffix(strings.TrimSpace(cur.String()), ";"))
			cur.Reset()
		}
	}
	if s := strings.TrimSpace(cur.String()); s != "" {
		out = append(out, s)
	}
	return out
}

// LatestVersion is the newest schema version this binary knows.
func (db *DB) LatestVersion() int {
	ms, err := db.migrations()
	if err != nil || len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

// SchemaVersion returns the newest migration applied to the database, 0 for
// an empty one.
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	return schemaVersion(ctx, db.sql)
}

// schemaVersion reads the schema version through pool.
func schemaVersion(ctx context.Context, pool *sql.DB) (int, error) {
	var v sql.NullInt64
	err := pool.QueryRowContext(ctx, "SELECT MAX(version) FROM schema_migrations").Scan(&v)
	if err != nil {
		if isMissingTable(err) {
			return 0, nil
		}
		return 0, translate(err)
	}
	return int(v.Int64), nil
}

func isMissingTable(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "no such table") || strings.Contains(msg, "Error 1146")
}

// CheckSchema returns an error unless the database's schema is exactly the
// one this binary was built for. A newer schema means an older binary is
// running against an upgraded database, which it must refuse.
func (db *DB) CheckSchema(ctx context.Context) error {
	have, err := schemaVersion(ctx, db.probe)
	if err != nil {
		return err
	}
	want := db.LatestVersion()
	switch {
	case have > want:
		return jiefen.Errorf(jiefen.EUNAVAILABLE, "database schema %d is newer than this binary's %d: upgrade jiefen", have, want)
	case have < want:
		return jiefen.Errorf(jiefen.EUNAVAILABLE, "database schema %d is older than %d: run jiefen migrate", have, want)
	}
	return nil
}

// Migrate applies every pending migration, each in its own transaction
// together with its row in schema_migrations. On MySQL, DDL commits
// implicitly, so a failed migration may leave part of its DDL behind; the
// version row is written last, so a rerun retries it after repair. It
// refuses a database whose schema is newer than the binary. The run that
// applies migration 0015 also seals under the audit key a chain sealed
// before it (resealAudit), and no other run does.
//
// Replicas that start at the same moment, on one server or on different
// nodes of a Galera cluster, take turns through a lock row in the table
// schema_lock (migrate_lock.go). A replica that finds migrations pending
// takes the lock by inserting that row, or by taking over a row whose
// lease has run out, and then migrates; a duplicate key, or on Galera the
// certification failure (error 1213) of an insert that raced one on
// another node, means that another replica holds it. The holder renews its
// lease while it migrates, checks before each migration that the lock is
// still its own, and deletes the row when done. A replica that does not
// get the lock waits, looking again every poll interval for as long as
// ctx allows, until the row is gone or its lease has run out; it then
// reads the schema version again and returns if the other replica
// migrated everything, or else tries to take the lock itself. A migrator
// that dies thus holds the others up only until its lease runs out. A
// named lock (GET_LOCK) is not used: on Galera it holds on one node only,
// so replicas on two nodes would both migrate and one would fail on the
// other's tables. Leases are compared with the replicas' own clocks, which
// must be kept in sync (NTP). SQLite runs the same code: its one writer
// serialises the lock's statements, and each migration also reads the
// version again inside its transaction, under the file's write lock, so
// that a migration never runs twice even if a lease ran out during one.
func (db *DB) Migrate(ctx context.Context) (applied int, err error) {
	return db.migrateTo(ctx, db.LatestVersion())
}

// migrateTo applies the pending migrations up to version target.
func (db *DB) migrateTo(ctx context.Context, target int) (applied int, err error) {
	return db.migrateLeased(ctx, target, defaultLeaseTiming)
}

// migrateLeased is migrateTo with the migration lock timed by t.
func (db *DB) migrateLeased(ctx context.Context, target int, t leaseTiming) (applied int, err error) {
	ms, err := db.migrations()
	if err != nil {
		return 0, err
	}
	lock, err := db.lockForMigration(ctx, target, len(ms), t)
	if err != nil || lock == nil {
		return 0, err
	}
	// Released after conn is closed (defers run last first): SQLite's pool
	// has one connection.
	defer lock.release(ctx)
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return 0, translate(err)
	}
	defer conn.Close()
	create := "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at DATETIME NOT NULL)"
	if db.dialect == "mysql" {
		create = "CREATE TABLE IF NOT EXISTS schema_migrations (version INT NOT NULL PRIMARY KEY, name VARCHAR(200) NOT NULL, applied_at DATETIME(6) NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"
	}
	if _, err := conn.ExecContext(ctx, create); err != nil {
		return 0, translate(err)
	}
	var have sql.NullInt64
	if err := conn.QueryRowContext(ctx, "SELECT MAX(version) FROM schema_migrations").Scan(&have); err != nil {
		return 0, translate(err)
	}
	if int(have.Int64) > len(ms) {
		return 0, fmt.Errorf("sqlstore: database schema %d is newer than this binary's %d; refusing to run", have.Int64, len(ms))
	}
	for _, m := range ms[have.Int64:max(target, int(have.Int64))] {
		if err := lock.renew(ctx, conn); err != nil {
			return applied, fmt.Errorf("sqlstore: migration %s: %w", m.name, err)
		}
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return applied, translate(err)
		}
		// Under the lock this read finds the version read above, unless the
		// lease ran out since the check above (a migrator stalled past it,
		// or on SQLite a renewal kept out by the file's write lock): then a
		// replica that took the lock over may have applied the migration,
		// which on SQLite this transaction's write lock now excludes.
		var done sql.NullInt64
		if err := tx.QueryRowContext(ctx, "SELECT MAX(version) FROM schema_migrations").Scan(&done); err != nil {
			tx.Rollback()
			return applied, translate(err)
		}
		if int(done.Int64) >= m.version {
			tx.Rollback()
			continue
		}
		for _, s := range db.pending(ctx, tx, m) {
			if _, err := tx.ExecContext(ctx, s); err != nil {
				tx.Rollback()
				return applied, fmt.Errorf("sqlstore: migration %s: %w", m.name, err)
			}
		}
		if m.version == resealMigration {
			if tx, err = db.resealInMigration(ctx, conn, tx); err != nil {
				return applied, fmt.Errorf("sqlstore: migration %s: sealing the audit chain under the key: %w", m.name, err)
			}
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
			m.version, m.name, time.Now().UTC()); err != nil {
			tx.Rollback()
			return applied, fmt.Errorf("sqlstore: migration %s: %w", m.name, err)
		}
		if err := tx.Commit(); err != nil {
			return applied, fmt.Errorf("sqlstore: migration %s: %w", m.name, err)
		}
		applied++
	}
	return applied, nil
}

// pending returns the statements of m to run in tx. Migration 0015 may
// find its DDL in place from a run whose reseal failed (MySQL commits DDL
// at once, and the reseal commits with the migration's row): then only
// its other statements run again, and the reseal is tried again with
// them, instead of the migration failing for good on columns it added.
func (db *DB) pending(ctx context.Context, tx *sql.Tx, m migration) []string {
	if m.version != resealMigration {
		return m.stmts
	}
	var n int
	if tx.QueryRowContext(ctx, "SELECT COUNT(scheme) FROM audit_head").Scan(&n) != nil {
		return m.stmts // no column scheme yet: the first run
	}
	var rest []string
	for _, s := range m.stmts {
		if !strings.HasPrefix(strings.ToUpper(strings.TrimSpace(s)), "ALTER ") {
			rest = append(rest, s)
		}
	}
	return rest
}

// resealInMigration seals the audit chain under the key (resealAudit) in the
// transaction of migration 0015, whose statements tx ran, and returns the
// transaction its row in schema_migrations is to be written in. On MySQL
// the migration's DDL committed implicitly, so the reseal and that row
// commit together in a new transaction: a reseal that fails leaves
// migration 0015 unrecorded, its DDL behind (see Migrate). On failure the
// transaction is rolled back.
func (db *DB) resealInMigration(ctx context.Context, conn *sql.Conn, tx *sql.Tx) (*sql.Tx, error) {
	if db.dialect == "mysql" {
		if err := tx.Commit(); err != nil {
			return nil, err
		}
		var err error
		if tx, err = conn.BeginTx(ctx, nil); err != nil {
			return nil, err
		}
	}
	g := db.gorm.Session(&gorm.Session{NewDB: true, Context: ctx})
	g.Statement.ConnPool = tx
	if _, err := db.resealAudit(ctx, g); err != nil {
		tx.Rollback()
		return nil, err
	}
	return tx, nil
}
