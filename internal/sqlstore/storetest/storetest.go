// Package storetest opens fresh, migrated stores for tests: SQLite always,
// and MySQL or MariaDB when JIEFEN_TEST_MYSQL_DSN is set (for example
// root@tcp(127.0.0.1:3306)/). Each store lives in its own new database that
// is dropped when the test ends.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
	"time"

	mysqldriver "github.com/go-sql-driver/mysql"

	"jiefen/internal/pii"
	"jiefen/internal/sqlstore"
)

// Each runs fn once per available database, as subtests named "sqlite" and
// "mysql", each with a fresh migrated store.
func Each(t *testing.T, fn func(t *testing.T, db *sqlstore.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	if os.Getenv("JIEFEN_TEST_MYSQL_DSN") != "" {
		t.Run("mysql", func(t *testing.T) { fn(t, MySQL(t)) })
	}
}

// EachReplicas runs fn once per available database with n stores open on
// one fresh database, as n replicas of jiefen would be.
func EachReplicas(t *testing.T, n int, fn func(t *testing.T, dbs []*sqlstore.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		o := sqlstore.Options{Driver: "sqlite", DSN: filepath.Join(t.TempDir(), "jiefen.db")}
		fn(t, replicas(t, n, o))
	})
	if base := os.Getenv("JIEFEN_TEST_MYSQL_DSN"); base != "" {
		t.Run("mysql", func(t *testing.T) {
			dsn, drop := NewMySQLDatabase(t, base)
			t.Cleanup(drop)
			fn(t, replicas(t, n, sqlstore.Options{Driver: "mysql", DSN: dsn, MaxOpenConns: 8, MaxIdleConns: 8,
				ConnMaxLifetime: time.Minute, ConnMaxIdleTime: time.Minute}))
		})
	}
}

func replicas(tb testing.TB, n int, o sqlstore.Options) []*sqlstore.DB {
	dbs := make([]*sqlstore.DB, n)
	for i := range dbs {
		dbs[i] = open(tb, o) // the second migration finds nothing to do
	}
	return dbs
}

// SQLite opens a migrated store in a temporary file.
func SQLite(tb testing.TB) *sqlstore.DB {
	tb.Helper()
	return SQLiteAt(tb, filepath.Join(tb.TempDir(), "jiefen.db"))
}

// SQLiteAt opens a migrated store in the SQLite file at path; stores
// opened on one path share it as processes of jiefen would.
func SQLiteAt(tb testing.TB, path string) *sqlstore.DB {
	tb.Helper()
	return open(tb, sqlstore.Options{Driver: "sqlite", DSN: path})
}

// MySQL opens a migrated store in a new database on the server of
// JIEFEN_TEST_MYSQL_DSN, skipping the test when it is not set.
func MySQL(tb testing.TB) *sqlstore.DB {
	tb.Helper()
	base := os.Getenv("JIEFEN_TEST_MYSQL_DSN")
	if base == "" {
		tb.Skip("JIEFEN_TEST_MYSQL_DSN not set")
	}
	dsn, drop := NewMySQLDatabase(tb, base)
	tb.Cleanup(drop)
	return open(tb, sqlstore.Options{Driver: "mysql", DSN: dsn, MaxOpenConns: 8, MaxIdleConns: 8,
		ConnMaxLifetime: time.Minute, ConnMaxIdleTime: time.Minute})
}

// MultiPrimaryReplicas opens n stores on one new MySQL database as n
// replicas writing through several nodes would (Options.MultiPrimary). It
// skips the test without JIEFEN_TEST_MYSQL_DSN: only MySQL has several
// primaries.
func MultiPrimaryReplicas(tb testing.TB, n int) []*sqlstore.DB {
	tb.Helper()
	base := os.Getenv("JIEFEN_TEST_MYSQL_DSN")
	if base == "" {
		tb.Skip("JIEFEN_TEST_MYSQL_DSN not set")
	}
	dsn, drop := NewMySQLDatabase(tb, base)
	tb.Cleanup(drop)
	return replicas(tb, n, sqlstore.Options{Driver: "mysql", DSN: dsn, MaxOpenConns: 8, MaxIdleConns: 8,
		ConnMaxLifetime: time.Minute, ConnMaxIdleTime: time.Minute, MultiPrimary: true})
}

// NewMySQLDatabase creates an empty database with a random name on the
// server of base and returns its DSN and a function that drops it.
func NewMySQLDatabase(tb testing.TB, base string) (dsn string, drop func()) {
	tb.Helper()
	cfg, err := mysqldriver.ParseDSN(base)
	if err != nil {
		tb.Fatalf("JIEFEN_TEST_MYSQL_DSN: %v", err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	name := "jiefen_test_" + hex.EncodeToString(b)
	cfg.DBName = ""
	admin, err := sql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := admin.Exec("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"); err != nil {
		admin.Close()
		tb.Fatalf("create test database: %v", err)
	}
	cfg.DBName = name
	return cfg.FormatDSN(), func() {
		admin.Exec("DROP DATABASE IF EXISTS " + name)
		admin.Close()
	}
}

// Keys is the keyring of test stores: fixed keys, so that replicas of one
// test open each other's sealed values.
func Keys() *pii.Keyring {
	k, err := pii.NewKeyring("test1", map[string][]byte{"test1": []byte("0123456789abcdef")}, []byte("jiefen-test-blind-index-key-0001"))
	if err != nil {
		panic(err)
	}
	return k
}

func open(tb testing.TB, o sqlstore.Options) *sqlstore.DB {
	tb.Helper()
	ctx := context.Background()
	if o.Keys == nil {
		o.Keys = Keys()
	}
	db, err := sqlstore.Open(ctx, o)
	if err != nil {
		tb.Fatalf("open %s: %v", o.Driver, err)
	}
	tb.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		tb.Fatalf("migrate %s: %v", o.Driver, err)
	}
	return db
}
