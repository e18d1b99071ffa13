package httpapi_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"jiefen"
	"jiefen/internal/sqlstore/storetest"
)

func TestDeadlinesOverHTTP(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	tok := e.as(jiefen.RoleMediator)
	for _, tc := range []struct {
		query string
		want  map[string]any
	}{
		{"rule=reconsideration.acceptance_review&from=2024-09-27", map[string]any{"from": "2024-09-27", "due": "2024-10-10",
			"unit": "workdays", "n": 5.0, "rule": "reconsideration.acceptance_review", "basis": "行政复议法 第30条、第88条", "provisional": false,
			// openapi.json's example of a Deadline is this answer.
			"explanation": "自2024-09-28起算5个工作日；2024-09-29（星期日）调休上班，为工作日；2024-10-01至2024-10-07为国庆节假期，不计入；末日为2024-10-10"}},
		{"unit=workdays&n=5&from=2024-09-27", map[string]any{"due": "2024-10-10", "unit": "workdays", "n": 5.0}},
		{"rule=litigation.appeal_judgment&from=2025-09-17", map[string]any{"due": "2025-10-09", "unit": "days", "n": 15.0, "basis": "行政诉讼法 第85条"}},
		{"unit=days&n=15&from=2025-09-17", map[string]any{"due": "2025-10-09"}},
		{"unit=months&n=1&from=2024-01-31", map[string]any{"due": "2024-02-29"}},
		{"rule=mediation.people&from=2024-08-31", map[string]any{"due": "2024-09-30", "unit": "months", "n": 1.0}},
		{"rule=reconsideration.decision&from=2024-10-10", map[string]any{"due": "2024-12-09"}},
		{"rule=litigation.head_appearance_notice&from=2024-10-10", map[string]any{"due": "2024-10-07", "before": true}},
		{"rule=mediation.judicial_confirmation_application&from=2023-09-01", map[string]any{"due": "2023-10-07"}}, // 10/1 rest → 10/7 make-up Saturday
		{"unit=days&n=3&from=2009-09-28", map[string]any{"due": "2009-10-09"}},                                    // 2009 国庆 10/1–10/8
	} {
		m := e.do("GET", "/api/v1/deadlines?"+tc.query, tok, nil).want(http.StatusOK).json()
		for k, v := range tc.want {
			if m[k] != v {
				t.Errorf("?%s: %s = %v, want %v (%v)", tc.query, k, m[k], v, m)
			}
		}
		if m["explanation"] == "" || m["basis"] == "" {
			t.Errorf("?%s: no explanation or basis: %v", tc.query, m)
		}
	}
	for _, tc := range []struct {
		query, field string
	}{
		{"unit=days&n=5", "from"},
		{"unit=days&n=5&from=2024-02-30", "from"},
		{"unit=weeks&n=5&from=2024-02-01", "unit"},
		{"unit=days&n=0&from=2024-02-01", "n"},
		{"unit=days&n=x&from=2024-02-01", "n"},
		{"unit=days&from=2024-02-01", "n"},
		{"unit=months&n=500&from=2024-02-01", "n"},
		{"rule=no.such_rule&from=2024-02-01", "rule"},
		{"rule=litigation.defense&unit=days&n=3&from=2024-02-01", "rule"},
		{"unit=days&n=3&from=2006-06-01", "from"},
		{"unit=days&n=30&from=2036-12-20", "due"},
		{"unit=days&n=3&from=2040-01-04", "from"},
	} {
		res := e.do("GET", "/api/v1/deadlines?"+tc.query, tok, nil).want(422)
		if f := res.errorFields(); len(f) == 0 || f[0] != tc.field {
			t.Errorf("?%s: fields %v, want %s", tc.query, f, tc.field)
		}
	}
	for q, year := range map[string]string{"unit=days&n=3&from=2006-06-01": "2006", "unit=days&n=30&from=2036-12-20": "2037"} {
		if res := e.do("GET", "/api/v1/deadlines?"+q, tok, nil); !strings.Contains(res.Body.String(), year) {
			t.Errorf("?%s: the year is not named: %s", q, res.Body)
		}
	}
	// 2027's notice is not out: counted provisionally, and said so.
	for q, want := range map[string]string{
		"unit=months&n=1&from=2026-12-02":                        "2027-01-04", // raw Sat 1/2 → Mon 1/4
		"unit=days&n=30&from=2026-12-20":                         "2027-01-19",
		"rule=reconsideration.decision&from=2026-12-02":          "2027-02-01", // raw Sun 1/31
		"unit=workdays&n=5&from=2027-02-04":                      "2027-02-17", // 2/5–2/10 春节 with 补假
		"rule=mediation.people&from=2027-01-10":                  "2027-02-11", // raw 2/10, a 补假 day of 春节
		"unit=days&n=3&from=2027-01-04":                          "2027-01-07",
		"rule=reconsideration.acceptance_review&from=2026-12-28": "2027-01-05", // 12/29–12/31, 元旦, 1/4, 1/5
	} {
		m := e.do("GET", "/api/v1/deadlines?"+q, tok, nil).want(http.StatusOK).json()
		if m["due"] != want || m["provisional"] != true || !strings.Contains(m["basis"].(string), "2027年节假日安排国务院尚未公布") ||
			!strings.Contains(m["explanation"].(string), "暂计") {
			t.Errorf("?%s: %v, want due %s, provisional", q, m, want)
		}
	}
	if m := e.do("GET", "/api/v1/deadlines?unit=days&n=30&from=2026-11-01", tok, nil).want(http.StatusOK).json(); m["provisional"] != false {
		t.Errorf("within 2026: %v", m)
	}

	m := e.do("GET", "/api/v1/deadlines/rules", tok, nil).want(200).json()
	ids := map[string]string{}
	for _, it := range m["items"].([]any) {
		r := it.(map[string]any)
		ids[r["id"].(string)] = r["basis"].(string)
	}
	for _, id := range []string{"reconsideration.acceptance_review", "reconsideration.decision", "reconsideration.decision_simplified",
		"litigation.defense", "litigation.appeal_judgment", "litigation.appeal_ruling", "litigation.first_instance",
		"mediation.people", "mediation.judicial_confirmation_application", "reconsideration.materials_supply",
		"reconsideration.reply", "reconsideration.reply_simplified", "reconsideration.application", "litigation.sue_after_reconsideration",
		"litigation.sue_directly", "litigation.first_instance_simplified", "litigation.second_instance", "litigation.head_appearance_notice",
		"mediation.court_prefiling", "mediation.court_postfiling", "mediation.police_second_session", "petition.route", "petition.resolve",
		"liaison.judicial_suggestion_reply", "mediation.administrative"} {
		if ids[id] == "" {
			t.Errorf("rule %s missing or without basis", id)
		}
	}
}

func TestCalendarYearsOverHTTP(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		tok, admin := e.as(jiefen.RoleLeader), e.as(jiefen.RoleAdmin)
		for year, want := range map[string][3]int{"2024": {251, 28, 8}, "2025": {248, 28, 5}, "2026": {248, 33, 6}} {
			m := e.do("GET", "/api/v1/calendar/"+year, tok, nil).want(200).json()
			if int(m["working_days"].(float64)) != want[0] || len(m["holidays"].([]any)) != want[1] || len(m["make_up_workdays"].([]any)) != want[2] ||
				len(m["rest_days"].([]any))+want[0] != daysIn(year) || m["source"] != "shipped" {
				t.Errorf("%s: working %v, holidays %d, make-up %d, rest %d, source %v", year, m["working_days"],
					len(m["holidays"].([]any)), len(m["make_up_workdays"].([]any)), len(m["rest_days"].([]any)), m["source"])
			}
		}
		// 2027 is counted provisionally: its rest days, said so.
		if m := e.do("GET", "/api/v1/calendar/2027", tok, nil).want(200).json(); m["source"] != "provisional" ||
			len(m["holidays"].([]any)) != 19 || len(m["make_up_workdays"].([]any)) != 0 {
			t.Errorf("2027: %v", m)
		}
		e.do("GET", "/api/v1/calendar/2006", tok, nil).want(404)
		e.do("GET", "/api/v1/calendar/abc", tok, nil).want(422)
		// The loaded years: every shipped table from 2007 to 2026, in order.
		items := e.do("GET", "/api/v1/calendar", tok, nil).want(200).json()["items"].([]any)
		if len(items) != 20 {
			t.Fatalf("%d years listed, want 2007–2026", len(items))
		}
		for i, it := range items {
			y := it.(map[string]any)
			if int(y["year"].(float64)) != 2007+i || y["source"] != "shipped" {
				t.Errorf("item %d: %v", i, y)
			}
		}

		// A 2027 notice (test data in the published form), loaded without a release.
		notice := `{"year":2027,"title":"国务院办公厅关于2027年部分节假日安排的通知","days":[
			{"name":"元旦","date":"2027-01-01","isOffDay":true},{"name":"元旦","date":"2027-01-02","isOffDay":true},{"name":"元旦","date":"2027-01-03","isOffDay":true},
			{"name":"春节","date":"2027-02-06","isOffDay":true},{"name":"春节","date":"2027-02-07","isOffDay":true},{"name":"春节","date":"2027-02-08","isOffDay":true},
			{"name":"春节","date":"2027-02-09","isOffDay":true},{"name":"春节","date":"2027-02-10","isOffDay":true},{"name":"春节","date":"2027-02-11","isOffDay":true},
			{"name":"春节","date":"2027-02-12","isOffDay":true},{"name":"春节","date":"2027-02-13","isOffDay":true},{"name":"春节","date":"2027-02-14","isOffDay":true},
			{"name":"春节","date":"2027-02-20","isOffDay":false}]}`
		e.do("PUT", "/api/v1/calendar/2027", tok, notice).want(403)
		e.do("PUT", "/api/v1/calendar/2028", admin, notice).want(422)
		far := time.Now().Year() + 2
		if f := e.do("PUT", fmt.Sprintf("/api/v1/calendar/%d", far), admin, fmt.Sprintf(`{"year":%d,"days":[{"name":"元旦","date":"%d-01-01","isOffDay":true}]}`, far, far)).
			want(422).errorFields(); len(f) != 1 || f[0] != "year" {
			t.Errorf("a notice two years ahead: fields %v", f)
		}
		e.do("PUT", "/api/v1/calendar/2027", admin, `{"year":2027,"days":[{"date":"2027-13-01","isOffDay":true}]}`).want(422)
		res := e.do("PUT", "/api/v1/calendar/2027", admin, notice).want(200)
		if res.Header().Get("ETag") != `"1"` {
			t.Fatalf("ETag %q", res.Header().Get("ETag"))
		}
		if m := res.json(); m["source"] != "database" || len(m["make_up_workdays"].([]any)) != 1 {
			t.Fatalf("loaded %v", m)
		}
		// 2026-12-20 + 30 days = 2027-01-19 (Tue), now official.
		m := e.do("GET", "/api/v1/deadlines?unit=days&n=30&from=2026-12-20", tok, nil).want(200).json()
		if m["due"] != "2027-01-19" || m["provisional"] != false || strings.Contains(m["basis"].(string), "暂计") {
			t.Fatalf("into 2027: %v", m)
		}
		// 2027-02-05 + 10 workdays: 2/15..2/19 (5), 2/20 make-up Saturday (6), 2/22..2/25 (10).
		m = e.do("GET", "/api/v1/deadlines?unit=workdays&n=10&from=2027-02-05", tok, nil).want(200).json()
		if m["due"] != "2027-02-25" {
			t.Fatalf("2027 workdays: %v", m)
		}
		e.do("PUT", "/api/v1/calendar/2027", admin, notice, "If-Match", `"0"`).want(412)
		e.do("PUT", "/api/v1/calendar/2027", admin, notice, "If-Match", `"1"`).want(200)
		entries := e.do("GET", "/api/v1/audit?action=calendar.put", e.as(jiefen.RoleAuditor), nil).want(200).json()["items"].([]any)
		if len(entries) != 2 {
			t.Fatalf("calendar.put audit entries: %d", len(entries))
		}
	})
}

func TestReadyzWarnsOfMissingNextYear(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	e.db.Now = func() time.Time { return time.Date(2026, 11, 1, 1, 0, 0, 0, time.UTC) }
	m := e.do("GET", "/readyz", "", nil).want(200).json()
	if w := m["checks"].(map[string]any)["calendar"].(string); !strings.Contains(w, "2027") {
		t.Fatalf("readyz calendar check %q", w)
	}
	if body := e.do("GET", "/metrics", "", nil).Body.String(); !strings.Contains(body, "jiefen_calendar_table_missing 1") {
		t.Fatal("metric does not report the missing table")
	}
	e.db.Now = func() time.Time { return time.Date(2026, 10, 31, 15, 0, 0, 0, time.UTC) } // 10/31 23:00 in Shanghai
	if m := e.do("GET", "/readyz", "", nil).want(200).json(); m["checks"].(map[string]any)["calendar"] != "ok" {
		t.Fatalf("before 1 November: %v", m)
	}
}

func daysIn(year string) int {
	if year == "2024" {
		return 366
	}
	return 365
}
