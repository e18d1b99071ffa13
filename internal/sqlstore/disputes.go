package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"jiefen"
	"jiefen/calendar"
	"jiefen/routing"
)

type disputeRow struct {
	ID           int64 `gorm:"primaryKey"`
	Code         string
	Title        string
	Description  string
	Category     string
	Source       string
	SourceRef    string
	Township     string
	AmountFen    int64
	OccurredOn   sqlDate
	ReceivedOn   sqlDate
	Flags        string
	Recused      string
	Status       string
	Priority     string
	Track        string
	OrgCode      string
	Assignee     string
	Rule         string
	Reason       string
	Guidance     string
	ClockRule    string
	DueOn        sqlDate
	Basis        string
	CaseID       *int64
	IntakeOrg    string
	RepeatOf     *int64
	RulesVersion int
	Version      int64
	CreatedBy    string
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

func (disputeRow) TableName() string { return "disputes" }

type partyRow struct {
	ID        int64 `gorm:"primaryKey"`
	DisputeID int64
	Position  int
	Role      string
	Name      string
	IDType    string
	IDNumber  string
	Phone     string
	Address   string
}

func (partyRow) TableName() string { return "dispute_parties" }

type historyRow struct {
	ID        int64 `gorm:"primaryKey"`
	DisputeID int64
	Track     string
	OrgCode   string
	Assignee  string
	Rule      string
	Reason    string
	At        time.Time
	ByUser    string
}

func (historyRow) TableName() string { return "dispute_history" }

type mediationCaseRow struct {
	ID         int64 `gorm:"primaryKey"`
	DisputeID  int64
	Track      string
	OrgCode    string
	Assignee   string
	State      string
	OpenedOn   sqlDate
	AssignedAt *time.Time
	ClockRule  string
	Version    int64
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

func (mediationCaseRow) TableName() string { return "mediation_cases" }

type assignmentRow struct {
	ID       int64 `gorm:"primaryKey"`
	CaseID   int64
	Assignee string
	Reason   string
	At       time.Time
	ByUser   string
}

func (assignmentRow) TableName() string { return "mediation_assignments" }

// closedCaseStates are the states of a mediation case that no longer count
// towards a mediator's load.
var closedCaseStates = []string{"closed", "transferred", "failed"}

// IntakePolicy holds the local settings of intake.
type IntakePolicy struct {
	CodePrefix       string // dispute codes are PREFIX-YYYY-NNNNNN
	MediatorCapacity int    // open cases a mediator is given at most
	RepeatWindowDays int    // same party and category within this many days: repeat
}

// RegisterDispute takes a validated intake in, in one transaction: it
// detects a repeat (the same party's ID number and category within the
// window), routes it with router, gives it its code, stores it with its
// parties and first history step, opens the mediation case of a mediating
// track and assigns a mediator, and audits it. It returns the dispute with
// personal data in clear; callers mask it.
func (db *DB) RegisterDispute(ctx context.Context, in routing.Intake, router *routing.Router, pol IntakePolicy) (routing.Dispute, error) {
	actor, _ := jiefen.ActorFrom(ctx)
	now := db.Now()
	var id int64
	err := db.tx(ctx, func(tx *gorm.DB) error {
		repeatOf, err := findRepeat(tx, in, pol.RepeatWindowDays)
		if err != nil {
			return err
		}
		if repeatOf != nil && !in.HasFlag(routing.FlagRepeat) {
			in.Flags = append(in.Flags, routing.FlagRepeat)
		}
		dec, err := router.Route(in)
		if err != nil {
			return err
		}
		if ok, err := orgKnown(tx, dec.OrgCode); err != nil || !ok {
			if err == nil {
				err = jiefen.Errorf(jiefen.EINTERNAL, "routing rule %s names org %s, which does not exist", dec.Rule, dec.OrgCode)
			}
			return err
		}
		code, err := db.nextCode(tx, pol.CodePrefix, in.ReceivedOn.Year())
		if err != nil {
			return err
		}
		row := disputeRow{Code: code, Title: in.Title, Description: in.Description, Category: string(in.Category),
			Source: string(in.Source), SourceRef: in.SourceRef, Township: in.Township, AmountFen: in.AmountFen,
			OccurredOn: dateOfPtr(in.OccurredOn), ReceivedOn: dateOf(in.ReceivedOn), Flags: joinFlags(in.Flags),
			Recused: strings.Join(in.Recused, ","), Priority: string(dec.Priority), Track: string(dec.Track),
			OrgCode: dec.OrgCode, Rule: dec.Rule, Reason: dec.Reason, Guidance: dec.Guidance, ClockRule: dec.ClockRule,
			DueOn: dateOfPtr(dec.Due), Basis: dec.Basis, IntakeOrg: actor.OrgCode, RepeatOf: repeatOf,
			RulesVersion: router.Version(), Version: 1, CreatedBy: actor.Username, CreatedAt: now, UpdatedAt: now}
		row.Status = string(routing.StatusGuided)
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		id = row.ID
		parties := make([]partyRow, len(in.Parties))
		for i, p := range in.Parties {
			parties[i] = partyRow{DisputeID: row.ID, Position: i, Role: string(p.Role), Name: p.Name, IDType: string(p.IDType),
				IDNumber: p.IDNumber, Phone: p.Phone, Address: p.Address}
		}
		if len(parties) > 0 {
			if err := tx.Create(&parties).Error; err != nil {
				return err
			}
		}
		if dec.Track.Mediates() {
			if err := db.openCase(ctx, tx, &row, in.ReceivedOn, pol.MediatorCapacity, in.Recused, now); err != nil {
				return err
			}
		}
		if err := tx.Create(&historyRow{DisputeID: row.ID, Track: row.Track, OrgCode: row.OrgCode, Assignee: row.Assignee,
			Rule: row.Rule, Reason: row.Reason, At: now, ByUser: actor.Username}).Error; err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, change{action: "dispute.create", targetType: "dispute", targetID: code,
			after: auditView(row)})
	})
	if err != nil {
		return routing.Dispute{}, err
	}
	return db.Dispute(ctx, strconv.FormatInt(id, 10))
}

// auditView is what an audit digest covers of a dispute: its routing, not
// its parties' personal data.
func auditView(r disputeRow) map[string]any {
	return map[string]any{"code": r.Code, "status": r.Status, "track": r.Track, "org": r.OrgCode,
		"assignee": r.Assignee, "rule": r.Rule, "version": r.Version, "case_id": r.CaseID}
}

func orgKnown(tx *gorm.DB, code string) (bool, error) {
	var n int64
	err := tx.Model(&orgRow{}).Where("code = ?", code).Count(&n).Error
	return n > 0, err
}

// findRepeat returns the id of the latest dispute of the same category that
// names one of in's parties by ID number within the last window days.
func findRepeat(tx *gorm.DB, in routing.Intake, window int) (*int64, error) {
	var ids []string
	for _, p := range in.Parties {
		if p.IDNumber != "" {
			ids = append(ids, p.IDNumber)
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	var found []int64
	err := tx.Raw(`SELECT d.id FROM disputes d JOIN dispute_parties p ON p.dispute_id = d.id
		WHERE p.id_number IN ? AND d.category = ? AND d.received_on >= ? AND d.received_on <= ?
		ORDER BY d.received_on DESC, d.id DESC LIMIT 1`,
		ids, string(in.Category), dateOf(in.ReceivedOn.AddDays(-window)), dateOf(in.ReceivedOn)).Scan(&found).Error
	if err != nil || len(found) == 0 {
		return nil, err
	}
	return &found[0], nil
}

// nextCode hands out the next code of the year: the counter row is locked
// by its update, so replicas sharing one database never hand out the same.
func (db *DB) nextCode(tx *gorm.DB, prefix string, year int) (string, error) {
	if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&counterRow{Year: year, Last: 0}).Error; err != nil {
		return "", err
	}
	if err := tx.Exec("UPDATE dispute_counters SET last = last + 1 WHERE year = ?", year).Error; err != nil {
		return "", err
	}
	var last int64
	if err := tx.Raw("SELECT last FROM dispute_counters WHERE year = ?", year).Scan(&last).Error; err != nil {
		return "", err
	}
	return fmt.Sprintf("%s-%d-%06d", prefix, year, last), nil
}

type counterRow struct {
	Year int `gorm:"primaryKey;autoIncrement:false"`
	Last int64
}

func (counterRow) TableName() string { return "dispute_counters" }

func joinFlags(fs []routing.Flag) string {
	s := make([]string, len(fs))
	for i, f := range fs {
		s[i] = string(f)
	}
	return strings.Join(s, ",")
}

func splitList(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}

// openCase opens the mediation case of d's track and org and assigns it.
func (db *DB) openCase(ctx context.Context, tx *gorm.DB, d *disputeRow, on calendar.Date, capacity int, recused []string, now time.Time) error {
	c := mediationCaseRow{DisputeID: d.ID, Track: d.Track, OrgCode: d.OrgCode, State: "waiting", OpenedOn: dateOf(on),
		ClockRule: d.ClockRule, Version: 1, CreatedAt: now, UpdatedAt: now}
	pick, reason, err := db.pickMediator(tx, d.OrgCode, capacity, recused)
	if err != nil {
		return err
	}
	if pick != "" {
		c.Assignee, c.State, c.AssignedAt = pick, "assigned", &now
	}
	if err := tx.Create(&c).Error; err != nil {
		return err
	}
	actor, _ := jiefen.ActorFrom(ctx)
	if err := tx.Create(&assignmentRow{CaseID: c.ID, Assignee: pick, Reason: reason, At: now, ByUser: actor.Username}).Error; err != nil {
		return err
	}
	d.CaseID, d.Assignee = &c.ID, pick
	d.Status = string(routing.StatusRouted)
	if pick == "" {
		d.Status = string(routing.StatusWaiting)
	}
	return tx.Model(&disputeRow{}).Where("id = ?", d.ID).Updates(map[string]any{
		"case_id": c.ID, "assignee": pick, "status": d.Status}).Error
}

// pickMediator chooses, among the org's active mediators, the one with the
// fewest open cases under capacity, skipping the recused; ties go to the
// one assigned least recently (round robin), then by name. The mediators'
// rows are locked so that concurrent intakes on several replicas do not
// overfill one mediator. It returns "" and the reason when nobody is free.
func (db *DB) pickMediator(tx *gorm.DB, org string, capacity int, recused []string) (string, string, error) {
	var names []string
	if err := tx.Raw("SELECT username FROM users WHERE role = ? AND org_code = ? AND active = ? ORDER BY username"+db.forUpdate(),
		string(jiefen.RoleMediator), org, true).Scan(&names).Error; err != nil {
		return "", "", err
	}
	if len(names) == 0 {
		return "", "the org has no active mediator; the case waits for the intake desk", nil
	}
	type load struct {
		Assignee string
		Open     int
		Last     anyTime
	}
	var loads []load
	if err := tx.Raw(`SELECT assignee, SUM(CASE WHEN state NOT IN ? THEN 1 ELSE 0 END) AS open, MAX(assigned_at) AS last
		FROM mediation_cases WHERE org_code = ? AND assignee <> '' GROUP BY assignee`, closedCaseStates, org).Scan(&loads).Error; err != nil {
		return "", "", err
	}
	byName := map[string]load{}
	for _, l := range loads {
		byName[l.Assignee] = l
	}
	best, bestLoad, skipped := "", load{}, 0
	for _, n := range names {
		if slices.Contains(recused, n) {
			skipped++
			continue
		}
		l := byName[n]
		if l.Open >= capacity {
			continue
		}
		if best == "" || l.Open < bestLoad.Open || (l.Open == bestLoad.Open && earlier(l.Last, bestLoad.Last)) {
			best, bestLoad = n, l
		}
	}
	if best == "" {
		return "", fmt.Sprintf("all %d mediators of the org are at capacity (%d open cases) or recused; the case waits for the intake desk", len(names), capacity), nil
	}
	reason := fmt.Sprintf("fewest open cases in the org (%d of %d)", bestLoad.Open, capacity)
	if skipped > 0 {
		reason += fmt.Sprintf("; %d recused mediator(s) skipped", skipped)
	}
	return best, reason, nil
}

// earlier orders last-assignment times: never assigned comes first.
func earlier(a, b anyTime) bool {
	switch {
	case !a.Valid:
		return b.Valid
	case !b.Valid:
		return false
	}
	return a.Time.Before(b.Time)
}
