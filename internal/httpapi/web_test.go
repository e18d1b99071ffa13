package httpapi_test

import (
	"net/http"
	"strings"
	"testing"

	"jiefen"
	"jiefen/internal/sqlstore/storetest"
)

// TestBrowserSession: a login with ?cookie=true sets the session in an
// HttpOnly, SameSite=Strict cookie (not in the answer) and a CSRF cookie;
// reads go with the cookie alone, writes only with the session's CSRF
// token echoed in X-CSRF-Token; logout clears both.
func TestBrowserSession(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	e.user("web-admin", jiefen.RoleAdmin, "")
	res := e.do("POST", "/api/v1/auth/login?cookie=true", "", map[string]string{"username": "web-admin", "password": password}).want(http.StatusOK)
	if strings.Contains(res.Body.String(), `"token":"`) && !strings.Contains(res.Body.String(), `"token":""`) {
		t.Errorf("the cookie login answered the token: %s", res.Body)
	}
	var session, csrf *http.Cookie
	for _, c := range res.Result().Cookies() {
		switch c.Name {
		case "jiefen_session":
			session = c
		case "jiefen_csrf":
			csrf = c
		}
	}
	if session == nil || csrf == nil {
		t.Fatalf("cookies %v", res.Result().Cookies())
	}
	if !session.HttpOnly || session.SameSite != http.SameSiteStrictMode || csrf.HttpOnly || csrf.SameSite != http.SameSiteStrictMode ||
		session.Secure || session.Path != "/" {
		t.Errorf("session cookie %+v, csrf cookie %+v", session, csrf)
	}
	cookies := "jiefen_session=" + session.Value + "; jiefen_csrf=" + csrf.Value
	e.do("GET", "/api/v1/auth/me", "", nil, "Cookie", cookies).want(http.StatusOK)
	org := map[string]any{"code": "WEB-ORG", "name": "网页测试", "kind": "office"}
	e.do("POST", "/api/v1/orgs", "", org, "Cookie", cookies).want(http.StatusForbidden)
	e.do("POST", "/api/v1/orgs", "", org, "Cookie", cookies, "X-CSRF-Token", "forged").want(http.StatusForbidden)
	// A CSRF cookie planted by another site does not make a pair.
	e.do("POST", "/api/v1/orgs", "", org, "Cookie", "jiefen_session="+session.Value+"; jiefen_csrf=forged", "X-CSRF-Token", "forged").
		want(http.StatusForbidden)
	e.do("POST", "/api/v1/orgs", "", org, "Cookie", cookies, "X-CSRF-Token", csrf.Value).want(http.StatusCreated)
	// A bearer token needs no CSRF token: no browser sends it by itself.
	e.do("POST", "/api/v1/orgs", e.as(jiefen.RoleAdmin), map[string]any{"code": "WEB-ORG2", "name": "网页测试二", "kind": "office"}).want(http.StatusCreated)
	out := e.do("POST", "/api/v1/auth/logout", "", nil, "Cookie", cookies, "X-CSRF-Token", csrf.Value).want(http.StatusNoContent)
	if got := out.Header().Values("Set-Cookie"); len(got) != 2 || !strings.Contains(strings.Join(got, ";"), "Max-Age=0") {
		t.Errorf("logout Set-Cookie %v", got)
	}
	e.do("GET", "/api/v1/auth/me", "", nil, "Cookie", cookies).want(http.StatusUnauthorized)
}

// TestDashboardPages: every page carries the security headers (a
// Content-Security-Policy without inline scripts); a page asked for without
// a session goes to the login page.
func TestDashboardPages(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	res := e.do("GET", "/dashboard", "", nil).want(http.StatusFound)
	if loc := res.Header().Get("Location"); loc != "/login?next=%2Fdashboard" {
		t.Errorf("Location %q", loc)
	}
	page := e.do("GET", "/login", "", nil).want(http.StatusOK)
	csp := page.Header().Get("Content-Security-Policy")
	if !strings.Contains(csp, "script-src 'self';") || strings.Contains(csp, "unsafe-eval") || page.Header().Get("X-Frame-Options") != "DENY" {
		t.Errorf("headers %v", page.Header())
	}
	if strings.Contains(page.Body.String(), "<script>") || !strings.Contains(page.Body.String(), `<script type="module" src="/assets/pages/login.js">`) {
		t.Errorf("the login page has inline script or lacks its module")
	}
	e.do("GET", "/dashboard", "", nil, "Cookie", "jiefen_session=x").want(http.StatusOK)
	e.do("GET", "/assets/app.js", "", nil).want(http.StatusOK)
	e.do("GET", "/assets/vendor/", "", nil).want(http.StatusNotFound)
}
