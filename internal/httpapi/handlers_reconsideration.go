package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/gin-gonic/gin"

	"jiefen"
	"jiefen/calendar"
	"jiefen/internal/auth"
	"jiefen/internal/sqlstore"
	"jiefen/reconsideration"
)

// ReconsiderationStore is what the reconsideration handlers need of the
// store: the cases and their steps, the statistics, and the orgs the
// printed documents name.
type ReconsiderationStore interface {
	ReconsiderationStatsCases(ctx context.Context, from, to calendar.Date, basis reconsideration.RateBasis, clocks sqlstore.ReconClocks, figure reconsideration.Figure) ([]reconsideration.Case, bool, error)
	ActOnReconsideration(ctx context.Context, id int64, a sqlstore.ReconAction, clocks sqlstore.ReconClocks) (reconsideration.Case, error)
	CreateReconsideration(ctx context.Context, a reconsideration.Application, clocks sqlstore.ReconClocks) (reconsideration.Case, error)
	ListReconsideration(ctx context.Context, f reconsideration.Filter, clocks sqlstore.ReconClocks) ([]reconsideration.Case, string, error)
	Org(ctx context.Context, code string) (jiefen.Org, error)
	ReconsiderationCase(ctx context.Context, id int64, clocks sqlstore.ReconClocks) (reconsideration.Case, error)
	ReconsiderationStats(ctx context.Context, from, to calendar.Date, basis reconsideration.RateBasis, clocks sqlstore.ReconClocks) (reconsideration.Stats, error)
}

// reconsiderationAPI serves /reconsideration: the cases, each step of a
// case, the printed documents and the statistics.
type reconsiderationAPI struct {
	*Server
	store ReconsiderationStore
}

// reconClocks returns what fills in a reconsideration case's clocks today,
// on the current calendar, and today. It is the Server's: the dispute,
// mediation and calendar handlers count these clocks too.
func (s *Server) reconClocks(ctx context.Context) (sqlstore.ReconClocks, calendar.Date, error) {
	cal, err := s.opts.Holidays.Get(ctx)
	if err != nil {
		return nil, 0, err
	}
	today := calendar.DateOf(s.now())
	return func(c *reconsideration.Case) { c.ComputeClocks(cal, s.opts.Rules, today) }, today, nil
}

type applicationRequest struct {
	Applicant  jiefen.Party   `json:"applicant"`
	Respondent string         `json:"respondent"`
	Act        string         `json:"act"`
	ReceivedOn *calendar.Date `json:"received_on"`
	Procedure  string         `json:"procedure"`
	DisputeID  *int64         `json:"dispute_id"`
	Major      bool           `json:"major"`
}

// createReconsideration registers an application; the acceptance review
// clock starts from the received date.
func (s *reconsiderationAPI) createReconsideration(c *gin.Context) {
	var req applicationRequest
	if err := decode(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	a := reconsideration.Application{Applicant: req.Applicant, Respondent: req.Respondent, Act: req.Act,
		Procedure: reconsideration.Procedure(req.Procedure), DisputeID: req.DisputeID, Major: req.Major}
	if req.ReceivedOn != nil {
		a.ReceivedOn = *req.ReceivedOn
	}
	if err := a.Validate(s.now()); err != nil {
		s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	clocks, _, err := s.reconClocks(ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	rc, err := s.store.CreateReconsideration(ctx, a, clocks)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Location", "/api/v1/reconsideration/cases/"+strconv.FormatInt(rc.ID, 10))
	c.Header("ETag", etag(rc.Version))
	c.JSON(http.StatusCreated, rc.Masked())
}

// visibleRecon returns the case if the actor may see it (agency staff:
// their agency's cases); anything else is not found.
func (s *reconsiderationAPI) visibleRecon(c *gin.Context, clocks sqlstore.ReconClocks) (reconsideration.Case, error) {
	id, err := pathID(c)
	if err != nil {
		return reconsideration.Case{}, err
	}
	ctx := c.Request.Context()
	rc, err := s.store.ReconsiderationCase(ctx, id, clocks)
	if err != nil {
		return reconsideration.Case{}, err
	}
	actor, _ := jiefen.ActorFrom(ctx)
	if scope := auth.ScopeOf(actor).Agency; scope != "" && rc.Respondent != scope {
		return reconsideration.Case{}, jiefen.Errorf(jiefen.ENOTFOUND, "no such case")
	}
	return rc, nil
}

func (s *reconsiderationAPI) getReconsideration(c *gin.Context) {
	clocks, _, err := s.reconClocks(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	rc, err := s.visibleRecon(c, clocks)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("ETag", etag(rc.Version))
	c.JSON(http.StatusOK, rc.Masked())
}

// listReconsideration lists cases by the nearest due date; agency staff see
// their own agency's.
func (s *reconsiderationAPI) listReconsideration(c *gin.Context) {
	ctx := c.Request.Context()
	actor, _ := jiefen.ActorFrom(ctx)
	var p jiefen.Problems
	f := reconsideration.Filter{Respondent: c.Query("respondent"), State: reconsideration.State(c.Query("state")), Cursor: c.Query("cursor")}
	f.Limit = queryLimit(c, &p)
	if f.State != "" && !slices.Contains(reconsideration.States, f.State) {
		p.Add("state", "unknown state")
	}
	if d, ok := queryDate(c, "from", &p); ok {
		f.From = &d
	}
	if d, ok := queryDate(c, "to", &p); ok {
		f.To = &d
	}
	if err := p.Err(); err != nil {
		s.fail(c, err)
		return
	}
	if scope := auth.ScopeOf(actor).Agency; scope != "" {
		f.Respondent = scope
	}
	clocks, _, err := s.reconClocks(ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	cs, next, err := s.store.ListReconsideration(ctx, f, clocks)
	if err != nil {
		s.fail(c, err)
		return
	}
	out := list[reconsideration.Case]{Items: make([]reconsideration.Case, len(cs))}
	for i, rc := range cs {
		out.Items[i] = rc.Masked()
	}
	if next != "" {
		out.NextCursor = &next
	}
	c.JSON(http.StatusOK, out)
}

// reconHandler is the handler of an action on a reconsideration case whose
// body is a T: do applies it under the domain's rules. Agency staff act
// only on their own agency's cases.
func reconHandler[T any](s *reconsiderationAPI, name string, do func(req T, rc *reconsideration.Case, today calendar.Date) error) gin.HandlerFunc {
	return func(c *gin.Context) {
		var req T
		if err := decode(c, &req); err != nil {
			s.fail(c, err)
			return
		}
		ctx := c.Request.Context()
		id, err := pathID(c)
		if err != nil {
			s.fail(c, err)
			return
		}
		clocks, today, err := s.reconClocks(ctx)
		if err != nil {
			s.fail(c, err)
			return
		}
		actor, _ := jiefen.ActorFrom(ctx)
		a := sqlstore.ReconAction{Name: name, Respondent: auth.ScopeOf(actor).Agency,
			Do: func(rc *reconsideration.Case) error { return do(req, rc, today) }}
		if a.IfVersion, err = optionalIfMatch(c); err != nil {
			s.fail(c, err)
			return
		}
		rc, err := s.store.ActOnReconsideration(ctx, id, a, clocks)
		if err != nil {
			s.fail(c, err)
			return
		}
		c.Header("ETag", etag(rc.Version))
		c.JSON(http.StatusOK, rc.Masked())
	}
}

type acceptanceRequest struct {
	Decision string         `json:"decision"`
	Reason   string         `json:"reason"`
	On       *calendar.Date `json:"on"`
}

func (s *reconsiderationAPI) reconAcceptance() gin.HandlerFunc {
	return reconHandler(s, "acceptance", func(r acceptanceRequest, rc *reconsideration.Case, today calendar.Date) error {
		return rc.ReviewDecision(r.Decision, r.Reason, onOrToday(r.On, today), today)
	})
}

func (s *reconsiderationAPI) reconMaterials() gin.HandlerFunc {
	return reconHandler(s, "materials", func(r onRequest, rc *reconsideration.Case, today calendar.Date) error {
		return rc.MaterialsReceived(onOrToday(r.On, today), today)
	})
}

func (s *reconsiderationAPI) reconCopy() gin.HandlerFunc {
	return reconHandler(s, "copy", func(r onRequest, rc *reconsideration.Case, today calendar.Date) error {
		return rc.Copy(onOrToday(r.On, today), today)
	})
}

type replyRequest struct {
	On       *calendar.Date `json:"on"`
	Text     string         `json:"text"`
	Evidence []string       `json:"evidence"`
}

// reconReply records the respondent's reply; the actor is its author.
func (s *reconsiderationAPI) reconReply() gin.HandlerFunc {
	return reconHandler(s, "reply", func(r replyRequest, rc *reconsideration.Case, today calendar.Date) error {
		return rc.Answer(reconsideration.Reply{On: onOrToday(r.On, today), Text: r.Text, Evidence: r.Evidence}, today)
	})
}

type hearingRequest struct {
	On        *calendar.Date `json:"on"`
	NoticedOn *calendar.Date `json:"noticed_on"`
	Place     string         `json:"place"`
}

func (s *reconsiderationAPI) reconHearing() gin.HandlerFunc {
	return reconHandler(s, "hearing", func(r hearingRequest, rc *reconsideration.Case, today calendar.Date) error {
		return rc.Hear(reconsideration.Hearing{On: onOrToday(r.On, today), Place: r.Place, NoticedOn: r.NoticedOn}, today)
	})
}

type opinionRequest struct {
	On      *calendar.Date `json:"on"`
	Opinion string         `json:"opinion"`
}

func (s *reconsiderationAPI) reconCommittee() gin.HandlerFunc {
	return reconHandler(s, "committee_review", func(r opinionRequest, rc *reconsideration.Case, today calendar.Date) error {
		return rc.Consult(reconsideration.Opinion{On: onOrToday(r.On, today), Opinion: r.Opinion}, today)
	})
}

type reasonRequest struct {
	On     *calendar.Date `json:"on"`
	Reason string         `json:"reason"`
}

func (s *reconsiderationAPI) reconSuspend() gin.HandlerFunc {
	return reconHandler(s, "suspension", func(r reasonRequest, rc *reconsideration.Case, today calendar.Date) error {
		return rc.Suspend(r.Reason, onOrToday(r.On, today), today)
	})
}

func (s *reconsiderationAPI) reconResume() gin.HandlerFunc {
	return reconHandler(s, "resumption", func(r onRequest, rc *reconsideration.Case, today calendar.Date) error {
		return rc.Resume(onOrToday(r.On, today), today)
	})
}

type extensionRequest struct {
	On     *calendar.Date `json:"on"`
	Days   int            `json:"days"`
	Reason string         `json:"reason"`
}

func (s *reconsiderationAPI) reconExtend() gin.HandlerFunc {
	return reconHandler(s, "extension", func(r extensionRequest, rc *reconsideration.Case, today calendar.Date) error {
		return rc.Extend(reconsideration.Extension{On: onOrToday(r.On, today), Days: r.Days, Reason: r.Reason}, today)
	})
}

type decisionRequest struct {
	On     *calendar.Date `json:"on"`
	Result string         `json:"result"`
	Reason string         `json:"reason"`
}

func (s *reconsiderationAPI) reconDecide() gin.HandlerFunc {
	return reconHandler(s, "decision", func(r decisionRequest, rc *reconsideration.Case, today calendar.Date) error {
		return rc.Decide(reconsideration.Decision{On: onOrToday(r.On, today), Result: reconsideration.Result(r.Result), Reason: r.Reason}, today)
	})
}

// reconStats is GET /reconsideration/stats?from&to: the figures of the
// period, by month and by respondent agency.
func (s *reconsiderationAPI) reconStats(c *gin.Context) {
	var p jiefen.Problems
	from, to := dateWindow(c, &p)
	if err := p.Err(); err != nil {
		s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	clocks, _, err := s.reconClocks(ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	st, err := s.store.ReconsiderationStats(ctx, from, to, s.opts.CorrectionRateBasis, clocks)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, st)
}

// reconStatsCases is GET /reconsideration/stats/cases?from&to&figure=: the
// cases behind a figure of the statistics of the period
// (reconsideration.Matching), applicants masked.
func (s *reconsiderationAPI) reconStatsCases(c *gin.Context) {
	var p jiefen.Problems
	from, to := dateWindow(c, &p)
	figure := reconsideration.Figure(c.Query("figure"))
	if !slices.Contains(reconsideration.FigureNames, figure) {
		p.Add("figure", "must be one of received, accepted, decided, corrected, resolved_by_mediation, overdue, late, later_lawsuits, committee_consulted")
	}
	if err := p.Err(); err != nil {
		s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	clocks, _, err := s.reconClocks(ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	cs, _, err := s.store.ReconsiderationStatsCases(ctx, from, to, s.opts.CorrectionRateBasis, clocks, figure)
	if err != nil {
		s.fail(c, err)
		return
	}
	out := list[reconsideration.Case]{Items: make([]reconsideration.Case, len(cs))}
	for i, rc := range cs {
		out.Items[i] = rc.Masked()
	}
	c.JSON(http.StatusOK, out)
}

// reconDocument is a printable document of a case: the acceptance notice
// (受理通知书) or the decision (决定书), applicant masked.
func (s *reconsiderationAPI) reconDocument(c *gin.Context) {
	ctx := c.Request.Context()
	clocks, _, err := s.reconClocks(ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	rc, err := s.visibleRecon(c, clocks)
	if err != nil {
		s.fail(c, err)
		return
	}
	// The documents print org names only, never a code: an org not found
	// leaves its line to fill in by hand.
	name := func(code string) string {
		if o, err := s.store.Org(ctx, code); err == nil {
			return o.Name
		}
		return ""
	}
	var render func(reconsideration.Case, string, string) ([]byte, error)
	switch doc := c.Param("doc"); {
	case doc == "acceptance_notice" && rc.AcceptedOn != nil:
		rule, ok := s.opts.Rules.Rule(rc.Procedure.DecisionRule())
		if !ok {
			s.fail(c, fmt.Errorf("the clock catalogue has no %s", rc.Procedure.DecisionRule()))
			return
		}
		render = func(rc reconsideration.Case, body, respondent string) ([]byte, error) {
			return acceptanceNoticeHTML(rc, rule, body, respondent)
		}
	case doc == "decision" && rc.Decision != nil:
		render = decisionHTML
	default:
		s.fail(c, jiefen.Errorf(jiefen.ENOTFOUND, "no %s for this case: the documents are acceptance_notice (once accepted) and decision (once decided)", doc))
		return
	}
	page, err := render(rc.Masked(), name(s.opts.ReconsiderationBody), name(rc.Respondent))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "text/html; charset=utf-8", page)
}
