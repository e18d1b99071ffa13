package httpapi

import (
	"cmp"
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"jiefen"
	"jiefen/calendar"
	"jiefen/internal/auth"
	"jiefen/internal/courtfile"
	"jiefen/internal/sqlstore"
	"jiefen/litigation"
	"jiefen/report"
)

// LitigationStore is what the litigation handlers need of the store: the
// administrative lawsuits and their hearings and outcomes, the statistics
// and their snapshots, 双下降, the interviews, the appearance alerts, and
// the names of the agencies sued.
type LitigationStore interface {
	ActOnLitigation(ctx context.Context, id int64, a sqlstore.LitAction) (litigation.Case, error)
	AlertCases(ctx context.Context, from, to calendar.Date) ([]litigation.Case, error)
	AppealedOn(ctx context.Context, ids []int64) (map[int64]calendar.Date, error)
	CreateInterview(ctx context.Context, iv litigation.Interview) (litigation.Interview, error)
	CreateLitigation(ctx context.Context, f litigation.Filing, n litigation.CaseNumber) (litigation.Case, error)
	FirstInstanceFiled(ctx context.Context, from, to calendar.Date) (byAgency map[string]int, city int, err error)
	FollowUpInterview(ctx context.Context, id int64, text string, on calendar.Date) (litigation.Interview, error)
	Interview(ctx context.Context, id int64) (litigation.Interview, error)
	Interviews(ctx context.Context, year int) ([]litigation.Interview, error)
	ListLitigation(ctx context.Context, f litigation.Filter) ([]litigation.Case, error)
	LitigationCase(ctx context.Context, id int64) (litigation.Case, error)
	LitigationStats(ctx context.Context, from, to calendar.Date, g litigation.Grouping, agency string) ([]litigation.Row, error)
	OrgNames(ctx context.Context, codes []string) (map[string]string, error)
	ResolveAgency(ctx context.Context, ref, field string) (string, error)
	Snapshots(ctx context.Context, from, to string, agency string) ([]litigation.Snapshot, error)
	StatsCases(ctx context.Context, f sqlstore.FigureCases, limit int, beforeID int64) ([]litigation.Case, error)
}

// litigationAPI serves /litigation except the court's imports and the
// reconciliation: the cases, the statistics, 双下降, the interviews and the
// appearance alerts.
type litigationAPI struct {
	*Server
	store LitigationStore
}

// LitigationPolicy holds the local rules of litigation monitoring
// (configs: litigation).
type LitigationPolicy struct {
	Interviews litigation.Thresholds
	// AlertDays: a key case's hearing this many days ahead with no head
	// confirmed is on the alert list.
	AlertDays int
	// Imports are the limits of a court caseload file (its size as sent
	// is Options.ImportLimit); zero: courtfile.DefaultLimits.
	Imports courtfile.Limits
	// Titles reads 出庭人职务; nil: litigation.DefaultTitles.
	Titles litigation.Titles
}

// exportRows is how many cases a workbook holds unless ?limit= says
// otherwise: every case of a county's years of suits, and at most what one
// import takes back (API.md: 100,000 rows).
const exportRows = 10_000

// xlsxType is the media type of a workbook.
const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// sendWorkbook answers a workbook as an attachment. It is the Server's:
// the court, ledger and mediation exports send workbooks too.
func (s *Server) sendWorkbook(c *gin.Context, name string, book []byte, err error) {
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Data(http.StatusOK, xlsxType, book)
}

// wantsXLSX reads ?format=json|xlsx.
func wantsXLSX(c *gin.Context, p *jiefen.Problems) bool {
	switch c.DefaultQuery("format", "json") {
	case "json":
		return false
	case "xlsx":
		return true
	}
	p.Add("format", "must be json or xlsx")
	return false
}

type filingRequest struct {
	CaseNumber        string               `json:"case_number"`
	Defendant         string               `json:"defendant"`
	Defendants        []string             `json:"defendants"`
	Plaintiff         plaintiffBody        `json:"plaintiff"`
	Cause             string               `json:"cause"`
	FiledOn           *calendar.Date       `json:"filed_on"`
	KeyFlags          []litigation.KeyFlag `json:"key_flags"`
	PreviousID        *int64               `json:"previous_id"`
	ReconsiderationID *int64               `json:"reconsideration_id"`

	PlaintiffKind       jiefen.PartyKind `json:"plaintiff_kind"`
	PlaintiffCreditCode string           `json:"plaintiff_credit_code"`
}

// plaintiffBody is a lawsuit's plaintiff as a client sends it: a name, or
// a party object {"kind","name","credit_code"} as parties are sent
// elsewhere (API.md, "Orgs": a plaintiff may be an organisation).
type plaintiffBody struct {
	Name       string
	Kind       jiefen.PartyKind
	CreditCode string
}

func (p *plaintiffBody) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] != '{' {
		return json.Unmarshal(b, &p.Name)
	}
	var o struct {
		Kind       jiefen.PartyKind `json:"kind"`
		Name       string           `json:"name"`
		CreditCode string           `json:"credit_code"`
	}
	if err := json.Unmarshal(b, &o); err != nil {
		return err
	}
	*p = plaintiffBody{Name: o.Name, Kind: o.Kind, CreditCode: o.CreditCode}
	return nil
}

// createLitigation registers a lawsuit against one or several defendants
// (defendants, the first being defendant): 422 on an unparseable case
// number (field case_number) or a defendant that names no single
// administrative body, 409 on a second case with the same canonical one.
// Agency staff register suits against their own agency (among others)
// only.
func (s *litigationAPI) createLitigation(c *gin.Context) {
	var req filingRequest
	if err := decode(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	f := litigation.Filing{CaseNumber: req.CaseNumber, Defendant: req.Defendant, Defendants: req.Defendants, Plaintiff: req.Plaintiff.Name, Cause: req.Cause,
		KeyFlags: req.KeyFlags, PreviousID: req.PreviousID, ReconsiderationID: req.ReconsiderationID,
		PlaintiffKind: cmp.Or(req.PlaintiffKind, req.Plaintiff.Kind), PlaintiffCreditCode: cmp.Or(req.PlaintiffCreditCode, req.Plaintiff.CreditCode)}
	if req.FiledOn != nil {
		f.FiledOn = *req.FiledOn
	}
	n, err := f.Validate(calendar.DateOf(s.now()))
	if err != nil {
		s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	actor, _ := jiefen.ActorFrom(ctx)
	if scope := auth.ScopeOf(actor).Agency; scope != "" {
		own := false
		for i, name := range f.Named() {
			code, err := s.store.ResolveAgency(ctx, name, f.DefendantField(i))
			if err != nil {
				s.fail(c, err)
				return
			}
			own = own || code == scope
		}
		if !own {
			var p jiefen.Problems
			p.Add(f.DefendantField(0), "agency staff register suits against their own agency (%s)", actor.OrgCode)
			s.fail(c, p.Err())
			return
		}
	}
	lc, err := s.store.CreateLitigation(ctx, f, n)
	if err == nil {
		err = s.litigationClocks(ctx, &lc)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Location", "/api/v1/litigation/cases/"+strconv.FormatInt(lc.ID, 10))
	c.Header("ETag", etag(lc.Version))
	c.JSON(http.StatusCreated, lc)
}

// litigationClocks computes the clocks of cases as of today on the current
// calendar: a first instance decided shows the parties' appeal window,
// used once a later instance is on record.
func (s *litigationAPI) litigationClocks(ctx context.Context, cs ...*litigation.Case) error {
	ids := make([]int64, 0, len(cs))
	for _, lc := range cs {
		if lc.Outcome != nil && lc.FirstInstance() {
			ids = append(ids, lc.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	cal, err := s.opts.Holidays.Get(ctx)
	if err != nil {
		return err
	}
	appealed, err := s.store.AppealedOn(ctx, ids)
	if err != nil {
		return err
	}
	today := calendar.DateOf(s.now())
	for _, lc := range cs {
		var on *calendar.Date
		if d, ok := appealed[lc.ID]; ok {
			on = &d
		}
		lc.ComputeClocks(cal, s.opts.Rules, today, on)
	}
	return nil
}

// litigationCase returns the case of the path if the actor may see it.
func (s *litigationAPI) litigationCase(c *gin.Context) (litigation.Case, error) {
	id, err := pathID(c)
	if err != nil {
		return litigation.Case{}, err
	}
	ctx := c.Request.Context()
	lc, err := s.store.LitigationCase(ctx, id)
	if err != nil {
		return litigation.Case{}, err
	}
	actor, _ := jiefen.ActorFrom(ctx)
	if scope := auth.ScopeOf(actor).Agency; scope != "" && !lc.HasDefendant(scope) {
		return litigation.Case{}, jiefen.Errorf(jiefen.ENOTFOUND, "no such case")
	}
	return lc, s.litigationClocks(ctx, &lc)
}

func (s *litigationAPI) getLitigation(c *gin.Context) {
	lc, err := s.litigationCase(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("ETag", etag(lc.Version))
	c.JSON(http.StatusOK, lc)
}

// listLitigation lists cases, newest first (agency staff: their own
// agency's); ?format=xlsx gives a workbook of every case the filter
// finds (up to exportRows; ?limit= and ?cursor= still page it).
func (s *litigationAPI) listLitigation(c *gin.Context) {
	limit, before, err := page(c)
	var p jiefen.Problems
	if err != nil {
		p = err.(*jiefen.Error).Fields
	}
	ctx := c.Request.Context()
	actor, _ := jiefen.ActorFrom(ctx)
	f := litigation.Filter{Limit: limit, BeforeID: before, TypeCode: c.Query("type_code"), Key: c.Query("key") == "true", Open: c.Query("open") == "true"}
	if d, ok := queryDate(c, "from", &p); ok {
		f.From = &d
	}
	if d, ok := queryDate(c, "to", &p); ok {
		f.To = &d
	}
	xlsx := wantsXLSX(c, &p)
	if xlsx && c.Query("limit") == "" {
		f.Limit = exportRows // a clerk files the whole list, not a page
	}
	if a := c.Query("defendant"); a != "" && len(p) == 0 {
		if f.Defendant, err = s.store.ResolveAgency(ctx, a, "defendant"); err != nil {
			s.fail(c, err)
			return
		}
	}
	if err := p.Err(); err != nil {
		s.fail(c, err)
		return
	}
	if scope := auth.ScopeOf(actor).Agency; scope != "" {
		f.Defendant = scope
	}
	cs, err := s.store.ListLitigation(ctx, f)
	if err != nil {
		s.fail(c, err)
		return
	}
	if xlsx {
		names, err := readOrgNames(ctx, s.store, caseAgencies(cs))
		if err != nil {
			s.fail(c, err)
			return
		}
		book, err := casesWorkbook(cs, names, calendar.DateOf(s.now()))
		s.sendWorkbook(c, "litigation-cases.xlsx", book, err)
		return
	}
	if err := s.litigationClocks(ctx, pointers(cs)...); err != nil {
		s.fail(c, err)
		return
	}
	out := list[litigation.Case]{Items: cs}
	if len(cs) == limit {
		out.NextCursor = encodeCursor(cs[len(cs)-1].ID)
	}
	c.JSON(http.StatusOK, out)
}

type litigationPatch struct {
	Defendant         *string               `json:"defendant"`
	Defendants        *[]string             `json:"defendants"`
	Plaintiff         *string               `json:"plaintiff"`
	Cause             *string               `json:"cause"`
	KeyFlags          *[]litigation.KeyFlag `json:"key_flags"`
	PreviousID        *int64                `json:"previous_id"`
	ReconsiderationID *int64                `json:"reconsideration_id"`

	PlaintiffKind       *jiefen.PartyKind `json:"plaintiff_kind"`
	PlaintiffCreditCode *string           `json:"plaintiff_credit_code"`
}

// patchLitigation changes what was entered about a case (If-Match
// required); the statistics follow in the same transaction. defendants
// replaces every defendant; defendant alone replaces the first and keeps
// the co-defendants. A plaintiff made a person loses its credit code; the
// kind and credit code the case is left with are checked as on filing.
// Only a court liaison changes who is sued: agency staff moving their own
// lost suit to another body would move its loss between agencies' rates,
// which feed 双下降 and 约谈 (403).
func (s *litigationAPI) patchLitigation(c *gin.Context) {
	ifVersion, err := ifMatch(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	var req litigationPatch
	if err := decode(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	if actor, _ := jiefen.ActorFrom(ctx); actor.Role != jiefen.RoleCourtLiaison && (req.Defendant != nil || req.Defendants != nil) {
		s.fail(c, jiefen.Errorf(jiefen.EFORBIDDEN, "只有法院联络员可以更改被告：被告决定案件计入哪个机关的败诉率"))
		return
	}
	var p jiefen.Problems
	defendant := ""
	if req.Defendant != nil {
		if defendant, err = s.store.ResolveAgency(ctx, *req.Defendant, "defendant"); err != nil {
			s.fail(c, err)
			return
		}
	}
	var defendants []string
	if req.Defendants != nil {
		switch n := len(*req.Defendants); {
		case n == 0:
			p.Add("defendants", "name at least one defendant")
		case n > litigation.MaxDefendants:
			p.Add("defendants", "at most %d defendants", litigation.MaxDefendants)
		}
		for i, name := range *req.Defendants {
			code, err := s.store.ResolveAgency(ctx, name, "defendants["+strconv.Itoa(i)+"]")
			if err != nil {
				s.fail(c, err)
				return
			}
			if !slices.Contains(defendants, code) {
				defendants = append(defendants, code)
			}
		}
		if defendant != "" && len(defendants) > 0 && defendant != defendants[0] {
			p.Add("defendant", "must be the first of defendants, or be left out")
		}
	}
	if req.Plaintiff != nil && strings.TrimSpace(*req.Plaintiff) == "" {
		p.Add("plaintiff", "must not be empty")
	}
	if req.KeyFlags != nil {
		for i, k := range *req.KeyFlags {
			if !validFlag(k) {
				p.Add("key_flags["+strconv.Itoa(i)+"]", "must be one of public_interest, public_attention, mass_incident_risk, procuratorate")
			}
		}
	}
	if err := p.Err(); err != nil {
		s.fail(c, err)
		return
	}
	s.litigationAction(c, sqlstore.LitAction{Name: "update", IfVersion: ifVersion, Do: func(lc *litigation.Case) error {
		switch {
		case defendants != nil:
			lc.Defendant, lc.Defendants = defendants[0], defendants
		case defendant != "":
			lc.SetDefendant(defendant)
		}
		if req.Plaintiff != nil {
			lc.Plaintiff = strings.TrimSpace(*req.Plaintiff)
		}
		if req.Cause != nil {
			lc.Cause = strings.TrimSpace(*req.Cause)
		}
		if req.KeyFlags != nil {
			lc.KeyFlags = append([]litigation.KeyFlag{}, *req.KeyFlags...)
		}
		if req.PreviousID != nil {
			lc.PreviousID = req.PreviousID
		}
		if req.ReconsiderationID != nil {
			lc.ReconsiderationID = req.ReconsiderationID
		}
		if req.PlaintiffKind != nil {
			lc.PlaintiffKind = *req.PlaintiffKind
			if lc.PlaintiffKind == jiefen.PartyPerson && req.PlaintiffCreditCode == nil {
				lc.PlaintiffCreditCode = ""
			}
		}
		if req.PlaintiffCreditCode != nil {
			lc.PlaintiffCreditCode = *req.PlaintiffCreditCode
		}
		var p jiefen.Problems
		jiefen.NormalizeKind(&lc.PlaintiffKind, &lc.PlaintiffCreditCode, "plaintiff_kind", "plaintiff_credit_code", &p)
		return p.Err()
	}})
}

func validFlag(k litigation.KeyFlag) bool { return slices.Contains(litigation.KeyFlags, k) }

// litigationAction runs a change for the actor (agency staff: on their own
// agency's cases) and answers the case.
func (s *litigationAPI) litigationAction(c *gin.Context, a sqlstore.LitAction) {
	id, err := pathID(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	actor, _ := jiefen.ActorFrom(ctx)
	a.Defendant = auth.ScopeOf(actor).Agency
	if a.IfVersion == 0 && c.GetHeader("If-Match") != "" {
		if a.IfVersion, err = ifMatch(c); err != nil {
			s.fail(c, err)
			return
		}
	}
	lc, err := s.store.ActOnLitigation(ctx, id, a)
	if err == nil {
		err = s.litigationClocks(ctx, &lc)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("ETag", etag(lc.Version))
	c.JSON(http.StatusOK, lc)
}

type hearingBody struct {
	HeldOn       *calendar.Date       `json:"held_on"`
	HeadAppeared bool                 `json:"head_appeared"`
	Appearer     *litigation.Appearer `json:"appearer"`
	NoticeOn     *calendar.Date       `json:"notice_on"`
}

func (s *litigationAPI) addLitigationHearing(c *gin.Context) {
	var req hearingBody
	if err := decode(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	today := calendar.DateOf(s.now())
	h := litigation.Hearing{HeadAppeared: req.HeadAppeared, Appearer: req.Appearer, NoticeOn: req.NoticeOn}
	if req.HeldOn != nil {
		h.HeldOn = *req.HeldOn
	}
	s.litigationAction(c, sqlstore.LitAction{Name: "hearing", Do: func(lc *litigation.Case) error { return lc.AddHearing(h, today) }})
}

type outcomeBody struct {
	Result      litigation.Result      `json:"result"`
	ConcludedOn *calendar.Date         `json:"concluded_on"`
	LossCauses  []litigation.LossCause `json:"loss_causes"`
}

func (s *litigationAPI) concludeLitigation(c *gin.Context) {
	var req outcomeBody
	if err := decode(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	today := calendar.DateOf(s.now())
	o := litigation.Outcome{Result: req.Result, LossCauses: req.LossCauses}
	if req.ConcludedOn != nil {
		o.ConcludedOn = *req.ConcludedOn
	}
	s.litigationAction(c, sqlstore.LitAction{Name: "outcome", Do: func(lc *litigation.Case) error { return lc.Conclude(o, today) }})
}

// statsWindow reads from, to and group_by.
func statsWindow(c *gin.Context, p *jiefen.Problems) (calendar.Date, calendar.Date, litigation.Grouping) {
	from, to := dateWindow(c, p)
	var g litigation.Grouping
	if v := c.Query("group_by"); v != "" {
		for _, part := range strings.Split(v, ",") {
			switch strings.TrimSpace(part) {
			case "agency":
				g.Agency = true
			case "month":
				g.Month = true
			default:
				p.Add("group_by", "must be agency, month or agency,month")
			}
		}
	}
	return from, to, g
}

type statsAnswer struct {
	Definition string           `json:"definition"`
	From       calendar.Date    `json:"from"`
	To         calendar.Date    `json:"to"`
	GroupBy    string           `json:"group_by"`
	Items      []litigation.Row `json:"items"`
}

// litigationStats answers the figures of API.md under the named
// definition; ?format=xlsx gives the table as a workbook.
func (s *litigationAPI) litigationStats(c *gin.Context) {
	var p jiefen.Problems
	from, to, g := statsWindow(c, &p)
	xlsx := wantsXLSX(c, &p)
	instance := c.Query("instance")
	if instance != "" && instance != "first" {
		p.Add("instance", "must be first (the first-instance suits) or absent")
	}
	if err := p.Err(); err != nil {
		s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	actor, _ := jiefen.ActorFrom(ctx)
	agency := auth.ScopeOf(actor).Agency
	if agency == "" && c.Query("agency") != "" {
		code, err := s.store.ResolveAgency(ctx, c.Query("agency"), "agency")
		if err != nil {
			s.fail(c, err)
			return
		}
		agency = code
	}
	rows, err := s.store.LitigationStats(ctx, from, to, g, agency)
	if err == nil {
		err = s.nameRows(ctx, rows)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	if xlsx {
		names, err := readOrgNames(ctx, s.store, statsAgencies(rows, agency))
		if err != nil {
			s.fail(c, err)
			return
		}
		book, err := statsWorkbook(rows, names, from, to, g, agency)
		s.sendWorkbook(c, "litigation-stats-"+from.String()+"-"+to.String()+".xlsx", book, err)
		return
	}
	c.JSON(http.StatusOK, statsAnswer{Definition: litigation.Definition, From: from, To: to, GroupBy: c.Query("group_by"), Items: rows})
}

// nameRows sets the agency_name of rows grouped by agency.
func (s *litigationAPI) nameRows(ctx context.Context, rows []litigation.Row) error {
	var codes []string
	for _, r := range rows {
		if r.AgencyCode != nil {
			codes = append(codes, *r.AgencyCode)
		}
	}
	names, err := s.store.OrgNames(ctx, codes)
	if err != nil {
		return err
	}
	for i, r := range rows {
		if r.AgencyCode != nil {
			if name, ok := names[*r.AgencyCode]; ok {
				rows[i].AgencyName = &name
			}
		}
	}
	return nil
}

// statsCases lists the cases behind one figure: ?from&to&figure, and the
// agency and month of the group.
func (s *litigationAPI) statsCases(c *gin.Context) {
	var p jiefen.Problems
	from, to, _ := statsWindow(c, &p)
	limit, before, err := page(c)
	if err != nil {
		p = append(p, err.(*jiefen.Error).Fields...)
	}
	figure := litigation.Figure(c.Query("figure"))
	if !slices.Contains(litigation.Figures, figure) {
		p.Add("figure", "must be one of filed, concluded, lost, heard, head_appeared, key_heard, key_head_appeared")
	}
	month := c.Query("month")
	if month != "" {
		if _, err := calendar.ParseDate(month + "-01"); err != nil || len(month) != 7 {
			p.Add("month", "must be YYYY-MM")
		}
	}
	instance := c.Query("instance")
	if instance != "" && instance != "first" {
		p.Add("instance", "must be first (the first-instance suits) or absent")
	}
	if err := p.Err(); err != nil {
		s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	actor, _ := jiefen.ActorFrom(ctx)
	agency := auth.ScopeOf(actor).Agency
	if agency == "" && c.Query("agency") != "" {
		if agency, err = s.store.ResolveAgency(ctx, c.Query("agency"), "agency"); err != nil {
			s.fail(c, err)
			return
		}
	}
	cs, err := s.store.StatsCases(ctx, sqlstore.FigureCases{From: from, To: to, Figure: figure, Agency: agency, Month: month, FirstInstance: instance == "first"}, limit, before)
	if err == nil {
		err = s.litigationClocks(ctx, pointers(cs)...)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	out := list[litigation.Case]{Items: cs}
	if len(cs) == limit {
		out.NextCursor = encodeCursor(cs[len(cs)-1].ID)
	}
	c.JSON(http.StatusOK, out)
}

// queryYear reads ?year=.
func queryYear(c *gin.Context, p *jiefen.Problems) int {
	y, err := strconv.Atoi(c.Query("year"))
	if err != nil || y < 2000 || y > 2100 {
		p.Add("year", "is required: a year such as 2025")
	}
	return y
}

// yearWindow is the first and last day of year y.
func yearWindow(y int) (calendar.Date, calendar.Date) { return report.Window(y) }

// doubleDecline is 双下降 of a year against the year before
// (litigation.DoubleDeclines), city-wide and per agency, each agency named.
func (s *litigationAPI) doubleDecline(c *gin.Context) {
	var p jiefen.Problems
	year := queryYear(c, &p)
	if err := p.Err(); err != nil {
		s.fail(c, err)
		return
	}
	dd, err := doubleDeclines(c.Request.Context(), s.store, year)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"year": year, "definition": litigation.Definition, "city": dd.city, "items": dd.items})
}

// yearStore is what 双下降 and a year's lawsuit figures read.
type yearStore interface {
	FirstInstanceFiled(ctx context.Context, from, to calendar.Date) (byAgency map[string]int, city int, err error)
	LitigationStats(ctx context.Context, from, to calendar.Date, g litigation.Grouping, agency string) ([]litigation.Row, error)
	OrgNames(ctx context.Context, codes []string) (map[string]string, error)
}

// declines is 双下降 of a year: the figures of the year and the year
// before, and the comparison city-wide and per agency, each agency named.
type declines struct {
	prev, cur litigation.YearFigures
	city      litigation.DoubleDecline
	items     []litigation.DoubleDecline
}

// doubleDeclines reads 双下降 of year against the year before, as GET
// /litigation/double-decline and the annual report answer it.
func doubleDeclines(ctx context.Context, store yearStore, year int) (declines, error) {
	var dd declines
	var err error
	if dd.prev, err = yearFigures(ctx, store, year-1); err != nil {
		return dd, err
	}
	if dd.cur, err = yearFigures(ctx, store, year); err != nil {
		return dd, err
	}
	dd.city, dd.items = litigation.DoubleDeclines(dd.prev, dd.cur)
	codes := make([]string, len(dd.items))
	for i, d := range dd.items {
		codes[i] = *d.AgencyCode
	}
	names, err := store.OrgNames(ctx, codes)
	if err != nil {
		return dd, err
	}
	for i := range dd.items {
		if name, ok := names[*dd.items[i].AgencyCode]; ok {
			dd.items[i].AgencyName = &name
		}
	}
	return dd, nil
}

// yearFigures reads the figures of a calendar year behind 双下降.
func yearFigures(ctx context.Context, store yearStore, year int) (litigation.YearFigures, error) {
	from, to := yearWindow(year)
	var f litigation.YearFigures
	var err error
	if f.Filed, f.CityFiled, err = store.FirstInstanceFiled(ctx, from, to); err != nil {
		return f, err
	}
	if f.Rows, err = store.LitigationStats(ctx, from, to, litigation.Grouping{Agency: true}, ""); err != nil {
		return f, err
	}
	city, err := store.LitigationStats(ctx, from, to, litigation.Grouping{}, "")
	if err != nil {
		return f, err
	}
	f.City = city[0]
	return f, nil
}

// interviewCandidates lists the agencies whose heads should be interviewed
// (约谈) for a year under the configured thresholds, with the interviews
// already held.
func (s *litigationAPI) interviewCandidates(c *gin.Context) {
	var p jiefen.Problems
	year := queryYear(c, &p)
	if err := p.Err(); err != nil {
		s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	from, to := yearWindow(year)
	rows, err := s.store.LitigationStats(ctx, from, to, litigation.Grouping{Agency: true}, "")
	if err == nil {
		err = s.nameRows(ctx, rows)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	held, err := s.store.Interviews(ctx, year)
	if err != nil {
		s.fail(c, err)
		return
	}
	type candidate struct {
		litigation.Candidate
		Interviews []litigation.Interview `json:"interviews"`
	}
	out := []candidate{}
	for _, cand := range s.opts.Litigation.Interviews.Candidates(rows) {
		k := candidate{Candidate: cand, Interviews: []litigation.Interview{}}
		for _, iv := range held {
			if iv.Agency == cand.AgencyCode {
				k.Interviews = append(k.Interviews, iv)
			}
		}
		out = append(out, k)
	}
	c.JSON(http.StatusOK, gin.H{"year": year, "definition": litigation.Definition, "thresholds": s.opts.Litigation.Interviews, "items": out})
}

type interviewRequest struct {
	Agency        string                 `json:"agency"`
	Year          int                    `json:"year"`
	HeldOn        *calendar.Date         `json:"held_on"`
	Interviewee   string                 `json:"interviewee"`
	Interviewer   string                 `json:"interviewer"`
	Causes        []litigation.LossCause `json:"causes"`
	Rectification string                 `json:"rectification"`
	FollowUp      string                 `json:"follow_up"`
	FollowUpOn    *calendar.Date         `json:"follow_up_on"`
}

// createInterview records an interview (约谈) of an agency head.
func (s *litigationAPI) createInterview(c *gin.Context) {
	var req interviewRequest
	if err := decode(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	var p jiefen.Problems
	today := calendar.DateOf(s.now())
	iv := litigation.Interview{Year: req.Year, Interviewee: strings.TrimSpace(req.Interviewee), Interviewer: strings.TrimSpace(req.Interviewer),
		Causes: req.Causes, Rectification: strings.TrimSpace(req.Rectification), FollowUp: strings.TrimSpace(req.FollowUp), FollowUpOn: req.FollowUpOn}
	switch {
	case req.HeldOn == nil:
		p.Add("held_on", "is required")
	case *req.HeldOn > today:
		p.Add("held_on", "%s is in the future", *req.HeldOn)
	default:
		iv.HeldOn = *req.HeldOn
	}
	if iv.Year == 0 && req.HeldOn != nil {
		iv.Year = req.HeldOn.Year()
	}
	if iv.Interviewee == "" {
		p.Add("interviewee", "is required: the head interviewed")
	}
	// The names of who was interviewed and who interviewed are kept as
	// written, in columns of 200 characters.
	for _, f := range [][2]string{{"interviewee", iv.Interviewee}, {"interviewer", iv.Interviewer}} {
		if utf8.RuneCountInString(f[1]) > 200 || !plainText(f[1]) {
			p.Add(f[0], "至多 200 个字符，且不含控制字符")
		}
	}
	if req.Year != 0 && (req.Year < firstEventDay.Year() || req.Year > today.Year()) {
		p.Add("year", "须在 %d 年至今年之间：约谈针对的是已有的败诉年度", firstEventDay.Year())
	}
	for i, lc := range req.Causes {
		if !slices.Contains(litigation.LossCauses, lc) {
			p.Add("causes["+strconv.Itoa(i)+"]", "must be one of procedure_violation, unclear_facts, wrong_law, ultra_vires, inaction, other")
		}
	}
	if iv.Causes == nil {
		iv.Causes = []litigation.LossCause{}
	}
	ctx := c.Request.Context()
	if strings.TrimSpace(req.Agency) == "" {
		p.Add("agency", "is required")
	} else if code, err := s.store.ResolveAgency(ctx, req.Agency, "agency"); err != nil {
		p = append(p, err.(*jiefen.Error).Fields...)
	} else {
		iv.Agency = code
	}
	if err := p.Err(); err != nil {
		s.fail(c, err)
		return
	}
	out, err := s.store.CreateInterview(ctx, iv)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Location", "/api/v1/litigation/interviews/"+strconv.FormatInt(out.ID, 10))
	c.JSON(http.StatusCreated, out)
}

// getInterview answers one interview of an agency head.
func (s *litigationAPI) getInterview(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	iv, err := s.store.Interview(c.Request.Context(), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("ETag", etag(iv.Version))
	c.JSON(http.StatusOK, iv)
}

func (s *litigationAPI) listInterviews(c *gin.Context) {
	var p jiefen.Problems
	year := queryYear(c, &p)
	if err := p.Err(); err != nil {
		s.fail(c, err)
		return
	}
	ivs, err := s.store.Interviews(c.Request.Context(), year)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": ivs})
}

// appearanceAlerts lists the key cases with a hearing in the next
// litigation.alert_days days and no head confirmed to appear.
func (s *litigationAPI) appearanceAlerts(c *gin.Context) {
	ctx := c.Request.Context()
	today := calendar.DateOf(s.now())
	days := s.opts.Litigation.AlertDays
	cs, err := s.store.AlertCases(ctx, today, today.AddDays(days))
	if err != nil {
		s.fail(c, err)
		return
	}
	actor, _ := jiefen.ActorFrom(ctx)
	scope := auth.ScopeOf(actor).Agency
	type alert struct {
		Case    litigation.Case    `json:"case"`
		Hearing litigation.Hearing `json:"hearing"`
	}
	out := []alert{}
	for _, lc := range cs {
		if scope != "" && !lc.HasDefendant(scope) {
			continue
		}
		if h := lc.AppearanceAlert(today, days); h != nil {
			out = append(out, alert{Case: lc, Hearing: *h})
		}
	}
	c.JSON(http.StatusOK, gin.H{"as_of": today, "days": days, "items": out})
}

type followUpRequest struct {
	Text string         `json:"follow_up"`
	On   *calendar.Date `json:"on"`
}

// followUpInterview records how the rectification an interview required
// was followed up.
func (s *litigationAPI) followUpInterview(c *gin.Context) {
	var req followUpRequest
	if err := decode(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	id, err := pathID(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	today := calendar.DateOf(s.now())
	on := onOrToday(req.On, today)
	var p jiefen.Problems
	if strings.TrimSpace(req.Text) == "" {
		p.Add("follow_up", "is required")
	}
	if on > today {
		p.Add("on", "%s is in the future", on)
	}
	if err := p.Err(); err != nil {
		s.fail(c, err)
		return
	}
	iv, err := s.store.FollowUpInterview(c.Request.Context(), id, strings.TrimSpace(req.Text), on)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, iv)
}

// litigationSnapshots answers the monthly figures frozen by the
// monthly_snapshot job, ?from=YYYY-MM&to=YYYY-MM (inclusive) and
// optionally ?agency=CODE: trends that later corrections do not rewrite.
// Agency staff see their own agency's.
func (s *litigationAPI) litigationSnapshots(c *gin.Context) {
	agency := c.Query("agency")
	actor, _ := jiefen.ActorFrom(c.Request.Context())
	if scope := auth.ScopeOf(actor).Agency; scope != "" {
		agency = scope
	}
	items, err := s.store.Snapshots(c.Request.Context(), c.Query("from"), c.Query("to"), agency)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": items})
}
