package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"jiefen"
	"jiefen/calendar"
	"jiefen/configs"
	"jiefen/internal/auth"
	"jiefen/internal/httpapi"
	"jiefen/internal/live"
	"jiefen/internal/sqlstore"
	"jiefen/internal/sqlstore/storetest"
	"jiefen/internal/wiring"
	"jiefen/litigation"
	"jiefen/mediation"
	"jiefen/reconsideration"
	"jiefen/routing"
)

func init() { gin.SetMode(gin.TestMode) }

const password = "Test-Pass-2026"

// env is one server on one fresh store, with a user per role.
type env struct {
	t      testing.TB
	db     *sqlstore.DB
	srv    *httpapi.Server
	logs   *syncBuffer
	tokens map[jiefen.Role]string
	opts   httpapi.Options
}

// user creates a user and returns a session token for it.
func (e *env) user(name string, role jiefen.Role, org string) string {
	e.t.Helper()
	return e.namedUser(name, "", role, org)
}

// namedUser creates a user with a display name (姓名) and returns a
// session token for it.
func (e *env) namedUser(name, displayName string, role jiefen.Role, org string) string {
	e.t.Helper()
	u, hash, err := httpapi.NewUser(e.opts.Hasher, auth.DefaultPasswordPolicy(), name, password, role, org, displayName)
	if err != nil {
		e.t.Fatal(err)
	}
	ctx := jiefen.NewContextWithActor(context.Background(), jiefen.Actor{Username: "setup"})
	if _, err := e.db.Users.CreateUser(ctx, u, hash); err != nil {
		e.t.Fatal(err)
	}
	res := e.do("POST", "/api/v1/auth/login", "", map[string]string{"username": u.Username, "password": password})
	res.want(http.StatusOK)
	return res.json()["token"].(string)
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func options(t testing.TB, db *sqlstore.DB) httpapi.Options {
	shipped, err := configs.Holidays()
	if err != nil {
		t.Fatal(err)
	}
	rules, err := configs.Rules("")
	if err != nil {
		t.Fatal(err)
	}
	cal := live.NewCalendar(db, shipped, calendar.Options{}, time.Minute)
	rs := live.NewRouting(db, cal, rules, time.Minute)
	pol := sqlstore.IntakePolicy{Policy: routing.Policy{CodePrefix: "RZ", MediatorCapacity: 3, RepeatWindowDays: 180}, IdempotencyTTL: 24 * time.Hour}
	drafter, err := configs.AnnualDrafter("")
	if err != nil {
		t.Fatal(err)
	}
	return httpapi.Options{
		Drafter:  drafter,
		Holidays: cal, Rules: rules, Routing: rs, Intake: pol,
		Intaker:             sqlstore.NewIntaker(db, pol, rs.Router, 64),
		CorrectionRateBasis: reconsideration.BasisConcluded, ReconsiderationBody: "RZ",
		Litigation: httpapi.LitigationPolicy{AlertDays: 3, Interviews: litigation.Thresholds{LossRate: 0.3, MinConcluded: 2, MinAppearanceRate: 0.9}},
		Mediation: mediation.Policy{PoliceOrgs: []string{"RZ-GAJ"}, Subsidies: mediation.Subsidies{
			mediation.TierGeneral: 10000, mediation.TierDifficult: 30000, mediation.TierMajor: 50000}},
		BodyLimit: 64 << 10, RetryAfter: 5,
		Sessions:       auth.SessionPolicy{Idle: 30 * time.Minute, Absolute: 12 * time.Hour},
		PasswordPolicy: live.NewPasswordPolicy(db, auth.DefaultPasswordPolicy(), time.Minute),
		IdempotencyTTL: 24 * time.Hour,
		Hasher:         auth.Hasher{MemoryKiB: 64, Time: 1},
	}
}

func newEnv(t testing.TB, db *sqlstore.DB) *env {
	t.Helper()
	logs := &syncBuffer{}
	opts := options(t, db)
	srv, err := httpapi.New(wiring.API(db), opts, slog.New(slog.NewJSONHandler(logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, db: db, srv: srv, logs: logs, tokens: map[jiefen.Role]string{}, opts: opts}
	ctx := jiefen.NewContextWithActor(context.Background(), jiefen.Actor{Username: "setup"})
	if _, err := db.Orgs.CreateOrg(ctx, jiefen.Org{Code: "RZ-GA", Name: "汝州市公安局（测试）", Kind: jiefen.OrgAgency}); err != nil {
		t.Fatal(err)
	}
	seed, err := configs.SeedOrgs("")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Orgs.EnsureOrgs(ctx, seed); err != nil {
		t.Fatal(err)
	}
	set, err := configs.RoutingRules("")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Routing.PutRoutingRules(ctx, set, 0, func(known func(string) bool) error { return set.Validate(known, opts.Rules) }); err != nil {
		t.Fatal(err)
	}
	for _, r := range jiefen.Roles() {
		org := ""
		if r == jiefen.RoleAgencyStaff {
			org = "RZ-GA"
		}
		u, hash, err := httpapi.NewUser(opts.Hasher, auth.DefaultPasswordPolicy(), "u-"+strings.ReplaceAll(string(r), "_", "-"), password, r, org, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Users.CreateUser(ctx, u, hash); err != nil {
			t.Fatal(err)
		}
		res := e.do("POST", "/api/v1/auth/login", "", map[string]string{"username": u.Username, "password": password})
		res.want(http.StatusOK)
		e.tokens[r] = res.json()["token"].(string)
	}
	return e
}

type response struct {
	t testing.TB
	*httptest.ResponseRecorder
	method, path string
}

func (r response) want(status int) response {
	r.t.Helper()
	if r.Code != status {
		r.t.Fatalf("%s %s = %d, want %d; body %s", r.method, r.path, r.Code, status, r.Body.String())
	}
	return r
}

func (r response) json() map[string]any {
	r.t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body.Bytes(), &m); err != nil {
		r.t.Fatalf("%s %s: body is not a JSON object: %v: %s", r.method, r.path, err, r.Body.String())
	}
	return m
}

// errorFields returns the "field" of each entry of the error's fields.
func (r response) errorFields() []string {
	r.t.Helper()
	e, _ := r.json()["error"].(map[string]any)
	var out []string
	fs, _ := e["fields"].([]any)
	for _, f := range fs {
		out = append(out, f.(map[string]any)["field"].(string))
	}
	return out
}

func (r response) errorCode() string {
	e, _ := r.json()["error"].(map[string]any)
	s, _ := e["code"].(string)
	return s
}

// do sends a request as the holder of token ("" for none). body is JSON
// encoded unless it is a string or []byte, which are sent as they are.
func (e *env) do(method, path, token string, body any, headers ...string) response {
	e.t.Helper()
	var raw []byte
	switch b := body.(type) {
	case nil:
	case string:
		raw = []byte(b)
	case []byte:
		raw = b
	default:
		j, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		raw = j
	}
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(raw)
	}
	req := httptest.NewRequest(method, path, r)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	w := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(w, req)
	e.checkContract(req, raw, w)
	if w.Code >= 500 && w.Code != http.StatusServiceUnavailable {
		e.t.Logf("server log: %s", e.logs.String()[max(0, len(e.logs.String())-6000):])
	}
	return response{t: e.t, ResponseRecorder: w, method: method, path: path}
}

func (e *env) as(r jiefen.Role) string { return e.tokens[r] }

func each(t *testing.T, fn func(t *testing.T, e *env)) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) { fn(t, newEnv(t, db)) })
}
