package courtfile

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"jiefen"
)

// utf8OrGBK returns a reader of r in UTF-8: the BOM dropped, UTF-16 with a
// BOM decoded (Excel's Unicode text), or GBK (as GB18030, its superset,
// which is what Excel on Chinese Windows writes) decoded when the first 64
// KiB are not UTF-8.
func utf8OrGBK(r io.Reader) (io.Reader, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, err := br.Peek(64 << 10)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, err
	}
	switch {
	case bytes.HasPrefix(head, []byte("\xEF\xBB\xBF")):
		br.Discard(3)
		return br, nil
	case bytes.HasPrefix(head, []byte("\xFF\xFE")), bytes.HasPrefix(head, []byte("\xFE\xFF")):
		// Excel's "Unicode 文本": UTF-16 with its byte-order mark.
		return transform.NewReader(br, unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()), nil
	}
	// A multi-byte character cut at the end of the peek is not an error.
	for i := 0; i < utf8.UTFMax && len(head) > 0 && !utf8.Valid(head); i++ {
		head = head[:len(head)-1]
	}
	if utf8.Valid(head) {
		return br, nil
	}
	return transform.NewReader(br, simplifiedchinese.GB18030.NewDecoder()), nil
}

// separator tells a comma-separated file from a tab-separated one (what
// Excel and WPS save as 文本文件(制表符分隔)): the tabs against the commas in
// the first lines, where the header is (a title line above it
// may have neither).
func separator(br *bufio.Reader) rune {
	head, _ := br.Peek(64 << 10)
	lines := bytes.SplitN(head, []byte("\n"), headerRows+1)
	head = bytes.Join(lines[:min(len(lines), headerRows)], nil)
	if bytes.Count(head, []byte("\t")) > bytes.Count(head, []byte(",")) {
		return '\t'
	}
	return ','
}

// records streams a CSV from the start of the spooled file: fn gets each
// record with its row number as a spreadsheet shows it (empty lines count,
// a record with line breaks in a quoted cell is one row). No record may be
// longer than the row limit: the reader fails before it holds more.
func (f *File) records(ctx context.Context, fn func(num int, cells []cell) error) error {
	text, err := utf8OrGBK(io.NewSectionReader(f.f, 0, f.size))
	if err != nil {
		return err
	}
	br := bufio.NewReaderSize(text, 64<<10)
	g := &guard{r: br, limit: f.lim.Row + 64<<10, pin: -1}
	cr := csv.NewReader(g)
	cr.Comma = separator(br)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	num, end := 0, 0 // the row number, and the line the last record ended on
	for {
		g.mark = cr.InputOffset()
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if errors.Is(err, errTooLong) {
			return tooLarge("第 %d 行超过 %s 的上限", num+1, sizeOf(f.lim.Row))
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			var p jiefen.Problems
			p.Add("file", "第 %d 行第 %d 列：%s（引号不配对？）", num+1+pe.StartLine-end-1, pe.Column, pe.Err)
			return p.Err()
		}
		if err != nil {
			return malformed(err, "文件无法作为 CSV 读取")
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if cr.InputOffset()-g.mark > f.lim.Row {
			return tooLarge("第 %d 行超过 %s 的上限", num+1, sizeOf(f.lim.Row))
		}
		line, _ := cr.FieldPos(0)
		num += line - end // empty lines are rows too
		end = line
		cells := make([]cell, 0, len(rec))
		for i, v := range rec {
			end += strings.Count(v, "\n")
			if v = strings.TrimSpace(v); v != "" {
				cells = append(cells, cell{col: i + 1, text: v})
			}
		}
		if len(cells) > 0 {
			if err := fn(num, cells); err != nil {
				return err
			}
		}
	}
}

// checkCSV is the first pass over a CSV: its header and the row limits.
func (f *File) checkCSV(ctx context.Context) error {
	h := &finder{file: f}
	errStop := errors.New("stop")
	err := f.records(ctx, func(num int, cells []cell) error {
		done, err := h.row(num, cells)
		if done {
			return errStop
		}
		return err
	})
	if err != nil && !errors.Is(err, errStop) {
		return err
	}
	switch {
	case h.t != nil:
		f.tables = []*table{h.t}
		return nil
	case h.incomplete != nil:
		return h.incomplete
	}
	return noHeader(nil)
}

// eachCSV is the second pass: the rows below the header.
func (f *File) eachCSV(ctx context.Context, emit func(*table, int, []cell) error) error {
	t := f.tables[0]
	t.carry, t.last = map[int]carried{}, t.header
	return f.records(ctx, func(num int, cells []cell) error {
		if num <= t.header {
			return nil
		}
		return emit(t, num, cells)
	})
}
