package auth_test

import (
	"strings"
	"testing"
	"time"

	"jiefen"
	"jiefen/internal/auth"
)

// TestManages: 三员分立 as one rule. Nobody manages an account that would
// let them act as another administrator: the system administrator
// manages no administrator, the security administrator no business
// account, the auditor and the business roles nothing.
func TestManages(t *testing.T) {
	admins := []jiefen.Role{jiefen.RoleAdmin, jiefen.RoleSecurity, jiefen.RoleAuditor}
	for _, actor := range jiefen.Roles() {
		for _, target := range jiefen.Roles() {
			administrative := target == jiefen.RoleAdmin || target == jiefen.RoleSecurity || target == jiefen.RoleAuditor
			want := actor == jiefen.RoleAdmin && !administrative || actor == jiefen.RoleSecurity && administrative
			if got := auth.Manages(actor, target); got != want {
				t.Errorf("Manages(%s, %s) = %v, want %v", actor, target, got, want)
			}
		}
	}
	if auth.Manages(jiefen.RoleAdmin, "boss") || auth.Manages(jiefen.RoleSecurity, "boss") {
		t.Error("a role that does not exist is managed")
	}
	if got := auth.ManagedRoles(jiefen.RoleSecurity); len(got) != 3 || got[0] != admins[0] || got[1] != admins[1] || got[2] != admins[2] {
		t.Errorf("ManagedRoles(security) = %v", got)
	}
	if got := auth.ManagedRoles(jiefen.RoleAuditor); len(got) != 0 {
		t.Errorf("ManagedRoles(auditor) = %v", got)
	}
}

func TestCheckName(t *testing.T) {
	for name, ok := range map[string]bool{"": true, "王芳": true, "欧阳·娜娜": true, strings.Repeat("名", 32): true,
		strings.Repeat("名", 33): false, "王\n芳": false, "王\u0000芳": false, "\u007f": false} {
		if err := auth.CheckName(name); (err == nil) != ok {
			t.Errorf("CheckName(%q) = %v, want ok %v", name, err, ok)
		}
	}
}

func TestOneTimePassword(t *testing.T) {
	seen := map[string]bool{}
	for range 200 {
		pw, err := auth.NewOneTimePassword(auth.DefaultPasswordPolicy())
		if err != nil {
			t.Fatal(err)
		}
		if err := auth.DefaultPasswordPolicy().Check(pw); err != nil || len(pw) != 16 || strings.ContainsAny(pw, "0O1lI") || seen[pw] {
			t.Fatalf("one-time password %q: %v", pw, err)
		}
		seen[pw] = true
	}
}

func TestPasswordMaxAge(t *testing.T) {
	set := time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC)
	age := auth.PasswordMaxAge(90 * 24 * time.Hour)
	if age.Expired(set, set.Add(90*24*time.Hour-time.Second)) || !age.Expired(set, set.Add(90*24*time.Hour)) {
		t.Error("a password expires at 90 days, not before")
	}
	if auth.PasswordMaxAge(0).Expired(set, set.AddDate(10, 0, 0)) {
		t.Error("a max age of 0 expires a password")
	}
}
