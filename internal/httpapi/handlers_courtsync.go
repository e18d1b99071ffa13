package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"jiefen"
	"jiefen/calendar"
	"jiefen/internal/courtfile"
	"jiefen/litigation"
)

// importPath is the route of caseload imports, which take larger bodies.
const importPath = "/api/v1/litigation/imports"

// importCaseload imports the court's caseload spreadsheet sent as the
// body (text/csv in UTF-8, UTF-8 with BOM or GBK; or XLSX): every row
// validated, bad rows reported by row number and column, good rows
// upserted by canonical case number in batches.
func (s *Server) importCaseload(c *gin.Context) {
	kind, ok := courtfile.KindOf(c.ContentType())
	if !ok {
		s.fail(c, jiefen.Errorf(jiefen.EUNSUPPORTEDMEDIA, "send the court's spreadsheet as text/csv or as XLSX (%s)", xlsxType))
		return
	}
	name := c.Query("name")
	if name == "" {
		name = "upload." + string(kind)
	}
	rep, err := s.db.ImportFile(c.Request.Context(), name, func(fn func(litigation.CourtRow) error) error {
		return courtfile.Read(c.Request.Body, kind, fn)
	}, nil)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, rep)
}

// reconciliation lists the differences between the court's rows and the
// platform's own cases filed in [from, to]; ?format=xlsx for a workbook.
func (s *Server) reconciliation(c *gin.Context) {
	var p jiefen.Problems
	from, okf := queryDate(c, "from", &p)
	to, okt := queryDate(c, "to", &p)
	if !okf {
		from = calendar.NewDate(2016, 1, 1)
	}
	if !okt {
		to = calendar.DateOf(s.db.Now())
	}
	xlsx := wantsXLSX(c, &p)
	if err := p.Err(); err != nil {
		s.fail(c, err)
		return
	}
	diffs, err := s.db.Reconcile(c.Request.Context(), from, to)
	if err != nil {
		s.fail(c, err)
		return
	}
	if xlsx {
		names, err := s.orgNames(c.Request.Context(), differenceAgencies(diffs))
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
