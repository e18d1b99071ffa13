package httpapi_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"jiefen"
)

// TestOddIdentifiersWriteNothing is issue 20's "identifiers checked for
// length and form before anything is written": every identifier a client
// sends (path parameters, Idempotency-Key, X-Request-ID, org codes, case
// numbers, usernames, cursors) that is oversized or of the wrong form is
// answered 4xx, never 500 — 422 naming the field, or 404 for a path id that
// cannot exist — and neither the audit log nor the idempotency table gains
// a row.
func TestOddIdentifiersWriteNothing(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		long := strings.Repeat("A", 5000)    // a field within the body limit
		huge := strings.Repeat("B", 900<<10) // a header or path of 900 KB
		d := e.do("POST", "/api/v1/disputes", e.as(jiefen.RoleIntake), dispute("walk_in", "neighbour", "汝州市钟楼街道")).want(http.StatusCreated).json()
		disputePath := fmt.Sprintf("/api/v1/disputes/%v", d["id"])
		count := func() (audit, keys int) {
			if err := e.db.SQL().QueryRow("SELECT COUNT(*) FROM audit_log").Scan(&audit); err != nil {
				t.Fatal(err)
			}
			if err := e.db.SQL().QueryRow("SELECT COUNT(*) FROM idempotency_keys").Scan(&keys); err != nil {
				t.Fatal(err)
			}
			return audit, keys
		}
		org := func(fields ...string) map[string]any {
			b := map[string]any{"code": "RZ-ODD", "name": "奇怪的单位", "kind": "agency"}
			for i := 0; i+1 < len(fields); i += 2 {
				b[fields[i]] = fields[i+1]
			}
			return b
		}
		suggestion := func(field, value string) map[string]any {
			b := map[string]any{"court": "汝州市人民法院", "number": "（2026）豫0482司建1号", "addressee": "RZ-GAJ", "subject": "建议", "content": "内容", "received_on": "2026-01-05"}
			b[field] = value
			return b
		}
		for _, tc := range []struct {
			name         string
			role         jiefen.Role
			method, path string
			body         any
			headers      []string
			status       int
			field        string // the field a 422 names
		}{
			{"org code too long", jiefen.RoleAdmin, "POST", "/api/v1/orgs", org("code", long), nil, 422, "code"},
			{"org code with a NUL", jiefen.RoleAdmin, "POST", "/api/v1/orgs", org("code", "RZ\x00X"), nil, 422, "code"},
			{"org code with a newline", jiefen.RoleAdmin, "POST", "/api/v1/orgs", org("code", "RZ\nX"), nil, 422, "code"},
			{"parent code too long", jiefen.RoleAdmin, "POST", "/api/v1/orgs", org("parent_code", long), nil, 422, "parent_code"},
			{"alias too long", jiefen.RoleAdmin, "POST", "/api/v1/orgs", map[string]any{"code": "RZ-ODD", "name": "奇怪的单位", "kind": "agency", "aliases": []string{long}}, nil, 422, "aliases[0]"},
			{"Idempotency-Key of 900 KB", jiefen.RoleAdmin, "POST", "/api/v1/orgs", org(), []string{"Idempotency-Key", huge}, 422, "Idempotency-Key"},
			{"Idempotency-Key of 201 characters", jiefen.RoleAdmin, "POST", "/api/v1/orgs", org(), []string{"Idempotency-Key", strings.Repeat("k", 201)}, 422, "Idempotency-Key"},
			{"Idempotency-Key of a dispute, 900 KB", jiefen.RoleIntake, "POST", "/api/v1/disputes", dispute("walk_in", "neighbour", "汝州市钟楼街道"), []string{"Idempotency-Key", huge}, 422, "Idempotency-Key"},
			{"org code path of 900 KB", jiefen.RoleAdmin, "PATCH", "/api/v1/orgs/" + huge, map[string]any{"name": "新名"}, []string{"If-Match", `"1"`}, 404, ""},
			{"org code path, read", jiefen.RoleLeader, "GET", "/api/v1/orgs/" + huge, nil, nil, 404, ""},
			{"dispute id of 900 KB", jiefen.RoleIntake, "POST", "/api/v1/disputes/" + huge + "/transfers", map[string]any{"to_track": "people", "to_org_code": "RZ-SFJ", "reason": "改派"}, nil, 404, ""},
			{"dispute id that overflows", jiefen.RoleIntake, "POST", "/api/v1/disputes/99999999999999999999999/transfers", map[string]any{"to_track": "people", "to_org_code": "RZ-SFJ", "reason": "改派"}, nil, 404, ""},
			{"transfer to an org code too long", jiefen.RoleIntake, "POST", disputePath + "/transfers", map[string]any{"to_track": "people", "to_org_code": long, "reason": "改派"}, nil, 422, "to_org_code"},
			{"case number too long", jiefen.RoleCourtLiaison, "POST", "/api/v1/litigation/cases", map[string]any{"case_number": long, "defendant": "RZ-GAJ", "plaintiff": "甲", "cause": "行政处罚", "filed_on": "2026-01-05"}, nil, 422, "case_number"},
			{"defendant too long", jiefen.RoleCourtLiaison, "POST", "/api/v1/litigation/cases", map[string]any{"case_number": "（2026）豫0482行初1号", "defendant": long, "plaintiff": "甲", "cause": "行政处罚", "filed_on": "2026-01-05"}, nil, 422, "defendant"},
			{"co-defendant too long", jiefen.RoleCourtLiaison, "POST", "/api/v1/litigation/cases", map[string]any{"case_number": "（2026）豫0482行初1号", "defendants": []string{"RZ-GAJ", long}, "plaintiff": "甲", "cause": "行政处罚", "filed_on": "2026-01-05"}, nil, 422, "defendants[1]"},
			{"litigation id of 900 KB", jiefen.RoleCourtLiaison, "POST", "/api/v1/litigation/cases/" + huge + "/hearings", map[string]any{"held_on": "2026-02-01"}, nil, 404, ""},
			{"respondent too long", jiefen.RoleReconsideration, "POST", "/api/v1/reconsideration/cases", map[string]any{"respondent": long, "act": "罚款决定", "applicant": map[string]any{"name": "甲"}}, nil, 422, "respondent"},
			{"document name of 900 KB", jiefen.RoleReconsideration, "GET", "/api/v1/reconsideration/cases/1/documents/" + huge, nil, nil, 404, ""},
			{"interview agency too long", jiefen.RoleLeader, "POST", "/api/v1/litigation/interviews", map[string]any{"agency": long, "year": 2026, "held_on": "2026-02-01", "interviewee": "甲", "interviewer": "乙"}, nil, 422, "agency"},
			{"lead unit too long", jiefen.RoleCourtLiaison, "POST", "/api/v1/ledger/issues", map[string]any{"meeting": "联席会议", "title": "问题", "lead_unit": long, "deadline": "2026-12-31"}, nil, 422, "lead_unit"},
			{"co-unit too long", jiefen.RoleCourtLiaison, "POST", "/api/v1/ledger/issues", map[string]any{"meeting": "联席会议", "title": "问题", "lead_unit": "RZ-GAJ", "co_units": []string{long}, "deadline": "2026-12-31"}, nil, 422, "co_units[0]"},
			{"calendar year of 900 KB", jiefen.RoleAdmin, "PUT", "/api/v1/calendar/" + huge, map[string]any{}, nil, 404, ""},
			{"calendar year that overflows", jiefen.RoleAdmin, "PUT", "/api/v1/calendar/99999999999999999999", map[string]any{}, nil, 422, "year"},
			{"cursor of 900 KB", jiefen.RoleLeader, "GET", "/api/v1/disputes?cursor=" + huge[:60000], nil, nil, 422, "cursor"},
			{"cursor not ours", jiefen.RoleLeader, "GET", "/api/v1/orgs?cursor=%00%ff", nil, nil, 422, "cursor"},
			{"username too long", jiefen.RoleAdmin, "POST", "/api/v1/users", map[string]any{"username": long, "password": "Odd-Pass-2026x", "role": "leader"}, nil, 422, "username"},
			{"user's org too long", jiefen.RoleAdmin, "POST", "/api/v1/users", map[string]any{"username": "odd-user", "password": "Odd-Pass-2026x", "role": "agency_staff", "org": long}, nil, 422, "org"},
			{"Idempotency-Key not UTF-8", jiefen.RoleAdmin, "POST", "/api/v1/orgs", org(), []string{"Idempotency-Key", "k\xff\xfe"}, 422, "Idempotency-Key"},
			{"Idempotency-Key of a dispute not UTF-8", jiefen.RoleIntake, "POST", "/api/v1/disputes", dispute("walk_in", "neighbour", "汝州市钟楼街道"), []string{"Idempotency-Key", "k\xff"}, 422, "Idempotency-Key"},
			{"org code path not UTF-8", jiefen.RoleAdmin, "PATCH", "/api/v1/orgs/%ff", map[string]any{"name": "新名"}, []string{"If-Match", `"1"`}, 404, ""},
			{"org code path not UTF-8, read", jiefen.RoleLeader, "GET", "/api/v1/orgs/%ff%fe", nil, nil, 404, ""},
			{"dispute code path not UTF-8", jiefen.RoleIntake, "GET", "/api/v1/disputes/RZ%ff", nil, nil, 404, ""},
			{"username path not UTF-8", jiefen.RoleAdmin, "GET", "/api/v1/users/%ff", nil, nil, 404, ""},
			{"import name not UTF-8", jiefen.RoleCourtLiaison, "POST", "/api/v1/litigation/imports?name=%ff%fe.csv", nil, []string{"Content-Type", "text/csv"}, 422, "name"},
			{"import name with a control character", jiefen.RoleCourtLiaison, "POST", "/api/v1/litigation/imports?name=a%00b.csv", nil, []string{"Content-Type", "text/csv"}, 422, "name"},
			{"org filter not UTF-8", jiefen.RoleLeader, "GET", "/api/v1/disputes?org=%ff", nil, nil, 422, "org"},
			{"agency filter not UTF-8", jiefen.RoleLeader, "GET", "/api/v1/litigation/cases?agency=%ff", nil, nil, 422, "agency"},
			{"assignee too long", jiefen.RoleIntake, "POST", "/api/v1/mediation/cases/1/assign", map[string]any{"assignee": long}, nil, 422, "assignee"},
			{"assignee with a control character", jiefen.RoleIntake, "POST", "/api/v1/mediation/cases/1/assign", map[string]any{"assignee": "u-\u0007mediator"}, nil, 422, "assignee"},
			{"attachment too long", jiefen.RoleCourtLiaison, "POST", "/api/v1/ledger/issues/1/reports", map[string]any{"text": "已整改", "attachments": []string{long}}, nil, 404, ""},
			{"interviewee too long", jiefen.RoleLeader, "POST", "/api/v1/litigation/interviews", map[string]any{"agency": "RZ-GAJ", "year": 2026, "held_on": "2026-02-01", "interviewee": long, "interviewer": "乙"}, nil, 422, "interviewee"},
			{"interview year out of INT", jiefen.RoleLeader, "POST", "/api/v1/litigation/interviews", map[string]any{"agency": "RZ-GAJ", "year": 99999999999, "held_on": "2026-02-01", "interviewee": "甲", "interviewer": "乙"}, nil, 422, "year"},
			{"suggestion's court too long", jiefen.RoleCourtLiaison, "POST", "/api/v1/judicial-suggestions", suggestion("court", long), nil, 422, "court"},
			{"suggestion's number too long", jiefen.RoleCourtLiaison, "POST", "/api/v1/judicial-suggestions", suggestion("number", long), nil, 422, "number"},
			{"suggestion's subject too long", jiefen.RoleCourtLiaison, "POST", "/api/v1/judicial-suggestions", suggestion("subject", long), nil, 422, "subject"},
			{"issue's meeting too long", jiefen.RoleCourtLiaison, "POST", "/api/v1/ledger/issues", map[string]any{"meeting": long, "title": "问题", "lead_unit": "RZ-GAJ", "deadline": "2026-12-31"}, nil, 422, "meeting"},
			{"issue's title too long", jiefen.RoleCourtLiaison, "POST", "/api/v1/ledger/issues", map[string]any{"meeting": "联席会议", "title": long, "lead_unit": "RZ-GAJ", "deadline": "2026-12-31"}, nil, 422, "title"},
			{"username path of 900 KB", jiefen.RoleAdmin, "GET", "/api/v1/users/" + huge, nil, nil, 404, ""},
		} {
			audit, keys := count()
			res := e.do(tc.method, tc.path, e.as(tc.role), tc.body, tc.headers...)
			if res.Code != tc.status {
				t.Errorf("%s: %d, want %d: %.300s", tc.name, res.Code, tc.status, res.Body.String())
			} else if tc.field != "" && !slices.Contains(res.errorFields(), tc.field) {
				t.Errorf("%s: fields %v, want %s among them", tc.name, res.errorFields(), tc.field)
			}
			if a, k := count(); a != audit || k != keys {
				t.Errorf("%s: the audit log went from %d to %d rows, the idempotency keys from %d to %d", tc.name, audit, a, keys, k)
			}
		}

		// A request id that is not one we can keep is replaced, not
		// stored: the audit entry of the write carries the one answered.
		res := e.do("POST", "/api/v1/orgs", e.as(jiefen.RoleAdmin), org("code", "RZ-RID", "name", "请求号测试单位"), "X-Request-ID", huge).want(http.StatusCreated)
		rid := res.Header().Get("X-Request-ID")
		var stored string
		if err := e.db.SQL().QueryRow("SELECT request_id FROM audit_log WHERE target_id = 'RZ-RID'").Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if len(rid) > 64 || stored != rid {
			t.Errorf("X-Request-ID of 900 KB: answered with %d bytes, audited %q", len(rid), stored)
		}
	})
}
