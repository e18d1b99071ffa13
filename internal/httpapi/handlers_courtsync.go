package httpapi

import (
	"context"
	"errors"
	"io"
	"net/http"
	"slices"

	"github.com/gin-gonic/gin"

	"jiefen"
	"jiefen/calendar"
	"jiefen/internal/courtfile"
	"jiefen/internal/sqlstore"
	"jiefen/litigation"
)

// CourtSyncStore is what the court synchronisation handlers need of the
// store: the import of a court caseload file, the reconciliation with the
// court's figures, and the names of the agencies it lists.
type CourtSyncStore interface {
	ImportFile(ctx context.Context, name string, file sqlstore.CourtFile, titles litigation.Titles, progress func(rows int)) (sqlstore.CourtImport, error)
	OrgNames(ctx context.Context, codes []string) (map[string]string, error)
	Reconcile(ctx context.Context, from, to calendar.Date) ([]litigation.Difference, error)
}

// courtSyncAPI serves /litigation/imports (the court's caseload files) and
// /litigation/reconciliation.
type courtSyncAPI struct {
	*Server
	store CourtSyncStore
}

// importPath is the route of caseload imports, which take larger bodies.
const importPath = "/api/v1/litigation/imports"

// importTypes are the media types an import may be sent as. The format is
// then told from the bytes, so that an .xls renamed .xlsx, or sent as
// either, is refused by name (415) rather than misread.
var importTypes = []string{"text/csv", "text/plain", xlsxType, "application/octet-stream", "application/vnd.ms-excel",
	"application/vnd.oasis.opendocument.spreadsheet", "application/kswps", "application/vnd.ms-works"}

// importCaseload imports the court's caseload spreadsheet sent as the
// body (API.md, "Court caseload sync"): the file is spooled and checked
// whole (format, headers, limits) before a row is stored, then every row
// is validated, bad rows reported by sheet, row number and column, and
// good rows upserted by canonical case number in batches. The request's
// context stops the work when the client goes away.
func (s *courtSyncAPI) importCaseload(c *gin.Context) {
	body, name, err := importBody(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	file, err := courtfile.Open(ctx, body, s.importLimits())
	if err != nil {
		s.fail(c, err)
		return
	}
	defer file.Close()
	if name == "" {
		name = "upload." + string(file.Format())
	}
	titles := s.opts.Litigation.Titles
	if titles == nil {
		titles = litigation.DefaultTitles()
	}
	rep, err := s.store.ImportFile(ctx, name, file, titles, nil)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, rep)
}

// importBody is the file of an import: the body itself, or the first file
// of a multipart/form-data body (a browser form's upload, curl -F), with
// its name (?name= first), checked before anything is read or kept.
func importBody(c *gin.Context) (io.Reader, string, error) {
	name := c.Query("name")
	if err := checkImportName(name); err != nil {
		return nil, "", err
	}
	if c.ContentType() != "multipart/form-data" {
		if !slices.Contains(importTypes, c.ContentType()) {
			return nil, "", jiefen.Errorf(jiefen.EUNSUPPORTEDMEDIA, "请把法院的案件表作为 .xlsx（%s）或 .csv（text/csv）文件发送", xlsxType)
		}
		return c.Request.Body, name, nil
	}
	mr, err := c.Request.MultipartReader()
	if err != nil {
		return nil, "", jiefen.Wrap(jiefen.EMALFORMED, err, "上传的表单无法读取")
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			var p jiefen.Problems
			p.Add("file", "表单里没有文件：请选择法院的 .xlsx 或 .csv 文件")
			return nil, "", p.Err()
		}
		if err != nil {
			return nil, "", readError(err)
		}
		if part.FileName() != "" {
			if name == "" {
				name = part.FileName()
			}
			return part, name, checkImportName(name)
		}
	}
}

// checkImportName refuses, naming the field, a file name that cannot be
// kept with the import's record: not UTF-8, or holding a control
// character. A long name is kept to the width of its column (the store
// cuts it): it is a label, and a clerk's upload is not refused for it.
func checkImportName(name string) error {
	if plainText(name) {
		return nil
	}
	var p jiefen.Problems
	p.Add("name", "文件名须为不含控制字符的 UTF-8 文本")
	return p.Err()
}

// importLimits are the limits of a court caseload file.
func (s *courtSyncAPI) importLimits() courtfile.Limits {
	lim := s.opts.Litigation.Imports
	if lim == (courtfile.Limits{}) {
		lim = courtfile.DefaultLimits()
	}
	if s.opts.ImportLimit > 0 {
		lim.File = s.opts.ImportLimit
	}
	return lim
}

// reconciliation lists the differences between the court's rows and the
// platform's own cases filed in [from, to]; ?format=xlsx for a workbook.
func (s *courtSyncAPI) reconciliation(c *gin.Context) {
	var p jiefen.Problems
	from, okf := queryDate(c, "from", &p)
	to, okt := queryDate(c, "to", &p)
	if !okf {
		from = calendar.NewDate(2016, 1, 1)
	}
	if !okt {
		to = calendar.DateOf(s.now())
	}
	xlsx := wantsXLSX(c, &p)
	if err := p.Err(); err != nil {
		s.fail(c, err)
		return
	}
	diffs, err := s.store.Reconcile(c.Request.Context(), from, to)
	if err != nil {
		s.fail(c, err)
		return
	}
	if xlsx {
		names, err := readOrgNames(c.Request.Context(), s.store, differenceAgencies(diffs))
		if err != nil {
			s.fail(c, err)
			return
		}
		book, err := reconciliationWorkbook(diffs, names, from, to)
		s.sendWorkbook(c, "reconciliation-"+from.String()+"-"+to.String()+".xlsx", book, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"from": from, "to": to, "items": diffs})
}
