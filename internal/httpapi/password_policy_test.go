package httpapi_test

import (
	"net/http"
	"slices"
	"testing"
	"time"

	"jiefen"
)

// stricter is a policy a security administrator may set: 12 characters,
// 3 failures lock, passwords serve 30 days.
var stricter = map[string]int{"min_length": 12, "min_classes": 3, "max_age_days": 30,
	"lockout_failures": 3, "lockout_window_minutes": 15, "lockout_minutes": 30}

// TestPasswordPolicyIsSetBySecurity: every user reads the policy (API.md's
// at first); only the security administrator sets it, with If-Match (428
// without, 412 stale); a value looser than API.md's is refused naming the
// field; the change is audited with the old and new values.
func TestPasswordPolicyIsSetBySecurity(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		res := e.do("GET", "/api/v1/auth/password-policy", e.as(jiefen.RoleIntake), nil).want(200)
		if p := res.json(); p["min_length"] != 10.0 || p["min_classes"] != 3.0 || p["lockout_failures"] != 5.0 ||
			p["max_age_days"] != 90.0 || res.Header().Get("ETag") != `"1"` {
			t.Fatalf("the initial policy: %v (ETag %s)", p, res.Header().Get("ETag"))
		}
		const path = "/api/v1/auth/password-policy"
		for _, r := range []jiefen.Role{jiefen.RoleAdmin, jiefen.RoleAuditor, jiefen.RoleIntake, jiefen.RoleLeader} {
			e.do("PUT", path, e.as(r), stricter, "If-Match", `"1"`).want(http.StatusForbidden)
		}
		sec := e.as(jiefen.RoleSecurity)
		e.do("PUT", path, sec, stricter).want(http.StatusPreconditionRequired)
		e.do("PUT", path, sec, stricter, "If-Match", `"7"`).want(http.StatusPreconditionFailed)
		for field, loose := range map[string]int{"min_length": 8, "min_classes": 2, "lockout_failures": 10,
			"lockout_window_minutes": 5, "lockout_minutes": 10, "max_age_days": 400} {
			body := map[string]int{}
			for k, v := range stricter {
				body[k] = v
			}
			body[field] = loose
			if got := e.do("PUT", path, sec, body, "If-Match", `"1"`).want(422).errorFields(); !slices.Equal(got, []string{field}) {
				t.Errorf("%s %d: fields %v", field, loose, got)
			}
		}
		res = e.do("PUT", path, sec, stricter, "If-Match", `"1"`).want(200)
		if p := res.json(); p["min_length"] != 12.0 || p["version"] != 2.0 || res.Header().Get("ETag") != `"2"` {
			t.Fatalf("the stored policy: %v (ETag %s)", p, res.Header().Get("ETag"))
		}
		got := auditChanges(t, e, "auth.password_policy", "1")
		for field, want := range map[string]string{"min_length": "10→12", "lockout_failures": "5→3", "max_age_days": "90→30", "version": "1→2"} {
			if got[field] != want {
				t.Errorf("audit change of %s: %q, want %q (all: %v)", field, got[field], want, got)
			}
		}
		if _, ok := got["min_classes"]; ok {
			t.Errorf("an unchanged field is in the audit entry: %v", got)
		}
	})
}

// TestStricterPolicyApplies: once the security administrator sets 12
// characters, 3 failures and 30 days, a 10-character password is refused
// on change and on create, a 12-character one accepted; the third wrong
// password locks; a password of 31 days must be changed.
func TestStricterPolicyApplies(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		leader := e.user("zhao.liu", jiefen.RoleLeader, "")
		e.do("PUT", "/api/v1/auth/password-policy", e.as(jiefen.RoleSecurity), stricter, "If-Match", `"1"`).want(200)

		const ten, twelve = "Abcdefg-12", "Abcdefghi-12"
		change := func(pw string) response {
			return e.do("POST", "/api/v1/auth/password", leader, map[string]string{"old": password, "new": pw})
		}
		if got := change(ten).want(422).errorFields(); !slices.Equal(got, []string{"new"}) {
			t.Errorf("a 10-character new password: fields %v", got)
		}
		change(twelve).want(200)
		account := func(name, pw string) map[string]string {
			return map[string]string{"username": name, "password": pw, "role": "auditor"}
		}
		if got := e.do("POST", "/api/v1/users", e.as(jiefen.RoleSecurity), account("shen.ji", ten)).want(422).errorFields(); !slices.Equal(got, []string{"password"}) {
			t.Errorf("an account with a 10-character password: fields %v", got)
		}
		e.do("POST", "/api/v1/users", e.as(jiefen.RoleSecurity), account("shen.ji", twelve)).want(201)
		reset := e.do("POST", "/api/v1/users/shen.ji/reset-password", e.as(jiefen.RoleSecurity), nil).want(200).json()
		if pw := reset["password"].(string); len(pw) < 12 {
			t.Errorf("a one-time password shorter than the policy: %q", pw)
		}

		login := func(pw string) response {
			return e.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "zhao.liu", "password": pw})
		}
		login("Wrong-Pass-1").want(401)
		login("Wrong-Pass-1").want(401)
		login(twelve).want(200) // two failures do not lock, and the right password clears them
		for range 3 {
			login("Wrong-Pass-1").want(401)
		}
		login(twelve).want(http.StatusLocked)

		// 31 days on: past the policy's 30, within API.md's 90.
		e.user("qian.qi", jiefen.RoleLeader, "")
		later := time.Now().Add(31 * 24 * time.Hour)
		e.db.Now = func() time.Time { return later }
		m := e.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "qian.qi", "password": password}).want(200).json()
		if user := m["user"].(map[string]any); user["must_change_password"] != true {
			t.Fatalf("a 31-day password under a 30-day policy: %v", user)
		}
		tok := m["token"].(string)
		if res := e.do("GET", "/api/v1/clocks/summary", tok, nil).want(http.StatusForbidden); res.errorCode() != "password_change_required" {
			t.Fatalf("a business route with an expired password: %s", res.Body)
		}
		e.do("GET", "/api/v1/auth/password-policy", tok, nil).want(200) // the 修改密码 page shows the rules
		e.do("POST", "/api/v1/auth/password", tok, map[string]string{"old": password, "new": "Fresh-Pass-31"}).want(200)
		e.do("GET", "/api/v1/clocks/summary", tok, nil).want(200)
	})
}
