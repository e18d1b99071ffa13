package sqlstore

import (
	"errors"
	"fmt"
	"testing"

	mysqldriver "github.com/go-sql-driver/mysql"
)

// TestLostLockRace: a duplicate key, and Galera's certification failure
// (1213) of an insert that raced one on another node, mean that another
// replica holds the migration lock; other errors stop the start.
func TestLostLockRace(t *testing.T) {
	for _, c := range []struct {
		err  error
		lost bool
	}{
		{&mysqldriver.MySQLError{Number: 1062, Message: "Duplicate entry 'migrate' for key 'PRIMARY'"}, true},
		{fmt.Errorf("insert: %w", &mysqldriver.MySQLError{Number: 1213, Message: "Deadlock found when trying to get lock; try restarting transaction"}), true},
		{&mysqldriver.MySQLError{Number: 1205, Message: "Lock wait timeout exceeded"}, true},
		{&mysqldriver.MySQLError{Number: 1146, Message: "Table 'jiefen.schema_lock' doesn't exist"}, false},
		{errors.New("constraint failed: UNIQUE constraint failed: schema_lock.name (1555)"), true},
		{errors.New("database is locked (5) (SQLITE_BUSY)"), true},
		{errors.New("no such table: schema_lock"), false},
	} {
		if got := lostLockRace(c.err); got != c.lost {
			t.Errorf("lostLockRace(%v) = %v, want %v", c.err, got, c.lost)
		}
	}
}
