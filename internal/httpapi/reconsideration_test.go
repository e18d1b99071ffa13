package httpapi_test

import (
	"fmt"
	"strings"
	"testing"

	"jiefen"
)

// TestReconsiderationWorkedExample is the done-when over HTTP: an
// application received on Fri 2024-09-27 has its review due 10/10;
// accepted on 10/08 its 60-day decision clock is due Mon 12/09; a 10-day
// suspension and a 30-day extension move it to Thu 2025-01-16; the
// decision closes it and the statistics count it.
func TestReconsiderationWorkedExample(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		fuyi, leader := e.as(jiefen.RoleReconsideration), e.as(jiefen.RoleLeader)
		staff := e.user("zrzy-legal", jiefen.RoleAgencyStaff, "RZ-ZRZYJ")
		otherStaff := e.user("gaj-legal", jiefen.RoleAgencyStaff, "RZ-GAJ")
		body := map[string]any{"applicant": map[string]any{"name": "张三", "id_number": idA, "phone": "13812345678"},
			"respondent": "RZ-ZRZYJ", "act": "不予办理不动产登记的决定", "received_on": "2024-09-27"}
		bad := e.do("POST", "/api/v1/reconsideration/cases", fuyi, map[string]any{"applicant": map[string]any{"name": "", "id_number": idA[:17] + "0"},
			"respondent": "NOPE", "received_on": "2099-01-01", "procedure": "fast"}).want(422)
		for _, f := range []string{"applicant.name", "applicant.id_number", "act", "received_on", "procedure"} {
			if !strings.Contains(strings.Join(bad.errorFields(), ","), f) {
				t.Errorf("no problem with %s in %v", f, bad.errorFields())
			}
		}
		e.do("POST", "/api/v1/reconsideration/cases", fuyi, map[string]any{"applicant": map[string]any{"name": "张三"}, "respondent": "NOPE", "act": "x"}).want(422)
		created := e.do("POST", "/api/v1/reconsideration/cases", fuyi, body).want(201)
		rc := created.json()
		path := created.Header().Get("Location")
		if app := rc["applicant"].(map[string]any); strings.Contains(fmt.Sprint(app), idA) || app["phone"] != "138****5678" {
			t.Fatalf("personal data in clear: %v", app)
		}
		if k := clockOf(t, rc, "reconsideration.acceptance_review"); k["due"] != "2024-10-10" || !strings.Contains(k["basis"].(string), "第30条") {
			t.Fatalf("review %v", k)
		}
		// By name or alias too.
		e.do("POST", "/api/v1/reconsideration/cases", fuyi, map[string]any{"applicant": map[string]any{"name": "李四"},
			"respondent": "公安局", "act": "行政处罚", "received_on": "2024-11-04", "procedure": "simplified"}).want(201)

		e.do("GET", path, otherStaff, nil).want(404)
		e.do("GET", path, staff, nil).want(200)
		// Entered after the fact, the case shows deemed accepted until the
		// acceptance of 10/08, within the review period, is recorded.
		if rc["deemed_accepted"] != true {
			t.Fatalf("an application of 2024 not reviewed: %v", rc)
		}
		e.do("POST", path+"/acceptance", staff, map[string]any{"decision": "accept"}).want(403)
		e.do("POST", path+"/acceptance", fuyi, map[string]any{"decision": "maybe", "on": "2024-10-08"}).want(422)
		rc = e.do("POST", path+"/acceptance", fuyi, map[string]any{"decision": "accept", "on": "2024-10-08"}).want(200).json()
		if k := clockOf(t, rc, "reconsideration.decision"); rc["state"] != "accepted" || k["from"] != "2024-10-08" || k["due"] != "2024-12-09" ||
			!strings.Contains(k["basis"].(string), "第62条") {
			t.Fatalf("accepted %v", rc)
		}
		// Copied Thu 10/10: ten working days, Sat 10/12 (make-up) among them, to 10/23.
		e.do("POST", path+"/copy", fuyi, map[string]any{"on": "2024-10-10"}).want(200)
		e.do("POST", path+"/reply", otherStaff, map[string]any{"text": "答复"}).want(404)
		rc = e.do("POST", path+"/reply", staff, map[string]any{"on": "2024-10-18", "text": "被申请人认为登记决定合法", "evidence": []string{"登记申请表", "现场照片"}}).want(200).json()
		if k := clockOf(t, rc, "reconsideration.reply"); k["state"] != "met" || k["due"] != "2024-10-23" ||
			rc["reply"].(map[string]any)["by"] != "zrzy-legal" {
			t.Fatalf("reply %v", rc)
		}
		e.do("POST", path+"/reply", staff, map[string]any{"on": "2024-10-19", "text": "补充答复"}).want(409)
		e.do("POST", path+"/suspensions", fuyi, map[string]any{"on": "2024-11-01"}).want(422)
		e.do("POST", path+"/suspensions", fuyi, map[string]any{"on": "2024-11-01", "reason": "需以相关民事案件结果为依据"}).want(200)
		e.do("POST", path+"/decision", fuyi, map[string]any{"on": "2024-11-05", "result": "upheld"}).want(409)
		rc = e.do("POST", path+"/resumptions", fuyi, map[string]any{"on": "2024-11-11"}).want(200).json()
		// The raw last day 12/07 moves by the 10 days suspended: Tue 12/17.
		if k := clockOf(t, rc, "reconsideration.decision"); k["due"] != "2024-12-17" {
			t.Fatalf("after a 10-day suspension %v", k)
		}
		e.do("POST", path+"/extension", fuyi, map[string]any{"on": "2024-12-02", "days": 31, "reason": "案情复杂"}).want(422)
		rc = e.do("POST", path+"/extension", fuyi, map[string]any{"on": "2024-12-02", "days": 30, "reason": "案情复杂"}).want(200).json()
		if k := clockOf(t, rc, "reconsideration.decision"); k["due"] != "2025-01-16" {
			t.Fatalf("after the extension %v", k)
		}
		e.do("POST", path+"/extension", fuyi, map[string]any{"on": "2024-12-03", "days": 5, "reason": "again"}).want(409)
		rc = e.do("POST", path+"/decision", fuyi, map[string]any{"on": "2025-01-10", "result": "annulled", "reason": "事实不清"}).want(200).json()
		if k := clockOf(t, rc, "reconsideration.decision"); rc["state"] != "decided" || k["state"] != "met" {
			t.Fatalf("decided %v", rc)
		}

		for doc, want := range map[string]string{"acceptance_notice": "行政复议受理通知书", "decision": "行政复议决定书"} {
			page := e.do("GET", path+"/documents/"+doc, staff, nil).want(200)
			if body := page.Body.String(); !strings.Contains(body, want) || !strings.Contains(body, "汝州市人民政府") || strings.Contains(body, idA) {
				t.Fatalf("%s: %.300s", doc, body)
			}
		}
		e.do("GET", path+"/documents/other", staff, nil).want(404)
		st := e.do("GET", "/api/v1/reconsideration/stats?from=2024-01-01&to=2025-12-31", leader, nil).want(200).json()
		if st["received"] != float64(2) || st["accepted"] != float64(2) || st["decided"] != float64(1) || st["corrected"] != float64(1) ||
			st["correction_rate"] != float64(1) || st["correction_rate_basis"] != "concluded" {
			t.Fatalf("stats %v", st)
		}
		if by := st["by_respondent"].([]any); len(by) != 2 {
			t.Fatalf("by respondent %v", by)
		}
		e.do("GET", "/api/v1/reconsideration/stats?from=2024-01-01", leader, nil).want(422)
		if items := e.do("GET", "/api/v1/reconsideration/cases", staff, nil).want(200).json()["items"].([]any); len(items) != 1 {
			t.Fatalf("the agency's staff see %d cases", len(items))
		}
		if items := e.do("GET", "/api/v1/reconsideration/cases?state=decided", fuyi, nil).want(200).json()["items"].([]any); len(items) != 1 {
			t.Fatalf("decided cases %v", items)
		}
	})
}

// TestReconsiderationDeemedAndCommittee: a simplified case nobody reviewed
// is deemed accepted when its review runs out; a major case needs the
// committee's opinion before its decision (Art. 52).
func TestReconsiderationDeemedAndCommittee(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		fuyi := e.as(jiefen.RoleReconsideration)
		rc := e.do("POST", "/api/v1/reconsideration/cases", fuyi, map[string]any{"applicant": map[string]any{"name": "王五"},
			"respondent": "RZ-ZRZYJ", "act": "土地确权决定", "received_on": "2024-09-27", "major": true}).want(201).json()
		if rc["state"] != "accepted" || rc["deemed_accepted"] != true || rc["accepted_on"] != "2024-10-10" {
			t.Fatalf("not deemed accepted: %v", rc)
		}
		path := "/api/v1/reconsideration/cases/" + fmt.Sprint(rc["id"])
		e.do("POST", path+"/acceptance", fuyi, map[string]any{"decision": "reject", "reason": "x"}).want(409)
		res := e.do("POST", path+"/decision", fuyi, map[string]any{"on": "2024-11-20", "result": "upheld"}).want(422)
		if f := res.errorFields(); len(f) != 1 || f[0] != "committee_reviews" || !strings.Contains(res.Body.String(), "第52条") {
			t.Fatalf("decision without the committee: %s", res.Body)
		}
		e.do("POST", path+"/hearings", fuyi, map[string]any{"on": "2024-11-12", "noticed_on": "2024-11-08", "place": "复议听证室"}).want(200)
		rc = e.do("POST", path+"/committee_reviews", fuyi, map[string]any{"on": "2024-11-15", "opinion": "建议维持"}).want(200).json()
		// The notice of a hearing on Tue 11/12 was due five working days
		// before: Tue 11/05; sent 11/08, late (超期).
		if k := clockOf(t, rc, "reconsideration.hearing_notice"); k["due"] != "2024-11-05" || k["state"] != "late" || k["kind"] != "duty" {
			t.Fatalf("hearing notice %v", k)
		}
		e.do("POST", path+"/decision", fuyi, map[string]any{"on": "2024-11-20", "result": "upheld"}).want(200)
	})
}

// TestTransferToReconsideration: a dispute moved to the reconsideration
// track opens the case of its applicant against the named agency's act,
// and the dispute's routing names it.
func TestTransferToReconsideration(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		intake, fuyi := e.as(jiefen.RoleIntake), e.as(jiefen.RoleReconsideration)
		d := e.do("POST", "/api/v1/disputes", intake, dispute("walk_in", "land_requisition", "煤山街道", "on", "2025-03-03")).want(201).json()
		path := "/api/v1/disputes/" + fmt.Sprint(d["id"]) + "/transfers"
		bad := e.do("POST", path, intake, map[string]any{"to_track": "reconsideration", "to_org_code": "RZ", "reason": "对征收补偿决定不服"}).want(422)
		if f := strings.Join(bad.errorFields(), ","); f != "respondent,act" {
			t.Fatalf("fields %s", f)
		}
		e.do("POST", path, intake, map[string]any{"to_track": "reconsideration", "to_org_code": "RZ", "reason": "x", "respondent": "NOPE", "act": "x"}).want(422)
		moved := e.do("POST", path, intake, map[string]any{"to_track": "reconsideration", "to_org_code": "RZ", "reason": "对征收补偿决定不服",
			"respondent": "自然资源局", "act": "征收补偿决定", "on": "2025-03-10"}).want(200).json()
		id := routingOf(moved)["case_id"]
		if id == nil {
			t.Fatalf("no reconsideration case: %v", routingOf(moved))
		}
		rc := e.do("GET", "/api/v1/reconsideration/cases/"+fmt.Sprint(id), fuyi, nil).want(200).json()
		if rc["dispute_code"] != d["code"] || rc["respondent"] != "RZ-ZRZYJ" || rc["received_on"] != "2025-03-10" ||
			rc["applicant"].(map[string]any)["name"] != "张三" || rc["act"] != "征收补偿决定" {
			t.Fatalf("opened %v", rc)
		}
	})
}
