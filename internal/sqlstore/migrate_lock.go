package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"time"

	mysqldriver "github.com/go-sql-driver/mysql"
)

// The migration lock is one row of its own table, schema_lock, named
// migrationLockName. Whoever inserted it, or took it over once its lease
// had run out, migrates; everyone else waits for it to go. See Migrate.
const migrationLockName = "migrate"

// leaseTiming times the migration lock: how long a lease lasts unless
// renewed, how often its holder renews it, and how often a replica that
// waits for it looks again. Tests shorten them (export_test.go).
type leaseTiming struct {
	lease, renew, poll time.Duration
}

// defaultLeaseTiming: a migrator that dies holds the others up for at
// most 30 s; a live one renews three times per lease, so that two missed
// renewals (a database that stalls, a busy SQLite file) lose nothing.
var defaultLeaseTiming = leaseTiming{lease: 30 * time.Second, renew: 10 * time.Second, poll: 500 * time.Millisecond}

// errLeaseLost: another replica took the migration lock over because its
// lease ran out unrenewed.
var errLeaseLost = errors.New("sqlstore: the migration lock's lease ran out and another replica took it over")

// createMigrationLock creates the lock's table if it is missing. On a
// Galera cluster two nodes may run this at the same moment: DDL is
// replicated in total order isolation (TOI), which runs it on every node
// at one point of the cluster's order, so the second CREATE TABLE finds
// the first one's table and IF NOT EXISTS makes it a no-op, as on one
// server. The table has a primary key, which Galera needs to certify its
// rows.
func (db *DB) createMigrationLock(ctx context.Context) error {
	create := "CREATE TABLE IF NOT EXISTS schema_lock (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at DATETIME NOT NULL)"
	if db.dialect == "mysql" {
		create = "CREATE TABLE IF NOT EXISTS schema_lock (name VARCHAR(64) NOT NULL PRIMARY KEY, holder VARCHAR(128) NOT NULL," +
			" expires_at DATETIME(6) NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"
	}
	_, err := db.sql.ExecContext(ctx, create)
	return translate(err)
}

// migrationLock is the lock held by one run of Migrate.
type migrationLock struct {
	db     *DB
	holder string
	timing leaseTiming
	stop   chan struct{}
	done   chan struct{}
}

// newHolder names one run of Migrate: host, process and 8 random bytes,
// so that two runs in one process (tests, tools holding two stores) are
// told apart as well as two processes.
func newHolder() string {
	host, _ := os.Hostname()
	if len(host) > 64 {
		host = host[:64]
	}
	b := make([]byte, 8)
	rand.Read(b)
	return fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(b))
}

// lockForMigration returns the migration lock once this run holds it, or
// nil when there is nothing left to migrate up to target: the database is
// at target already, or reaches it while this run waits for a replica
// that migrates. known is the newest version this binary knows; a newer
// schema is refused. Every statement is a single autocommit one.
func (db *DB) lockForMigration(ctx context.Context, target, known int, t leaseTiming) (lock *migrationLock, err error) {
	// A wait whose context ends while a statement runs ends as one that
	// ends between two polls: SQLite answers "interrupted" then, not the
	// context's error.
	defer func() {
		if err != nil && ctx.Err() != nil {
			err = fmt.Errorf("sqlstore: waiting for another replica's migration: %w", ctx.Err())
		}
	}()
	holder, created := newHolder(), false
	for {
		have, err := schemaVersion(ctx, db.sql)
		if err != nil {
			return nil, err
		}
		if have > known {
			return nil, fmt.Errorf("sqlstore: database schema %d is newer than this binary's %d; refusing to run", have, known)
		}
		if have >= target {
			return nil, nil
		}
		if !created {
			if err := db.createMigrationLock(ctx); err != nil {
				return nil, err
			}
			created = true
		}
		got, err := db.tryMigrationLock(ctx, holder, t.lease)
		if err != nil {
			return nil, err
		}
		if got {
			l := &migrationLock{db: db, holder: holder, timing: t, stop: make(chan struct{}), done: make(chan struct{})}
			go l.keepAlive()
			return l, nil
		}
		timer := time.NewTimer(t.poll)
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil, fmt.Errorf("sqlstore: waiting for another replica's migration: %w", ctx.Err())
		case <-timer.C:
		}
	}
}

// tryMigrationLock takes the lock for holder if no one holds it (the
// INSERT) or if its lease ran out (the UPDATE), and reports whether it did.
// A lost race is no error: see lostLockRace.
func (db *DB) tryMigrationLock(ctx context.Context, holder string, lease time.Duration) (bool, error) {
	now := instant(time.Now())
	until := now.Add(lease)
	_, err := db.sql.ExecContext(ctx, "INSERT INTO schema_lock (name, holder, expires_at) VALUES (?, ?, ?)", migrationLockName, holder, until)
	if err == nil {
		return true, nil
	}
	if !lostLockRace(err) {
		return false, translate(err)
	}
	res, err := db.sql.ExecContext(ctx, "UPDATE schema_lock SET holder = ?, expires_at = ? WHERE name = ? AND expires_at < ?",
		holder, until, migrationLockName, now)
	if err != nil {
		if lostLockRace(err) {
			return false, nil
		}
		return false, translate(err)
	}
	n, err := res.RowsAffected()
	return n == 1, translate(err)
}

// lostLockRace reports whether err says that another replica's write to
// the lock row won: a duplicate key; on a Galera cluster the
// certification failure (1213, reported as a deadlock) of a write that
// raced one committed on another node first; on MySQL a lock wait that
// timed out (1205); on SQLite a file another connection kept write-locked
// past the busy timeout.
func lostLockRace(err error) bool {
	var me *mysqldriver.MySQLError
	if errors.As(err, &me) {
		return me.Number == 1062 || me.Number == 1213 || me.Number == 1205
	}
	return isDuplicate(err) || IsBusy(err)
}

// keepAlive renews the lease every renew interval, on the probe's
// connection (the migration holds one of the pool, which may have no
// other), until release. A renewal that fails is not fatal here: renew,
// called on the migration's own connection before each migration, is the
// check that counts.
func (l *migrationLock) keepAlive() {
	defer close(l.done)
	tick := time.NewTicker(l.timing.renew)
	defer tick.Stop()
	for {
		select {
		case <-l.stop:
			return
		case <-tick.C:
			ctx, cancel := context.WithTimeout(context.Background(), l.timing.renew)
			l.renew(ctx, l.db.probe)
			cancel()
		}
	}
}

// renew pushes the lease's end one lease from now if this run still holds
// the lock, through q: the migration's own connection before each
// migration, the probe's in keepAlive. It returns errLeaseLost when
// another replica took the lock over: the migrations must stop before
// another one starts, since that replica runs them too.
func (l *migrationLock) renew(ctx context.Context, q interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) error {
	res, err := q.ExecContext(ctx, "UPDATE schema_lock SET expires_at = ? WHERE name = ? AND holder = ?",
		instant(time.Now().Add(l.timing.lease)), migrationLockName, l.holder)
	if err != nil {
		return translate(err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return translate(err)
	}
	// MySQL counts the rows changed: a renewal within the microsecond of
	// the previous one changes none, so read the holder back.
	var holder string
	if err := q.QueryRowContext(ctx, "SELECT holder FROM schema_lock WHERE name = ?", migrationLockName).Scan(&holder); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return translate(err)
	}
	if holder != l.holder {
		return errLeaseLost
	}
	return nil
}

// release stops the renewals and deletes the lock row if this run still
// holds it, even when ctx is cancelled. Should the delete fail, the lease
// runs out and the others go on after it.
func (l *migrationLock) release(ctx context.Context) {
	close(l.stop)
	<-l.done
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	l.db.sql.ExecContext(ctx, "DELETE FROM schema_lock WHERE name = ? AND holder = ?", migrationLockName, l.holder)
}
