package courtfile

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"path"
	"regexp"
	"strconv"
	"strings"

	"jiefen"
	"jiefen/calendar"
)

// workbook is an XLSX file opened for streaming: its sheets in order, which
// cell styles are dates, and its shared strings. Worksheets are read as
// XML token streams, never whole, so that a sheet of a hundred thousand
// rows, or a row with a cell in column XFD, costs no more memory than one
// row.
type workbook struct {
	ctx      context.Context // every part read checks it
	files    map[string]*zip.File
	lim      Limits
	sheets   []sheetRef
	date1904 bool
	dates    []bool // by cell style index (the s attribute): a date format
	strings  sharedStrings
	// The parts of the styles and the shared strings, as the workbook's
	// relationships name them.
	stylesPart, stringsPart string
}

type sheetRef struct {
	name string
	part string // the worksheet's part in the zip; "" for a chart sheet
}

// maxSheets is the most sheets a workbook may have (Excel's own default
// limit is memory; a caseload has one sheet a year or a month).
const maxSheets = 255

// errTooLong is a row, cell or other token longer than the row limit.
var errTooLong = errors.New("courtfile: a token is longer than the row limit")

// openWorkbook checks the zip's declared sizes against the unzipped limit
// (archive/zip refuses a part that unzips to more than it declares, so the
// declared sizes bound what can be read), then reads the workbook's sheets,
// styles and shared strings.
func openWorkbook(ctx context.Context, zr *zip.Reader, lim Limits) (*workbook, error) {
	var total uint64
	files := make(map[string]*zip.File, len(zr.File))
	for _, zf := range zr.File {
		total += zf.UncompressedSize64
		if total > uint64(lim.Unzipped) {
			return nil, tooLarge("工作簿解压后超过 %s 的上限", sizeOf(lim.Unzipped))
		}
		files[strings.ToLower(zf.Name)] = zf
	}
	w := &workbook{ctx: ctx, files: files, lim: lim, stylesPart: "xl/styles.xml", stringsPart: "xl/sharedStrings.xml"}
	if err := w.readWorkbook(); err != nil {
		return nil, err
	}
	if err := w.readStyles(); err != nil {
		return nil, err
	}
	if err := w.readStrings(); err != nil {
		return nil, err
	}
	return w, nil
}

// part opens a part of the zip by name; nil, nil when there is none.
func (w *workbook) part(name string) (io.ReadCloser, error) {
	zf, ok := w.files[strings.ToLower(strings.TrimPrefix(name, "/"))]
	if !ok {
		return nil, nil
	}
	rc, err := zf.Open()
	if err != nil {
		return nil, malformed(err, "工作簿已损坏，无法读取")
	}
	return rc, nil
}

// tokens calls fn with every token of an XML part, no token (and no row,
// see mark) longer than the row limit.
func (w *workbook) tokens(name string, fn func(d *xml.Decoder, g *guard, tok xml.Token) error) error {
	rc, err := w.part(name)
	if err != nil || rc == nil {
		return err
	}
	defer rc.Close()
	g := &guard{r: rc, limit: w.lim.Row + 64<<10, pin: -1}
	d := xml.NewDecoder(g)
	d.Strict = false
	for n := 0; ; n++ {
		if n%1024 == 0 {
			if err := w.ctx.Err(); err != nil {
				return err
			}
		}
		if g.pin >= 0 {
			g.mark = g.pin
		} else {
			g.mark = d.InputOffset()
		}
		tok, err := d.RawToken()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if errors.Is(err, errTooLong) {
			return tooLarge("工作簿的一行或一个单元格超过 %s 的上限", sizeOf(w.lim.Row))
		}
		if err != nil {
			return malformed(err, "工作簿的内容已损坏，无法读取（"+name+"）")
		}
		if err := fn(d, g, tok); err != nil {
			return err
		}
	}
}

// guard fails a read once more than limit bytes have been read past mark:
// the decoder keeps a whole token in memory, so no token may be long.
type guard struct {
	r          io.Reader
	read, mark int64
	limit      int64
	pin        int64 // where the row being read began, else -1: a row counts as one token
}

func (g *guard) Read(p []byte) (int, error) {
	if g.read-g.mark > g.limit {
		return 0, errTooLong
	}
	n, err := g.r.Read(p)
	g.read += int64(n)
	return n, err
}

func attr(t xml.StartElement, local string) string {
	for _, a := range t.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// readWorkbook reads the sheets' names and parts, in the workbook's order,
// and whether dates count from 1904.
func (w *workbook) readWorkbook() error {
	targets := map[string]string{}
	err := w.tokens("xl/_rels/workbook.xml.rels", func(_ *xml.Decoder, _ *guard, tok xml.Token) error {
		t, ok := tok.(xml.StartElement)
		if !ok || t.Name.Local != "Relationship" {
			return nil
		}
		target := attr(t, "Target")
		if !strings.HasPrefix(target, "/") {
			target = path.Join("xl", target)
		}
		switch typ := attr(t, "Type"); {
		case strings.HasSuffix(typ, "/worksheet"):
			targets[attr(t, "Id")] = target
		case strings.HasSuffix(typ, "/styles"):
			w.stylesPart = target
		case strings.HasSuffix(typ, "/sharedStrings"):
			w.stringsPart = target
		}
		return nil
	})
	if err != nil {
		return err
	}
	found := false
	err = w.tokens("xl/workbook.xml", func(_ *xml.Decoder, _ *guard, tok xml.Token) error {
		t, ok := tok.(xml.StartElement)
		if !ok {
			return nil
		}
		switch t.Name.Local {
		case "workbook":
			found = true
		case "workbookPr":
			v := attr(t, "date1904")
			w.date1904 = v == "1" || v == "true"
		case "sheet":
			part := targets[attr(t, "id")]
			for _, other := range w.sheets {
				if part != "" && strings.EqualFold(other.part, part) {
					return malformed(nil, "工作簿已损坏：两张工作表指向同一份数据（"+other.name+"、"+attr(t, "name")+"）")
				}
			}
			if len(w.sheets) == maxSheets {
				return tooLarge("工作簿超过 %d 张工作表", maxSheets)
			}
			w.sheets = append(w.sheets, sheetRef{name: attr(t, "name"), part: part})
		}
		return nil
	})
	if err != nil {
		return err
	}
	if !found {
		return jiefen.Errorf(jiefen.EUNSUPPORTEDMEDIA, "这个压缩包不是 Excel 工作簿（没有 xl/workbook.xml）：请导入 .xlsx 或 .csv 文件")
	}
	return nil
}

// builtinDates are the built-in number formats that show a date or time,
// the CJK ones (27–36, 50–58: yyyy"年"m"月"d"日" and the like) included.
func builtinDate(id int) bool {
	return id >= 14 && id <= 22 || id >= 27 && id <= 36 || id >= 45 && id <= 47 || id >= 50 && id <= 58 || id >= 71 && id <= 81
}

// dateCode reports whether a custom number format shows a date or time:
// after quoted text, escapes, [colours] and padding are removed, it has a
// y, m, d, h or s. LibreOffice's zh-CN default YY"年"M"月"D"日" is one,
// 0.00 and General are not.
func dateCode(code string) bool {
	var b strings.Builder
	quoted, bracket := false, false
	rs := []rune(strings.ToLower(code))
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case quoted:
			quoted = r != '"'
		case bracket:
			bracket = r != ']'
		case r == '"':
			quoted = true
		case r == '[':
			bracket = true
		case r == '\\' || r == '_' || r == '*':
			i++ // the next character is literal or padding
		default:
			b.WriteRune(r)
		}
	}
	s := strings.ReplaceAll(b.String(), "general", "")
	return strings.ContainsAny(s, "ymdhs")
}

// readStyles finds which cell styles show dates.
func (w *workbook) readStyles() error {
	custom := map[int]bool{}
	inXfs := false
	return w.tokens(w.stylesPart, func(_ *xml.Decoder, _ *guard, tok xml.Token) error {
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "numFmt":
				if id, err := strconv.Atoi(attr(t, "numFmtId")); err == nil {
					custom[id] = dateCode(attr(t, "formatCode"))
				}
			case "cellXfs":
				inXfs = true
			case "xf":
				if inXfs {
					id, _ := strconv.Atoi(attr(t, "numFmtId"))
					isDate, ok := custom[id]
					if !ok {
						isDate = builtinDate(id)
					}
					w.dates = append(w.dates, isDate)
				}
			}
		case xml.EndElement:
			if t.Name.Local == "cellXfs" {
				inXfs = false
			}
		}
		return nil
	})
}

// sharedStrings holds the workbook's shared strings in one buffer: memory
// is about the text itself, not a string header per entry.
type sharedStrings struct {
	text []byte
	ends []uint32
}

func (s *sharedStrings) get(i int) string {
	start, end := s.span(i)
	return string(s.text[start:end])
}

// size is the length of the i-th string in bytes, without copying it.
func (s *sharedStrings) size(i int) int {
	start, end := s.span(i)
	return int(end - start)
}

func (s *sharedStrings) span(i int) (uint32, uint32) {
	if i < 0 || i >= len(s.ends) {
		return 0, 0
	}
	start := uint32(0)
	if i > 0 {
		start = s.ends[i-1]
	}
	return start, s.ends[i]
}

// readStrings reads the shared strings: the text of each <si>, its rich
// text runs joined, its phonetic guide (<rPh>) left out, Excel's _xHHHH_
// escapes decoded. No string may be longer than a row.
func (w *workbook) readStrings() error {
	var inT, inPh bool
	start := 0
	return w.tokens(w.stringsPart, func(_ *xml.Decoder, _ *guard, tok xml.Token) error {
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "t":
				inT = !inPh
			case "rPh":
				inPh = true
			}
		case xml.CharData:
			if inT {
				w.strings.text = append(w.strings.text, t...)
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "t":
				inT = false
			case "rPh":
				inPh = false
			case "si":
				if si := w.strings.text[start:]; bytes.Contains(si, []byte("_x")) {
					w.strings.text = append(w.strings.text[:start], unescape(string(si))...)
				}
				if int64(len(w.strings.text)-start) > w.lim.Row {
					return tooLarge("工作簿的一个单元格超过 %s 的上限", sizeOf(w.lim.Row))
				}
				w.strings.ends = append(w.strings.ends, uint32(len(w.strings.text)))
				start = len(w.strings.text)
			}
		}
		return nil
	})
}

// escaped is Excel's escape of a character in cell text: _x000D_ for a
// carriage return, _x005F_ for the underscore of a literal "_x".
var escaped = regexp.MustCompile(`_x[0-9A-Fa-f]{4}_`)

// unescape decodes Excel's _xHHHH_ escapes.
func unescape(s string) string {
	if !strings.Contains(s, "_x") {
		return s
	}
	return escaped.ReplaceAllStringFunc(s, func(m string) string {
		r, _ := strconv.ParseUint(m[2:6], 16, 32)
		return string(rune(r))
	})
}

// sheetEvents are what a pass over a worksheet wants to hear of.
type sheetEvents struct {
	hidden func(col int)                      // a hidden column (from <cols>, before the rows)
	row    func(num int, cells []cell) error  // a row with something in it
	merge  func(top, left, bottom, right int) // a merged range (after the rows)
	stop   func() bool                        // true to stop reading the sheet early
	want   func(col int) bool                 // whether a column's text is needed (nil: every column)
}

// scan streams a worksheet: its hidden columns, its rows with something in
// them with their non-empty cells (a date cell as YYYY-MM-DD, a number as
// written without exponent, a boolean as TRUE/FALSE) of the wanted columns
// and the row's first, its merged ranges. No row may be longer than the
// row limit, in its XML or in the text its cells resolve to (a shared
// string counts each time a cell names it), and a sheet has at most as
// many merged ranges as a file has rows.
func (w *workbook) scan(ctx context.Context, part string, ev sheetEvents) error {
	var (
		num, col, merges int
		cells            []cell
		typ, ref, style  string
		buf              []byte
		inRow, inValue   bool
		inIs, inPh       bool
		numbered, filled bool
		rowStart, text   int64
	)
	errStop := errors.New("stop")
	err := w.tokens(part, func(d *xml.Decoder, g *guard, tok xml.Token) error {
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "row":
				if err := ctx.Err(); err != nil {
					return err
				}
				if ev.stop != nil && ev.stop() {
					return errStop
				}
				inRow, rowStart, cells, col, text, filled = true, g.mark, cells[:0], 0, 0, false
				g.pin = rowStart
				n, err := strconv.Atoi(attr(t, "r"))
				numbered = err == nil && n > num
				if numbered {
					num = n
				} else {
					num++
				}
			case "c":
				ref, typ, style, buf = attr(t, "r"), attr(t, "t"), attr(t, "s"), buf[:0]
				if c := refColumn(ref); c > 0 {
					col = c
				} else {
					col++
				}
				if r := refRow(ref); !numbered && r > num { // a row without r: its cells say
					num, numbered = r, true
				}
			case "v":
				inValue = true
			case "is":
				inIs = true
			case "rPh":
				inPh = true
			case "t":
				inValue = inIs && !inPh
			case "col":
				if h := attr(t, "hidden"); (h == "1" || h == "true") && ev.hidden != nil {
					lo, _ := strconv.Atoi(attr(t, "min"))
					hi, _ := strconv.Atoi(attr(t, "max"))
					for c := lo; c <= hi && c-lo < 1024; c++ {
						ev.hidden(c)
					}
				}
			case "mergeCell":
				if merges++; merges > w.lim.Rows {
					return tooLarge("工作表的合并单元格超过 %d 处", w.lim.Rows)
				}
				if ev.merge != nil {
					if top, left, bottom, right, ok := rangeOf(attr(t, "ref")); ok {
						ev.merge(top, left, bottom, right)
					}
				}
			}
		case xml.CharData:
			if inValue {
				buf = append(buf, t...)
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "v", "t":
				inValue = false
			case "is":
				inIs = false
			case "rPh":
				inPh = false
			case "c":
				if !inRow {
					break
				}
				size := int64(len(buf))
				if typ == "s" {
					i, _ := strconv.Atoi(strings.TrimSpace(string(buf)))
					size = int64(w.strings.size(i))
				}
				if text += size; text > w.lim.Row {
					return tooLarge("第 %d 行的文字超过 %s 的上限", num, sizeOf(w.lim.Row))
				}
				if size == 0 || (ev.want != nil && !ev.want(col) && filled) {
					break // nothing there, or a column nobody reads past the row's first cell
				}
				if s := strings.TrimSpace(w.value(typ, style, string(buf))); s != "" {
					cells = append(cells, cell{col: col, text: s})
					filled = true
				}
			case "row":
				inRow, g.pin = false, -1
				if int64(d.InputOffset())-rowStart > w.lim.Row {
					return tooLarge("第 %d 行超过 %s 的上限", num, sizeOf(w.lim.Row))
				}
				if len(cells) > 0 && ev.row != nil {
					return ev.row(num, sorted(cells))
				}
			}
		}
		return nil
	})
	if errors.Is(err, errStop) {
		return nil
	}
	return err
}

// value is a cell's text: a shared string looked up, a date cell (by its
// style, whatever the format shows) as YYYY-MM-DD, a number in plain
// digits.
func (w *workbook) value(typ, style, raw string) string {
	switch typ {
	case "s":
		i, err := strconv.Atoi(strings.TrimSpace(raw))
		if err != nil {
			return ""
		}
		return w.strings.get(i)
	case "inlineStr", "str", "e":
		return unescape(raw)
	case "b":
		if strings.TrimSpace(raw) == "1" {
			return "TRUE"
		}
		return "FALSE"
	case "d": // an ISO 8601 date cell
		if len(raw) >= 10 {
			if d, err := calendar.ParseDate(raw[:10]); err == nil {
				return d.String()
			}
		}
		return raw
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(raw), 64)
	if err != nil {
		return raw
	}
	if s, err := strconv.Atoi(style); err == nil && s >= 0 && s < len(w.dates) && w.dates[s] && f >= 1 && f < 2958466 {
		base := calendar.NewDate(1899, 12, 30)
		if w.date1904 {
			base = calendar.NewDate(1904, 1, 1)
		}
		return base.AddDays(int(f)).String()
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// refColumn is the column of a cell reference (B7 → 2), 0 when there is
// none.
func refColumn(ref string) int {
	col := 0
	for i := 0; i < len(ref) && i < 3; i++ {
		c := ref[i]
		if c < 'A' || c > 'Z' {
			break
		}
		col = col*26 + int(c-'A'+1)
	}
	return col
}

// refRow is the row of a cell reference (B7 → 7).
func refRow(ref string) int {
	i := strings.IndexFunc(ref, func(r rune) bool { return r >= '0' && r <= '9' })
	if i < 0 {
		return 0
	}
	n, _ := strconv.Atoi(ref[i:])
	return n
}

// rangeOf reads a range such as C3:C5.
func rangeOf(ref string) (top, left, bottom, right int, ok bool) {
	a, b, found := strings.Cut(ref, ":")
	if !found {
		return 0, 0, 0, 0, false
	}
	top, left, bottom, right = refRow(a), refColumn(a), refRow(b), refColumn(b)
	return top, left, bottom, right, top > 0 && left > 0 && bottom >= top && right >= left
}

// checkXLSX is the first pass over a workbook: the header of every sheet,
// its hidden columns and merged ranges, and the row limits.
func (f *File) checkXLSX(ctx context.Context) error {
	var incomplete error
	for _, s := range f.book.sheets {
		if s.part == "" {
			f.skipped = append(f.skipped, s.name)
			continue
		}
		h := &finder{file: f, sheet: s.name, hidden: map[int]bool{}}
		past, all := false, true // all: read every column (until the rows below the header)
		err := f.book.scan(ctx, s.part, sheetEvents{
			hidden: func(col int) { h.hidden[col] = true },
			stop:   func() bool { return past },
			want:   func(col int) bool { return all || h.t.wants(col) },
			row: func(num int, cells []cell) (err error) {
				past, err = h.row(num, cells)
				all = h.t == nil || h.t.header == num // the row under a header may be a second header row
				return err
			},
			merge: func(top, left, bottom, right int) {
				if h.t != nil {
					h.t.merge(top, left, bottom, right)
				}
			},
		})
		if err != nil {
			return err
		}
		if h.t == nil {
			f.skipped = append(f.skipped, s.name)
			if incomplete == nil {
				incomplete = h.incomplete
			}
			continue
		}
		h.t.part = s.part
		f.tables = append(f.tables, h.t)
	}
	if len(f.tables) == 0 && incomplete != nil {
		return incomplete
	}
	if len(f.tables) == 0 {
		names := make([]string, len(f.book.sheets))
		for i, s := range f.book.sheets {
			names[i] = s.name
		}
		return noHeader(names)
	}
	return nil
}

// eachXLSX is the second pass: the rows below each header.
func (f *File) eachXLSX(ctx context.Context, emit func(*table, int, []cell) error) error {
	for _, t := range f.tables {
		t.carry, t.last = map[int]carried{}, t.header
		err := f.book.scan(ctx, t.part, sheetEvents{want: t.wants, row: func(num int, cells []cell) error {
			if num <= t.header {
				return nil
			}
			return emit(t, num, cells)
		}})
		if err != nil {
			return err
		}
	}
	return nil
}
