package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"jiefen"
	"jiefen/calendar"
	"jiefen/internal/auth"
	"jiefen/internal/sqlstore"
	"jiefen/mediation"
	"jiefen/reconsideration"
	"jiefen/routing"
)

// DisputeStore is what the dispute handlers need of the store: the dispute
// registry and its transfers, the assignment of a mediation case, the
// routing rules, the cases whose clocks a dispute's routing follows, and
// the audit entry of a read in clear.
type DisputeStore interface {
	AssignMediationCase(ctx context.Context, id int64, a mediation.Assignment, clocks sqlstore.CaseClocks) (mediation.Case, error)
	AuditUnmask(ctx context.Context, targetType, targetID string) error
	Dispute(ctx context.Context, idOrCode string) (routing.Dispute, error)
	DisputeVisible(ctx context.Context, id int64, scope auth.Scope) (bool, error)
	ListDisputes(ctx context.Context, f sqlstore.DisputeFilter) ([]routing.Dispute, error)
	MediationCase(ctx context.Context, id int64, clocks sqlstore.CaseClocks) (mediation.Case, error)
	MediationClocks(ctx context.Context, ids []int64, clocks sqlstore.CaseClocks) ([]mediation.Case, error)
	PutRoutingRules(ctx context.Context, set routing.RuleSet, ifVersion int, check func(orgExists func(string) bool) error) (routing.RuleSet, error)
	ReconsiderationCases(ctx context.Context, ids []int64, clocks sqlstore.ReconClocks) ([]reconsideration.Case, error)
	TransferDispute(ctx context.Context, idOrCode string, t routing.Transfer, ifVersion int64, capacity int, recon sqlstore.ReconClocks) (routing.Dispute, error)
}

// disputeAPI serves /disputes (the registry, transfers; intake itself goes
// through Options.Intaker), /routing (the rules and their preview) and the
// intake desk's assignment of a mediation case.
type disputeAPI struct {
	*Server
	store DisputeStore
}

// disputeRequest binds exactly what an intake desk may set.
type disputeRequest struct {
	Title       string         `json:"title"`
	Description string         `json:"description"`
	Category    string         `json:"category"`
	Source      string         `json:"source"`
	SourceRef   string         `json:"source_ref"`
	Township    string         `json:"township"`
	AmountFen   int64          `json:"amount_fen"`
	OccurredOn  *calendar.Date `json:"occurred_on"`
	On          *calendar.Date `json:"on"`
	Parties     []jiefen.Party `json:"parties"`
	Flags       []string       `json:"flags"`
	Recused     []string       `json:"recused"`
}

// intake reads and checks a dispute body, naming every bad field.
func (s *disputeAPI) intake(c *gin.Context) (routing.Intake, error) {
	var req disputeRequest
	if err := decode(c, &req); err != nil {
		return routing.Intake{}, err
	}
	now := s.now()
	today := calendar.DateOf(now)
	in := routing.Intake{Title: req.Title, Description: req.Description, Category: routing.Category(req.Category),
		Source: routing.Source(req.Source), SourceRef: req.SourceRef, Township: req.Township, AmountFen: req.AmountFen,
		OccurredOn: req.OccurredOn, ReceivedOn: today, Parties: req.Parties}
	if req.On != nil {
		in.ReceivedOn = *req.On
	}
	for _, f := range req.Flags {
		in.Flags = append(in.Flags, routing.Flag(f))
	}
	for _, r := range req.Recused {
		in.Recused = append(in.Recused, strings.ToLower(strings.TrimSpace(r)))
	}
	return in, in.Normalize(today, now)
}

// createDispute registers a dispute once and routes it: the answer carries
// its code, status and routing (track, org, assignee, rule, reason, due,
// basis, case). Personal data comes back masked. Concurrent intakes are
// committed together (sqlstore.Intaker); an Idempotency-Key is claimed and
// its answer kept in the same transaction as the dispute.
func (s *disputeAPI) createDispute(c *gin.Context) {
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		s.fail(c, readError(err))
		return
	}
	c.Request.Body = io.NopCloser(bytes.NewReader(body))
	key, err := idempotencyKey(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	in, err := s.intake(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	res := s.opts.Intaker.Register(&sqlstore.IntakeJob{Ctx: c.Request.Context(), Intake: in, IdemKey: key,
		IdemSum: requestSum(c.Request.Method, c.Request.URL.Path, body)})
	switch {
	case res.Err != nil:
		s.fail(c, res.Err) // a township the rules do not know among them, named by field
	case res.Replay != nil:
		var kept routing.Dispute
		if err := json.Unmarshal(res.Replay.Body, &kept); err != nil {
			s.fail(c, err)
			return
		}
		c.Header("Location", disputeLocation(kept.ID))
		replayETag(c, res.Replay.Status, res.Replay.Body)
		c.Header("Idempotent-Replayed", "true")
		c.Data(res.Replay.Status, "application/json; charset=utf-8", res.Replay.Body)
	default:
		c.Header("Location", disputeLocation(res.Dispute.ID))
		c.Header("ETag", etag(res.Dispute.Version))
		c.JSON(http.StatusCreated, res.Dispute.Masked())
	}
}

// disputeLocation is the address of a registered dispute.
func disputeLocation(id int64) string { return "/api/v1/disputes/" + strconv.FormatInt(id, 10) }

// previewRouting answers what the rules would decide, saving nothing.
func (s *disputeAPI) previewRouting(c *gin.Context) {
	in, err := s.intake(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	router, err := s.opts.Routing.Router(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	dec, err := router.Route(in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"routing": dec, "rules_version": router.Version()})
}

// follow names each dispute's rule by its title in the current rules
// (routing.Router.RuleTitle) and sets its routing clock to its case's
// current duty, counted today on the current calendar
// (routing.Routing.Follow): the cases of a whole page are read together.
func (s *disputeAPI) follow(ctx context.Context, ds ...*routing.Dispute) error {
	router, err := s.opts.Routing.Router(ctx)
	if err != nil {
		return err
	}
	for _, d := range ds {
		d.Routing.RuleTitle = router.RuleTitle(d.Routing.Rule)
	}
	var mediationIDs, reconIDs []int64
	for _, d := range ds {
		switch id := d.Routing.CaseID; {
		case id == nil:
		case d.Routing.Track == routing.TrackReconsideration:
			reconIDs = append(reconIDs, *id)
		default:
			mediationIDs = append(mediationIDs, *id)
		}
	}
	if len(mediationIDs)+len(reconIDs) == 0 {
		return nil
	}
	cal, err := s.opts.Holidays.Get(ctx)
	if err != nil {
		return err
	}
	today := calendar.DateOf(s.now())
	mediationDuty, reconDuty := map[int64]*calendar.Reading{}, map[int64]*calendar.Reading{}
	ms, err := s.store.MediationClocks(ctx, mediationIDs, func(c *mediation.Case) { s.opts.Mediation.Clocks(c, cal, s.opts.Rules, today) })
	if err != nil {
		return err
	}
	for i := range ms {
		mediationDuty[ms[i].ID] = ms[i].Duty(cal, s.opts.Rules, today)
	}
	rs, err := s.store.ReconsiderationCases(ctx, reconIDs, func(c *reconsideration.Case) { c.ComputeClocks(cal, s.opts.Rules, today) })
	if err != nil {
		return err
	}
	for i := range rs {
		reconDuty[rs[i].ID] = calendar.Current(rs[i].Clocks)
	}
	for _, d := range ds {
		duties := mediationDuty
		if d.Routing.Track == routing.TrackReconsideration {
			duties = reconDuty
		}
		if id := d.Routing.CaseID; id != nil {
			if k, ok := duties[*id]; ok {
				d.Routing.Follow(k)
			}
		}
	}
	return nil
}

// mayUnmask: the desks that must reach the parties see their data in clear
// when they ask; every such read is audited.
func mayUnmask(r jiefen.Role) bool { return r == jiefen.RoleIntake || r == jiefen.RoleMediator }

// unmaskAuditor writes the audit entry of a read of personal data in
// clear; the stores of the handlers that answer such data have it.
type unmaskAuditor interface {
	AuditUnmask(ctx context.Context, targetType, targetID string) error
}

// unmasked reports whether the caller asked for personal data in clear
// (?unmask=true) and may see it (mayUnmask; else 403). The read is then
// written to the audit log as targetType.unmask of targetID before
// anything is answered, and the answer must not be cached.
func unmasked(c *gin.Context, store unmaskAuditor, targetType, targetID string) (bool, error) {
	if c.Query("unmask") != "true" {
		return false, nil
	}
	ctx := c.Request.Context()
	actor, _ := jiefen.ActorFrom(ctx)
	if !mayUnmask(actor.Role) {
		return false, jiefen.Errorf(jiefen.EFORBIDDEN, "the role %q may not see personal data in clear", actor.Role)
	}
	if err := store.AuditUnmask(ctx, targetType, targetID); err != nil {
		return false, err
	}
	c.Header("Cache-Control", "no-store")
	return true, nil
}

func (s *disputeAPI) getDispute(c *gin.Context) {
	ctx := c.Request.Context()
	actor, _ := jiefen.ActorFrom(ctx)
	d, err := s.store.Dispute(ctx, c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	if ok, err := s.store.DisputeVisible(ctx, d.ID, auth.ScopeOf(actor)); err != nil || !ok {
		if err == nil {
			err = jiefen.Errorf(jiefen.ENOTFOUND, "not found")
		}
		s.fail(c, err)
		return
	}
	if err := s.follow(ctx, &d); err != nil {
		s.fail(c, err)
		return
	}
	c.Header("ETag", etag(d.Version))
	clear, err := unmasked(c, s.store, "dispute", d.Code)
	if err != nil {
		s.fail(c, err)
		return
	}
	if !clear {
		d = d.Masked()
	}
	c.JSON(http.StatusOK, d)
}

// listDisputes pages through the disputes the caller may see, newest
// first; ?priority=high is the leaders' early-warning list.
func (s *disputeAPI) listDisputes(c *gin.Context) {
	limit, before, err := page(c)
	var p jiefen.Problems
	if err != nil {
		p = err.(*jiefen.Error).Fields
	}
	actor, _ := jiefen.ActorFrom(c.Request.Context())
	f := sqlstore.DisputeFilter{Limit: limit, BeforeID: before, Scope: auth.ScopeOf(actor),
		Priority: routing.Priority(c.Query("priority")), Status: routing.Status(c.Query("status")),
		Track: routing.Track(c.Query("track")), Category: routing.Category(c.Query("category")),
		Source: routing.Source(c.Query("source")), OrgCode: c.Query("org")}
	if f.Priority != "" && f.Priority != routing.PriorityHigh && f.Priority != routing.PriorityNormal {
		p.Add("priority", "must be high or normal")
	}
	if f.Track != "" && !f.Track.Valid() {
		p.Add("track", "unknown track")
	}
	if f.Category != "" && !routing.ValidCategory(f.Category) {
		p.Add("category", "unknown category")
	}
	if f.Source != "" && !routing.ValidSource(f.Source) {
		p.Add("source", "unknown source")
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
	ds, err := s.store.ListDisputes(c.Request.Context(), f)
	if err == nil {
		err = s.follow(c.Request.Context(), pointers(ds)...)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	out := list[routing.Dispute]{Items: make([]routing.Dispute, len(ds))}
	for i, d := range ds {
		// A list leaves the history out; it sends an empty array, as
		// openapi.json has history an array (issue 22).
		d.History = nil
		m := d.Masked()
		m.History = []routing.Step{}
		out.Items[i] = m
	}
	if len(ds) == limit {
		out.NextCursor = encodeCursor(ds[len(ds)-1].ID)
	}
	c.JSON(http.StatusOK, out)
}

type transferRequest struct {
	ToTrack   string         `json:"to_track"`
	ToOrgCode string         `json:"to_org_code"`
	Reason    string         `json:"reason"`
	On        *calendar.Date `json:"on"`
	// To the reconsideration track: the agency and the contested act.
	Respondent string `json:"respondent"`
	Act        string `json:"act"`
}

// transferDispute moves a dispute to another track and org, keeping its
// code and history. If-Match is optional.
func (s *disputeAPI) transferDispute(c *gin.Context) {
	var req transferRequest
	if err := decode(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	actor, _ := jiefen.ActorFrom(ctx)
	today := calendar.DateOf(s.now())
	t := routing.Transfer{ToTrack: routing.Track(req.ToTrack), ToOrg: req.ToOrgCode, Reason: req.Reason, On: today,
		Respondent: req.Respondent, Act: req.Act}
	err := t.Validate()
	if req.On != nil {
		t.On = *req.On
		if t.On > today {
			var p jiefen.Problems
			if err != nil {
				p = err.(*jiefen.Error).Fields
			}
			p.Add("on", "must not be in the future")
			err = p.Err()
		}
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	var ifVersion int64
	if h := c.GetHeader("If-Match"); h != "" {
		if ifVersion, err = ifMatch(c); err != nil {
			s.fail(c, err)
			return
		}
	}
	cur, err := s.store.Dispute(ctx, c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	if ok, err := s.store.DisputeVisible(ctx, cur.ID, auth.ScopeOf(actor)); err != nil || !ok {
		if err == nil {
			err = jiefen.Errorf(jiefen.ENOTFOUND, "not found")
		}
		s.fail(c, err)
		return
	}
	router, err := s.opts.Routing.Router(ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	router.TransferClock(&t)
	recon, _, err := s.reconClocks(ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	d, err := s.store.TransferDispute(ctx, strconv.FormatInt(cur.ID, 10), t, ifVersion, s.opts.Intake.MediatorCapacity, recon)
	if err == nil {
		err = s.follow(ctx, &d)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("ETag", etag(d.Version))
	c.JSON(http.StatusOK, d.Masked())
}

type assignRequest struct {
	Assignee string `json:"assignee"`
}

// assignCase lets the intake desk (re)assign a mediation case.
func (s *disputeAPI) assignCase(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		s.fail(c, jiefen.Errorf(jiefen.ENOTFOUND, "no such case"))
		return
	}
	var req assignRequest
	if err := decode(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	a := mediation.Assignment{Assignee: req.Assignee}
	if err := a.Validate(); err != nil {
		s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	actor, _ := jiefen.ActorFrom(ctx)
	cur, err := s.store.MediationCase(ctx, id, func(*mediation.Case) {})
	if err != nil {
		s.fail(c, err)
		return
	}
	if ok, err := s.store.DisputeVisible(ctx, cur.DisputeID, auth.ScopeOf(actor)); err != nil || !ok {
		if err == nil {
			err = jiefen.Errorf(jiefen.ENOTFOUND, "not found")
		}
		s.fail(c, err)
		return
	}
	clocks, _, err := s.caseClocks(ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	mc, err := s.store.AssignMediationCase(ctx, id, a, clocks)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("ETag", etag(mc.Version))
	c.JSON(http.StatusOK, mc.Masked())
}

// routingRules answers the newest routing rules with their version.
func (s *disputeAPI) routingRules(c *gin.Context) {
	set, err := s.opts.Routing.Rules(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("ETag", etag(int64(set.Version)))
	c.JSON(http.StatusOK, set)
}

// putRoutingRules stores a new version of the routing rules (admin,
// audited), checked rule by rule against the orgs and the clock
// catalogue. If-Match, when sent, must name the newest version.
func (s *disputeAPI) putRoutingRules(c *gin.Context) {
	var set routing.RuleSet
	if err := decode(c, &set); err != nil {
		s.fail(c, err)
		return
	}
	var ifVersion int64
	if h := c.GetHeader("If-Match"); h != "" {
		var err error
		if ifVersion, err = ifMatch(c); err != nil {
			s.fail(c, err)
			return
		}
	}
	stored, err := s.store.PutRoutingRules(c.Request.Context(), set, int(ifVersion), func(orgExists func(string) bool) error {
		return set.Validate(orgExists, s.opts.Routing.Clocks())
	})
	if err != nil {
		s.fail(c, err)
		return
	}
	s.opts.Routing.Invalidate()
	c.Header("ETag", etag(int64(stored.Version)))
	c.JSON(http.StatusOK, stored)
}
