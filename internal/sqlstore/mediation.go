package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"

	"gorm.io/gorm"

	"jiefen"
	"jiefen/calendar"
	"jiefen/mediation"
	"jiefen/routing"
)

// dossier is what a mediation case keeps as JSON: the records that are
// read with the case and never selected on.
type dossier struct {
	Sessions     []mediation.Session     `json:"sessions,omitempty"`
	Agreement    *mediation.Agreement    `json:"agreement,omitempty"`
	Failure      *mediation.Failure      `json:"failure,omitempty"`
	Confirmation *mediation.Confirmation `json:"confirmation,omitempty"`
}

// followupRow is one follow-up visit (回访) with its rating, and the
// rectification a low rating opened.
type followupRow struct {
	ID            int64 `gorm:"primaryKey"`
	CaseID        int64
	Seq           int
	OnDay         sqlDate
	Rating        int
	Performed     bool
	Comment       string
	ByUser        string
	Rectification bool
	RectifiedOn   sqlDate
	RectifyAction *string

	// CommentSealed and RectifyActionSealed are the whole comment and
	// action, sealed, when masking changed them; Comment and RectifyAction
	// keep them masked (see freetext.go).
	CommentSealed       *string
	RectifyActionSealed *string
}

func (followupRow) TableName() string { return "mediation_followups" }

// CaseClocks fills in a case's clocks (and anything they depend on) from
// the calendar, the catalogue and today; the store calls it on every case
// it returns or saves.
type CaseClocks func(*mediation.Case)

// MediationCase returns a mediation case with its clocks.
func (s Mediation) MediationCase(ctx context.Context, id int64, clocks CaseClocks) (mediation.Case, error) {
	q := s.read(ctx)
	var r mediationCaseRow
	if err := q.Where("id = ?", id).Take(&r).Error; err != nil {
		return mediation.Case{}, translate(err)
	}
	cs, err := s.casesOf(q, []mediationCaseRow{r}, clocks)
	if err != nil {
		return mediation.Case{}, translate(err)
	}
	return cs[0], nil
}

// MediationClocks returns the cases with the given ids (those that exist,
// in no particular order) with what their clocks are counted from and the
// clocks, in one statement whatever their number: not their follow-ups,
// nor their dispute's code and title.
func (s Mediation) MediationClocks(ctx context.Context, ids []int64, clocks CaseClocks) ([]mediation.Case, error) {
	out := []mediation.Case{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []mediationCaseRow
	if err := s.read(ctx).Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	for _, r := range rows {
		c, err := s.caseOfRow(r)
		if err != nil {
			return nil, err
		}
		clocks(&c)
		out = append(out, c)
	}
	return out, nil
}

// caseOfRow is a case as its row holds it: everything but its follow-ups
// and its dispute's code, title and source.
func (s Mediation) caseOfRow(r mediationCaseRow) (mediation.Case, error) {
	c := mediation.Case{ID: r.ID, DisputeID: r.DisputeID, Track: r.Track, OrgCode: r.OrgCode,
		Assignee: r.Assignee, AssignReason: r.AssignReason, State: mediation.State(r.State), OpenedOn: r.OpenedOn.Date,
		ClockRule: r.ClockRule, Tier: mediation.Tier(r.Tier), AcceptedOn: r.AcceptedOn.ptr(), ClosedOn: r.ClosedOn.ptr(),
		Sessions: []mediation.Session{}, FollowUps: []mediation.FollowUp{}, Rectifications: []mediation.Rectification{},
		Version: r.Version, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
	if r.Dossier != nil && *r.Dossier != "" {
		text, err := s.open(mediationDossier, *r.Dossier, r.DossierSealed)
		if err != nil {
			return c, fmt.Errorf("sqlstore: the dossier of case %d: %w", r.ID, err)
		}
		var d dossier
		if err := json.Unmarshal([]byte(text), &d); err != nil {
			return c, fmt.Errorf("sqlstore: the dossier of case %d: %w", r.ID, err)
		}
		if d.Sessions != nil {
			c.Sessions = d.Sessions
		}
		c.Agreement, c.Failure, c.Confirmation = d.Agreement, d.Failure, d.Confirmation
	}
	return c, nil
}

// casesOf assembles cases from their rows: the disputes' codes and titles
// and the follow-ups in two statements, whatever the number of cases.
func (s Mediation) casesOf(q *gorm.DB, rows []mediationCaseRow, clocks CaseClocks) ([]mediation.Case, error) {
	if len(rows) == 0 {
		return []mediation.Case{}, nil
	}
	disputeIDs := make([]int64, len(rows))
	caseIDs := make([]int64, len(rows))
	for i, r := range rows {
		disputeIDs[i], caseIDs[i] = r.DisputeID, r.ID
	}
	var ds []struct {
		ID          int64
		Code        string
		Title       string
		TitleSealed *string
		Source      string
	}
	if err := q.Raw("SELECT id, code, title, title_sealed, source FROM disputes WHERE id IN ?", disputeIDs).Scan(&ds).Error; err != nil {
		return nil, err
	}
	byDispute := map[int64]int{}
	for i, d := range ds {
		byDispute[d.ID] = i
	}
	var fs []followupRow
	if err := q.Where("case_id IN ?", caseIDs).Order("case_id, seq").Find(&fs).Error; err != nil {
		return nil, err
	}
	followups := map[int64][]followupRow{}
	for _, f := range fs {
		followups[f.CaseID] = append(followups[f.CaseID], f)
	}
	orgNames, mediatorNames, err := caseNames(q, rows)
	if err != nil {
		return nil, err
	}
	out := make([]mediation.Case, len(rows))
	for i, r := range rows {
		c, err := s.caseOfRow(r)
		if err != nil {
			return nil, err
		}
		if k, ok := byDispute[r.DisputeID]; ok {
			title, err := s.open(disputeTitle, ds[k].Title, ds[k].TitleSealed)
			if err != nil {
				return nil, fmt.Errorf("sqlstore: the title of dispute %d: %w", r.DisputeID, err)
			}
			c.DisputeCode, c.Title, c.Source = ds[k].Code, title, ds[k].Source
		}
		for _, f := range followups[r.ID] {
			comment, err := s.open(followUpComment, f.Comment, f.CommentSealed)
			if err != nil {
				return nil, fmt.Errorf("sqlstore: a follow-up of case %d: %w", r.ID, err)
			}
			c.FollowUps = append(c.FollowUps, mediation.FollowUp{On: f.OnDay.Date, Rating: f.Rating, Comment: comment,
				Performed: f.Performed, By: f.ByUser})
			if f.Rectification {
				rc := mediation.Rectification{OpenedOn: f.OnDay.Date, Rating: f.Rating, ClosedOn: f.RectifiedOn.ptr()}
				if f.RectifyAction != nil {
					if rc.Action, err = s.open(rectifyAction, *f.RectifyAction, f.RectifyActionSealed); err != nil {
						return nil, fmt.Errorf("sqlstore: a rectification of case %d: %w", r.ID, err)
					}
				}
				c.Rectifications = append(c.Rectifications, rc)
			}
		}
		c.OrgName, c.AssigneeName = orgNames[r.OrgCode], mediatorNames[r.Assignee]
		clocks(&c)
		out[i] = c
	}
	return out, nil
}

// caseNames reads the names people see beside the cases' codes: each org's
// name and each assignee's display name (姓名).
func caseNames(q *gorm.DB, rows []mediationCaseRow) (orgs, mediators map[string]string, err error) {
	var codes, usernames []string
	for _, r := range rows {
		codes = append(codes, r.OrgCode)
		if r.Assignee != "" {
			usernames = append(usernames, r.Assignee)
		}
	}
	if orgs, err = orgNamesIn(q, codes); err != nil {
		return nil, nil, err
	}
	mediators = map[string]string{}
	if len(usernames) == 0 {
		return orgs, mediators, nil
	}
	var named []struct{ Username, Name string }
	if err := q.Raw("SELECT username, name FROM users WHERE username IN ? AND name <> ''", usernames).Scan(&named).Error; err != nil {
		return nil, nil, err
	}
	for _, n := range named {
		mediators[n.Username] = n.Name
	}
	return orgs, mediators, nil
}

// CaseAction is one action on a mediation case: the domain rule that
// changes it, and, for a failure that names the next track, the transfer
// of its dispute.
type CaseAction struct {
	Name      string // e.g. "accept", for the audit log
	IfVersion int64  // when not 0, the case's version must be this
	Do        func(*mediation.Case) error
	Transfer  *routing.Transfer // carried out in the same transaction
	Capacity  int               // for the mediation case the transfer opens
	Recon     ReconClocks       // for the reconsideration case it opens
}

// ActOnCase applies an action to a case in one transaction: the case is
// locked and read, the actor must be its mediator (else it is not found),
// the action runs under the domain's rules, and the case, its follow-ups,
// its dispute (closed with it) and the audit log are written together.
func (s Mediation) ActOnCase(ctx context.Context, id int64, a CaseAction, clocks CaseClocks) (mediation.Case, error) {
	actor, _ := jiefen.ActorFrom(ctx)
	now := s.Now()
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var r mediationCaseRow
		if err := tx.Raw("SELECT * FROM mediation_cases WHERE id = ?"+s.forUpdate(), id).Scan(&r).Error; err != nil {
			return err
		}
		if r.ID == 0 || (actor.Role == jiefen.RoleMediator && r.Assignee != actor.Username) {
			return jiefen.Errorf(jiefen.ENOTFOUND, "no mediation case %d in your queue", id)
		}
		if a.IfVersion != 0 && a.IfVersion != r.Version {
			return jiefen.Errorf(jiefen.EPRECONDITION, "the case has changed (version %d); fetch it again", r.Version)
		}
		cs, err := s.casesOf(tx, []mediationCaseRow{r}, clocks)
		if err != nil {
			return err
		}
		c := cs[0]
		before := map[string]any{"state": c.State, "version": c.Version}
		had := len(c.FollowUps)
		rectified := make([]bool, len(c.Rectifications))
		for i, rc := range c.Rectifications {
			rectified[i] = rc.ClosedOn != nil
		}
		if err := a.Do(&c); err != nil {
			return err
		}
		for i := had; i < len(c.FollowUps); i++ {
			c.FollowUps[i].By = actor.Username
		}
		clocks(&c)
		doc, docSealed, err := s.dossierOf(c)
		if err != nil {
			return err
		}
		res := tx.Model(&mediationCaseRow{}).Where("id = ? AND version = ?", r.ID, r.Version).Updates(map[string]any{
			"state": string(c.State), "tier": string(c.Tier), "accepted_on": dateOfPtr(c.AcceptedOn), "closed_on": dateOfPtr(c.ClosedOn),
			"next_due": dateOfPtr(c.NextDue()), "late_on": dateOfPtr(c.LateOn()), "queue_rank": queueRank(c.NextDue(), c.Ended()),
			"subsidy_on": dateOfPtr(c.SubsidyEarnedOn()), "dossier": &doc, "dossier_sealed": docSealed,
			"version": r.Version + 1, "updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return jiefen.Errorf(jiefen.ECONFLICT, "the case changed while this action ran; try again")
		}
		if err := s.saveFollowUps(tx, &c, had, rectified); err != nil {
			return err
		}
		if c.State == mediation.StateClosed {
			if err := tx.Model(&disputeRow{}).Where("id = ? AND track = ? AND org_code = ?", r.DisputeID, r.Track, r.OrgCode).
				Updates(map[string]any{"status": string(routing.StatusClosed), "version": gorm.Expr("version + 1"), "updated_at": now}).Error; err != nil {
				return err
			}
		}
		if err := s.appendAudit(ctx, tx, change{action: "mediation." + a.Name, targetType: "mediation_case", targetID: itoa(id),
			before: before, after: map[string]any{"state": c.State, "version": c.Version + 1}}); err != nil {
			return err
		}
		if a.Transfer != nil && c.State == mediation.StateTransferred {
			_, err := Disputes(s).transferTx(ctx, tx, strconv.FormatInt(r.DisputeID, 10), *a.Transfer, 0, a.Capacity, a.Recon)
			return err
		}
		return nil
	})
	if err != nil {
		return mediation.Case{}, err
	}
	return s.MediationCase(ctx, id, clocks)
}

// saveFollowUps inserts the follow-ups recorded since the case was read
// (had of them then) and closes the rectifications closed since.
func (s Mediation) saveFollowUps(tx *gorm.DB, c *mediation.Case, had int, rectified []bool) error {
	k := 0 // the rectification of the follow-up at hand
	for i, f := range c.FollowUps {
		low := f.Rating <= mediation.LowRating
		if i >= had {
			comment, sealed, err := s.sealText(followUpComment, f.Comment)
			if err != nil {
				return err
			}
			row := followupRow{CaseID: c.ID, Seq: i + 1, OnDay: dateOf(f.On), Rating: f.Rating, Performed: f.Performed,
				Comment: comment, CommentSealed: sealed, ByUser: f.By, Rectification: low}
			if err := tx.Create(&row).Error; err != nil {
				return err
			}
		}
		if !low {
			continue
		}
		if rc := c.Rectifications[k]; rc.ClosedOn != nil && (k >= len(rectified) || !rectified[k]) {
			action, sealed, err := s.sealText(rectifyAction, rc.Action)
			if err != nil {
				return err
			}
			if err := tx.Model(&followupRow{}).Where("case_id = ? AND seq = ?", c.ID, i+1).
				Updates(map[string]any{"rectified_on": dateOf(*rc.ClosedOn), "rectify_action": &action, "rectify_action_sealed": sealed}).Error; err != nil {
				return err
			}
		}
		k++
	}
	return nil
}

// ListMediationCases returns a queue ordered by the nearest due day of a
// live duty, so that overdue work comes first, then open cases with
// nothing due (waiting to be accepted, or with only the parties' window
// left), closed and transferred cases last; and the cursor of the next
// page ("" at the end).
func (s Mediation) ListMediationCases(ctx context.Context, f mediation.Filter, clocks CaseClocks) ([]mediation.Case, string, error) {
	q := s.read(ctx)
	sel := q.Model(&mediationCaseRow{})
	for col, v := range map[string]string{"assignee": f.Assignee, "state": string(f.State), "track": f.Track, "org_code": f.OrgCode} {
		if v != "" {
			sel = sel.Where(col+" = ?", v)
		}
	}
	if f.From != nil {
		sel = sel.Where("opened_on >= ?", dateOf(*f.From))
	}
	if f.To != nil {
		sel = sel.Where("opened_on <= ?", dateOf(*f.To))
	}
	if f.IntakeOrg != "" {
		sel = sel.Where("dispute_id IN (SELECT id FROM disputes WHERE intake_org = ?)", f.IntakeOrg)
	}
	sel, err := pageQueue(sel, f.Cursor, f.Limit)
	if err != nil {
		return nil, "", err
	}
	var rows []mediationCaseRow
	if err := sel.Find(&rows).Error; err != nil {
		return nil, "", translate(err)
	}
	next := ""
	if len(rows) > f.Limit {
		rows = rows[:f.Limit]
		last := rows[len(rows)-1]
		next = queueCursor(last.QueueRank, last.NextDue, last.ID)
	}
	cs, err := s.casesOf(q, rows, clocks)
	return cs, next, translate(err)
}

// Subsidies lists, per mediator, the cases that earned their subsidy in
// [from, to] (see mediation.Case.SubsidyEarnedOn) and the amounts.
func (s Mediation) Subsidies(ctx context.Context, from, to calendar.Date, amounts mediation.Subsidies, mediator string) ([]mediation.SubsidyLine, error) {
	q := s.read(ctx)
	var rows []struct {
		ID        int64
		Assignee  string
		OrgCode   string
		Tier      string
		SubsidyOn sqlDate
		Code      string
		Title     string
	}
	sel := q.Table("mediation_cases c").Joins("JOIN disputes d ON d.id = c.dispute_id").
		Select("c.id, c.assignee, c.org_code, c.tier, c.subsidy_on, d.code, d.title").
		Where("c.subsidy_on >= ? AND c.subsidy_on <= ?", dateOf(from), dateOf(to)).Order("c.assignee, c.subsidy_on, c.id")
	if mediator != "" {
		sel = sel.Where("c.assignee = ?", mediator)
	}
	if err := sel.Scan(&rows).Error; err != nil {
		return nil, translate(err)
	}
	lines := []mediation.SubsidyLine{}
	for _, r := range rows {
		if len(lines) == 0 || lines[len(lines)-1].Mediator != r.Assignee {
			lines = append(lines, mediation.SubsidyLine{Mediator: r.Assignee, OrgCode: r.OrgCode, Cases: []mediation.SubsidyCase{}, ByTier: map[string]int{}})
		}
		l := &lines[len(lines)-1]
		fen := amounts[mediation.Tier(r.Tier)]
		l.Cases = append(l.Cases, mediation.SubsidyCase{ID: r.ID, DisputeCode: r.Code, Title: r.Title, Tier: r.Tier, EarnedOn: r.SubsidyOn.Date, AmountFen: fen})
		l.AmountFen += fen
		l.ByTier[r.Tier]++
	}
	return lines, nil
}

// Ratings reports the ratings given in [from, to].
// OutcomeCases lists the cases behind figure (mediation.OutcomeFigures)
// of the period from to to, in case order: those whose ending the figure
// counts (mediation.Ending.Counts).
func (s Mediation) OutcomeCases(ctx context.Context, from, to calendar.Date, figure string) ([]mediation.OutcomeCase, error) {
	var rows []struct {
		ID       int64
		Code     string
		Track    string
		OrgCode  string
		Assignee string
		Dossier  string
	}
	err := s.read(ctx).Table("mediation_cases c").Joins("JOIN disputes d ON d.id = c.dispute_id").
		Select("c.id, d.code, c.track, c.org_code, c.assignee, c.dossier").
		Where("c.dossier IS NOT NULL AND c.updated_at >= ?", since(from)).Order("c.id").Scan(&rows).Error
	if err != nil {
		return nil, translate(err)
	}
	out := []mediation.OutcomeCase{}
	for _, r := range rows {
		var d dossier
		if err := json.Unmarshal([]byte(r.Dossier), &d); err != nil {
			return nil, err
		}
		e := mediation.Ending{Agreement: d.Agreement, Failure: d.Failure, Confirmation: d.Confirmation}
		if e.Counts(figure, from, to) {
			out = append(out, mediation.OutcomeCase{CaseID: r.ID, DisputeCode: r.Code, Track: r.Track, OrgCode: r.OrgCode, Mediator: r.Assignee})
		}
	}
	return out, nil
}

// Outcomes counts how the mediations of the period from to to ended and
// the judicial confirmations asked and given in it (mediation.CountOutcomes)
// over the dossiers of the cases changed since the day before from: a
// case's agreement, failure or confirmation is recorded on or after its day.
func (s Mediation) Outcomes(ctx context.Context, from, to calendar.Date) (mediation.Outcomes, error) {
	var docs []string
	err := s.read(ctx).Model(&mediationCaseRow{}).Where("dossier IS NOT NULL AND updated_at >= ?", since(from)).
		Order("id").Pluck("dossier", &docs).Error
	if err != nil {
		return mediation.Outcomes{}, translate(err)
	}
	endings := make([]mediation.Ending, 0, len(docs))
	for _, doc := range docs {
		var d dossier
		if err := json.Unmarshal([]byte(doc), &d); err != nil {
			return mediation.Outcomes{}, err
		}
		endings = append(endings, mediation.Ending{Agreement: d.Agreement, Failure: d.Failure, Confirmation: d.Confirmation})
	}
	return mediation.CountOutcomes(endings, from, to), nil
}

func (s Mediation) Ratings(ctx context.Context, from, to calendar.Date) (mediation.RatingReport, error) {
	q := s.read(ctx)
	rep := mediation.RatingReport{From: from, To: to, LowCases: []mediation.LowRatedCase{}}
	var rows []struct {
		CaseID        int64
		OnDay         sqlDate
		Rating        int
		Rectification bool
		RectifiedOn   sqlDate
		RectifyAction *string
		Code          string
		Assignee      string
	}
	if err := q.Table("mediation_followups f").Joins("JOIN mediation_cases c ON c.id = f.case_id").Joins("JOIN disputes d ON d.id = c.dispute_id").
		Select("f.case_id, f.on_day, f.rating, f.rectification, f.rectified_on, f.rectify_action, d.code, c.assignee").
		Where("f.on_day >= ? AND f.on_day <= ?", dateOf(from), dateOf(to)).Order("f.on_day, f.case_id, f.seq").Scan(&rows).Error; err != nil {
		return rep, translate(err)
	}
	sum := 0
	for _, r := range rows {
		rep.Rated++
		sum += r.Rating
		if !r.Rectification {
			continue
		}
		rep.Low++
		lc := mediation.LowRatedCase{CaseID: r.CaseID, DisputeCode: r.Code, Mediator: r.Assignee, RatedOn: r.OnDay.Date, Rating: r.Rating, RectifiedOn: r.RectifiedOn.ptr()}
		if r.RectifyAction != nil {
			lc.Action = *r.RectifyAction
		}
		if lc.RectifiedOn != nil {
			rep.Rectified++
		}
		rep.LowCases = append(rep.LowCases, lc)
	}
	if rep.Rated > 0 {
		avg := float64(sum) / float64(rep.Rated)
		rep.Average = &avg
	}
	if err := s.revisits(q, &rep); err != nil {
		return rep, err
	}
	if rep.Low > 0 {
		share := float64(rep.Rectified) / float64(rep.Low)
		rep.RectifiedShare = &share
		revisited := float64(rep.Revisited) / float64(rep.Low)
		rep.RevisitedShare = &revisited
	}
	sort.SliceStable(rep.LowCases, func(i, j int) bool { return rep.LowCases[i].RatedOn < rep.LowCases[j].RatedOn })
	return rep, nil
}

// revisits finds, for every rectified low rating of rep, the first
// follow-up of its case after the rectification, and counts them.
func (s Mediation) revisits(q *gorm.DB, rep *mediation.RatingReport) error {
	var ids []int64
	for _, lc := range rep.LowCases {
		if lc.RectifiedOn != nil {
			ids = append(ids, lc.CaseID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	var rows []struct {
		CaseID int64
		OnDay  sqlDate
	}
	if err := q.Table("mediation_followups").Select("case_id, on_day").Where("case_id IN ?", ids).Order("on_day").Scan(&rows).Error; err != nil {
		return translate(err)
	}
	for i := range rep.LowCases {
		lc := &rep.LowCases[i]
		if lc.RectifiedOn == nil {
			continue
		}
		for _, r := range rows {
			if r.CaseID == lc.CaseID && r.OnDay.Date > *lc.RectifiedOn {
				lc.RevisitedOn = r.OnDay.ptr()
				rep.Revisited++
				break
			}
		}
	}
	return nil
}

// AssignMediationCase hands a case to a mediator on the intake desk's word:
// the assignee must be an active mediator of the case's org and not
// recused; a closed or transferred case cannot be assigned. The assignment
// is recorded with its reason, and the dispute follows.
func (s Mediation) AssignMediationCase(ctx context.Context, id int64, a mediation.Assignment, clocks CaseClocks) (mediation.Case, error) {
	actor, _ := jiefen.ActorFrom(ctx)
	now := s.Now()
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var r mediationCaseRow
		if err := tx.Raw("SELECT * FROM mediation_cases WHERE id = ?"+s.forUpdate(), id).Scan(&r).Error; err != nil {
			return err
		}
		if r.ID == 0 {
			return jiefen.Errorf(jiefen.ENOTFOUND, "no mediation case %d", id)
		}
		if state := mediation.State(r.State); !state.Open() {
			return jiefen.Errorf(jiefen.ECONFLICT, "the case is %s; it cannot be assigned", state)
		}
		var u userRow
		err := tx.Where("username = ? AND role = ? AND org_code = ? AND active = ?", a.Assignee,
			string(jiefen.RoleMediator), r.OrgCode, true).Take(&u).Error
		if err == gorm.ErrRecordNotFound {
			var p jiefen.Problems
			p.Add("assignee", "%q is not an active mediator of org %s", a.Assignee, r.OrgCode)
			return p.Err()
		} else if err != nil {
			return err
		}
		var recused string
		if err := tx.Raw("SELECT recused FROM disputes WHERE id = ?", r.DisputeID).Scan(&recused).Error; err != nil {
			return err
		}
		for _, n := range splitList(recused) {
			if n == a.Assignee {
				var p jiefen.Problems
				p.Add("assignee", "%q is recused from this dispute (回避)", a.Assignee)
				return p.Err()
			}
		}
		state := r.State
		if state == string(mediation.StateWaiting) {
			state = string(mediation.StateAssigned)
		}
		if err := tx.Model(&mediationCaseRow{}).Where("id = ?", id).Updates(map[string]any{"assignee": a.Assignee,
			"assign_reason": "受理窗口指定", "state": state, "assigned_at": now, "version": r.Version + 1, "updated_at": now}).Error; err != nil {
			return err
		}
		if err := tx.Create(&assignmentRow{CaseID: id, Assignee: a.Assignee, Reason: "受理窗口指定",
			At: now, ByUser: actor.Username}).Error; err != nil {
			return err
		}
		if err := tx.Exec("UPDATE users SET last_assigned_at = ? WHERE username = ?", now, a.Assignee).Error; err != nil {
			return err
		}
		if err := tx.Model(&disputeRow{}).Where("id = ? AND track = ? AND org_code = ?", r.DisputeID, r.Track, r.OrgCode).Updates(map[string]any{
			"assignee": a.Assignee, "status": "routed", "version": gorm.Expr("version + 1"), "updated_at": now}).Error; err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, change{action: "mediation.assign", targetType: "mediation_case",
			targetID: itoa(id), before: map[string]any{"assignee": r.Assignee, "state": r.State},
			after: map[string]any{"assignee": a.Assignee, "state": state}})
	})
	if err != nil {
		return mediation.Case{}, err
	}
	return s.MediationCase(ctx, id, clocks)
}
