package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"jiefen"
	"jiefen/calendar"
	"jiefen/internal/sqlstore"
)

// CalendarStore is what the calendar handlers need of the store: the
// stored holiday notices and the recount of the clocks they change.
type CalendarStore interface {
	PutCalendarNotice(ctx context.Context, n calendar.Notice, ifVersion *int64) (sqlstore.StoredNotice, error)
	Recount(ctx context.Context, all bool, mediationClocks sqlstore.CaseClocks, reconClocks sqlstore.ReconClocks) (int, error)
	RequestRecount(ctx context.Context, reason string) error
}

// calendarAPI serves /calendar (the holiday tables) and /deadlines (the
// legal clock and its rules).
type calendarAPI struct {
	*Server
	store CalendarStore
}

type deadlineResponse struct {
	From   calendar.Date `json:"from"`
	Due    calendar.Date `json:"due"`
	Unit   calendar.Unit `json:"unit"`
	N      int           `json:"n"`
	Rule   string        `json:"rule,omitempty"`
	Name   string        `json:"name,omitempty"`
	Before bool          `json:"before,omitempty"`
	Basis  string        `json:"basis"`
	// Provisional says due was counted on the provisional calendar of a
	// year whose State Council notice is not loaded yet; Basis says so.
	Provisional bool   `json:"provisional"`
	Explanation string `json:"explanation"`
}

// maxN bounds a period so that nobody asks for a deadline centuries away.
var maxN = map[calendar.Unit]int{calendar.Workdays: 1000, calendar.Days: 3660, calendar.Months: 120}

// deadline computes one deadline, by rule (?rule=&from=) or by unit
// (?unit=&n=&from=), and explains it.
func (s *calendarAPI) deadline(c *gin.Context) {
	var p jiefen.Problems
	from, ok := queryDate(c, "from", &p)
	if !ok && c.Query("from") == "" {
		p.Add("from", "is required (YYYY-MM-DD)")
	}
	var clock calendar.Clock
	out := deadlineResponse{}
	ruleID, unit, nStr := c.Query("rule"), c.Query("unit"), c.Query("n")
	switch {
	case ruleID != "" && (unit != "" || nStr != ""):
		p.Add("rule", "give either rule, or unit and n, not both")
	case ruleID != "":
		r, found := s.opts.Rules.Rule(ruleID)
		if !found {
			p.Add("rule", "no clock rule has the id %q; see /api/v1/deadlines/rules", ruleID)
			break
		}
		clock = r.Clock(from)
		out.Rule, out.Name, out.Basis, out.Before = r.ID, r.Name, r.Basis, r.Before
	default:
		u := calendar.Unit(unit)
		if !u.Valid() {
			p.Add("unit", "must be workdays, days or months (or give rule)")
		}
		n, err := strconv.Atoi(nStr)
		switch {
		case nStr == "":
			p.Add("n", "is required with unit")
		case err != nil || n < 1:
			p.Add("n", "must be a whole number of at least 1")
		case u.Valid() && n > maxN[u]:
			p.Add("n", "must be at most %d %s", maxN[u], u)
		}
		clock = calendar.Clock{Period: calendar.Period{Unit: u, N: n}}
		out.Basis = calendar.CountingBasis(u)
	}
	if err := p.Err(); err != nil {
		s.fail(c, err)
		return
	}
	clock.From = from
	cal, err := s.opts.Holidays.Get(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	d, err := cal.Deadline(clock, from)
	if err != nil {
		s.fail(c, calendarError(err, from))
		return
	}
	out.From, out.Due, out.Unit, out.N = from, d.Due, clock.Period.Unit, clock.Period.N
	out.Basis, out.Provisional = d.Basis(out.Basis), len(d.Provisional) > 0
	out.Explanation = cal.Explain(clock, d.Due)
	c.JSON(http.StatusOK, out)
}

// calendarError names the year the calendar has no table for: a year
// before the first notice (2007), or beyond the provisional calendar's
// reach. It lies on the field of the trigger date when that is where it
// is, else on the due date.
func calendarError(err error, from calendar.Date) error {
	var nl *calendar.NotLoadedError
	if !errors.As(err, &nl) {
		return err
	}
	field := jiefen.Field("due", "the deadline would fall in %d, which the calendar does not reach", nl.Year)
	if from.Year() == nl.Year {
		field = jiefen.Field("from", "the calendar has no table for %d", nl.Year)
	}
	e := jiefen.Errorf(jiefen.EINVALID, "%v; the calendar counts from 2007 (the first State Council notice loaded) and ten years past the last notice loaded", nl)
	e.Fields = []jiefen.FieldError{field}
	return e
}

func queryDate(c *gin.Context, name string, p *jiefen.Problems) (calendar.Date, bool) {
	v := c.Query(name)
	if v == "" {
		return 0, false
	}
	d, err := calendar.ParseDate(v)
	if err != nil {
		p.Add(name, "must be a date YYYY-MM-DD")
		return 0, false
	}
	return d, true
}

func (s *calendarAPI) deadlineRules(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"items": s.opts.Rules.All()})
}

type calendarDay struct {
	Date calendar.Date `json:"date"`
	Name string        `json:"name"`
	Kind string        `json:"kind,omitempty"`
}

type calendarYear struct {
	Year           int           `json:"year"`
	Source         string        `json:"source"`
	Title          string        `json:"title,omitempty"`
	DocNo          string        `json:"doc_no,omitempty"`
	Issued         string        `json:"issued,omitempty"`
	URL            string        `json:"url,omitempty"`
	Holidays       []calendarDay `json:"holidays"`
	MakeUpWorkdays []calendarDay `json:"make_up_workdays"`
	RestDays       []calendarDay `json:"rest_days"`
	WorkingDays    int           `json:"working_days"`
}

// calendarYear lists every rest day (declared holidays and ordinary
// weekends) and every make-up working day of a year, by calendar date. A
// year whose notice is not loaded yet is listed as the provisional
// calendar counts it (source "provisional").
func (s *calendarAPI) calendarYear(c *gin.Context) {
	year, err := yearParam(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	out, err := s.yearView(c.Request.Context(), year)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, out)
}

// yearView lists a year of the current calendar.
func (s *calendarAPI) yearView(ctx context.Context, year int) (calendarYear, error) {
	cal, err := s.opts.Holidays.Get(ctx)
	if err != nil {
		return calendarYear{}, err
	}
	n, ok := cal.Notice(year)
	source := s.opts.Holidays.Origin(year)
	switch {
	case !ok && cal.Provisional(year):
		n = calendar.Notice{Year: year, Title: calendar.ProvisionalBasis([]int{year})}
		source = "provisional"
	case !ok:
		return calendarYear{}, jiefen.Errorf(jiefen.ENOTFOUND, "the calendar has no table for %d", year)
	}
	out := calendarYear{Year: year, Source: source, Title: n.Title, DocNo: n.DocNo,
		Issued: n.Issued, URL: n.URL, Holidays: []calendarDay{}, MakeUpWorkdays: []calendarDay{}, RestDays: []calendarDay{}}
	end := calendar.NewDate(year, time.December, 31)
	for d := calendar.NewDate(year, time.January, 1); d <= end; d++ {
		k, _ := cal.Kind(d)
		switch k {
		case calendar.Holiday:
			day := calendarDay{Date: d, Name: cal.Name(d), Kind: "holiday"}
			out.Holidays = append(out.Holidays, day)
			out.RestDays = append(out.RestDays, day)
		case calendar.Weekend:
			out.RestDays = append(out.RestDays, calendarDay{Date: d, Name: "周末", Kind: "weekend"})
		case calendar.MakeUpWorkday:
			out.MakeUpWorkdays = append(out.MakeUpWorkdays, calendarDay{Date: d, Name: cal.Name(d)})
			out.WorkingDays++
		default:
			out.WorkingDays++
		}
	}
	return out, nil
}

// putCalendarYear loads (or corrects) a year's State Council notice without
// a release (admin, audited). The body is the notice in the holiday-cn form
// or the form of holidays-cn.json; If-Match is optional and, when sent,
// must carry the stored version ("0" when none is stored yet).
func (s *calendarAPI) putCalendarYear(c *gin.Context) {
	year, err := yearParam(c)
	if err != nil {
		s.fail(c, err)
		return
	}

	var ifVersion *int64
	if h := c.GetHeader("If-Match"); h != "" {
		v, err := strconv.ParseInt(trimETag(h), 10, 64)
		if err != nil || v < 0 {
			s.fail(c, jiefen.Errorf(jiefen.EPRECONDITION, "If-Match %s matches no version of this table", h))
			return
		}
		ifVersion = &v
	}
	var raw json.RawMessage
	if err := decode(c, &raw); err != nil {
		s.fail(c, err)
		return
	}
	n, err := calendar.ParseNotice(raw, year)
	if err != nil {
		e := jiefen.Errorf(jiefen.EINVALID, "not a holiday notice: %v", err)
		e.Fields = []jiefen.FieldError{jiefen.Field("body", "%v", err)}
		s.fail(c, e)
		return
	}
	stored, err := s.store.PutCalendarNotice(c.Request.Context(), n, ifVersion)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.opts.Holidays.Invalidate()
	// Every clock is read again on the new table; the stored due days that
	// order the queues and scans of the open cases follow at once, those of
	// every case by the next clock_refresh run. The notice is stored: a
	// recount that fails here is logged, and that run does it.
	ctx := c.Request.Context()
	if err := s.recountAfter(ctx, fmt.Sprintf("calendar %d v%d", year, stored.Version)); err != nil {
		s.log.Warn("the clocks were not counted again after a holiday notice was loaded; the clock_refresh job will", "year", year,
			"error", redact(err.Error()))
	}
	out, err := s.yearView(ctx, year)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("ETag", etag(stored.Version))
	c.JSON(http.StatusOK, out)
}

// recountAfter asks for every case's clocks to be counted again for the
// reason given (done by the clock_refresh job), and counts the open cases'
// at once.
func (s *calendarAPI) recountAfter(ctx context.Context, reason string) error {
	if err := s.store.RequestRecount(ctx, reason); err != nil {
		return err
	}
	mediationClocks, _, err := s.caseClocks(ctx)
	if err != nil {
		return err
	}
	reconClocks, _, err := s.reconClocks(ctx)
	if err != nil {
		return err
	}
	_, err = s.store.Recount(ctx, false, mediationClocks, reconClocks)
	return err
}

// yearParam reads the {year} of the path.
func yearParam(c *gin.Context) (int, error) {
	year, err := strconv.Atoi(c.Param("year"))
	if err != nil || year < 1949 || year > 2200 {
		return 0, &jiefen.Error{Code: jiefen.EINVALID, Message: "not a year",
			Fields: []jiefen.FieldError{{Field: "year", Message: "must be a year such as 2027"}}}
	}
	return year, nil
}

// calendarYearsView is one loaded holiday table, as GET /api/v1/calendar
// lists them.
type calendarYearsView struct {
	Year   int    `json:"year"`
	Source string `json:"source"`
	Title  string `json:"title,omitempty"`
	DocNo  string `json:"doc_no,omitempty"`
}

// calendarYears lists the years whose holiday table is loaded, oldest
// first, with where each came from (shipped with the binary, or loaded
// into the database); a later year not listed is counted provisionally
// until its table is loaded (GET /api/v1/calendar/{year} shows how).
func (s *calendarAPI) calendarYears(c *gin.Context) {
	cal, err := s.opts.Holidays.Get(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	out := []calendarYearsView{}
	for _, y := range cal.Years() {
		v := calendarYearsView{Year: y, Source: s.opts.Holidays.Origin(y)}
		if n, ok := cal.Notice(y); ok {
			v.Title, v.DocNo = n.Title, n.DocNo
		}
		out = append(out, v)
	}
	c.JSON(http.StatusOK, gin.H{"items": out})
}
