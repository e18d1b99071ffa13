package httpapi_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"jiefen"
)

const xlsxMedia = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// caseload is a court spreadsheet: the header, then rows 2…
var caseload = [][]string{
	{"案号", "原告", "被告", "案由", "立案日期", "开庭日期", "负责人出庭", "出庭人职务", "结案日期", "结案方式"},
	{"（2025）豫0482行初101号", "甲", "汝州市公安局", "行政处罚", "2025-01-10", "2025-03-05", "是", "副职", "2025-04-20", "撤销"},
	{"(2025)豫0482行初102号", "乙", "公安局", "行政处罚", "2025/2/3", "2025-05-08", "是", "正职", "2025-06-01", "驳回诉讼请求"},
	{"（25）豫0482行初103号", "丙", "公安局", "行政许可", "2025-03-01", "", "", "", "", ""},    // row 4: 2-digit year
	{"（2025）豫0482行初104号", "丁", "不存在局", "行政许可", "2025-03-01", "", "", "", "", ""}, // row 5: unknown defendant
	{"（2025）豫0482行初105号", "戊", "自然资源局", "行政确认", "2025-03-01", "2025-04-10", "否", "工作人员", "2025年5月15日", "撤诉"},
	{"（2025）豫0482行初106号", "己", "自然资源局", "行政确认", "2025-03-02", "", "", "", "2025-05-15", "判得好"}, // row 7: unknown result
	{"", "", "", "", "", "", "", "", "", ""},
}

func csvOf(rows [][]string) string {
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(strings.Join(r, ",") + "\r\n")
	}
	return b.String()
}

func xlsxOf(t *testing.T, rows [][]string) []byte {
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		for j, v := range r {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			f.SetCellStr("Sheet1", cell, v)
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestCaseloadImport is the done-when: a GBK CSV and an XLSX
// import; bad rows come back by row number and column; a second import
// changes nothing; the statistics equal those of the same cases entered by
// hand; the reconciliation lists what differs.
func TestCaseloadImport(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		liaison, leader := e.as(jiefen.RoleCourtLiaison), e.as(jiefen.RoleLeader)
		gbk, err := simplifiedchinese.GBK.NewEncoder().String(csvOf(caseload))
		if err != nil {
			t.Fatal(err)
		}
		rep := e.do("POST", "/api/v1/litigation/imports", liaison, []byte(gbk), "Content-Type", "text/csv").want(200).json()
		if rep["rows"] != float64(6) || rep["created"] != float64(3) || rep["updated"] != float64(0) || rep["unchanged"] != float64(0) {
			t.Fatalf("report %v", rep)
		}
		var got []string
		for _, r := range rep["rejected"].([]any) {
			r := r.(map[string]any)
			got = append(got, fmt.Sprintf("%v:%v", r["row"], r["field"]))
		}
		if strings.Join(got, " ") != "4:案号 5:被告 7:结案方式" {
			t.Fatalf("rejected %v", rep["rejected"])
		}
		// The same rows as XLSX change nothing.
		again := e.do("POST", "/api/v1/litigation/imports", liaison, xlsxOf(t, caseload), "Content-Type", xlsxMedia).want(200).json()
		if again["created"] != float64(0) || again["updated"] != float64(0) || again["unchanged"] != float64(3) {
			t.Fatalf("second import %v", again)
		}
		// The statistics are those of the hand-entered cases of the hand count.
		items := e.do("GET", "/api/v1/litigation/stats?from=2025-01-01&to=2025-06-30&group_by=agency", leader, nil).want(200).json()["items"].([]any)
		wantFigures(t, statsRow(t, items, "RZ-GAJ", ""), map[string]any{"filed": 2, "concluded": 2, "lost": 1, "loss_rate": 0.5,
			"heard": 2, "head_appeared": 2, "appearance_rate": 1})
		wantFigures(t, statsRow(t, items, "RZ-ZRZYJ", ""), map[string]any{"filed": 1, "concluded": 1, "lost": 0, "heard": 1, "head_appeared": 0})

		// A later row fills in the outcome the platform lacked; a case the
		// platform has and the court's rows do not, and an outcome entered
		// differently, show in the reconciliation.
		e.do("POST", "/api/v1/litigation/cases", liaison, map[string]any{"case_number": "（2025）豫0482行初107号", "defendant": "RZ-GAJ",
			"plaintiff": "庚", "filed_on": "2025-03-03"}).want(201)
		update := [][]string{caseload[0], {"（2025）豫0482行初107号", "庚", "公安局", "行政处罚", "2025-03-03", "", "", "", "2025-06-20", "确认违法"}}
		rep = e.do("POST", "/api/v1/litigation/imports", liaison, []byte(csvOf(update)), "Content-Type", "text/csv").want(200).json()
		if rep["updated"] != float64(1) {
			t.Fatalf("filling in %v", rep)
		}
		e.do("POST", "/api/v1/litigation/cases", liaison, map[string]any{"case_number": "（2025）豫0482行初108号", "defendant": "RZ-GAJ",
			"plaintiff": "辛", "filed_on": "2025-03-04"}).want(201)
		diffs := e.do("GET", "/api/v1/litigation/reconciliation?from=2025-01-01&to=2025-12-31", liaison, nil).want(200).json()["items"].([]any)
		if len(diffs) != 1 || diffs[0].(map[string]any)["kind"] != "missing_in_court" || diffs[0].(map[string]any)["case_number"] != "（2025）豫0482行初108号" {
			t.Fatalf("differences %v", diffs)
		}
		// A header without the court's columns is refused as a whole.
		bad := e.do("POST", "/api/v1/litigation/imports", liaison, []byte("a,b\n1,2\n"), "Content-Type", "text/csv").want(422)
		if f := bad.errorFields(); len(f) == 0 || f[0] != "header" {
			t.Fatalf("fields %v", f)
		}
		e.do("POST", "/api/v1/litigation/imports", liaison, []byte("x"), "Content-Type", "application/json").want(415)
	})
}

// TestLedger moves an issue through its four states over HTTP, overdue on
// the way, with a leader's comment; and a judicial suggestion is answered
// within its 60-day clock.
func TestLedger(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		liaison, leader := e.as(jiefen.RoleCourtLiaison), e.as(jiefen.RoleLeader)
		staff := e.user("gaj-legal", jiefen.RoleAgencyStaff, "RZ-GAJ")
		other := e.user("zrzy-legal", jiefen.RoleAgencyStaff, "RZ-ZRZYJ")
		e.do("POST", "/api/v1/ledger/issues", liaison, map[string]any{"meeting": "2025年第一次府院联席会议", "title": "x", "lead_unit": "NOPE",
			"deadline": "2025-06-30", "on": "2025-03-01"}).want(422)
		res := e.do("POST", "/api/v1/ledger/issues", liaison, map[string]any{"meeting": "2025年第一次府院联席会议", "title": "负责人出庭率偏低",
			"lead_unit": "RZ-GAJ", "co_units": []string{"RZ-SFJ"}, "deadline": "2025-06-30", "on": "2025-03-01"}).want(201)
		path := res.Header().Get("Location")
		if i := res.json(); i["state"] != "found" || i["overdue"] != true {
			t.Fatalf("created %v", i) // the deadline of 2025 is long past
		}
		e.do("POST", path+"/advance", liaison, map[string]any{"to": "reviewing", "on": "2025-03-05"}).want(409)
		e.do("POST", path+"/advance", liaison, map[string]any{"to": "rectifying", "on": "2025-03-05", "note": "交办"}).want(200)
		e.do("POST", path+"/reports", other, map[string]any{"text": "x"}).want(404)
		e.do("POST", path+"/reports", staff, map[string]any{"on": "2025-06-20", "text": "已制定出庭规则", "attachments": []string{"汝公〔2025〕12号"}}).want(200)
		e.do("POST", path+"/comments", leader, map[string]any{"text": "抓紧销号"}).want(200)
		e.do("POST", path+"/advance", liaison, map[string]any{"to": "reviewing", "on": "2025-06-25"}).want(200)
		i := e.do("POST", path+"/advance", liaison, map[string]any{"to": "closed", "on": "2025-06-28"}).want(200).json()
		if i["state"] != "closed" || i["overdue"] != false || len(i["steps"].([]any)) != 4 || len(i["comments"].([]any)) != 1 {
			t.Fatalf("closed %v", i)
		}
		if items := e.do("GET", "/api/v1/ledger/issues?state=closed", staff, nil).want(200).json()["items"].([]any); len(items) != 1 {
			t.Fatalf("the lead unit's issues %v", items)
		}
		if items := e.do("GET", "/api/v1/ledger/issues", other, nil).want(200).json()["items"].([]any); len(items) != 0 {
			t.Fatalf("another unit sees %v", items)
		}

		sg := e.do("POST", "/api/v1/judicial-suggestions", liaison, map[string]any{"court": "汝州市人民法院", "number": "（2025）豫0482司建1号",
			"addressee": "公安局", "subject": "规范行政处罚程序", "received_on": "2025-08-03"}).want(201)
		clock := sg.json()["clock"].(map[string]any)
		if clock["due"] != "2025-10-09" || clock["state"] != "overdue" {
			t.Fatalf("clock %v", clock)
		}
		id := strings.TrimPrefix(sg.Header().Get("Location"), "/api/v1/judicial-suggestions/")
		e.do("POST", "/api/v1/judicial-suggestions/"+id+"/reply", other, map[string]any{"reply": "x"}).want(404)
		got := e.do("POST", "/api/v1/judicial-suggestions/"+id+"/reply", staff, map[string]any{"reply": "已整改", "on": "2025-10-08"}).want(200).json()
		if got["clock"].(map[string]any)["state"] != "met" {
			t.Fatalf("after the reply %v", got)
		}
	})
}

// TestCourtFilesAsClerksMakeThem imports the files LibreOffice made
// (testdata/courtfiles) through the API and checks each report as a
// liaison reads it.
func TestCourtFilesAsClerksMakeThem(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		liaison := e.as(jiefen.RoleCourtLiaison)
		send := func(name string, want int) map[string]any {
			t.Helper()
			b, err := os.ReadFile(filepath.Join("../../testdata/courtfiles", name))
			if err != nil {
				t.Fatal(err)
			}
			media := xlsxMedia
			if strings.HasSuffix(name, ".csv") {
				media = "text/csv"
			}
			return e.do("POST", "/api/v1/litigation/imports", liaison, b, "Content-Type", media).want(want).json()
		}
		report := func(rep map[string]any) string {
			var rejected []string
			for _, r := range rep["rejected"].([]any) {
				r := r.(map[string]any)
				rejected = append(rejected, fmt.Sprintf("%v!%v:%v", r["sheet"], r["row"], r["field"]))
			}
			return fmt.Sprintf("rows=%v created=%v updated=%v unchanged=%v skipped=%v skipped_sheets=%v rejected_rows=%v rejected=%v",
				rep["rows"], rep["created"], rep["updated"], rep["unchanged"], rep["skipped"], rep["skipped_sheets"], rep["rejected_rows"], rejected)
		}
		for _, c := range []struct{ file, want string }{
			{"dates.xlsx", "rows=12 created=12 updated=0 unchanged=0 skipped=0 skipped_sheets=[] rejected_rows=0 rejected=[]"},
			{"dates.xlsx", "rows=12 created=0 updated=0 unchanged=12 skipped=0 skipped_sheets=[] rejected_rows=0 rejected=[]"},
			{"title-row.xlsx", "rows=2 created=2 updated=0 unchanged=0 skipped=0 skipped_sheets=[] rejected_rows=0 rejected=[]"},
			{"two-sheets.xlsx", "rows=4 created=3 updated=0 unchanged=0 skipped=0 skipped_sheets=[] rejected_rows=1 rejected=[2025年!3:立案日期]"},
			{"cover-sheet.xlsx", "rows=1 created=1 updated=0 unchanged=0 skipped=0 skipped_sheets=[填表说明] rejected_rows=0 rejected=[]"},
			{"merged.xlsx", "rows=4 created=4 updated=0 unchanged=0 skipped=0 skipped_sheets=[] rejected_rows=0 rejected=[]"},
			{"totals.xlsx", "rows=2 created=2 updated=0 unchanged=0 skipped=4 skipped_sheets=[] rejected_rows=0 rejected=[]"},
			{"titles.xlsx", "rows=8 created=6 updated=0 unchanged=0 skipped=0 skipped_sheets=[] rejected_rows=2 rejected=[Sheet1!8:负责人出庭 Sheet1!9:出庭人职务]"},
			{"titles-gb18030-crlf.csv", "rows=8 created=0 updated=0 unchanged=6 skipped=0 skipped_sheets=[] rejected_rows=2 rejected=[<nil>!8:负责人出庭 <nil>!9:出庭人职务]"},
		} {
			if got := report(send(c.file, 200)); got != c.want {
				t.Errorf("%s:\n got %s\nwant %s", c.file, got, c.want)
			}
		}
		// The merged 被告 landed on every covered row; the job titles as positions.
		cases := e.do("GET", "/api/v1/litigation/cases?limit=200", e.as(jiefen.RoleLeader), nil).want(200).json()["items"].([]any)
		got := map[string]string{}
		for _, c := range cases {
			c := c.(map[string]any)
			n := c["case_number"].(map[string]any)["canonical"].(string)
			got[n] = c["defendant"].(string)
			if hs, _ := c["hearings"].([]any); len(hs) > 0 {
				if a, ok := hs[0].(map[string]any)["appearer"].(map[string]any); ok {
					got[n] += "/" + a["position"].(string)
				}
			}
		}
		for n, want := range map[string]string{"（2024）豫0482行初52号": "RZ-ZRZYJ", "（2024）豫0482行初53号": "RZ-ZRZYJ",
			"（2024）豫0482行初81号": "RZ-GAJ/principal", "（2024）豫0482行初82号": "RZ-GAJ/deputy", "（2024）豫0482行初83号": "RZ-GAJ/in_charge"} {
			if got[n] != want {
				t.Errorf("%s: %q, want %q", n, got[n], want)
			}
		}
		// Defendants as courts name them, co-defendants among them; the city
		// government is sued and counted like an agency, a case once in the
		// city's figures.
		if got := report(send("defendants.xlsx", 200)); got != "rows=9 created=8 updated=0 unchanged=0 skipped=0 skipped_sheets=[] rejected_rows=1 rejected=[Sheet1!10:被告]" {
			t.Errorf("defendants.xlsx: %s", got)
		}
		cases = e.do("GET", "/api/v1/litigation/cases?limit=200", e.as(jiefen.RoleLeader), nil).want(200).json()["items"].([]any)
		defendants, filed2024 := map[string]string{}, 0
		for _, c := range cases {
			c := c.(map[string]any)
			if strings.HasPrefix(c["filed_on"].(string), "2024") {
				filed2024++
			}
			var codes []string
			for _, d := range c["defendants"].([]any) {
				codes = append(codes, d.(string))
			}
			defendants[c["case_number"].(map[string]any)["canonical"].(string)] = strings.Join(codes, "+")
		}
		for serial, want := range map[int]string{91: "RZ", 92: "RZ", 93: "RZ-ZL", 94: "RZ-ZL", 95: "RZ-ZL", 96: "RZ-LR", 97: "RZ+RZ-ZRZYJ", 98: "RZ-CGJ+RZ-ZL"} {
			if n := fmt.Sprintf("（2024）豫0482行初%d号", serial); defendants[n] != want {
				t.Errorf("%s: defendants %q, want %q", n, defendants[n], want)
			}
		}
		items := e.do("GET", "/api/v1/litigation/stats?from=2024-01-01&to=2024-12-31&group_by=agency", e.as(jiefen.RoleLeader), nil).want(200).json()["items"].([]any)
		wantFigures(t, statsRow(t, items, "RZ", ""), map[string]any{"filed": 3})
		wantFigures(t, statsRow(t, items, "RZ-ZL", ""), map[string]any{"filed": 4})
		city := e.do("GET", "/api/v1/litigation/stats?from=2024-01-01&to=2024-12-31", e.as(jiefen.RoleLeader), nil).want(200).json()["items"].([]any)
		if filed := city[0].(map[string]any)["filed"]; filed != float64(filed2024) {
			t.Errorf("the city's figure counts %v suits, want each of the %d once", filed, filed2024)
		}
		refused := send("hidden-duplicate.xlsx", 422)
		if f := refused["error"].(map[string]any)["fields"].([]any)[0].(map[string]any); f["field"] != "被告" || !strings.Contains(f["message"].(string), "K 列是隐藏列") {
			t.Errorf("hidden duplicate: %v", f)
		}
		for _, name := range []string{"excel97.xls", "excel97-renamed.xlsx", "opendocument.ods"} {
			if msg := send(name, 415)["error"].(map[string]any)["message"].(string); !strings.Contains(msg, ".xlsx") {
				t.Errorf("%s: %s", name, msg)
			}
		}
	})
}

// TestOverlongCellsAreRowRejections: a cell longer than its column takes
// is its row's rejection, not a failed import (on MariaDB a write would
// fail), and the file's name is kept to the width of its column.
func TestOverlongCellsAreRowRejections(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		csv := "案号,原告,被告,案由,立案日期\n" +
			"（2024）豫0482行初701号,甲,汝州市公安局,行政处罚,2024-01-26\n" +
			"（2024）豫0482行初702号,乙,汝州市公安局," + strings.Repeat("由", 600) + ",2024-01-26\n"
		rep := e.do("POST", "/api/v1/litigation/imports?name="+strings.Repeat("名", 300), e.as(jiefen.RoleCourtLiaison), []byte(csv), "Content-Type", "text/csv").want(200).json()
		rejected := rep["rejected"].([]any)
		if rep["created"] != float64(1) || rep["rejected_rows"] != float64(1) || len(rejected) != 1 || rejected[0].(map[string]any)["field"] != "案由" {
			t.Fatalf("report %v", rep)
		}
		e.do("POST", "/api/v1/litigation/cases", e.as(jiefen.RoleCourtLiaison), map[string]any{"case_number": "（2024）豫0482行初703号",
			"defendant": "RZ-GAJ", "plaintiff": "丙", "cause": strings.Repeat("由", 501), "filed_on": "2024-01-26"}).want(422)
	})
}

// TestImportAsAFormUpload: the file may also come as a browser form or
// curl -F sends it (multipart/form-data), named as uploaded.
func TestImportAsAFormUpload(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		b, err := os.ReadFile("../../testdata/courtfiles/dates.xlsx")
		if err != nil {
			t.Fatal(err)
		}
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		mw.WriteField("note", "2024年")
		w, _ := mw.CreateFormFile("file", "法院2024年行政案件.xlsx")
		w.Write(b)
		mw.Close()
		rep := e.do("POST", "/api/v1/litigation/imports", e.as(jiefen.RoleCourtLiaison), body.Bytes(), "Content-Type", mw.FormDataContentType()).want(200).json()
		if rep["created"] != float64(12) || rep["name"] != "法院2024年行政案件.xlsx" {
			t.Fatalf("report %v", rep)
		}
		var empty bytes.Buffer
		mw = multipart.NewWriter(&empty)
		mw.WriteField("note", "no file")
		mw.Close()
		if f := e.do("POST", "/api/v1/litigation/imports", e.as(jiefen.RoleCourtLiaison), empty.Bytes(), "Content-Type", mw.FormDataContentType()).want(422).errorFields(); len(f) != 1 || f[0] != "file" {
			t.Fatalf("fields %v", f)
		}
	})
}
