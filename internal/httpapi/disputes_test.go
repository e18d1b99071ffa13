package httpapi_test

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"jiefen"
	"jiefen/internal/sqlstore/storetest"
)

const (
	idA = "410482199001011232"
	idB = "410482198512124568"
)

func dispute(source, category, township string, extra ...any) map[string]any {
	d := map[string]any{"title": "邻里排水纠纷", "description": "雨水排向邻居院内", "category": category, "source": source,
		"source_ref": "110-20240305-0012", "township": township, "amount_fen": 1200000, "occurred_on": "2024-09-20", "on": "2024-09-27",
		"parties": []map[string]any{{"role": "applicant", "name": "张三", "id_number": idA, "phone": "+86 138-1234-5678"},
			{"role": "respondent", "name": "李四", "phone": "0375-1234567"}}}
	for i := 0; i+1 < len(extra); i += 2 {
		d[extra[i].(string)] = extra[i+1]
	}
	return d
}

func routingOf(m map[string]any) map[string]any { return m["routing"].(map[string]any) }

func TestDocking(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		intake := e.as(jiefen.RoleIntake)
		e.user("med-zl-1", jiefen.RoleMediator, "RZ-ZL-TWH")
		e.user("med-zl-2", jiefen.RoleMediator, "RZ-ZL-TWH")
		e.user("med-scj", jiefen.RoleMediator, "RZ-SCJGJ")
		for _, tc := range []struct {
			source, category, township        string
			track, org, rule, status, clockRe string
		}{
			{"police", "neighbour", "汝州市钟楼街道", "people", "RZ-ZL-TWH", "police_referral", "routed", "第178条"},
			{"petition", "debt", "钟楼街道", "people", "RZ-ZL-TWH", "petition_referral", "routed", "信访工作条例"},
			{"walk_in", "family", "汝州市钟楼街道", "people", "RZ-ZL-TWH", "township_committee", "routed", "人民调解法"},
			{"court", "contract", "汝州市钟楼街道", "judicial", "RZ-FY", "court_referral", "waiting_assignment", "特邀调解"},
			{"hotline", "consumer", "", "administrative", "RZ-SCJGJ", "consumer_administrative", "routed", "消费者权益保护法"},
			{"police", "labour", "", "administrative", "RZ-RSJ", "labour_administrative", "waiting_assignment", "劳动争议调解仲裁法"},
			{"police", "traffic_accident", "", "administrative", "RZ-JJDD", "traffic_accident_administrative", "waiting_assignment", "道路交通安全法"},
			{"grid", "land_ownership", "", "adjudication", "RZ-ZRZYJ", "land_ownership_adjudication", "guided", "土地管理法"},
			{"online", "medical", "", "people", "RZ-YLJF-TWH", "medical_committee", "waiting_assignment", "医疗纠纷"},
		} {
			res := e.do("POST", "/api/v1/disputes", intake, dispute(tc.source, tc.category, tc.township)).want(http.StatusCreated)
			m := res.json()
			r := routingOf(m)
			if r["track"] != tc.track || r["org_code"] != tc.org || r["rule"] != tc.rule || m["status"] != tc.status ||
				!strings.Contains(r["reason"].(string), tc.clockRe) {
				t.Errorf("%s/%s: %v status %v", tc.source, tc.category, r, m["status"])
			}
			if !regexp.MustCompile(`^RZ-2024-\d{6}$`).MatchString(m["code"].(string)) {
				t.Errorf("code %v", m["code"])
			}
			if res.Header().Get("Location") == "" {
				t.Errorf("no Location")
			}
			p := m["parties"].([]any)[0].(map[string]any)
			if p["id_number"] != "410***********1232" || p["phone"] != "138****5678" {
				t.Errorf("parties not masked: %v", p)
			}
			if tc.track == "adjudication" {
				if r["case_id"] != nil || r["guidance"] == "" {
					t.Errorf("adjudication: %v", r)
				}
			} else if r["case_id"] == nil {
				t.Errorf("%s: no case opened: %v", tc.rule, r)
			}
		}
		// People's mediation: one month from 2024-09-27 is 10/27, a Sunday → 10/28.
		m := e.do("POST", "/api/v1/disputes", intake, dispute("police", "neighbour", "汝州市钟楼街道")).want(201).json()
		r := routingOf(m)
		if r["due"] != "2024-10-28" || r["basis"] != "人民调解工作若干规定 第33条" || r["clock_rule"] != "mediation.people" {
			t.Errorf("people's clock: %v", r)
		}
		// Court referral: 30 days from 9/27 = 10/27 (Sun) → 10/28.
		m = e.do("POST", "/api/v1/disputes", intake, dispute("court", "contract", "")).want(201).json()
		if r := routingOf(m); r["due"] != "2024-10-28" || !strings.Contains(r["basis"].(string), "特邀调解") {
			t.Errorf("court clock: %v", r)
		}
		// Mediators are loaded evenly: four people's cases went to two mediators.
		counts := map[string]int{}
		ds := e.do("GET", "/api/v1/disputes?limit=200", e.as(jiefen.RoleLeader), nil).want(200).json()["items"].([]any)
		for _, d := range ds {
			if a := routingOf(d.(map[string]any))["assignee"].(string); strings.HasPrefix(a, "med-zl") {
				counts[a]++
			}
		}
		if counts["med-zl-1"] != 2 || counts["med-zl-2"] != 2 {
			t.Errorf("assignment spread %v", counts)
		}
	})
}

func TestIntakeValidation(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	intake := e.as(jiefen.RoleIntake)
	bad := func(body map[string]any, fields ...string) {
		t.Helper()
		res := e.do("POST", "/api/v1/disputes", intake, body).want(422)
		if got := res.errorFields(); !slices.Equal(got, fields) {
			t.Errorf("fields %v, want %v", got, fields)
		}
	}
	wrongCheck := dispute("police", "neighbour", "钟楼街道")
	wrongCheck["parties"] = []map[string]any{{"role": "applicant", "name": "张三", "id_number": "410482199001011233"}}
	bad(wrongCheck, "parties[0].id_number")
	res := e.do("POST", "/api/v1/disputes", intake, wrongCheck)
	if !strings.Contains(res.Body.String(), "校验码") || strings.Contains(res.Body.String(), "410482199001011233") {
		t.Errorf("message %s", res.Body)
	}
	bad(dispute("police", "neighbour", "钟楼街道", "amount_fen", -1, "occurred_on", "2099-01-01", "flags", []string{"loud"}),
		"amount_fen", "occurred_on", "flags[0]")
	bad(dispute("fax", "gossip", "钟楼街道", "title", ""), "title", "category", "source")
	bad(dispute("police", "neighbour", "钟楼街道", "parties", []map[string]any{{"role": "respondent", "name": "李四"}}), "parties")
	bad(dispute("police", "neighbour", "钟楼街道", "parties", []map[string]any{{"role": "applicant", "name": "张三", "phone": "12345"},
		{"role": "applicant", "name": "Smith", "id_type": "passport", "id_number": "E12345678"}}), "parties[0].phone")
	bad(dispute("police", "neighbour", "火星镇"), "township")
	bad(dispute("police", "neighbour", "钟楼街道", "on", "2099-01-01"), "on")
	// Full-width digits, spaces and a lower-case x normalise.
	ok := dispute("police", "neighbour", "钟楼街道")
	ok["parties"] = []map[string]any{{"role": "applicant", "name": "王五", "id_number": "110105 19491231 002x", "phone": "１３８１２３４５６７８"}}
	m := e.do("POST", "/api/v1/disputes", intake, ok).want(201).json()
	id := fmt.Sprint(m["id"])
	full := e.do("GET", "/api/v1/disputes/"+id+"?unmask=true", intake, nil).want(200).json()
	p := full["parties"].([]any)[0].(map[string]any)
	if p["id_number"] != "11010519491231002X" || p["phone"] != "13812345678" {
		t.Errorf("normalised %v", p)
	}
	if strings.Contains(e.logs.String(), "11010519491231002X") || strings.Contains(e.logs.String(), "13812345678") {
		t.Error("personal data reached the log")
	}
}

func TestDisputeLifecycle(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		intake, leader := e.as(jiefen.RoleIntake), e.as(jiefen.RoleLeader)
		med := e.user("med-ms", jiefen.RoleMediator, "RZ-MS-TWH")

		// Idempotency-Key replays; preview saves nothing.
		body := dispute("police", "neighbour", "煤山街道")
		first := e.do("POST", "/api/v1/disputes", intake, body, "Idempotency-Key", "intake-1").want(201)
		again := e.do("POST", "/api/v1/disputes", intake, body, "Idempotency-Key", "intake-1").want(201)
		if first.Body.String() != again.Body.String() {
			t.Fatal("the replay differs")
		}
		if loc := again.Header().Get("Location"); loc == "" || loc != first.Header().Get("Location") ||
			again.Header().Get("Idempotent-Replayed") != "true" || again.Header().Get("ETag") != first.Header().Get("ETag") {
			t.Fatalf("replay headers %v, first %v", again.Header(), first.Header())
		}
		// Routed once, in the intake's transaction: a township the rules do
		// not know is the client's 422 on the field, and leaves nothing.
		bad := e.do("POST", "/api/v1/disputes", intake, dispute("police", "neighbour", "火星街道"), "Idempotency-Key", "intake-bad").want(422)
		if f := bad.json()["error"].(map[string]any)["fields"].([]any); len(f) != 1 || f[0].(map[string]any)["field"] != "township" {
			t.Fatalf("bad township %s", bad.Body)
		}
		before := len(e.do("GET", "/api/v1/disputes?limit=200", leader, nil).json()["items"].([]any))
		pv := e.do("POST", "/api/v1/routing/preview", intake, body).want(200).json()
		if routingOf(pv)["org_code"] != "RZ-MS-TWH" {
			t.Fatalf("preview %v", pv)
		}
		if after := len(e.do("GET", "/api/v1/disputes?limit=200", leader, nil).json()["items"].([]any)); after != before || before != 1 {
			t.Fatalf("disputes %d before preview, %d after", before, after)
		}

		d := first.json()
		id := fmt.Sprint(d["id"])
		// The rule by its Chinese title, on the answer and on every read.
		if routingOf(d)["rule_title"] != "警调对接" {
			t.Fatalf("rule title %v", routingOf(d))
		}
		if got := routingOf(e.do("GET", "/api/v1/disputes/"+id, leader, nil).want(200).json())["rule_title"]; got != "警调对接" {
			t.Fatalf("read rule title %v", got)
		}
		if routingOf(d)["assignee"] != "med-ms" {
			t.Fatalf("assignee %v", routingOf(d))
		}
		// The mediator sees the dispute of their case; others' are 404.
		e.do("GET", "/api/v1/disputes/"+id, med, nil).want(200)
		e.do("GET", "/api/v1/disputes/"+d["code"].(string), leader, nil).want(200)
		other := e.user("med-zl-x", jiefen.RoleMediator, "RZ-ZL-TWH")
		e.do("GET", "/api/v1/disputes/"+id, other, nil).want(404)
		e.do("GET", "/api/v1/disputes/"+id+"?unmask=true", leader, nil).want(403)

		// Transfer to the court: both steps in the history.
		e.do("POST", "/api/v1/disputes/"+id+"/transfers", intake, map[string]any{"to_track": "judicial"}).want(422)
		e.do("POST", "/api/v1/disputes/"+id+"/transfers", intake, map[string]any{"to_track": "judicial", "to_org_code": "NOPE", "reason": "x"}).want(422)
		tr := e.do("POST", "/api/v1/disputes/"+id+"/transfers", intake, map[string]any{"to_track": "judicial", "to_org_code": "RZ-FY",
			"reason": "调解不成，当事人同意诉前委派", "on": "2024-10-08"}).want(200).json()
		h := tr["history"].([]any)
		if len(h) != 2 || h[0].(map[string]any)["track"] != "people" || h[1].(map[string]any)["track"] != "judicial" ||
			h[1].(map[string]any)["reason"] != "调解不成，当事人同意诉前委派" || h[1].(map[string]any)["by"] != "u-intake" {
			t.Fatalf("history %v", h)
		}
		if r := routingOf(tr); r["org_code"] != "RZ-FY" || r["case_id"] == nil || r["case_id"] == routingOf(d)["case_id"] ||
			r["due"] != "2024-11-07" || tr["code"] != d["code"] {
			t.Fatalf("after transfer %v", tr)
		}
		e.do("POST", "/api/v1/disputes/"+id+"/transfers", intake, map[string]any{"to_track": "judicial", "to_org_code": "RZ-FY", "reason": "again"}).want(409)
		e.do("POST", "/api/v1/disputes/"+id+"/transfers", intake, map[string]any{"to_track": "people", "to_org_code": "RZ-MS-TWH", "reason": "x"},
			"If-Match", `"1"`).want(412)

		// Assign the waiting court case.
		caseID := fmt.Sprint(routingOf(tr)["case_id"])
		e.do("POST", "/api/v1/mediation/cases/"+caseID+"/assign", intake, map[string]any{"assignee": "med-ms"}).want(422)
		e.user("judge-med", jiefen.RoleMediator, "RZ-FY")
		mc := e.do("POST", "/api/v1/mediation/cases/"+caseID+"/assign", intake, map[string]any{"assignee": "judge-med"}).want(200).json()
		if mc["assignee"] != "judge-med" || mc["assignment_reason"] != "受理窗口指定" || mc["state"] != "assigned" || mc["dispute_code"] != d["code"] {
			t.Fatalf("assigned %v", mc)
		}

		// The same party and category within 180 days: repeat, linked.
		rep := e.do("POST", "/api/v1/disputes", intake, dispute("walk_in", "neighbour", "煤山街道", "on", "2024-12-01")).want(201).json()
		if rep["repeat_of"] != d["code"] || !slices.Contains(rep["flags"].([]any), any("repeat")) {
			t.Fatalf("repeat %v %v", rep["repeat_of"], rep["flags"])
		}
		far := e.do("POST", "/api/v1/disputes", intake, dispute("walk_in", "neighbour", "煤山街道", "on", "2025-07-01")).want(201).json()
		if far["repeat_of"] != rep["code"] && far["repeat_of"] != nil {
			t.Fatalf("repeat window: %v", far["repeat_of"])
		}
		other2 := e.do("POST", "/api/v1/disputes", intake, dispute("walk_in", "debt", "煤山街道", "on", "2024-12-02")).want(201).json()
		if other2["repeat_of"] != nil {
			t.Fatalf("another category is not a repeat: %v", other2["repeat_of"])
		}

		// Early warning.
		hot := e.do("POST", "/api/v1/disputes", intake, dispute("grid", "land_requisition", "煤山街道", "flags", []string{"mass"})).want(201).json()
		if hot["priority"] != "high" {
			t.Fatalf("priority %v", hot["priority"])
		}
		list := e.do("GET", "/api/v1/disputes?priority=high", leader, nil).want(200).json()["items"].([]any)
		if len(list) != 1 || list[0].(map[string]any)["code"] != hot["code"] {
			t.Fatalf("early warning %v", list)
		}

		// Unmask is audited.
		e.do("GET", "/api/v1/disputes/"+id+"?unmask=true", intake, nil).want(200)
		entries := e.do("GET", "/api/v1/audit?action=dispute.unmask", e.as(jiefen.RoleAuditor), nil).want(200).json()["items"].([]any)
		if len(entries) != 1 || entries[0].(map[string]any)["target_id"] != d["code"] {
			t.Fatalf("unmask audit %v", entries)
		}
	})
}

func TestIntakeScopeAndCapacity(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	desk := e.user("desk-zl", jiefen.RoleIntake, "RZ-ZL")
	other := e.user("desk-ms", jiefen.RoleIntake, "RZ-MS")
	e.user("m1", jiefen.RoleMediator, "RZ-ZL-TWH")
	e.user("m2", jiefen.RoleMediator, "RZ-ZL-TWH")
	var codes []string
	for i := 0; i < 7; i++ {
		m := e.do("POST", "/api/v1/disputes", desk, dispute("walk_in", "family", "钟楼街道", "recused", []string{"m2"})).want(201).json()
		codes = append(codes, m["code"].(string))
		want := "m1"
		if i >= 3 { // capacity 3, and m2 is recused
			want = ""
		}
		if a := routingOf(m)["assignee"]; a != want {
			t.Fatalf("dispute %d assigned to %v, want %q", i, a, want)
		}
	}
	if m := e.do("GET", "/api/v1/disputes?limit=200", desk, nil).want(200).json(); len(m["items"].([]any)) != 7 {
		t.Fatalf("the desk sees %d", len(m["items"].([]any)))
	}
	if m := e.do("GET", "/api/v1/disputes?limit=200", other, nil).want(200).json(); len(m["items"].([]any)) != 0 {
		t.Fatalf("another desk sees %d", len(m["items"].([]any)))
	}
	e.do("GET", "/api/v1/disputes/"+codes[0], other, nil).want(404)
	// Codes stay unique under concurrent intake.
	var wg sync.WaitGroup
	var mu sync.Mutex
	seen := map[string]bool{}
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := e.do("POST", "/api/v1/disputes", desk, dispute("walk_in", "family", "钟楼街道", "on", "2025-03-03"))
			mu.Lock()
			defer mu.Unlock()
			if res.Code != 201 {
				t.Errorf("concurrent intake: %d %s", res.Code, res.Body)
				return
			}
			seen[res.json()["code"].(string)] = true
		}()
	}
	wg.Wait()
	if len(seen) != 20 || !seen["RZ-2025-000001"] || !seen["RZ-2025-000020"] {
		t.Fatalf("codes %v", seen)
	}
}

func TestRoutingRulesOverHTTP(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	admin := e.as(jiefen.RoleAdmin)
	res := e.do("GET", "/api/v1/routing/rules", admin, nil).want(200)
	set := res.json()
	if set["version"] != 1.0 || res.Header().Get("ETag") != `"1"` {
		t.Fatalf("rules %v", set["version"])
	}
	rules := set["rules"].([]any)
	rules[0].(map[string]any)["org"] = "NOPE"
	res = e.do("PUT", "/api/v1/routing/rules", admin, set).want(422)
	if !strings.Contains(res.Body.String(), "court_referral") {
		t.Fatalf("the error does not name the rule: %s", res.Body)
	}
	rules[0].(map[string]any)["org"] = "RZ-FY"
	rules[0].(map[string]any)["reason"] = "诉调对接（修订）"
	e.do("PUT", "/api/v1/routing/rules", admin, set, "If-Match", `"7"`).want(412)
	stored := e.do("PUT", "/api/v1/routing/rules", admin, set, "If-Match", `"1"`).want(200).json()
	if stored["version"] != 2.0 {
		t.Fatalf("stored %v", stored["version"])
	}
	m := e.do("POST", "/api/v1/disputes", e.as(jiefen.RoleIntake), dispute("court", "contract", "")).want(201).json()
	if m["rules_version"] != 2.0 || routingOf(m)["reason"] != "诉调对接（修订）" {
		t.Fatalf("dispute routed by %v: %v", m["rules_version"], routingOf(m)["reason"])
	}
	if n := len(e.do("GET", "/api/v1/audit?action=routing.rules_put", e.as(jiefen.RoleAuditor), nil).json()["items"].([]any)); n != 2 {
		t.Fatalf("rules audit entries %d", n)
	}
}
