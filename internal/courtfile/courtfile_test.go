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
		if r.Sheet != "Sheet1" && r.Sheet != "" {
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
