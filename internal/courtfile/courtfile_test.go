package courtfile_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"jiefen"
	"jiefen/calendar"
	"jiefen/internal/courtfile"
	"jiefen/litigation"
)

// files are the court caseload files LibreOffice made (testdata/courtfiles,
// see make.py there).
const files = "../../testdata/courtfiles"

// read opens a committed file and returns its rows as sheet!row: 案号 … and
// what the file reports.
type result struct {
	rows          []litigation.CourtRow
	skipped       int
	skippedSheets []string
}

func read(t *testing.T, name string) (result, error) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(files, name))
	if err != nil {
		t.Fatal(err)
	}
	return readBytes(t, b, courtfile.DefaultLimits())
}

func readBytes(t *testing.T, b []byte, lim courtfile.Limits) (result, error) {
	t.Helper()
	f, err := courtfile.Open(context.Background(), bytes.NewReader(b), lim)
	if err != nil {
		return result{}, err
	}
	defer f.Close()
	var r result
	err = f.Each(context.Background(), func(row litigation.CourtRow) error {
		r.rows = append(r.rows, row)
		return nil
	})
	r.skipped, r.skippedSheets = f.Skipped(), f.SkippedSheets()
	return r, err
}

// TestFilesAsClerksMakeThem reads every committed file and checks what a
// liaison expects of each: the dates the clerk meant, the rows numbered as
// the spreadsheet shows them, every sheet with the header, merged cells
// filled down, totals and footers skipped.
func TestFilesAsClerksMakeThem(t *testing.T) {
	today := calendar.NewDate(2026, 12, 2)
	titles := litigation.DefaultTitles()
	t.Run("dates", func(t *testing.T) {
		r, err := read(t, "dates.xlsx")
		if err != nil {
			t.Fatal(err)
		}
		if len(r.rows) != 12 {
			t.Fatalf("%d rows", len(r.rows))
		}
		for i, row := range r.rows {
			if row.Line != i+2 {
				t.Errorf("row %d numbered %d", i+2, row.Line)
			}
			c, err := row.Parse(today, titles)
			if err != nil {
				t.Errorf("row %d (%q): %v", row.Line, row.Values["立案日期"], err)
				continue
			}
			if c.Filing.FiledOn != calendar.NewDate(2024, 1, 26) {
				t.Errorf("row %d: 立案日期 %q read as %s", row.Line, row.Values["立案日期"], c.Filing.FiledOn)
			}
			if i < 3 && (c.Hearing == nil || c.Hearing.HeldOn != calendar.NewDate(2024, 3, 5)) {
				t.Errorf("row %d: 开庭日期 %q", row.Line, row.Values["开庭日期"])
			}
		}
	})
	t.Run("title row", func(t *testing.T) {
		r, err := read(t, "title-row.xlsx")
		if err != nil {
			t.Fatal(err)
		}
		if got := lines(r.rows); got != "4:（2024）豫0482行初21号 5:（2024）豫0482行初22号" {
			t.Errorf("rows %s", got)
		}
	})
	t.Run("two sheets", func(t *testing.T) {
		r, err := read(t, "two-sheets.xlsx")
		if err != nil {
			t.Fatal(err)
		}
		if got := lines(r.rows); got != "2024年!2:（2024）豫0482行初31号 2024年!3:（2024）豫0482行初32号 2025年!2:（2025）豫0482行初33号 2025年!3:（2025）豫0482行初34号" {
			t.Errorf("rows %s", got)
		}
		if _, err := r.rows[3].Parse(today, titles); fields(err) != "立案日期" {
			t.Errorf("row 2025年!3: %v", err)
		}
	})
	t.Run("cover sheet", func(t *testing.T) {
		r, err := read(t, "cover-sheet.xlsx")
		if err != nil {
			t.Fatal(err)
		}
		if got := lines(r.rows); got != "案件!2:（2024）豫0482行初41号" || !reflect.DeepEqual(r.skippedSheets, []string{"填表说明"}) {
			t.Errorf("rows %s, skipped sheets %v", got, r.skippedSheets)
		}
	})
	t.Run("merged cells", func(t *testing.T) {
		r, err := read(t, "merged.xlsx")
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, row := range r.rows {
			got = append(got, row.Values["被告"]+"/"+row.Values["案由"])
		}
		if want := "汝州市自然资源和规划局/行政处罚 汝州市自然资源和规划局/行政处罚 汝州市自然资源和规划局/行政强制 汝州市公安局/行政处罚"; strings.Join(got, " ") != want {
			t.Errorf("被告/案由 %v, want %s", got, want)
		}
	})
	t.Run("totals and footers", func(t *testing.T) {
		r, err := read(t, "totals.xlsx")
		if err != nil {
			t.Fatal(err)
		}
		if got := lines(r.rows); got != "2:（2024）豫0482行初61号 3:（2024）豫0482行初62号" || r.skipped != 4 {
			t.Errorf("rows %s, skipped %d (want the blank row, 合计, 制表人 and 备注: 4)", got, r.skipped)
		}
	})
	t.Run("hidden duplicate", func(t *testing.T) {
		_, err := read(t, "hidden-duplicate.xlsx")
		if jiefen.ErrorCodeOf(err) != jiefen.EINVALID || !strings.Contains(fmt.Sprint(err.(*jiefen.Error).Fields), "C 列和 K 列（K 列是隐藏列）") {
			t.Errorf("err %v", err)
		}
	})
	for _, name := range []string{"titles.xlsx", "titles-gb18030-crlf.csv"} {
		t.Run(name, func(t *testing.T) {
			r, err := read(t, name)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, row := range r.rows {
				c, err := row.Parse(today, titles)
				switch {
				case err != nil:
					got = append(got, fmt.Sprintf("%d:%s", row.Line, fields(err)))
				case c.Filing.FiledOn != calendar.NewDate(2024, 1, 26):
					got = append(got, fmt.Sprintf("%d:filed %s", row.Line, c.Filing.FiledOn))
				default:
					got = append(got, fmt.Sprintf("%d:%s", row.Line, c.Hearing.Appearer.Position))
				}
			}
			want := "2:principal 3:deputy 4:in_charge 5:staff 6:staff 7:principal 8:负责人出庭 9:出庭人职务"
			if strings.Join(got, " ") != want {
				t.Errorf("got  %s\nwant %s", strings.Join(got, " "), want)
			}
		})
	}
	for name, format := range map[string]string{"excel97.xls": ".xls", "excel97-renamed.xlsx": ".xls", "opendocument.ods": ".ods"} {
		t.Run(name, func(t *testing.T) {
			_, err := read(t, name)
			if jiefen.ErrorCodeOf(err) != jiefen.EUNSUPPORTEDMEDIA || !strings.Contains(err.Error(), format) || !strings.Contains(err.Error(), "另存为” .xlsx") {
				t.Errorf("err %v", err)
			}
		})
	}
}

func lines(rows []litigation.CourtRow) string {
	var out []string
	for _, r := range rows {
		s := fmt.Sprintf("%d:%s", r.Line, r.Values["案号"])
		if r.Sheet != "Sheet1" && r.Sheet != "S" && r.Sheet != "" {
			s = r.Sheet + "!" + s
		}
		out = append(out, s)
	}
	return strings.Join(out, " ")
}

func fields(err error) string {
	e, ok := err.(*jiefen.Error)
	if !ok {
		return fmt.Sprint(err)
	}
	var out []string
	for _, f := range e.Fields {
		out = append(out, f.Field)
	}
	return strings.Join(out, ",")
}

// TestExcelBuiltInDateFormats: Excel's built-in date formats (14, the
// short date that en-US shows as 01-26-24; 22, a date with a time; 31, the
// zh-CN long date) carry no format code in the file, and a workbook may
// count its dates from 1904; each is read by value.
func TestExcelBuiltInDateFormats(t *testing.T) {
	for _, date1904 := range []bool{false, true} {
		x := excelize.NewFile()
		if date1904 {
			if err := x.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &date1904}); err != nil {
				t.Fatal(err)
			}
		}
		for i, h := range []string{"案号", "原告", "被告", "案由", "立案日期"} {
			cell, _ := excelize.CoordinatesToCellName(i+1, 1)
			x.SetCellStr("Sheet1", cell, h)
		}
		serial := 45317.0 // 2024-01-26 from 1899-12-30
		if date1904 {
			serial -= 1462
		}
		for i, format := range []int{14, 22, 31, 57} {
			style, err := x.NewStyle(&excelize.Style{NumFmt: format})
			if err != nil {
				t.Fatal(err)
			}
			row := i + 2
			x.SetSheetRow("Sheet1", fmt.Sprintf("A%d", row), &[]any{fmt.Sprintf("（2024）豫0482行初%d号", row), "甲", "汝州市公安局", "行政处罚", serial + 0.375})
			x.SetCellStyle("Sheet1", fmt.Sprintf("E%d", row), fmt.Sprintf("E%d", row), style)
		}
		var buf bytes.Buffer
		if err := x.Write(&buf); err != nil {
			t.Fatal(err)
		}
		r, err := readBytes(t, buf.Bytes(), courtfile.DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range r.rows {
			if got := row.Values["立案日期"]; got != "2024-01-26" {
				t.Errorf("1904: %v, row %d: 立案日期 read as %q", date1904, row.Line, got)
			}
		}
		if len(r.rows) != 4 {
			t.Errorf("%d rows", len(r.rows))
		}
	}
}

// TestSpreadsheetDateSpellings: the text dates of API.md, and what is not
// a date.
func TestSpreadsheetDateSpellings(t *testing.T) {
	want := calendar.NewDate(2024, 3, 5)
	for _, s := range []string{"2024-03-05", "2024/3/5", "2024.3.5", "２０２４．３．５", "2024年3月5日", "20240305", "2024-03-05 00:00:00",
		"2024/3/5 0:00", "2024-03-05T08:30:00", "45356", "24年3月5日", "03/05/24", "3/5/2024", " 2024-3-5 "} {
		if d, ok := litigation.SpreadsheetDate(s); !ok || d != want {
			t.Errorf("SpreadsheetDate(%q) = %s, %v", s, d, ok)
		}
	}
	for _, s := range []string{"", "下周", "2024-02-30", "2024-13-01", "20241305", "3/5", "1", "2024年3月", "99999999"} {
		if d, ok := litigation.SpreadsheetDate(s); ok {
			t.Errorf("SpreadsheetDate(%q) = %s, want no date", s, d)
		}
	}
}

// TestHeadersAsClerksWriteThem: headers aligned with spaces, broken over two
// lines, marked required or with a note, a tab-separated text file (WPS's
// 文本文件), and records with a line break in a quoted cell, which a
// spreadsheet shows as one row each: the rows keep the numbers it shows.
func TestHeadersAsClerksWriteThem(t *testing.T) {
	csv := "\"案  号\",*原告,\"被\n告\",案由,立案日期（年月日）,备注\n" +
		"（2024）豫0482行初1号,甲,汝州市公安局,行政处罚,2024-01-26,\n" +
		"\n" +
		"（2024）豫0482行初2号,\"乙\n丙\",汝州市公安局,行政处罚,2024-01-27,\n" +
		"（2024）豫0482行初3号,丁,汝州市公安局,行政处罚,2024-01-28,\n"
	tsv := strings.NewReplacer(",", "\t").Replace(csv)
	for name, file := range map[string]string{"csv": csv, "tab-separated": tsv} {
		r, err := readBytes(t, []byte(file), courtfile.DefaultLimits())
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got := lines(r.rows); got != "2:（2024）豫0482行初1号 4:（2024）豫0482行初2号 5:（2024）豫0482行初3号" || r.skipped != 1 {
			t.Errorf("%s: rows %s, skipped %d", name, got, r.skipped)
		}
		if len(r.rows) > 0 && (r.rows[0].Values["立案日期"] != "2024-01-26" || r.rows[0].Header("被告") != "被\n告") {
			t.Errorf("%s: %v, 被告 written %q", name, r.rows[0].Values, r.rows[0].Header("被告"))
		}
	}
}

// TestFilesMadeBySheetJS: the workbooks SheetJS (the spreadsheet library
// of web pages; testdata/courtfiles/sheetjs/make.js) writes, with its
// formula-string cells (t="str"), dates as serials under a custom format
// or as ISO dates (t="d"), a merged title and a totals row.
func TestFilesMadeBySheetJS(t *testing.T) {
	today := calendar.NewDate(2026, 12, 2)
	for _, name := range []string{"sheetjs/sheetjs.xlsx", "sheetjs/sheetjs-dates.xlsx"} {
		r, err := read(t, name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(r.rows) != 2 || r.skipped != 1 {
			t.Fatalf("%s: rows %s, skipped %d", name, lines(r.rows), r.skipped)
		}
		c, err := r.rows[0].Parse(today, litigation.DefaultTitles())
		if err != nil || c.Filing.FiledOn != calendar.NewDate(2024, 1, 26) || c.Hearing.HeldOn != calendar.NewDate(2024, 3, 5) ||
			c.Outcome.Result != litigation.DismissedClaims || c.Hearing.Appearer.Position != litigation.Principal {
			t.Errorf("%s: %+v %v", name, c, err)
		}
		if c, err := r.rows[1].Parse(today, litigation.DefaultTitles()); err != nil || c.Filing.FiledOn != calendar.NewDate(2024, 2, 29) {
			t.Errorf("%s: %+v %v", name, c, err)
		}
	}
}
