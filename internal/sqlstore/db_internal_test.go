package sqlstore

import "testing"

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
