package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	mysqldriver "github.com/go-sql-driver/mysql"
	"gorm.io/gorm"

	"jiefen"
	"jiefen/calendar"
	"jiefen/internal/auth"
	"jiefen/internal/sqlstore"
	"jiefen/internal/sqlstore/storetest"
	"jiefen/routing"
)

// The errors with which MySQL, MariaDB and Galera tell a transaction that
// it lost a race and may be retried.
var (
	deadlock      = &mysqldriver.MySQLError{Number: 1213, Message: "Deadlock found when trying to get lock; try restarting transaction"}
	certification = &mysqldriver.MySQLError{Number: 1213, Message: "WSREP detected deadlock/conflict and aborted the transaction. Try restarting the transaction"}
	lockWait      = &mysqldriver.MySQLError{Number: 1205, Message: "Lock wait timeout exceeded; try restarting transaction"}
	notPrimary    = &mysqldriver.MySQLError{Number: 1047, Message: "WSREP has not yet prepared node for application use"}
	// Seen on the Galera cluster when a killed node rejoined, at COMMIT.
	leftPrimary = &mysqldriver.MySQLError{Number: 1180, Message: "Error while appending streaming replication fragment(provider status: Not connected to Primary Component)"}
)

// failures counts a name's rows in login_failures, the table the tests of
// tx write to.
func failures(t *testing.T, db *sqlstore.DB, name string) int {
	t.Helper()
	var n int
	if err := db.SQL().QueryRow("SELECT COUNT(*) FROM login_failures WHERE username = ?", name).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// failing is a transaction's work that writes a row under name and then,
// on its first fails attempts, fails with lost; runs counts the attempts.
func failing(name string, fails int, lost error, runs *int) func(tx *gorm.DB) error {
	return func(tx *gorm.DB) error {
		*runs++
		if err := tx.Exec("INSERT INTO login_failures (username, failed_at) VALUES (?, ?)", name, time.Now().UTC()).Error; err != nil {
			return err
		}
		if *runs <= fails {
			return lost
		}
		return nil
	}
}

// TestTxRerunsLostRace: a transaction that fails with a deadlock, a Galera
// certification failure, a lock wait timeout, a Galera node not ready or
// one that left the primary component at commit runs again, from the start, in a new transaction, and its work is
// committed once.
func TestTxRerunsLostRace(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		db.SetRetry(sqlstore.RetryAttempts, time.Millisecond)
		for i, lost := range []error{deadlock, certification, lockWait, notPrimary, leftPrimary, fmt.Errorf("sqlstore: wrapped: %w", deadlock)} {
			name := fmt.Sprint("race", i)
			runs := 0
			if err := db.Tx(context.Background(), failing(name, 2, lost, &runs)); err != nil {
				t.Fatalf("%v: %v", lost, err)
			}
			if runs != 3 {
				t.Errorf("%v: ran %d times, want 3", lost, runs)
			}
			if n := failures(t, db, name); n != 1 {
				t.Errorf("%v: %d rows, want 1", lost, n)
			}
		}
	})
}

// TestTxGivesUpUnavailable: a transaction that loses its race on every
// attempt runs five times in all and then fails as unavailable (503 with
// Retry-After), leaving nothing written; an error that is no lost race is
// not retried.
func TestTxGivesUpUnavailable(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		db.SetRetry(sqlstore.RetryAttempts, time.Millisecond)
		runs := 0
		err := db.Tx(context.Background(), failing("lost", 1000, deadlock, &runs))
		wantCode(t, err, jiefen.EUNAVAILABLE)
		var me *mysqldriver.MySQLError
		if !errors.As(err, &me) || me.Number != 1213 {
			t.Errorf("error %v does not carry the deadlock", err)
		}
		if runs != 5 || sqlstore.RetryAttempts != 5 {
			t.Errorf("ran %d times (policy %d), want 5", runs, sqlstore.RetryAttempts)
		}
		if n := failures(t, db, "lost"); n != 0 {
			t.Errorf("%d rows written by transactions that failed", n)
		}
		for _, other := range []error{
			jiefen.Errorf(jiefen.ECONFLICT, "taken"),
			&mysqldriver.MySQLError{Number: 1062, Message: "Duplicate entry 'x' for key 'PRIMARY'"},
			errors.New("something else"),
		} {
			runs := 0
			if err := db.Tx(context.Background(), failing("other", 1000, other, &runs)); err == nil || runs != 1 {
				t.Errorf("%v: ran %d times (%v), want once", other, runs, err)
			}
		}
		if n := failures(t, db, "other"); n != 0 {
			t.Errorf("%d rows written by transactions that failed", n)
		}
	})
}

// TestTxStopsWhenCancelled: no rerun starts once the context is done, and
// the wait before a rerun ends with it.
func TestTxStopsWhenCancelled(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		db.SetRetry(sqlstore.RetryAttempts, time.Millisecond)
		ctx, cancel := context.WithCancel(context.Background())
		runs := 0
		err := db.Tx(ctx, func(tx *gorm.DB) error {
			runs++
			cancel()
			return deadlock
		})
		if err == nil || runs != 1 {
			t.Fatalf("cancelled during the first attempt: ran %d times (%v), want once", runs, err)
		}

		db.SetRetry(sqlstore.RetryAttempts, time.Hour) // a wait far longer than the test
		ctx, cancel = context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		runs = 0
		start := time.Now()
		err = db.Tx(ctx, failing("waiting", 1000, deadlock, &runs))
		if err == nil || runs != 1 {
			t.Fatalf("cancelled while waiting to rerun: ran %d times (%v), want once", runs, err)
		}
		if waited := time.Since(start); waited > 10*time.Second {
			t.Errorf("waited %v after the context ended", waited)
		}
		wantCode(t, err, jiefen.EUNAVAILABLE)
	})
}

// TestUseCasesRerunClean: use cases whose transaction fails late (at the
// audit entry) run again and commit once, as if the failed attempt had
// never been: a password change is one new version with one audit entry,
// and an intake that repeats an earlier dispute takes the next code and
// carries the repeat flag once.
func TestUseCasesRerunClean(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		db.SetRetry(sqlstore.RetryAttempts, time.Millisecond)
		ctx := ctxAs(jiefen.RoleSecurity)
		hash, err := cheap.Hash("Long-enough-1")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Users.CreateUser(ctx, jiefen.User{Username: "zhao", Role: jiefen.RoleLeader}, hash); err != nil {
			t.Fatal(err)
		}
		sys, router, pol := intakeFixture(t, db)
		on, _ := calendar.ParseDate("2025-03-01")
		job := func() *sqlstore.IntakeJob {
			return &sqlstore.IntakeJob{Ctx: sys, Intake: routing.Intake{Title: "t", Category: "neighbour", Source: "walk_in",
				Township: "钟楼街道", ReceivedOn: on, Flags: make([]routing.Flag, 0, 4),
				Parties: []jiefen.Party{{Role: "applicant", Name: "甲", IDType: jiefen.IDResident, IDNumber: "110101199003074477"}}}}
		}
		first := db.RegisterBatch([]*sqlstore.IntakeJob{job()}, router, pol)[0]
		if first.Err != nil {
			t.Fatal(first.Err)
		}

		db.FailAuditWrites(2, deadlock) // two attempts fail
		newHash, err := cheap.Hash("Another-long-2")
		if err != nil {
			t.Fatal(err)
		}
		u, err := db.Users.ChangePassword(ctxAs(jiefen.RoleLeader), "zhao", "Long-enough-1", newHash, "", auth.Lockout{Failures: 5, Window: time.Hour, Duration: time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		stored, err := db.Users.User(ctx, "zhao")
		if err != nil {
			t.Fatal(err)
		}
		if u.Version != 2 || stored.Version != 2 {
			t.Errorf("version answered %d, stored %d; want 2", u.Version, stored.Version)
		}
		repeat := job()
		db.FailAuditWrites(2, certification)
		res := db.RegisterBatch([]*sqlstore.IntakeJob{repeat}, router, pol)[0]
		if res.Err != nil {
			t.Fatal(res.Err)
		}
		if f := repeat.Intake.Flags; len(f) != 0 || slices.Contains(f[:cap(f)], routing.FlagRepeat) {
			t.Errorf("the job's own flags changed (a rerun reads them again): %v", f[:cap(f)])
		}
		d, err := db.Disputes.Dispute(context.Background(), res.Dispute.Code)
		if err != nil {
			t.Fatal(err)
		}
		if want := "RZ-2025-000002"; first.Dispute.Code != "RZ-2025-000001" || d.Code != want {
			t.Errorf("codes %s, %s; want RZ-2025-000001, %s", first.Dispute.Code, d.Code, want)
		}
		for _, flags := range [][]routing.Flag{d.Flags, res.Dispute.Flags} {
			if n := len(slices.DeleteFunc(slices.Clone(flags), func(f routing.Flag) bool { return f != routing.FlagRepeat })); n != 1 {
				t.Errorf("flags %v: repeat %d times, want once", flags, n)
			}
		}
		for action, want := range map[string]int{"user.change_password": 1, "dispute.create": 2} {
			entries, err := db.Audit.ListAudit(context.Background(), sqlstore.AuditFilter{Action: action, Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			if len(entries) != want {
				t.Errorf("%d audit entries %s, want %d", len(entries), action, want)
			}
		}
		var n int
		if err := db.SQL().QueryRow("SELECT COUNT(*) FROM disputes").Scan(&n); err != nil || n != 2 {
			t.Errorf("%d disputes (%v), want 2", n, err)
		}
	})
}

// TestRealDeadlockIsRerun: on MariaDB, two transactions that update two
// rows in opposite order, each holding its first row when it asks for the
// second, deadlock; InnoDB rolls one back with 1213, tx runs it again, and
// both commit, each row carrying both updates.
func TestRealDeadlockIsRerun(t *testing.T) {
	db := storetest.MySQL(t)
	ctx := context.Background()
	for _, s := range []string{
		"CREATE TABLE retry_probe (id INT PRIMARY KEY, n INT NOT NULL, log VARCHAR(20) NOT NULL) ENGINE=InnoDB",
		"INSERT INTO retry_probe (id, n, log) VALUES (1, 0, ''), (2, 0, '')",
	} {
		if _, err := db.SQL().ExecContext(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	var barrier sync.WaitGroup // both hold their first row
	barrier.Add(2)
	released := make(chan struct{})
	go func() { barrier.Wait(); close(released) }()
	var runs atomic.Int64
	var lost atomic.Int64 // attempts that met the deadlock
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for g, order := range [][2]int{{1, 2}, {2, 1}} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var arrived sync.Once
			defer arrived.Do(barrier.Done) // never leave the other waiting
			mark := string(rune('a' + g))
			errs[g] = db.Tx(ctx, func(tx *gorm.DB) error {
				runs.Add(1)
				for i, id := range order {
					err := tx.Exec("UPDATE retry_probe SET n = n + 1, log = CONCAT(log, ?) WHERE id = ?", mark, id).Error
					var me *mysqldriver.MySQLError
					if errors.As(err, &me) && me.Number == 1213 {
						lost.Add(1)
					}
					if err != nil {
						return err
					}
					if i == 0 {
						arrived.Do(barrier.Done)
						select {
						case <-released:
						case <-time.After(10 * time.Second):
							return errors.New("the other transaction never took its first row")
						}
					}
				}
				return nil
			})
		}()
	}
	wg.Wait()
	for g, err := range errs {
		if err != nil {
			t.Errorf("transaction %d: %v", g, err)
		}
	}
	if lost.Load() != 1 || runs.Load() != 3 {
		t.Errorf("%d deadlocks in %d attempts; want 1 in 3", lost.Load(), runs.Load())
	}
	rows, err := db.SQL().QueryContext(ctx, "SELECT id, n, log FROM retry_probe ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, n int
		var log string
		if err := rows.Scan(&id, &n, &log); err != nil {
			t.Fatal(err)
		}
		if n != 2 || (log != "ab" && log != "ba") {
			t.Errorf("row %d: n = %d, log %q; want both updates", id, n, log)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
}
