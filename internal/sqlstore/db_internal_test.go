package sqlstore

import (
	"testing"

	mysqldriver "github.com/go-sql-driver/mysql"
)

// TestSQLiteFile: the file the outage watch looks for is the DSN's path,
// and an in-memory database has none (so that it opens at all).
func TestSQLiteFile(t *testing.T) {
	for dsn, want := range map[string]string{
		"./data/jiefen.db":                         "./data/jiefen.db",
		"file:/var/lib/jiefen/jiefen.db?_txlock=x": "/var/lib/jiefen/jiefen.db",
		":memory:":                                "",
		"file::memory:?cache=shared":              "",
		"file:shared-db?mode=memory&cache=shared": "",
	} {
		if got := SQLiteFile(dsn); got != want {
			t.Errorf("SQLiteFile(%q) = %q, want %q", dsn, got, want)
		}
	}
}

// TestOneStatementPerQuery: the DSN never lets a query carry several
// statements, whatever the operator wrote, for a packet of several can
// half-commit on a Galera cluster (scanQuery, issue 23).
func TestOneStatementPerQuery(t *testing.T) {
	for _, dsn := range []string{"u:p@tcp(db:3306)/jiefen", "u:p@tcp(db:3306)/jiefen?multiStatements=true"} {
		out, err := MySQLDSN(dsn)
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := mysqldriver.ParseDSN(out)
		if err != nil {
			t.Fatal(err)
		}
		if cfg.MultiStatements {
			t.Errorf("MySQLDSN(%q) = %q allows several statements per query", dsn, out)
		}
	}
}
