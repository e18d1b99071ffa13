package httpapi_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"jiefen"
)

// TestThreeAdministrators: 三员分立 over the API. The system administrator
// manages the business accounts only, the security administrator the
// administrators' and the auditor's only, the auditor none; the security
// administrator reaches no business data and no audit log; each manager
// sees only the accounts it manages, and another account answers as a
// missing one.
func TestThreeAdministrators(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		admin, security, auditor := e.as(jiefen.RoleAdmin), e.as(jiefen.RoleSecurity), e.as(jiefen.RoleAuditor)
		create := func(tok, username string, role jiefen.Role) response {
			return e.do("POST", "/api/v1/users", tok, map[string]any{"username": username, "password": "Long-enough-1", "role": role, "name": "张三"})
		}
		for _, role := range []jiefen.Role{jiefen.RoleAdmin, jiefen.RoleSecurity, jiefen.RoleAuditor} {
			res := create(admin, "by-admin-"+string(role), role).want(http.StatusForbidden)
			if msg := res.json()["error"].(map[string]any)["message"].(string); !strings.Contains(msg, "三员分立") {
				t.Errorf("admin creating %s: message %q does not name 三员分立", role, msg)
			}
			create(security, "by-security-"+string(role), role).want(http.StatusCreated)
			create(auditor, "by-auditor-"+string(role), role).want(http.StatusForbidden)
		}
		for _, role := range []jiefen.Role{jiefen.RoleIntake, jiefen.RoleMediator, jiefen.RoleReconsideration,
			jiefen.RoleAgencyStaff, jiefen.RoleCourtLiaison, jiefen.RoleLeader} {
			create(security, "by-security-"+strings.ReplaceAll(string(role), "_", "-"), role).want(http.StatusForbidden)
			create(auditor, "by-auditor-"+strings.ReplaceAll(string(role), "_", "-"), role).want(http.StatusForbidden)
		}
		create(admin, "by-admin-leader", jiefen.RoleLeader).want(http.StatusCreated)

		// The security administrator: accounts only.
		for _, path := range []string{"/api/v1/audit", "/api/v1/audit/verify", "/api/v1/disputes", "/api/v1/orgs", "/api/v1/litigation/cases", "/api/v1/jobs"} {
			e.do("GET", path, security, nil).want(http.StatusForbidden)
		}

		// Acting on an account of a role one does not manage.
		for _, a := range []string{"reset-password", "unlock", "disable", "enable"} {
			e.do("POST", "/api/v1/users/u-security/"+a, admin, nil).want(http.StatusForbidden)
			e.do("POST", "/api/v1/users/u-auditor/"+a, admin, nil).want(http.StatusForbidden)
			e.do("POST", "/api/v1/users/u-leader/"+a, security, nil).want(http.StatusForbidden)
			e.do("POST", "/api/v1/users/u-leader/"+a, auditor, nil).want(http.StatusForbidden)
		}
		// Nobody disables or resets their own account.
		e.do("POST", "/api/v1/users/u-security/disable", security, nil).want(http.StatusConflict)
		e.do("POST", "/api/v1/users/u-security/reset-password", security, nil).want(http.StatusConflict)

		roles := func(tok string) []string {
			var out []string
			for _, it := range e.do("GET", "/api/v1/users?limit=200", tok, nil).want(200).json()["items"].([]any) {
				if r := it.(map[string]any)["role"].(string); !slices.Contains(out, r) {
					out = append(out, r)
				}
			}
			slices.Sort(out)
			return out
		}
		if got := roles(security); !slices.Equal(got, []string{"admin", "auditor", "security"}) {
			t.Errorf("security lists the roles %v", got)
		}
		if got := roles(admin); slices.ContainsFunc(got, func(r string) bool { return r == "admin" || r == "security" || r == "auditor" }) {
			t.Errorf("admin lists the roles %v", got)
		}
		m := e.do("GET", "/api/v1/users?role=auditor", security, nil).want(200).json()
		if items := m["items"].([]any); len(items) != 2 { // u-auditor and by-security-auditor
			t.Errorf("?role=auditor: %v", items)
		}
		if m := e.do("GET", "/api/v1/users?role=auditor", admin, nil).want(200).json(); len(m["items"].([]any)) != 0 {
			t.Errorf("admin's ?role=auditor: %v", m)
		}
		e.do("GET", "/api/v1/users?role=boss", admin, nil).want(422)

		outside := e.do("GET", "/api/v1/users/u-security", admin, nil).want(404).Body.String()
		missing := e.do("GET", "/api/v1/users/nobody", admin, nil).want(404).Body.String()
		if outside != missing {
			t.Errorf("out of scope %s, missing %s", outside, missing)
		}
		u := e.do("GET", "/api/v1/users/BY-SECURITY-ADMIN", security, nil).want(200).json()
		if u["name"] != "张三" || u["must_change_password"] != false || u["state"] != "active" {
			t.Errorf("created by security: %v", u)
		}
		e.do("POST", "/api/v1/users", admin, map[string]any{"username": "bad.name", "password": "Long-enough-1", "role": "leader",
			"name": strings.Repeat("名", 33)}).want(422)
		f := e.do("POST", "/api/v1/users", admin, map[string]any{"username": "bad.name", "password": "Long-enough-1", "role": "leader",
			"name": "张\u0007三"}).want(422).errorFields()
		if !slices.Equal(f, []string{"name"}) {
			t.Errorf("control character in name: fields %v", f)
		}
	})
}

// TestAccountLifecycle: five wrong passwords lock an account (423), its
// manager unlocks it; a reset ends the user's sessions and gives a
// one-time password that works only to change itself; a wrong old password
// counts toward the lock-out; a disabled account cannot log in and its
// session ends; every step is audited without a password.
func TestAccountLifecycle(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		admin := e.as(jiefen.RoleAdmin)
		first := e.user("li.si", jiefen.RoleMediator, "")
		login := func(pw string) response {
			return e.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "li.si", "password": pw})
		}
		for range 5 {
			login("Wrong-Pass-1").want(http.StatusUnauthorized)
		}
		login(password).want(http.StatusLocked)
		inState := func(state string) []string {
			var names []string
			for _, it := range e.do("GET", "/api/v1/users?limit=200&state="+state, admin, nil).want(200).json()["items"].([]any) {
				names = append(names, it.(map[string]any)["username"].(string))
			}
			return names
		}
		if got := inState("locked"); !slices.Equal(got, []string{"li.si"}) || slices.Contains(inState("active"), "li.si") {
			t.Fatalf("?state=locked lists %v", got)
		}
		e.do("GET", "/api/v1/users?state=asleep", admin, nil).want(422)
		u := e.do("GET", "/api/v1/users/li.si", admin, nil).want(200)
		if m := u.json(); m["state"] != "locked" || m["locked_until"] == nil || m["last_login_at"] == nil {
			t.Fatalf("locked account %v", m)
		}
		e.do("POST", "/api/v1/users/li.si/unlock", admin, nil, "If-Match", `"99"`).want(http.StatusPreconditionFailed)
		m := e.do("POST", "/api/v1/users/li.si/unlock", admin, nil, "If-Match", u.Header().Get("ETag")).want(200).json()
		if m["state"] != "active" || m["locked_until"] != nil {
			t.Fatalf("unlocked %v", m)
		}
		login(password).want(http.StatusOK)

		res := e.do("POST", "/api/v1/users/LI.SI/reset-password", admin, nil).want(200)
		reset := res.json()
		oneTime, _ := reset["password"].(string)
		if reset["username"] != "li.si" || reset["must_change_password"] != true || len(oneTime) < 10 ||
			res.Header().Get("Cache-Control") != "no-store" {
			t.Fatalf("reset %v %v", reset, res.Header())
		}
		e.do("GET", "/api/v1/auth/me", first, nil).want(http.StatusUnauthorized)
		login(password).want(http.StatusUnauthorized)
		m = login(oneTime).want(200).json()
		if user := m["user"].(map[string]any); user["must_change_password"] != true || user["state"] != "must_change_password" {
			t.Fatalf("login with the one-time password: %v", user)
		}
		tok := m["token"].(string)
		other := login(oneTime).want(200).json()["token"].(string)
		if got := inState("must_change_password"); !slices.Equal(got, []string{"li.si"}) {
			t.Fatalf("?state=must_change_password lists %v", got)
		}
		res = e.do("GET", "/api/v1/mediation/cases", tok, nil).want(http.StatusForbidden)
		if res.errorCode() != "password_change_required" {
			t.Fatalf("business route before the change: %s", res.Body)
		}
		e.do("GET", "/api/v1/auth/me", tok, nil).want(200)
		change := func(old, new string) response {
			return e.do("POST", "/api/v1/auth/password", tok, map[string]string{"old": old, "new": new})
		}
		for _, tc := range []struct{ old, new, field string }{
			{oneTime, "short", "new"},
			{oneTime, oneTime, "new"},
			{"Wrong-Pass-1", "New-Password-2", "old"},
		} {
			if f := change(tc.old, tc.new).want(422).errorFields(); !slices.Equal(f, []string{tc.field}) {
				t.Errorf("old %q new %q: fields %v, want %s", tc.old, tc.new, f, tc.field)
			}
		}
		m = change(oneTime, "New-Password-2").want(200).json()
		if m["must_change_password"] != false || m["state"] != "active" {
			t.Fatalf("after the change %v", m)
		}
		e.do("GET", "/api/v1/mediation/cases", tok, nil).want(200)
		e.do("GET", "/api/v1/auth/me", other, nil).want(http.StatusUnauthorized) // the other session ended
		login("New-Password-2").want(200)

		// A wrong old password is a failed login: the fifth locks the
		// account, and then even the right one is refused.
		for range 5 {
			change("Wrong-Pass-1", "Another-Pass-3").want(422)
		}
		change("New-Password-2", "Another-Pass-3").want(http.StatusLocked)
		login("New-Password-2").want(http.StatusLocked)
		e.do("POST", "/api/v1/users/li.si/unlock", admin, nil).want(200)

		m = e.do("POST", "/api/v1/users/li.si/disable", admin, nil).want(200).json()
		if m["active"] != false || m["state"] != "disabled" {
			t.Fatalf("disabled %v", m)
		}
		e.do("GET", "/api/v1/auth/me", tok, nil).want(http.StatusUnauthorized)
		login("New-Password-2").want(http.StatusUnauthorized)
		if got := inState("disabled"); !slices.Equal(got, []string{"li.si"}) || !slices.Contains(inState("active"), "u-leader") {
			t.Fatalf("?state=disabled lists %v", got)
		}
		e.do("POST", "/api/v1/users/li.si/disable", admin, nil).want(http.StatusConflict)
		e.do("POST", "/api/v1/users/li.si/enable", admin, nil).want(200)
		e.do("POST", "/api/v1/users/li.si/enable", admin, nil).want(http.StatusConflict)
		login("New-Password-2").want(200)

		body := e.do("GET", "/api/v1/audit?limit=200", e.as(jiefen.RoleAuditor), nil).want(200).Body.String()
		for _, action := range []string{"user.unlock", "user.reset_password", "user.change_password", "auth.password_change_failed", "user.disable", "user.enable"} {
			if !strings.Contains(body, `"`+action+`"`) {
				t.Errorf("no %s in the audit log", action)
			}
		}
		for _, pw := range []string{oneTime, "New-Password-2", "Wrong-Pass-1"} {
			if strings.Contains(body, pw) || strings.Contains(e.logs.String(), pw) {
				t.Errorf("a password reached the audit log or the log")
			}
		}
	})
}

// TestPasswordMaxAge: a password older than auth.password_max_age (90 days
// here) must be changed before anything else, counted on the store's
// clock.
func TestPasswordMaxAge(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.user("wang.wu", jiefen.RoleLeader, "")
		later := time.Now().Add(91 * 24 * time.Hour)
		e.db.Now = func() time.Time { return later }
		m := e.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "wang.wu", "password": password}).want(200).json()
		if user := m["user"].(map[string]any); user["must_change_password"] != true || user["state"] != "must_change_password" {
			t.Fatalf("login with an old password: %v", user)
		}
		tok := m["token"].(string)
		if res := e.do("GET", "/api/v1/clocks/summary", tok, nil).want(http.StatusForbidden); res.errorCode() != "password_change_required" {
			t.Fatalf("business route with an old password: %s", res.Body)
		}
		e.do("POST", "/api/v1/auth/password", tok, map[string]string{"old": password, "new": "Fresh-Pass-91"}).want(200)
		e.do("GET", "/api/v1/clocks/summary", tok, nil).want(200)
	})
}
