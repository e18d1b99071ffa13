package httpapi_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"jiefen"
)

// notice2027 stands in for the State Council's 2027 notice, in its
// published form: 元旦 1/1–1/3, 春节 2/6–2/13 with make-up working Sundays
// 1/31 and 2/20. The real notice will differ; what matters is that it
// differs from the provisional calendar, which makes no Sunday a working
// day.
const notice2027 = `{"year":2027,"title":"国务院办公厅关于2027年部分节假日安排的通知（测试）","days":[
	{"name":"元旦","date":"2027-01-01","isOffDay":true},{"name":"元旦","date":"2027-01-02","isOffDay":true},{"name":"元旦","date":"2027-01-03","isOffDay":true},
	{"name":"春节","date":"2027-01-31","isOffDay":false},
	{"name":"春节","date":"2027-02-06","isOffDay":true},{"name":"春节","date":"2027-02-07","isOffDay":true},{"name":"春节","date":"2027-02-08","isOffDay":true},
	{"name":"春节","date":"2027-02-09","isOffDay":true},{"name":"春节","date":"2027-02-10","isOffDay":true},{"name":"春节","date":"2027-02-11","isOffDay":true},
	{"name":"春节","date":"2027-02-12","isOffDay":true},{"name":"春节","date":"2027-02-13","isOffDay":true},
	{"name":"春节","date":"2027-02-20","isOffDay":false}]}`

// TestClocksProvisionalUntilTheNoticeIsLoaded is the scenario on
// 2026-12-02, before 2027's holiday notice is out: a police referral, a
// people's mediation accepted today and a reconsideration accepted today
// all have due days, marked provisional with the reason; loading the
// notice makes every one official on its next read, and the stored day
// that orders the queue follows.
func TestClocksProvisionalUntilTheNoticeIsLoaded(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.db.Now = func() time.Time { return time.Date(2026, 12, 2, 2, 0, 0, 0, time.UTC) } // 10:00 in 汝州
		intake, fuyi, admin := e.as(jiefen.RoleIntake), e.as(jiefen.RoleReconsideration), e.as(jiefen.RoleAdmin)
		med := e.user("med-zl", jiefen.RoleMediator, "RZ-ZL-TWH")
		provisional := func(what string, k map[string]any, due string) {
			t.Helper()
			if k["due"] != due || k["provisional"] != true || !strings.Contains(fmt.Sprint(k["basis"]), "2027年节假日安排国务院尚未公布") {
				t.Errorf("%s: %v, want due %s, provisional, and why", what, k, due)
			}
		}
		official := func(what string, k map[string]any, due string) {
			t.Helper()
			if k["due"] != due || k["provisional"] != false || strings.Contains(fmt.Sprint(k["basis"]), "暂计") {
				t.Errorf("%s: %v, want due %s, official", what, k, due)
			}
		}

		// The legal clock: one month from today ends Sat 2027-01-02 → Mon 1/4.
		provisional("deadline", e.do("GET", "/api/v1/deadlines?unit=months&n=1&from=2026-12-02", med, nil).want(200).json(), "2027-01-04")

		// A police referral today: the track's clock before acceptance.
		d := e.do("POST", "/api/v1/disputes", intake, dispute("police", "neighbour", "钟楼街道", "on", "2026-12-02", "occurred_on", "2026-12-01")).want(201).json()
		provisional("routing at intake", routingOf(d), "2027-01-04")
		casePath := fmt.Sprintf("/api/v1/mediation/cases/%v", routingOf(d)["case_id"])
		disputePath := fmt.Sprintf("/api/v1/disputes/%v", d["id"])
		provisional("routing read back", routingOf(e.do("GET", disputePath, intake, nil).want(200).json()), "2027-01-04")

		// Accepted today: the duty runs, due 2027-01-04, provisional.
		mc := e.do("POST", casePath+"/accept", med, map[string]any{}).want(200).json()
		k := clockOf(t, mc, "mediation.people")
		provisional("mediation clock", k, "2027-01-04")
		if k["kind"] != "duty" || k["state"] != "running" || k["from"] != "2026-12-02" {
			t.Errorf("mediation clock %v", k)
		}

		// A reconsideration accepted today: 60 days end Sun 2027-01-31 → Mon 2/1.
		rc := e.do("POST", "/api/v1/reconsideration/cases", fuyi, map[string]any{"applicant": map[string]any{"name": "王某某"},
			"respondent": "RZ-ZRZYJ", "act": "不予办理不动产登记的决定"}).want(201).json()
		reconPath := fmt.Sprintf("/api/v1/reconsideration/cases/%v", rc["id"])
		e.do("POST", reconPath+"/acceptance", fuyi, map[string]any{"decision": "accept"}).want(200)
		e.do("POST", reconPath+"/copy", fuyi, map[string]any{}).want(200)
		rc = e.do("POST", reconPath+"/reply", fuyi, map[string]any{"text": "答复意见", "evidence": []string{"登记簿"}}).want(200).json()
		provisional("decision clock", clockOf(t, rc, "reconsideration.decision"), "2027-02-01")
		nextDue := func() string {
			var stored string
			if err := e.db.SQL().QueryRow("SELECT next_due FROM reconsideration_cases WHERE id = ?", rc["id"]).Scan(&stored); err != nil {
				t.Fatal(err)
			}
			return stored[:10]
		}
		if got := nextDue(); got != "2027-02-01" {
			t.Errorf("stored next_due %s, want the decision's 2027-02-01", got)
		}

		// The notice comes out and is loaded.
		e.do("PUT", "/api/v1/calendar/2027", admin, notice2027).want(200)

		official("deadline", e.do("GET", "/api/v1/deadlines?unit=months&n=1&from=2026-12-02", med, nil).want(200).json(), "2027-01-04")
		official("mediation clock", clockOf(t, e.do("GET", casePath, med, nil).want(200).json(), "mediation.people"), "2027-01-04")
		official("routing", routingOf(e.do("GET", disputePath, intake, nil).want(200).json()), "2027-01-04")
		// Sun 2027-01-31 is a working day in the notice: the decision is due then.
		official("decision clock", clockOf(t, e.do("GET", reconPath, fuyi, nil).want(200).json(), "reconsideration.decision"), "2027-01-31")
		// The reconsideration queue is ordered on the official day too.
		items := e.do("GET", "/api/v1/reconsideration/cases", fuyi, nil).want(200).json()["items"].([]any)
		if len(items) != 1 || clockOf(t, items[0].(map[string]any), "reconsideration.decision")["due"] != "2027-01-31" {
			t.Errorf("queue %v", items)
		}
		if got := nextDue(); got != "2027-01-31" {
			t.Errorf("stored next_due %s after the notice, want 2027-01-31", got)
		}
	})
}
