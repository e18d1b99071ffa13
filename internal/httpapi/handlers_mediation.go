package httpapi

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"jiefen"
	"jiefen/calendar"
	"jiefen/internal/auth"
	"jiefen/internal/sqlstore"
	"jiefen/mediation"
	"jiefen/routing"
)

// MediationStore is what the mediation handlers need of the store: the
// cases and their steps, the disputes they come from, the orgs and
// mediators an agreement names, subsidies and ratings, and the audit entry
// of a read in clear.
type MediationStore interface {
	OutcomeCases(ctx context.Context, from, to calendar.Date, figure string) ([]mediation.OutcomeCase, error)
	Outcomes(ctx context.Context, from, to calendar.Date) (mediation.Outcomes, error)
	ActOnCase(ctx context.Context, id int64, a sqlstore.CaseAction, clocks sqlstore.CaseClocks) (mediation.Case, error)
	AuditUnmask(ctx context.Context, targetType, targetID string) error
	Dispute(ctx context.Context, idOrCode string) (routing.Dispute, error)
	DisputeVisible(ctx context.Context, id int64, scope auth.Scope) (bool, error)
	ListMediationCases(ctx context.Context, f mediation.Filter, clocks sqlstore.CaseClocks) ([]mediation.Case, string, error)
	MediationCase(ctx context.Context, id int64, clocks sqlstore.CaseClocks) (mediation.Case, error)
	Org(ctx context.Context, code string) (jiefen.Org, error)
	OrgNames(ctx context.Context, codes []string) (map[string]string, error)
	Ratings(ctx context.Context, from, to calendar.Date) (mediation.RatingReport, error)
	Subsidies(ctx context.Context, from, to calendar.Date, amounts mediation.Subsidies, mediator string) ([]mediation.SubsidyLine, error)
	User(ctx context.Context, username string) (jiefen.User, error)
}

// mediationAPI serves /mediation: the cases, each step of a case, the
// printed agreement, the mediators' subsidies and the ratings.
type mediationAPI struct {
	*Server
	store MediationStore
}

// caseClocks returns what fills in a case's clocks today, on the current
// calendar, under the local policy (mediation.Policy.Clocks). It is the
// Server's: the dispute and calendar handlers count cases' clocks too.
func (s *Server) caseClocks(ctx context.Context) (sqlstore.CaseClocks, calendar.Date, error) {
	cal, err := s.opts.Holidays.Get(ctx)
	if err != nil {
		return nil, 0, err
	}
	today := calendar.DateOf(s.now())
	return func(c *mediation.Case) { s.opts.Mediation.Clocks(c, cal, s.opts.Rules, today) }, today, nil
}

// visibleCase returns the case if the actor may see it: a mediator their
// own cases, an intake desk the cases of the disputes it may read, a
// leader all; anything else is not found.
func (s *mediationAPI) visibleCase(c *gin.Context, clocks sqlstore.CaseClocks) (mediation.Case, error) {
	id, err := pathID(c)
	if err != nil {
		return mediation.Case{}, err
	}
	ctx := c.Request.Context()
	mc, err := s.store.MediationCase(ctx, id, clocks)
	if err != nil {
		return mediation.Case{}, err
	}
	actor, _ := jiefen.ActorFrom(ctx)
	switch scope := auth.ScopeOf(actor); {
	case scope.AllDisputes:
		return mc, nil
	case scope.Mediator != "":
		if mc.Assignee == scope.Mediator {
			return mc, nil
		}
	case scope.IntakeOrg != "":
		ok, err := s.store.DisputeVisible(ctx, mc.DisputeID, scope)
		if err != nil {
			return mediation.Case{}, err
		}
		if ok {
			return mc, nil
		}
	}
	return mediation.Case{}, jiefen.Errorf(jiefen.ENOTFOUND, "no such case")
}

func (s *mediationAPI) getCase(c *gin.Context) {
	clocks, _, err := s.caseClocks(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	mc, err := s.visibleCase(c, clocks)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("ETag", etag(mc.Version))
	clear, err := unmasked(c, s.store, "mediation_case", strconv.FormatInt(mc.ID, 10))
	if err != nil {
		s.fail(c, err)
		return
	}
	if !clear {
		mc = mc.Masked()
	}
	c.JSON(http.StatusOK, mc)
}

// listCases is the mediation queue: a mediator's own cases by default,
// ordered by the nearest due date so that overdue cases come first.
func (s *mediationAPI) listCases(c *gin.Context) {
	ctx := c.Request.Context()
	actor, _ := jiefen.ActorFrom(ctx)
	var p jiefen.Problems
	f := mediation.Filter{State: mediation.State(c.Query("state")), Track: c.Query("track"),
		OrgCode: c.Query("org"), Assignee: c.Query("assignee"), Cursor: c.Query("cursor")}
	f.Limit = queryLimit(c, &p)
	if f.State != "" && !slices.Contains(mediation.States, f.State) {
		p.Add("state", "unknown state")
	}
	if f.Track != "" && !routing.Track(f.Track).Mediates() {
		p.Add("track", "must be people, administrative or judicial")
	}
	if d, ok := queryDate(c, "from", &p); ok {
		f.From = &d
	}
	if d, ok := queryDate(c, "to", &p); ok {
		f.To = &d
	}
	scope := auth.ScopeOf(actor)
	f.Assignee, f.IntakeOrg = scope.Mediator, scope.IntakeOrg
	if err := p.Err(); err != nil {
		s.fail(c, err)
		return
	}
	clocks, _, err := s.caseClocks(ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	cs, next, err := s.store.ListMediationCases(ctx, f, clocks)
	if err != nil {
		s.fail(c, err)
		return
	}
	out := list[mediation.Case]{Items: make([]mediation.Case, len(cs))}
	for i, mc := range cs {
		out.Items[i] = mc.Masked()
	}
	if next != "" {
		out.NextCursor = &next
	}
	c.JSON(http.StatusOK, out)
}

// act runs one action on a case for its mediator and answers 200 with the
// whole case, clocks included. An If-Match, when sent, must match.
func (s *mediationAPI) act(c *gin.Context, a sqlstore.CaseAction, clocks sqlstore.CaseClocks) {
	id, err := pathID(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	if a.IfVersion, err = optionalIfMatch(c); err != nil {
		s.fail(c, err)
		return
	}
	mc, err := s.store.ActOnCase(c.Request.Context(), id, a, clocks)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("ETag", etag(mc.Version))
	c.JSON(http.StatusOK, mc.Masked())
}

// onOrToday is the day an event happened: as sent, or today.
func onOrToday(on *calendar.Date, today calendar.Date) calendar.Date {
	if on != nil {
		return *on
	}
	return today
}

// caseAction decodes the body into req and returns the clocks and today,
// failing the request on any error (ok false).
func (s *mediationAPI) caseAction(c *gin.Context, req any) (sqlstore.CaseClocks, calendar.Date, bool) {
	if err := decode(c, req); err != nil {
		s.fail(c, err)
		return nil, 0, false
	}
	clocks, today, err := s.caseClocks(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return nil, 0, false
	}
	return clocks, today, true
}

// caseHandler is the handler of an action on a case whose body is a T:
// do applies it under the domain's rules (see mediation.Case).
func caseHandler[T any](s *mediationAPI, name string, do func(req T, mc *mediation.Case, today calendar.Date) error) gin.HandlerFunc {
	return func(c *gin.Context) {
		var req T
		clocks, today, ok := s.caseAction(c, &req)
		if !ok {
			return
		}
		s.act(c, sqlstore.CaseAction{Name: name, Do: func(mc *mediation.Case) error { return do(req, mc, today) }}, clocks)
	}
}

type onRequest struct {
	On *calendar.Date `json:"on"`
}

func (s *mediationAPI) acceptCase() gin.HandlerFunc {
	return caseHandler(s, "accept", func(r onRequest, mc *mediation.Case, today calendar.Date) error {
		return mc.Accept(onOrToday(r.On, today), today)
	})
}

type sessionRequest struct {
	On        *calendar.Date `json:"on"`
	Place     string         `json:"place"`
	Attendees []string       `json:"attendees"`
	Record    string         `json:"record"`
}

func (s *mediationAPI) addSession() gin.HandlerFunc {
	return caseHandler(s, "session", func(r sessionRequest, mc *mediation.Case, today calendar.Date) error {
		return mc.AddSession(mediation.Session{On: onOrToday(r.On, today), Place: r.Place, Attendees: r.Attendees, Record: r.Record}, today)
	})
}

type agreementRequest struct {
	On             *calendar.Date `json:"on"`
	Terms          string         `json:"terms"`
	AmountFen      int64          `json:"amount_fen"`
	PerformanceDue *calendar.Date `json:"performance_due"`
	EffectiveOn    *calendar.Date `json:"effective_on"`
	Tier           string         `json:"tier"`
}

func (s *mediationAPI) agree() gin.HandlerFunc {
	return caseHandler(s, "agreement", func(r agreementRequest, mc *mediation.Case, today calendar.Date) error {
		a := mediation.Agreement{On: onOrToday(r.On, today), Terms: r.Terms, AmountFen: r.AmountFen, PerformanceDue: r.PerformanceDue}
		if r.EffectiveOn != nil {
			a.EffectiveOn = *r.EffectiveOn
		}
		return mc.Agree(a, mediation.Tier(r.Tier), today)
	})
}

type failureRequest struct {
	On          *calendar.Date `json:"on"`
	Reason      string         `json:"reason"`
	NextTrack   string         `json:"next_track"`
	NextOrgCode string         `json:"next_org_code"`
	// To the reconsideration track: the agency and the contested act.
	Respondent string `json:"respondent"`
	Act        string `json:"act"`
}

// fail records a failed mediation; a next track and org become a transfer
// of the dispute, in the same transaction.
func (s *mediationAPI) failCase(c *gin.Context) {
	var req failureRequest
	clocks, today, ok := s.caseAction(c, &req)
	if !ok {
		return
	}
	f := mediation.Failure{On: onOrToday(req.On, today), Reason: req.Reason, NextTrack: req.NextTrack, NextOrg: strings.TrimSpace(req.NextOrgCode)}
	a := sqlstore.CaseAction{Name: "failure", Capacity: s.opts.Intake.MediatorCapacity, Do: func(mc *mediation.Case) error { return mc.Fail(f, today) }}
	if f.NextTrack != "" {
		var p jiefen.Problems
		if !routing.Track(f.NextTrack).Valid() {
			p.Add("next_track", "unknown track")
		}
		if f.NextOrg == "" {
			p.Add("next_org_code", "is required with next_track: the org that takes the dispute")
		}
		t := routing.Transfer{ToTrack: routing.Track(f.NextTrack), Respondent: req.Respondent, Act: req.Act}
		if f.NextTrack == string(routing.TrackReconsideration) && (strings.TrimSpace(t.Respondent) == "" || strings.TrimSpace(t.Act) == "") {
			p.Add("respondent", "respondent and act are required to open the reconsideration case")
		}
		if err := p.Err(); err != nil {
			s.fail(c, err)
			return
		}
		t.ToOrg, t.Reason, t.On = f.NextOrg, "调解不成："+strings.TrimSpace(f.Reason), f.On
		t.Respondent, t.Act = strings.TrimSpace(t.Respondent), strings.TrimSpace(t.Act)
		router, err := s.opts.Routing.Router(c.Request.Context())
		if err != nil {
			s.fail(c, err)
			return
		}
		router.TransferClock(&t)
		if a.Recon, _, err = s.reconClocks(c.Request.Context()); err != nil {
			s.fail(c, err)
			return
		}
		a.Transfer = &t
	}
	s.act(c, a, clocks)
}

type confirmationRequest struct {
	AppliedOn *calendar.Date `json:"applied_on"`
	Result    string         `json:"result"`
	On        *calendar.Date `json:"on"`
}

// confirmation records the application for judicial confirmation
// ({"applied_on"}) or the court's answer ({"result","on"}).
func (s *mediationAPI) confirmation() gin.HandlerFunc {
	return caseHandler(s, "confirmation", func(r confirmationRequest, mc *mediation.Case, today calendar.Date) error {
		if r.Result == "" {
			return mc.ApplyConfirmation(onOrToday(r.AppliedOn, today), today)
		}
		return mc.ConfirmationResult(r.Result, onOrToday(r.On, today), today)
	})
}

type followupRequest struct {
	On        *calendar.Date `json:"on"`
	Rating    int            `json:"rating"`
	Comment   string         `json:"comment"`
	Performed bool           `json:"performed"`
}

func (s *mediationAPI) followUp() gin.HandlerFunc {
	return caseHandler(s, "followup", func(r followupRequest, mc *mediation.Case, today calendar.Date) error {
		return mc.FollowUp(mediation.FollowUp{On: onOrToday(r.On, today), Rating: r.Rating, Comment: r.Comment, Performed: r.Performed}, today)
	})
}

type rectificationRequest struct {
	On     *calendar.Date `json:"on"`
	Action string         `json:"action"`
}

func (s *mediationAPI) rectify() gin.HandlerFunc {
	return caseHandler(s, "rectification", func(r rectificationRequest, mc *mediation.Case, today calendar.Date) error {
		return mc.Rectify(r.Action, onOrToday(r.On, today), today)
	})
}

func (s *mediationAPI) closeCase() gin.HandlerFunc {
	return caseHandler(s, "close", func(r onRequest, mc *mediation.Case, today calendar.Date) error {
		return mc.Close(onOrToday(r.On, today), today)
	})
}

// monthRange reads ?month=YYYY-MM as its first and last day.
func monthRange(c *gin.Context, p *jiefen.Problems) (string, calendar.Date, calendar.Date, bool) {
	m := c.Query("month")
	from, err := calendar.ParseDate(m + "-01")
	if m == "" || len(m) != 7 || err != nil {
		p.Add("month", "is required as YYYY-MM")
		return "", 0, 0, false
	}
	return m, from, from.AddMonths(1).AddDays(-1), true
}

// monthOrPeriod reads ?month=YYYY-MM, or ?from&to (both days included):
// the month ("" for a period) and its first and last day.
func monthOrPeriod(c *gin.Context, p *jiefen.Problems) (string, calendar.Date, calendar.Date) {
	if c.Query("month") != "" || (c.Query("from") == "" && c.Query("to") == "") {
		month, from, to, _ := monthRange(c, p)
		return month, from, to
	}
	from, okf := queryDate(c, "from", p)
	to, okt := queryDate(c, "to", p)
	if !okf || !okt {
		p.Add("from", "from and to are both required, or month")
	} else if to < from {
		p.Add("to", "is before from")
	}
	return "", from, to
}

// subsidyReport is GET /mediation/subsidies: 以案定补 per mediator for a
// month (or a period: the annual report's year), with the cases behind
// every amount; ?format=xlsx for a workbook.
type subsidyReport struct {
	Month    string                  `json:"month"` // "" for a period
	From     calendar.Date           `json:"from"`
	To       calendar.Date           `json:"to"`
	Items    []mediation.SubsidyLine `json:"items"`
	TotalFen int64                   `json:"total_fen"`
}

func (s *mediationAPI) subsidies(c *gin.Context) {
	var p jiefen.Problems
	month, from, to := monthOrPeriod(c, &p)
	xlsx := wantsXLSX(c, &p)
	if err := p.Err(); err != nil {
		s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	actor, _ := jiefen.ActorFrom(ctx)
	lines, err := s.store.Subsidies(ctx, from, to, s.opts.Mediation.Subsidies, auth.ScopeOf(actor).Mediator)
	if err != nil {
		s.fail(c, err)
		return
	}
	if xlsx {
		names, err := readOrgNames(ctx, s.store, subsidyOrgs(lines))
		if err != nil {
			s.fail(c, err)
			return
		}
		name, period := month, month
		if month == "" {
			name, period = from.String()+"-"+to.String(), from.String()+"至"+to.String()
		}
		book, err := subsidyWorkbook(period, lines, names)
		s.sendWorkbook(c, "subsidies-"+name+".xlsx", book, err)
		return
	}
	rep := subsidyReport{Month: month, From: from, To: to, Items: lines}
	for _, l := range lines {
		rep.TotalFen += l.AmountFen
	}
	c.JSON(http.StatusOK, rep)
}

// outcomes is GET /mediation/outcomes?from&to: how the mediations of the
// period ended (调解成功率) and the judicial confirmations asked and given,
// under mediation.OutcomesDefinition.
func (s *mediationAPI) outcomes(c *gin.Context) {
	var p jiefen.Problems
	from, to := dateWindow(c, &p)
	if err := p.Err(); err != nil {
		s.fail(c, err)
		return
	}
	out, err := s.store.Outcomes(c.Request.Context(), from, to)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"definition": mediation.OutcomesDefinition, "from": out.From, "to": out.To, "agreed": out.Agreed,
		"failed": out.Failed, "success_rate": out.SuccessRate, "confirmation_applied": out.ConfirmationApplied, "confirmed": out.Confirmed})
}

// outcomeCases is GET /mediation/outcomes/cases?from&to&figure=: the cases
// behind a figure of the outcomes of the period, their orgs named.
func (s *mediationAPI) outcomeCases(c *gin.Context) {
	var p jiefen.Problems
	from, to := dateWindow(c, &p)
	figure := c.Query("figure")
	if !slices.Contains(mediation.OutcomeFigures, figure) {
		p.Add("figure", "must be one of agreed, failed, confirmation_applied, confirmed")
	}
	if err := p.Err(); err != nil {
		s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	cs, err := s.store.OutcomeCases(ctx, from, to, figure)
	if err != nil {
		s.fail(c, err)
		return
	}
	codes := make([]string, len(cs))
	for i, oc := range cs {
		codes[i] = oc.OrgCode
	}
	names, err := readOrgNames(ctx, s.store, codes)
	if err != nil {
		s.fail(c, err)
		return
	}
	for i := range cs {
		cs[i].OrgName = names.of(cs[i].OrgCode)
	}
	c.JSON(http.StatusOK, gin.H{"items": cs})
}

// ratings is GET /mediation/ratings: 好差评 for a month (or from/to), the
// low ratings and the share rectified.
func (s *mediationAPI) ratings(c *gin.Context) {
	var p jiefen.Problems
	_, from, to := monthOrPeriod(c, &p)
	if err := p.Err(); err != nil {
		s.fail(c, err)
		return
	}
	rep, err := s.store.Ratings(c.Request.Context(), from, to)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, rep)
}

// printAgreement is the agreement (调解协议书) as a page fit to print, with
// the parties, and the ID numbers and phones typed into the facts and the
// terms, masked unless ?unmask=true is asked by a role that may see them
// (audited, as for the dispute): the copy the parties sign is printed
// unmasked, since each must recognise their own numbers in what they sign;
// a copy for the file or anyone else is printed masked.
func (s *mediationAPI) printAgreement(c *gin.Context) {
	ctx := c.Request.Context()
	clocks, _, err := s.caseClocks(ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	mc, err := s.visibleCase(c, clocks)
	if err != nil {
		s.fail(c, err)
		return
	}
	if mc.Agreement == nil {
		s.fail(c, jiefen.Errorf(jiefen.ENOTFOUND, "the case has no agreement to print"))
		return
	}
	d, err := s.store.Dispute(ctx, strconv.FormatInt(mc.DisputeID, 10))
	if err != nil {
		s.fail(c, err)
		return
	}
	clear, err := unmasked(c, s.store, "dispute", d.Code)
	if err != nil {
		s.fail(c, err)
		return
	}
	if !clear {
		d, mc = d.Masked(), mc.Masked()
	}
	// The page prints names only, never an org code or a username: an
	// org or a display name not found leaves its line to fill in by hand.
	var orgName, mediator string
	if o, err := s.store.Org(ctx, mc.OrgCode); err == nil {
		orgName = o.Name
	}
	if u, err := s.store.User(ctx, mc.Assignee); err == nil {
		mediator = u.Name
	}
	page, err := agreementHTML(mc, d, orgName, mediator)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "text/html; charset=utf-8", page)
}
