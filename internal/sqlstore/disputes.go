package sqlstore

import (
	"database/sql"
	"strings"
	"time"

	"gorm.io/gorm"

	"jiefen"
	"jiefen/calendar"
	"jiefen/mediation"
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
	Parties      string // JSON
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
	IntakeOrg    string
	RepeatOf     *int64
	RulesVersion int
	Version      int64
	CreatedBy    string
	CreatedAt    time.Time
	UpdatedAt    time.Time

	// TitleSealed, DescriptionSealed and ReasonSealed are the whole title,
	// description and routing reason (a transfer's, as staff typed it),
	// sealed, when masking changed them; Title, Description and Reason keep
	// them masked (see freetext.go).
	TitleSealed       *string
	DescriptionSealed *string
	ReasonSealed      *string
}

func (disputeRow) TableName() string { return "disputes" }

// partyIDRow indexes the ID numbers of a dispute's parties, for repeat
// detection; the parties themselves are kept with the dispute. The
// dispute's category and day of receipt, fixed at intake, are kept beside
// each number so that a party's latest dispute of a category is one index
// step away (priorDisputes).
type partyIDRow struct {
	IDNumber   string `gorm:"primaryKey"`
	DisputeID  int64  `gorm:"primaryKey;autoIncrement:false"`
	Category   string
	ReceivedOn sqlDate
}

func (partyIDRow) TableName() string { return "dispute_party_ids" }

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

	// ReasonSealed is the whole reason, sealed, when masking changed it;
	// Reason keeps it masked (see freetext.go).
	ReasonSealed *string
}

func (historyRow) TableName() string { return "dispute_history" }

type mediationCaseRow struct {
	ID           int64 `gorm:"primaryKey"`
	DisputeID    int64
	Track        string
	OrgCode      string
	Assignee     string
	State        string
	OpenedOn     sqlDate
	AssignedAt   *time.Time
	ClockRule    string
	AssignReason string
	Tier         string
	AcceptedOn   sqlDate
	ClosedOn     sqlDate
	NextDue      sqlDate // the queue's order: the earliest live duty
	LateOn       sqlDate // the day its last duty done late was done (超期办结)
	QueueRank    int     // where it stands in a work queue, before next_due (queueRank)
	SubsidyOn    sqlDate // the day the case earned its 以案定补 subsidy
	Dossier      *string // sessions, agreement or failure, confirmation (JSON), its texts masked
	Version      int64
	CreatedAt    time.Time
	UpdatedAt    time.Time

	// DossierSealed is the whole dossier, sealed, when masking changed it
	// (see freetext.go).
	DossierSealed *string
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

// IntakePolicy is the intake's rules (routing.Policy) and how long an
// answer is kept under its Idempotency-Key.
type IntakePolicy struct {
	routing.Policy
	IdempotencyTTL time.Duration
}

// auditView is what an audit digest covers of a dispute: its routing, not
// its parties' personal data.
func auditView(r disputeRow) map[string]any {
	return map[string]any{"code": r.Code, "status": r.Status, "track": r.Track, "org": r.OrgCode,
		"assignee": r.Assignee, "rule": r.Rule, "version": r.Version}
}

func orgKnown(tx *gorm.DB, code string) (bool, error) {
	var n int64
	err := tx.Model(&orgRow{}).Where("code = ?", code).Count(&n).Error
	return n > 0, err
}

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

// openCase opens the mediation case of d's track and org and assigns it,
// keeping the reason of the assignment on the case.
func (s Disputes) openCase(tx *gorm.DB, d *disputeRow, on calendar.Date, capacity int, recused []string, now time.Time) error {
	c := mediationCaseRow{DisputeID: d.ID, Track: d.Track, OrgCode: d.OrgCode, State: "waiting", OpenedOn: dateOf(on),
		ClockRule: d.ClockRule, QueueRank: rankIdle, Version: 1, CreatedAt: now, UpdatedAt: now}
	pool, err := s.mediatorPool(tx, []string{d.OrgCode})
	if err != nil {
		return err
	}
	pick, reason := pool.pick(d.OrgCode, capacity, recused, now)
	if sql, vars := pool.update(); sql != "" && !s.multiPrimary {
		if err := tx.Exec(sql, vars...).Error; err != nil {
			return err
		}
	}
	c.AssignReason = reason
	if pick != "" {
		c.Assignee, c.State, c.AssignedAt = pick, "assigned", &now
	}
	if err := tx.Create(&c).Error; err != nil {
		return err
	}
	d.Assignee = pick
	d.Status = string(routing.StatusAfter(routing.Track(d.Track), pick))
	return tx.Model(&disputeRow{}).Where("id = ?", d.ID).Updates(map[string]any{"assignee": pick, "status": d.Status}).Error
}

// mediatorPool is the load of the active mediators of some orgs, read
// once and kept up to date in memory while a batch assigns cases.
type mediatorPool struct {
	names  map[string][]string // org → mediators, by name
	open   map[string]int
	last   map[string]anyTime
	picked map[string]bool
	tick   time.Duration
}

// openCaseStates are mediation.OpenStates as the state column holds them.
func openCaseStates() []string {
	var out []string
	for _, s := range mediation.OpenStates() {
		out = append(out, string(s))
	}
	return out
}

// mediatorPool reads the orgs' active mediators, when each was last given
// a case, and their open cases. The mediators' rows are locked (in name order) so that
// concurrent intakes on several replicas do not overfill one mediator.
//
// When several nodes take writes (multiPrimary) those rows would be rows
// that every intake into the org locks and updates, and on a Galera
// cluster a lock taken on one node does not hold on another: every two
// intakes into one org on two nodes would conflict. The rows are then read
// without a lock and never stamped; when a mediator was last given a case
// is the latest assignment among their open cases (the stamp of the rows,
// where they have none). The price, written down in docs/SCALING.md: two
// intakes into one org on two nodes at the same instant may both pick the
// same mediator, who may then hold one case above the capacity per node.
func (s Disputes) mediatorPool(tx *gorm.DB, orgs []string) (*mediatorPool, error) {
	p := &mediatorPool{names: map[string][]string{}, open: map[string]int{}, last: map[string]anyTime{}, picked: map[string]bool{}}
	if len(orgs) == 0 {
		return p, nil
	}
	lock := s.forUpdate()
	if s.multiPrimary {
		lock = ""
	}
	err := scanQuery(tx, func(rows *sql.Rows) error {
		for rows.Next() {
			var name, org string
			var last anyTime
			if err := rows.Scan(&name, &org, &last); err != nil {
				return err
			}
			p.names[org] = append(p.names[org], name)
			p.last[name] = last
		}
		return rows.Err()
	}, "SELECT username, org_code, last_assigned_at FROM users WHERE org_code IN ? AND role = ? AND active = ? ORDER BY username"+lock,
		orgs, string(jiefen.RoleMediator), true)
	if err != nil {
		return nil, err
	}
	return p, scanQuery(tx, func(rows *sql.Rows) error {
		for rows.Next() {
			var name string
			var open int
			var last anyTime
			if err := rows.Scan(&name, &open, &last); err != nil {
				return err
			}
			p.open[name] = open
			if s.multiPrimary && last.Valid {
				p.last[name] = last
			}
		}
		return rows.Err()
	}, `SELECT assignee, COUNT(*), MAX(assigned_at) FROM mediation_cases
		WHERE org_code IN ? AND state IN ? AND assignee <> '' GROUP BY assignee`, orgs, openCaseStates())
}

// pick assigns a case of org by routing.Assign and counts the pick in the
// pool, so that the next case of a batch sees it.
func (p *mediatorPool) pick(org string, capacity int, recused []string, now time.Time) (string, string) {
	names := p.names[org]
	mediators := make([]routing.Mediator, len(names))
	for i, n := range names {
		mediators[i] = routing.Mediator{Username: n, Open: p.open[n]}
		if p.last[n].Valid {
			mediators[i].LastAssigned = p.last[n].Time
		}
	}
	a := routing.Assign(mediators, capacity, recused)
	if a.Mediator == "" {
		return "", a.Reason
	}
	p.open[a.Mediator]++
	p.tick++ // later picks of one batch count as later, for the round robin
	p.last[a.Mediator] = anyTime{Time: now.Add(p.tick), Valid: true}
	p.picked[a.Mediator] = true
	return a.Mediator, a.Reason
}

// update is the statement that records when the picked mediators were
// last given a case, or "" when nobody was picked.
func (p *mediatorPool) update() (string, []any) {
	if len(p.picked) == 0 {
		return "", nil
	}
	var sql strings.Builder
	var args []any
	names := make([]string, 0, len(p.picked))
	sql.WriteString("UPDATE users SET last_assigned_at = CASE username")
	for name := range p.picked {
		sql.WriteString(" WHEN ? THEN ?")
		args = append(args, name, p.last[name].Time)
		names = append(names, name)
	}
	sql.WriteString(" END WHERE username IN ?")
	return sql.String(), append(args, names)
}
