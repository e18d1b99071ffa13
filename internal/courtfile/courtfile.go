// Package courtfile reads the court's caseload spreadsheets as court
// clerks make them in Excel, WPS or LibreOffice (API.md, "Court caseload
// sync"): CSV in UTF-8, UTF-8 with a byte-order mark or GBK/GB18030, and
// XLSX with every sheet that has the court's header, date cells by value,
// merged cells filled down, title rows, totals and footers skipped.
//
// A file is read twice. Open spools it to a temporary file that is unlinked
// at once (nothing stays on disk on any path, a crash included), tells its
// format from its bytes, and checks its shape and the limits against
// hostile files before a single row is stored; Rows then hands the rows
// out. Memory stays flat however long the file: rows are streamed, and no
// row, cell or unzipped part may pass its limit.
package courtfile

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"jiefen"
	"jiefen/litigation"
)

// Limits bound what one file may cost (API.md: at most 50 MiB uploaded,
// 200 MiB unzipped, 1 MiB per row, 100,000 rows). Past any of them the
// file is refused with ETOOLARGE (413) before anything is stored.
type Limits struct {
	File     int64 // bytes of the file as sent
	Unzipped int64 // bytes of an XLSX's parts, unzipped, all together
	Row      int64 // bytes of one row (of its XML in an XLSX)
	Rows     int   // data rows, all sheets together
}

// DefaultLimits are the limits of API.md.
func DefaultLimits() Limits {
	return Limits{File: 50 << 20, Unzipped: 200 << 20, Row: 1 << 20, Rows: 100_000}
}

// Format is the kind of a file, as told from its bytes.
type Format string

// The formats read.
const (
	CSV  Format = "csv"
	XLSX Format = "xlsx"
)

// tempPrefix names the spooled files; Sweep removes any left by an older
// version.
const tempPrefix = "jiefen-import-"

// File is a court caseload file whose shape has been checked.
type File struct {
	f       *os.File
	size    int64
	format  Format
	lim     Limits
	book    *workbook // XLSX
	tables  []*table  // the sheets with the court's header, in order
	skipped []string  // the sheets without it
	rows    int       // data rows found by Open
	blank   int       // blank, totals and footer rows found by Rows
}

// Open reads a court caseload file from r into a temporary file, at most
// lim.File bytes, and checks it: its format from its bytes (an .xls, .et
// or .ods is refused by name, whatever its file name says), its header in
// each sheet, its limits. The caller closes the file.
func Open(ctx context.Context, r io.Reader, lim Limits) (*File, error) {
	tmp, err := os.CreateTemp("", tempPrefix+"*")
	if err != nil {
		return nil, err
	}
	// Unlinked at once: the open descriptor keeps the bytes, and nothing
	// stays behind on any path, not even when the process is killed.
	os.Remove(tmp.Name())
	f := &File{f: tmp, lim: lim}
	n, err := io.Copy(tmp, io.LimitReader(r, lim.File+1))
	if err != nil {
		tmp.Close()
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, tooLarge("文件超过 %s 的上限", sizeOf(lim.File))
		}
		return nil, jiefen.Wrap(jiefen.EMALFORMED, err, "文件没有传完，请重新上传")
	}
	if n > lim.File {
		tmp.Close()
		return nil, tooLarge("文件超过 %s 的上限", sizeOf(lim.File))
	}
	f.size = n
	if err := f.check(ctx); err != nil {
		tmp.Close()
		return nil, err
	}
	return f, nil
}

// Close releases the temporary file.
func (f *File) Close() error { return f.f.Close() }

// Format is the file's format.
func (f *File) Format() Format { return f.format }

// Rows is the number of data rows (rows with something in them below a
// header, totals and footers included until Rows tells them apart).
func (f *File) Rows() int { return f.rows }

// SkippedSheets names the sheets without the court's header (填表说明, a
// cover sheet), in workbook order.
func (f *File) SkippedSheets() []string { return append([]string{}, f.skipped...) }

// Skipped is the number of blank, totals (合计) and footer (制表人) rows that
// Each skipped; it is complete once Each has returned.
func (f *File) Skipped() int { return f.blank }

// check tells the format and runs the first pass.
func (f *File) check(ctx context.Context) error {
	head := make([]byte, 64<<10)
	n, _ := f.f.ReadAt(head, 0)
	head = head[:n]
	text := bytes.ToLower(bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF")), " \t\r\n"))
	switch {
	case bytes.HasPrefix(head, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		// An OLE container: an old workbook, or a new one with a password
		// (its EncryptionInfo stream, named in UTF-16).
		if bytes.Contains(head, []byte("E\x00n\x00c\x00r\x00y\x00p\x00t\x00i\x00o\x00n\x00I\x00n\x00f\x00o")) {
			return unsupported("这个工作簿设置了打开密码，无法读取：请先取消密码")
		}
		return unsupported("这是 Excel 97-2003 工作簿（.xls）或 WPS 表格（.et）的旧格式")
	case bytes.HasPrefix(text, []byte("<html")), bytes.HasPrefix(text, []byte("<!doctype html")), bytes.HasPrefix(text, []byte("<table")),
		bytes.HasPrefix(text, []byte("<?xml")) && bytes.Contains(text, []byte("urn:schemas-microsoft-com:office:spreadsheet")):
		return unsupported("这是网页（HTML）或 XML 2003 格式的表格（常见于扩展名为 .xls 的导出文件）")
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		zr, err := zip.NewReader(f.f, f.size)
		if err != nil {
			return malformed(err, "文件像是压缩包，但已损坏，无法作为 .xlsx 读取")
		}
		if isODS(zr) {
			return unsupported("这是 OpenDocument 电子表格（.ods）")
		}
		f.format = XLSX
		book, err := openWorkbook(ctx, zr, f.lim)
		if err != nil {
			return err
		}
		f.book = book
		return f.checkXLSX(ctx)
	}
	f.format = CSV
	return f.checkCSV(ctx)
}

// isODS reports whether a zip is an OpenDocument file: its first entry is
// "mimetype" naming an OpenDocument type.
func isODS(zr *zip.Reader) bool {
	for _, zf := range zr.File {
		if zf.Name != "mimetype" || zf.UncompressedSize64 > 100 {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			return false
		}
		defer rc.Close()
		b, _ := io.ReadAll(io.LimitReader(rc, 100))
		return strings.HasPrefix(string(b), "application/vnd.oasis.opendocument")
	}
	return false
}

// Each calls fn with every data row of the file in order: sheet by sheet,
// numbered as the spreadsheet numbers them, merged cells filled down. Rows
// under a 案号 merged down over them continue its case: each 被告 they name
// is a co-defendant.
// Blank rows and totals and footers without a case number are skipped and
// counted (Skipped). The context is checked on every row, so that a client
// who gave up stops the work.
func (f *File) Each(ctx context.Context, fn func(litigation.CourtRow) error) error {
	f.blank = 0
	var pending *litigation.CourtRow // the last case's row, which rows below may continue
	flush := func() error {
		if pending == nil {
			return nil
		}
		row := *pending
		pending = nil
		return fn(row)
	}
	emit := func(t *table, num int, cells []cell) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		f.blank += num - t.last - 1 // rows with nothing at all in them
		t.last = num
		row, ok, continued := t.row(num, cells)
		switch {
		case !ok:
			f.blank++
			return nil
		case continued && pending != nil && pending.Sheet == row.Sheet &&
			pending.Values[litigation.ColCaseNumber] == row.Values[litigation.ColCaseNumber]:
			fold(pending, row)
			return nil
		}
		if err := flush(); err != nil {
			return err
		}
		pending = &row
		return nil
	}
	var err error
	switch f.format {
	case CSV:
		err = f.eachCSV(ctx, emit)
	case XLSX:
		err = f.eachXLSX(ctx, emit)
	}
	if err != nil {
		return err
	}
	return flush()
}

// Sweep removes the spooled files an older version left in the temporary
// directory when it was killed mid-import (this version unlinks its own at
// once, so none of them is in use by it): jiefen serve calls it when it
// starts.
func Sweep() (removed int) {
	matches, _ := filepath.Glob(filepath.Join(os.TempDir(), tempPrefix+"*"))
	for _, m := range matches {
		if os.Remove(m) == nil {
			removed++
		}
	}
	return removed
}

func tooLarge(format string, args ...any) error {
	return jiefen.Errorf(jiefen.ETOOLARGE, "%s，文件没有导入，一行也没有保存", fmt.Sprintf(format, args...))
}

func unsupported(what string) error {
	return jiefen.Errorf(jiefen.EUNSUPPORTEDMEDIA, "%s，不能直接导入：请在 Excel、WPS 或 LibreOffice 中“另存为” .xlsx 工作簿或 .csv 文件后再导入", what)
}

func malformed(err error, message string) error {
	return jiefen.Wrap(jiefen.EMALFORMED, err, message)
}

// sizeOf writes a limit in MiB or KiB.
func sizeOf(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d KiB", n>>10)
}
