package jiefen_test

import (
	"testing"
	"time"

	"jiefen"
)

// TestAccountState: disabled > locked > must_change_password > active, and
// a lock that has run out no longer counts.
func TestAccountState(t *testing.T) {
	now := time.Date(2026, 5, 12, 9, 0, 0, 0, time.UTC)
	later, earlier := now.Add(time.Minute), now.Add(-time.Minute)
	for _, tc := range []struct {
		u    jiefen.User
		want jiefen.AccountState
	}{
		{jiefen.User{Active: true}, jiefen.AccountActive},
		{jiefen.User{Active: true, MustChangePassword: true}, jiefen.AccountMustChangePassword},
		{jiefen.User{Active: true, MustChangePassword: true, LockedUntil: &later}, jiefen.AccountLocked},
		{jiefen.User{Active: true, MustChangePassword: true, LockedUntil: &earlier}, jiefen.AccountMustChangePassword},
		{jiefen.User{Active: false, MustChangePassword: true, LockedUntil: &later}, jiefen.AccountDisabled},
	} {
		if got := tc.u.AccountStateAt(now); got != tc.want {
			t.Errorf("%+v: state %s, want %s", tc.u, got, tc.want)
		}
	}
}
