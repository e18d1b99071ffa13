package httpapi_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"jiefen"
	"jiefen/calendar"
)

// row finds the statistics row of an agency (and month).
func statsRow(t *testing.T, items []any, agency, month string) map[string]any {
	t.Helper()
	for _, it := range items {
		r := it.(map[string]any)
		if (agency == "" || r["agency_code"] == agency) && (month == "" || r["month"] == month) {
			return r
		}
	}
	t.Fatalf("no row %s %s in %v", agency, month, items)
	return nil
}

// wantFigures compares a row with a hand count; rates are compared too.
func wantFigures(t *testing.T, r map[string]any, want map[string]any) {
	t.Helper()
	for k, v := range want {
		if got := r[k]; fmt.Sprint(got) != fmt.Sprint(v) {
			t.Errorf("%v %v: %s = %v, want %v", r["agency_code"], r["month"], k, got, v)
		}
	}
}

// TestLitigationHandCount enters a set of cases through the API and checks
// every figure against a hand count under API.md's definitions, then 双下降,
// the interview candidates and the drill-down to the cases behind a figure.
func TestLitigationHandCount(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		liaison, leader := e.as(jiefen.RoleCourtLiaison), e.as(jiefen.RoleLeader)
		file := func(number, defendant, filed string, extra ...any) string {
			body := map[string]any{"case_number": number, "defendant": defendant, "plaintiff": "原告甲", "cause": "行政处罚", "filed_on": filed}
			for i := 0; i+1 < len(extra); i += 2 {
				body[extra[i].(string)] = extra[i+1]
			}
			res := e.do("POST", "/api/v1/litigation/cases", liaison, body).want(201)
			return res.Header().Get("Location")
		}
		hear := func(path, on string, head bool, position string) {
			body := map[string]any{"held_on": on, "head_appeared": head}
			if position != "" {
				body["appearer"] = map[string]any{"name": "出庭人", "position": position}
			}
			e.do("POST", path+"/hearings", liaison, body).want(200)
		}
		conclude := func(path, on, result string, causes ...string) {
			e.do("POST", path+"/outcome", liaison, map[string]any{"result": result, "concluded_on": on, "loss_causes": causes}).want(200)
		}
		// 2024: three first-instance suits against the police, two lost.
		conclude(file("（2024）豫0482行初9号", "RZ-GAJ", "2024-03-01"), "2024-08-01", "varied", "wrong_law")
		conclude(file("（2024）豫0482行初10号", "公安局", "2024-04-01"), "2024-09-01", "dismissed_suit")
		conclude(file("（2024）豫0482行初11号", "汝州市公安局", "2024-05-01"), "2024-10-01", "annulled", "unclear_facts")
		// 2025, in every spelling of a case number.
		c1 := file("（2025）豫0482行初1号", "RZ-GAJ", "2025-01-10")
		hear(c1, "2025-03-05", true, "deputy")
		conclude(c1, "2025-04-20", "annulled", "procedure_violation")
		c2 := file("(2025)豫0482行初2号", "RZ-GAJ", "2025-02-03")
		hear(c2, "2025-03-20", false, "staff")
		hear(c2, "2025-05-08", true, "principal")
		conclude(c2, "2025-06-01", "dismissed_claims")
		c3 := file("〔2025〕豫0482行初3号", "自然资源局", "2025-03-01", "key_flags", []string{"public_attention"})
		hear(c3, "2025-04-10", false, "staff")
		conclude(c3, "2025-05-15", "withdrawn")
		id3 := strings.TrimPrefix(c3, "/api/v1/litigation/cases/")
		var prev int64
		fmt.Sscan(id3, &prev)
		c4 := file("（２０２５）豫04行终5号", "RZ-ZRZYJ", "2025-05-02", "previous_id", prev)
		hear(c4, "2025-06-10", true, "in_charge")

		// The same case in another spelling is the same case.
		dup := e.do("POST", "/api/v1/litigation/cases", liaison, map[string]any{"case_number": "( 2025 ) 豫0482 行初 1 号", "defendant": "RZ-GAJ",
			"plaintiff": "x", "filed_on": "2025-01-10"}).want(409)
		if !strings.Contains(dup.Body.String(), "（2025）豫0482行初1号") {
			t.Fatalf("409 without the canonical number: %s", dup.Body)
		}
		bad := e.do("POST", "/api/v1/litigation/cases", liaison, map[string]any{"case_number": "（25）豫0482行初1号", "defendant": "RZ-GAJ",
			"plaintiff": "x", "filed_on": "2025-01-10"}).want(422)
		if f := bad.errorFields(); len(f) != 1 || f[0] != "case_number" {
			t.Fatalf("fields %v", f)
		}
		got := e.do("GET", c4, leader, nil).want(200).json()
		if n := got["case_number"].(map[string]any); n["canonical"] != "（2025）豫04行终5号" || n["as_entered"] != "（２０２５）豫04行终5号" ||
			n["year"] != float64(2025) || n["court_code"] != "豫04" || n["type_code"] != "行终" || n["serial"] != float64(5) {
			t.Fatalf("case number %v", n)
		}
		e.do("POST", c2+"/hearings", liaison, map[string]any{"held_on": "2025-05-09", "head_appeared": true,
			"appearer": map[string]any{"name": "科员", "position": "staff"}}).want(422)
		e.do("POST", c1+"/outcome", liaison, map[string]any{"result": "annulled", "concluded_on": "2025-04-21"}).want(409)

		// By agency over the half year (facts: a case heard twice counts once).
		st := e.do("GET", "/api/v1/litigation/stats?from=2025-01-01&to=2025-06-30&group_by=agency", leader, nil).want(200).json()
		if !strings.HasPrefix(st["definition"].(string), "jiefen-litigation/1") {
			t.Fatalf("definition %v", st["definition"])
		}
		items := st["items"].([]any)
		wantFigures(t, statsRow(t, items, "RZ-GAJ", ""), map[string]any{"filed": 2, "concluded": 2, "lost": 1, "loss_rate": 0.5,
			"heard": 2, "head_appeared": 2, "appearance_rate": 1, "key_heard": 0, "key_head_appeared": 0, "month": nil})
		wantFigures(t, statsRow(t, items, "RZ-ZRZYJ", ""), map[string]any{"filed": 2, "concluded": 1, "lost": 0, "loss_rate": 0,
			"heard": 2, "head_appeared": 1, "appearance_rate": 0.5, "key_heard": 1, "key_head_appeared": 0})
		// By agency and month (the rollups).
		items = e.do("GET", "/api/v1/litigation/stats?from=2025-01-01&to=2025-06-30&group_by=agency,month", leader, nil).want(200).json()["items"].([]any)
		wantFigures(t, statsRow(t, items, "RZ-GAJ", "2025-03"), map[string]any{"filed": 0, "heard": 2, "head_appeared": 1, "appearance_rate": 0.5, "loss_rate": nil})
		wantFigures(t, statsRow(t, items, "RZ-GAJ", "2025-04"), map[string]any{"concluded": 1, "lost": 1, "loss_rate": 1, "heard": 0, "appearance_rate": nil})
		wantFigures(t, statsRow(t, items, "RZ-GAJ", "2025-05"), map[string]any{"heard": 1, "head_appeared": 1})
		wantFigures(t, statsRow(t, items, "RZ-ZRZYJ", "2025-05"), map[string]any{"filed": 1, "concluded": 1, "lost": 0})
		// The city by month, and a window that is not whole months.
		items = e.do("GET", "/api/v1/litigation/stats?from=2025-01-01&to=2025-06-30&group_by=month", leader, nil).want(200).json()["items"].([]any)
		wantFigures(t, statsRow(t, items, "", "2025-06"), map[string]any{"concluded": 1, "heard": 1, "head_appeared": 1, "agency_code": nil})
		items = e.do("GET", "/api/v1/litigation/stats?from=2025-03-06&to=2025-05-08", leader, nil).want(200).json()["items"].([]any)
		// 3/06–5/08: the appeal filed 5/02; case 1 concluded 4/20; case 2
		// heard 3/20 and 5/08 (the head at the second), case 3 heard 4/10.
		wantFigures(t, items[0].(map[string]any), map[string]any{"filed": 1, "heard": 2, "head_appeared": 1, "concluded": 1, "lost": 1})
		e.do("GET", "/api/v1/litigation/stats?from=2025-01-01&to=2025-06-30&group_by=court", leader, nil).want(422)

		// The cases behind a figure.
		behind := e.do("GET", "/api/v1/litigation/stats/cases?from=2025-01-01&to=2025-06-30&figure=head_appeared&agency=RZ-GAJ", leader, nil).want(200).json()["items"].([]any)
		if len(behind) != 2 {
			t.Fatalf("cases behind head_appeared %v", behind)
		}

		// 双下降: the police filed 3 first-instance suits in 2024 and 2 in
		// 2025, losing 2/3 then 1/2; the city filed 3 and 3 (the appeal is
		// not a first instance).
		dd := e.do("GET", "/api/v1/litigation/double-decline?year=2025", leader, nil).want(200).json()
		city := dd["city"].(map[string]any)
		wantFigures(t, city, map[string]any{"filed_prev": 3, "filed": 3, "achieved": false})
		for _, it := range dd["items"].([]any) {
			r := it.(map[string]any)
			switch r["agency_code"] {
			case "RZ-GAJ":
				wantFigures(t, r, map[string]any{"filed_prev": 3, "filed": 2, "loss_rate": 0.5, "achieved": true})
			case "RZ-ZRZYJ":
				wantFigures(t, r, map[string]any{"filed_prev": 0, "filed": 1, "loss_rate_prev": nil, "achieved": nil})
			}
		}

		// Interview candidates: the police on the loss rate, natural
		// resources on the appearance rate.
		cands := e.do("GET", "/api/v1/litigation/interviews/candidates?year=2025", leader, nil).want(200).json()["items"].([]any)
		if len(cands) != 2 || fmt.Sprint(cands[0].(map[string]any)["reasons"]) != "[loss_rate]" || fmt.Sprint(cands[1].(map[string]any)["reasons"]) != "[appearance_rate]" {
			t.Fatalf("candidates %v", cands)
		}
		e.do("POST", "/api/v1/litigation/interviews", liaison, map[string]any{}).want(403)
		made := e.do("POST", "/api/v1/litigation/interviews", leader, map[string]any{"agency": "公安局", "held_on": "2025-12-01", "interviewee": "局长",
			"interviewer": "副市长", "causes": []string{"procedure_violation"}, "rectification": "规范执法程序"}).want(201)
		iv := made.json()
		if iv["agency_code"] != "RZ-GAJ" || iv["year"] != float64(2025) {
			t.Fatalf("interview %v", iv)
		}
		// Location names the interview itself, which reads back as made.
		if loc := made.Header().Get("Location"); loc != fmt.Sprintf("/api/v1/litigation/interviews/%v", iv["id"]) {
			t.Fatalf("Location %q", loc)
		}
		if got := e.do("GET", made.Header().Get("Location"), liaison, nil).want(200).json(); got["interviewee"] != "局长" || got["agency_name"] != iv["agency_name"] {
			t.Fatalf("read back %v", got)
		}
		e.do("GET", "/api/v1/litigation/interviews/999999", leader, nil).want(404)
		e.do("GET", made.Header().Get("Location"), e.user("zrzy-legal-iv", jiefen.RoleAgencyStaff, "RZ-ZRZYJ"), nil).want(403)
		ivPath := fmt.Sprintf("/api/v1/litigation/interviews/%v/follow-up", iv["id"])
		e.do("POST", ivPath, leader, map[string]any{"follow_up": "x", "on": "2025-11-01"}).want(422) // before the interview
		if f := e.do("POST", ivPath, leader, map[string]any{"follow_up": "复查：整改到位", "on": "2026-01-15"}).want(200).json(); f["follow_up_on"] != "2026-01-15" {
			t.Fatalf("follow-up %v", f)
		}

		// Agency staff see their own agency's cases only.
		staff := e.user("zrzy-legal", jiefen.RoleAgencyStaff, "RZ-ZRZYJ")
		if items := e.do("GET", "/api/v1/litigation/cases", staff, nil).want(200).json()["items"].([]any); len(items) != 2 {
			t.Fatalf("staff see %d cases", len(items))
		}
		e.do("GET", c1, staff, nil).want(404)
		book := e.do("GET", "/api/v1/litigation/stats?from=2025-01-01&to=2025-06-30&group_by=agency&format=xlsx", leader, nil).want(200)
		if !strings.HasPrefix(book.Body.String(), "PK") {
			t.Fatal("the statistics workbook is not XLSX")
		}
	})
}

// TestLitigationRollupsFollowChanges: moving a case to another agency or
// re-flagging it moves its figures in the rollups at once.
func TestLitigationRollupsFollowChanges(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		liaison := e.as(jiefen.RoleCourtLiaison)
		res := e.do("POST", "/api/v1/litigation/cases", liaison, map[string]any{"case_number": "（2025）豫0482行初7号", "defendant": "RZ-GAJ",
			"plaintiff": "乙", "filed_on": "2025-02-03"}).want(201)
		path := res.Header().Get("Location")
		e.do("POST", path+"/hearings", liaison, map[string]any{"held_on": "2025-03-04", "head_appeared": true, "appearer": map[string]any{"name": "局长", "position": "principal"}}).want(200)
		e.do("PATCH", path, liaison, map[string]any{"defendant": "RZ-ZRZYJ"}).want(428)
		cur := e.do("GET", path, liaison, nil).want(200)
		e.do("PATCH", path, liaison, map[string]any{"defendant": "RZ-ZRZYJ", "key_flags": []string{"procuratorate"}}, "If-Match", cur.Header().Get("ETag")).want(200)
		items := e.do("GET", "/api/v1/litigation/stats?from=2025-01-01&to=2025-12-31&group_by=agency,month", liaison, nil).want(200).json()["items"].([]any)
		for _, it := range items {
			if it.(map[string]any)["agency_code"] == "RZ-GAJ" {
				t.Fatalf("the police still count the moved case: %v", it)
			}
		}
		wantFigures(t, statsRow(t, items, "RZ-ZRZYJ", "2025-03"), map[string]any{"heard": 1, "head_appeared": 1, "key_heard": 1, "key_head_appeared": 1})
		wantFigures(t, statsRow(t, items, "RZ-ZRZYJ", "2025-02"), map[string]any{"filed": 1})
	})
}

// TestAppearanceAlerts: a key case with a hearing within three days and no
// head confirmed is on the alert list; naming the head takes it off.
func TestAppearanceAlerts(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		liaison := e.as(jiefen.RoleCourtLiaison)
		today := calendar.DateOf(time.Now())
		file := func(number string, key bool) string {
			body := map[string]any{"case_number": number, "defendant": "RZ-GAJ", "plaintiff": "丙", "filed_on": today.AddDays(-30).String()}
			if key {
				body["key_flags"] = []string{"mass_incident_risk"}
			}
			return e.do("POST", "/api/v1/litigation/cases", liaison, body).want(201).Header().Get("Location")
		}
		soon := today.AddDays(2).String()
		key := file(fmt.Sprintf("（%d）豫0482行初801号", today.AddDays(-30).Year()), true)
		plain := file(fmt.Sprintf("（%d）豫0482行初802号", today.AddDays(-30).Year()), false)
		e.do("POST", key+"/hearings", liaison, map[string]any{"held_on": soon}).want(200)
		e.do("POST", plain+"/hearings", liaison, map[string]any{"held_on": soon}).want(200)
		e.do("POST", key+"/hearings", liaison, map[string]any{"held_on": soon, "head_appeared": true,
			"appearer": map[string]any{"name": "局长", "position": "principal"}}).want(422) // not held yet
		alerts := e.do("GET", "/api/v1/litigation/alerts", liaison, nil).want(200).json()["items"].([]any)
		if len(alerts) != 1 || alerts[0].(map[string]any)["hearing"].(map[string]any)["held_on"] != soon {
			t.Fatalf("alerts %v", alerts)
		}
	})
}

// TestLitigationAppealWindows: a first-instance decision opens the parties'
// window to appeal (行政诉讼法 第85条), 15 days for a judgment and 10 for a
// ruling dismissing the suit, counted from the day it was concluded; an
// appeal on record uses it; a withdrawal, a mediation document and a
// second instance open none. A window is never overdue work.
func TestLitigationAppealWindows(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.db.Now = func() time.Time { return time.Date(2025, 9, 30, 2, 0, 0, 0, time.UTC) }
		liaison := e.as(jiefen.RoleCourtLiaison)
		file := func(number, filed string, extra ...any) string {
			body := map[string]any{"case_number": number, "defendant": "RZ-GAJ", "plaintiff": "张某某", "cause": "治安管理处罚决定", "filed_on": filed}
			for i := 0; i+1 < len(extra); i += 2 {
				body[extra[i].(string)] = extra[i+1]
			}
			return e.do("POST", "/api/v1/litigation/cases", liaison, body).want(201).Header().Get("Location")
		}
		conclude := func(path, on, result string) map[string]any {
			return e.do("POST", path+"/outcome", liaison, map[string]any{"result": result, "concluded_on": on}).want(200).json()
		}
		only := func(what string, lc map[string]any) map[string]any {
			t.Helper()
			ks := lc["clocks"].([]any)
			if len(ks) != 1 {
				t.Fatalf("%s: clocks %v, want one", what, ks)
			}
			return ks[0].(map[string]any)
		}
		// Judgment concluded Wed 2025-09-17: 15 days end 10/2, inside the
		// 10/1–10/8 holiday → 10/9; open on 9/30.
		judged := file("（2025）豫0482行初21号", "2025-03-03")
		k := only("judgment", conclude(judged, "2025-09-17", "annulled"))
		if k["rule"] != "litigation.appeal_judgment" || k["kind"] != "window" || k["due"] != "2025-10-09" || k["state"] != "open" {
			t.Errorf("judgment: %v", k)
		}
		// A ruling dismissing the suit, concluded 2025-09-01: 10 days → Thu
		// 9/11; lapsed by 9/30, and not overdue.
		ruled := file("（2025）豫0482行初22号", "2025-03-03")
		k = only("ruling", conclude(ruled, "2025-09-01", "dismissed_suit"))
		if k["rule"] != "litigation.appeal_ruling" || k["due"] != "2025-09-11" || k["state"] != "lapsed" {
			t.Errorf("ruling: %v", k)
		}
		// The second instance filed on 9/26 used the judgment's window.
		var id int64
		fmt.Sscan(strings.TrimPrefix(judged, "/api/v1/litigation/cases/"), &id)
		appeal := file("（2025）豫04行终31号", "2025-09-26", "previous_id", id)
		if k := only("appealed", e.do("GET", judged, liaison, nil).want(200).json()); k["state"] != "used" || k["done_on"] != "2025-09-26" {
			t.Errorf("appealed: %v", k)
		}
		// No window after a withdrawal, a mediation, or a second instance.
		for _, tc := range []struct{ path, result string }{
			{file("（2025）豫0482行初23号", "2025-03-03"), "withdrawn"},
			{file("（2025）豫0482行初24号", "2025-03-03"), "mediated"},
			{appeal, "dismissed_claims"},
		} {
			if ks := conclude(tc.path, "2025-09-29", tc.result)["clocks"].([]any); len(ks) != 0 {
				t.Errorf("%s %s: clocks %v", tc.path, tc.result, ks)
			}
		}
		items := e.do("GET", "/api/v1/litigation/cases", liaison, nil).want(200).json()["items"].([]any)
		windows := 0
		for _, it := range items {
			windows += len(it.(map[string]any)["clocks"].([]any))
		}
		if windows != 2 {
			t.Errorf("the list shows %d windows, want 2", windows)
		}
	})
}
