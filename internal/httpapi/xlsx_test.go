package httpapi

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"jiefen/calendar"
	"jiefen/internal/sqlstore"
)

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

func TestSubsidyWorkbook(t *testing.T) {
	day := calendar.NewDate(2026, time.May, 12)
	lines := []sqlstore.SubsidyLine{
		{
			Mediator: "wang", OrgCode: "RMTJ-01", AmountFen: 20000 + 50000 + 12345,
			ByTier: map[string]int{"general": 1, "difficult": 1, "major": 1},
			Cases: []sqlstore.SubsidyCase{
				{ID: 1, DisputeCode: "JF-2026-0001", Title: `=HYPERLINK("http://x","y")`, Tier: "general", EarnedOn: day, AmountFen: 20000},
				{ID: 2, DisputeCode: "JF-2026-0002", Title: "+1", Tier: "difficult", EarnedOn: day.AddDays(1), AmountFen: 50000},
				{ID: 3, DisputeCode: "JF-2026-0003", Title: "-2", Tier: "major", EarnedOn: day.AddDays(2), AmountFen: 12345},
			},
		},
		{
			Mediator: "@li", OrgCode: "RMTJ-02", AmountFen: 20005,
			ByTier: map[string]int{"general": 1},
			Cases: []sqlstore.SubsidyCase{
				{ID: 4, DisputeCode: "JF-2026-0004", Title: "@SUM(A1)", Tier: "general", EarnedOn: day, AmountFen: 20005},
			},
		},
	}
	b, err := subsidyWorkbook("2026-05", lines)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	if got := f.GetSheetList(); len(got) != 1 || got[0] != "以案定补" {
		t.Fatalf("sheets = %q, want [以案定补]", got)
	}
	get := func(cell string) string {
		t.Helper()
		v, err := f.GetCellValue("以案定补", cell, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		return v
	}

	if got := get("A1"); got != "以案定补 2026-05" {
		t.Errorf("title = %q", got)
	}
	for i, want := range []string{"调解员", "组织", "案件编号", "纠纷", "难度", "补贴日期", "金额（元）"} {
		cell, _ := excelize.CoordinatesToCellName(i+1, 2)
		if got := get(cell); got != want {
			t.Errorf("header %s = %q, want %q", cell, got, want)
		}
	}

	// Rows 3-5: wang's cases; 6: wang's subtotal; 7: li's case; 8: li's
	// subtotal; 9: the grand total.
	want := map[string]string{
		"A3": "wang", "B3": "RMTJ-01", "C3": "JF-2026-0001", "D3": `'=HYPERLINK("http://x","y")`, "E3": "一般", "F3": "2026-05-12", "G3": "200.00",
		"D4": "'+1", "E4": "疑难", "F4": "2026-05-13", "G4": "500.00",
		"D5": "'-2", "E5": "重大", "F5": "2026-05-14", "G5": "123.45",
		"A6": "wang", "C6": "小计", "D6": "共 3 件", "G6": "823.45",
		"A7": "'@li", "D7": "'@SUM(A1)", "E7": "一般", "G7": "200.05",
		"A8": "'@li", "C8": "小计", "D8": "共 1 件", "G8": "200.05",
		"A9": "合计", "D9": "共 4 件", "G9": "1023.50",
	}
	for cell, w := range want {
		if got := get(cell); got != w {
			t.Errorf("%s = %q, want %q", cell, got, w)
		}
	}
	if got := get("A10"); got != "" {
		t.Errorf("A10 = %q, want nothing after the grand total", got)
	}

	// Amounts are numbers shown with two decimals.
	for _, cell := range []string{"G3", "G6", "G9"} {
		typ, err := f.GetCellType("以案定补", cell)
		if err != nil {
			t.Fatal(err)
		}
		if typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
			t.Errorf("%s has type %v, want a number", cell, typ)
		}
	}
	if got, _ := f.GetCellValue("以案定补", "G3"); got != "200.00" {
		t.Errorf("G3 shows %q, want 200.00", got)
	}
	if got, _ := f.GetCellValue("以案定补", "G9"); got != "1,023.50" {
		t.Errorf("G9 shows %q, want 1,023.50", got)
	}

	// Not one cell is a formula, and the neutralised texts are strings.
	rows, err := f.GetRows("以案定补")
	if err != nil {
		t.Fatal(err)
	}
	for r, cols := range rows {
		for c := range cols {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			formula, err := f.GetCellFormula("以案定补", cell)
			if err != nil {
				t.Fatal(err)
			}
			if formula != "" {
				t.Errorf("%s holds formula %q", cell, formula)
			}
		}
	}
	for _, cell := range []string{"D3", "D4", "D5", "D7", "A7"} {
		if v := get(cell); !strings.HasPrefix(v, "'") {
			t.Errorf("%s = %q, want it neutralised with a leading quote", cell, v)
		}
		typ, err := f.GetCellType("以案定补", cell)
		if err != nil {
			t.Fatal(err)
		}
		if typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
			t.Errorf("%s has type %v, want a string", cell, typ)
		}
	}
}

func TestSubsidyWorkbookEmpty(t *testing.T) {
	b, err := subsidyWorkbook("2026-06", nil)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for cell, want := range map[string]string{"A1": "以案定补 2026-06", "A2": "调解员", "A3": "合计", "D3": "共 0 件", "G3": "0.00"} {
		if got, _ := f.GetCellValue("以案定补", cell); got != want {
			t.Errorf("%s = %q, want %q", cell, got, want)
		}
	}
}
