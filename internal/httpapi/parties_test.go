package httpapi_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"jiefen"
)

// Credit codes of the tests: their check characters computed by GB
// 32100-2015's algorithm (see creditcode_test.go in package jiefen).
const (
	creditA = "91410482MA47BQ8J76"
	creditB = "93410482MA44CR1X18"
)

// orgParty is an organisation party of a request.
func orgParty(role, name, code string) map[string]any {
	return map[string]any{"role": role, "kind": "organisation", "name": name, "credit_code": code}
}

// partyOf returns the i-th party of a dispute.
func partyOf(d map[string]any, i int) map[string]any { return d["parties"].([]any)[i].(map[string]any) }

// messageOf returns the message of the error's field f.
func messageOf(t *testing.T, r response, f string) string {
	t.Helper()
	e, _ := r.json()["error"].(map[string]any)
	fs, _ := e["fields"].([]any)
	for _, x := range fs {
		if m := x.(map[string]any); m["field"] == f {
			return m["message"].(string)
		}
	}
	t.Fatalf("no problem with %s in %s", f, r.Body)
	return ""
}

// TestOrganisationParties: a dispute's party may be an organisation with
// a credit code, which is normalised (upper case, no spaces), checked and
// shown as it is to every role, never masked; an organisation has no ID
// number; a party of no kind is a person, as before. The routing preview
// checks the same.
func TestOrganisationParties(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		intake, leader := e.as(jiefen.RoleIntake), e.as(jiefen.RoleLeader)
		body := dispute("walk_in", "property_management", "汝州市钟楼街道", "parties", []map[string]any{
			{"role": "applicant", "name": "张三", "id_number": idA, "phone": "13812345678"},
			{"role": "respondent", "kind": "organisation", "name": "汝州市某某物业服务有限公司", "credit_code": " 91410482ma47 bq8j76 ",
				"phone": "0375-1234567"},
		})
		e.do("POST", "/api/v1/routing/preview", intake, body).want(200)
		created := e.do("POST", "/api/v1/disputes", intake, body).want(201).json()
		path := "/api/v1/disputes/" + fmt.Sprint(created["id"])
		for _, d := range []map[string]any{created, e.do("GET", path, leader, nil).want(200).json(),
			e.do("GET", path+"?unmask=true", intake, nil).want(200).json()} {
			person, org := partyOf(d, 0), partyOf(d, 1)
			if person["kind"] != "person" || org["kind"] != "organisation" {
				t.Errorf("kinds %v, %v", person["kind"], org["kind"])
			}
			if org["credit_code"] != creditA || org["name"] != "汝州市某某物业服务有限公司" {
				t.Errorf("the organisation is not shown as it is: %v", org)
			}
			if _, ok := org["id_number"]; ok {
				t.Errorf("an organisation with an id_number: %v", org)
			}
			if _, ok := person["credit_code"]; ok {
				t.Errorf("a person with a credit_code: %v", person)
			}
		}
		if p := partyOf(created, 0); p["id_number"] != "410***********1232" {
			t.Errorf("the person's ID number is not masked: %v", p)
		}

		// A party of no kind is a person, as before organisations were known.
		plain := e.do("POST", "/api/v1/disputes", intake, dispute("police", "neighbour", "汝州市钟楼街道")).want(201).json()
		if p := partyOf(plain, 1); p["kind"] != "person" || p["name"] != "李四" {
			t.Errorf("a party of no kind: %v", p)
		}

		bad := func(parties []map[string]any, fields ...string) response {
			t.Helper()
			b := dispute("walk_in", "property_management", "汝州市钟楼街道", "parties", parties)
			e.do("POST", "/api/v1/routing/preview", intake, b).want(422)
			res := e.do("POST", "/api/v1/disputes", intake, b).want(422)
			if got := res.errorFields(); !slices.Equal(got, fields) {
				t.Errorf("fields %v, want %v", got, fields)
			}
			return res
		}
		applicant := map[string]any{"role": "applicant", "name": "张三"}
		withID := orgParty("applicant", "汝州市某某建材有限公司", creditA)
		withID["id_number"] = idA
		res := bad([]map[string]any{withID}, "parties[0].id_number")
		if m := messageOf(t, res, "parties[0].id_number"); !strings.Contains(m, "单位当事人没有身份证件号码") || strings.Contains(m, idA) {
			t.Errorf("id_number message %q", m)
		}
		res = bad([]map[string]any{applicant, orgParty("respondent", "某某公司", creditA[:17]+"7")}, "parties[1].credit_code")
		if m := messageOf(t, res, "parties[1].credit_code"); m != "校验码（第18位）应为“6”，不是“7”：请核对代码" {
			t.Errorf("check character message %q", m)
		}
		res = bad([]map[string]any{applicant, orgParty("respondent", "某某公司", creditA[:17])}, "parties[1].credit_code")
		if m := messageOf(t, res, "parties[1].credit_code"); m != "统一社会信用代码应为18位，现为17位" {
			t.Errorf("length message %q", m)
		}
		res = bad([]map[string]any{applicant, orgParty("respondent", "某某公司", "91410482MA47BQ8JO6")}, "parties[1].credit_code")
		if m := messageOf(t, res, "parties[1].credit_code"); !strings.Contains(m, "第17位“O”不是统一社会信用代码的字符") {
			t.Errorf("character message %q", m)
		}
		bad([]map[string]any{{"role": "applicant", "name": "张三", "credit_code": creditA}}, "parties[0].credit_code")
		bad([]map[string]any{{"role": "applicant", "kind": "company", "name": "某某公司"}}, "parties[0].kind")

		// A dispute moved to reconsideration opens its organisation's case.
		d := e.do("POST", "/api/v1/disputes", intake, dispute("walk_in", "land_requisition", "煤山街道", "on", "2025-03-03",
			"parties", []map[string]any{orgParty("applicant", "汝州市某某种植专业合作社", strings.ToLower(creditB))})).want(201).json()
		moved := e.do("POST", "/api/v1/disputes/"+fmt.Sprint(d["id"])+"/transfers", intake, map[string]any{"to_track": "reconsideration",
			"to_org_code": "RZ", "reason": "对征收补偿决定不服", "respondent": "自然资源局", "act": "征收补偿决定", "on": "2025-03-10"}).want(200).json()
		rc := e.do("GET", "/api/v1/reconsideration/cases/"+fmt.Sprint(routingOf(moved)["case_id"]), e.as(jiefen.RoleReconsideration), nil).
			want(200).json()
		if a := rc["applicant"].(map[string]any); a["kind"] != "organisation" || a["credit_code"] != creditB || a["name"] != "汝州市某某种植专业合作社" {
			t.Errorf("the reconsideration applicant %v", a)
		}
	})
}

// TestOrganisationApplicant: a reconsideration applicant may be an
// organisation, shown as it is; the credit code is checked as a party's.
func TestOrganisationApplicant(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		fuyi, leader := e.as(jiefen.RoleReconsideration), e.as(jiefen.RoleLeader)
		body := func(applicant map[string]any) map[string]any {
			return map[string]any{"applicant": applicant, "respondent": "RZ-ZRZYJ", "act": "不予办理不动产登记的决定", "received_on": "2024-09-27"}
		}
		org := orgParty("", "汝州市某某建材有限公司", "9141 0482 ma47 bq8j76")
		org["phone"] = "13812345678"
		created := e.do("POST", "/api/v1/reconsideration/cases", fuyi, body(org)).want(201)
		for _, rc := range []map[string]any{created.json(), e.do("GET", created.Header().Get("Location"), leader, nil).want(200).json()} {
			a := rc["applicant"].(map[string]any)
			if a["kind"] != "organisation" || a["credit_code"] != creditA || a["name"] != "汝州市某某建材有限公司" || a["phone"] != "138****5678" {
				t.Errorf("applicant %v", a)
			}
			if _, ok := a["id_number"]; ok {
				t.Errorf("an organisation with an id_number: %v", a)
			}
		}
		person := e.do("POST", "/api/v1/reconsideration/cases", fuyi, body(map[string]any{"name": "张三", "id_number": idA})).want(201).json()
		if a := person["applicant"].(map[string]any); a["kind"] != "person" || a["id_number"] != "410***********1232" {
			t.Errorf("a person applicant %v", a)
		}

		bad := func(applicant map[string]any, field, message string) {
			t.Helper()
			res := e.do("POST", "/api/v1/reconsideration/cases", fuyi, body(applicant)).want(422)
			if got := res.errorFields(); !slices.Equal(got, []string{field}) {
				t.Errorf("fields %v, want %s", got, field)
			}
			if m := messageOf(t, res, field); !strings.Contains(m, message) {
				t.Errorf("%s: message %q, want it to hold %q", field, m, message)
			}
		}
		bad(orgParty("", "某某公司", creditA[:17]+"7"), "applicant.credit_code", "校验码（第18位）应为“6”")
		bad(orgParty("", "某某公司", "0"+creditA[1:]), "applicant.credit_code", "第1位“0”不是登记管理部门代码")
		withID := orgParty("", "某某公司", creditA)
		withID["id_number"] = idA
		bad(withID, "applicant.id_number", "单位当事人没有身份证件号码")
		bad(map[string]any{"name": "张三", "credit_code": creditA}, "applicant.credit_code", "只有单位有统一社会信用代码")
	})
}

// TestOrganisationPlaintiff: a lawsuit's plaintiff may be an organisation
// (plaintiff_kind) with its credit code (plaintiff_credit_code), shown as
// it is; a plaintiff of no kind is a person; a patch may change both.
func TestOrganisationPlaintiff(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		liaison, leader := e.as(jiefen.RoleCourtLiaison), e.as(jiefen.RoleLeader)
		file := func(number string, extra ...any) response {
			body := map[string]any{"case_number": number, "defendant": "RZ-GAJ", "plaintiff": "汝州市某某商贸有限公司", "cause": "行政处罚",
				"filed_on": "2025-03-01"}
			for i := 0; i+1 < len(extra); i += 2 {
				body[extra[i].(string)] = extra[i+1]
			}
			return e.do("POST", "/api/v1/litigation/cases", liaison, body)
		}
		created := file("（2025）豫0482行初1号", "plaintiff_kind", "organisation", "plaintiff_credit_code", strings.ToLower(creditA)).want(201)
		path := created.Header().Get("Location")
		for _, lc := range []map[string]any{created.json(), e.do("GET", path, leader, nil).want(200).json()} {
			if lc["plaintiff_kind"] != "organisation" || lc["plaintiff_credit_code"] != creditA || lc["plaintiff"] != "汝州市某某商贸有限公司" {
				t.Errorf("plaintiff %v %v %v", lc["plaintiff"], lc["plaintiff_kind"], lc["plaintiff_credit_code"])
			}
		}
		items := e.do("GET", "/api/v1/litigation/cases", leader, nil).want(200).json()["items"].([]any)
		if len(items) != 1 || items[0].(map[string]any)["plaintiff_credit_code"] != creditA {
			t.Errorf("list %v", items)
		}
		// The plaintiff may also come as a party object, as parties do elsewhere.
		object := file("（2025）豫0482行初3号", "plaintiff", map[string]any{"kind": "organisation", "name": "汝州市某某建材厂", "credit_code": creditA}).want(201).json()
		if object["plaintiff"] != "汝州市某某建材厂" || object["plaintiff_kind"] != "organisation" || object["plaintiff_credit_code"] != creditA {
			t.Errorf("plaintiff as an object: %v %v %v", object["plaintiff"], object["plaintiff_kind"], object["plaintiff_credit_code"])
		}
		file("（2025）豫0482行初4号", "plaintiff", map[string]any{"kind": "organisation", "name": "某厂", "credit_code": "91410482MA0000000X"}).want(422)
		person := file("（2025）豫0482行初2号", "plaintiff", "张某某").want(201).json()
		if person["plaintiff_kind"] != "person" {
			t.Errorf("a plaintiff of no kind: %v", person["plaintiff_kind"])
		}
		if _, ok := person["plaintiff_credit_code"]; ok {
			t.Errorf("a person with a credit code: %v", person)
		}

		bad := func(res response, field, message string) {
			t.Helper()
			res.want(422)
			if got := res.errorFields(); !slices.Equal(got, []string{field}) {
				t.Errorf("fields %v, want %s", got, field)
			}
			if m := messageOf(t, res, field); !strings.Contains(m, message) {
				t.Errorf("%s: message %q, want it to hold %q", field, m, message)
			}
		}
		bad(file("（2025）豫0482行初3号", "plaintiff_kind", "organisation", "plaintiff_credit_code", creditA[:17]+"7"),
			"plaintiff_credit_code", "校验码（第18位）应为“6”，不是“7”")
		bad(file("（2025）豫0482行初3号", "plaintiff_kind", "organisation", "plaintiff_credit_code", creditA+"1"),
			"plaintiff_credit_code", "统一社会信用代码应为18位，现为19位")
		bad(file("（2025）豫0482行初3号", "plaintiff_credit_code", creditA), "plaintiff_credit_code", "只有单位有统一社会信用代码")
		bad(file("（2025）豫0482行初3号", "plaintiff_kind", "firm"), "plaintiff_kind", "应为person（个人）或organisation（单位）")

		// A patch: the person was an organisation after all; then the
		// organisation a person, which drops its credit code.
		p2 := "/api/v1/litigation/cases/" + fmt.Sprint(person["id"])
		bad(e.do("PATCH", p2, liaison, map[string]any{"plaintiff_kind": "organisation", "plaintiff_credit_code": "91410482MA47BQ8JI6"},
			"If-Match", `"1"`), "plaintiff_credit_code", "第17位“I”不是")
		lc := e.do("PATCH", p2, liaison, map[string]any{"plaintiff": "汝州市某某种植专业合作社", "plaintiff_kind": "organisation",
			"plaintiff_credit_code": creditB}, "If-Match", `"1"`).want(200).json()
		if lc["plaintiff_kind"] != "organisation" || lc["plaintiff_credit_code"] != creditB {
			t.Errorf("patched %v", lc)
		}
		lc = e.do("PATCH", p2, liaison, map[string]any{"plaintiff": "张某某", "plaintiff_kind": "person"}, "If-Match", `"2"`).want(200).json()
		if _, ok := lc["plaintiff_credit_code"]; ok || lc["plaintiff_kind"] != "person" {
			t.Errorf("patched to a person %v", lc)
		}
		bad(e.do("PATCH", p2, liaison, map[string]any{"plaintiff_credit_code": creditA}, "If-Match", `"3"`),
			"plaintiff_credit_code", "只有单位有统一社会信用代码")
	})
}
