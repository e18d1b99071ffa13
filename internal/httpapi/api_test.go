package httpapi_test

import (
	"encoding/json"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"

	"jiefen"
	"jiefen/internal/sqlstore/storetest"
	"jiefen/internal/web"
)

// TestEveryRouteIsDocumented keeps /openapi.json true: every registered
// route is described, and every described operation exists.
func TestEveryRouteIsDocumented(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	res := e.do("GET", "/openapi.json", "", nil).want(http.StatusOK)
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(res.Body.Bytes(), &doc); err != nil || !strings.HasPrefix(doc.OpenAPI, "3.0") {
		t.Fatalf("openapi.json: %v (version %q)", err, doc.OpenAPI)
	}
	registered := map[string]bool{}
	for _, r := range e.srv.Routes() {
		parts := strings.Split(r.Path, "/")
		for i, p := range parts {
			if strings.HasPrefix(p, ":") || strings.HasPrefix(p, "*") {
				parts[i] = "{" + p[1:] + "}"
			}
		}
		key := strings.ToLower(r.Method) + " " + strings.Join(parts, "/")
		registered[key] = true
		path := strings.Join(parts, "/")
		if path == "/" || path == "/assets/{path}" || slices.Contains(web.Pages, strings.TrimPrefix(path, "/")) {
			continue // the dashboard's pages, not the API
		}
		if _, ok := doc.Paths[path][strings.ToLower(r.Method)]; !ok {
			t.Errorf("route %s %s is not in openapi.json", r.Method, path)
		}
	}
	for path, ops := range doc.Paths {
		for method := range ops {
			if method == "parameters" {
				continue
			}
			if !registered[method+" "+path] {
				t.Errorf("openapi.json documents %s %s, which is not a route", method, path)
			}
		}
	}
}

// TestRoleTable checks API.md's roles table, route by route and role by
// role: a role that may not use a route gets 403, one that may does not.
func TestRoleTable(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	all := jiefen.Roles()
	but := func(except ...jiefen.Role) []jiefen.Role {
		return slices.DeleteFunc(slices.Clone(all), func(r jiefen.Role) bool { return slices.Contains(except, r) })
	}
	only := func(r ...jiefen.Role) []jiefen.Role { return r }
	n := 0
	for _, tc := range []struct {
		method, path string
		body         any
		allowed      []jiefen.Role
	}{
		{"GET", "/api/v1/auth/me", nil, all},
		{"POST", "/api/v1/auth/password", map[string]string{}, all},
		{"GET", "/api/v1/auth/password-policy", nil, all},
		{"PUT", "/api/v1/auth/password-policy", map[string]string{}, only(jiefen.RoleSecurity)},
		{"GET", "/api/v1/users", nil, only(jiefen.RoleAdmin, jiefen.RoleSecurity)},
		{"POST", "/api/v1/users", map[string]string{}, only(jiefen.RoleAdmin, jiefen.RoleSecurity)},
		{"GET", "/api/v1/users/u-admin", nil, only(jiefen.RoleAdmin, jiefen.RoleSecurity)},
		{"POST", "/api/v1/users/nobody/reset-password", nil, only(jiefen.RoleAdmin, jiefen.RoleSecurity)},
		{"POST", "/api/v1/users/nobody/unlock", nil, only(jiefen.RoleAdmin, jiefen.RoleSecurity)},
		{"POST", "/api/v1/users/nobody/disable", nil, only(jiefen.RoleAdmin, jiefen.RoleSecurity)},
		{"POST", "/api/v1/users/nobody/enable", nil, only(jiefen.RoleAdmin, jiefen.RoleSecurity)},
		{"GET", "/api/v1/orgs", nil, but(jiefen.RoleAuditor, jiefen.RoleSecurity)},
		{"POST", "/api/v1/orgs", map[string]string{}, only(jiefen.RoleAdmin)},
		{"GET", "/api/v1/orgs/RZ-GA", nil, but(jiefen.RoleAuditor, jiefen.RoleSecurity)},
		{"PATCH", "/api/v1/orgs/RZ-GA", map[string]string{}, only(jiefen.RoleAdmin)},
		{"GET", "/api/v1/deadlines?unit=days&n=3&from=2024-01-01", nil, but(jiefen.RoleAuditor, jiefen.RoleSecurity)},
		{"GET", "/api/v1/deadlines/rules", nil, but(jiefen.RoleAuditor, jiefen.RoleSecurity)},
		{"GET", "/api/v1/calendar/2024", nil, but(jiefen.RoleAuditor, jiefen.RoleSecurity)},
		{"PUT", "/api/v1/calendar/2030", map[string]string{}, only(jiefen.RoleAdmin)},
		{"POST", "/api/v1/disputes", map[string]string{}, only(jiefen.RoleIntake)},
		{"GET", "/api/v1/disputes", nil, only(jiefen.RoleIntake, jiefen.RoleMediator, jiefen.RoleLeader)},
		{"GET", "/api/v1/disputes/1", nil, only(jiefen.RoleIntake, jiefen.RoleMediator, jiefen.RoleLeader)},
		{"POST", "/api/v1/disputes/1/transfers", map[string]string{}, only(jiefen.RoleIntake)},
		{"POST", "/api/v1/routing/preview", map[string]string{}, only(jiefen.RoleIntake, jiefen.RoleAdmin)},
		{"GET", "/api/v1/routing/rules", nil, only(jiefen.RoleAdmin)},
		{"PUT", "/api/v1/routing/rules", map[string]string{}, only(jiefen.RoleAdmin)},
		{"POST", "/api/v1/mediation/cases/1/assign", map[string]string{}, only(jiefen.RoleIntake)},
		{"GET", "/api/v1/mediation/cases", nil, only(jiefen.RoleIntake, jiefen.RoleMediator, jiefen.RoleLeader)},
		{"GET", "/api/v1/mediation/cases/1", nil, only(jiefen.RoleIntake, jiefen.RoleMediator, jiefen.RoleLeader)},
		{"GET", "/api/v1/mediation/cases/1/agreement", nil, only(jiefen.RoleIntake, jiefen.RoleMediator, jiefen.RoleLeader)},
		{"POST", "/api/v1/mediation/cases/1/accept", map[string]string{}, only(jiefen.RoleMediator)},
		{"POST", "/api/v1/mediation/cases/1/sessions", map[string]string{}, only(jiefen.RoleMediator)},
		{"POST", "/api/v1/mediation/cases/1/agreement", map[string]string{}, only(jiefen.RoleMediator)},
		{"POST", "/api/v1/mediation/cases/1/failure", map[string]string{}, only(jiefen.RoleMediator)},
		{"POST", "/api/v1/mediation/cases/1/confirmation", map[string]string{}, only(jiefen.RoleMediator)},
		{"POST", "/api/v1/mediation/cases/1/followups", map[string]string{}, only(jiefen.RoleMediator)},
		{"POST", "/api/v1/mediation/cases/1/rectification", map[string]string{}, only(jiefen.RoleMediator)},
		{"POST", "/api/v1/mediation/cases/1/close", map[string]string{}, only(jiefen.RoleMediator)},
		{"GET", "/api/v1/mediation/subsidies?month=2025-10", nil, only(jiefen.RoleMediator, jiefen.RoleLeader)},
		{"GET", "/api/v1/mediation/ratings?month=2025-10", nil, only(jiefen.RoleLeader)},
		{"GET", "/api/v1/reports/annual?year=2025", nil, only(jiefen.RoleLeader, jiefen.RoleAdmin)},
		{"GET", "/api/v1/mediation/outcomes?from=2025-01-01&to=2025-12-31", nil, only(jiefen.RoleLeader)},
		{"GET", "/api/v1/ledger/stats?from=2025-01-01&to=2025-12-31", nil, only(jiefen.RoleCourtLiaison, jiefen.RoleLeader)},
		{"GET", "/api/v1/mediation/outcomes/cases?from=2025-01-01&to=2025-12-31&figure=agreed", nil, only(jiefen.RoleLeader)},
		{"GET", "/api/v1/reconsideration/stats/cases?from=2025-01-01&to=2025-12-31&figure=decided", nil, only(jiefen.RoleReconsideration, jiefen.RoleLeader)},
		{"POST", "/api/v1/reconsideration/cases", map[string]string{}, only(jiefen.RoleReconsideration)},
		{"GET", "/api/v1/reconsideration/cases", nil, only(jiefen.RoleReconsideration, jiefen.RoleAgencyStaff, jiefen.RoleLeader)},
		{"GET", "/api/v1/reconsideration/cases/1", nil, only(jiefen.RoleReconsideration, jiefen.RoleAgencyStaff, jiefen.RoleLeader)},
		{"GET", "/api/v1/reconsideration/cases/1/documents/decision", nil, only(jiefen.RoleReconsideration, jiefen.RoleAgencyStaff, jiefen.RoleLeader)},
		{"GET", "/api/v1/reconsideration/stats?from=2025-01-01&to=2025-12-31", nil, only(jiefen.RoleReconsideration, jiefen.RoleLeader)},
		{"POST", "/api/v1/reconsideration/cases/1/reply", map[string]string{}, only(jiefen.RoleReconsideration, jiefen.RoleAgencyStaff)},
		{"POST", "/api/v1/reconsideration/cases/1/acceptance", map[string]string{}, only(jiefen.RoleReconsideration)},
		{"POST", "/api/v1/reconsideration/cases/1/materials", map[string]string{}, only(jiefen.RoleReconsideration)},
		{"POST", "/api/v1/reconsideration/cases/1/copy", map[string]string{}, only(jiefen.RoleReconsideration)},
		{"POST", "/api/v1/reconsideration/cases/1/hearings", map[string]string{}, only(jiefen.RoleReconsideration)},
		{"POST", "/api/v1/reconsideration/cases/1/committee_reviews", map[string]string{}, only(jiefen.RoleReconsideration)},
		{"POST", "/api/v1/reconsideration/cases/1/suspensions", map[string]string{}, only(jiefen.RoleReconsideration)},
		{"POST", "/api/v1/reconsideration/cases/1/resumptions", map[string]string{}, only(jiefen.RoleReconsideration)},
		{"POST", "/api/v1/reconsideration/cases/1/extension", map[string]string{}, only(jiefen.RoleReconsideration)},
		{"POST", "/api/v1/reconsideration/cases/1/decision", map[string]string{}, only(jiefen.RoleReconsideration)},
		{"POST", "/api/v1/litigation/cases", map[string]string{}, only(jiefen.RoleCourtLiaison, jiefen.RoleAgencyStaff)},
		{"GET", "/api/v1/litigation/cases", nil, only(jiefen.RoleCourtLiaison, jiefen.RoleAgencyStaff, jiefen.RoleLeader)},
		{"GET", "/api/v1/litigation/cases/1", nil, only(jiefen.RoleCourtLiaison, jiefen.RoleAgencyStaff, jiefen.RoleLeader)},
		{"PATCH", "/api/v1/litigation/cases/1", map[string]string{}, only(jiefen.RoleCourtLiaison, jiefen.RoleAgencyStaff)},
		{"POST", "/api/v1/litigation/cases/1/hearings", map[string]string{}, only(jiefen.RoleCourtLiaison, jiefen.RoleAgencyStaff)},
		{"POST", "/api/v1/litigation/cases/1/outcome", map[string]string{}, only(jiefen.RoleCourtLiaison, jiefen.RoleAgencyStaff)},
		{"GET", "/api/v1/litigation/stats?from=2025-01-01&to=2025-12-31", nil, only(jiefen.RoleCourtLiaison, jiefen.RoleAgencyStaff, jiefen.RoleLeader)},
		{"GET", "/api/v1/litigation/stats/cases?from=2025-01-01&to=2025-12-31&figure=filed", nil, only(jiefen.RoleCourtLiaison, jiefen.RoleAgencyStaff, jiefen.RoleLeader)},
		{"GET", "/api/v1/litigation/double-decline?year=2025", nil, only(jiefen.RoleCourtLiaison, jiefen.RoleLeader)},
		{"GET", "/api/v1/litigation/interviews/candidates?year=2025", nil, only(jiefen.RoleCourtLiaison, jiefen.RoleLeader)},
		{"GET", "/api/v1/litigation/interviews?year=2025", nil, only(jiefen.RoleCourtLiaison, jiefen.RoleLeader)},
		{"POST", "/api/v1/litigation/interviews", map[string]string{}, only(jiefen.RoleLeader)},
		{"POST", "/api/v1/litigation/interviews/1/follow-up", map[string]string{}, only(jiefen.RoleLeader)},
		{"POST", "/api/v1/litigation/imports", "a,b\n", only(jiefen.RoleCourtLiaison)},
		{"GET", "/api/v1/litigation/reconciliation", nil, only(jiefen.RoleCourtLiaison, jiefen.RoleLeader)},
		{"GET", "/api/v1/litigation/alerts", nil, only(jiefen.RoleCourtLiaison, jiefen.RoleAgencyStaff, jiefen.RoleLeader)},
		{"POST", "/api/v1/ledger/issues", map[string]string{}, only(jiefen.RoleCourtLiaison)},
		{"GET", "/api/v1/ledger/issues", nil, only(jiefen.RoleCourtLiaison, jiefen.RoleAgencyStaff, jiefen.RoleLeader)},
		{"GET", "/api/v1/ledger/issues/1", nil, only(jiefen.RoleCourtLiaison, jiefen.RoleAgencyStaff, jiefen.RoleLeader)},
		{"POST", "/api/v1/ledger/issues/1/reports", map[string]string{}, only(jiefen.RoleCourtLiaison, jiefen.RoleAgencyStaff)},
		{"POST", "/api/v1/ledger/issues/1/advance", map[string]string{}, only(jiefen.RoleCourtLiaison)},
		{"POST", "/api/v1/ledger/issues/1/comments", map[string]string{}, only(jiefen.RoleCourtLiaison, jiefen.RoleLeader)},
		{"POST", "/api/v1/judicial-suggestions", map[string]string{}, only(jiefen.RoleCourtLiaison)},
		{"GET", "/api/v1/judicial-suggestions", nil, only(jiefen.RoleCourtLiaison, jiefen.RoleAgencyStaff, jiefen.RoleLeader)},
		{"POST", "/api/v1/judicial-suggestions/1/reply", map[string]string{}, only(jiefen.RoleCourtLiaison, jiefen.RoleAgencyStaff)},
		{"GET", "/api/v1/audit", nil, only(jiefen.RoleAuditor)},
		{"GET", "/api/v1/audit/verify", nil, only(jiefen.RoleAuditor)},
		{"GET", "/api/v1/clocks/summary", nil, only(jiefen.RoleLeader)},
		{"GET", "/api/v1/calendar", nil, only(jiefen.RoleAdmin, jiefen.RoleIntake, jiefen.RoleMediator, jiefen.RoleReconsideration,
			jiefen.RoleAgencyStaff, jiefen.RoleCourtLiaison, jiefen.RoleLeader)},
		{"GET", "/api/v1/jobs", nil, only(jiefen.RoleAdmin)},
		{"GET", "/api/v1/jobs/runs?job=overdue_scan", nil, only(jiefen.RoleAdmin)},
		{"GET", "/api/v1/notifications", nil, only(jiefen.RoleAdmin, jiefen.RoleIntake, jiefen.RoleMediator, jiefen.RoleReconsideration,
			jiefen.RoleAgencyStaff, jiefen.RoleCourtLiaison, jiefen.RoleLeader)},
		{"POST", "/api/v1/notifications/1/read", nil, only(jiefen.RoleAdmin, jiefen.RoleIntake, jiefen.RoleMediator, jiefen.RoleReconsideration,
			jiefen.RoleAgencyStaff, jiefen.RoleCourtLiaison, jiefen.RoleLeader)},
		{"POST", "/api/v1/notifications/read-all", nil, only(jiefen.RoleAdmin, jiefen.RoleIntake, jiefen.RoleMediator, jiefen.RoleReconsideration,
			jiefen.RoleAgencyStaff, jiefen.RoleCourtLiaison, jiefen.RoleLeader)},
		{"GET", "/api/v1/notifications/deliveries?state=dead", nil, only(jiefen.RoleAdmin)},
		{"GET", "/api/v1/litigation/stats/snapshots?from=2025-01&to=2025-12", nil, only(jiefen.RoleCourtLiaison, jiefen.RoleAgencyStaff, jiefen.RoleLeader)},
	} {
		for _, role := range all {
			res := e.do(tc.method, tc.path, e.as(role), tc.body)
			may := slices.Contains(tc.allowed, role)
			if may && (res.Code == http.StatusForbidden || res.Code == http.StatusUnauthorized) {
				t.Errorf("%s %s as %s = %d, want it allowed", tc.method, tc.path, role, res.Code)
			}
			if !may && res.Code != http.StatusForbidden {
				t.Errorf("%s %s as %s = %d, want 403", tc.method, tc.path, role, res.Code)
			}
			n++
		}
		if res := e.do(tc.method, tc.path, "", tc.body); res.Code != http.StatusUnauthorized {
			t.Errorf("%s %s without a session = %d, want 401", tc.method, tc.path, res.Code)
		}
	}
	if n != 864 {
		t.Fatalf("checked %d route×role pairs", n)
	}
}

func TestRequestConventions(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	admin := e.as(jiefen.RoleAdmin)
	for _, tc := range []struct {
		name    string
		body    any
		headers []string
		status  int
		code    string
		fields  []string
	}{
		{"malformed", `{"code":`, nil, 400, "malformed", nil},
		{"trailing data", `{"code":"A"} {"code":"B"}`, nil, 400, "malformed", nil},
		{"wrong type", `{"code":"A","name":7,"kind":"agency"}`, nil, 400, "malformed", []string{"name"}},
		{"not an object", `[1,2]`, nil, 400, "malformed", nil},
		{"invalid UTF-8", []byte("{\"code\":\"\xff\xfe\"}"), nil, 400, "malformed", nil},
		{"oversized", `{"name":"` + strings.Repeat("x", 70<<10) + `"}`, nil, 413, "too_large", nil},
		{"not JSON", `code=A`, []string{"Content-Type", "application/x-www-form-urlencoded"}, 415, "unsupported_media_type", nil},
		{"bad fields", map[string]any{"code": "a b", "kind": "club"}, nil, 422, "invalid", []string{"code", "name", "kind"}},
	} {
		res := e.do("POST", "/api/v1/orgs", admin, tc.body, tc.headers...)
		if res.Code != tc.status || res.errorCode() != tc.code {
			t.Errorf("%s: %d %q, want %d %q; %s", tc.name, res.Code, res.errorCode(), tc.status, tc.code, res.Body)
			continue
		}
		if tc.fields != nil && !slices.Equal(res.errorFields(), tc.fields) {
			t.Errorf("%s: fields %v, want %v", tc.name, res.errorFields(), tc.fields)
		}
	}
	if res := e.do("GET", "/api/v1/nothing", admin, nil); res.Code != 404 || res.errorCode() != "not_found" {
		t.Errorf("unknown route: %d %s", res.Code, res.Body)
	}
	if res := e.do("DELETE", "/api/v1/orgs", admin, nil); res.Code != 405 {
		t.Errorf("wrong method: %d", res.Code)
	}
	if res := e.do("GET", "/api/v1/orgs", "not-a-token", nil); res.Code != 401 || res.Header().Get("WWW-Authenticate") == "" {
		t.Errorf("bad token: %d %v", res.Code, res.Header())
	}
	res := e.do("GET", "/healthz", "", nil, "X-Request-ID", "abc-123")
	if res.Header().Get("X-Request-ID") != "abc-123" {
		t.Errorf("request id not echoed: %v", res.Header())
	}
	res = e.do("GET", "/healthz", "", nil, "X-Request-ID", "bad id\u00e9")
	if id := res.Header().Get("X-Request-ID"); id == "" || strings.Contains(id, " ") {
		t.Errorf("malformed request id kept: %q", id)
	}
	for _, q := range []string{"limit=0", "limit=x", "cursor=zzz"} {
		if res := e.do("GET", "/api/v1/orgs?"+q, admin, nil); res.Code != 422 {
			t.Errorf("?%s = %d, want 422", q, res.Code)
		}
	}
	e.do("GET", "/readyz", "", nil).want(200)
	if res := e.do("GET", "/metrics", "", nil).want(200); !strings.Contains(res.Body.String(), `jiefen_http_requests_total{method="POST",route="/api/v1/orgs",status="422"}`) ||
		!strings.Contains(res.Body.String(), `go_sql_max_open_connections{db_name="jiefen"}`) {
		var ours []string
		for _, l := range strings.Split(res.Body.String(), "\n") {
			if strings.HasPrefix(l, "jiefen_") || strings.HasPrefix(l, "go_sql") {
				ours = append(ours, l)
			}
		}
		t.Errorf("metrics lack requests by route or the pool:\n%s", strings.Join(ours, "\n"))
	}
}

func TestOrgsOverHTTP(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		admin, leader := e.as(jiefen.RoleAdmin), e.as(jiefen.RoleLeader)
		res := e.do("POST", "/api/v1/orgs", admin, map[string]any{"code": "T-SFJ", "name": "汝州市司法局（测试）", "kind": "agency",
			"aliases": []string{"测试司法局"}, "parent_code": "", "version": 99}).want(http.StatusCreated)
		if res.Header().Get("Location") != "/api/v1/orgs/T-SFJ" || res.Header().Get("ETag") != `"1"` {
			t.Fatalf("headers %v", res.Header())
		}
		if m := res.json(); m["version"] != 1.0 || m["kind"] != "agency" {
			t.Fatalf("created %v (version must not be client-set)", m)
		}
		e.do("POST", "/api/v1/orgs", admin, map[string]any{"code": "T-SFJ", "name": "x", "kind": "agency"}).want(http.StatusConflict)
		res = e.do("POST", "/api/v1/orgs", admin, map[string]any{"code": "RZ-X", "name": "x", "kind": "agency", "parent_code": "NOPE"}).want(422)
		if f := res.errorFields(); len(f) != 1 || f[0] != "parent_code" {
			t.Fatalf("fields %v", f)
		}

		res = e.do("GET", "/api/v1/orgs/T-SFJ", leader, nil).want(200)
		if res.Header().Get("ETag") != `"1"` {
			t.Fatalf("GET ETag %q", res.Header().Get("ETag"))
		}
		e.do("GET", "/api/v1/orgs/NOPE", leader, nil).want(404)
		patch := map[string]any{"name": "汝州市司法局（复议局）"}
		e.do("PATCH", "/api/v1/orgs/T-SFJ", admin, patch).want(428)
		e.do("PATCH", "/api/v1/orgs/T-SFJ", admin, patch, "If-Match", `"2"`).want(412)
		e.do("PATCH", "/api/v1/orgs/T-SFJ", admin, patch, "If-Match", `garbage`).want(412)
		res = e.do("PATCH", "/api/v1/orgs/T-SFJ", admin, patch, "If-Match", `"1"`).want(200)
		if m := res.json(); m["name"] != "汝州市司法局（复议局）" || m["version"] != 2.0 || m["aliases"].([]any)[0] != "测试司法局" {
			t.Fatalf("patched %v", m)
		}
		if res.Header().Get("ETag") != `"2"` {
			t.Fatalf("PATCH ETag %q", res.Header().Get("ETag"))
		}
		e.do("PATCH", "/api/v1/orgs/T-SFJ", admin, patch, "If-Match", `"1"`).want(412)
		e.do("PATCH", "/api/v1/orgs/T-SFJ", admin, map[string]any{"kind": "club"}, "If-Match", `"2"`).want(422)
		e.do("PATCH", "/api/v1/orgs/NOPE", admin, patch, "If-Match", `"1"`).want(404)

		for i := 0; i < 4; i++ {
			e.do("POST", "/api/v1/orgs", admin, map[string]any{"code": "C" + string(rune('0'+i)), "name": "委员会" + string(rune('0'+i)), "kind": "committee"}).want(201)
		}
		var codes []string
		cursor := ""
		for pages := 0; pages < 100; pages++ {
			m := e.do("GET", "/api/v1/orgs?limit=2"+cursor, leader, nil).want(200).json()
			for _, it := range m["items"].([]any) {
				codes = append(codes, it.(map[string]any)["code"].(string))
			}
			if m["next_cursor"] == nil {
				break
			}
			cursor = "&cursor=" + m["next_cursor"].(string)
		}
		seen := map[string]bool{}
		for _, c := range codes {
			if seen[c] {
				t.Fatalf("%s twice in the pages", c)
			}
			seen[c] = true
		}
		if n := len(codes); n < 6 || codes[0] != "RZ-GA" || strings.Join(codes[n-5:], ",") != "T-SFJ,C0,C1,C2,C3" {
			t.Fatalf("paged codes %v", codes)
		}
		m := e.do("GET", "/api/v1/orgs?kind=court&limit=200", leader, nil).want(200).json()
		if len(m["items"].([]any)) != 2 {
			t.Fatalf("kind filter: %v", m)
		}
	})
}

func TestIdempotencyKey(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		admin := e.as(jiefen.RoleAdmin)
		body := map[string]any{"code": "RZ-RS", "name": "汝州市人社局（测试）", "kind": "agency"}
		first := e.do("POST", "/api/v1/orgs", admin, body, "Idempotency-Key", "k-1").want(201)
		again := e.do("POST", "/api/v1/orgs", admin, body, "Idempotency-Key", "k-1").want(201)
		if again.Body.String() != first.Body.String() || again.Header().Get("Location") != "/api/v1/orgs/RZ-RS" {
			t.Fatalf("replay differs:\n%s\n%s", first.Body, again.Body)
		}
		body["name"] = "另一个"
		res := e.do("POST", "/api/v1/orgs", admin, body, "Idempotency-Key", "k-1").want(422)
		if f := res.errorFields(); len(f) != 1 || f[0] != "Idempotency-Key" {
			t.Fatalf("fields %v", f)
		}
		// Without a key the same create is a conflict, so exactly one org exists.
		e.do("POST", "/api/v1/orgs", admin, map[string]any{"code": "RZ-RS", "name": "x", "kind": "agency"}).want(409)
		// A rejected request is replayed as rejected.
		bad := map[string]any{"code": "bad code", "name": "x", "kind": "agency"}
		e.do("POST", "/api/v1/orgs", admin, bad, "Idempotency-Key", "k-2").want(422)
		e.do("POST", "/api/v1/orgs", admin, bad, "Idempotency-Key", "k-2").want(422)
	})
}

func TestLoginOverHTTP(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		res := e.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "u-mediator"}).want(422)
		if f := res.errorFields(); len(f) != 1 || f[0] != "password" {
			t.Fatalf("fields %v", f)
		}
		for i := 0; i < 5; i++ {
			e.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "u-mediator", "password": "Wrong-Pass-1"}).want(401)
		}
		res = e.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "u-mediator", "password": password}).want(423)
		if res.errorCode() != "locked" {
			t.Fatalf("code %q", res.errorCode())
		}
		e.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "nobody", "password": password}).want(401)
		// The mediator's open session still works; logout ends it.
		tok := e.as(jiefen.RoleMediator)
		e.do("GET", "/api/v1/auth/me", tok, nil).want(200)
		e.do("POST", "/api/v1/auth/logout", tok, nil).want(204)
		e.do("GET", "/api/v1/auth/me", tok, nil).want(401)
		if strings.Contains(e.logs.String(), password) || strings.Contains(e.logs.String(), "Wrong-Pass-1") {
			t.Fatal("a password reached the log")
		}
	})
}

func TestUsersOverHTTP(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		admin := e.as(jiefen.RoleAdmin)
		res := e.do("POST", "/api/v1/users", admin, map[string]any{"username": "Zhang.San", "password": "short", "role": "boss", "org": "RZ-GA"}).want(422)
		if f := res.errorFields(); !slices.Equal(f, []string{"password", "role"}) {
			t.Fatalf("fields %v", f)
		}
		res = e.do("POST", "/api/v1/users", admin, map[string]any{"username": "Zhang.San", "password": "Long-enough-1", "role": "agency_staff", "org": "RZ-GA"}).want(201)
		if m := res.json(); m["username"] != "zhang.san" || m["org"] != "RZ-GA" || m["password"] != nil || m["password_hash"] != nil {
			t.Fatalf("created %v", m)
		}
		e.do("POST", "/api/v1/users", admin, map[string]any{"username": "zhang.san", "password": "Long-enough-1", "role": "leader"}).want(409)
		e.do("POST", "/api/v1/users", admin, map[string]any{"username": "li.si", "password": "Long-enough-1", "role": "leader", "org": "NOPE"}).want(422)
		e.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "ZHANG.SAN", "password": "Long-enough-1"}).want(200)
		e.do("GET", "/api/v1/users/zhang.san", admin, nil).want(200)
		m := e.do("GET", "/api/v1/users?limit=200", admin, nil).want(200).json()
		if len(m["items"].([]any)) != 7 { // the six business accounts and zhang.san: admin sees only the accounts it manages
			t.Fatalf("users %v", m)
		}
	})
}

func TestAuditOverHTTP(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		admin, auditor := e.as(jiefen.RoleAdmin), e.as(jiefen.RoleAuditor)
		e.do("POST", "/api/v1/orgs", admin, map[string]any{"code": "RZ-ZRZY", "name": "汝州市自然资源局（测试）", "kind": "agency"},
			"X-Request-ID", "req-audit-1").want(201)
		m := e.do("GET", "/api/v1/audit?action=org.create&limit=200", auditor, nil).want(200).json()
		var found map[string]any
		for _, it := range m["items"].([]any) {
			if it.(map[string]any)["target_id"] == "RZ-ZRZY" {
				found = it.(map[string]any)
			}
		}
		if found == nil || found["actor"] != "u-admin" || found["role"] != "admin" || found["request_id"] != "req-audit-1" {
			t.Fatalf("entry %v", found)
		}
		v := e.do("GET", "/api/v1/audit/verify", auditor, nil).want(200).json()
		if v["ok"] != true || v["checked"].(float64) < 10 {
			t.Fatalf("verify %v", v)
		}
		if _, err := e.db.SQL().Exec("UPDATE audit_log SET actor = 'mallory' WHERE seq = 3"); err != nil {
			t.Fatal(err)
		}
		v = e.do("GET", "/api/v1/audit/verify", auditor, nil).want(200).json()
		if v["ok"] != false || v["first_broken"] != 3.0 {
			t.Fatalf("verify after tampering %v", v)
		}
		e.do("GET", "/api/v1/audit?from=2026-13-01", auditor, nil).want(422)
	})
}

func TestDatabaseDown(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	tok := e.as(jiefen.RoleAdmin)
	e.db.Close()
	for _, res := range []response{
		e.do("GET", "/readyz", "", nil),
		e.do("GET", "/api/v1/orgs", tok, nil),
		e.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "u-admin", "password": password}),
	} {
		if res.Code != http.StatusServiceUnavailable || res.Header().Get("Retry-After") != "5" {
			t.Errorf("%s %s = %d Retry-After %q, want 503 with Retry-After", res.method, res.path, res.Code, res.Header().Get("Retry-After"))
		}
	}
	e.do("GET", "/healthz", "", nil).want(200)
}

func TestMain(m *testing.M) { os.Exit(m.Run()) }

// TestSeparationOfAdministrators: only a court liaison moves a suit to
// another defendant; a huge username on a failed login reaches the audit
// log cut short. (三员分立 of the accounts: TestThreeAdministrators.)
func TestSeparationOfAdministrators(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		liaison, staff := e.as(jiefen.RoleCourtLiaison), e.user("gaj-staff", jiefen.RoleAgencyStaff, "RZ-GAJ")
		res := e.do("POST", "/api/v1/litigation/cases", liaison, map[string]any{"case_number": "（2025）豫0482行初901号", "defendant": "RZ-GAJ",
			"plaintiff": "甲", "filed_on": "2025-02-03"}).want(201)
		path, tag := res.Header().Get("Location"), res.Header().Get("ETag")
		e.do("PATCH", path, staff, map[string]any{"defendant": "RZ-ZRZYJ"}, "If-Match", tag).want(403)
		e.do("PATCH", path, staff, map[string]any{"defendants": []string{"RZ-ZRZYJ"}}, "If-Match", tag).want(403)
		e.do("PATCH", path, staff, map[string]any{"cause": "行政处罚"}, "If-Match", tag).want(200)

		e.do("POST", "/api/v1/auth/login", "", map[string]string{"username": strings.Repeat("x", 60<<10), "password": "whatever-1A"}).want(401)
		entries := e.do("GET", "/api/v1/audit?limit=200", e.as(jiefen.RoleAuditor), nil).want(200)
		if body := entries.Body.String(); strings.Contains(body, strings.Repeat("x", 64)) || !strings.Contains(body, strings.Repeat("x", 63)+"…") {
			t.Errorf("the audit log does not hold the 60 KB username cut to 64 characters")
		}
	})
}

// TestOneAnswerForMissingAndOutOfScope: a case of another agency and a case
// that does not exist answer the same 404 body.
func TestOneAnswerForMissingAndOutOfScope(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		res := e.do("POST", "/api/v1/litigation/cases", e.as(jiefen.RoleCourtLiaison), map[string]any{"case_number": "（2025）豫0482行初902号",
			"defendant": "RZ-ZRZYJ", "plaintiff": "甲", "filed_on": "2025-02-03"}).want(201)
		staff := e.user("gaj-staff", jiefen.RoleAgencyStaff, "RZ-GAJ")
		other := e.do("GET", res.Header().Get("Location"), staff, nil).want(404).Body.String()
		missing := e.do("GET", "/api/v1/litigation/cases/999999", staff, nil).want(404).Body.String()
		if other != missing {
			t.Errorf("out of scope %s, missing %s", other, missing)
		}
	})
}

// TestEventDatesFrom2007: an event's date before 2007-01-01 (a slip such as
// 0001-01-01) is refused naming the field; a dispute may have occurred
// earlier.
func TestEventDatesFrom2007(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		liaison := e.as(jiefen.RoleCourtLiaison)
		for _, on := range []string{"0001-01-01", "2006-12-31"} {
			f := e.do("POST", "/api/v1/ledger/issues", liaison, map[string]any{"title": "问题", "lead_unit": "RZ-GAJ", "deadline": "2026-12-31", "on": on}).want(422).errorFields()
			if !slices.Contains(f, "on") {
				t.Errorf("on %s: fields %v", on, f)
			}
		}
		res := e.do("POST", "/api/v1/litigation/cases", liaison, map[string]any{"case_number": "（2025）豫0482行初903号", "defendant": "RZ-GAJ",
			"plaintiff": "甲", "filed_on": "2025-02-03"}).want(201)
		f := e.do("POST", res.Header().Get("Location")+"/hearings", liaison, map[string]any{"held_on": "0001-01-01", "head_appeared": false}).want(422).errorFields()
		if !slices.Contains(f, "held_on") {
			t.Errorf("held_on 0001-01-01: fields %v", f)
		}
		e.do("POST", "/api/v1/disputes", e.as(jiefen.RoleIntake), dispute("walk_in", "land_ownership", "汝州市钟楼街道", "occurred_on", "1998-05-01")).want(201)
	})
}
