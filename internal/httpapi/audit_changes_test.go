package httpapi_test

import (
	"encoding/json"
	"strings"
	"testing"

	"jiefen"
)

// auditChanges returns the changes of the last entry of action on target
// over GET /api/v1/audit, as old→new by field (values as JSON).
func auditChanges(t *testing.T, e *env, action, target string) map[string]string {
	t.Helper()
	items := e.do("GET", "/api/v1/audit?limit=500&action="+action, e.as(jiefen.RoleAuditor), nil).want(200).json()["items"].([]any)
	var entry map[string]any
	for _, it := range items {
		if m := it.(map[string]any); m["target_id"] == target {
			entry = m
		}
	}
	if entry == nil {
		t.Fatalf("no %s entry of %s in %v", action, target, items)
	}
	out := map[string]string{}
	for _, c := range entry["changes"].([]any) {
		c := c.(map[string]any)
		out[c["field"].(string)] = jsonOf(c["old"]) + "→" + jsonOf(c["new"])
	}
	return out
}

// jsonOf is v as JSON, "" for no value.
func jsonOf(v any) string {
	if v == nil {
		return ""
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// TestAuditEntriesSayWhatChanged: a court liaison moving a suit to another
// defendant is recorded with the defendant before and after; the
// plaintiff changed with it is named without either name; a user created
// is recorded with the role granted.
func TestAuditEntriesSayWhatChanged(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		liaison := e.as(jiefen.RoleCourtLiaison)
		res := e.do("POST", "/api/v1/litigation/cases", liaison, map[string]any{"case_number": "（2025）豫0482行初387号",
			"defendant": "RZ-GAJ", "plaintiff": "张三丰", "filed_on": "2025-02-03"}).want(201)
		path, tag := res.Header().Get("Location"), res.Header().Get("ETag")
		number := res.json()["case_number"].(map[string]any)["canonical"].(string)
		e.do("PATCH", path, liaison, map[string]any{"defendant": "RZ-ZRZYJ", "plaintiff": "李四光"}, "If-Match", tag).want(200)

		got := auditChanges(t, e, "litigation.update", number)
		for field, want := range map[string]string{
			"defendant":  `"RZ-GAJ"→"RZ-ZRZYJ"`,
			"defendants": `["RZ-GAJ"]→["RZ-ZRZYJ"]`, // lists, compared whole
			"plaintiff":  "→",                       // personal: named, no values
			"version":    "1→2",
		} {
			if got[field] != want {
				t.Errorf("change of %s = %q, want %q (all: %v)", field, got[field], want, got)
			}
		}
		body := e.do("GET", "/api/v1/audit?limit=500", e.as(jiefen.RoleAuditor), nil).want(200).Body.String()
		if strings.Contains(body, "张三丰") || strings.Contains(body, "李四光") {
			t.Error("the audit log holds the plaintiff's name")
		}

		e.do("POST", "/api/v1/users", e.as(jiefen.RoleAdmin), map[string]any{"username": "new.liaison", "password": "Long-enough-1",
			"role": "court_liaison"}).want(201)
		if got := auditChanges(t, e, "user.create", "new.liaison"); got["role"] != `→"court_liaison"` || got["username"] != `→"new.liaison"` {
			t.Errorf("user.create changes %v; want the role granted", got)
		}

		v := e.do("GET", "/api/v1/audit/verify", e.as(jiefen.RoleAuditor), nil).want(200).json()
		if v["ok"] != true || v["anchors_checked"] != 0.0 || v["anchors_rejected"] != 0.0 {
			t.Fatalf("verify %v", v)
		}
	})
}
