package httpapi_test

import (
	"fmt"
	"strings"
	"testing"

	"jiefen"
)

// registerMasked registers a neighbour dispute with the free text field
// (title, description) as given whole, checks that the creation, a read
// and the list answer it masked as given, and returns the dispute created.
func registerMasked(t *testing.T, e *env, field, whole, masked string) map[string]any {
	t.Helper()
	leader := e.as(jiefen.RoleLeader)
	d := e.do("POST", "/api/v1/disputes", e.as(jiefen.RoleIntake), dispute("police", "neighbour", "煤山街道", field, whole)).want(201).json()
	if d[field] != masked {
		t.Errorf("created: %s %q, want %q", field, d[field], masked)
	}
	if got := e.do("GET", "/api/v1/disputes/"+fmt.Sprint(d["id"]), leader, nil).want(200).json()[field]; got != masked {
		t.Errorf("read: %s %q, want %q", field, got, masked)
	}
	items := e.do("GET", "/api/v1/disputes", leader, nil).want(200).json()["items"].([]any)
	if got := items[0].(map[string]any)[field]; got != masked {
		t.Errorf("listed: %s %q, want %q", field, got, masked)
	}
	return d
}

// TestFreeTextMaskedInAnswers: the ID numbers and phones typed into a
// dispute's description and a mediation case's records come masked in
// every answer; a role that may unmask gets them whole with ?unmask=true,
// which is audited; a role that may not is refused.
func TestFreeTextMaskedInAnswers(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		intake, leader, auditor := e.as(jiefen.RoleIntake), e.as(jiefen.RoleLeader), e.as(jiefen.RoleAuditor)
		med := e.user("med-ms", jiefen.RoleMediator, "RZ-MS-TWH")
		const (
			whole  = "申请人张三，身份证号" + idA + "，电话139-1234-5678，称邻居（2024）豫0482民初12号案未履行120000元。"
			masked = "申请人张三，身份证号410***********1232，电话139-****-5678，称邻居（2024）豫0482民初12号案未履行120000元。"
		)
		d := registerMasked(t, e, "description", whole, masked)
		id := fmt.Sprint(d["id"])
		e.do("GET", "/api/v1/disputes/"+id+"?unmask=true", leader, nil).want(403)
		if got := e.do("GET", "/api/v1/disputes/"+id+"?unmask=true", intake, nil).want(200).json()["description"]; got != whole {
			t.Errorf("unmasked: description %q, want %q", got, whole)
		}
		entries := e.do("GET", "/api/v1/audit?action=dispute.unmask", auditor, nil).want(200).json()["items"].([]any)
		if len(entries) != 1 || entries[0].(map[string]any)["target_id"] != d["code"] {
			t.Errorf("unmask audit %v", entries)
		}

		path := "/api/v1/mediation/cases/" + fmt.Sprint(routingOf(d)["case_id"])
		e.do("POST", path+"/accept", med, map[string]any{"on": "2025-09-01"}).want(200)
		record := "张三补充：李四手机13812345678"
		mc := e.do("POST", path+"/sessions", med, map[string]any{"on": "2025-09-03", "place": "煤山街道调委会",
			"attendees": []string{"张三", "李四"}, "record": record}).want(200).json()
		if got := mc["sessions"].([]any)[0].(map[string]any)["record"]; got != "张三补充：李四手机138****5678" {
			t.Errorf("action answer: record %q, want it masked", got)
		}
		terms := "李四向张三（身份证" + idA + "）赔偿1200元"
		e.do("POST", path+"/agreement", med, map[string]any{"on": "2025-09-05", "terms": terms, "amount_fen": 120000,
			"effective_on": "2025-09-05"}).want(200)
		mc = e.do("GET", path, leader, nil).want(200).json()
		if got := mc["agreement"].(map[string]any)["terms"]; got != "李四向张三（身份证410***********1232）赔偿1200元" {
			t.Errorf("read: terms %q, want them masked", got)
		}
		queue := e.do("GET", "/api/v1/mediation/cases", med, nil).want(200).json()["items"].([]any)
		if body := fmt.Sprint(queue); strings.Contains(body, idA) || strings.Contains(body, "13812345678") {
			t.Errorf("the queue shows a number in clear: %s", body)
		}
		e.do("GET", path+"?unmask=true", leader, nil).want(403)
		mc = e.do("GET", path+"?unmask=true", med, nil).want(200).json()
		if mc["sessions"].([]any)[0].(map[string]any)["record"] != record || mc["agreement"].(map[string]any)["terms"] != terms {
			t.Errorf("unmasked: %v %v, want the texts whole", mc["sessions"], mc["agreement"])
		}
		entries = e.do("GET", "/api/v1/audit?action=mediation_case.unmask", auditor, nil).want(200).json()["items"].([]any)
		if len(entries) != 1 || entries[0].(map[string]any)["target_id"] != fmt.Sprint(routingOf(d)["case_id"]) {
			t.Errorf("unmask audit %v", entries)
		}

		// A transfer's reason, as the desk typed it, comes masked in the
		// routing and the history.
		reason := "当事人要求诉前委派，联系电话13812345678"
		tr := e.do("POST", "/api/v1/disputes/"+id+"/transfers", intake, map[string]any{"to_track": "judicial", "to_org_code": "RZ-FY",
			"reason": reason}).want(200).json()
		h := tr["history"].([]any)
		if routingOf(tr)["reason"] != "当事人要求诉前委派，联系电话138****5678" || h[len(h)-1].(map[string]any)["reason"] != routingOf(tr)["reason"] {
			t.Errorf("transferred: reasons %v and %v, want them masked", routingOf(tr)["reason"], h[len(h)-1])
		}
		full := e.do("GET", "/api/v1/disputes/"+id+"?unmask=true", intake, nil).want(200).json()
		if h := full["history"].([]any); routingOf(full)["reason"] != reason || h[len(h)-1].(map[string]any)["reason"] != reason {
			t.Errorf("unmasked: reasons %v and %v, want them whole", routingOf(full)["reason"], h[len(h)-1])
		}

		// The agreement printed for the file is masked; the copy the
		// parties sign, unmasked, has their numbers.
		page := e.do("GET", path+"/agreement", med, nil).want(200).Body.String()
		if strings.Contains(page, idA) || !strings.Contains(page, "410***********1232") || strings.Contains(page, "1234-5678") {
			t.Errorf("the masked print shows a number in clear, or lacks the masked one")
		}
		page = e.do("GET", path+"/agreement?unmask=true", med, nil).want(200).Body.String()
		if !strings.Contains(page, terms) || !strings.Contains(page, "139-1234-5678") {
			t.Errorf("the unmasked print lacks the whole terms or facts")
		}
	})
}

// TestTitleAndSessionMaskedInAnswers: the ID numbers and phones typed into
// a dispute's title and into a mediation session's place and attendees
// come masked in every answer (the dispute, the list, the case, the
// queue); the roles that may unmask get them whole.
func TestTitleAndSessionMaskedInAnswers(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		intake := e.as(jiefen.RoleIntake)
		med := e.user("med-ms", jiefen.RoleMediator, "RZ-MS-TWH")
		const (
			title  = "张三（电话１３８－１２３４－５６７８）诉李四排水纠纷"
			masked = "张三（电话１３８－****－５６７８）诉李四排水纠纷"
		)
		d := registerMasked(t, e, "title", title, masked)
		id := fmt.Sprint(d["id"])
		if got := e.do("GET", "/api/v1/disputes/"+id+"?unmask=true", intake, nil).want(200).json()["title"]; got != title {
			t.Errorf("unmasked: title %q, want %q", got, title)
		}

		path := "/api/v1/mediation/cases/" + fmt.Sprint(routingOf(d)["case_id"])
		e.do("POST", path+"/accept", med, map[string]any{"on": "2025-09-01"}).want(200)
		place, attendee := "李四家（座机0375-1234567）", "李四（ID"+idA+"）"
		mc := e.do("POST", path+"/sessions", med, map[string]any{"on": "2025-09-03", "place": place,
			"attendees": []string{"张三", attendee}, "record": "双方陈述"}).want(200).json()
		s := mc["sessions"].([]any)[0].(map[string]any)
		if mc["title"] != masked || s["place"] != "李四家（座机0375-***4567）" ||
			fmt.Sprint(s["attendees"]) != "[张三 李四（ID410***********1232）]" {
			t.Errorf("action answer: title %v, session %v, want them masked", mc["title"], s)
		}
		queue := e.do("GET", "/api/v1/mediation/cases", med, nil).want(200).json()["items"].([]any)
		if body := fmt.Sprint(queue); strings.Contains(body, idA) || strings.Contains(body, "１２３４") || strings.Contains(body, "1234567") {
			t.Errorf("the queue shows a number in clear: %s", body)
		}
		mc = e.do("GET", path+"?unmask=true", med, nil).want(200).json()
		s = mc["sessions"].([]any)[0].(map[string]any)
		if mc["title"] != title || s["place"] != place || s["attendees"].([]any)[1] != attendee {
			t.Errorf("unmasked: title %v, session %v, want them whole", mc["title"], s)
		}
	})
}
