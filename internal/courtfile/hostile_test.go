package courtfile_test

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"jiefen"
	"jiefen/calendar"
	"jiefen/internal/courtfile"
	"jiefen/litigation"
)

// book zips a workbook by hand: its sheets' XML (name → the rows inside
// <sheetData>, then anything after it), shared strings, and the sheets'
// parts as workbook.xml names them (a part may be named twice).
type book struct {
	sheets  []string // names
	parts   []string // the sheetN of each sheet
	xml     map[string]string
	strings []string
}

func (b book) bytes(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	put := func(name, body string) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	var sheets, rels strings.Builder
	for i, name := range b.sheets {
		fmt.Fprintf(&sheets, `<sheet name="%s" sheetId="%d" r:id="rId%d"/>`, name, i+1, i+1)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/%s.xml"/>`, i+1, b.parts[i])
	}
	put("xl/workbook.xml", `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>`+sheets.String()+`</sheets></workbook>`)
	put("xl/_rels/workbook.xml.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`+rels.String()+`</Relationships>`)
	var sst strings.Builder
	for _, s := range b.strings {
		fmt.Fprintf(&sst, "<si><t>%s</t></si>", s)
	}
	put("xl/sharedStrings.xml", `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`+sst.String()+`</sst>`)
	done := map[string]bool{}
	for _, part := range b.parts {
		if !done[part] {
			done[part] = true
			put("xl/worksheets/"+part+".xml", `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`+b.xml[part]+`</worksheet>`)
		}
	}
	zw.Close()
	return buf.Bytes()
}

// headerRow is the court's header as inline strings in row r.
func headerRow(r int, cols ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<row r="%d">`, r)
	for i, c := range cols {
		fmt.Fprintf(&b, `<c r="%c%d" t="inlineStr"><is><t>%s</t></is></c>`, 'A'+i, r, c)
	}
	return b.String() + "</row>"
}

var small = courtfile.Limits{File: 50 << 20, Unzipped: 200 << 20, Row: 64 << 10, Rows: 1000}

// TestHostileWorkbooks: what a crafted workbook may try against the limits
// is refused (413, nothing read), and a client that has gone stops the
// reading at once.
func TestHostileWorkbooks(t *testing.T) {
	head := headerRow(1, "案号", "原告", "被告", "案由", "立案日期")
	long := strings.Repeat("长", 20<<10) // 60 KiB of text
	refs := `<row r="2"><c r="A2" t="inlineStr"><is><t>（2024）豫0482行初1号</t></is></c>` + strings.Repeat(`<c t="s"><v>0</v></c>`, 5) + `</row>`
	var merges strings.Builder
	merges.WriteString("<mergeCells>")
	for i := 0; i < 1001; i++ {
		fmt.Fprintf(&merges, `<mergeCell ref="C%d:C%d"/>`, 2+2*i, 3+2*i)
	}
	merges.WriteString("</mergeCells>")
	for _, c := range []struct {
		name string
		book book
		code jiefen.ErrorCode
	}{
		{"a shared string longer than a row", book{sheets: []string{"S"}, parts: []string{"sheet1"}, strings: []string{long + long},
			xml: map[string]string{"sheet1": "<sheetData>" + head + "</sheetData>"}}, jiefen.ETOOLARGE},
		{"a row naming one shared string five times", book{sheets: []string{"S"}, parts: []string{"sheet1"}, strings: []string{long},
			xml: map[string]string{"sheet1": "<sheetData>" + head + refs + "</sheetData>"}}, jiefen.ETOOLARGE},
		{"two sheets reading one part", book{sheets: []string{"A", "B"}, parts: []string{"sheet1", "sheet1"},
			xml: map[string]string{"sheet1": "<sheetData>" + head + "</sheetData>"}}, jiefen.EMALFORMED},
		{"more merged ranges than rows", book{sheets: []string{"S"}, parts: []string{"sheet1"},
			xml: map[string]string{"sheet1": "<sheetData>" + head + "</sheetData>" + merges.String()}}, jiefen.ETOOLARGE},
	} {
		_, err := readBytes(t, c.book.bytes(t), small)
		if jiefen.ErrorCodeOf(err) != c.code {
			t.Errorf("%s: %v, want %s", c.name, err, c.code)
		}
	}

	// A client that has gone: the first pass stops at once.
	var rows strings.Builder
	for r := 2; r < 50_000; r++ {
		fmt.Fprintf(&rows, `<row r="%d"><c r="A%d" t="inlineStr"><is><t>x</t></is></c></row>`, r, r)
	}
	big := book{sheets: []string{"S"}, parts: []string{"sheet1"}, xml: map[string]string{"sheet1": "<sheetData>" + head + rows.String() + "</sheetData>"}}.bytes(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	start := time.Now()
	if _, err := courtfile.Open(ctx, bytes.NewReader(big), courtfile.DefaultLimits()); !errors.Is(err, context.Canceled) || time.Since(start) > time.Second {
		t.Errorf("a cancelled open: %v after %s", err, time.Since(start))
	}
}

// TestWorkbooksAsRealSoftwareWritesThem: Excel's _xHHHH_ escapes, rows
// without their number, a header in two rows (groups merged over the
// court's columns), a 填表说明 sheet quoting some of the header, totals
// under a 序号 column, and Excel's Unicode text.
func TestWorkbooksAsRealSoftwareWritesThem(t *testing.T) {
	today := calendar.NewDate(2026, 12, 2)
	row := func(r int, cells ...string) string {
		var b strings.Builder
		fmt.Fprintf(&b, `<row r="%d">`, r)
		for i, c := range cells {
			if c != "" {
				fmt.Fprintf(&b, `<c r="%c%d" t="inlineStr"><is><t>%s</t></is></c>`, 'A'+i, r, c)
			}
		}
		return b.String() + "</row>"
	}
	escaped := book{sheets: []string{"S"}, parts: []string{"sheet1"}, strings: []string{"汝州市公安局_x000D_"},
		xml: map[string]string{"sheet1": "<sheetData>" + headerRow(1, "案号", "原告", "被告", "案由", "立案日期") +
			`<row><c r="A5" t="inlineStr"><is><t>（2024）豫0482行初1号</t></is></c><c r="B5" t="inlineStr"><is><t>甲</t></is></c><c r="C5" t="s"><v>0</v></c><c r="E5" t="inlineStr"><is><t>2024-01-26</t></is></c></row>` +
			"</sheetData>"}}
	r, err := readBytes(t, escaped.bytes(t), courtfile.DefaultLimits())
	if err != nil || len(r.rows) != 1 || r.rows[0].Line != 5 || r.rows[0].Values["被告"] != "汝州市公安局" {
		t.Errorf("escapes and row numbers: %v %+v", err, r.rows)
	}

	twoRows := book{sheets: []string{"S"}, parts: []string{"sheet1"}, xml: map[string]string{"sheet1": "<sheetData>" +
		row(1, "案号", "原告", "被告", "案由", "立案日期", "开庭情况", "", "", "结案情况", "") +
		row(2, "", "", "", "", "", "开庭日期", "负责人出庭", "出庭人职务", "结案日期", "结案方式") +
		row(3, "（2024）豫0482行初2号", "乙", "汝州市公安局", "行政处罚", "2024-01-26", "2024-03-05", "是", "局长", "2024-06-01", "撤销") +
		"</sheetData>"}}
	r, err = readBytes(t, twoRows.bytes(t), courtfile.DefaultLimits())
	if err != nil || len(r.rows) != 1 {
		t.Fatalf("a header in two rows: %v %+v", err, r.rows)
	}
	if c, err := r.rows[0].Parse(today, litigation.DefaultTitles()); err != nil || c.Hearing == nil || c.Outcome == nil || c.Hearing.Appearer.Position != litigation.Principal {
		t.Errorf("a header in two rows: %+v %v", c, err)
	}

	// Co-defendants one under another, the case's other cells merged
	// down over them: one case with both defendants.
	coDefendants := book{sheets: []string{"S"}, parts: []string{"sheet1"}, xml: map[string]string{"sheet1": "<sheetData>" +
		headerRow(1, "案号", "原告", "被告", "案由", "立案日期") +
		row(2, "（2024）豫0482行初5号", "己", "汝州市公安局", "行政强制", "2024-01-26") + row(3, "", "", "汝州市自然资源和规划局") +
		row(4, "（2024）豫0482行初6号", "庚", "汝州市公安局", "行政处罚", "2024-01-27") +
		`</sheetData><mergeCells><mergeCell ref="A2:A3"/><mergeCell ref="B2:B3"/><mergeCell ref="D2:D3"/><mergeCell ref="E2:E3"/></mergeCells>`}}
	r, err = readBytes(t, coDefendants.bytes(t), courtfile.DefaultLimits())
	if err != nil || lines(r.rows) != "2:（2024）豫0482行初5号 4:（2024）豫0482行初6号" || r.rows[0].Values["被告"] != "汝州市公安局、汝州市自然资源和规划局" || r.rows[0].Values["案由"] != "行政强制" {
		t.Errorf("co-defendants one under another: %v %+v", err, r.rows)
	}

	notes := book{sheets: []string{"填表说明", "2024年"}, parts: []string{"sheet1", "sheet2"}, xml: map[string]string{
		"sheet1": "<sheetData>" + row(1, "填表说明") + row(2, "必填列：", "案号", "原告", "被告") + "</sheetData>",
		"sheet2": "<sheetData>" + headerRow(1, "序号", "案号", "原告", "被告", "案由", "立案日期", "备注") +
			row(2, "1", "（2024）豫0482行初3号", "丙", "汝州市公安局", "行政处罚", "2024-01-26") +
			row(3, "2", "", "丁", "汝州市公安局", "行政处罚", "2024-01-27", "说明：案号待法院补录") +
			row(4, "合计", "2") + "</sheetData>"}}
	r, err = readBytes(t, notes.bytes(t), courtfile.DefaultLimits())
	if err != nil || lines(r.rows) != "2024年!2:（2024）豫0482行初3号 2024年!3:" || r.skipped != 1 || strings.Join(r.skippedSheets, ",") != "填表说明" {
		t.Errorf("notes and totals: %v rows %s skipped %d %v", err, lines(r.rows), r.skipped, r.skippedSheets)
	}

	// Excel's 另存为 "Unicode 文本": UTF-16 with a BOM, tab-separated.
	utf16 := []byte{0xFF, 0xFE}
	for _, c := range "案号\t原告\t被告\t案由\t立案日期\r\n（2024）豫0482行初4号\t戊\t汝州市公安局\t行政处罚\t2024/1/26\r\n" {
		utf16 = append(utf16, byte(c), byte(c>>8))
	}
	if r, err := readBytes(t, utf16, courtfile.DefaultLimits()); err != nil || lines(r.rows) != "2:（2024）豫0482行初4号" {
		t.Errorf("Unicode text: %v %s", err, lines(r.rows))
	}
	// An HTML table saved as .xls is named, not misread.
	if _, err := readBytes(t, []byte("<html><body><table><tr><td>案号</td></tr></table></body></html>"), courtfile.DefaultLimits()); jiefen.ErrorCodeOf(err) != jiefen.EUNSUPPORTEDMEDIA {
		t.Errorf("an HTML .xls: %v", err)
	}
	for title, want := range map[string]litigation.Position{"副局长（主持工作）": litigation.Deputy, "局长(兼)": litigation.Principal,
		"办公室主任": litigation.Staff, "派出所所长": litigation.Staff} {
		if got, ok := litigation.DefaultTitles().PositionOf(title); !ok || got != want {
			t.Errorf("%s: %s, want %s", title, got, want)
		}
	}
}
