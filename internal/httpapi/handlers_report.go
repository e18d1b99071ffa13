package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"jiefen"
	"jiefen/calendar"
	"jiefen/internal/sqlstore"
	"jiefen/liaison"
	"jiefen/litigation"
	"jiefen/mediation"
	"jiefen/reconsideration"
	"jiefen/report"
	"jiefen/routing"
)

// ReportStore is what the annual report reads: the statistics of every
// domain for a year (the disputes received, 以案定补, 好差评, the
// reconsideration figures, the lawsuits, 双下降 and the interviews), the
// agencies' names, and the audit entry of the read.
type ReportStore interface {
	CountReceived(ctx context.Context, from, to calendar.Date) (routing.Received, error)
	Subsidies(ctx context.Context, from, to calendar.Date, amounts mediation.Subsidies, mediator string) ([]mediation.SubsidyLine, error)
	Ratings(ctx context.Context, from, to calendar.Date) (mediation.RatingReport, error)
	Outcomes(ctx context.Context, from, to calendar.Date) (mediation.Outcomes, error)
	LedgerPeriod(ctx context.Context, from, to calendar.Date) ([]liaison.Issue, []liaison.Suggestion, error)
	ReconsiderationStats(ctx context.Context, from, to calendar.Date, basis reconsideration.RateBasis, clocks sqlstore.ReconClocks) (reconsideration.Stats, error)
	FirstInstanceFiled(ctx context.Context, from, to calendar.Date) (byAgency map[string]int, city int, err error)
	LitigationStats(ctx context.Context, from, to calendar.Date, g litigation.Grouping, agency string) ([]litigation.Row, error)
	Interviews(ctx context.Context, year int) ([]litigation.Interview, error)
	OrgNames(ctx context.Context, codes []string) (map[string]string, error)
	AuditRead(ctx context.Context, action, targetType, targetID string) error
}

// reportAPI serves the annual report (GET /reports/annual).
type reportAPI struct {
	*Server
	store ReportStore
}

// annual is GET /reports/annual?year=Y: the figures of the 法治政府建设年度
// 报告's sections 七 and 八 for the year, each beside the year before, with
// its definition, the statistics request that answers it and the list of
// its cases, 双下降 per agency, and the draft paragraphs (report.Drafter).
// Every read is audited (report.annual): the figures are the city's.
//
// ?format=docx answers the report as a Word document (annualDocument)
// that WPS, Word and LibreOffice open, its figures' names linking to their
// cases on this service.
func (s *reportAPI) annual(c *gin.Context) {
	var p jiefen.Problems
	year := queryYear(c, &p)
	format := c.DefaultQuery("format", "json")
	if format != "json" && format != "docx" {
		p.Add("format", "must be json or docx")
	}
	if err := p.Err(); err != nil {
		s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	a, err := s.annualReport(ctx, year)
	if err != nil {
		s.fail(c, err)
		return
	}
	var doc []byte
	if format == "docx" {
		actor, _ := jiefen.ActorFrom(ctx)
		if doc, err = annualDocument(a, s.serviceBase(c), actor.Username, s.now()); err != nil {
			s.fail(c, err)
			return
		}
	}
	if err := s.store.AuditRead(ctx, "report.annual", "report", strconv.Itoa(year)); err != nil {
		s.fail(c, err)
		return
	}
	if doc != nil {
		name := fmt.Sprintf("annual-report-%d.docx", year)
		c.Header("Content-Disposition", `attachment; filename="`+name+`"; filename*=UTF-8''`+
			url.PathEscape(fmt.Sprintf("%d年法治政府建设年度报告（草稿）.docx", year)))
		c.Data(http.StatusOK, docxType, doc)
		return
	}
	c.JSON(http.StatusOK, a)
}

// serviceBase is the address the request reached the service at, for the
// links of a document: https when served over TLS, or when proxies are
// trusted (http.trusted_proxies) and X-Forwarded-Proto says so; the host
// the client asked for.
func (s *reportAPI) serviceBase(c *gin.Context) string {
	scheme := "http"
	if c.Request.TLS != nil || len(s.opts.TrustedProxies) > 0 && c.GetHeader("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return scheme + "://" + c.Request.Host
}

// annualReport gathers the figures of year and the year before and drafts
// the text.
func (s *reportAPI) annualReport(ctx context.Context, year int) (report.Annual, error) {
	dd, err := doubleDeclines(ctx, s.store, year)
	if err != nil {
		return report.Annual{}, err
	}
	cur, err := s.reportYear(ctx, year, dd.cur)
	if err != nil {
		return report.Annual{}, err
	}
	prev, err := s.reportYear(ctx, year-1, dd.prev)
	if err != nil {
		return report.Annual{}, err
	}
	a := report.Build(cur, prev, dd.city, dd.items)
	if s.opts.Drafter != nil {
		if err := s.opts.Drafter.Draft(&a); err != nil {
			return a, err
		}
	}
	return a, nil
}

// reportYear reads what the statistics answer for one calendar year; the
// lawsuits' figures come with 双下降's (lit).
func (s *reportAPI) reportYear(ctx context.Context, year int, lit litigation.YearFigures) (report.Year, error) {
	from, to := yearWindow(year)
	y := report.Year{Year: year, Basis: s.opts.CorrectionRateBasis, Litigation: lit.City, FirstInstance: lit.CityFiled}
	var err error
	if y.Received, err = s.store.CountReceived(ctx, from, to); err != nil {
		return y, err
	}
	if y.Subsidies, err = s.store.Subsidies(ctx, from, to, s.opts.Mediation.Subsidies, ""); err != nil {
		return y, err
	}
	if y.Ratings, err = s.store.Ratings(ctx, from, to); err != nil {
		return y, err
	}
	if y.Outcomes, err = s.store.Outcomes(ctx, from, to); err != nil {
		return y, err
	}
	if y.Ledger, err = s.ledgerFigures(ctx, s.store, from, to); err != nil {
		return y, err
	}
	clocks, _, err := s.reconClocks(ctx)
	if err != nil {
		return y, err
	}
	st, err := s.store.ReconsiderationStats(ctx, from, to, s.opts.CorrectionRateBasis, clocks)
	if err != nil {
		return y, err
	}
	y.Reconsideration = st.Figures
	interviews, err := s.store.Interviews(ctx, year)
	y.Interviews = len(interviews)
	return y, err
}
