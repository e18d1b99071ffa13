package httpapi_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"jiefen"
)

// TestPrintedDocumentsOverHTTP prints every document type through the
// server as the offices print them: the parties and the mediator by name
// (the 姓名 of the account, never its username, and no name at all when
// the account has none), the orgs by name, never a code, the dates of the
// body and the 落款 as 2025年9月5日 (GB/T 9704-2012), never 2025-09-05.
func TestPrintedDocumentsOverHTTP(t *testing.T) {
	isoDate := regexp.MustCompile(`\d{4}-\d{2}-\d{2}`)
	each(t, func(t *testing.T, e *env) {
		intake, fuyi := e.as(jiefen.RoleIntake), e.as(jiefen.RoleReconsideration)
		named := e.namedUser("med-ms", "王芳", jiefen.RoleMediator, "RZ-MS-TWH")
		unnamed := e.user("med-zl", jiefen.RoleMediator, "RZ-ZL-TWH")
		staff := e.namedUser("zrzy-legal", "赵敏", jiefen.RoleAgencyStaff, "RZ-ZRZYJ")

		agreement := func(township, med string) string {
			t.Helper()
			parties := []map[string]any{
				{"role": "applicant", "name": "张三", "id_number": idA, "phone": "13812345678", "address": "河南省汝州市某小区3号楼"},
				{"role": "respondent", "name": "李四", "phone": "0375-1234567"}}
			d := e.do("POST", "/api/v1/disputes", intake, dispute("police", "neighbour", township, "on", "2025-08-28", "parties", parties)).want(201).json()
			path := fmt.Sprint("/api/v1/mediation/cases/", routingOf(d)["case_id"])
			e.do("POST", path+"/accept", med, map[string]any{"on": "2025-09-01"}).want(200)
			e.do("POST", path+"/agreement", med, map[string]any{"on": "2025-09-05", "terms": "李四改建排水沟，赔偿张三1200元",
				"amount_fen": 120000, "performance_due": "2025-09-30", "effective_on": "2025-09-06"}).want(200)
			return path + "/agreement"
		}
		namedAgreement, unnamedAgreement := agreement("煤山街道", named), agreement("汝州市钟楼街道", unnamed)

		rc := e.do("POST", "/api/v1/reconsideration/cases", fuyi, map[string]any{
			"applicant":  map[string]any{"name": "王五", "id_number": idA, "phone": "13812345678"},
			"respondent": "RZ-ZRZYJ", "act": "不予办理不动产登记的决定", "received_on": "2024-09-27"}).want(201)
		recon := rc.Header().Get("Location")
		e.do("POST", recon+"/acceptance", fuyi, map[string]any{"decision": "accept", "on": "2024-10-08"}).want(200)
		e.do("POST", recon+"/copy", fuyi, map[string]any{"on": "2024-10-10"}).want(200)
		e.do("POST", recon+"/reply", staff, map[string]any{"on": "2024-10-18", "text": "被申请人认为登记决定合法"}).want(200)
		e.do("POST", recon+"/decision", fuyi, map[string]any{"on": "2024-12-02", "result": "upheld"}).want(200)

		for _, tc := range []struct {
			name, path, token string
			wants, leaks      []string
		}{
			{"人民调解协议书", namedAgreement, named,
				[]string{"<td>张三</td>", "<td>李四</td>", "<td>河南省汝州市…</td>", "当事人签名（申请人 张三）", "当事人签名（被申请人 李四）",
					"调解员签名（王芳）", "煤山街道人民调解委员会", "当事人于2025年9月5日", "履行期限：2025年9月30日", "生效日期：2025年9月6日",
					"2025年9月5日", "人民币壹仟贰佰元整", "¥1,200.00"},
				[]string{"med-ms", "RZ-MS-TWH", idA, "某小区"}},
			{"人民调解协议书（当事人签署本）", namedAgreement + "?unmask=true", named,
				[]string{"<td>张三</td>", idA, "13812345678", "<td>河南省汝州市某小区3号楼</td>", "调解员签名（王芳）"},
				[]string{"med-ms", "RZ-MS-TWH"}},
			{"人民调解协议书（调解员无姓名）", unnamedAgreement, unnamed,
				[]string{"<td>张三</td>", "钟楼街道人民调解委员会", `调解员签名：<span class="line"></span>`, "2025年9月5日"},
				[]string{"med-zl", "RZ-ZL-TWH", "调解员签名（"}},
			{"行政复议受理通知书", recon + "/documents/acceptance_notice", fuyi,
				[]string{"王五：", "本机关于2024年9月27日收到", "对汝州市自然资源和规划局作出的", "自2024年10月8日起予以受理",
					"汝州市人民政府", "2024年10月8日"},
				[]string{"zrzy-legal", "u-reconsideration", "RZ-ZRZYJ", idA}},
			{"行政复议决定书", recon + "/documents/decision", staff,
				[]string{"申请人：王五", "被申请人：汝州市自然资源和规划局", "于2024年10月8日依法受理", "被申请人于2024年10月18日提交了书面答复",
					"<strong>维持</strong>", "汝州市人民政府", "2024年12月2日"},
				[]string{"zrzy-legal", "赵敏", "u-reconsideration", "RZ-ZRZYJ", idA}},
		} {
			page := e.do("GET", tc.path, tc.token, nil).want(200).Body.String()
			for _, want := range tc.wants {
				if !strings.Contains(page, want) {
					t.Errorf("%s lacks %q", tc.name, want)
				}
			}
			for _, leak := range tc.leaks {
				if strings.Contains(page, leak) {
					t.Errorf("%s holds %q", tc.name, leak)
				}
			}
			if m := isoDate.FindAllString(page, -1); m != nil {
				t.Errorf("%s holds dates written %v, want 2025年9月5日", tc.name, m)
			}
		}
	})
}
