package httpapi

import (
	"context"
	"net/http"
	"slices"
	"strconv"

	"github.com/gin-gonic/gin"

	"jiefen"
	"jiefen/calendar"
	"jiefen/internal/auth"
	"jiefen/liaison"
)

// LiaisonStore is what the 府院联动 handlers need of the store: the ledger's
// issues and their steps, the judicial suggestions and their replies, and
// the names of the units the ledger exports.
type LiaisonStore interface {
	LedgerPeriod(ctx context.Context, from, to calendar.Date) ([]liaison.Issue, []liaison.Suggestion, error)
	ActOnIssue(ctx context.Context, id, ifVersion int64, leadUnit, name string, do func(*liaison.Issue) error) (liaison.Issue, error)
	AnswerSuggestion(ctx context.Context, id int64, addressee string, do func(*liaison.Suggestion) error) (liaison.Suggestion, error)
	CreateIssue(ctx context.Context, i liaison.Issue) (liaison.Issue, error)
	CreateSuggestion(ctx context.Context, s liaison.Suggestion) (liaison.Suggestion, error)
	Issue(ctx context.Context, id int64) (liaison.Issue, error)
	ListIssues(ctx context.Context, f liaison.IssueFilter) ([]liaison.Issue, error)
	ListSuggestions(ctx context.Context, addressee string, open bool, limit int, beforeID int64) ([]liaison.Suggestion, error)
	OrgNames(ctx context.Context, codes []string) (map[string]string, error)
}

// liaisonAPI serves /ledger (the 府院联动 ledger) and
// /judicial-suggestions.
type liaisonAPI struct {
	*Server
	store LiaisonStore
}

type issueRequest struct {
	Meeting  string         `json:"meeting"`
	Title    string         `json:"title"`
	LeadUnit string         `json:"lead_unit"`
	CoUnits  []string       `json:"co_units"`
	Deadline *calendar.Date `json:"deadline"`
	On       *calendar.Date `json:"on"` // the day it was raised
}

// createIssue enters an issue raised at a joint meeting (court liaisons).
func (s *liaisonAPI) createIssue(c *gin.Context) {
	var req issueRequest
	if err := decode(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	actor, _ := jiefen.ActorFrom(ctx)
	today := calendar.DateOf(s.now())
	var deadline calendar.Date
	if req.Deadline != nil {
		deadline = *req.Deadline
	}
	raised := onOrToday(req.On, today)
	if raised > today {
		var p jiefen.Problems
		p.Add("on", "%s is in the future", raised)
		s.fail(c, p.Err())
		return
	}
	i, err := liaison.NewIssue(req.Meeting, req.Title, req.LeadUnit, req.CoUnits, deadline, raised, actor.Username)
	if err != nil {
		s.fail(c, err)
		return
	}
	out, err := s.store.CreateIssue(ctx, i)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Location", "/api/v1/ledger/issues/"+strconv.FormatInt(out.ID, 10))
	c.Header("ETag", etag(out.Version))
	c.JSON(http.StatusCreated, out)
}

// listIssues lists the ledger, newest first (agency staff: the issues
// their unit leads); ?format=xlsx gives the page as a workbook.
func (s *liaisonAPI) listIssues(c *gin.Context) {
	limit, before, err := page(c)
	var p jiefen.Problems
	if err != nil {
		p = err.(*jiefen.Error).Fields
	}
	f := liaison.IssueFilter{Limit: limit, BeforeID: before, State: liaison.State(c.Query("state")), LeadUnit: c.Query("lead_unit"),
		Overdue: c.Query("overdue") == "true"}
	if f.State != "" && !slices.Contains(liaison.States, f.State) {
		p.Add("state", "must be found, rectifying, reviewing or closed")
	}
	xlsx := wantsXLSX(c, &p)
	if err := p.Err(); err != nil {
		s.fail(c, err)
		return
	}
	actor, _ := jiefen.ActorFrom(c.Request.Context())
	if scope := auth.ScopeOf(actor).Agency; scope != "" {
		f.LeadUnit = scope
	}
	is, err := s.store.ListIssues(c.Request.Context(), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	if xlsx {
		names, err := readOrgNames(c.Request.Context(), s.store, ledgerUnits(is))
		if err != nil {
			s.fail(c, err)
			return
		}
		book, err := ledgerWorkbook(is, names)
		s.sendWorkbook(c, "ledger-issues.xlsx", book, err)
		return
	}
	out := list[liaison.Issue]{Items: is}
	if len(is) == limit {
		out.NextCursor = encodeCursor(is[len(is)-1].ID)
	}
	c.JSON(http.StatusOK, out)
}

func (s *liaisonAPI) getIssue(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	i, err := s.store.Issue(c.Request.Context(), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	actor, _ := jiefen.ActorFrom(c.Request.Context())
	if scope := auth.ScopeOf(actor).Agency; scope != "" && i.LeadUnit != scope {
		s.fail(c, jiefen.Errorf(jiefen.ENOTFOUND, "not found"))
		return
	}
	c.Header("ETag", etag(i.Version))
	c.JSON(http.StatusOK, i)
}

// issueHandler is the handler of an action on a ledger issue whose body is
// a T; agency staff act on their own unit's issues only.
func issueHandler[T any](s *liaisonAPI, name string, do func(req T, i *liaison.Issue, today calendar.Date, actor jiefen.Actor) error) gin.HandlerFunc {
	return func(c *gin.Context) {
		var req T
		if err := decode(c, &req); err != nil {
			s.fail(c, err)
			return
		}
		id, err := pathID(c)
		if err != nil {
			s.fail(c, err)
			return
		}
		ifVersion, err := optionalIfMatch(c)
		if err != nil {
			s.fail(c, err)
			return
		}
		ctx := c.Request.Context()
		actor, _ := jiefen.ActorFrom(ctx)
		today := calendar.DateOf(s.now())
		i, err := s.store.ActOnIssue(ctx, id, ifVersion, auth.ScopeOf(actor).Agency, name, func(i *liaison.Issue) error { return do(req, i, today, actor) })
		if err != nil {
			s.fail(c, err)
			return
		}
		c.Header("ETag", etag(i.Version))
		c.JSON(http.StatusOK, i)
	}
}

type reportRequest struct {
	On          *calendar.Date `json:"on"`
	Text        string         `json:"text"`
	Attachments []string       `json:"attachments"`
}

func (s *liaisonAPI) issueReport() gin.HandlerFunc {
	return issueHandler(s, "report", func(r reportRequest, i *liaison.Issue, today calendar.Date, a jiefen.Actor) error {
		return i.AddReport(liaison.Report{On: onOrToday(r.On, today), Text: r.Text, Attachments: r.Attachments, By: a.Username}, today)
	})
}

type advanceRequest struct {
	To   liaison.State  `json:"to"`
	Note string         `json:"note"`
	On   *calendar.Date `json:"on"`
}

func (s *liaisonAPI) issueAdvance() gin.HandlerFunc {
	return issueHandler(s, "advance", func(r advanceRequest, i *liaison.Issue, today calendar.Date, a jiefen.Actor) error {
		return i.Advance(r.To, r.Note, onOrToday(r.On, today), today, a.Username)
	})
}

type commentRequest struct {
	Text string `json:"text"`
}

func (s *liaisonAPI) issueComment() gin.HandlerFunc {
	return issueHandler(s, "comment", func(r commentRequest, i *liaison.Issue, today calendar.Date, a jiefen.Actor) error {
		return i.AddComment(r.Text, s.now(), a.Username)
	})
}

type suggestionRequest struct {
	Court      string         `json:"court"`
	Number     string         `json:"number"`
	Addressee  string         `json:"addressee"`
	Subject    string         `json:"subject"`
	Content    string         `json:"content"`
	ReceivedOn *calendar.Date `json:"received_on"`
}

// suggestionClock computes a suggestion's reply clock.
func (s *liaisonAPI) suggestionClock(c *gin.Context, sg *liaison.Suggestion) error {
	one := []liaison.Suggestion{*sg}
	err := s.suggestionClocks(c.Request.Context(), one)
	*sg = one[0]
	return err
}

// suggestionClocks computes the reply clock of every suggestion of ss.
func (s *Server) suggestionClocks(ctx context.Context, ss []liaison.Suggestion) error {
	cal, err := s.opts.Holidays.Get(ctx)
	if err != nil {
		return err
	}
	today := calendar.DateOf(s.now())
	for i := range ss {
		ss[i].ComputeClock(cal, s.opts.Rules, today)
	}
	return nil
}

// ledgerFigures reads the ledger's figures of a period (liaison.Count), the
// suggestions' clocks computed.
func (s *Server) ledgerFigures(ctx context.Context, store interface {
	LedgerPeriod(ctx context.Context, from, to calendar.Date) ([]liaison.Issue, []liaison.Suggestion, error)
}, from, to calendar.Date) (liaison.Figures, error) {
	issues, ss, err := store.LedgerPeriod(ctx, from, to)
	if err != nil {
		return liaison.Figures{}, err
	}
	if err := s.suggestionClocks(ctx, ss); err != nil {
		return liaison.Figures{}, err
	}
	return liaison.Count(issues, ss, from, to), nil
}

// ledgerStats is GET /ledger/stats?from&to: the ledger's issues raised in
// the period, closed and overdue, and the judicial suggestions received,
// replied to and replied to in time, under liaison.FiguresDefinition.
func (s *liaisonAPI) ledgerStats(c *gin.Context) {
	var p jiefen.Problems
	from, to := dateWindow(c, &p)
	if err := p.Err(); err != nil {
		s.fail(c, err)
		return
	}
	f, err := s.ledgerFigures(c.Request.Context(), s.store, from, to)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"definition": liaison.FiguresDefinition, "from": f.From, "to": f.To, "issues_raised": f.IssuesRaised,
		"issues_closed": f.IssuesClosed, "issues_overdue": f.IssuesOverdue, "suggestions": f.Suggestions,
		"suggestions_replied": f.SuggestionsReplied, "suggestions_in_time": f.SuggestionsInTime})
}

func (s *liaisonAPI) createSuggestion(c *gin.Context) {
	var req suggestionRequest
	if err := decode(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	sg := liaison.Suggestion{Court: req.Court, Number: req.Number, Addressee: req.Addressee, Subject: req.Subject, Content: req.Content}
	if req.ReceivedOn != nil {
		sg.ReceivedOn = *req.ReceivedOn
	}
	if err := sg.Validate(calendar.DateOf(s.now())); err != nil {
		s.fail(c, err)
		return
	}
	out, err := s.store.CreateSuggestion(c.Request.Context(), sg)
	if err == nil {
		err = s.suggestionClock(c, &out)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Location", "/api/v1/judicial-suggestions/"+strconv.FormatInt(out.ID, 10))
	c.JSON(http.StatusCreated, out)
}

func (s *liaisonAPI) listSuggestions(c *gin.Context) {
	limit, before, err := page(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	actor, _ := jiefen.ActorFrom(c.Request.Context())
	ss, err := s.store.ListSuggestions(c.Request.Context(), auth.ScopeOf(actor).Agency, c.Query("open") == "true", limit, before)
	if err != nil {
		s.fail(c, err)
		return
	}
	for i := range ss {
		if err := s.suggestionClock(c, &ss[i]); err != nil {
			s.fail(c, err)
			return
		}
	}
	out := list[liaison.Suggestion]{Items: ss}
	if len(ss) == limit {
		out.NextCursor = encodeCursor(ss[len(ss)-1].ID)
	}
	c.JSON(http.StatusOK, out)
}

type suggestionReply struct {
	Reply string         `json:"reply"`
	On    *calendar.Date `json:"on"`
}

// replySuggestion records the addressed agency's reply.
func (s *liaisonAPI) replySuggestion(c *gin.Context) {
	var req suggestionReply
	if err := decode(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	id, err := pathID(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	actor, _ := jiefen.ActorFrom(c.Request.Context())
	today := calendar.DateOf(s.now())
	sg, err := s.store.AnswerSuggestion(c.Request.Context(), id, auth.ScopeOf(actor).Agency, func(sg *liaison.Suggestion) error {
		return sg.Answer(req.Reply, onOrToday(req.On, today), today)
	})
	if err == nil {
		err = s.suggestionClock(c, &sg)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, sg)
}
