package sqlstore

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"gorm.io/gorm"

	"jiefen"
	"jiefen/calendar"
	"jiefen/liaison"
)

type issueRow struct {
	ID        int64 `gorm:"primaryKey"`
	Meeting   string
	Title     string
	LeadUnit  string
	CoUnits   string
	Deadline  sqlDate
	State     string
	Record    string
	ClosedOn  sqlDate
	Version   int64
	CreatedBy string
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (issueRow) TableName() string { return "ledger_issues" }

// issueRecord is what an issue keeps as JSON.
type issueRecord struct {
	Reports  []liaison.Report  `json:"reports"`
	Steps    []liaison.Step    `json:"steps"`
	Comments []liaison.Comment `json:"comments"`
}

func (r issueRow) issue(today calendar.Date) (liaison.Issue, error) {
	var rec issueRecord
	if err := json.Unmarshal([]byte(r.Record), &rec); err != nil {
		return liaison.Issue{}, err
	}
	i := liaison.Issue{ID: r.ID, Meeting: r.Meeting, Title: r.Title, LeadUnit: r.LeadUnit, CoUnits: nonNil(splitList(r.CoUnits)),
		Deadline: r.Deadline.Date, State: liaison.State(r.State), ClosedOn: r.ClosedOn.ptr(), Reports: nonNil(rec.Reports),
		Steps: nonNil(rec.Steps), Comments: nonNil(rec.Comments), Version: r.Version, Created: r.CreatedAt.UTC(), Updated: r.UpdatedAt.UTC()}
	i.Settle(today)
	return i, nil
}

func issueRowOf(i liaison.Issue) (issueRow, error) {
	rec, err := json.Marshal(issueRecord{Reports: i.Reports, Steps: i.Steps, Comments: i.Comments})
	if err != nil {
		return issueRow{}, err
	}
	return issueRow{ID: i.ID, Meeting: i.Meeting, Title: i.Title, LeadUnit: i.LeadUnit, CoUnits: strings.Join(i.CoUnits, ","),
		Deadline: dateOf(i.Deadline), State: string(i.State), Record: string(rec), ClosedOn: dateOfPtr(i.ClosedOn), Version: i.Version}, nil
}

// checkOrgs names the org codes that do not exist.
func checkOrgs(tx *gorm.DB, fields map[string]string) error {
	var p jiefen.Problems
	for field, code := range fields {
		ok, err := orgKnown(tx, code)
		if err != nil {
			return err
		}
		if !ok {
			p.Add(field, "no org has the code %q", code)
		}
	}
	return p.Err()
}

// CreateIssue enters an issue of the joint meeting's ledger (audited).
func (s Liaison) CreateIssue(ctx context.Context, i liaison.Issue) (liaison.Issue, error) {
	actor, _ := jiefen.ActorFrom(ctx)
	now := s.Now()
	var id int64
	err := s.tx(ctx, func(tx *gorm.DB) error {
		units := map[string]string{"lead_unit": i.LeadUnit}
		for k, u := range i.CoUnits {
			units["co_units["+itoa(int64(k))+"]"] = u
		}
		if err := checkOrgs(tx, units); err != nil {
			return err
		}
		row, err := issueRowOf(i)
		if err != nil {
			return err
		}
		row.Version, row.CreatedBy, row.CreatedAt, row.UpdatedAt = 1, actor.Username, now, now
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		id = row.ID
		return s.appendAudit(ctx, tx, change{action: "ledger.create", targetType: "ledger_issue", targetID: itoa(id),
			after: map[string]any{"title": i.Title, "lead_unit": i.LeadUnit, "deadline": i.Deadline.String()}})
	})
	if err != nil {
		return liaison.Issue{}, err
	}
	return s.Issue(ctx, id)
}

// Issue returns an issue of the ledger.
func (s Liaison) Issue(ctx context.Context, id int64) (liaison.Issue, error) {
	var r issueRow
	if err := s.read(ctx).Where("id = ?", id).Take(&r).Error; err != nil {
		return liaison.Issue{}, translate(err)
	}
	i, err := r.issue(calendar.DateOf(s.Now()))
	return i, translate(err)
}

// ListIssues lists the ledger, newest first.
func (s Liaison) ListIssues(ctx context.Context, f liaison.IssueFilter) ([]liaison.Issue, error) {
	today := calendar.DateOf(s.Now())
	sel := s.read(ctx).Model(&issueRow{}).Order("id DESC").Limit(f.Limit)
	if f.State != "" {
		sel = sel.Where("state = ?", string(f.State))
	}
	if f.LeadUnit != "" {
		sel = sel.Where("lead_unit = ?", f.LeadUnit)
	}
	if f.Overdue {
		sel = sel.Where("state <> ? AND deadline < ?", string(liaison.Closed), dateOf(today))
	}
	if f.BeforeID > 0 {
		sel = sel.Where("id < ?", f.BeforeID)
	}
	var rows []issueRow
	if err := sel.Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]liaison.Issue, len(rows))
	for k, r := range rows {
		i, err := r.issue(today)
		if err != nil {
			return nil, err
		}
		out[k] = i
	}
	return out, nil
}

// LedgerPeriod returns the ledger's issues created from a day before from
// on (those raised in the period among them: liaison.Count picks them by
// their first step) and the judicial suggestions received from from to
// to, for the ledger's figures of the period.
func (s Liaison) LedgerPeriod(ctx context.Context, from, to calendar.Date) ([]liaison.Issue, []liaison.Suggestion, error) {
	today := calendar.DateOf(s.Now())
	q := s.read(ctx)
	var rows []issueRow
	if err := q.Model(&issueRow{}).Where("created_at >= ?", since(from)).Order("id").Find(&rows).Error; err != nil {
		return nil, nil, translate(err)
	}
	issues := make([]liaison.Issue, len(rows))
	for k, r := range rows {
		i, err := r.issue(today)
		if err != nil {
			return nil, nil, err
		}
		issues[k] = i
	}
	var srows []suggestionRow
	if err := q.Model(&suggestionRow{}).Where("received_on >= ? AND received_on <= ?", dateOf(from), dateOf(to)).Order("id").Find(&srows).Error; err != nil {
		return nil, nil, translate(err)
	}
	suggestions := make([]liaison.Suggestion, len(srows))
	for i, r := range srows {
		suggestions[i] = r.suggestion()
	}
	return issues, suggestions, nil
}

// ActOnIssue changes an issue in one transaction (locked, version-checked,
// audited). LeadUnit, when not "", limits the change to that unit's issues.
func (s Liaison) ActOnIssue(ctx context.Context, id, ifVersion int64, leadUnit, name string, do func(*liaison.Issue) error) (liaison.Issue, error) {
	now := s.Now()
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var r issueRow
		if err := tx.Raw("SELECT * FROM ledger_issues WHERE id = ?"+s.forUpdate(), id).Scan(&r).Error; err != nil {
			return err
		}
		if r.ID == 0 || (leadUnit != "" && r.LeadUnit != leadUnit) {
			return jiefen.Errorf(jiefen.ENOTFOUND, "no ledger issue %d", id)
		}
		if ifVersion != 0 && ifVersion != r.Version {
			return jiefen.Errorf(jiefen.EPRECONDITION, "the issue has changed (version %d); fetch it again", r.Version)
		}
		i, err := r.issue(calendar.DateOf(now))
		if err != nil {
			return err
		}
		if err := do(&i); err != nil {
			return err
		}
		row, err := issueRowOf(i)
		if err != nil {
			return err
		}
		if err := tx.Model(&issueRow{}).Where("id = ?", id).Updates(map[string]any{"state": row.State, "record": row.Record,
			"closed_on": row.ClosedOn, "version": r.Version + 1, "updated_at": now}).Error; err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, change{action: "ledger." + name, targetType: "ledger_issue", targetID: itoa(id),
			before: map[string]any{"state": r.State}, after: map[string]any{"state": row.State}})
	})
	if err != nil {
		return liaison.Issue{}, err
	}
	return s.Issue(ctx, id)
}

type suggestionRow struct {
	ID         int64 `gorm:"primaryKey"`
	Court      string
	Number     string
	Addressee  string
	Subject    string
	Content    string
	ReceivedOn sqlDate
	RepliedOn  sqlDate
	Reply      string
	Version    int64
	CreatedBy  string
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

func (suggestionRow) TableName() string { return "judicial_suggestions" }

func (r suggestionRow) suggestion() liaison.Suggestion {
	return liaison.Suggestion{ID: r.ID, Court: r.Court, Number: r.Number, Addressee: r.Addressee, Subject: r.Subject, Content: r.Content,
		ReceivedOn: r.ReceivedOn.Date, RepliedOn: r.RepliedOn.ptr(), Reply: r.Reply, Version: r.Version, CreatedAt: r.CreatedAt.UTC()}
}

// CreateSuggestion records a judicial suggestion received (audited); the
// addressee is an agency by code, name or alias.
func (s Liaison) CreateSuggestion(ctx context.Context, sg liaison.Suggestion) (liaison.Suggestion, error) {
	actor, _ := jiefen.ActorFrom(ctx)
	now := s.Now()
	var id int64
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var p jiefen.Problems
		code, err := resolveAgency(tx, sg.Addressee, "addressee", &p)
		if err != nil {
			return err
		}
		if err := p.Err(); err != nil {
			return err
		}
		row := suggestionRow{Court: sg.Court, Number: sg.Number, Addressee: code, Subject: sg.Subject, Content: sg.Content,
			ReceivedOn: dateOf(sg.ReceivedOn), Version: 1, CreatedBy: actor.Username, CreatedAt: now, UpdatedAt: now}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		id = row.ID
		return s.appendAudit(ctx, tx, change{action: "suggestion.create", targetType: "judicial_suggestion", targetID: itoa(id),
			after: map[string]any{"addressee": code, "received_on": sg.ReceivedOn.String()}})
	})
	if err != nil {
		return liaison.Suggestion{}, err
	}
	return s.Suggestion(ctx, id)
}

// Suggestion returns a judicial suggestion.
func (s Liaison) Suggestion(ctx context.Context, id int64) (liaison.Suggestion, error) {
	var r suggestionRow
	if err := s.read(ctx).Where("id = ?", id).Take(&r).Error; err != nil {
		return liaison.Suggestion{}, translate(err)
	}
	return r.suggestion(), nil
}

// ListSuggestions lists judicial suggestions, newest first; addressee, when
// not "", limits them to one agency's.
func (s Liaison) ListSuggestions(ctx context.Context, addressee string, open bool, limit int, beforeID int64) ([]liaison.Suggestion, error) {
	sel := s.read(ctx).Model(&suggestionRow{}).Order("id DESC").Limit(limit)
	if addressee != "" {
		sel = sel.Where("addressee = ?", addressee)
	}
	if open {
		sel = sel.Where("replied_on IS NULL")
	}
	if beforeID > 0 {
		sel = sel.Where("id < ?", beforeID)
	}
	var rows []suggestionRow
	if err := sel.Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]liaison.Suggestion, len(rows))
	for i, r := range rows {
		out[i] = r.suggestion()
	}
	return out, nil
}

// AnswerSuggestion records the reply to a suggestion (audited); addressee,
// when not "", must be the suggestion's.
func (s Liaison) AnswerSuggestion(ctx context.Context, id int64, addressee string, do func(*liaison.Suggestion) error) (liaison.Suggestion, error) {
	now := s.Now()
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var r suggestionRow
		if err := tx.Raw("SELECT * FROM judicial_suggestions WHERE id = ?"+s.forUpdate(), id).Scan(&r).Error; err != nil {
			return err
		}
		if r.ID == 0 || (addressee != "" && r.Addressee != addressee) {
			return jiefen.Errorf(jiefen.ENOTFOUND, "no judicial suggestion %d", id)
		}
		sg := r.suggestion()
		if err := do(&sg); err != nil {
			return err
		}
		if err := tx.Model(&suggestionRow{}).Where("id = ?", id).Updates(map[string]any{"replied_on": dateOfPtr(sg.RepliedOn), "reply": sg.Reply,
			"version": r.Version + 1, "updated_at": now}).Error; err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, change{action: "suggestion.reply", targetType: "judicial_suggestion", targetID: itoa(id)})
	})
	if err != nil {
		return liaison.Suggestion{}, err
	}
	return s.Suggestion(ctx, id)
}
