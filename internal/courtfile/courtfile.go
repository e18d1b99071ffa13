// Package courtfile reads the court's caseload spreadsheets as they are
// exchanged (API.md, "Court caseload sync"): CSV in UTF-8, UTF-8 with a
// byte-order mark or GBK (what Excel on Chinese Windows writes), and XLSX,
// row by row, so that memory stays flat however long the file.
package courtfile

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"

	"jiefen"
	"jiefen/litigation"
)

// Kind is the format of a file.
type Kind string

// The formats read.
const (
	CSV  Kind = "csv"
	XLSX Kind = "xlsx"
)

// KindOf tells the format from a media type (text/csv, the XLSX type) or a
// file name's extension.
func KindOf(contentTypeOrName string) (Kind, bool) {
	s := strings.ToLower(strings.TrimSpace(contentTypeOrName))
	switch {
	case strings.HasPrefix(s, "text/csv"), strings.HasSuffix(s, ".csv"):
		return CSV, true
	case strings.HasPrefix(s, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), strings.HasSuffix(s, ".xlsx"):
		return XLSX, true
	}
	return "", false
}

// required are the columns without which a row cannot be a case.
var required = []string{litigation.ColCaseNumber, litigation.ColPlaintiff, litigation.ColDefendant, litigation.ColFiledOn}

// columns maps the header of a file to the court's words, and refuses a
// header without the required columns (the error names them).
func columns(header []string) ([]string, error) {
	cols := make([]string, len(header))
	seen := map[string]bool{}
	for i, h := range header {
		cols[i] = litigation.Column(h)
		seen[cols[i]] = true
	}
	var p jiefen.Problems
	for _, c := range required {
		if !seen[c] {
			p.Add("header", "has no column %s (the court's columns: %s)", c, strings.Join(litigation.Columns, ","))
		}
	}
	return cols, p.Err()
}

// Read calls fn with every data row of the file in order, numbered as the
// spreadsheet numbers them (the header is row 1); blank rows are skipped.
// A CSV is decoded from GBK when it is not UTF-8. An XLSX is read from its
// first sheet, streaming.
func Read(r io.Reader, kind Kind, fn func(litigation.CourtRow) error) error {
	switch kind {
	case CSV:
		return readCSV(r, fn)
	case XLSX:
		return readXLSX(r, fn)
	}
	return fmt.Errorf("courtfile: unknown format %q", kind)
}

// utf8OrGBK returns a reader of r in UTF-8: the BOM dropped, or GBK (as
// GB18030, its superset) decoded when the first 64 KiB are not UTF-8.
func utf8OrGBK(r io.Reader) (io.Reader, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, err := br.Peek(64 << 10)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, err
	}
	if bytes.HasPrefix(head, []byte("\xEF\xBB\xBF")) {
		br.Discard(3)
		return br, nil
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

func readCSV(r io.Reader, fn func(litigation.CourtRow) error) error {
	text, err := utf8OrGBK(r)
	if err != nil {
		return err
	}
	cr := csv.NewReader(text)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return headerMissing()
	}
	if err != nil {
		return malformed(err)
	}
	cols, err := columns(header)
	if err != nil {
		return err
	}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return malformed(err)
		}
		if row, ok := rowOf(line, cols, rec); ok {
			if err := fn(row); err != nil {
				return err
			}
		}
	}
}

func readXLSX(r io.Reader, fn func(litigation.CourtRow) error) error {
	// excelize needs random access: a file is opened in place, a stream is
	// spooled to a temporary file rather than held in memory.
	var f *excelize.File
	var err error
	if file, ok := r.(*os.File); ok {
		f, err = excelize.OpenFile(file.Name())
	} else {
		tmp, terr := os.CreateTemp("", "jiefen-import-*.xlsx")
		if terr != nil {
			return terr
		}
		defer os.Remove(tmp.Name())
		defer tmp.Close()
		if _, err := io.Copy(tmp, r); err != nil {
			return err
		}
		f, err = excelize.OpenFile(tmp.Name())
	}
	if err != nil {
		return malformed(err)
	}
	defer f.Close()
	rows, err := f.Rows(f.GetSheetName(0))
	if err != nil {
		return malformed(err)
	}
	defer rows.Close()
	if !rows.Next() {
		return headerMissing()
	}
	header, err := rows.Columns()
	if err != nil {
		return malformed(err)
	}
	cols, err := columns(header)
	if err != nil {
		return err
	}
	for line := 2; rows.Next(); line++ {
		rec, err := rows.Columns()
		if err != nil {
			return malformed(err)
		}
		if row, ok := rowOf(line, cols, rec); ok {
			if err := fn(row); err != nil {
				return err
			}
		}
	}
	return rows.Error()
}

// rowOf makes a row of a record; false for a blank line.
func rowOf(line int, cols, rec []string) (litigation.CourtRow, bool) {
	row := litigation.CourtRow{Line: line, Values: make(map[string]string, len(cols))}
	blank := true
	for i, v := range rec {
		if i < len(cols) && cols[i] != "" {
			row.Values[cols[i]] = v
			blank = blank && strings.TrimSpace(v) == ""
		}
	}
	return row, !blank
}

func headerMissing() error {
	var p jiefen.Problems
	p.Add("header", "the file is empty: the first row must name the columns (%s)", strings.Join(litigation.Columns, ","))
	return p.Err()
}

func malformed(err error) error {
	return jiefen.Wrap(jiefen.EMALFORMED, err, "the file cannot be read as the court's spreadsheet")
}
