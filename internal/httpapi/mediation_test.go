package httpapi_test

import (
	"fmt"
	"strings"
	"testing"

	"jiefen"
	"jiefen/internal/httpapi"
)

// clockOf finds a clock of a case answer by rule.
func clockOf(t *testing.T, mc map[string]any, rule string) map[string]any {
	t.Helper()
	for _, k := range mc["clocks"].([]any) {
		if k := k.(map[string]any); k["rule"] == rule {
			return k
		}
	}
	t.Fatalf("no clock %s in %v", rule, mc["clocks"])
	return nil
}

// TestMediationCaseLifecycle walks a police-referred neighbour dispute
// through people's mediation over HTTP, as the done-when of the issue: the
// one-month clock on the official calendar, the judicial-confirmation
// clock, a low rating's rectification, the subsidy once it qualifies.
func TestMediationCaseLifecycle(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		intake, leader := e.as(jiefen.RoleIntake), e.as(jiefen.RoleLeader)
		med := e.namedUser("med-ms", "王芳", jiefen.RoleMediator, "RZ-MS-TWH")
		other := e.user("med-ms-2", jiefen.RoleMediator, "RZ-ZL-TWH")
		d := e.do("POST", "/api/v1/disputes", intake, dispute("police", "neighbour", "煤山街道", "on", "2025-08-28")).want(201).json()
		id := fmt.Sprint(routingOf(d)["case_id"])
		path := "/api/v1/mediation/cases/" + id

		q := e.do("GET", "/api/v1/mediation/cases", med, nil).want(200).json()["items"].([]any)
		if len(q) != 1 || q[0].(map[string]any)["state"] != "assigned" || q[0].(map[string]any)["dispute_code"] != d["code"] {
			t.Fatalf("queue %v", q)
		}
		// Names beside the codes, for people.
		if c := q[0].(map[string]any); c["org_name"] != "煤山街道人民调解委员会" || c["assignee"] != "med-ms" || c["assignee_name"] != "王芳" {
			t.Errorf("the queue names org %v and mediator %v (%v)", c["org_name"], c["assignee_name"], c["assignee"])
		}
		e.do("GET", path, other, nil).want(404)
		e.do("POST", path+"/accept", other, map[string]any{"on": "2025-09-01"}).want(404)
		e.do("POST", path+"/accept", intake, map[string]any{"on": "2025-09-01"}).want(403)
		e.do("POST", path+"/accept", med, map[string]any{"on": "2099-01-01"}).want(422)
		if res := e.do("POST", path+"/close", med, map[string]any{}).want(409); !strings.Contains(res.Body.String(), "已分派") {
			t.Fatalf("the conflict does not name the state: %s", res.Body)
		}

		// Accepted on Mon 2025-09-01: one month is 10/01, inside National
		// Day (10/1–10/8), so the clock is due Thu 10/09.
		mc := e.do("POST", path+"/accept", med, map[string]any{"on": "2025-09-01"}).want(200).json()
		k := clockOf(t, mc, "mediation.people")
		if mc["state"] != "accepted" || k["from"] != "2025-09-01" || k["due"] != "2025-10-09" || k["state"] != "overdue" ||
			!strings.Contains(k["basis"].(string), "人民调解工作若干规定") {
			t.Fatalf("accepted %v", mc)
		}
		e.do("POST", path+"/sessions", med, map[string]any{"on": "2025-09-03", "place": "煤山街道调委会", "attendees": []string{"张三", "李四"},
			"record": "双方陈述事实"}).want(200)
		bad := e.do("POST", path+"/agreement", med, map[string]any{"on": "2025-09-05", "amount_fen": -1}).want(422)
		if f := bad.errorFields(); len(f) != 2 || f[0] != "terms" || f[1] != "amount_fen" {
			t.Fatalf("fields %v", f)
		}
		mc = e.do("POST", path+"/agreement", med, map[string]any{"on": "2025-09-05", "terms": "李四改建排水沟，赔偿张三1200元",
			"amount_fen": 120000, "performance_due": "2025-09-30", "effective_on": "2025-09-05"}).want(200).json()
		if k := clockOf(t, mc, "mediation.people"); k["state"] != "met" {
			t.Fatalf("mediation clock after the agreement %v", k)
		}
		// 30 days from 9/5 is 10/5, inside National Day: due 10/09.
		if k := clockOf(t, mc, "mediation.judicial_confirmation_application"); k["due"] != "2025-10-09" || k["from"] != "2025-09-05" {
			t.Fatalf("confirmation clock %v", k)
		}
		page := e.do("GET", path+"/agreement", med, nil).want(200)
		if ct := page.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/html") || !strings.Contains(page.Body.String(), "李四改建排水沟") ||
			strings.Contains(page.Body.String(), idA) || !strings.Contains(page.Body.String(), idA[:3]+"*") {
			t.Fatalf("printable agreement (%s) is not masked or lacks the terms", ct)
		}
		if body := page.Body.String(); !strings.Contains(body, "调解员签名（王芳）") {
			t.Fatal("the agreement does not print the mediator's display name")
		}
		if !strings.Contains(e.do("GET", path+"/agreement?unmask=true", med, nil).want(200).Body.String(), idA) {
			t.Fatal("the mediator's unmasked print lacks the ID number")
		}
		e.do("GET", path+"/agreement?unmask=true", leader, nil).want(403)
		e.do("POST", path+"/confirmation", med, map[string]any{"applied_on": "2025-09-20"}).want(200)
		e.do("POST", path+"/confirmation", med, map[string]any{"result": "maybe", "on": "2025-09-25"}).want(422)
		mc = e.do("POST", path+"/confirmation", med, map[string]any{"result": "confirmed", "on": "2025-09-25"}).want(200).json()
		if k := clockOf(t, mc, "mediation.judicial_confirmation_application"); k["state"] != "used" || k["kind"] != "window" {
			t.Fatalf("confirmation clock after applying %v", k)
		}

		// Not yet qualified for the subsidy: no follow-up found it performed.
		if items := e.do("GET", "/api/v1/mediation/subsidies?month=2025-10", leader, nil).want(200).json()["items"].([]any); len(items) != 0 {
			t.Fatalf("subsidies before the follow-up %v", items)
		}
		e.do("POST", path+"/followups", med, map[string]any{"on": "2025-10-20", "rating": 9}).want(422)
		mc = e.do("POST", path+"/followups", med, map[string]any{"on": "2025-10-20", "rating": 2, "comment": "态度生硬", "performed": true}).want(200).json()
		if r := mc["rectifications"].([]any); mc["state"] != "followup" || len(r) != 1 || r[0].(map[string]any)["closed_on"] != nil {
			t.Fatalf("after a low rating %v", mc)
		}
		sub := e.do("GET", "/api/v1/mediation/subsidies?month=2025-10", leader, nil).want(200).json()
		items := sub["items"].([]any)
		if len(items) != 1 || sub["total_fen"] != float64(10000) || items[0].(map[string]any)["mediator"] != "med-ms" ||
			items[0].(map[string]any)["cases"].([]any)[0].(map[string]any)["dispute_code"] != d["code"] {
			t.Fatalf("subsidies %v", sub)
		}
		if items := e.do("GET", "/api/v1/mediation/subsidies?month=2025-10", other, nil).want(200).json()["items"].([]any); len(items) != 0 {
			t.Fatalf("another mediator sees %v", items)
		}
		e.do("GET", "/api/v1/mediation/subsidies?month=2025-13", leader, nil).want(422)
		book := e.do("GET", "/api/v1/mediation/subsidies?month=2025-10&format=xlsx", leader, nil).want(200)
		if !strings.Contains(book.Header().Get("Content-Disposition"), "subsidies-2025-10.xlsx") {
			t.Fatalf("the workbook is not an XLSX attachment: %q", book.Header())
		}
		sheet := httpapi.OpenClerkWorkbook(t, book.Body.Bytes(), "以案定补", []string{"调解员", "调解组织", "案件编号", "纠纷", "难度", "补贴日期", "金额（元）"})
		if got := sheet.Rows[1]; len(got) != 7 || got[0] != "med-ms" || got[1] != "煤山街道人民调解委员会" || got[4] != "一般" || got[6] != "100.00" {
			t.Fatalf("the case row %q", got)
		}
		rep := e.do("GET", "/api/v1/mediation/ratings?month=2025-10", leader, nil).want(200).json()
		if rep["rated"] != float64(1) || rep["low"] != float64(1) || rep["rectified"] != float64(0) || rep["rectified_share"] != float64(0) {
			t.Fatalf("ratings %v", rep)
		}

		if res := e.do("POST", path+"/close", med, map[string]any{"on": "2025-10-21"}).want(409); !strings.Contains(res.Body.String(), "整改") {
			t.Fatalf("close with an open rectification: %s", res.Body)
		}
		e.do("POST", path+"/rectification", med, map[string]any{"on": "2025-10-22", "action": "调解员上门致歉"}).want(200)
		rep = e.do("GET", "/api/v1/mediation/ratings?month=2025-10", leader, nil).want(200).json()
		if rep["rectified"] != float64(1) || rep["revisited"] != float64(0) || rep["revisited_share"] != float64(0) {
			t.Fatalf("ratings after the rectification, before a revisit %v", rep)
		}
		// The revisit after the rectification (实名差评回访).
		e.do("POST", path+"/followups", med, map[string]any{"on": "2025-10-23", "rating": 5, "comment": "满意", "performed": true}).want(200)
		e.do("POST", path+"/close", med, map[string]any{"on": "2025-10-23"}, "If-Match", etagOf(mc["version"])).want(412)
		cur := e.do("GET", path, med, nil).want(200)
		mc = e.do("POST", path+"/close", med, map[string]any{"on": "2025-10-23"}, "If-Match", cur.Header().Get("ETag")).want(200).json()
		if mc["state"] != "closed" || mc["closed_on"] != "2025-10-23" {
			t.Fatalf("closed %v", mc)
		}
		if st := e.do("GET", "/api/v1/disputes/"+fmt.Sprint(d["id"]), leader, nil).want(200).json()["status"]; st != "closed" {
			t.Fatalf("the dispute is %v after its case closed", st)
		}
		rep = e.do("GET", "/api/v1/mediation/ratings?month=2025-10", leader, nil).want(200).json()
		low := rep["low_cases"].([]any)[0].(map[string]any)
		if rep["rectified"] != float64(1) || rep["rectified_share"] != float64(1) || rep["revisited"] != float64(1) ||
			rep["revisited_share"] != float64(1) || low["revisited_on"] != "2025-10-23" {
			t.Fatalf("ratings after the rectification and the revisit %v", rep)
		}
		if q := e.do("GET", "/api/v1/mediation/cases?state=closed", med, nil).want(200).json()["items"].([]any); len(q) != 1 {
			t.Fatalf("closed cases %v", q)
		}
	})
}

// TestMediationFailureTransfers: a failure naming the next track moves the
// dispute there in the same transaction.
func TestMediationFailureTransfers(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		intake, leader := e.as(jiefen.RoleIntake), e.as(jiefen.RoleLeader)
		med := e.user("med-ms", jiefen.RoleMediator, "RZ-MS-TWH")
		d := e.do("POST", "/api/v1/disputes", intake, dispute("walk_in", "debt", "煤山街道", "on", "2025-03-03")).want(201).json()
		path := "/api/v1/mediation/cases/" + fmt.Sprint(routingOf(d)["case_id"])
		e.do("POST", path+"/accept", med, map[string]any{"on": "2025-03-04"}).want(200)
		e.do("POST", path+"/failure", med, map[string]any{"on": "2025-03-20", "reason": "差距过大", "next_track": "judicial"}).want(422)
		mc := e.do("POST", path+"/failure", med, map[string]any{"on": "2025-03-20", "reason": "差距过大", "next_track": "judicial",
			"next_org_code": "RZ-FY"}).want(200).json()
		if mc["state"] != "transferred" || mc["failure"].(map[string]any)["reason"] != "差距过大" {
			t.Fatalf("failed %v", mc)
		}
		if k := clockOf(t, mc, "mediation.people"); k["state"] != "met" {
			t.Fatalf("clock %v", k)
		}
		got := e.do("GET", "/api/v1/disputes/"+fmt.Sprint(d["id"]), leader, nil).want(200).json()
		h := got["history"].([]any)
		if len(h) != 2 || h[1].(map[string]any)["track"] != "judicial" || !strings.Contains(h[1].(map[string]any)["reason"].(string), "差距过大") {
			t.Fatalf("history %v", h)
		}
		// A case on the court's track was opened for the dispute.
		if r := routingOf(got); r["org_code"] != "RZ-FY" || r["case_id"] == nil || r["case_id"] == routingOf(d)["case_id"] {
			t.Fatalf("routing after the failure %v", r)
		}
	})
}

func etagOf(v any) string { return fmt.Sprintf(`"%v"`, v) }

// TestMediationQueueOrder: the mediator's queue puts the nearest due day
// of a live duty first, so an overdue case leads; then open cases with no
// duty running (waiting to be accepted; an agreement with only the
// parties' window to apply for 司法确认 left, never shown overdue); closed
// work last, whatever its id. It pages with a cursor and filters by state.
func TestMediationQueueOrder(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		intake, leader := e.as(jiefen.RoleIntake), e.as(jiefen.RoleLeader)
		med := e.user("med-ms", jiefen.RoleMediator, "RZ-MS-TWH")
		med2 := e.user("med-ms-2", jiefen.RoleMediator, "RZ-MS-TWH")
		register := func(on string) string {
			d := e.do("POST", "/api/v1/disputes", intake, dispute("walk_in", "family", "煤山街道", "on", on,
				"parties", []map[string]any{{"role": "applicant", "name": "王五"}})).want(201).json()
			return fmt.Sprint(routingOf(d)["case_id"])
		}
		closed := register("2025-01-02")
		late, early, idle, agreed := register("2025-05-02"), register("2025-01-02"), register("2025-03-03"), register("2025-02-03")
		// Two mediators share the five cases; the leader sees them all.
		tokens := map[string]string{}
		for _, id := range []string{closed, late, early, idle, agreed} {
			mc := e.do("GET", "/api/v1/mediation/cases/"+id, leader, nil).want(200).json()
			tokens[id] = map[string]string{"med-ms": med, "med-ms-2": med2}[fmt.Sprint(mc["assignee"])]
		}
		e.do("POST", "/api/v1/mediation/cases/"+late+"/accept", tokens[late], map[string]any{"on": "2025-05-06"}).want(200)
		e.do("POST", "/api/v1/mediation/cases/"+early+"/accept", tokens[early], map[string]any{"on": "2025-01-06"}).want(200)
		for _, id := range []string{closed, agreed} {
			path := "/api/v1/mediation/cases/" + id
			e.do("POST", path+"/accept", tokens[id], map[string]any{"on": "2025-02-03"}).want(200)
			e.do("POST", path+"/agreement", tokens[id], map[string]any{"on": "2025-02-05", "terms": "赡养费每月五百元", "amount_fen": 50000,
				"effective_on": "2025-02-05"}).want(200)
		}
		e.do("POST", "/api/v1/mediation/cases/"+closed+"/followups", tokens[closed], map[string]any{"on": "2025-03-05", "rating": 5, "performed": true}).want(200)
		mc := e.do("POST", "/api/v1/mediation/cases/"+closed+"/close", tokens[closed], map[string]any{"on": "2025-03-06"}).want(200).json()
		for _, k := range mc["clocks"].([]any) {
			if k := k.(map[string]any); k["state"] == "overdue" || k["state"] == "running" {
				t.Errorf("the closed case has clock %v", k)
			}
		}
		var got []string
		cursor := ""
		for {
			res := e.do("GET", "/api/v1/mediation/cases?limit=1"+cursor, leader, nil).want(200).json()
			for _, it := range res["items"].([]any) {
				got = append(got, fmt.Sprint(it.(map[string]any)["id"]))
			}
			next, _ := res["next_cursor"].(string)
			if next == "" {
				break
			}
			cursor = "&cursor=" + next
		}
		if want := strings.Join([]string{early, late, idle, agreed, closed}, ","); strings.Join(got, ",") != want {
			t.Fatalf("queue %v, want %s", got, want)
		}
		if items := e.do("GET", "/api/v1/mediation/cases?state=assigned", leader, nil).want(200).json()["items"].([]any); len(items) != 1 {
			t.Fatalf("assigned cases %v", items)
		}
		e.do("GET", "/api/v1/mediation/cases?state=nope", med, nil).want(422)
		e.do("GET", "/api/v1/mediation/cases?cursor=garbage", med, nil).want(422)
	})
}
