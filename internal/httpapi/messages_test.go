package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"jiefen"
	"jiefen/internal/sqlstore"
)

// TestEveryErrorSpeaksChinese walks every error code a client can meet and a
// sample of field messages: each message a person reads holds Chinese
// (issue 21: no ASCII-only message), the code and the field paths stay
// English, and a client that prefers English reads English.
func TestEveryErrorSpeaksChinese(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		admin, intake, leader := e.as(jiefen.RoleAdmin), e.as(jiefen.RoleIntake), e.as(jiefen.RoleLeader)
		e.user("li.si", jiefen.RoleMediator, "")
		login := func(user, pw string) response {
			return e.do("POST", "/api/v1/auth/login", "", map[string]string{"username": user, "password": pw})
		}
		badID := dispute("walk_in", "neighbour", "")
		badID["parties"] = []map[string]any{{"role": "applicant", "name": "张三", "id_number": "410482199001011233", "phone": "1234567"}}
		org := map[string]any{"code": "T-MSG", "name": "测试司法所", "kind": "office"}
		e.do("POST", "/api/v1/orgs", admin, org).want(http.StatusCreated)

		seen := map[string]bool{}
		check := func(name string, res response, status int, code string) {
			t.Helper()
			if res.Code != status || res.errorCode() != code {
				t.Errorf("%s: %d %q, want %d %q; %s", name, res.Code, res.errorCode(), status, code, res.Body)
				return
			}
			seen[code] = true
			body := res.json()["error"].(map[string]any)
			if msg, _ := body["message"].(string); !jiefen.HasChinese(msg) {
				t.Errorf("%s: the message holds no Chinese: %q", name, msg)
			}
			fields, _ := body["fields"].([]any)
			for _, f := range fields {
				f := f.(map[string]any)
				if !jiefen.HasChinese(f["message"].(string)) || jiefen.HasChinese(f["field"].(string)) {
					t.Errorf("%s: field %q: %q", name, f["field"], f["message"])
				}
			}
			if res.Header().Get("Content-Language") != "zh-CN" {
				t.Errorf("%s: Content-Language %q", name, res.Header().Get("Content-Language"))
			}
		}

		res := e.do("POST", "/api/v1/disputes", intake, badID)
		check("a bad ID number", res, 422, "invalid")
		fields := map[string]string{}
		list, _ := res.json()["error"].(map[string]any)["fields"].([]any)
		for _, f := range list {
			f := f.(map[string]any)
			fields[f["field"].(string)] = f["message"].(string)
		}
		for field, want := range map[string]string{"parties[0].id_number": "校验", "parties[0].phone": ""} {
			if msg, ok := fields[field]; !ok || !strings.Contains(msg, want) {
				t.Errorf("field %s: %q (all: %v)", field, msg, fields)
			}
		}
		check("a bad org", e.do("POST", "/api/v1/orgs", admin, map[string]any{"code": "a b", "kind": "club"}), 422, "invalid")
		check("a field of the wrong type", e.do("POST", "/api/v1/orgs", admin, `{"code":"A","name":7,"kind":"agency"}`), 400, "malformed")
		check("broken JSON", e.do("POST", "/api/v1/disputes", intake, `{"title":`), 400, "malformed")
		check("no such route", e.do("GET", "/api/v1/nothing", admin, nil), 404, "not_found")
		check("no such record", e.do("GET", "/api/v1/disputes/999999", leader, nil), 404, "not_found")
		check("a taken code", e.do("POST", "/api/v1/orgs", admin, org), 409, "conflict")
		check("a stale If-Match", e.do("PATCH", "/api/v1/orgs/T-MSG", admin, map[string]any{"name": "测试司法所二"}, "If-Match", `"9"`), 412, "precondition")
		check("no If-Match", e.do("PATCH", "/api/v1/orgs/T-MSG", admin, map[string]any{"name": "测试司法所二"}), 428, "precondition_required")
		check("no session", e.do("GET", "/api/v1/disputes", "", nil), 401, "unauthorized")
		check("another role's route", e.do("GET", "/api/v1/users", leader, nil), 403, "forbidden")
		check("too large", e.do("POST", "/api/v1/orgs", admin, `{"name":"`+strings.Repeat("x", 70<<10)+`"}`), 413, "too_large")
		check("not JSON", e.do("POST", "/api/v1/orgs", admin, `code=A`, "Content-Type", "application/x-www-form-urlencoded"), 415, "unsupported_media_type")
		check("a wrong method", e.do("DELETE", "/api/v1/orgs", admin, nil), 405, "method_not_allowed")

		oneTime := e.do("POST", "/api/v1/users/li.si/reset-password", admin, nil).want(200).json()["password"].(string)
		tok := login("li.si", oneTime).want(200).json()["token"].(string)
		check("a one-time password", e.do("GET", "/api/v1/mediation/cases", tok, nil), 403, "password_change_required")
		for range 5 {
			login("li.si", "Wrong-Pass-1").want(http.StatusUnauthorized)
		}
		check("a locked account", login("li.si", oneTime), 423, "locked")

		if _, err := e.db.SQL().Exec("ALTER TABLE disputes RENAME TO disputes_gone"); err != nil {
			t.Fatal(err)
		}
		check("a bug", e.do("GET", "/api/v1/disputes", leader, nil), 500, "internal")
		if _, err := e.db.SQL().Exec("ALTER TABLE disputes_gone RENAME TO disputes"); err != nil {
			t.Fatal(err)
		}
		// rate_limited and unavailable: TestLoginRateLimitsSpeakChinese and
		// the catalogue test (their texts are catalogued formats).
		for _, code := range []jiefen.ErrorCode{jiefen.EINVALID, jiefen.EMALFORMED, jiefen.ENOTFOUND, jiefen.ECONFLICT,
			jiefen.EPRECONDITION, jiefen.EUNAUTHORIZED, jiefen.EFORBIDDEN, jiefen.EPASSWORDCHANGE, jiefen.ELOCKED,
			jiefen.EINTERNAL, jiefen.ETOOLARGE, jiefen.EUNSUPPORTEDMEDIA, jiefen.EPRECONDITIONREQUIRED} {
			if !seen[string(code)] {
				t.Errorf("no request met %s", code)
			}
		}

		// English on request, the same shape.
		res = e.do("POST", "/api/v1/disputes", intake, badID, "Accept-Language", "en-US,en;q=0.9,zh;q=0.5")
		res.want(422)
		if msg := res.json()["error"].(map[string]any)["message"].(string); jiefen.HasChinese(msg) || res.Header().Get("Content-Language") != "en" {
			t.Errorf("English asked for, got %q (%s)", msg, res.Header().Get("Content-Language"))
		}
		if res := e.do("POST", "/api/v1/disputes", intake, badID, "Accept-Language", "zh-CN,zh;q=0.9,en;q=0.8"); !jiefen.HasChinese(res.Body.String()) {
			t.Errorf("Chinese preferred, got %s", res.Body)
		}
	})
}

// TestReadAllNotifications: 全部标为已读 marks every unread notification of
// the caller in one request, answers how many, and leaves another user's.
func TestReadAllNotifications(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		leader, mediator := e.as(jiefen.RoleLeader), e.as(jiefen.RoleMediator)
		ctx := context.Background()
		for i, to := range []string{"u-leader", "u-leader", "u-leader", "u-mediator"} {
			if _, err := e.db.Notifications.Emit(ctx, []sqlstore.Event{{Key: fmt.Sprintf("read-all:%d", i), Kind: "mediation.due_soon",
				SubjectType: "mediation_case", SubjectID: int64(i + 1), To: []string{to}, Title: "调解案件的期限将于2026年12月9日届满"}}); err != nil {
				t.Fatal(err)
			}
		}
		unread := func(tok string) int {
			return len(e.do("GET", "/api/v1/notifications?unread=true", tok, nil).want(200).json()["items"].([]any))
		}
		if n := unread(leader); n != 3 {
			t.Fatalf("the leader has %d unread, want 3", n)
		}
		if m := e.do("POST", "/api/v1/notifications/read-all", leader, nil).want(200).json(); m["marked"] != 3.0 {
			t.Fatalf("read-all answered %v", m)
		}
		if unread(leader) != 0 || unread(mediator) != 1 {
			t.Fatalf("after read-all: leader %d, mediator %d unread", unread(leader), unread(mediator))
		}
		if m := e.do("POST", "/api/v1/notifications/read-all", leader, nil).want(200).json(); m["marked"] != 0.0 {
			t.Fatalf("read-all again answered %v", m)
		}
	})
}
