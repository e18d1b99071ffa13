package courtfile

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode"

	"jiefen"
	"jiefen/litigation"
)

// headerRows is how far down a sheet the court's header may be: a title,
// a 填报单位 line and blank rows above it are normal (API.md).
const headerRows = 10

// required are the columns without which a row cannot be a case.
var required = []string{litigation.ColCaseNumber, litigation.ColPlaintiff, litigation.ColDefendant, litigation.ColFiledOn}

// noteWords begin the rows below the data that are not cases: totals and
// footers (API.md). A row without a case number whose first words are one
// of these is skipped, not rejected.
var noteWords = []string{"合计", "总计", "小计", "共计", "累计", "制表人", "制表", "填表人", "填表说明", "填报说明", "填报人",
	"审核人", "审核", "备注", "说明", "注：", "注:", "负责人签字", "单位负责人", "联系人", "联系电话"}

// cell is a cell of a row with something in it: its column (1 = A) and its
// text.
type cell struct {
	col  int
	text string
}

// span is a vertically merged range of one column: rows from+1 … to show
// the value of row from.
type span struct{ col, from, to int }

// table is a sheet (or a CSV) with the court's header: where the header
// is, which column holds which of the court's columns, and what to fill
// down.
type table struct {
	sheet   string
	part    string            // the worksheet's part in an XLSX
	header  int               // the header's row number
	cols    map[int]string    // column → the court's word
	written map[string]string // the court's word → the header as the file writes it
	spans   map[int][]span    // vertical merges below the header, by first row
	carry   map[int]carried   // column → the value filled down into it
	last    int               // the last row handed out, for counting blank rows
}

type carried struct {
	to   int
	text string
}

// header reads a row as the court's header: it is one when it has a 案号
// column and at least one other of the court's columns. A column named
// twice (a hidden duplicate 被告, say) refuses the file, naming both (err);
// a header without a required column is incomplete: the sheet is skipped,
// and the file refused with it only when no sheet has a whole header.
func header(sheet string, num int, cells []cell, hidden map[int]bool) (t *table, incomplete, err error) {
	t = &table{sheet: sheet, header: num, cols: map[int]string{}, written: map[string]string{}, spans: map[int][]span{}, carry: map[int]carried{}}
	at := map[string]int{}
	for _, c := range cells {
		word := litigation.Column(c.text)
		if word == "" {
			continue
		}
		if first, dup := at[word]; dup {
			return nil, nil, duplicate(sheet, num, c.text, first, c.col, hidden)
		}
		at[word] = c.col
		t.name(c.col, word, c.text)
	}
	if _, ok := at[litigation.ColCaseNumber]; !ok || len(at) < 2 {
		return nil, nil, nil
	}
	var missing []string
	for _, c := range required {
		if _, ok := at[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		var p jiefen.Problems
		p.Add("header", "%s第 %d 行的表头缺少 %s 列（法院的列：%s）", where(sheet), num, strings.Join(missing, "、"), strings.Join(litigation.Columns, "、"))
		return nil, p.Err(), nil
	}
	return t, nil, nil
}

// name records that a column holds one of the court's columns.
func (t *table) name(col int, word, written string) {
	t.cols[col] = word
	if h := strings.TrimSpace(written); h != word {
		t.written[word] = h
	}
}

// subheader reads the row under a header whose groups (开庭情况, 结案情况)
// are merged over the court's columns in the row below: its court columns
// join the header, which is then that row. False when the row is no such
// second header row.
func (t *table) subheader(num int, cells []cell, hidden map[int]bool) (bool, error) {
	found := false
	for _, c := range cells {
		word := litigation.Column(c.text)
		if word == "" {
			if _, mapped := t.cols[c.col]; !mapped {
				continue
			}
			return false, nil // a value under a column of the header: a data row
		}
		for col, w := range t.cols {
			if w == word && col != c.col {
				return false, duplicate(t.sheet, num, c.text, col, c.col, hidden)
			}
		}
		found = true
	}
	if !found {
		return false, nil
	}
	for _, c := range cells {
		if word := litigation.Column(c.text); word != "" {
			t.name(c.col, word, c.text)
		}
	}
	t.header = num
	return true, nil
}

// finder looks for a sheet's header in its first rows during the first
// pass and counts the data rows below it against the file's limit.
type finder struct {
	file       *File
	sheet      string
	hidden     map[int]bool
	t          *table
	incomplete error // the first header that lacked a required column
}

// row takes the sheet's next row; done once the header was not found in
// the first rows.
func (h *finder) row(num int, cells []cell) (done bool, err error) {
	if h.t == nil {
		if num > headerRows {
			return true, nil
		}
		t, incomplete, err := header(h.sheet, num, cells, h.hidden)
		if h.incomplete == nil {
			h.incomplete = incomplete
		}
		h.t = t
		return false, err
	}
	if num == h.t.header+1 {
		if sub, err := h.t.subheader(num, cells, h.hidden); sub || err != nil {
			return false, err
		}
	}
	if h.file.rows++; h.file.rows > h.file.lim.Rows {
		return false, tooLarge("数据超过 %d 行的上限", h.file.lim.Rows)
	}
	return false, nil
}

// duplicate refuses a header that names a column twice.
func duplicate(sheet string, num int, text string, first, second int, hidden map[int]bool) error {
	note := ""
	for _, c := range []int{first, second} {
		if hidden[c] {
			note += fmt.Sprintf("（%s 列是隐藏列）", columnName(c))
		}
	}
	var p jiefen.Problems
	p.Add(strings.TrimSpace(text), "%s第 %d 行的表头有两列“%s”：%s 列和 %s 列%s。无法判断以哪一列为准，请删去多余的一列后再导入",
		where(sheet), num, strings.TrimSpace(text), columnName(first), columnName(second), note)
	return p.Err()
}

// wants reports whether a column is one of the court's.
func (t *table) wants(col int) bool { return t.cols[col] != "" }

// merge records a merged range; only what lies below the header is filled
// down, column by column.
func (t *table) merge(top, left, bottom, right int) {
	if bottom <= top || bottom <= t.header {
		return
	}
	for c := left; c <= right; c++ {
		if _, ok := t.cols[c]; ok {
			t.spans[top] = append(t.spans[top], span{col: c, from: top, to: bottom})
		}
	}
}

// row makes a court row of a row below the header, filling merged cells
// down; false for a row that is not a case: blank, or a totals or footer
// row without a case number. continued: its 案号 is a merged cell's from a
// row above, so the row goes on the case of that row (co-defendants listed
// one under another).
func (t *table) row(num int, cells []cell) (row litigation.CourtRow, ok, continued bool) {
	row = litigation.CourtRow{Sheet: t.sheet, Line: num, Values: make(map[string]string, len(t.cols))}
	if len(t.written) > 0 {
		row.Headers = t.written
	}
	for _, c := range cells {
		if word, ok := t.cols[c.col]; ok {
			row.Values[word] = c.text
		}
	}
	for col, k := range t.carry {
		if num > k.to {
			delete(t.carry, col)
		} else if strings.TrimSpace(row.Values[t.cols[col]]) == "" {
			row.Values[t.cols[col]] = k.text
			continued = continued || t.cols[col] == litigation.ColCaseNumber
		}
	}
	for _, s := range t.spans[num] {
		t.carry[s.col] = carried{to: s.to, text: row.Values[t.cols[s.col]]}
	}
	blank := true
	for _, v := range row.Values {
		blank = blank && strings.TrimSpace(v) == ""
	}
	if blank {
		return row, false, false
	}
	// A totals or footer row has no case number (a count under 案号 is
	// none) and begins with one of noteWords.
	if n := strings.TrimSpace(row.Values[litigation.ColCaseNumber]); !strings.ContainsAny(n, "号(（") && len(cells) > 0 && isNote(cells[0].text) {
		return row, false, false
	}
	return row, true, continued
}

// fold adds a continued row to the row of its case: a 被告 it names that
// the case's row does not becomes a co-defendant (joined by 、, as one cell
// writes them), and a column the case's row left empty takes its value.
func fold(into *litigation.CourtRow, row litigation.CourtRow) {
	for col, v := range row.Values {
		v = strings.TrimSpace(v)
		have := strings.TrimSpace(into.Values[col])
		switch {
		case v == "" || v == have:
		case have == "":
			into.Values[col] = v
		case col == litigation.ColDefendant && !slices.Contains(litigation.SplitDefendants(have), v):
			into.Values[col] = have + "、" + v
		}
	}
}

// isNote reports whether a cell begins a totals or footer row.
func isNote(s string) bool {
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
	for _, w := range noteWords {
		if strings.HasPrefix(s, w) {
			return true
		}
	}
	return false
}

// where names a sheet for a message: 表“2024年”, or nothing in a CSV.
func where(sheet string) string {
	if sheet == "" {
		return ""
	}
	return "工作表“" + sheet + "”"
}

// columnName is a column's letters as a spreadsheet shows them (1 → A).
func columnName(col int) string {
	name := ""
	for ; col > 0; col = (col - 1) / 26 {
		name = string(rune('A'+(col-1)%26)) + name
	}
	return name
}

// sorted orders a row's cells by column.
func sorted(cells []cell) []cell {
	sort.Slice(cells, func(i, j int) bool { return cells[i].col < cells[j].col })
	return cells
}

// noHeader refuses a file in which no sheet has the court's header.
func noHeader(sheets []string) error {
	var p jiefen.Problems
	in := "文件"
	if len(sheets) > 0 {
		in = "工作表“" + strings.Join(sheets, "”“") + "”"
	}
	p.Add("header", "%s的前 %d 行里没有法院的表头：表头一行应包含 %s 等列", in, headerRows, strings.Join(litigation.Columns, "、"))
	return p.Err()
}
