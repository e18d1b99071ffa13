package sqlstore_test

import (
	"testing"
	"time"

	"jiefen"
	"jiefen/internal/sqlstore"
	"jiefen/internal/sqlstore/storetest"
)

// TestListUsersByState: a password set before the cutoff counts as one
// that must be changed, a disabled account is disabled whatever else holds,
// and the other accounts are active.
func TestListUsersByState(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := ctxAs(jiefen.RoleSecurity)
		hash, err := cheap.Hash("Long-enough-1")
		if err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC().Truncate(time.Microsecond)
		for _, u := range []struct {
			name string
			age  time.Duration
		}{{"old", 100 * 24 * time.Hour}, {"fresh", time.Hour}, {"gone", 100 * 24 * time.Hour}} {
			db.Now = func() time.Time { return now.Add(-u.age) }
			if _, err := db.CreateUser(ctx, jiefen.User{Username: u.name, Role: jiefen.RoleLeader}, hash); err != nil {
				t.Fatal(err)
			}
		}
		db.Now = func() time.Time { return now }
		if _, err := db.SetUserActive(ctx, "gone", false, sqlstore.AccountAction{Name: "user.disable", May: func(jiefen.User) error { return nil }}); err != nil {
			t.Fatal(err)
		}
		cutoff := now.Add(-90 * 24 * time.Hour)
		for state, want := range map[jiefen.AccountState]string{
			jiefen.AccountMustChangePassword: "old", jiefen.AccountActive: "fresh", jiefen.AccountDisabled: "gone", jiefen.AccountLocked: "",
		} {
			users, err := db.ListUsers(ctx, sqlstore.UserFilter{Roles: []jiefen.Role{jiefen.RoleLeader}, State: state, ExpiredBefore: cutoff, Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			var got string
			for _, u := range users {
				got += u.Username
			}
			if got != want {
				t.Errorf("state %s: %q, want %q", state, got, want)
			}
		}
	})
}
