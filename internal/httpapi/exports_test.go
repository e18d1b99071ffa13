package httpapi_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"jiefen"
	"jiefen/calendar"
	"jiefen/internal/httpapi"
	"jiefen/litigation"
)

// rowOf is the row (1-based, as the sheet numbers it) whose column col
// (0-based) shows v.
func rowOf(t *testing.T, s *httpapi.ClerkSheet, col int, v string) int {
	t.Helper()
	for r, cols := range s.Rows {
		if col < len(cols) && cols[col] == v {
			return r + 1
		}
	}
	t.Fatalf("no row shows %q in column %d: %q", v, col+1, s.Rows)
	return 0
}

// wantRow compares the cells of a row, as they show, with want ("" for an
// empty cell).
func wantRow(t *testing.T, s *httpapi.ClerkSheet, row int, want ...string) {
	t.Helper()
	for c, w := range want {
		cell, _ := excelize.CoordinatesToCellName(c+1, row)
		if got := s.Cell(cell); got != w {
			t.Errorf("%s (%s) shows %q, want %q", cell, s.Rows[0][c], got, w)
		}
	}
}

// TestCasesExportReimports: the cases export is the court's caseload sheet
// (its columns, its words, agencies by name, dates as dates), and posting
// it back as an import changes nothing; the reconciliation then finds no
// difference.
func TestCasesExportReimports(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		liaison := e.as(jiefen.RoleCourtLiaison)
		agencies := []string{"RZ-GAJ", "RZ-ZRZYJ", "RZ-SCJGJ", "RZ-JJDD", "RZ-HBJ", "RZ-SWJ", "RZ-RSJ"}
		positions := []litigation.Position{litigation.Principal, litigation.Deputy, litigation.InCharge, litigation.Staff}
		causes := []string{"行政处罚", "行政许可", "政府信息公开", "行政强制", "工伤认定"}
		start := calendar.NewDate(2025, time.January, 6)
		today := calendar.DateOf(time.Now())
		const n = 30
		for i := range n {
			number := fmt.Sprintf("（2025）豫0482行初%d号", 100+i)
			if i%5 == 4 {
				number = fmt.Sprintf("（2025）豫04行终%d号", 10+i)
			}
			plaintiff := fmt.Sprintf("原告%d", i)
			if i == 3 {
				plaintiff = "@某某有限公司"
			}
			filed := start.AddDays(i * 5)
			path := e.do("POST", "/api/v1/litigation/cases", liaison, map[string]any{"case_number": number, "defendant": agencies[i%len(agencies)],
				"plaintiff": plaintiff, "cause": causes[i%len(causes)], "filed_on": filed}).want(201).Header().Get("Location")
			hear := func(on calendar.Date, position litigation.Position) {
				body := map[string]any{"held_on": on, "head_appeared": position != "" && position.IsHead() && on <= today}
				if position != "" {
					body["appearer"] = map[string]any{"name": "出庭人", "position": position}
				}
				e.do("POST", path+"/hearings", liaison, body).want(200)
			}
			if i%3 != 0 {
				position := positions[i%len(positions)]
				if i%7 == 0 {
					position = "" // nobody named
				}
				hear(filed.AddDays(30), position)
				if i%6 == 1 {
					hear(filed.AddDays(60), positions[(i+1)%len(positions)]) // a later hearing is the one the court lists
				}
			}
			if i == 10 || i == 12 {
				hear(today.AddDays(10), litigation.Principal) // scheduled: not yet held
			}
			if i%3 != 2 {
				result := litigation.Results[i%len(litigation.Results)]
				e.do("POST", path+"/outcome", liaison, map[string]any{"result": result, "concluded_on": filed.AddDays(90)}).want(200)
			}
		}

		res := e.do("GET", "/api/v1/litigation/cases?format=xlsx", liaison, nil).want(200)
		if res.Header().Get("Content-Type") != xlsxMedia || !strings.Contains(res.Header().Get("Content-Disposition"), "litigation-cases.xlsx") {
			t.Fatalf("not an XLSX attachment: %v", res.Header())
		}
		book := res.Body.Bytes()
		s := httpapi.OpenClerkWorkbook(t, book, "行政诉讼案件", litigation.Columns)
		if len(s.Rows) != n+1 {
			t.Fatalf("%d rows, want the header and %d cases", len(s.Rows), n)
		}
		// Case 1: two hearings, the later one (in charge) listed; case 3: a
		// plaintiff that would be a formula; case 9: 行终, no hearing; case
		// 10: a hearing held and one scheduled; case 11: heard by staff,
		// not concluded; case 12: only a hearing scheduled; case 14: heard,
		// nobody named.
		wantRow(t, s, rowOf(t, s, 0, "（2025）豫0482行初101号"),
			"（2025）豫0482行初101号", "原告1", "汝州市自然资源和规划局", "行政许可", "2025-01-11", "2025-03-12", "是", "分管负责人", "2025-04-11", "驳回起诉")
		wantRow(t, s, rowOf(t, s, 0, "（2025）豫0482行初103号"), "（2025）豫0482行初103号", "'@某某有限公司", "汝州市公安局交通警察大队")
		wantRow(t, s, rowOf(t, s, 0, "（2025）豫04行终19号"),
			"（2025）豫04行终19号", "原告9", "汝州市市场监督管理局", "工伤认定", "2025-02-20", "", "", "", "2025-05-21", "撤诉")
		wantRow(t, s, rowOf(t, s, 0, "（2025）豫0482行初110号"),
			"（2025）豫0482行初110号", "原告10", "汝州市公安局交通警察大队", "行政处罚", "2025-02-25", "2025-03-27", "是", "分管负责人", "2025-05-26", "改变行为后撤诉")
		wantRow(t, s, rowOf(t, s, 0, "（2025）豫0482行初111号"),
			"（2025）豫0482行初111号", "原告11", "平顶山市生态环境局汝州分局", "行政许可", "2025-03-02", "2025-04-01", "否", "工作人员", "", "")
		wantRow(t, s, rowOf(t, s, 0, "（2025）豫0482行初112号"),
			"（2025）豫0482行初112号", "原告12", "国家税务总局汝州市税务局", "政府信息公开", "2025-03-07", "", "", "", "2025-06-05", "驳回诉讼请求")
		wantRow(t, s, rowOf(t, s, 0, "（2025）豫04行终24号"),
			"（2025）豫04行终24号", "原告14", "汝州市公安局", "工伤认定", "2025-03-17", "2025-04-16", "否", "", "", "")
		for _, cell := range []string{"E2", "F2", "I2"} {
			if typ, _ := s.File.GetCellType(s.Sheet, cell); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
				t.Errorf("%s is text, not a date", cell)
			}
		}

		rep := e.do("POST", "/api/v1/litigation/imports?name=export.xlsx", liaison, book, "Content-Type", xlsxMedia).want(200).json()
		if rep["rows"] != float64(n) || rep["created"] != float64(0) || rep["updated"] != float64(0) || rep["unchanged"] != float64(n) ||
			len(rep["rejected"].([]any)) != 0 {
			t.Fatalf("the export re-imported as %v", rep)
		}
		if diffs := e.do("GET", "/api/v1/litigation/reconciliation?from=2025-01-01&to=2025-12-31", liaison, nil).want(200).json()["items"].([]any); len(diffs) != 0 {
			t.Fatalf("the exported rows differ from the platform: %v", diffs)
		}

		// A clerk files the whole list, not a page of 50: 60 more cases,
		// all in the workbook, and re-imported unchanged.
		var more strings.Builder
		more.WriteString("案号,原告,被告,案由,立案日期\n")
		for i := 1; i <= 60; i++ {
			fmt.Fprintf(&more, "（2024）豫0482行初%d号,原告,汝州市司法局,行政复议,2024-05-06\n", 500+i)
		}
		e.do("POST", "/api/v1/litigation/imports", liaison, []byte(more.String()), "Content-Type", "text/csv").want(200)
		all := e.do("GET", "/api/v1/litigation/cases?format=xlsx", liaison, nil).want(200).Body.Bytes()
		if s := httpapi.OpenClerkWorkbook(t, all, "行政诉讼案件", litigation.Columns); len(s.Rows) != 1+n+60 {
			t.Fatalf("the export of every case holds %d rows, want %d", len(s.Rows), 1+n+60)
		}
		if rep := e.do("POST", "/api/v1/litigation/imports", liaison, all, "Content-Type", xlsxMedia).want(200).json(); rep["unchanged"] != float64(n+60) {
			t.Fatalf("the export of every case re-imported as %v", rep)
		}

		// Agency staff export their own agency's cases.
		staff := e.user("gaj-legal", jiefen.RoleAgencyStaff, "RZ-GAJ")
		own := httpapi.OpenClerkWorkbook(t, e.do("GET", "/api/v1/litigation/cases?format=xlsx", staff, nil).want(200).Body.Bytes(), "行政诉讼案件", litigation.Columns)
		if len(own.Rows) != 1+5 {
			t.Fatalf("staff export %d rows", len(own.Rows))
		}
		for _, r := range own.Rows[1:] {
			if r[2] != "汝州市公安局" {
				t.Errorf("staff export a case of %s", r[2])
			}
		}
		e.do("GET", "/api/v1/litigation/cases?format=pdf", liaison, nil).want(422)
	})
}

// TestStatsExport: the statistics workbook names agencies and months in
// Chinese, counts as numbers and rates as percentages.
func TestStatsExport(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		liaison, leader := e.as(jiefen.RoleCourtLiaison), e.as(jiefen.RoleLeader)
		for i, agency := range []string{"RZ-GAJ", "RZ-ZRZYJ"} {
			path := e.do("POST", "/api/v1/litigation/cases", liaison, map[string]any{"case_number": fmt.Sprintf("（2025）豫0482行初%d号", i+1),
				"defendant": agency, "plaintiff": "甲", "filed_on": "2025-02-03", "key_flags": []string{"public_interest"}}).want(201).Header().Get("Location")
			e.do("POST", path+"/hearings", liaison, map[string]any{"held_on": "2025-03-04", "head_appeared": i == 0,
				"appearer": map[string]any{"name": "某某", "position": []string{"principal", "staff"}[i]}}).want(200)
			e.do("POST", path+"/outcome", liaison, map[string]any{"result": []string{"annulled", "dismissed_claims"}[i], "concluded_on": "2025-04-05"}).want(200)
		}
		header := []string{"机关", "月份", "收案", "结案", "败诉", "败诉率", "开庭", "负责人出庭", "负责人出庭率", "重点案件开庭", "重点案件负责人出庭"}
		res := e.do("GET", "/api/v1/litigation/stats?from=2025-01-01&to=2025-06-30&group_by=agency,month&format=xlsx", leader, nil).want(200)
		s := httpapi.OpenClerkWorkbook(t, res.Body.Bytes(), "行政应诉统计", header)
		var police []int
		for r, cols := range s.Rows {
			if cols[0] == "汝州市公安局" {
				police = append(police, r+1)
			}
		}
		if len(police) != 3 || len(s.Rows) != 7 {
			t.Fatalf("rows %q", s.Rows)
		}
		wantRow(t, s, police[0], "汝州市公安局", "2025年02月", "1", "0", "0", "", "0", "0", "", "0", "0")
		wantRow(t, s, police[1], "汝州市公安局", "2025年03月", "0", "0", "0", "", "1", "1", "100.0%", "1", "1")
		wantRow(t, s, police[2], "汝州市公安局", "2025年04月", "0", "1", "1", "100.0%", "0", "0", "", "0", "0")
		if raw := s.Raw(fmt.Sprintf("I%d", police[1])); raw != "1" {
			t.Errorf("the rate holds %q, not the number 1", raw)
		}

		// Not grouped: one row for every agency, or for the one asked for.
		header = slices.Delete(header, 1, 2)
		s = httpapi.OpenClerkWorkbook(t, e.do("GET", "/api/v1/litigation/stats?from=2025-01-01&to=2025-06-30&format=xlsx", leader, nil).want(200).Body.Bytes(),
			"行政应诉统计", header)
		wantRow(t, s, 2, "全部机关", "2", "2", "1", "50.0%", "2", "1", "50.0%", "2", "1")
		s = httpapi.OpenClerkWorkbook(t, e.do("GET", "/api/v1/litigation/stats?from=2025-01-01&to=2025-06-30&agency=自然资源局&format=xlsx", leader, nil).want(200).Body.Bytes(),
			"行政应诉统计", header)
		wantRow(t, s, 2, "汝州市自然资源和规划局", "1", "1", "0", "0.0%", "1", "0", "0.0%", "1", "0")
	})
}

// TestReconciliationExport: the differences by their Chinese names,
// agencies by name, dates as dates and results in the court's words.
func TestReconciliationExport(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		liaison := e.as(jiefen.RoleCourtLiaison)
		path := e.do("POST", "/api/v1/litigation/cases", liaison, map[string]any{"case_number": "（2025）豫0482行初1号", "defendant": "RZ-GAJ",
			"plaintiff": "甲", "filed_on": "2025-02-01"}).want(201).Header().Get("Location")
		e.do("POST", path+"/outcome", liaison, map[string]any{"result": "annulled", "concluded_on": "2025-05-01"}).want(200)
		e.do("POST", "/api/v1/litigation/cases", liaison, map[string]any{"case_number": "（2025）豫0482行初2号", "defendant": "RZ-SWJ",
			"plaintiff": "乙", "filed_on": "2025-03-01"}).want(201)
		// Co-defendants: each named.
		e.do("POST", "/api/v1/litigation/cases", liaison, map[string]any{"case_number": "（2025）豫0482行初3号", "defendants": []string{"RZ-ZRZYJ", "RZ"},
			"plaintiff": "丙", "filed_on": "2025-03-02"}).want(201)
		court := [][]string{litigation.Columns, {"（2025）豫0482行初1号", "甲", "自然资源局", "行政处罚", "2025-02-03", "", "", "", "2025-05-02", "驳回诉讼请求"}}
		if rep := e.do("POST", "/api/v1/litigation/imports", liaison, []byte(csvOf(court)), "Content-Type", "text/csv").want(200).json(); rep["unchanged"] != float64(1) {
			t.Fatalf("import %v", rep)
		}
		res := e.do("GET", "/api/v1/litigation/reconciliation?from=2025-01-01&to=2025-12-31&format=xlsx", liaison, nil).want(200)
		s := httpapi.OpenClerkWorkbook(t, res.Body.Bytes(), "对账差异", []string{"案号", "差异", "法院记载", "平台记载"})
		if len(s.Rows) != 7 {
			t.Fatalf("rows %q", s.Rows)
		}
		wantRow(t, s, rowOf(t, s, 1, "被告不一致"), "（2025）豫0482行初1号", "被告不一致", "汝州市自然资源和规划局", "汝州市公安局")
		wantRow(t, s, rowOf(t, s, 1, "立案日期不一致"), "（2025）豫0482行初1号", "立案日期不一致", "2025-02-03", "2025-02-01")
		wantRow(t, s, rowOf(t, s, 1, "结案方式不一致"), "（2025）豫0482行初1号", "结案方式不一致", "驳回诉讼请求", "撤销")
		wantRow(t, s, rowOf(t, s, 1, "结案日期不一致"), "（2025）豫0482行初1号", "结案日期不一致", "2025-05-02", "2025-05-01")
		wantRow(t, s, rowOf(t, s, 0, "（2025）豫0482行初2号"), "（2025）豫0482行初2号", "法院无此案", "", "国家税务总局汝州市税务局")
		wantRow(t, s, rowOf(t, s, 0, "（2025）豫0482行初3号"), "（2025）豫0482行初3号", "法院无此案", "", "汝州市自然资源和规划局、汝州市人民政府")
		e.do("GET", "/api/v1/litigation/reconciliation?format=xlsx", e.as(jiefen.RoleAgencyStaff), nil).want(403)
	})
}

// TestLedgerExport: the 台账 as a workbook: units by name, the state in
// Chinese, dates as dates, the latest progress and comment; agency staff
// export the issues their unit leads.
func TestLedgerExport(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		liaison, leader := e.as(jiefen.RoleCourtLiaison), e.as(jiefen.RoleLeader)
		staff := e.user("gaj-legal", jiefen.RoleAgencyStaff, "RZ-GAJ")
		path := e.do("POST", "/api/v1/ledger/issues", liaison, map[string]any{"meeting": "2025年第一次府院联席会议", "title": "负责人出庭率偏低",
			"lead_unit": "RZ-GAJ", "co_units": []string{"RZ-SFJ", "RZ-XFJ"}, "deadline": "2025-06-30", "on": "2025-03-01"}).want(201).Header().Get("Location")
		e.do("POST", path+"/advance", liaison, map[string]any{"to": "rectifying", "on": "2025-03-05"}).want(200)
		e.do("POST", path+"/reports", staff, map[string]any{"on": "2025-04-20", "text": "已起草出庭规则"}).want(200)
		e.do("POST", path+"/reports", staff, map[string]any{"on": "2025-06-20", "text": "=已印发出庭规则"}).want(200)
		e.do("POST", path+"/comments", leader, map[string]any{"text": "抓紧销号"}).want(200)
		e.do("POST", path+"/advance", liaison, map[string]any{"to": "reviewing", "on": "2025-06-25"}).want(200)
		e.do("POST", path+"/advance", liaison, map[string]any{"to": "closed", "on": "2025-06-28"}).want(200)
		e.do("POST", "/api/v1/ledger/issues", liaison, map[string]any{"meeting": "2025年第二次府院联席会议", "title": "征收程序不规范",
			"lead_unit": "RZ-ZRZYJ", "deadline": "2025-09-30", "on": "2025-07-01"}).want(201)

		header := []string{"会议", "事项", "牵头单位", "配合单位", "提出日期", "办理期限", "状态", "是否超期", "最新进展", "进展日期", "销号日期", "领导批示"}
		res := e.do("GET", "/api/v1/ledger/issues?format=xlsx", liaison, nil).want(200)
		if !strings.Contains(res.Header().Get("Content-Disposition"), ".xlsx") {
			t.Fatalf("not an attachment: %v", res.Header())
		}
		s := httpapi.OpenClerkWorkbook(t, res.Body.Bytes(), "府院联动台账", header)
		if len(s.Rows) != 3 {
			t.Fatalf("rows %q", s.Rows)
		}
		wantRow(t, s, rowOf(t, s, 1, "负责人出庭率偏低"), "2025年第一次府院联席会议", "负责人出庭率偏低", "汝州市公安局", "汝州市司法局、汝州市信访局",
			"2025-03-01", "2025-06-30", "销号", "否", "'=已印发出庭规则", "2025-06-20", "2025-06-28", "抓紧销号")
		wantRow(t, s, rowOf(t, s, 1, "征收程序不规范"), "2025年第二次府院联席会议", "征收程序不规范", "汝州市自然资源和规划局", "",
			"2025-07-01", "2025-09-30", "发现问题", "是", "", "", "", "")

		own := httpapi.OpenClerkWorkbook(t, e.do("GET", "/api/v1/ledger/issues?format=xlsx", staff, nil).want(200).Body.Bytes(), "府院联动台账", header)
		if len(own.Rows) != 2 || own.Rows[1][2] != "汝州市公安局" {
			t.Fatalf("staff export %q", own.Rows)
		}
		e.do("GET", "/api/v1/ledger/issues?format=xlsx", e.as(jiefen.RoleIntake), nil).want(403)
		if f := e.do("GET", "/api/v1/ledger/issues?format=csv", liaison, nil).want(422).errorFields(); len(f) != 1 || f[0] != "format" {
			t.Fatalf("fields %v", f)
		}
	})
}
