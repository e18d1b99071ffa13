package sqlstore

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"

	"jiefen"
	"jiefen/calendar"
	"jiefen/litigation"
)

type litRow struct {
	ID                int64 `gorm:"primaryKey"`
	Canonical         string
	AsEntered         string
	Year              int
	CourtCode         string
	TypeCode          string
	Serial            int
	Defendant         string
	Plaintiff         string
	Cause             string
	FiledOn           sqlDate
	KeyFlags          string
	PreviousID        *int64
	ReconsiderationID *int64
	Hearings          string
	Result            string
	ConcludedOn       sqlDate
	LossCauses        string
	Version           int64
	CreatedBy         string
	CreatedAt         time.Time
	UpdatedAt         time.Time

	PlaintiffKind       string
	PlaintiffCreditCode string
}

func (litRow) TableName() string { return "litigation_cases" }

// litCase is the case of a row with its defendants (litigation_defendants,
// read by loadDefendants; the row's own defendant when none are given).
func (r litRow) litCase(defendants []string) (litigation.Case, error) {
	if len(defendants) == 0 {
		defendants = []string{r.Defendant}
	}
	c := litigation.Case{ID: r.ID, CaseNumber: litigation.CaseNumber{Canonical: r.Canonical, AsEntered: r.AsEntered, Year: r.Year,
		CourtCode: r.CourtCode, TypeCode: r.TypeCode, Serial: r.Serial}, Defendant: r.Defendant,
		Defendants: append([]string(nil), defendants...), Plaintiff: r.Plaintiff,
		PlaintiffKind: plaintiffKind(r.PlaintiffKind), PlaintiffCreditCode: r.PlaintiffCreditCode, Cause: r.Cause,
		FiledOn: r.FiledOn.Date, KeyFlags: []litigation.KeyFlag{}, PreviousID: r.PreviousID,
		ReconsiderationID: r.ReconsiderationID, Clocks: []calendar.Reading{}, Version: r.Version, CreatedAt: r.CreatedAt.UTC(),
		UpdatedAt: r.UpdatedAt.UTC()}
	for _, k := range splitList(r.KeyFlags) {
		c.KeyFlags = append(c.KeyFlags, litigation.KeyFlag(k))
	}
	if err := json.Unmarshal([]byte(r.Hearings), &c.Hearings); err != nil {
		return c, fmt.Errorf("sqlstore: the hearings of litigation case %d: %w", r.ID, err)
	}
	if c.Hearings == nil {
		c.Hearings = []litigation.Hearing{}
	}
	if r.Result != "" {
		o := &litigation.Outcome{Result: litigation.Result(r.Result), ConcludedOn: r.ConcludedOn.Date, LossCauses: []litigation.LossCause{}}
		for _, lc := range splitList(r.LossCauses) {
			o.LossCauses = append(o.LossCauses, litigation.LossCause(lc))
		}
		c.Outcome = o
	}
	return c, nil
}

// plaintiffKind is the kind of a plaintiff as stored: a person unless
// entered as an organisation (a suit read from a court's spreadsheet
// names its plaintiff only).
func plaintiffKind(k string) jiefen.PartyKind {
	if k == "" {
		return jiefen.PartyPerson
	}
	return jiefen.PartyKind(k)
}

func litRowOf(c litigation.Case) (litRow, error) {
	hs, err := json.Marshal(c.Hearings)
	if err != nil {
		return litRow{}, err
	}
	flags := make([]string, len(c.KeyFlags))
	for i, k := range c.KeyFlags {
		flags[i] = string(k)
	}
	n := c.CaseNumber
	r := litRow{ID: c.ID, Canonical: n.Canonical, AsEntered: n.AsEntered, Year: n.Year, CourtCode: n.CourtCode, TypeCode: n.TypeCode,
		Serial: n.Serial, Defendant: c.Defendant, Plaintiff: c.Plaintiff, PlaintiffKind: string(plaintiffKind(string(c.PlaintiffKind))),
		PlaintiffCreditCode: c.PlaintiffCreditCode, Cause: c.Cause, FiledOn: dateOf(c.FiledOn),
		KeyFlags: strings.Join(flags, ","), PreviousID: c.PreviousID, ReconsiderationID: c.ReconsiderationID, Hearings: string(hs),
		Version: c.Version}
	if o := c.Outcome; o != nil {
		causes := make([]string, len(o.LossCauses))
		for i, lc := range o.LossCauses {
			causes[i] = string(lc)
		}
		r.Result, r.ConcludedOn, r.LossCauses = string(o.Result), dateOf(o.ConcludedOn), strings.Join(causes, ",")
	}
	return r, nil
}

// defendantRow is one defendant of a case, the first at position 0.
type defendantRow struct {
	CaseID   int64 `gorm:"primaryKey"`
	Position int   `gorm:"primaryKey"`
	OrgCode  string
}

func (defendantRow) TableName() string { return "litigation_defendants" }

// loadDefendants reads the defendants of cases, in order, by case id.
func loadDefendants(q *gorm.DB, ids []int64) (map[int64][]string, error) {
	out := make(map[int64][]string, len(ids))
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), 1000)]
		ids = ids[len(chunk):]
		var rows []defendantRow
		if err := q.Where("case_id IN ?", chunk).Order("case_id, position").Find(&rows).Error; err != nil {
			return nil, err
		}
		for _, r := range rows {
			out[r.CaseID] = append(out[r.CaseID], r.OrgCode)
		}
	}
	return out, nil
}

// factRow is one fact a case contributes to the statistics, for one of its
// defendants.
type factRow struct {
	CaseID int64
	Figure string
	OnDay  sqlDate
	Month  string
	Agency string
}

func (factRow) TableName() string { return "litigation_facts" }

// rollupKey is one cell of the monthly rollup: the number of distinct
// cases of an agency with a fact of a figure in a month. The city's cells
// have the agency cityRollup.
type rollupKey struct {
	agency, month string
	figure        litigation.Figure
}

// cityRollup is the agency of the rollup cells that count every case of
// the city once, however many defendants it has (no org has the code "").
const cityRollup = ""

// cells are the rollup cells a case counts in, once each: those of each
// of its defendants and the city's.
func cells(c *litigation.Case) map[rollupKey]bool {
	out := map[rollupKey]bool{}
	if c == nil {
		return out
	}
	for _, f := range c.Facts() {
		for _, agency := range append([]string{cityRollup}, c.Defendants...) {
			out[rollupKey{agency, litigation.Month(f.On), f.Figure}] = true
		}
	}
	return out
}

// edgeKey is one count of the day rollup litigation_edges: a group (a
// case's facts of one figure in one month under one agency, the city's
// being cityRollup) counted on the day of its first fact of the month
// (edgeFirst) or of its last (edgeLast).
type edgeKey struct {
	edge   string
	day    calendar.Date
	agency string
	figure litigation.Figure
}

// The two kinds of rows of litigation_edges.
const (
	edgeFirst = "first"
	edgeLast  = "last"
)

// edgeRow is a row of litigation_edges: the counts of one edge, day and
// agency, a figure per column.
type edgeRow struct {
	edge   string
	day    calendar.Date
	agency string
}

// figureCounts holds a count per figure, in the order of
// litigation.Figures (TestFigureCountsHoldEveryFigure).
type figureCounts [7]int

// figureAt is the place of f in litigation.Figures.
func figureAt(f litigation.Figure) int { return slices.Index(litigation.Figures, f) }

// linkKey is one count of litigation_links: two months in a row in which a
// case has facts of a figure under an agency, by the day of the last fact
// of the earlier month and of the first of the later.
type linkKey struct {
	from, to calendar.Date
	agency   string
	figure   litigation.Figure
}

// linkRow is a row of litigation_links: the counts of one pair of days and
// agency, a figure per column.
type linkRow struct {
	from, to calendar.Date
	agency   string
}

// monthRow is a row of litigation_months: the counts of one month
// (YYYY-MM) and agency, a figure per column.
type monthRow struct {
	month, agency string
}

// linkMonthRow is a row of litigation_link_months: the rows of
// litigation_links summed by the months (YYYY-MM) of their two days.
type linkMonthRow struct {
	from, to, agency string
}

// dayCells are the counts of the day rollups a case is in, once each: for
// each group of its facts (one figure in one month under one agency), the
// day of its first and of its last fact (litigation_edges); and for each
// two of a figure's and agency's months in a row, the last day of the
// earlier and the first of the later (litigation_links).
func dayCells(c *litigation.Case) (map[edgeKey]bool, map[linkKey]bool) {
	edges, links := map[edgeKey]bool{}, map[linkKey]bool{}
	if c == nil {
		return edges, links
	}
	type group struct {
		month, agency string
		figure        litigation.Figure
	}
	first, last := map[group]calendar.Date{}, map[group]calendar.Date{}
	for _, f := range c.Facts() {
		for _, agency := range append([]string{cityRollup}, c.Defendants...) {
			g := group{litigation.Month(f.On), agency, f.Figure}
			if d, ok := first[g]; !ok || f.On < d {
				first[g] = f.On
			}
			if d, ok := last[g]; !ok || f.On > d {
				last[g] = f.On
			}
		}
	}
	type series struct {
		agency string
		figure litigation.Figure
	}
	months := map[series][]string{}
	for g, d := range first {
		edges[edgeKey{edgeFirst, d, g.agency, g.figure}] = true
		edges[edgeKey{edgeLast, last[g], g.agency, g.figure}] = true
		k := series{g.agency, g.figure}
		months[k] = append(months[k], g.month)
	}
	for k, ms := range months {
		slices.Sort(ms)
		for i := 1; i < len(ms); i++ {
			before, after := group{ms[i-1], k.agency, k.figure}, group{ms[i], k.agency, k.figure}
			links[linkKey{last[before], first[after], k.agency, k.figure}] = true
		}
	}
	return edges, links
}

// refreshFacts replaces the facts of a case (one per defendant) and moves
// the rollups by the difference between the case before (nil when new) and
// after, in the caller's transaction: the rollups are never out of step
// with the cases. The case's defendants (litigation_defendants) are
// written with them when they changed.
func (s Litigation) refreshFacts(tx *gorm.DB, before, after *litigation.Case) error {
	d := newRollupDelta()
	if err := s.writeFacts(tx, []*litigation.Case{before}, []*litigation.Case{after}, d); err != nil {
		return err
	}
	return s.applyRollups(tx, d)
}

// writeFacts replaces the facts and defendants of many cases at once (one
// delete, one insert whatever their number) and adds to d how they move
// the rollups, which the caller applies (applyRollups) or leaves pending
// (pendRollups) in the same transaction.
func (s Litigation) writeFacts(tx *gorm.DB, befores, afters []*litigation.Case, d rollupDelta) error {
	var stale, moved []int64
	var defendants []defendantRow
	for i, b := range befores {
		if b != nil {
			stale = append(stale, b.ID)
		}
		if a := afters[i]; b == nil || !slices.Equal(b.Defendants, a.Defendants) {
			if b != nil {
				moved = append(moved, b.ID)
			}
			for pos, code := range a.Defendants {
				defendants = append(defendants, defendantRow{CaseID: a.ID, Position: pos, OrgCode: code})
			}
		}
	}
	if len(moved) > 0 {
		if err := tx.Exec("DELETE FROM litigation_defendants WHERE case_id IN ?", moved).Error; err != nil {
			return err
		}
	}
	if len(defendants) > 0 {
		if err := tx.Create(&defendants).Error; err != nil {
			return err
		}
	}
	if len(stale) > 0 {
		if err := tx.Exec("DELETE FROM litigation_facts WHERE case_id IN ?", stale).Error; err != nil {
			return err
		}
	}
	var facts []factRow
	for i, after := range afters {
		for _, f := range after.Facts() {
			for _, agency := range after.Defendants {
				facts = append(facts, factRow{CaseID: after.ID, Figure: string(f.Figure), OnDay: dateOf(f.On), Month: litigation.Month(f.On), Agency: agency})
			}
		}
		d.move(befores[i], after)
	}
	if len(facts) > 0 {
		if err := tx.Create(&facts).Error; err != nil {
			return err
		}
	}
	return nil
}

// rollupDelta is how changes to cases move the rollups: the monthly cells
// (litigation_months) and the rows of the day rollups (litigation_edges,
// litigation_links and, summed from them, litigation_link_months).
type rollupDelta struct {
	months map[rollupKey]int
	edges  map[edgeRow]figureCounts
	links  map[linkRow]figureCounts
}

func newRollupDelta() rollupDelta {
	return rollupDelta{months: map[rollupKey]int{}, edges: map[edgeRow]figureCounts{}, links: map[linkRow]figureCounts{}}
}

// addEdge moves the count of k by n.
func (d rollupDelta) addEdge(k edgeKey, n int) {
	r := edgeRow{k.edge, k.day, k.agency}
	c := d.edges[r]
	c[figureAt(k.figure)] += n
	d.edges[r] = c
}

// addLink moves the count of k by n.
func (d rollupDelta) addLink(k linkKey, n int) {
	r := linkRow{k.from, k.to, k.agency}
	c := d.links[r]
	c[figureAt(k.figure)] += n
	d.links[r] = c
}

// move adds the change of one case from before (nil when new) to after.
func (d rollupDelta) move(before, after *litigation.Case) {
	diff(cells(before), cells(after), func(k rollupKey, n int) { d.months[k] += n })
	oldEdges, oldLinks := dayCells(before)
	curEdges, curLinks := dayCells(after)
	diff(oldEdges, curEdges, d.addEdge)
	diff(oldLinks, curLinks, d.addLink)
}

// diff calls add(k, 1) for each count in cur and not in old, and add(k, -1)
// for each in old and not in cur.
func diff[K comparable](old, cur map[K]bool, add func(k K, n int)) {
	for k := range cur {
		if !old[k] {
			add(k, 1)
		}
	}
	for k := range old {
		if !cur[k] {
			add(k, -1)
		}
	}
}

// applyRollups moves the rollups by d: an upsert per table (in chunks of
// rollupChunk rows), each in key order so that concurrent changes lock
// the rows in one order.
func (s Litigation) applyRollups(tx *gorm.DB, d rollupDelta) error {
	months := map[monthRow]figureCounts{}
	for k, n := range d.months {
		m := monthRow{k.month, k.agency}
		c := months[m]
		c[figureAt(k.figure)] += n
		months[m] = c
	}
	err := moveRows(s, tx, "litigation_months", []string{"month", "agency"}, months, func(a, b monthRow) int {
		return cmp.Or(cmp.Compare(a.month, b.month), cmp.Compare(a.agency, b.agency))
	}, func(k monthRow) []any { return []any{k.month, k.agency} })
	if err != nil {
		return err
	}
	err = moveRows(s, tx, "litigation_edges", []string{"edge", "on_day", "agency"}, d.edges, func(a, b edgeRow) int {
		return cmp.Or(cmp.Compare(a.edge, b.edge), cmp.Compare(a.day, b.day), cmp.Compare(a.agency, b.agency))
	}, func(k edgeRow) []any { return []any{k.edge, dateOf(k.day), k.agency} })
	if err != nil {
		return err
	}
	err = moveRows(s, tx, "litigation_links", []string{"from_day", "to_day", "agency"}, d.links, func(a, b linkRow) int {
		return cmp.Or(cmp.Compare(a.from, b.from), cmp.Compare(a.to, b.to), cmp.Compare(a.agency, b.agency))
	}, func(k linkRow) []any { return []any{dateOf(k.from), dateOf(k.to), k.agency} })
	if err != nil {
		return err
	}
	linkMonths := map[linkMonthRow]figureCounts{}
	for k, c := range d.links {
		m := linkMonthRow{litigation.Month(k.from), litigation.Month(k.to), k.agency}
		sum := linkMonths[m]
		for i, n := range c {
			sum[i] += n
		}
		linkMonths[m] = sum
	}
	return moveRows(s, tx, "litigation_link_months", []string{"from_month", "to_month", "agency"}, linkMonths, func(a, b linkMonthRow) int {
		return cmp.Or(cmp.Compare(a.from, b.from), cmp.Compare(a.to, b.to), cmp.Compare(a.agency, b.agency))
	}, func(k linkMonthRow) []any { return []any{k.from, k.to, k.agency} })
}

// rollupChunk is the most rows one upsert of a rollup writes.
const rollupChunk = 2000

// moveRows adds delta to the rows of a day rollup, table, whose key
// columns keyCols hold key(k), in the order of compare so that concurrent
// changes lock the rows in one order.
func moveRows[K comparable](s Litigation, tx *gorm.DB, table string, keyCols []string, delta map[K]figureCounts,
	compare func(a, b K) int, key func(K) []any) error {
	keys := make([]K, 0, len(delta))
	for k, c := range delta {
		if c != (figureCounts{}) {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, compare)
	values := make([][]any, len(keys))
	counts := make([]figureCounts, len(keys))
	for i, k := range keys {
		values[i], counts[i] = key(k), delta[k]
	}
	return s.addCounts(tx, table, keyCols, values, counts)
}

// addCounts adds counts to the rows of a day rollup whose keys (the
// columns keyCols) are keys, creating the rows missing, in upserts of at
// most rollupChunk rows.
func (s Litigation) addCounts(tx *gorm.DB, table string, keyCols []string, keys [][]any, counts []figureCounts) error {
	cols := figureNames()
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(keyCols)+len(cols)), ", ") + ")"
	var update strings.Builder
	if s.dialect == "mysql" {
		update.WriteString(" ON DUPLICATE KEY UPDATE ")
	} else {
		update.WriteString(" ON CONFLICT (" + strings.Join(keyCols, ", ") + ") DO UPDATE SET ")
	}
	for i, c := range cols {
		if i > 0 {
			update.WriteString(", ")
		}
		if s.dialect == "mysql" {
			fmt.Fprintf(&update, "%s = %s + VALUES(%s)", c, c, c)
		} else {
			fmt.Fprintf(&update, "%s = %s + excluded.%s", c, c, c)
		}
	}
	for start := 0; start < len(keys); start += rollupChunk {
		end := min(start+rollupChunk, len(keys))
		var sql strings.Builder
		args := make([]any, 0, (end-start)*(len(keyCols)+len(cols)))
		sql.WriteString("INSERT INTO " + table + " (" + strings.Join(append(slices.Clone(keyCols), cols...), ", ") + ") VALUES ")
		for i := start; i < end; i++ {
			if i > start {
				sql.WriteString(", ")
			}
			sql.WriteString(row)
			args = append(args, keys[i]...)
			for _, n := range counts[i] {
				args = append(args, n)
			}
		}
		sql.WriteString(update.String())
		if err := tx.Exec(sql.String(), args...).Error; err != nil {
			return err
		}
	}
	return nil
}

// ResolveAgency returns the code of the administrative body (see
// resolveAgency) that ref names, or a problem on field.
func (s Litigation) ResolveAgency(ctx context.Context, ref, field string) (string, error) {
	var p jiefen.Problems
	code, err := resolveAgency(s.read(ctx), strings.TrimSpace(ref), field, &p)
	if err != nil {
		return "", translate(err)
	}
	return code, p.Err()
}

// checkLinks names a linked case that does not exist.
func checkLinks(tx *gorm.DB, previous, recon *int64, self int64) error {
	var p jiefen.Problems
	if previous != nil {
		var n int64
		if err := tx.Model(&litRow{}).Where("id = ? AND id <> ?", *previous, self).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			p.Add("previous_id", "no other litigation case %d", *previous)
		}
	}
	if recon != nil {
		var n int64
		if err := tx.Model(&reconRow{}).Where("id = ?", *recon).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			p.Add("reconsideration_id", "no reconsideration case %d", *recon)
		}
	}
	return p.Err()
}

// resolveDefendants returns the org codes of every defendant f names
// (resolveAgency), each once and in order, recording a problem per name
// that finds no single body.
func resolveDefendants(q *gorm.DB, f *litigation.Filing, p *jiefen.Problems) ([]string, error) {
	var codes []string
	for i, ref := range f.Named() {
		code, err := resolveAgency(q, ref, f.DefendantField(i), p)
		if err != nil {
			return nil, err
		}
		if code != "" && !slices.Contains(codes, code) {
			codes = append(codes, code)
		}
	}
	return codes, nil
}

// CreateLitigation registers a lawsuit: every defendant resolved to an
// administrative body (the first is the case's defendant, the others its
// co-defendants), the links checked, one case per canonical case number
// (409 on a second), its defendants, facts and rollups written in the same
// transaction.
func (s Litigation) CreateLitigation(ctx context.Context, f litigation.Filing, n litigation.CaseNumber) (litigation.Case, error) {
	actor, _ := jiefen.ActorFrom(ctx)
	now := s.Now()
	var id int64
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var p jiefen.Problems
		codes, err := resolveDefendants(tx, &f, &p)
		if err != nil {
			return err
		}
		if err := checkLinks(tx, f.PreviousID, f.ReconsiderationID, 0); err != nil {
			p = append(p, err.(*jiefen.Error).Fields...)
		}
		if err := p.Err(); err != nil {
			return err
		}
		var existing int64
		if err := tx.Raw("SELECT id FROM litigation_cases WHERE canonical = ?", n.Canonical).Scan(&existing).Error; err != nil {
			return err
		}
		if existing != 0 {
			return jiefen.Errorf(jiefen.ECONFLICT, "case number %s is already registered (litigation case %d)", n.Canonical, existing)
		}
		flags := f.KeyFlags
		if flags == nil {
			flags = []litigation.KeyFlag{}
		}
		c := litigation.Case{CaseNumber: n, Defendant: codes[0], Defendants: codes, Plaintiff: f.Plaintiff, PlaintiffKind: f.PlaintiffKind,
			PlaintiffCreditCode: f.PlaintiffCreditCode, Cause: f.Cause, FiledOn: f.FiledOn, KeyFlags: flags,
			PreviousID: f.PreviousID, ReconsiderationID: f.ReconsiderationID, Hearings: []litigation.Hearing{}, Version: 1}
		row, err := litRowOf(c)
		if err != nil {
			return err
		}
		row.CreatedBy, row.CreatedAt, row.UpdatedAt = actor.Username, now, now
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		id, c.ID = row.ID, row.ID
		if err := s.refreshFacts(tx, nil, &c); err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, change{action: "litigation.create", targetType: "litigation_case", targetID: n.Canonical,
			after: map[string]any{"defendants": codes, "filed_on": c.FiledOn.String()}})
	})
	if err != nil {
		return litigation.Case{}, err
	}
	return s.LitigationCase(ctx, id)
}

// Litigation returns a case.
func (s Litigation) LitigationCase(ctx context.Context, id int64) (litigation.Case, error) {
	q := s.read(ctx)
	var r litRow
	if err := q.Where("id = ?", id).Take(&r).Error; err != nil {
		return litigation.Case{}, translate(err)
	}
	cs, err := litCases(q, []litRow{r})
	if err != nil {
		return litigation.Case{}, translate(err)
	}
	return cs[0], nil
}

// AppealedOn returns, for each of the cases, the day the first later
// instance linked to it (previous_id) was filed: the appeal that used the
// parties' window. Cases never appealed are absent.
func (s Litigation) AppealedOn(ctx context.Context, ids []int64) (map[int64]calendar.Date, error) {
	out := map[int64]calendar.Date{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		PreviousID int64
		FiledOn    sqlDate
	}
	if err := s.read(ctx).Raw("SELECT previous_id, MIN(filed_on) AS filed_on FROM litigation_cases WHERE previous_id IN ? GROUP BY previous_id", ids).
		Scan(&rows).Error; err != nil {
		return nil, translate(err)
	}
	for _, r := range rows {
		out[r.PreviousID] = r.FiledOn.Date
	}
	return out, nil
}

// LitAction is one change to a litigation case.
type LitAction struct {
	Name      string // for the audit log
	IfVersion int64
	// Defendant, when not "", limits the change to the cases that agency is
	// a defendant of (agency staff act on their own).
	Defendant string
	// Do changes the case. Setting Defendant alone replaces the first
	// defendant (litigation.Case.SetDefendant).
	Do func(*litigation.Case) error
}

// ActOnLitigation applies a change to a case in one transaction: the case
// is locked and read, the change runs under the domain's rules, and the
// case, its facts, the rollups and the audit log are written together.
func (s Litigation) ActOnLitigation(ctx context.Context, id int64, a LitAction) (litigation.Case, error) {
	now := s.Now()
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var r litRow
		if err := tx.Raw("SELECT * FROM litigation_cases WHERE id = ?"+s.forUpdate(), id).Scan(&r).Error; err != nil {
			return err
		}
		if r.ID == 0 {
			return jiefen.Errorf(jiefen.ENOTFOUND, "no litigation case %d", id)
		}
		defendants, err := loadDefendants(tx, []int64{r.ID})
		if err != nil {
			return err
		}
		before, err := r.litCase(defendants[r.ID])
		if err != nil {
			return err
		}
		if a.Defendant != "" && !before.HasDefendant(a.Defendant) {
			return jiefen.Errorf(jiefen.ENOTFOUND, "no litigation case %d", id)
		}
		if a.IfVersion != 0 && a.IfVersion != r.Version {
			return jiefen.Errorf(jiefen.EPRECONDITION, "the case has changed (version %d); fetch it again", r.Version)
		}
		after, err := r.litCase(defendants[r.ID])
		if err != nil {
			return err
		}
		if err := a.Do(&after); err != nil {
			return err
		}
		if len(after.Defendants) == 0 || after.Defendants[0] != after.Defendant {
			after.SetDefendant(after.Defendant) // Do set the defendant alone
		}
		if err := checkLinks(tx, after.PreviousID, after.ReconsiderationID, r.ID); err != nil {
			return err
		}
		row, err := litRowOf(after)
		if err != nil {
			return err
		}
		res := tx.Model(&litRow{}).Where("id = ? AND version = ?", r.ID, r.Version).Updates(map[string]any{
			"defendant": row.Defendant, "plaintiff": row.Plaintiff, "plaintiff_kind": row.PlaintiffKind,
			"plaintiff_credit_code": row.PlaintiffCreditCode, "cause": row.Cause, "key_flags": row.KeyFlags,
			"previous_id": row.PreviousID, "reconsideration_id": row.ReconsiderationID, "hearings": row.Hearings,
			"result": row.Result, "concluded_on": row.ConcludedOn, "loss_causes": row.LossCauses,
			"version": r.Version + 1, "updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return jiefen.Errorf(jiefen.ECONFLICT, "the case changed while this action ran; try again")
		}
		if err := s.refreshFacts(tx, &before, &after); err != nil {
			return err
		}
		// The whole case before and after, so that the entry says what
		// changed: a defendant, a hearing, the outcome.
		audited := after
		audited.Version = r.Version + 1
		return s.appendAudit(ctx, tx, change{action: "litigation." + a.Name, targetType: "litigation_case", targetID: r.Canonical,
			before: before, after: audited})
	})
	if err != nil {
		return litigation.Case{}, err
	}
	return s.LitigationCase(ctx, id)
}

// ListLitigation lists cases, newest first.
func (s Litigation) ListLitigation(ctx context.Context, f litigation.Filter) ([]litigation.Case, error) {
	q := s.read(ctx)
	sel := q.Model(&litRow{}).Order("id DESC").Limit(f.Limit)
	if f.Defendant != "" {
		sel = sel.Where("id IN (?)", q.Model(&defendantRow{}).Select("case_id").Where("org_code = ?", f.Defendant))
	}
	if f.From != nil {
		sel = sel.Where("filed_on >= ?", dateOf(*f.From))
	}
	if f.To != nil {
		sel = sel.Where("filed_on <= ?", dateOf(*f.To))
	}
	if f.TypeCode != "" {
		sel = sel.Where("type_code = ?", f.TypeCode)
	}
	if f.Key {
		sel = sel.Where("key_flags <> ''")
	}
	if f.Open {
		sel = sel.Where("result = ''")
	}
	if f.BeforeID > 0 {
		sel = sel.Where("id < ?", f.BeforeID)
	}
	var rows []litRow
	if err := sel.Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	cs, err := litCases(q, rows)
	return cs, translate(err)
}

// litCases returns the cases of rows with their defendants.
func litCases(q *gorm.DB, rows []litRow) ([]litigation.Case, error) {
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	defendants, err := loadDefendants(q, ids)
	if err != nil {
		return nil, err
	}
	out := make([]litigation.Case, len(rows))
	for i, r := range rows {
		c, err := r.litCase(defendants[r.ID])
		if err != nil {
			return nil, err
		}
		out[i] = c
	}
	return out, nil
}

// monthAligned reports whether [from, to] is whole months, which the
// monthly rollup answers.
func monthAligned(from, to calendar.Date) bool {
	_, _, d := from.YMD()
	return d == 1 && monthEnd(to)
}

// LitigationStats counts the figures of [from, to] under
// litigation.Definition. A window within one month that is not the whole
// month counts its few days of facts. Any other is read from the rollups
// the changes keep, whatever the number of cases: grouped by month, the
// whole months from the monthly rollup and the partial months at its ends
// from the day rollup (months); otherwise those summed per agency less
// the pairs of a case's months that both fall in the window
// (acrossMonths), so that a case heard in two months counts once in a
// group that spans both.
func (s Litigation) LitigationStats(ctx context.Context, from, to calendar.Date, g litigation.Grouping, agency string) ([]litigation.Row, error) {
	rows, err := s.litigationStats(ctx, from, to, g, agency)
	if err == nil && len(rows) == 0 && !g.Agency && !g.Month {
		// Ungrouped, the answer is one row, zeros and null rates included.
		rows = []litigation.Row{{}}
	}
	return rows, err
}

func (s Litigation) litigationStats(ctx context.Context, from, to calendar.Date, g litigation.Grouping, agency string) ([]litigation.Row, error) {
	if err := s.FoldRollups(ctx); err != nil {
		return nil, err
	}
	var cells []cell
	var err error
	switch {
	case litigation.Month(from) == litigation.Month(to) && !monthAligned(from, to):
		return s.fromFacts(ctx, from, to, g, agency) // a few days of facts
	case g.Month:
		cells, err = s.months(ctx, from, to, g.Agency, agency)
	default:
		cells, err = s.acrossMonths(ctx, from, to, g.Agency, agency)
	}
	if err != nil {
		return nil, err
	}
	out := make([]litigation.Row, 0, len(cells))
	for _, c := range cells {
		if c.counts == (figureCounts{}) {
			continue
		}
		r := newRow(g, c.agency, c.month)
		for i, n := range c.counts {
			r.Add(litigation.Figures[i], n)
		}
		r.Rates()
		out = append(out, *r)
	}
	litigation.SortRows(out)
	return out, nil
}

// cell is a row read from the rollups: the counts of an agency
// (cityRollup for the city) in a month, or over the window when month is
// "".
type cell struct {
	agency, month string
	counts        figureCounts
}

// readCells runs a query of the rollups whose columns are the agency, or
// the month and the agency when withMonth, then a column per figure in the
// order of litigation.Figures, and returns its rows. The rows are scanned
// as they come, without reflection: a year by agency and month is some
// 700 of them, and their scanning through gorm took more time than the
// database did.
func (s Litigation) readCells(ctx context.Context, withMonth bool, query string, args ...any) ([]cell, error) {
	rows, err := s.read(ctx).Raw(query, args...).Rows()
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	var out []cell
	var c cell
	dest := []any{&c.agency}
	if withMonth {
		dest = []any{&c.month, &c.agency}
	}
	for i := range c.counts {
		dest = append(dest, &c.counts[i])
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, translate(err)
		}
		out = append(out, c)
	}
	return out, translate(rows.Err())
}

// acrossMonths answers a grouping without months over a window of more
// than one month from the rollups: the window's months counted as a month
// grouping counts them, added up per agency (or for the city), less the
// pairs of a case's months in a row that both count in the window
// (windowPairs). A case heard in three of the window's months counts
// three times in the months and loses two pairs: once, as the facts alone
// would count it.
func (s Litigation) acrossMonths(ctx context.Context, from, to calendar.Date, byAgency bool, agency string) ([]cell, error) {
	var months, pairs []cell
	err := concurrently(func() (err error) {
		months, err = s.months(ctx, from, to, byAgency, agency)
		return err
	}, func() (err error) {
		pairs, err = s.windowPairs(ctx, from, to, byAgency, agency)
		return err
	})
	if err != nil {
		return nil, err
	}
	sums := map[string]*figureCounts{}
	add := func(cells []cell, sign int) {
		for _, c := range cells {
			sum := sums[c.agency]
			if sum == nil {
				sum = &figureCounts{}
				sums[c.agency] = sum
			}
			for i, n := range c.counts {
				sum[i] += sign * n
			}
		}
	}
	add(months, 1)
	add(pairs, -1)
	out := make([]cell, 0, len(sums))
	for agency, c := range sums {
		out = append(out, cell{agency: agency, counts: *c})
	}
	return out, nil
}

// windowPairs counts, by agency, the pairs of a case's months in a row
// whose two months both count in [from, to]: those whose earlier day
// (from_day) is on or after from and whose later day (to_day) is on or
// before to. They are read in up to three disjoint parts, side by side:
// the pairs leaving the partial month at the window's start, by their
// earlier day (litigation_links, its primary key); the pairs between two
// of the window's whole months, by their months (litigation_link_months);
// and the pairs from a whole month into the partial month at the window's
// end, by their later day (litigation_links_by_to). At 1,000,000 cases the
// last 365 days read some 10,000 rows where the pairs day by day were
// 56,000 (BENCHMARKS.md, issue 25).
func (s Litigation) windowPairs(ctx context.Context, from, to calendar.Date, byAgency bool, agency string) ([]cell, error) {
	where, args := agencyWhere(byAgency, agency)
	whole, last := wholeMonths(from, to)
	type part struct {
		sql  string
		args []any
	}
	var parts []part
	if whole > from {
		parts = append(parts, part{"litigation_links WHERE from_day >= ? AND from_day < ? AND to_day <= ?", []any{dateOf(from), dateOf(whole), dateOf(to)}})
	}
	if whole < last && litigation.Month(whole) < litigation.Month(last) {
		parts = append(parts, part{"litigation_link_months WHERE from_month >= ? AND from_month <= ? AND to_month <= ?",
			[]any{litigation.Month(whole), litigation.Month(last), litigation.Month(last)}})
	}
	if last < to && whole <= last {
		parts = append(parts, part{"litigation_links WHERE to_day > ? AND to_day <= ? AND from_day >= ?", []any{dateOf(last), dateOf(to), dateOf(whole)}})
	}
	cells := make([][]cell, len(parts))
	reads := make([]func() error, len(parts))
	for i, p := range parts {
		reads[i] = func() (err error) {
			cells[i], err = s.readCells(ctx, false, "SELECT agency"+sumFigures()+" FROM "+p.sql+where+" GROUP BY agency",
				append(slices.Clone(p.args), args...)...)
			return err
		}
	}
	if err := concurrently(reads...); err != nil {
		return nil, err
	}
	return slices.Concat(cells...), nil
}

// wholeMonths returns the first day of the first whole month of [from, to]
// and the last day of its last: from and to themselves when the window
// starts and ends on a month's bounds.
func wholeMonths(from, to calendar.Date) (whole, last calendar.Date) {
	whole, last = from, to
	if _, _, d := from.YMD(); d != 1 {
		whole = from.AddDays(1 - d).AddMonths(1)
	}
	if !monthEnd(to) {
		_, _, d := to.YMD()
		last = to.AddDays(-d)
	}
	return whole, last
}

// monthEnd reports whether d is the last day of its month.
func monthEnd(d calendar.Date) bool {
	_, _, day := d.AddDays(1).YMD()
	return day == 1
}

// sumFigures selects the sum of each figure's column, named after it.
func sumFigures() string {
	var b strings.Builder
	for _, f := range litigation.Figures {
		fmt.Fprintf(&b, ", SUM(%s) AS %s", f, f)
	}
	return b.String()
}

// agencyWhere picks the rows of a rollup a query reads: one agency's,
// when asked for; by agency, every agency's; otherwise the city's own
// (each case once, never a sum over agencies).
func agencyWhere(byAgency bool, agency string) (string, []any) {
	switch {
	case agency != "":
		return " AND agency = ?", []any{agency}
	case byAgency:
		return " AND agency <> ?", []any{cityRollup}
	}
	return " AND agency = ?", []any{cityRollup}
}

// months answers a month grouping over a window of more than one month,
// or of one whole month: the whole months inside it from the monthly
// rollup (rolledUp), and the partial month at each end, when the window
// does not start or end on a month's bounds (year to date, the last
// twelve months), from the day rollup (litigation_edges): from the
// window's first day to its month's end, the groups whose last fact of the
// month is on one of those days; from its last month's first day to the
// window's end, those whose first fact is. Each is a distinct case, as the
// facts alone would count it, in a few hundred rows whatever the number of
// cases. The parts are read side by side.
func (s Litigation) months(ctx context.Context, from, to calendar.Date, byAgency bool, agency string) ([]cell, error) {
	whole, last := wholeMonths(from, to)
	var reads []func() error
	var head, middle, tail []cell
	if whole > from {
		reads = append(reads, func() (err error) {
			head, err = s.edgeMonth(ctx, edgeLast, from, whole.AddDays(-1), byAgency, agency)
			return err
		})
	}
	if last < to {
		reads = append(reads, func() (err error) {
			tail, err = s.edgeMonth(ctx, edgeFirst, last.AddDays(1), to, byAgency, agency)
			return err
		})
	}
	if whole <= last {
		reads = append(reads, func() (err error) {
			middle, err = s.rolledUp(ctx, whole, last, byAgency, agency)
			return err
		})
	}
	if err := concurrently(reads...); err != nil {
		return nil, err
	}
	return slices.Concat(head, middle, tail), nil
}

// concurrently runs reads at once, each on a connection of its own, and
// returns their errors joined: a statistic's parts are read side by side
// rather than one after another. A single read runs on the caller's
// goroutine.
func concurrently(reads ...func() error) error {
	if len(reads) == 1 {
		return reads[0]()
	}
	errs := make([]error, len(reads))
	var wg sync.WaitGroup
	for i, read := range reads {
		wg.Go(func() { errs[i] = read() })
	}
	wg.Wait()
	return errors.Join(errs...)
}

// edgeMonth counts the days [from, to] of one month from the day rollup's
// rows of edge: edgeLast when to is the month's last day, edgeFirst when
// from is its first (see months). By agency it reads the agencies' rows;
// the city's figures are the city's own rows.
func (s Litigation) edgeMonth(ctx context.Context, edge string, from, to calendar.Date, byAgency bool, agency string) ([]cell, error) {
	where, args := agencyWhere(byAgency, agency)
	cells, err := s.readCells(ctx, false, "SELECT agency"+sumFigures()+" FROM litigation_edges WHERE edge = ? AND on_day >= ? AND on_day <= ?"+where+" GROUP BY agency",
		append([]any{edge, dateOf(from), dateOf(to)}, args...)...)
	for i := range cells {
		cells[i].month = litigation.Month(from)
	}
	return cells, err
}

// fromFacts counts the figures of [from, to] from the facts: distinct
// cases per group.
func (s Litigation) fromFacts(ctx context.Context, from, to calendar.Date, g litigation.Grouping, agency string) ([]litigation.Row, error) {
	q := s.read(ctx)
	var cols []string
	if g.Agency {
		cols = append(cols, "agency")
	}
	if g.Month {
		cols = append(cols, "month")
	}
	group := strings.Join(append(append([]string{}, cols...), "figure"), ", ")
	// Every figure is named, so that the window is a range of the index
	// (figure, on_day, agency) for each, not a scan of every fact.
	sel := q.Table("litigation_facts").Select(group+", COUNT(DISTINCT case_id) AS n").
		Where("figure IN ? AND on_day >= ? AND on_day <= ?", figureNames(), dateOf(from), dateOf(to))
	if agency != "" {
		sel = sel.Where("agency = ?", agency)
	}
	var cellsOut []struct {
		Agency string
		Month  string
		Figure string
		N      int
	}
	if err := sel.Group(group).Scan(&cellsOut).Error; err != nil {
		return nil, translate(err)
	}
	type key struct{ agency, month string }
	rows := map[key]*litigation.Row{}
	for _, c := range cellsOut {
		if c.N == 0 {
			continue
		}
		k := key{c.Agency, c.Month}
		if rows[k] == nil {
			rows[k] = newRow(g, c.Agency, c.Month)
		}
		rows[k].Add(litigation.Figure(c.Figure), c.N)
	}
	out := make([]litigation.Row, 0, len(rows))
	for _, r := range rows {
		r.Rates()
		out = append(out, *r)
	}
	litigation.SortRows(out)
	return out, nil
}

// figureNames are litigation.Figures as the figure column holds them.
func figureNames() []string {
	out := make([]string, len(litigation.Figures))
	for i, f := range litigation.Figures {
		out[i] = string(f)
	}
	return out
}

func newRow(g litigation.Grouping, agency, month string) *litigation.Row {
	r := &litigation.Row{}
	if g.Agency {
		r.AgencyCode = &agency
	}
	if g.Month {
		r.Month = &month
	}
	return r
}

// rolledUp reads whole months [from, to] from the monthly rollup,
// litigation_months: one range of its primary key (month, agency), a row
// per month and agency with a column per figure, in key order and without
// grouping. By agency it reads the agencies' rows (a case in each of its
// defendants'); the city's figures are the city's own row (each case
// once), never a sum over agencies.
func (s Litigation) rolledUp(ctx context.Context, from, to calendar.Date, byAgency bool, agency string) ([]cell, error) {
	where, args := agencyWhere(byAgency, agency)
	return s.readCells(ctx, true, "SELECT month, agency, "+strings.Join(figureNames(), ", ")+" FROM litigation_months WHERE month >= ? AND month <= ?"+where+" ORDER BY month, agency",
		append([]any{litigation.Month(from), litigation.Month(to)}, args...)...)
}

// FigureCases picks the cases behind a figure of the statistics: those
// with a fact of the figure in [From, To], of the agency and month when
// given, and only the administrative first-instance suits
// (litigation.FirstInstanceTypes) when FirstInstance is set — the cases
// behind 一审收案 and the filed figures of 双下降.
type FigureCases struct {
	From, To      calendar.Date
	Figure        litigation.Figure
	Agency, Month string
	FirstInstance bool
}

// StatsCases lists the cases f picks, newest first, a page of limit before
// the case beforeID (0: the first page).
func (s Litigation) StatsCases(ctx context.Context, f FigureCases, limit int, beforeID int64) ([]litigation.Case, error) {
	q := s.read(ctx)
	sub := q.Table("litigation_facts").Select("case_id").Where("figure = ? AND on_day >= ? AND on_day <= ?", string(f.Figure), dateOf(f.From), dateOf(f.To))
	if f.Agency != "" {
		sub = sub.Where("agency = ?", f.Agency)
	}
	if f.Month != "" {
		sub = sub.Where("month = ?", f.Month)
	}
	sel := q.Model(&litRow{}).Where("id IN (?)", sub).Order("id DESC").Limit(limit)
	if f.FirstInstance {
		sel = sel.Where("type_code IN ?", litigation.FirstInstanceTypes())
	}
	if beforeID > 0 {
		sel = sel.Where("id < ?", beforeID)
	}
	var rows []litRow
	if err := sel.Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	cs, err := litCases(q, rows)
	return cs, translate(err)
}

// FirstInstanceFiled counts the administrative first-instance suits
// (litigation.FirstInstanceTypes) filed in [from, to], the "fewer suits" of
// 双下降: per agency, each suit in each of its defendants' counts, and for
// the city, each suit once.
func (s Litigation) FirstInstanceFiled(ctx context.Context, from, to calendar.Date) (byAgency map[string]int, city int, err error) {
	q := s.read(ctx)
	var rs []struct {
		OrgCode string
		N       int
	}
	where := "c.filed_on >= ? AND c.filed_on <= ? AND c.type_code IN ?"
	args := []any{dateOf(from), dateOf(to), litigation.FirstInstanceTypes()}
	if err := q.Raw("SELECT d.org_code, COUNT(*) AS n FROM litigation_cases c JOIN litigation_defendants d ON d.case_id = c.id WHERE "+
		where+" GROUP BY d.org_code", args...).Scan(&rs).Error; err != nil {
		return nil, 0, translate(err)
	}
	byAgency = map[string]int{}
	for _, r := range rs {
		byAgency[r.OrgCode] = r.N
	}
	if err := q.Raw("SELECT COUNT(*) FROM litigation_cases c WHERE "+where, args...).Scan(&city).Error; err != nil {
		return nil, 0, translate(err)
	}
	return byAgency, city, nil
}

// AlertCases returns the open key cases with a hearing dated in [from, to].
func (s Litigation) AlertCases(ctx context.Context, from, to calendar.Date) ([]litigation.Case, error) {
	q := s.read(ctx)
	sub := q.Table("litigation_facts").Select("case_id").Where("figure = ? AND on_day >= ? AND on_day <= ?", string(litigation.KeyHeard), dateOf(from), dateOf(to))
	var rows []litRow
	if err := q.Model(&litRow{}).Where("id IN (?) AND result = ''", sub).Order("id").Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	cs, err := litCases(q, rows)
	return cs, translate(err)
}

// LaterLawsuits maps reconsideration cases to the canonical numbers of the
// lawsuits that followed them.
func laterLawsuits(q *gorm.DB, reconIDs []int64) (map[int64][]string, error) {
	out := map[int64][]string{}
	if len(reconIDs) == 0 {
		return out, nil
	}
	var rs []struct {
		ReconsiderationID int64
		Canonical         string
	}
	if err := q.Model(&litRow{}).Select("reconsideration_id, canonical").Where("reconsideration_id IN ?", reconIDs).
		Order("id").Scan(&rs).Error; err != nil {
		return nil, err
	}
	for _, r := range rs {
		out[r.ReconsiderationID] = append(out[r.ReconsiderationID], r.Canonical)
	}
	return out, nil
}

type interviewRow struct {
	ID            int64 `gorm:"primaryKey"`
	Agency        string
	Year          int
	HeldOn        sqlDate
	Interviewee   string
	Interviewer   string
	Causes        string
	Rectification string
	FollowUp      string
	FollowUpOn    sqlDate
	Version       int64
	CreatedBy     string
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

func (interviewRow) TableName() string { return "litigation_interviews" }

func (r interviewRow) interview() litigation.Interview {
	iv := litigation.Interview{ID: r.ID, Agency: r.Agency, Year: r.Year, HeldOn: r.HeldOn.Date, Interviewee: r.Interviewee, Interviewer: r.Interviewer,
		Causes: []litigation.LossCause{}, Rectification: r.Rectification, FollowUp: r.FollowUp, FollowUpOn: r.FollowUpOn.ptr(),
		Version: r.Version, CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt.UTC()}
	for _, c := range splitList(r.Causes) {
		iv.Causes = append(iv.Causes, litigation.LossCause(c))
	}
	return iv
}

// CreateInterview records an interview (audited).
func (s Litigation) CreateInterview(ctx context.Context, iv litigation.Interview) (litigation.Interview, error) {
	actor, _ := jiefen.ActorFrom(ctx)
	now := s.Now()
	causes := make([]string, len(iv.Causes))
	for i, c := range iv.Causes {
		causes[i] = string(c)
	}
	var row interviewRow
	err := s.tx(ctx, func(tx *gorm.DB) error {
		// Built here: a rerun (see tx) inserts anew, with no id of the
		// attempt that failed.
		row = interviewRow{Agency: iv.Agency, Year: iv.Year, HeldOn: dateOf(iv.HeldOn), Interviewee: iv.Interviewee, Interviewer: iv.Interviewer,
			Causes: strings.Join(causes, ","), Rectification: iv.Rectification, FollowUp: iv.FollowUp, FollowUpOn: dateOfPtr(iv.FollowUpOn),
			Version: 1, CreatedBy: actor.Username, CreatedAt: now, UpdatedAt: now}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, change{action: "litigation.interview", targetType: "interview", targetID: itoa(row.ID),
			after: map[string]any{"agency": iv.Agency, "year": iv.Year}})
	})
	if err != nil {
		return litigation.Interview{}, err
	}
	return s.namedInterview(ctx, row.interview()), nil
}

// namedInterview gives an interview, once written, its agency's name. The
// change is committed by then, so a failed read of the name leaves it
// blank rather than answering an error for a write that took place.
func (s Litigation) namedInterview(ctx context.Context, iv litigation.Interview) litigation.Interview {
	if names, err := Orgs(s).OrgNames(ctx, []string{iv.Agency}); err == nil {
		iv.AgencyName = names[iv.Agency]
	}
	return iv
}

// Interview reads one interview, its agency named.
func (s Litigation) Interview(ctx context.Context, id int64) (litigation.Interview, error) {
	var row interviewRow
	if err := s.read(ctx).Where("id = ?", id).Limit(1).Find(&row).Error; err != nil {
		return litigation.Interview{}, translate(err)
	}
	if row.ID == 0 {
		return litigation.Interview{}, jiefen.Errorf(jiefen.ENOTFOUND, "no interview %d", id)
	}
	return s.namedInterview(ctx, row.interview()), nil
}

// Interviews lists the interviews of a year, by agency and day.
func (s Litigation) Interviews(ctx context.Context, year int) ([]litigation.Interview, error) {
	var rows []interviewRow
	if err := s.read(ctx).Where("year = ?", year).Order("agency, held_on, id").Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]litigation.Interview, len(rows))
	codes := make([]string, len(rows))
	for i, r := range rows {
		out[i], codes[i] = r.interview(), r.Agency
	}
	names, err := Orgs(s).OrgNames(ctx, codes)
	for i := range out {
		out[i].AgencyName = names[out[i].Agency]
	}
	return out, err
}

// FollowUpInterview records the follow-up of an interview's rectification
// (audited).
func (s Litigation) FollowUpInterview(ctx context.Context, id int64, text string, on calendar.Date) (litigation.Interview, error) {
	now := s.Now()
	var row interviewRow
	err := s.tx(ctx, func(tx *gorm.DB) error {
		row = interviewRow{} // a scan that finds no row leaves the struct as it was
		if err := tx.Raw("SELECT * FROM litigation_interviews WHERE id = ?"+s.forUpdate(), id).Scan(&row).Error; err != nil {
			return err
		}
		if row.ID == 0 {
			return jiefen.Errorf(jiefen.ENOTFOUND, "no interview %d", id)
		}
		if on < row.HeldOn.Date {
			var p jiefen.Problems
			p.Add("on", "%s is before the interview (%s)", on, row.HeldOn)
			return p.Err()
		}
		row.FollowUp, row.FollowUpOn, row.Version, row.UpdatedAt = text, dateOf(on), row.Version+1, now
		if err := tx.Model(&interviewRow{}).Where("id = ?", id).Updates(map[string]any{"follow_up": text, "follow_up_on": row.FollowUpOn,
			"version": row.Version, "updated_at": now}).Error; err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, change{action: "litigation.interview_follow_up", targetType: "interview", targetID: itoa(id)})
	})
	if err != nil {
		return litigation.Interview{}, err
	}
	return s.namedInterview(ctx, row.interview()), nil
}
