package httpapi_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"jiefen"
)

// TestOrgNamesAreUnique: a name or alias another org has, or one that
// differs from it only in the city's name or 办事处/人民政府, is a 409 naming
// the field and, in Chinese, the org that holds it; an org keeps its own.
func TestOrgNamesAreUnique(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		admin := e.as(jiefen.RoleAdmin)
		conflict := func(body map[string]any, field, holder string, method ...string) {
			t.Helper()
			var res response
			if len(method) > 0 {
				res = e.do(method[0], method[1], admin, body, "If-Match", method[2]).want(http.StatusConflict)
			} else {
				res = e.do("POST", "/api/v1/orgs", admin, body).want(http.StatusConflict)
			}
			m := res.json()["error"].(map[string]any)
			if f := res.errorFields(); len(f) != 1 || f[0] != field || !strings.Contains(fmt.Sprint(m), holder) {
				t.Errorf("%v: fields %v, %v; want %s held by %s", body, f, m, field, holder)
			}
		}
		conflict(map[string]any{"code": "T-1", "name": "汝州市钟楼街道办事处", "kind": "township"}, "name", "汝州市钟楼街道办事处")
		conflict(map[string]any{"code": "T-1", "name": "汝州市测试局", "kind": "agency", "aliases": []string{"测试局", "公安局"}}, "aliases[1]", "汝州市公安局")
		conflict(map[string]any{"code": "T-1", "name": "钟楼街道办事处", "kind": "township"}, "name", "汝州市钟楼街道办事处")
		conflict(map[string]any{"code": "T-1", "name": "临汝镇政府", "kind": "township"}, "name", "汝州市临汝镇人民政府")
		conflict(map[string]any{"code": "T-1", "name": "汝州市政府", "kind": "office"}, "name", "汝州市人民政府")
		e.do("POST", "/api/v1/orgs", admin, map[string]any{"code": "T-1", "name": "汝州市测试局", "kind": "agency", "aliases": []string{"测试局"}}).want(201)
		conflict(map[string]any{"aliases": []string{"测试局", "交警大队"}}, "aliases[1]", "汝州市公安局交通警察大队", "PATCH", "/api/v1/orgs/T-1", `"1"`)
		conflict(map[string]any{"name": "汝州市信访局"}, "name", "汝州市信访局", "PATCH", "/api/v1/orgs/T-1", `"1"`)
		e.do("PATCH", "/api/v1/orgs/T-1", admin, map[string]any{"name": "汝州市测试局（新）", "aliases": []string{"测试局", "汝州市测试局"}}, "If-Match", `"1"`).want(200)
		// The old names are free again; the org keeps its own.
		e.do("POST", "/api/v1/orgs", admin, map[string]any{"code": "T-2", "name": "汝州市测试分局", "kind": "agency"}).want(201)
		zl := e.do("GET", "/api/v1/orgs/RZ-ZL", admin, nil).want(200)
		e.do("PATCH", "/api/v1/orgs/RZ-ZL", admin, map[string]any{"aliases": []string{"钟楼街道", "汝州市钟楼街道", "钟楼办"}}, "If-Match", zl.Header().Get("ETag")).want(200)
		conflict(map[string]any{"code": "T-3", "name": "钟楼办", "kind": "agency"}, "name", "汝州市钟楼街道办事处")
	})
}

// TestEveryDefendantTheCityHas: the city government is sued by its name,
// 市政府 or 汝州市政府; a 街道办事处 by any of the ways court files write it;
// a court or a name two bodies share is refused with 422 naming the field
// and, for the shared name, both bodies. The city government then counts
// in the statistics, 双下降 and the interview candidates like any agency,
// and a 街道办事处 is a reconsideration's respondent.
func TestEveryDefendantTheCityHas(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		liaison, leader := e.as(jiefen.RoleCourtLiaison), e.as(jiefen.RoleLeader)
		serial := 0
		file := func(body map[string]any) response {
			t.Helper()
			serial++
			body["case_number"] = fmt.Sprintf("（2025）豫0482行初%d号", serial)
			body["plaintiff"], body["filed_on"] = "原告甲", "2025-03-04"
			return e.do("POST", "/api/v1/litigation/cases", liaison, body)
		}
		for ref, want := range map[string]string{"汝州市人民政府": "RZ", "市政府": "RZ", "汝州市政府": "RZ", "钟楼街道": "RZ-ZL",
			"钟楼街道办事处": "RZ-ZL", "汝州市钟楼街道办事处": "RZ-ZL", "汝州市钟楼街道": "RZ-ZL", "临汝镇人民政府": "RZ-LR"} {
			c := file(map[string]any{"defendant": ref, "cause": "政府信息公开答复"}).want(201).json()
			if c["defendant"] != want || fmt.Sprint(c["defendants"]) != "["+want+"]" {
				t.Errorf("sued %s: defendant %v, defendants %v; want %s", ref, c["defendant"], c["defendants"], want)
			}
		}
		res := file(map[string]any{"defendant": "汝州市人民法院"}).want(422)
		if f := res.errorFields(); len(f) != 1 || f[0] != "defendant" || !strings.Contains(res.Body.String(), "不是行政机关") {
			t.Errorf("suing the court: %s", res.Body)
		}
		// Two bodies entered before names had to be unique share a key.
		now := time.Now().UTC()
		for i, o := range [][2]string{{"T-A", "城东街道办事处"}, {"T-B", "汝州市城东街道"}} {
			if _, err := e.db.SQL().Exec("INSERT INTO orgs (code, name, kind, parent_code, version, created_at, updated_at) VALUES (?, ?, 'township', 'RZ', 1, ?, ?)",
				o[0], o[1], now.Add(time.Duration(i)), now); err != nil {
				t.Fatal(err)
			}
		}
		res = file(map[string]any{"defendants": []string{"RZ", "城东街道"}}).want(422)
		if f := res.errorFields(); len(f) != 1 || f[0] != "defendants[1]" || !strings.Contains(res.Body.String(), "城东街道办事处（T-A）、汝州市城东街道（T-B）") {
			t.Errorf("an ambiguous defendant: %s", res.Body)
		}
		file(map[string]any{"defendant": "汝州市城东街道"}).want(201) // as written, it names one

		// Two suits over 征收 against the city government lost: it is an
		// agency of the figures, named, and an interview candidate.
		for _, cause := range []string{"房屋征收补偿决定", "房屋征收补偿决定"} {
			path := file(map[string]any{"defendant": "汝州市人民政府", "cause": cause}).want(201).Header().Get("Location")
			e.do("POST", path+"/outcome", liaison, map[string]any{"result": "annulled", "concluded_on": "2025-06-01", "loss_causes": []string{"procedure_violation"}}).want(200)
		}
		items := e.do("GET", "/api/v1/litigation/stats?from=2025-01-01&to=2025-12-31&group_by=agency", leader, nil).want(200).json()["items"].([]any)
		rz := statsRow(t, items, "RZ", "")
		wantFigures(t, rz, map[string]any{"agency_name": "汝州市人民政府", "filed": 5, "concluded": 2, "lost": 2, "loss_rate": 1})
		wantFigures(t, statsRow(t, items, "RZ-ZL", ""), map[string]any{"agency_name": "汝州市钟楼街道办事处", "filed": 4})
		dd := e.do("GET", "/api/v1/litigation/double-decline?year=2025", leader, nil).want(200).json()
		if d := statsRow(t, dd["items"].([]any), "RZ", ""); d["filed"] != 5.0 || d["agency_name"] != "汝州市人民政府" {
			t.Errorf("双下降 of RZ: %v", d)
		}
		cands := e.do("GET", "/api/v1/litigation/interviews/candidates?year=2025", leader, nil).want(200).json()["items"].([]any)
		if c := statsRow(t, cands, "RZ", ""); c["agency_name"] != "汝州市人民政府" {
			t.Errorf("candidate %v", c)
		}
		e.do("POST", "/api/v1/litigation/interviews", leader, map[string]any{"agency": "市政府", "held_on": "2025-07-01", "interviewee": "副市长"}).want(201)

		// A 街道办事处 is the respondent of a reconsideration as it is sued.
		rc := e.do("POST", "/api/v1/reconsideration/cases", e.as(jiefen.RoleReconsideration), map[string]any{"applicant": map[string]any{"name": "张三"},
			"respondent": "钟楼街道", "act": "强制拆除", "received_on": "2025-03-04"}).want(201).json()
		if rc["respondent"] != "RZ-ZL" {
			t.Errorf("respondent %v, want RZ-ZL", rc["respondent"])
		}
	})
}

// TestCoDefendants: a suit against the city government and the land bureau
// counts in each one's figures and once in the city's; the staff of the
// second defendant see it and act on it; staff of another agency do not.
func TestCoDefendants(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		liaison, leader := e.as(jiefen.RoleCourtLiaison), e.as(jiefen.RoleLeader)
		land := e.user("zrzy-legal", jiefen.RoleAgencyStaff, "RZ-ZRZYJ")
		other := e.as(jiefen.RoleAgencyStaff) // of RZ-GA
		res := e.do("POST", "/api/v1/litigation/cases", liaison, map[string]any{"case_number": "（2025）豫0482行初1号",
			"defendants": []string{"汝州市人民政府", "自然资源局"}, "plaintiff": "甲", "cause": "征收土地补偿安置", "filed_on": "2025-03-04"}).want(201)
		joint := res.Header().Get("Location")
		if c := res.json(); c["defendant"] != "RZ" || fmt.Sprint(c["defendants"]) != "[RZ RZ-ZRZYJ]" {
			t.Fatalf("created %v %v", c["defendant"], c["defendants"])
		}
		e.do("POST", "/api/v1/litigation/cases", liaison, map[string]any{"case_number": "（2025）豫0482行初2号", "defendant": "RZ-ZRZYJ",
			"defendants": []string{"RZ"}, "plaintiff": "乙", "filed_on": "2025-03-05"}).want(422)
		e.do("POST", "/api/v1/litigation/cases", liaison, map[string]any{"case_number": "（2025）豫0482行初2号", "defendant": "RZ-ZRZYJ",
			"plaintiff": "乙", "cause": "不动产登记", "filed_on": "2025-03-05"}).want(201)
		e.do("POST", joint+"/outcome", liaison, map[string]any{"result": "annulled", "concluded_on": "2025-06-01", "loss_causes": []string{"procedure_violation"}}).want(200)

		stats := func(q string) []any {
			return e.do("GET", "/api/v1/litigation/stats?from=2025-01-01&to=2025-12-31"+q, leader, nil).want(200).json()["items"].([]any)
		}
		items := stats("&group_by=agency")
		wantFigures(t, statsRow(t, items, "RZ", ""), map[string]any{"filed": 1, "concluded": 1, "lost": 1})
		wantFigures(t, statsRow(t, items, "RZ-ZRZYJ", ""), map[string]any{"filed": 2, "concluded": 1, "lost": 1})
		wantFigures(t, stats("")[0].(map[string]any), map[string]any{"filed": 2, "concluded": 1, "lost": 1})
		months := stats("&group_by=month") // whole months: from the rollups
		wantFigures(t, statsRow(t, months, "", "2025-03"), map[string]any{"filed": 2})
		wantFigures(t, statsRow(t, months, "", "2025-06"), map[string]any{"concluded": 1, "lost": 1})
		dd := e.do("GET", "/api/v1/litigation/double-decline?year=2025", leader, nil).want(200).json()
		wantFigures(t, dd["city"].(map[string]any), map[string]any{"filed": 2, "loss_rate": 1})
		wantFigures(t, statsRow(t, dd["items"].([]any), "RZ", ""), map[string]any{"filed": 1})
		wantFigures(t, statsRow(t, dd["items"].([]any), "RZ-ZRZYJ", ""), map[string]any{"filed": 2})
		for q, want := range map[string]int{"": 2, "&agency=RZ": 1, "&agency=自然资源局": 2} {
			got := e.do("GET", "/api/v1/litigation/stats/cases?from=2025-01-01&to=2025-12-31&figure=filed"+q, leader, nil).want(200).json()["items"].([]any)
			if len(got) != want {
				t.Errorf("the suits behind filed%s: %d, want %d", q, len(got), want)
			}
		}

		// The second defendant's staff see the suit and act on it.
		e.do("GET", joint, land, nil).want(200)
		if items := e.do("GET", "/api/v1/litigation/cases", land, nil).want(200).json()["items"].([]any); len(items) != 2 {
			t.Errorf("the land bureau's staff see %d suits, want 2", len(items))
		}
		e.do("POST", joint+"/hearings", land, map[string]any{"held_on": "2025-05-10", "head_appeared": true,
			"appearer": map[string]any{"name": "王某", "position": "deputy"}}).want(200)
		e.do("GET", joint, other, nil).want(404)
		e.do("POST", joint+"/hearings", other, map[string]any{"held_on": "2025-05-11"}).want(404)
		if items := e.do("GET", "/api/v1/litigation/cases", other, nil).want(200).json()["items"].([]any); len(items) != 0 {
			t.Errorf("another agency's staff see %d suits", len(items))
		}
		// Staff register a suit naming their agency among the defendants.
		e.do("POST", "/api/v1/litigation/cases", land, map[string]any{"case_number": "（2025）豫0482行初3号", "defendants": []string{"RZ", "RZ-ZRZYJ"},
			"plaintiff": "丙", "filed_on": "2025-03-06"}).want(201)
		e.do("POST", "/api/v1/litigation/cases", land, map[string]any{"case_number": "（2025）豫0482行初4号", "defendants": []string{"RZ", "RZ-GAJ"},
			"plaintiff": "丙", "filed_on": "2025-03-06"}).want(422)

		// Replacing the defendants moves the figures.
		cur := e.do("GET", joint, liaison, nil).want(200)
		c := e.do("PATCH", joint, liaison, map[string]any{"defendants": []string{"RZ-ZRZYJ", "钟楼街道"}}, "If-Match", cur.Header().Get("ETag")).want(200).json()
		if c["defendant"] != "RZ-ZRZYJ" || fmt.Sprint(c["defendants"]) != "[RZ-ZRZYJ RZ-ZL]" {
			t.Fatalf("patched %v %v", c["defendant"], c["defendants"])
		}
		c = e.do("PATCH", joint, liaison, map[string]any{"defendant": "RZ"}, "If-Match", fmt.Sprintf(`"%v"`, c["version"])).want(200).json()
		if fmt.Sprint(c["defendants"]) != "[RZ RZ-ZL]" {
			t.Fatalf("the first replaced: %v", c["defendants"])
		}
		items = stats("&group_by=agency")
		wantFigures(t, statsRow(t, items, "RZ-ZL", ""), map[string]any{"filed": 1, "lost": 1})
		wantFigures(t, statsRow(t, items, "RZ-ZRZYJ", ""), map[string]any{"filed": 2, "lost": 0})
		e.do("GET", joint, land, nil).want(404)
	})
}

// TestCoDefendantsImported: a 被告 cell naming several bodies, joined by 、
// or ；, records them all; a part that names no body rejects the row; the
// reconciliation compares the defendants as a set.
func TestCoDefendantsImported(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		liaison := e.as(jiefen.RoleCourtLiaison)
		rows := [][]string{caseload[0],
			{"（2025）豫0482行初201号", "甲", "汝州市人民政府、钟楼街道办事处", "强制拆除", "2025-03-01", "", "", "", "", ""},
			{"（2025）豫0482行初202号", "乙", "市政府；城管局; 钟楼街道", "强制拆除", "2025-03-02", "", "", "", "", ""},
			{"（2025）豫0482行初203号", "丙", "汝州市人民政府、汝州市人民法院", "行政赔偿", "2025-03-03", "", "", "", "", ""},
		}
		rep := e.do("POST", "/api/v1/litigation/imports", liaison, []byte(csvOf(rows)), "Content-Type", "text/csv").want(200).json()
		if rep["created"] != 2.0 || len(rep["rejected"].([]any)) != 1 {
			t.Fatalf("report %v", rep)
		}
		if r := rep["rejected"].([]any)[0].(map[string]any); r["row"] != 4.0 || r["field"] != "被告" || !strings.Contains(fmt.Sprint(r["message"]), "汝州市人民法院") {
			t.Errorf("rejected %v", r)
		}
		got := map[string][]string{}
		for _, it := range e.do("GET", "/api/v1/litigation/cases", liaison, nil).want(200).json()["items"].([]any) {
			c := it.(map[string]any)
			for _, d := range c["defendants"].([]any) {
				got[c["case_number"].(map[string]any)["canonical"].(string)] = append(got[c["case_number"].(map[string]any)["canonical"].(string)], d.(string))
			}
		}
		if !slices.Equal(got["（2025）豫0482行初201号"], []string{"RZ", "RZ-ZL"}) || !slices.Equal(got["（2025）豫0482行初202号"], []string{"RZ", "RZ-CGJ", "RZ-ZL"}) {
			t.Fatalf("defendants %v", got)
		}
		if diffs := e.do("GET", "/api/v1/litigation/reconciliation?from=2025-01-01&to=2025-12-31", liaison, nil).want(200).json()["items"].([]any); len(diffs) != 0 {
			t.Fatalf("differences after the import: %v", diffs)
		}
		// Re-importing the file changes nothing; the same defendants in
		// another order are no difference, one fewer is.
		again := e.do("POST", "/api/v1/litigation/imports", liaison, []byte(csvOf(rows)), "Content-Type", "text/csv").want(200).json()
		if again["created"] != 0.0 || again["updated"] != 0.0 || again["unchanged"] != 2.0 {
			t.Fatalf("again %v", again)
		}
		rows[1][2], rows[2][2] = "钟楼街道、汝州市人民政府", "市政府、城管局"
		e.do("POST", "/api/v1/litigation/imports", liaison, []byte(csvOf(rows[:3])), "Content-Type", "text/csv").want(200)
		diffs := e.do("GET", "/api/v1/litigation/reconciliation?from=2025-01-01&to=2025-12-31", liaison, nil).want(200).json()["items"].([]any)
		if len(diffs) != 1 {
			t.Fatalf("differences %v", diffs)
		}
		if d := diffs[0].(map[string]any); d["kind"] != "defendant" || d["case_number"] != "（2025）豫0482行初202号" || d["court"] != "RZ、RZ-CGJ" || d["platform"] != "RZ、RZ-CGJ、RZ-ZL" {
			t.Errorf("difference %v", d)
		}
	})
}
