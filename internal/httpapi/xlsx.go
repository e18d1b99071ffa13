package httpapi

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/xuri/excelize/v2"

	"jiefen/calendar"
)

// cellKind is what a column of an export holds, and so how its numbers
// show.
type cellKind int

const (
	textCell     cellKind = iota // text
	dateCell                     // calendar dates
	intCell                      // whole numbers
	fractionCell                 // fractions in [0, 1], shown as percentages
	moneyCell                    // amounts in fen, shown in yuan with two decimals
)

// column is one column of an export: its header, what it holds, and its
// least width in characters. A column is as wide as its header and values
// need (a Chinese character takes two), up to maxColumnWidth, past which
// its text wraps.
type column struct {
	header string
	kind   cellKind
	width  float64
}

// maxColumnWidth is the widest a column is fitted to its values.
const maxColumnWidth = 50

// table is an export as a clerk files it: one sheet named in Chinese whose
// first row is the header, frozen; dates are date cells, amounts and rates
// numbers; printed on A4 landscape, fitted to one page wide, with the title
// at the top of every page and the header row repeated.
type table struct {
	sheet   string
	title   string
	columns []column
	rows    []tableRow
}

// tableRow is a row of cells, one per column; a total (小计, 合计) is bold.
type tableRow struct {
	cells []any
	total bool
}

// newTable starts a table; sheet must be a valid sheet name (at most 31
// characters, none of :\/?*[]).
func newTable(sheet, title string, columns ...column) *table {
	return &table{sheet: sheet, title: title, columns: columns}
}

// add appends a row. A cell is nil (empty), a string (text, through
// cellText so that it never becomes a formula), a calendar.Date or
// *calendar.Date (a date cell; the zero date and nil are empty), an int or
// int64 (fen in a money column), or a float64 or *float64 (nil is empty).
// A text column may hold dates too (a reconciliation's court and platform
// values).
func (t *table) add(cells ...any) { t.rows = append(t.rows, tableRow{cells: cells}) }

// addTotal appends a subtotal or total row, in bold.
func (t *table) addTotal(cells ...any) { t.rows = append(t.rows, tableRow{cells: cells, total: true}) }

// numFmts are the custom number formats of the cells: yyyy-mm-dd is read
// as a date by Excel, WPS and LibreOffice alike, and its text is the ISO
// date every importer reads.
var numFmts = map[cellKind]string{dateCell: "yyyy-mm-dd", intCell: "0", fractionCell: "0.0%", moneyCell: "#,##0.00"}

// workbook renders the table as an XLSX workbook.
func (t *table) workbook() ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	sheet := t.sheet
	if err := f.SetSheetName(f.GetSheetName(0), sheet); err != nil {
		return nil, err
	}
	styles := map[[2]int]int{}
	style := func(kind cellKind, total bool) (int, error) {
		key := [2]int{int(kind), 0}
		if total {
			key[1] = 1
		}
		if id, ok := styles[key]; ok {
			return id, nil
		}
		s := &excelize.Style{
			Font:      &excelize.Font{Bold: total},
			Border:    thinBorder,
			Alignment: &excelize.Alignment{Vertical: "center", WrapText: kind == textCell},
		}
		if kind == dateCell {
			s.Alignment.Horizontal = "center"
		}
		if nf, ok := numFmts[kind]; ok {
			s.CustomNumFmt = &nf
		}
		id, err := f.NewStyle(s)
		styles[key] = id
		return id, err
	}
	header, err := f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}},
		Border:    thinBorder,
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
	})
	if err != nil {
		return nil, err
	}

	widths := make([]float64, len(t.columns))
	for i, c := range t.columns {
		cell, err := excelize.CoordinatesToCellName(i+1, 1)
		if err != nil {
			return nil, err
		}
		if err := f.SetCellStr(sheet, cell, cellText(c.header)); err != nil {
			return nil, err
		}
		if err := f.SetCellStyle(sheet, cell, cell, header); err != nil {
			return nil, err
		}
		widths[i] = max(c.width, textWidth(c.header))
	}
	for r, row := range t.rows {
		if len(row.cells) > len(t.columns) {
			return nil, fmt.Errorf("row %d of %s has %d cells for %d columns", r+1, sheet, len(row.cells), len(t.columns))
		}
		for i, c := range t.columns {
			var v any
			if i < len(row.cells) {
				v = row.cells[i]
			}
			cell, err := excelize.CoordinatesToCellName(i+1, r+2)
			if err != nil {
				return nil, err
			}
			kind, width, err := t.set(f, cell, c.kind, v)
			if err != nil {
				return nil, fmt.Errorf("%s %s: %w", sheet, cell, err)
			}
			widths[i] = max(widths[i], width)
			id, err := style(kind, row.total)
			if err != nil {
				return nil, err
			}
			if err := f.SetCellStyle(sheet, cell, cell, id); err != nil {
				return nil, err
			}
		}
	}
	for i, w := range widths {
		name, err := excelize.ColumnNumberToName(i + 1)
		if err != nil {
			return nil, err
		}
		if err := f.SetColWidth(sheet, name, name, min(w+2, maxColumnWidth)); err != nil {
			return nil, err
		}
	}
	if err := t.pageSetup(f); err != nil {
		return nil, err
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// set writes v into cell of a column of the kind, and returns the kind of
// cell written (a text column's date is a date) and the width it needs.
func (t *table) set(f *excelize.File, cell string, kind cellKind, v any) (cellKind, float64, error) {
	if p, ok := v.(*calendar.Date); ok {
		if p == nil {
			return kind, 0, nil
		}
		v = *p
	}
	if p, ok := v.(*float64); ok {
		if p == nil {
			return kind, 0, nil
		}
		v = *p
	}
	switch x := v.(type) {
	case nil:
		return kind, 0, nil
	case string:
		return textCell, textWidth(x), f.SetCellStr(t.sheet, cell, cellText(x))
	case calendar.Date:
		if x == 0 {
			return kind, 0, nil
		}
		return dateCell, 10, f.SetCellInt(t.sheet, cell, int64(x)+excelEpochOffset)
	case int:
		v = int64(x)
	}
	switch x := v.(type) {
	case int64:
		if kind == moneyCell {
			return kind, 12, f.SetCellFloat(t.sheet, cell, float64(x)/100, 2, 64)
		}
		return kind, 8, f.SetCellInt(t.sheet, cell, x)
	case float64:
		return kind, 8, f.SetCellFloat(t.sheet, cell, x, -1, 64)
	}
	return kind, 0, fmt.Errorf("cannot write a %T", v)
}

// excelEpochOffset is the serial number of 1970-01-01, the zero of
// calendar.Date, in the 1900 date system of spreadsheets.
const excelEpochOffset = 25569

// thinBorder rules every cell for printing.
var thinBorder = []excelize.Border{
	{Type: "left", Color: "808080", Style: 1}, {Type: "right", Color: "808080", Style: 1},
	{Type: "top", Color: "808080", Style: 1}, {Type: "bottom", Color: "808080", Style: 1},
}

// pageSetup freezes the header row and sets the sheet up for printing: A4
// landscape, one page wide and as many long as it takes, the header row
// repeated on every page (print titles), the title above and the page
// numbers below.
func (t *table) pageSetup(f *excelize.File) error {
	sheet := t.sheet
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
		return err
	}
	a4, landscape, wide, long, fit := 9, "landscape", 1, 0, true
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: &a4, Orientation: &landscape, FitToWidth: &wide, FitToHeight: &long}); err != nil {
		return err
	}
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	side, edge, band := 0.4, 0.75, 0.3
	if err := f.SetPageMargins(sheet, &excelize.PageLayoutMarginsOptions{Left: &side, Right: &side, Top: &edge, Bottom: &edge,
		Header: &band, Footer: &band}); err != nil {
		return err
	}
	if err := f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: "'" + strings.ReplaceAll(sheet, "'", "''") + "'!$1:$1",
		Scope: sheet}); err != nil {
		return err
	}
	if err := f.SetHeaderFooter(sheet, &excelize.HeaderFooterOptions{
		OddHeader: `&C&"-,Bold"&14` + strings.ReplaceAll(t.title, "&", "&&"),
		OddFooter: "&C第 &P 页，共 &N 页",
	}); err != nil {
		return err
	}
	return f.SetDocProps(&excelize.DocProperties{Title: t.title, Language: "zh-CN"})
}

// textWidth is the width of s in characters of the default font, a
// Chinese (or other wide) character counting two; of several lines, the
// widest.
func textWidth(s string) float64 {
	widest, w := 0, 0
	for _, r := range s {
		switch {
		case r == '\n':
			w = 0
		case wide(r):
			w += 2
		default:
			w++
		}
		widest = max(widest, w)
	}
	return float64(widest)
}

// wide reports whether r takes two columns: Han, kana, Hangul, CJK
// punctuation and full-width forms.
func wide(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) ||
		(r >= 0x3000 && r <= 0x303F) || (r >= 0xFF01 && r <= 0xFF60) || (r >= 0xFFE0 && r <= 0xFFE6)
}

// cellText neutralises a text destined for a spreadsheet cell against
// formula injection: a text that begins with '=', '+', '-', '@', a tab or a
// carriage return gets a single quote (') in front of it, so that no
// spreadsheet reads it as a formula; any other text is returned unchanged.
func cellText(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}
