package httpapi_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"jiefen"
	"jiefen/internal/httpapi"
	"jiefen/internal/sqlstore/storetest"
	"jiefen/internal/wiring"
)

// TestLoginRateLimits: past the attempts allowed per address, and per
// username from any address, a login is answered 429 with Retry-After
// before the password is checked (a right password too); other addresses
// and users go on.
func TestLoginRateLimits(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	e.user("rate-user", jiefen.RoleLeader, "")
	e.user("other-user", jiefen.RoleLeader, "")
	opts := e.opts
	opts.LoginLimits = httpapi.LoginLimits{PerAddress: 4, PerUser: 3, Window: time.Minute}
	srv, err := httpapi.New(wiring.API(e.db), opts, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	login := func(addr, user, pw string) *httptest.ResponseRecorder {
		body := `{"username":"` + user + `","password":"` + pw + `"}`
		req := httptest.NewRequest("POST", "/api/v1/auth/login", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.RemoteAddr = addr + ":40000"
		w := httptest.NewRecorder()
		srv.Handler().ServeHTTP(w, req)
		e.checkContract(req, []byte(body), w)
		return w
	}
	for i := 0; i < 3; i++ {
		if w := login("10.1.1.1", "rate-user", "wrong-password-1"); w.Code != http.StatusUnauthorized {
			t.Fatalf("attempt %d = %d", i+1, w.Code)
		}
	}
	// The fourth attempt on the user, even with the right password and from
	// another address, is refused before the password is looked at.
	w := login("10.2.2.2", "rate-user", password)
	if w.Code != http.StatusTooManyRequests || !strings.Contains(w.Body.String(), `"rate_limited"`) {
		t.Fatalf("per user: %d %s", w.Code, w.Body)
	}
	if s, err := strconv.Atoi(w.Header().Get("Retry-After")); err != nil || s < 1 || s > 60 {
		t.Errorf("Retry-After %q", w.Header().Get("Retry-After"))
	}
	// 10.1.1.1 has made 3 attempts; a fourth on another user passes, a
	// fifth is over the address's limit.
	if w := login("10.1.1.1", "other-user", password); w.Code != http.StatusOK {
		t.Fatalf("fourth from the address = %d", w.Code)
	}
	if w := login("10.1.1.1", "other-user", password); w.Code != http.StatusTooManyRequests {
		t.Fatalf("fifth from the address = %d", w.Code)
	}
	if w := login("10.3.3.3", "other-user", password); w.Code != http.StatusOK {
		t.Fatalf("another address = %d", w.Code)
	}
}

// TestSecurityHeaders: every answer forbids sniffing and framing; API
// answers are not cached; a 500 carries neither a stack trace nor SQL.
func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	res := e.do("GET", "/api/v1/auth/me", e.as(jiefen.RoleLeader), nil).want(http.StatusOK)
	for k, want := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer",
		"Cache-Control": "no-store", "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'"} {
		if got := res.Header().Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	if got := e.do("GET", "/healthz", "", nil).Header().Get("X-Frame-Options"); got != "DENY" {
		t.Errorf("healthz X-Frame-Options %q", got)
	}
}

// TestInternalErrorsAreRedacted: a database error reaching the error
// handler is answered with the request id only (no SQL, no stack); the
// log keeps the error for the operator (its quoted values redacted, see
// TestRedact).
func TestInternalErrorsAreRedacted(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	leader := e.as(jiefen.RoleLeader)
	// Break a table the dispute list reads, so that the query fails with
	// SQL in its message.
	if _, err := e.db.SQL().Exec("ALTER TABLE disputes RENAME TO disputes_gone"); err != nil {
		t.Fatal(err)
	}
	res := e.do("GET", "/api/v1/disputes", leader, nil)
	body := res.Body.String()
	if res.Code != http.StatusInternalServerError || strings.Contains(body, "SELECT") || strings.Contains(body, "disputes") ||
		strings.Contains(body, "goroutine") || !strings.Contains(body, "请求编号") {
		t.Fatalf("answer %d %s", res.Code, body)
	}
	logs := e.logs.String()
	if !strings.Contains(logs, `"internal error"`) || !strings.Contains(logs, "disputes") {
		t.Errorf("logs: %s", logs)
	}
}

// TestSecureCookiesBehindATLSProxy: TLS ended at a trusted proxy (its
// X-Forwarded-Proto: https) makes the session cookies Secure and sends
// HSTS; the same header from any other peer is not believed.
func TestSecureCookiesBehindATLSProxy(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.user("proxied", jiefen.RoleLeader, "")
		opts := e.opts
		opts.TrustedProxies = []string{"192.0.2.0/24"} // httptest's peer is 192.0.2.1
		proxied, err := httpapi.New(wiring.API(e.db), opts, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name   string
			srv    http.Handler
			secure bool
		}{{"through the trusted proxy", proxied.Handler(), true}, {"from an untrusted peer", e.srv.Handler(), false}} {
			req := httptest.NewRequest("POST", "/api/v1/auth/login?cookie=true", strings.NewReader(`{"username":"proxied","password":"`+password+`"}`))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-Forwarded-Proto", "https")
			rec := httptest.NewRecorder()
			c.srv.ServeHTTP(rec, req)
			if rec.Code != 200 {
				t.Fatalf("%s: login %d %s", c.name, rec.Code, rec.Body)
			}
			cookies := rec.Result().Cookies()
			if len(cookies) == 0 {
				t.Fatalf("%s: no cookies", c.name)
			}
			for _, ck := range cookies {
				if ck.Secure != c.secure {
					t.Errorf("%s: cookie %s Secure=%v", c.name, ck.Name, ck.Secure)
				}
			}
			if hsts := rec.Header().Get("Strict-Transport-Security") != ""; hsts != c.secure {
				t.Errorf("%s: HSTS %v", c.name, hsts)
			}
		}
	})
}
