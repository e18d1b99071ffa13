package sqlstore_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"jiefen/internal/sqlstore"
	"jiefen/internal/sqlstore/storetest"
)

// TestIsBusy: SQLite's answer that another connection holds the write lock
// is busy; a closed database and a missing table are not.
func TestIsBusy(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "busy.db")
	holder, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	tx, err := holder.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec("CREATE TABLE t (x INTEGER)"); err != nil {
		t.Fatal(err)
	}
	waiter, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(0)&_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	defer waiter.Close()
	_, err = waiter.BeginTx(ctx, nil)
	if !sqlstore.IsBusy(err) {
		t.Errorf("a second writer: IsBusy(%v) = false", err)
	}
	if _, err := waiter.Exec("SELECT * FROM nothing"); sqlstore.IsBusy(err) || err == nil {
		t.Errorf("a missing table: IsBusy(%v) = true", err)
	}
	db := storetest.SQLite(t)
	db.Close()
	if err := db.Ping(ctx); sqlstore.IsBusy(err) || err == nil {
		t.Errorf("a closed store: Ping = %v, IsBusy true", err)
	}
}
