package sqlstore

import (
	"context"
	"fmt"
	"strconv"

	"gorm.io/gorm"

	"jiefen"
	"jiefen/calendar"
	"jiefen/internal/auth"
	"jiefen/routing"
)

// Dispute returns the dispute with the given id or code, with its parties
// in clear and its history oldest first.
func (s Disputes) Dispute(ctx context.Context, idOrCode string) (routing.Dispute, error) {
	return s.dispute(s.read(ctx), idOrCode)
}

func (s Disputes) dispute(q *gorm.DB, idOrCode string) (routing.Dispute, error) {
	var row disputeRow
	sel := q.Where("code = ?", idOrCode)
	if id, err := strconv.ParseInt(idOrCode, 10, 64); err == nil {
		sel = q.Where("id = ?", id)
	}
	if err := sel.Take(&row).Error; err != nil {
		return routing.Dispute{}, translate(err)
	}
	ds, err := s.hydrate(q, []disputeRow{row}, true)
	if err != nil {
		return routing.Dispute{}, translate(err)
	}
	return ds[0], nil
}

// hydrate turns rows into disputes with their parties (and history).
func (s Disputes) hydrate(q *gorm.DB, rows []disputeRow, history bool) ([]routing.Dispute, error) {
	ids := make([]int64, len(rows))
	repeatIDs := []int64{}
	for i, r := range rows {
		ids[i] = r.ID
		if r.RepeatOf != nil {
			repeatIDs = append(repeatIDs, *r.RepeatOf)
		}
	}
	steps := map[int64][]routing.Step{}
	if history && len(ids) > 0 {
		var hs []historyRow
		if err := q.Where("dispute_id IN ?", ids).Order("id").Find(&hs).Error; err != nil {
			return nil, err
		}
		for _, h := range hs {
			reason, err := s.open(historyReason, h.Reason, h.ReasonSealed)
			if err != nil {
				return nil, fmt.Errorf("sqlstore: the history of dispute %d: %w", h.DisputeID, err)
			}
			steps[h.DisputeID] = append(steps[h.DisputeID], routing.Step{Track: routing.Track(h.Track), OrgCode: h.OrgCode,
				Assignee: h.Assignee, Rule: h.Rule, Reason: reason, At: h.At.UTC(), By: h.ByUser})
		}
	}
	cases, err := currentCases(q, ids)
	if err != nil {
		return nil, err
	}
	var reconIDs []int64 // disputes whose current track's case is a reconsideration case
	for _, r := range rows {
		if r.Track == string(routing.TrackReconsideration) {
			reconIDs = append(reconIDs, r.ID)
		}
	}
	if len(reconIDs) > 0 {
		var rs []struct {
			DisputeID int64
			ID        int64
		}
		if err := q.Raw("SELECT dispute_id, MAX(id) AS id FROM reconsideration_cases WHERE dispute_id IN ? GROUP BY dispute_id", reconIDs).Scan(&rs).Error; err != nil {
			return nil, err
		}
		for _, r := range rs {
			cases[r.DisputeID] = r.ID
		}
	}
	codes := map[int64]string{}
	if len(repeatIDs) > 0 {
		var rs []struct {
			ID   int64
			Code string
		}
		if err := q.Raw("SELECT id, code FROM disputes WHERE id IN ?", repeatIDs).Scan(&rs).Error; err != nil {
			return nil, err
		}
		for _, r := range rs {
			codes[r.ID] = r.Code
		}
	}
	out := make([]routing.Dispute, len(rows))
	for i, r := range rows {
		parties, err := s.partiesOf(r.Parties)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: dispute %d: %w", r.ID, err)
		}
		d := disputeOf(r, parties, steps[r.ID])
		if d.Title, err = s.open(disputeTitle, r.Title, r.TitleSealed); err != nil {
			return nil, fmt.Errorf("sqlstore: the title of dispute %d: %w", r.ID, err)
		}
		if d.Description, err = s.open(disputeDescription, r.Description, r.DescriptionSealed); err != nil {
			return nil, fmt.Errorf("sqlstore: the description of dispute %d: %w", r.ID, err)
		}
		if d.Routing.Reason, err = s.open(disputeReason, r.Reason, r.ReasonSealed); err != nil {
			return nil, fmt.Errorf("sqlstore: the routing reason of dispute %d: %w", r.ID, err)
		}
		if id, ok := cases[r.ID]; ok {
			d.Routing.CaseID = &id
		}
		if r.RepeatOf != nil {
			c := codes[*r.RepeatOf]
			d.RepeatOf = &c
		}
		out[i] = d
	}
	return out, nil
}

// DisputeFilter selects disputes for a list, newest first. Scope limits
// the list to what the caller may see.
type DisputeFilter struct {
	Priority routing.Priority
	Status   routing.Status
	Track    routing.Track
	Category routing.Category
	Source   routing.Source
	OrgCode  string
	From, To *calendar.Date // received on, inclusive
	BeforeID int64          // the cursor: disputes with a smaller id
	Limit    int
	Scope    auth.Scope
}

// inScope limits q to the disputes the scope sees (auth.Scope): all, those
// an org took in or was routed (intake_org, org_code), or those whose case
// a mediator holds; none otherwise.
func inScope(q *gorm.DB, s auth.Scope) *gorm.DB {
	switch {
	case s.AllDisputes:
		return q
	case s.Mediator != "":
		return q.Where("EXISTS (SELECT 1 FROM mediation_cases c WHERE c.dispute_id = disputes.id AND c.assignee = ?)", s.Mediator)
	case s.IntakeOrg != "":
		return q.Where("(disputes.intake_org = ? OR disputes.org_code = ?)", s.IntakeOrg, s.IntakeOrg)
	}
	return q.Where("1 = 0")
}

// ListDisputes returns a page of disputes, newest first, without history.
func (s Disputes) ListDisputes(ctx context.Context, f DisputeFilter) ([]routing.Dispute, error) {
	q := s.read(ctx)
	sel := inScope(q.Model(&disputeRow{}), f.Scope).Order("id DESC").Limit(f.Limit)
	if f.BeforeID > 0 {
		sel = sel.Where("id < ?", f.BeforeID)
	}
	for col, v := range map[string]string{"priority": string(f.Priority), "status": string(f.Status), "track": string(f.Track),
		"category": string(f.Category), "source": string(f.Source), "org_code": f.OrgCode} {
		if v != "" {
			sel = sel.Where(col+" = ?", v)
		}
	}
	if f.From != nil {
		sel = sel.Where("received_on >= ?", dateOf(*f.From))
	}
	if f.To != nil {
		sel = sel.Where("received_on <= ?", dateOf(*f.To))
	}
	var rows []disputeRow
	if err := sel.Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	ds, err := s.hydrate(q, rows, false)
	return ds, translate(err)
}

// CountReceived counts the disputes received from from to to, both
// included, by source and by current track (routing.Received): every
// dispute, whatever the caller's scope (the annual report is city-wide).
func (s Disputes) CountReceived(ctx context.Context, from, to calendar.Date) (routing.Received, error) {
	out := routing.Received{BySource: map[routing.Source]int{}, ByTrack: map[routing.Track]int{}}
	var rows []struct {
		Source string
		Track  string
		N      int
	}
	err := s.read(ctx).Raw("SELECT source, track, COUNT(*) AS n FROM disputes WHERE received_on >= ? AND received_on <= ? GROUP BY source, track",
		dateOf(from), dateOf(to)).Scan(&rows).Error
	if err != nil {
		return out, translate(err)
	}
	for _, r := range rows {
		out.Total += r.N
		out.BySource[routing.Source(r.Source)] += r.N
		out.ByTrack[routing.Track(r.Track)] += r.N
	}
	return out, nil
}

// DisputeVisible reports whether the dispute is inside scope.
func (s Disputes) DisputeVisible(ctx context.Context, id int64, scope auth.Scope) (bool, error) {
	var n int64
	err := inScope(s.read(ctx).Model(&disputeRow{}).Where("id = ?", id), scope).Count(&n).Error
	return n > 0, translate(err)
}

// AuditUnmask records that the actor of ctx read the personal data of a
// dispute in clear (PIPL: every such read is audited).
func (s Disputes) AuditUnmask(ctx context.Context, targetType, targetID string) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		return s.appendAudit(ctx, tx, change{action: targetType + ".unmask", targetType: targetType, targetID: targetID})
	})
}

// TransferDispute moves a dispute to another track and org, in one
// transaction: the open mediation case is closed as transferred, a
// mediating track opens and assigns a new case, and the step joins the
// history. ifVersion, when not 0, must be the dispute's version.
func (s Disputes) TransferDispute(ctx context.Context, idOrCode string, t routing.Transfer, ifVersion int64, capacity int, recon ReconClocks) (routing.Dispute, error) {
	var id int64
	err := s.tx(ctx, func(tx *gorm.DB) (err error) {
		id, err = s.transferTx(ctx, tx, idOrCode, t, ifVersion, capacity, recon)
		return err
	})
	if err != nil {
		return routing.Dispute{}, err
	}
	return s.Dispute(ctx, strconv.FormatInt(id, 10))
}

// transferTx is TransferDispute inside tx; it returns the dispute's id. A
// transfer to the reconsideration track opens the reconsideration case of
// the dispute's first applicant against t.Respondent's act.
func (s Disputes) transferTx(ctx context.Context, tx *gorm.DB, idOrCode string, t routing.Transfer, ifVersion int64, capacity int, recon ReconClocks) (int64, error) {
	actor, _ := jiefen.ActorFrom(ctx)
	now := s.Now()
	cur, err := s.dispute(tx, idOrCode)
	if err != nil {
		return 0, err
	}
	var row disputeRow
	if err := tx.Raw("SELECT * FROM disputes WHERE id = ?"+s.forUpdate(), cur.ID).Scan(&row).Error; err != nil {
		return 0, err
	}
	if ifVersion != 0 && row.Version != ifVersion {
		return 0, jiefen.Errorf(jiefen.EPRECONDITION, "the dispute has changed (version %d); fetch it again", row.Version)
	}
	if row.Status == string(routing.StatusClosed) {
		return 0, jiefen.Errorf(jiefen.ECONFLICT, "the dispute is closed; it cannot be transferred")
	}
	if ok, err := orgKnown(tx, t.ToOrg); err != nil || !ok {
		if err == nil {
			var p jiefen.Problems
			p.Add("to_org_code", "no org has the code %q", t.ToOrg)
			err = p.Err()
		}
		return 0, err
	}
	if row.Track == string(t.ToTrack) && row.OrgCode == t.ToOrg {
		return 0, jiefen.Errorf(jiefen.ECONFLICT, "the dispute is already on track %s at %s", t.ToTrack, t.ToOrg)
	}
	before := auditView(row)
	if err := tx.Model(&mediationCaseRow{}).Where("dispute_id = ? AND state IN ?", row.ID, openCaseStates()).
		Updates(map[string]any{"state": "transferred", "next_due": nil, "queue_rank": rankEnded, "updated_at": now,
			"version": gorm.Expr("version + 1")}).Error; err != nil {
		return 0, err
	}
	reason, reasonSealed, err := s.sealText(disputeReason, t.Reason)
	if err != nil {
		return 0, err
	}
	row.Track, row.OrgCode, row.Rule, row.Reason, row.ReasonSealed = string(t.ToTrack), t.ToOrg, "transfer", reason, reasonSealed
	row.Assignee, row.Status, row.Guidance = "", string(routing.StatusGuided), ""
	row.ClockRule, row.Basis, row.DueOn = "", "", sqlDate{}
	if err := tx.Model(&disputeRow{}).Where("id = ?", row.ID).Updates(map[string]any{
		"track": row.Track, "org_code": row.OrgCode, "rule": row.Rule, "reason": row.Reason, "reason_sealed": row.ReasonSealed, "assignee": "",
		"status": row.Status, "guidance": "", "clock_rule": "", "basis": "", "due_on": nil,
		"version": row.Version + 1, "updated_at": now}).Error; err != nil {
		return 0, err
	}
	row.Version++
	if t.ToTrack.Mediates() {
		row.ClockRule, row.Basis, row.DueOn = t.ClockRule, t.Basis, dateOfPtr(t.Due)
		if err := tx.Model(&disputeRow{}).Where("id = ?", row.ID).Updates(map[string]any{
			"clock_rule": row.ClockRule, "basis": row.Basis, "due_on": row.DueOn}).Error; err != nil {
			return 0, err
		}
		if err := s.openCase(tx, &row, t.On, capacity, splitList(row.Recused), now); err != nil {
			return 0, err
		}
	}
	if t.ToTrack == routing.TrackReconsideration {
		if err := Reconsideration(s).openReconsideration(ctx, tx, row, t, recon); err != nil {
			return 0, err
		}
	}
	step, stepSealed, err := s.sealText(historyReason, t.Reason)
	if err != nil {
		return 0, err
	}
	if err := tx.Create(&historyRow{DisputeID: row.ID, Track: row.Track, OrgCode: row.OrgCode, Assignee: row.Assignee,
		Rule: "transfer", Reason: step, ReasonSealed: stepSealed, At: now, ByUser: actor.Username}).Error; err != nil {
		return 0, err
	}
	return row.ID, s.appendAudit(ctx, tx, change{action: "dispute.transfer", targetType: "dispute", targetID: row.Code,
		before: before, after: auditView(row)})
}

// disputeOf assembles a dispute from its row, parties and history.
func disputeOf(r disputeRow, parties []jiefen.Party, history []routing.Step) routing.Dispute {
	flags := []routing.Flag{}
	for _, f := range splitList(r.Flags) {
		flags = append(flags, routing.Flag(f))
	}
	if parties == nil {
		parties = []jiefen.Party{}
	}
	if history == nil {
		history = []routing.Step{}
	}
	return routing.Dispute{ID: r.ID, Code: r.Code, Title: r.Title, Description: r.Description,
		Category: routing.Category(r.Category), Source: routing.Source(r.Source), SourceRef: r.SourceRef,
		Township: r.Township, AmountFen: r.AmountFen, OccurredOn: r.OccurredOn.ptr(), ReceivedOn: r.ReceivedOn.Date,
		Parties: parties, Flags: flags, Recused: splitList(r.Recused), Status: routing.Status(r.Status),
		Priority: routing.Priority(r.Priority), IntakeOrg: r.IntakeOrg, RulesVersion: r.RulesVersion,
		Version: r.Version, CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(),
		History: history,
		Routing: routing.Routing{Decision: routing.Decision{Track: routing.Track(r.Track), OrgCode: r.OrgCode,
			Rule: r.Rule, Reason: r.Reason, Priority: routing.Priority(r.Priority), Guidance: r.Guidance,
			ClockRule: r.ClockRule, Due: r.DueOn.ptr(), Basis: r.Basis}, Assignee: r.Assignee},
	}
}

// currentCases returns each dispute's current mediation case: the newest
// that was not transferred away. A dispute on a track that opens no case
// here has none.
func currentCases(q *gorm.DB, disputeIDs []int64) (map[int64]int64, error) {
	out := map[int64]int64{}
	if len(disputeIDs) == 0 {
		return out, nil
	}
	var rs []struct {
		DisputeID int64
		ID        int64
	}
	if err := q.Raw(`SELECT dispute_id, MAX(id) AS id FROM mediation_cases WHERE dispute_id IN ? AND state <> 'transferred'
		GROUP BY dispute_id`, disputeIDs).Scan(&rs).Error; err != nil {
		return nil, err
	}
	for _, r := range rs {
		out[r.DisputeID] = r.ID
	}
	return out, nil
}
