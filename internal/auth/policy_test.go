package auth_test

import (
	"slices"
	"testing"
	"time"

	"jiefen"
	"jiefen/internal/auth"
)

// TestStricterPolicy: a policy of 12 characters and all four classes
// refuses what API.md's floor accepts, and its one-time passwords meet it.
func TestStricterPolicy(t *testing.T) {
	p := auth.DefaultPasswordPolicy()
	p.MinLength, p.MinClasses = 20, 4
	for pw, ok := range map[string]bool{
		"Lowercase-12345":       false, // 15 characters
		"Lowercase12345678901":  false, // three classes
		"Lowercase-1234567890":  true,
		"汝州市司法局人民调解委员会Abc-1234": true,
	} {
		if err := p.Check(pw); (err == nil) != ok {
			t.Errorf("Check(%q) = %v, want ok=%v", pw, err, ok)
		}
	}
	pw, err := auth.NewOneTimePassword(p)
	if err != nil || len(pw) != 20 || p.Check(pw) != nil {
		t.Fatalf("one-time password %q under %+v: %v", pw, p, err)
	}
	if lock := p.Lockout(); lock != (auth.Lockout{Failures: 5, Window: 15 * time.Minute, Duration: 30 * time.Minute}) {
		t.Errorf("Lockout() = %+v", lock)
	}
	if p.MaxAge() != auth.PasswordMaxAge(90*24*time.Hour) {
		t.Errorf("MaxAge() = %v", time.Duration(p.MaxAge()))
	}
}

// TestPolicyFloor: API.md's policy is the floor; each looser field is
// named, and a stricter one passes.
func TestPolicyFloor(t *testing.T) {
	if err := auth.DefaultPasswordPolicy().Validate(); err != nil {
		t.Fatalf("API.md's own policy: %v", err)
	}
	strict := auth.PasswordPolicy{MinLength: 16, MinClasses: 4, MaxAgeDays: 30, LockoutFailures: 3,
		LockoutWindowMinutes: 60, LockoutMinutes: 1440}
	if err := strict.Validate(); err != nil {
		t.Fatalf("a stricter policy: %v", err)
	}
	loose := auth.PasswordPolicy{MinLength: 8, MinClasses: 2, MaxAgeDays: 400, LockoutFailures: 6,
		LockoutWindowMinutes: 10, LockoutMinutes: 5}
	err := loose.Validate()
	var fields []string
	if e, ok := err.(*jiefen.Error); ok {
		for _, f := range e.Fields {
			fields = append(fields, f.Field)
		}
	}
	want := []string{"min_length", "min_classes", "max_age_days", "lockout_failures", "lockout_window_minutes", "lockout_minutes"}
	if !slices.Equal(fields, want) {
		t.Errorf("fields of %+v = %v, want %v", loose, fields, want)
	}
}
