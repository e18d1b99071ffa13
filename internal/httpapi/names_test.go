package httpapi_test

import (
	"fmt"
	"testing"

	"jiefen"
)

// TestNamesBesideCodes: every answer that carries an agency's or a user's
// org code carries its name beside it (agency_name, org_name), and the
// first-instance suits behind 一审收案 are exactly the filed figure of
// 双下降 for the city, while 全部收案 (stats filed) also counts the appeal.
func TestNamesBesideCodes(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		liaison, leader := e.as(jiefen.RoleCourtLiaison), e.as(jiefen.RoleLeader)
		file := func(number, defendant string) string {
			t.Helper()
			return e.do("POST", "/api/v1/litigation/cases", liaison, map[string]any{"case_number": number, "defendant": defendant,
				"plaintiff": "原告甲", "cause": "行政处罚", "filed_on": "2025-04-01"}).want(201).Header().Get("Location")
		}
		file("（2025）豫0482行初1号", "公安局")
		file("（2025）豫0482行初2号", "市政府")
		file("（2025）豫0482行赔初3号", "公安局")
		file("（2025）豫04行终4号", "公安局") // an appeal: 全部收案, not 一审收案

		all := e.do("GET", "/api/v1/litigation/stats?from=2025-01-01&to=2025-12-31", leader, nil).want(200).json()["items"].([]any)[0].(map[string]any)
		dd := e.do("GET", "/api/v1/litigation/double-decline?year=2025", leader, nil).want(200).json()
		first := e.do("GET", "/api/v1/litigation/stats/cases?figure=filed&instance=first&from=2025-01-01&to=2025-12-31", leader, nil).want(200).json()["items"].([]any)
		if all["filed"] != 4.0 || dd["city"].(map[string]any)["filed"] != 3.0 || len(first) != 3 {
			t.Errorf("全部收案 %v, 双下降 全市 %v, 一审 cases %d; want 4, 3, 3", all["filed"], dd["city"].(map[string]any)["filed"], len(first))
		}
		for _, c := range first {
			if n := c.(map[string]any)["case_number"].(map[string]any)["canonical"]; n == "（2025）豫04行终4号" {
				t.Errorf("the appeal is among the first-instance cases")
			}
		}
		res := e.do("GET", "/api/v1/litigation/stats/cases?figure=filed&instance=second&from=2025-01-01&to=2025-12-31", leader, nil).want(422)
		if f := res.errorFields(); len(f) != 1 || f[0] != "instance" {
			t.Errorf("instance=second: %s", res.Body)
		}

		iv := e.do("POST", "/api/v1/litigation/interviews", leader, map[string]any{"agency": "公安局", "held_on": "2025-12-01", "interviewee": "局长"}).want(201).json()
		if iv["agency_code"] != "RZ-GAJ" || iv["agency_name"] != "汝州市公安局" {
			t.Errorf("interview created: %v / %v", iv["agency_code"], iv["agency_name"])
		}
		ivs := e.do("GET", "/api/v1/litigation/interviews?year=2025", leader, nil).want(200).json()["items"].([]any)
		if len(ivs) != 1 || ivs[0].(map[string]any)["agency_name"] != "汝州市公安局" {
			t.Errorf("interviews listed: %v", ivs)
		}

		staff := e.user("names-gaj", jiefen.RoleAgencyStaff, "RZ-GAJ")
		me := e.do("GET", "/api/v1/auth/me", staff, nil).want(200).json()
		if me["org"] != "RZ-GAJ" || me["org_name"] != "汝州市公安局" {
			t.Errorf("me: org %v, org_name %v", me["org"], me["org_name"])
		}
		users := e.do("GET", "/api/v1/users?limit=200", e.as(jiefen.RoleAdmin), nil).want(200).json()["items"].([]any)
		found := false
		for _, u := range users {
			if u := u.(map[string]any); u["username"] == "names-gaj" {
				found = fmt.Sprint(u["org_name"]) == "汝州市公安局"
			}
		}
		if !found {
			t.Errorf("the user list does not name names-gaj's org")
		}
	})
}
