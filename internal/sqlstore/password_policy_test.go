package sqlstore_test

import (
	"testing"

	"jiefen"
	"jiefen/internal/auth"
	"jiefen/internal/sqlstore"
	"jiefen/internal/sqlstore/storetest"
)

// TestPasswordPolicySeededOnce: the first read stores the configured
// policy as version 1; a replica configured otherwise reads the stored one;
// a change needs the stored version and counts up.
func TestPasswordPolicySeededOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := ctxAs(jiefen.RoleSecurity)
		first := auth.DefaultPasswordPolicy()
		first.LockoutFailures = 4
		p, err := db.Users.PasswordPolicy(ctx, first)
		if err != nil || p.LockoutFailures != 4 || p.Version != 1 {
			t.Fatalf("seeded policy %+v: %v", p, err)
		}
		if p, err := db.Users.PasswordPolicy(ctx, auth.DefaultPasswordPolicy()); err != nil || p.LockoutFailures != 4 {
			t.Fatalf("a second seed overwrote the stored policy: %+v, %v", p, err)
		}
		next := p
		next.MinLength = 14
		if _, err := db.Users.PutPasswordPolicy(ctx, next, 2); jiefen.ErrorCodeOf(err) != jiefen.EPRECONDITION {
			t.Fatalf("a stale version: %v", err)
		}
		if p, err = db.Users.PutPasswordPolicy(ctx, next, 1); err != nil || p.MinLength != 14 || p.Version != 2 {
			t.Fatalf("stored %+v: %v", p, err)
		}
		if p, err = db.Users.PasswordPolicy(ctx, first); err != nil || p.MinLength != 14 || p.Version != 2 {
			t.Fatalf("read back %+v: %v", p, err)
		}
	})
}
