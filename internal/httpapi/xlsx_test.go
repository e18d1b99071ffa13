package httpapi

import (
	"bytes"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"jiefen/calendar"
	"jiefen/liaison"
	"jiefen/litigation"
	"jiefen/mediation"
)

// ClerkSheet is an export opened as a clerk's spreadsheet program opens
// it: the file, its one sheet and the sheet's rows as they show.
type ClerkSheet struct {
	File  *excelize.File
	Sheet string
	Rows  [][]string
}

// englishWords are the codes no export may show: every English enum value
// a user could otherwise read.
func englishWords() []string {
	var out []string
	for _, r := range litigation.Results {
		out = append(out, string(r))
	}
	for _, p := range []litigation.Position{litigation.Principal, litigation.Deputy, litigation.InCharge, litigation.Staff} {
		out = append(out, string(p))
	}
	for _, f := range litigation.Figures {
		out = append(out, string(f))
	}
	for _, s := range liaison.States {
		out = append(out, string(s))
	}
	for _, tier := range []mediation.Tier{mediation.TierGeneral, mediation.TierDifficult, mediation.TierMajor} {
		out = append(out, string(tier))
	}
	for k := range differenceNames {
		out = append(out, k)
	}
	return append(out, "true", "false")
}

var (
	isoDate = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	// orgCode is an org's code such as RZ-GAJ (a dispute's code, such as
	// RZ-2025-000001, is the case's own number and may show).
	orgCode = regexp.MustCompile(`(RZ|PDS)-[A-Z]`)
)

// OpenClerkWorkbook opens an export and checks what every export is
// (API.md, "Court caseload sync"): one sheet of the name with the header
// on row 1, frozen; no org code (RZ-GAJ…) nor English enum anywhere; every
// cell that shows a date a numeric cell formatted yyyy-mm-dd; no formula;
// each column at least as wide as its header (a Chinese character two);
// A4 landscape fitted to one page wide, any number long, with row 1 as
// the print titles.
func OpenClerkWorkbook(t testing.TB, book []byte, sheet string, header []string) *ClerkSheet {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(book))
	if err != nil {
		t.Fatalf("not a workbook: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	if got := f.GetSheetList(); len(got) != 1 || got[0] != sheet {
		t.Fatalf("sheets %q, want [%s]", got, sheet)
	}
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) == 0 || !slices.Equal(rows[0], header) {
		t.Fatalf("header %q, want %q", rows[:min(1, len(rows))], header)
	}
	english := englishWords()
	for r, cols := range rows {
		for c, v := range cols {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			if orgCode.MatchString(v) || slices.Contains(english, v) {
				t.Errorf("%s shows the code %q", cell, v)
			}
			if formula, _ := f.GetCellFormula(sheet, cell); formula != "" {
				t.Errorf("%s holds the formula %q", cell, formula)
			}
			if !isoDate.MatchString(v) {
				continue
			}
			raw, _ := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
			typ, _ := f.GetCellType(sheet, cell)
			id, _ := f.GetCellStyle(sheet, cell)
			style, _ := f.GetStyle(id)
			if _, err := strconv.Atoi(raw); err != nil || (typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset) ||
				style == nil || style.CustomNumFmt == nil || *style.CustomNumFmt != "yyyy-mm-dd" {
				t.Errorf("%s shows the date %s but holds %q (type %v), not a date cell formatted yyyy-mm-dd", cell, v, raw, typ)
			}
		}
	}
	for i, h := range header {
		name, _ := excelize.ColumnNumberToName(i + 1)
		if w, _ := f.GetColWidth(sheet, name); w < textWidth(h) {
			t.Errorf("column %s (%s) is %v wide", name, h, w)
		}
	}
	if panes, err := f.GetPanes(sheet); err != nil || !panes.Freeze || panes.YSplit != 1 || panes.XSplit != 0 {
		t.Errorf("panes %+v: the header row is not frozen", panes)
	}
	layout, err := f.GetPageLayout(sheet)
	if err != nil || layout.Orientation == nil || *layout.Orientation != "landscape" || layout.Size == nil || *layout.Size != 9 ||
		layout.FitToWidth == nil || *layout.FitToWidth != 1 || layout.FitToHeight == nil || *layout.FitToHeight != 0 {
		t.Errorf("page layout %+v, want A4 (9) landscape fitted to one page wide", layout)
	}
	if props, err := f.GetSheetProps(sheet); err != nil || props.FitToPage == nil || !*props.FitToPage {
		t.Errorf("the sheet is not fitted to the page: %+v", props)
	}
	titles := false
	for _, d := range f.GetDefinedName() {
		titles = titles || (d.Name == "_xlnm.Print_Titles" && d.Scope == sheet && strings.HasSuffix(d.RefersTo, "!$1:$1"))
	}
	if !titles {
		t.Errorf("no print titles repeat row 1: %+v", f.GetDefinedName())
	}
	return &ClerkSheet{File: f, Sheet: sheet, Rows: rows}
}

// Cell is what the cell shows.
func (s *ClerkSheet) Cell(cell string) string {
	v, _ := s.File.GetCellValue(s.Sheet, cell)
	return v
}

// Raw is what the cell holds.
func (s *ClerkSheet) Raw(cell string) string {
	v, _ := s.File.GetCellValue(s.Sheet, cell, excelize.Options{RawCellValue: true})
	return v
}

func TestCellText(t *testing.T) {
	for in, want := range map[string]string{
		"":                            "",
		"邻里纠纷":                        "邻里纠纷",
		"a=b":                         "a=b",
		"=1+1":                        "'=1+1",
		"+1":                          "'+1",
		"-2":                          "'-2",
		"@SUM(A1)":                    "'@SUM(A1)",
		"\t=1":                        "'\t=1",
		"\r=1":                        "'\r=1",
		"'already":                    "'already",
		` =HYPERLINK("http://x","y")`: ` =HYPERLINK("http://x","y")`,
	} {
		if got := cellText(in); got != want {
			t.Errorf("cellText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTextWidth(t *testing.T) {
	for in, want := range map[string]float64{"": 0, "abc": 3, "汝州市公安局": 12, "（2025）豫0482行初12号": 22, "一行\n第二行长": 8} {
		if got := textWidth(in); got != want {
			t.Errorf("textWidth(%q) = %v, want %v", in, got, want)
		}
	}
}

// TestTableRefusesWhatItCannotWrite: a cell of an unknown type or a row
// longer than the header is an error, not a silent blank.
func TestTableRefusesWhatItCannotWrite(t *testing.T) {
	tb := newTable("表", "表", column{header: "甲"})
	tb.add(struct{}{})
	if _, err := tb.workbook(); err == nil {
		t.Error("a struct was written")
	}
	tb = newTable("表", "表", column{header: "甲"})
	tb.add("a", "b")
	if _, err := tb.workbook(); err == nil {
		t.Error("a row of two cells was written under one column")
	}
}

func TestSubsidyWorkbook(t *testing.T) {
	day := calendar.NewDate(2026, time.May, 12)
	lines := []mediation.SubsidyLine{
		{
			Mediator: "wang", OrgCode: "RZ-TWH-01", AmountFen: 20000 + 50000 + 12345,
			ByTier: map[string]int{"general": 1, "difficult": 1, "major": 1},
			Cases: []mediation.SubsidyCase{
				{ID: 1, DisputeCode: "JF-2026-0001", Title: `=HYPERLINK("http://x","y")`, Tier: "general", EarnedOn: day, AmountFen: 20000},
				{ID: 2, DisputeCode: "JF-2026-0002", Title: "+1", Tier: "difficult", EarnedOn: day.AddDays(1), AmountFen: 50000},
				{ID: 3, DisputeCode: "JF-2026-0003", Title: "-2", Tier: "major", EarnedOn: day.AddDays(2), AmountFen: 12345},
			},
		},
		{
			Mediator: "@li", OrgCode: "RZ-TWH-02", AmountFen: 20005,
			ByTier: map[string]int{"general": 1},
			Cases: []mediation.SubsidyCase{
				{ID: 4, DisputeCode: "JF-2026-0004", Title: "@SUM(A1)", Tier: "general", EarnedOn: day, AmountFen: 20005},
			},
		},
	}
	names := orgNames{"RZ-TWH-01": "城关镇人民调解委员会", "RZ-TWH-02": "钟楼街道人民调解委员会"}
	b, err := subsidyWorkbook("2026-05", lines, names)
	if err != nil {
		t.Fatal(err)
	}
	s := OpenClerkWorkbook(t, b, "以案定补", []string{"调解员", "调解组织", "案件编号", "纠纷", "难度", "补贴日期", "金额（元）"})
	if hf, _ := s.File.GetHeaderFooter("以案定补"); hf == nil || !strings.Contains(hf.OddHeader, "以案定补（2026年05月）") {
		t.Errorf("the printed title is %+v", hf)
	}

	// Rows 2-4: wang's cases; 5: wang's subtotal; 6: li's case; 7: li's
	// subtotal; 8: the grand total.
	raw := map[string]string{
		"A2": "wang", "B2": "城关镇人民调解委员会", "C2": "JF-2026-0001", "D2": `'=HYPERLINK("http://x","y")`, "E2": "一般", "F2": "46154", "G2": "200.00",
		"D3": "'+1", "E3": "疑难", "F3": "46155", "G3": "500.00",
		"D4": "'-2", "E4": "重大", "F4": "46156", "G4": "123.45",
		"A5": "wang", "B5": "城关镇人民调解委员会", "C5": "小计", "D5": "共 3 件", "F5": "", "G5": "823.45",
		"A6": "'@li", "B6": "钟楼街道人民调解委员会", "D6": "'@SUM(A1)", "E6": "一般", "G6": "200.05",
		"A7": "'@li", "C7": "小计", "D7": "共 1 件", "G7": "200.05",
		"A8": "合计", "B8": "", "D8": "共 4 件", "G8": "1023.50",
	}
	for cell, want := range raw {
		if got := s.Raw(cell); got != want {
			t.Errorf("%s holds %q, want %q", cell, got, want)
		}
	}
	if len(s.Rows) != 8 {
		t.Errorf("%d rows, want 8: nothing after the grand total", len(s.Rows))
	}
	for cell, want := range map[string]string{"F2": "2026-05-12", "G2": "200.00", "G4": "123.45", "G8": "1,023.50"} {
		if got := s.Cell(cell); got != want {
			t.Errorf("%s shows %q, want %q", cell, got, want)
		}
	}
	// Neutralised texts are strings; totals are bold.
	for _, cell := range []string{"D2", "D3", "D4", "D6", "A6"} {
		if typ, _ := s.File.GetCellType("以案定补", cell); typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
			t.Errorf("%s has type %v, want a string", cell, typ)
		}
	}
	for cell, bold := range map[string]bool{"G2": false, "G5": true, "A8": true} {
		id, _ := s.File.GetCellStyle("以案定补", cell)
		if st, _ := s.File.GetStyle(id); st == nil || st.Font == nil || st.Font.Bold != bold {
			t.Errorf("%s bold is not %v", cell, bold)
		}
	}
}

func TestSubsidyWorkbookEmpty(t *testing.T) {
	b, err := subsidyWorkbook("2026-06", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	s := OpenClerkWorkbook(t, b, "以案定补", []string{"调解员", "调解组织", "案件编号", "纠纷", "难度", "补贴日期", "金额（元）"})
	for cell, want := range map[string]string{"A2": "合计", "D2": "共 0 件", "G2": "0.00"} {
		if got := s.Cell(cell); got != want {
			t.Errorf("%s = %q, want %q", cell, got, want)
		}
	}
}
