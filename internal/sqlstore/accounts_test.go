package sqlstore_test

import (
	"strings"
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
			if _, err := db.Users.CreateUser(ctx, jiefen.User{Username: u.name, Role: jiefen.RoleLeader}, hash); err != nil {
				t.Fatal(err)
			}
		}
		db.Now = func() time.Time { return now }
		if _, err := db.Users.SetUserActive(ctx, "gone", false, sqlstore.AccountAction{Name: "user.disable", May: func(jiefen.User) error { return nil }}); err != nil {
			t.Fatal(err)
		}
		cutoff := now.Add(-90 * 24 * time.Hour)
		for state, want := range map[jiefen.AccountState]string{
			jiefen.AccountMustChangePassword: "old", jiefen.AccountActive: "fresh", jiefen.AccountDisabled: "gone", jiefen.AccountLocked: "",
		} {
			users, err := db.Users.ListUsers(ctx, sqlstore.UserFilter{Roles: []jiefen.Role{jiefen.RoleLeader}, State: state, ExpiredBefore: cutoff, Limit: 10})
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

// TestAdministratorsAccountsAreToldOutside: an action on an
// administrator's account (made, reset, disabled, enabled, unlocked) is an
// event for the webhooks in the same transaction, saying who did what to
// which account; a business account's is not.
func TestAdministratorsAccountsAreToldOutside(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := ctxAs(jiefen.RoleSecurity)
		hash, err := cheap.Hash("Long-enough-1")
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range []jiefen.User{{Username: "aud", Role: jiefen.RoleAuditor}, {Username: "boss", Role: jiefen.RoleLeader}} {
			if _, err := db.Users.CreateUser(ctx, u, hash); err != nil {
				t.Fatal(err)
			}
		}
		act := sqlstore.AccountAction{May: func(jiefen.User) error { return nil }}
		for _, name := range []string{"aud", "boss"} {
			act.Name = "user.reset_password"
			if _, err := db.Users.ResetPassword(ctx, name, act, hash); err != nil {
				t.Fatal(err)
			}
			act.Name = "user.disable"
			if _, err := db.Users.SetUserActive(ctx, name, false, act); err != nil {
				t.Fatal(err)
			}
		}
		rows, err := db.SQL().Query("SELECT kind, title FROM events WHERE subject_type = 'user' ORDER BY id")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var got []string
		for rows.Next() {
			var kind, title string
			if err := rows.Scan(&kind, &title); err != nil {
				t.Fatal(err)
			}
			got = append(got, kind+" "+title)
		}
		want := []string{"user.create 安全管理员 tester 创建了审计员账号 aud", "user.reset_password 安全管理员 tester 重置了审计员账号 aud 的密码",
			"user.disable 安全管理员 tester 停用了审计员账号 aud"}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("events:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})
}
