// Package sqlstore keeps jiefen's data in one SQL database through gorm:
// embedded SQLite by default, MySQL or MariaDB (or TiDB) in production. It
// owns the row structs, the versioned migrations and the transactions, and
// translates driver errors into the vocabulary of package jiefen. Every use
// case runs in one transaction that also appends its audit entry. DB is
// the connection; its stores, one per domain (stores.go), hold the use
// cases and call the domain packages for every rule.
package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	mysqldriver "github.com/go-sql-driver/mysql"
	"gorm.io/driver/mysql"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"jiefen"
	"jiefen/internal/audit"
	"jiefen/internal/pii"
)

// Options says which database to open and how to size its pool.
type Options struct {
	Driver          string // "sqlite" or "mysql"
	DSN             string // a file path for sqlite, a go-sql-driver DSN for mysql
	MaxOpenConns    int
	MaxIdleConns    int
	ConnMaxLifetime time.Duration
	ConnMaxIdleTime time.Duration
	// MultiPrimary: several database nodes take writes at once (a
	// Galera cluster written through more than one node). No use case
	// then updates a row that every write updates: dispute numbers come
	// from blocks each replica reserves (codeBlocks), and audit entries
	// are sealed into the chain after their transaction (SealAudit).
	// MySQL only; on one node it costs gaps in the numbers and nothing
	// else.
	MultiPrimary bool
	// Keys seal the personal data kept (ID numbers, phones, addresses),
	// index the ID numbers (see pii.go) and seal the audit chain (their
	// AuditKey); required.
	Keys *pii.Keyring
}

// DB is the database: the connection, the schema and its migrations, and
// the keys that seal personal data. Its fields are the stores, one per
// domain, which share its connection and its one transaction helper (tx).
// All are safe for concurrent use.
type DB struct {
	*conn
	Disputes        Disputes
	Mediation       Mediation
	Reconsideration Reconsideration
	Litigation      Litigation
	CourtSync       CourtSync
	Liaison         Liaison
	Orgs            Orgs
	Routing         Routing
	Calendar        Calendar
	Users           Users
	Idempotency     Idempotency
	Notifications   Notifications
	Audit           Audit
	Clocks          Clocks
	Jobs            Jobs
}

// conn is what every store shares: the pool, the dialect, the keys and the
// clock, with the transaction helper and the audit, sealing and event
// helpers every use case calls.
type conn struct {
	gorm *gorm.DB
	sql  *sql.DB
	// probe is a pool of one connection of its own for Ping: a pool busy
	// with long transactions (SQLite's single writer, above all) is not a
	// database that stopped answering.
	probe   *sql.DB
	dialect string
	// file is the SQLite database file as opened, and its path: Ping
	// checks that it is still there (nil on MySQL).
	file     os.FileInfo
	filePath string
	keys     *pii.Keyring
	// auditKey seals the audit chain; it comes with the keys (see
	// pii.Keyring.AuditKey), from outside the database.
	auditKey *audit.Key
	// batchIDs: the ids gorm sets after a multi-row insert are right.
	batchIDs bool
	// Now returns the current instant; tests replace it to move time.
	Now func() time.Time
	// Webhooks names the webhooks every event is delivered to (see emit);
	// set once after Open from the configuration.
	Webhooks []string
	// AnchorFile is the file outside the database the audit chain's head
	// is anchored in (AnchorAudit) and checked against (VerifyAudit); ""
	// anchors to the webhooks only. Set once after Open.
	AnchorFile string
	// retry says how often tx reruns a use case that lost a race, and how
	// long it waits in between; Open sets it (tests shorten it).
	retry retryPolicy
	// multiPrimary: several nodes take writes (Options.MultiPrimary). No
	// use case then updates a row that every write, or every intake into
	// one org, updates: codes hands out dispute numbers from blocks this
	// replica reserved (nil otherwise), audit entries are left for
	// SealAudit to chain, and assignment neither locks nor stamps the
	// mediators' rows (mediatorPool).
	codes        *codeBlocks
	multiPrimary bool
}

// newDB builds the stores over c.
func newDB(c *conn) *DB {
	return &DB{conn: c, Disputes: Disputes{c}, Mediation: Mediation{c}, Reconsideration: Reconsideration{c},
		Litigation: Litigation{c}, CourtSync: CourtSync{c}, Liaison: Liaison{c}, Orgs: Orgs{c}, Routing: Routing{c},
		Calendar: Calendar{c}, Users: Users{c}, Idempotency: Idempotency{c}, Notifications: Notifications{c},
		Audit: Audit{c}, Clocks: Clocks{c}, Jobs: Jobs{c}}
}

// Open connects to the database described by o and tunes the pool for its
// dialect. It does not migrate; call Migrate.
func Open(ctx context.Context, o Options) (*DB, error) {
	if o.Keys == nil {
		return nil, errors.New("sqlstore: no keyring to seal personal data (Options.Keys)")
	}
	auditKey, err := audit.NewKey(o.Keys.AuditKey())
	if err != nil {
		return nil, err
	}
	var dialector gorm.Dialector
	var dsn, probeDSN string
	switch o.Driver {
	case "sqlite":
		if dsn, err = sqliteDSN(o.DSN, writerBusyTimeout); err != nil {
			return nil, err
		}
		if probeDSN, err = sqliteDSN(o.DSN, probeBusyTimeout); err != nil {
			return nil, err
		}
		dialector = sqlite.Open(dsn)
	case "mysql":
		if dsn, err = MySQLDSN(o.DSN); err != nil {
			return nil, err
		}
		// MySQL and MariaDB alike report ids through LAST_INSERT_ID, not
		// RETURNING (MariaDB 10.5+ has it, MySQL not): one way for both.
		dialector = mysql.New(mysql.Config{DSN: dsn, DisableWithReturning: true})
		probeDSN = dsn
	default:
		return nil, fmt.Errorf("sqlstore: unknown driver %q", o.Driver)
	}
	g, err := gorm.Open(dialector, &gorm.Config{
		Logger:                 logger.Discard,
		SkipDefaultTransaction: true,
		NowFunc:                func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) },
	})
	if err != nil {
		return nil, translate(err)
	}
	sqlDB, err := g.DB()
	if err != nil {
		return nil, err
	}
	if o.Driver == "sqlite" {
		// SQLite has one writer; one connection serialises writers without
		// SQLITE_BUSY and keeps transactions honest.
		sqlDB.SetMaxOpenConns(1)
		sqlDB.SetMaxIdleConns(1)
		sqlDB.SetConnMaxLifetime(0)
	} else {
		sqlDB.SetMaxOpenConns(max(o.MaxOpenConns, 1))
		sqlDB.SetMaxIdleConns(o.MaxIdleConns)
		sqlDB.SetConnMaxLifetime(o.ConnMaxLifetime)
		sqlDB.SetConnMaxIdleTime(o.ConnMaxIdleTime)
	}
	// Instants are kept at microsecond precision, which both databases store.
	now := func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }
	probe, err := sql.Open(o.Driver, probeDSN)
	if err != nil {
		sqlDB.Close()
		return nil, err
	}
	probe.SetMaxOpenConns(1)
	probe.SetMaxIdleConns(1)
	if o.Driver == "mysql" {
		probe.SetConnMaxLifetime(o.ConnMaxLifetime)
	}
	db := newDB(&conn{gorm: g, sql: sqlDB, probe: probe, dialect: o.Driver, Now: now, keys: o.Keys, auditKey: auditKey,
		retry: retryPolicy{attempts: retryAttempts, base: retryBase, max: retryMax}})
	if o.MultiPrimary {
		if o.Driver != "mysql" {
			db.Close()
			return nil, fmt.Errorf("sqlstore: several nodes taking writes (multi_primary) needs the mysql driver, not %q", o.Driver)
		}
		db.codes, db.multiPrimary = newCodeBlocks(codeBlockSize), true
	}
	if err := db.Ping(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if o.Driver == "sqlite" {
		if path := SQLiteFile(dsn); path != "" {
			if db.file, err = os.Stat(path); err != nil {
				db.Close()
				return nil, fmt.Errorf("sqlstore: %w", err)
			}
			db.filePath = path
		}
		db.batchIDs = true // gorm reads the ids of a multi-row insert back with RETURNING
	} else {
		// InnoDB gives one multi-row INSERT consecutive ids only in the
		// "consecutive" or "traditional" lock modes (MariaDB's default; not
		// MySQL 8's "interleaved", nor TiDB): only then are gorm's ids
		// from LAST_INSERT_ID trusted, else they are read back.
		// TiDB reports lock mode 1 whatever it does (its ids are cached per
		// node; see docs/SCALING.md), so on TiDB ids are always read back.
		var mode int
		var version string
		if err := sqlDB.QueryRowContext(ctx, "SELECT @@innodb_autoinc_lock_mode, VERSION()").Scan(&mode, &version); err == nil &&
			mode <= 1 && !strings.Contains(version, "TiDB") {
			db.batchIDs = true
		}
	}
	return db, nil
}

// How long a SQLite connection waits for a lock before it answers
// SQLITE_BUSY: the pool's writers wait for the writer before them; the
// health probe answers "busy" well within its deadline instead of waiting.
const (
	writerBusyTimeout = 5000
	probeBusyTimeout  = 200
)

// sqliteDSN turns a file path into a DSN with WAL, foreign keys, a busy
// timeout of busyMillis and synchronous=NORMAL (safe with WAL), creating
// the folder. A DSN given as such ("file:…" or with parameters) is used as
// it is, but for the busy timeout, which is set last and so wins.
func sqliteDSN(path string, busyMillis int) (string, error) {
	if strings.HasPrefix(path, "file:") || strings.Contains(path, "?") {
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		return path + sep + "_pragma=busy_timeout(" + strconv.Itoa(busyMillis) + ")", nil
	}
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return "", fmt.Errorf("sqlstore: create %s: %w", dir, err)
		}
	}
	return "file:" + path + "?_pragma=busy_timeout(" + strconv.Itoa(busyMillis) + ")&_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)" +
		"&_pragma=synchronous(NORMAL)&_txlock=immediate", nil
}

// SQLiteFile is the file of a SQLite DSN, "" for an in-memory database
// (":memory:", or a URI with mode=memory, shared between connections by
// its name and never written to a file).
func SQLiteFile(dsn string) string {
	path, query, _ := strings.Cut(strings.TrimPrefix(dsn, "file:"), "?")
	if path == "" || strings.HasPrefix(path, ":memory:") {
		return ""
	}
	if params, err := url.ParseQuery(query); err == nil && params.Get("mode") == "memory" {
		return ""
	}
	return path
}

// MySQLDSN forces what jiefen relies on whatever the DSN says: utf8mb4,
// parsed times in UTC, a UTC session time zone, and client-side argument
// interpolation.
func MySQLDSN(dsn string) (string, error) {
	cfg, err := mysqldriver.ParseDSN(dsn)
	if err != nil {
		return "", fmt.Errorf("sqlstore: mysql dsn: %w", err)
	}
	cfg.ParseTime = true
	cfg.Loc = time.UTC
	if cfg.Params == nil {
		cfg.Params = map[string]string{}
	}
	cfg.Params["charset"] = "utf8mb4"
	cfg.Params["time_zone"] = "'+00:00'"
	cfg.Collation = "utf8mb4_bin"
	// Interpolate arguments client-side: one round trip per statement
	// instead of prepare, execute and close. Safe with utf8mb4.
	cfg.InterpolateParams = true
	// One statement per query: a packet of several can half-commit on a
	// Galera cluster (see scanQuery).
	cfg.MultiStatements = false
	// A server that does not answer a connection attempt is unavailable
	// after two seconds, not after the system's TCP timeout.
	if cfg.Timeout == 0 {
		cfg.Timeout = 2 * time.Second
	}
	return cfg.FormatDSN(), nil
}

// Dialect returns "sqlite" or "mysql".
func (db *DB) Dialect() string { return db.dialect }

// SQL returns the underlying pool, for metrics.
func (db *DB) SQL() *sql.DB { return db.sql }

// Close gives back the dispute numbers this replica reserved and did not
// hand out, where it can (see Disputes.releaseCodes), and closes the pools.
func (db *DB) Close() error {
	if db.codes != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		db.Disputes.releaseCodes(ctx)
		cancel()
	}
	return errors.Join(db.sql.Close(), db.probe.Close())
}

// Ping reports whether the database answers, on a connection of its own:
// it does not queue behind the work of the pool, so a busy writer is not
// taken for an outage. It reads the schema version: a statement that reads
// no table (SELECT 1) is answered by SQLite even when the file is gone,
// while this read reaches the file and is one that WAL runs beside a
// writer. On SQLite it also checks that the file is still the one opened:
// the writes to a file deleted or replaced under an open database are lost
// with it, so that is an outage until jiefen is restarted. A database that
// answers that it is busy (SQLITE_BUSY or SQLITE_LOCKED: another
// connection holds a lock the read needs, as a checkpoint may) is not
// down; for that error IsBusy is true.
func (db *DB) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	if err := db.sameFile(); err != nil {
		return err
	}
	_, err := schemaVersion(ctx, db.probe)
	return err
}

// sameFile reports an outage when the SQLite file opened is gone or
// another file has taken its path.
func (db *DB) sameFile() error {
	if db.file == nil {
		return nil
	}
	fi, err := os.Stat(db.filePath)
	switch {
	case err != nil:
		return jiefen.Wrap(jiefen.EUNAVAILABLE, err, "the database file is gone: restore it and restart jiefen")
	case !os.SameFile(fi, db.file):
		return jiefen.Errorf(jiefen.EUNAVAILABLE, "the database file was replaced while open: restart jiefen to use it")
	}
	return nil
}

// IsBusy reports whether err says that the database is busy rather than
// down: SQLite's SQLITE_BUSY or SQLITE_LOCKED, whatever the extended code.
func IsBusy(err error) bool {
	if err == nil {
		return false
	}
	var coded interface{ Code() int }
	if errors.As(err, &coded) {
		switch coded.Code() & 0xff {
		case 5, 6: // SQLITE_BUSY, SQLITE_LOCKED
			return true
		}
	}
	msg := err.Error()
	return strings.Contains(msg, "database is locked") || strings.Contains(msg, "database table is locked")
}

// tx runs fn in one transaction and translates its error. It and
// txReadCommitted are where every store's transactions start, so they are
// where a use case that lost a race to another runs again.
//
// A transaction that fails because the database chose it to lose such a
// race is rolled back whole, and fn runs again from the start in a new
// transaction: up to five attempts in all, with a random wait before each
// rerun (see retryPolicy). The database says so with one of three errors.
// 1213 (ER_LOCK_DEADLOCK) is InnoDB's deadlock victim; on a MariaDB Galera
// cluster it is also a transaction that lost certification at commit to a
// conflicting one committed on another node, or was aborted by a
// replicated write it stood in the way of ("WSREP detected deadlock/
// conflict"). 1205 (ER_LOCK_WAIT_TIMEOUT) is a lock waited for too long.
// 1047 (ER_UNKNOWN_COM_ERROR) is a Galera node that is not yet, or no
// longer, in the cluster's primary component ("WSREP has not yet prepared
// node for application use"). After each, nothing of the transaction is
// left once it is rolled back (InnoDB undoes only the statement that timed
// out, and the transaction's rollback the rest), and the same work may
// succeed a moment later: the winner has committed, the lock is free, the
// node is back or the pool hands out another connection. No rerun starts once ctx is done, and the wait
// before one ends with ctx. When the attempts run out the last error is
// translated as any other: unavailable, which the API answers 503 with
// Retry-After. SQLite is not retried: its one connection per process
// waits out another process's writer for the busy timeout already.
//
// So fn must be rerunnable: everything it does goes through tx, and a
// rerun starts from nothing the failed attempt left behind. A variable
// captured from outside fn that fn appends to, counts into or fills in
// part by part is reset at the start of fn, or built inside fn and
// assigned at its end; a row fn inserts is built inside fn (gorm sets the
// id on the struct, and a rerun would insert under that id); the record
// fn changes is the one it reads inside fn, not one read before it. Plain
// assignments (id = row.ID) are rerunnable as they are. Nothing leaves the
// process from inside fn: webhooks and notifications are written to the
// outbox (emit) and sent after the commit, by the delivery job. The one
// exception, the audit anchor file, appends its line before the commit on
// purpose and once per head (AnchorAudit).
func (c *conn) tx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return c.retrying(ctx, fn, nil)
}

// txReadCommitted is tx in which every read sees what is committed when it
// runs (READ COMMITTED on MySQL; SQLite, with one writer, needs nothing).
// A use case that reads after waiting for a lock needs it: under MySQL's
// REPEATABLE READ that read would see the snapshot taken before the wait,
// without the work of the transaction it waited for. It is rerun as tx
// says.
func (c *conn) txReadCommitted(ctx context.Context, fn func(tx *gorm.DB) error) error {
	if c.dialect != "mysql" {
		return c.tx(ctx, fn)
	}
	return c.retrying(ctx, fn, &sql.TxOptions{Isolation: sql.LevelReadCommitted})
}

// retrying runs fn in a transaction with opts (nil: the database's
// default), and again in a new one while the policy allows and the error
// is one the database asks to retry (rerunnable); it returns the last
// error translated.
func (c *conn) retrying(ctx context.Context, fn func(tx *gorm.DB) error, opts *sql.TxOptions) error {
	var o []*sql.TxOptions
	if opts != nil {
		o = append(o, opts)
	}
	for attempt := 1; ; attempt++ {
		err := c.gorm.WithContext(ctx).Transaction(fn, o...)
		if err == nil || !rerunnable(err) || attempt >= c.retry.attempts || ctx.Err() != nil || !c.retry.wait(ctx, attempt) {
			return translate(err)
		}
	}
}

// rerunnable reports whether a transaction failed because the database
// chose it to lose a race it may win on a rerun, having rolled it back:
// a deadlock or, on Galera, a lost certification (1213), a lock wait that
// timed out (1205), a Galera node outside the primary component (1047), or
// one that left it while the transaction committed (1180 naming the
// primary component: the write set was not replicated, so nothing
// committed; seen when a killed node rejoined).
func rerunnable(err error) bool {
	var me *mysqldriver.MySQLError
	if !errors.As(err, &me) {
		return false
	}
	switch me.Number {
	case 1213, 1205, 1047:
		return true
	case 1180:
		return strings.Contains(me.Message, "Primary Component")
	}
	return false
}

// retryPolicy says how often tx runs a use case at most and how long it
// waits before a rerun: a random time up to a ceiling (full jitter), so
// that the transactions that collided do not collide again in step. The
// ceiling is base before the first rerun and doubles with each one, up to
// max. The zero policy runs a use case once.
type retryPolicy struct {
	attempts  int // in all, the first included
	base, max time.Duration
}

// The policy of Open: five attempts, so four reruns that wait at most 10,
// 20, 40 and 80 ms (150 ms in all at worst); no wait is ever longer than
// 200 ms. A deadlock is settled at once, so the loser's rerun seldom needs
// to wait at all; a lock wait that timed out has waited
// innodb_lock_wait_timeout already, and so will each rerun of it.
const (
	retryAttempts = 5
	retryBase     = 10 * time.Millisecond
	retryMax      = 200 * time.Millisecond
)

// wait sleeps before rerun number attempt (1 for the first) and reports
// whether to go on: false when ctx ended first.
func (p retryPolicy) wait(ctx context.Context, attempt int) bool {
	ceiling := p.max
	if attempt <= 30 && p.base<<(attempt-1) < p.max {
		ceiling = p.base << (attempt - 1)
	}
	if ceiling <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(rand.N(ceiling + 1))
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// read returns a session for queries outside a transaction.
func (c *conn) read(ctx context.Context) *gorm.DB { return c.gorm.WithContext(ctx) }

// forUpdate is the row-lock suffix of the dialect: SQLite has one writer
// and needs none.
func (c *conn) forUpdate() string {
	if c.dialect == "mysql" {
		return " FOR UPDATE"
	}
	return ""
}

// translate maps driver errors to jiefen's vocabulary: missing rows to
// not_found, unique violations to conflict, and a database that cannot be
// reached, or a race still lost when tx's reruns ran out, to unavailable.
// Errors that are already *jiefen.Error pass.
func translate(err error) error {
	if err == nil {
		return nil
	}
	var je *jiefen.Error
	if errors.As(err, &je) {
		return err
	}
	if errors.Is(err, gorm.ErrRecordNotFound) || errors.Is(err, sql.ErrNoRows) {
		return jiefen.Wrap(jiefen.ENOTFOUND, err, "not found")
	}
	if isDuplicate(err) {
		return jiefen.Wrap(jiefen.ECONFLICT, err, "a record with this key exists")
	}
	if isUnavailable(err) {
		return jiefen.Wrap(jiefen.EUNAVAILABLE, err, "the database is unavailable")
	}
	return jiefen.Wrap(jiefen.EINTERNAL, err, "internal error")
}

func isDuplicate(err error) bool {
	var me *mysqldriver.MySQLError
	if errors.As(err, &me) {
		return me.Number == 1062
	}
	return strings.Contains(err.Error(), "UNIQUE constraint failed")
}

func isUnavailable(err error) bool {
	var me *mysqldriver.MySQLError
	if errors.As(err, &me) {
		switch me.Number {
		case 1040, 1047, 1053, 1205, 1213, 2002, 2003, 2006, 2013, // too many conns, Galera node not ready, shutdown, lock wait, deadlock, gone away
			1180,                   // the commit failed (a Galera node that left the primary component): nothing committed
			8002, 8005, 8022, 8028: // TiDB: write conflict, commit failed, retryable, schema changed under the transaction
			return true
		}
		return false
	}
	var ne net.Error
	var oe *net.OpError
	switch {
	case errors.As(err, &oe), errors.As(err, &ne),
		errors.Is(err, driver.ErrBadConn), errors.Is(err, mysqldriver.ErrInvalidConn),
		errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, context.DeadlineExceeded),
		// The request's context ended (its client went away, or the
		// server is shutting down) while the database had not answered:
		// not a fault of jiefen's (the Galera test saw it as a 500).
		errors.Is(err, context.Canceled):
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "database is closed") || strings.Contains(msg, "database is locked") ||
		strings.Contains(msg, "connection refused") || strings.Contains(msg, "unable to open database")
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
