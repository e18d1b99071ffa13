package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"jiefen"
	"jiefen/calendar"
	"jiefen/reconsideration"
	"jiefen/routing"
)

type reconRow struct {
	ID         int64 `gorm:"primaryKey"`
	Applicant  string
	Respondent string
	Act        string
	ReceivedOn sqlDate
	Procedure  string `gorm:"column:procedure_"`
	DisputeID  *int64
	Major      bool
	State      string
	AcceptedOn sqlDate
	DecidedOn  sqlDate
	Result     string
	NextDue    sqlDate
	LateOn     sqlDate
	QueueRank  int
	Record     string
	Version    int64
	CreatedBy  string
	CreatedAt  time.Time
	UpdatedAt  time.Time

	// ActSealed and RecordSealed are the whole act and record (JSON),
	// sealed, when masking changed them; Act and Record keep them masked
	// (see freetext.go).
	ActSealed    *string
	RecordSealed *string
}

func (reconRow) TableName() string { return "reconsideration_cases" }

// reconRecord is what a reconsideration case keeps as JSON.
type reconRecord struct {
	Review      []reconsideration.Review     `json:"review,omitempty"`
	Deemed      bool                         `json:"deemed,omitempty"`
	CopiedOn    *calendar.Date               `json:"copied_on,omitempty"`
	Reply       *reconsideration.Reply       `json:"reply,omitempty"`
	Hearings    []reconsideration.Hearing    `json:"hearings,omitempty"`
	Committee   []reconsideration.Opinion    `json:"committee,omitempty"`
	Suspensions []reconsideration.Suspension `json:"suspensions,omitempty"`
	Extension   *reconsideration.Extension   `json:"extension,omitempty"`
	Decision    *reconsideration.Decision    `json:"decision,omitempty"`
}

// ReconClocks fills in a reconsideration case's clocks (and what the law
// does by itself by today, deemed acceptance) from the calendar and the
// catalogue.
type ReconClocks func(*reconsideration.Case)

// CreateReconsideration registers an application; the respondent is an
// administrative body (see resolveAgency), and a linked dispute must exist.
func (s Reconsideration) CreateReconsideration(ctx context.Context, a reconsideration.Application, clocks ReconClocks) (reconsideration.Case, error) {
	var id int64
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var p jiefen.Problems
		code, err := resolveAgency(tx, a.Respondent, "respondent", &p)
		if err != nil {
			return err
		}
		if a.DisputeID != nil {
			var n int64
			if err := tx.Model(&disputeRow{}).Where("id = ?", *a.DisputeID).Count(&n).Error; err != nil {
				return err
			}
			if n == 0 {
				p.Add("dispute_id", "no dispute %d", *a.DisputeID)
			}
		}
		if err := p.Err(); err != nil {
			return err
		}
		resolved := a // a itself stays as asked, for a rerun (see tx)
		resolved.Respondent = code
		id, err = s.insertReconsideration(ctx, tx, resolved, clocks)
		return err
	})
	if err != nil {
		return reconsideration.Case{}, err
	}
	return s.ReconsiderationCase(ctx, id, clocks)
}

// openReconsideration opens the reconsideration case of a dispute moved to
// that track: its first applicant against t's respondent and act, received
// on the day of the transfer.
func (s Reconsideration) openReconsideration(ctx context.Context, tx *gorm.DB, d disputeRow, t routing.Transfer, clocks ReconClocks) error {
	var applicant jiefen.Party
	parties, err := s.partiesOf(d.Parties)
	if err != nil {
		return err
	}
	for _, p := range parties {
		if p.Role == jiefen.PartyApplicant {
			applicant = p
			break
		}
	}
	var p jiefen.Problems
	code, err := resolveAgency(tx, t.Respondent, "respondent", &p)
	if err != nil {
		return err
	}
	if err := p.Err(); err != nil {
		return err
	}
	id := d.ID
	_, err = s.insertReconsideration(ctx, tx, reconsideration.Application{Applicant: applicant, Respondent: code, Act: t.Act,
		ReceivedOn: t.On, Procedure: reconsideration.Ordinary, DisputeID: &id}, clocks)
	return err
}

// insertReconsideration opens the case of a checked application inside tx,
// audited, and returns its id.
func (s Reconsideration) insertReconsideration(ctx context.Context, tx *gorm.DB, a reconsideration.Application, clocks ReconClocks) (int64, error) {
	actor, _ := jiefen.ActorFrom(ctx)
	now := s.Now()
	c := reconsideration.New(a)
	clocks(&c)
	row, err := s.reconRowOf(c)
	if err != nil {
		return 0, err
	}
	row.CreatedBy, row.CreatedAt, row.UpdatedAt, row.Version = actor.Username, now, now, 1
	if err := tx.Create(&row).Error; err != nil {
		return 0, err
	}
	return row.ID, s.appendAudit(ctx, tx, change{action: "reconsideration.create", targetType: "reconsideration_case", targetID: itoa(row.ID),
		after: map[string]any{"respondent": a.Respondent, "state": c.State, "dispute_id": a.DisputeID}})
}

// reconRowOf is the row of a case (id and bookkeeping aside).
func (s Reconsideration) reconRowOf(c reconsideration.Case) (reconRow, error) {
	applicant, err := s.partyJSON(c.Applicant)
	if err != nil {
		return reconRow{}, err
	}
	rec := reconRecord{Review: c.Review, Deemed: c.Deemed, CopiedOn: c.CopiedOn, Reply: c.Reply, Hearings: c.Hearings,
		Committee: c.Committee, Suspensions: c.Suspensions, Extension: c.Extension, Decision: c.Decision}
	record, recordSealed, err := s.sealJSON(reconRecordText, rec, rec.masked())
	if err != nil {
		return reconRow{}, err
	}
	act, actSealed, err := s.sealText(reconAct, c.Act)
	if err != nil {
		return reconRow{}, err
	}
	r := reconRow{ID: c.ID, Applicant: applicant, Respondent: c.Respondent, Act: act, ActSealed: actSealed, ReceivedOn: dateOf(c.ReceivedOn),
		Procedure: string(c.Procedure), DisputeID: c.DisputeID, Major: c.Major, State: string(c.State),
		AcceptedOn: dateOfPtr(c.AcceptedOn), NextDue: dateOfPtr(c.NextDue()), LateOn: dateOfPtr(c.LateOn()),
		QueueRank: queueRank(c.NextDue(), c.Ended()), Record: record, RecordSealed: recordSealed, Version: c.Version}
	if c.Decision != nil {
		r.DecidedOn, r.Result = dateOf(c.Decision.On), string(c.Decision.Result)
	}
	return r, nil
}

// reconCases assembles cases from their rows, with the codes of their
// disputes, and computes their clocks.
func (s Reconsideration) reconCases(q *gorm.DB, rows []reconRow, clocks ReconClocks) ([]reconsideration.Case, error) {
	var disputeIDs []int64
	for _, r := range rows {
		if r.DisputeID != nil {
			disputeIDs = append(disputeIDs, *r.DisputeID)
		}
	}
	codes := map[int64]string{}
	if len(disputeIDs) > 0 {
		var ds []struct {
			ID   int64
			Code string
		}
		if err := q.Raw("SELECT id, code FROM disputes WHERE id IN ?", disputeIDs).Scan(&ds).Error; err != nil {
			return nil, err
		}
		for _, d := range ds {
			codes[d.ID] = d.Code
		}
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	sued, err := laterLawsuits(q, ids)
	if err != nil {
		return nil, err
	}
	out := make([]reconsideration.Case, len(rows))
	for i, r := range rows {
		c := reconsideration.Case{LaterLawsuits: nonNil(sued[r.ID]), ID: r.ID, Respondent: r.Respondent, Act: r.Act, ReceivedOn: r.ReceivedOn.Date,
			Procedure: reconsideration.Procedure(r.Procedure), DisputeID: r.DisputeID, Major: r.Major,
			State: reconsideration.State(r.State), AcceptedOn: r.AcceptedOn.ptr(), Version: r.Version,
			CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
		applicant, err := s.partyOf(r.Applicant)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: the applicant of reconsideration case %d: %w", r.ID, err)
		}
		c.Applicant = applicant
		if c.Act, err = s.open(reconAct, r.Act, r.ActSealed); err != nil {
			return nil, fmt.Errorf("sqlstore: the act of reconsideration case %d: %w", r.ID, err)
		}
		text, err := s.open(reconRecordText, r.Record, r.RecordSealed)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: the record of reconsideration case %d: %w", r.ID, err)
		}
		var rec reconRecord
		if err := json.Unmarshal([]byte(text), &rec); err != nil {
			return nil, fmt.Errorf("sqlstore: the record of reconsideration case %d: %w", r.ID, err)
		}
		c.Review, c.Deemed, c.CopiedOn, c.Reply = nonNil(rec.Review), rec.Deemed, rec.CopiedOn, rec.Reply
		c.Hearings, c.Committee, c.Suspensions = nonNil(rec.Hearings), nonNil(rec.Committee), nonNil(rec.Suspensions)
		c.Extension, c.Decision = rec.Extension, rec.Decision
		if r.DisputeID != nil {
			code := codes[*r.DisputeID]
			c.DisputeCode = &code
		}
		clocks(&c)
		out[i] = c
	}
	return out, nil
}

// nonNil turns a missing list into an empty one, so answers show [].
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// Reconsideration returns a case with its clocks.
func (s Reconsideration) ReconsiderationCase(ctx context.Context, id int64, clocks ReconClocks) (reconsideration.Case, error) {
	q := s.read(ctx)
	var r reconRow
	if err := q.Where("id = ?", id).Take(&r).Error; err != nil {
		return reconsideration.Case{}, translate(err)
	}
	cs, err := s.reconCases(q, []reconRow{r}, clocks)
	if err != nil {
		return reconsideration.Case{}, translate(err)
	}
	return cs[0], nil
}

// ReconsiderationCases returns the cases with the given ids (those that
// exist, in no particular order) with their clocks.
func (s Reconsideration) ReconsiderationCases(ctx context.Context, ids []int64, clocks ReconClocks) ([]reconsideration.Case, error) {
	if len(ids) == 0 {
		return []reconsideration.Case{}, nil
	}
	q := s.read(ctx)
	var rows []reconRow
	if err := q.Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	cs, err := s.reconCases(q, rows, clocks)
	return cs, translate(err)
}

// ReconAction is one action on a reconsideration case.
type ReconAction struct {
	Name      string // for the audit log, e.g. "acceptance"
	IfVersion int64  // when not 0, the case's version must be this
	// Respondent, when not "", limits the action to cases against that
	// agency (its staff reply to their own cases only).
	Respondent string
	Do         func(*reconsideration.Case) error
	// Notify, when set, names the events the action causes; they are
	// written in the action's transaction.
	Notify func(reconsideration.Case) []Event
}

// ActOnReconsideration applies an action to a case in one transaction: the
// case is locked and read (what the law did by itself meanwhile, deemed
// acceptance, included), the action runs under the domain's rules, and the
// case and the audit log are written together.
func (s Reconsideration) ActOnReconsideration(ctx context.Context, id int64, a ReconAction, clocks ReconClocks) (reconsideration.Case, error) {
	now := s.Now()
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var r reconRow
		if err := tx.Raw("SELECT * FROM reconsideration_cases WHERE id = ?"+s.forUpdate(), id).Scan(&r).Error; err != nil {
			return err
		}
		if r.ID == 0 || (a.Respondent != "" && r.Respondent != a.Respondent) {
			return jiefen.Errorf(jiefen.ENOTFOUND, "no reconsideration case %d", id)
		}
		if a.IfVersion != 0 && a.IfVersion != r.Version {
			return jiefen.Errorf(jiefen.EPRECONDITION, "the case has changed (version %d); fetch it again", r.Version)
		}
		cs, err := s.reconCases(tx, []reconRow{r}, clocks)
		if err != nil {
			return err
		}
		c := cs[0]
		before := map[string]any{"state": r.State, "version": r.Version}
		if err := a.Do(&c); err != nil {
			return err
		}
		if c.Reply != nil && c.Reply.By == "" {
			actor, _ := jiefen.ActorFrom(ctx)
			c.Reply.By = actor.Username
		}
		clocks(&c)
		row, err := s.reconRowOf(c)
		if err != nil {
			return err
		}
		res := tx.Model(&reconRow{}).Where("id = ? AND version = ?", r.ID, r.Version).Updates(map[string]any{
			"state": row.State, "accepted_on": row.AcceptedOn, "decided_on": row.DecidedOn, "result": row.Result,
			"next_due": row.NextDue, "late_on": row.LateOn, "queue_rank": row.QueueRank, "record": row.Record, "record_sealed": row.RecordSealed, "version": r.Version + 1,
			"updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return jiefen.Errorf(jiefen.ECONFLICT, "the case changed while this action ran; try again")
		}
		if a.Notify != nil {
			if _, err := s.emit(tx, a.Notify(c)); err != nil {
				return err
			}
		}
		return s.appendAudit(ctx, tx, change{action: "reconsideration." + a.Name, targetType: "reconsideration_case", targetID: itoa(id),
			before: before, after: map[string]any{"state": c.State, "version": r.Version + 1}})
	})
	if err != nil {
		return reconsideration.Case{}, err
	}
	return s.ReconsiderationCase(ctx, id, clocks)
}

// ListReconsideration returns cases by the nearest due date (see
// ListMediationCases) and the cursor of the next page.
func (s Reconsideration) ListReconsideration(ctx context.Context, f reconsideration.Filter, clocks ReconClocks) ([]reconsideration.Case, string, error) {
	q := s.read(ctx)
	sel := q.Model(&reconRow{})
	if f.Respondent != "" {
		sel = sel.Where("respondent = ?", f.Respondent)
	}
	if f.State != "" {
		sel = sel.Where("state = ?", string(f.State))
	}
	if f.From != nil {
		sel = sel.Where("received_on >= ?", dateOf(*f.From))
	}
	if f.To != nil {
		sel = sel.Where("received_on <= ?", dateOf(*f.To))
	}
	sel, err := pageQueue(sel, f.Cursor, f.Limit)
	if err != nil {
		return nil, "", err
	}
	var rows []reconRow
	if err := sel.Find(&rows).Error; err != nil {
		return nil, "", translate(err)
	}
	next := ""
	if len(rows) > f.Limit {
		rows = rows[:f.Limit]
		last := rows[len(rows)-1]
		next = queueCursor(last.QueueRank, last.NextDue, last.ID)
	}
	cs, err := s.reconCases(q, rows, clocks)
	return cs, next, translate(err)
}

// ReconsiderationStatsCases lists the cases behind figure of the period
// (reconsideration.Matching), of the cases ReconsiderationStats counts; it
// reports false for a figure it does not know.
func (s Reconsideration) ReconsiderationStatsCases(ctx context.Context, from, to calendar.Date, basis reconsideration.RateBasis, clocks ReconClocks, figure reconsideration.Figure) ([]reconsideration.Case, bool, error) {
	cs, err := s.statsCandidates(ctx, from, to, clocks)
	if err != nil {
		return nil, true, err
	}
	out, ok := reconsideration.Matching(cs, from, to, basis, figure)
	return out, ok, nil
}

// statsCandidates are the cases the statistics of the period read: those
// received by its end and not decided before its start, clocks computed.
func (s Reconsideration) statsCandidates(ctx context.Context, from, to calendar.Date, clocks ReconClocks) ([]reconsideration.Case, error) {
	q := s.read(ctx)
	var rows []reconRow
	if err := q.Where("received_on <= ? AND (decided_on IS NULL OR decided_on >= ?)", dateOf(to), dateOf(from)).
		Order("id").Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	cs, err := s.reconCases(q, rows, clocks)
	return cs, translate(err)
}

// ReconsiderationStats computes the statistics of [from, to] (see
// reconsideration.Count) over every case with an event in the period.
func (s Reconsideration) ReconsiderationStats(ctx context.Context, from, to calendar.Date, basis reconsideration.RateBasis, clocks ReconClocks) (reconsideration.Stats, error) {
	cs, err := s.statsCandidates(ctx, from, to, clocks)
	if err != nil {
		return reconsideration.Stats{}, err
	}
	return reconsideration.Count(cs, from, to, basis), nil
}

// The ranks of a case in a work queue (column queue_rank), which orders it
// before its due day: a live duty first, by its due day, so that overdue
// work leads; then open cases with no duty running (waiting to be
// accepted, or with only the parties' windows left); ended cases last.
const (
	rankLive  = 0
	rankIdle  = 1
	rankEnded = 2
)

// queueRank is the rank of a case whose earliest live duty is due on
// nextDue (nil: none), ended or not.
func queueRank(nextDue *calendar.Date, ended bool) int {
	switch {
	case ended:
		return rankEnded
	case nextDue != nil:
		return rankLive
	}
	return rankIdle
}

// pageQueue orders sel as a work queue (queue_rank, next_due, id: the
// order of the tables' queue indexes), after the cursor, one row more than
// a page so that the caller knows whether another page follows. The cursor
// is "rank/due/id" of the last row of a page, due "-" when it has none.
func pageQueue(sel *gorm.DB, cursor string, limit int) (*gorm.DB, error) {
	sel = sel.Order("queue_rank, next_due, id").Limit(limit + 1)
	if cursor == "" {
		return sel, nil
	}
	parts := strings.Split(cursor, "/")
	bad := func() (*gorm.DB, error) {
		var p jiefen.Problems
		p.Add("cursor", "is not a cursor this list gave")
		return nil, p.Err()
	}
	if len(parts) != 3 {
		return bad()
	}
	rank, err1 := strconv.Atoi(parts[0])
	id, err2 := strconv.ParseInt(parts[2], 10, 64)
	if err1 != nil || err2 != nil || rank < rankLive || rank > rankEnded {
		return bad()
	}
	if rank != rankLive {
		return sel.Where("(queue_rank > ? OR (queue_rank = ? AND id > ?))", rank, rank, id), nil
	}
	due, err := calendar.ParseDate(parts[1])
	if err != nil {
		return bad()
	}
	return sel.Where("(queue_rank > ? OR (queue_rank = ? AND (next_due > ? OR (next_due = ? AND id > ?))))",
		rankLive, rankLive, dateOf(due), dateOf(due), id), nil
}

// queueCursor is the cursor after a row of a queue.
func queueCursor(rank int, due sqlDate, id int64) string {
	d := "-"
	if due.Valid {
		d = due.Date.String()
	}
	return strconv.Itoa(rank) + "/" + d + "/" + strconv.FormatInt(id, 10)
}
