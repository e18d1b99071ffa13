package sqlstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	mysqldriver "github.com/go-sql-driver/mysql"

	"gorm.io/gorm"

	"jiefen"
	"jiefen/calendar"
	"jiefen/litigation"
)

// ImportBatchSize is the most court rows one transaction takes: an
// interrupted import loses at most one batch, which running the file again
// finishes (rows upsert by canonical case number).
const ImportBatchSize = 500

// CourtImport is the report of an import (API.md, "Court caseload sync"):
// the data rows read, what became of them, the rows skipped (blank,
// totals, footers), the sheets without the court's header, and every bad
// field of every rejected row.
type CourtImport struct {
	ID            int64       `json:"import_id"`
	Name          string      `json:"name"`
	Rows          int         `json:"rows"`
	Created       int         `json:"created"`
	Updated       int         `json:"updated"`
	Unchanged     int         `json:"unchanged"`
	Skipped       int         `json:"skipped"`
	SkippedSheets []string    `json:"skipped_sheets"`
	RejectedRows  int         `json:"rejected_rows"`
	Rejected      []Rejection `json:"rejected"`
}

// Rejection is a bad field of a refused row, by the sheet's name, the row
// number the spreadsheet shows and the column as the file names it.
type Rejection struct {
	Sheet   string `json:"sheet,omitempty"`
	Row     int    `json:"row"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

// CourtFile is a court caseload file ready to read (courtfile.File): the
// store knows no file formats.
type CourtFile interface {
	// Each calls fn with every data row in order.
	Each(ctx context.Context, fn func(litigation.CourtRow) error) error
	// Skipped is the number of blank, totals and footer rows Each skipped.
	Skipped() int
	// SkippedSheets names the sheets without the court's header.
	SkippedSheets() []string
}

type courtImportRow struct {
	ID         int64 `gorm:"primaryKey"`
	Name       string
	ByUser     string
	RowsRead   int
	Created    int
	Updated    int
	Unchanged  int
	Rejected   int
	StartedAt  time.Time
	FinishedAt *time.Time
}

func (courtImportRow) TableName() string { return "court_imports" }

// courtRow is the court's own view of a case, as last imported.
type courtRow struct {
	Canonical   string `gorm:"primaryKey"`
	ImportID    int64
	Line        int
	Defendant   string // the org codes of the 被告 cell, joined by commas
	FiledOn     sqlDate
	HeldOn      sqlDate
	Result      string
	ConcludedOn sqlDate
}

func (courtRow) TableName() string { return "court_rows" }

// Agencies finds the administrative bodies that courts' 被告 cells name
// (jiefen.OrgDirectory), read once per import rather than once per row.
type Agencies struct{ dir *jiefen.OrgDirectory }

// AgencyIndex reads the orgs for Agencies.
func (s CourtSync) AgencyIndex(ctx context.Context) (Agencies, error) {
	orgs, err := loadOrgs(s.read(ctx))
	if err != nil {
		return Agencies{}, translate(err)
	}
	return Agencies{jiefen.NewOrgDirectory(orgs)}, nil
}

// Resolve returns the org codes of the defendants a 被告 cell names (several
// joined by 、 or ；, litigation.SplitDefendants), each once and in the
// cell's order, or what is wrong with each name that finds no single
// administrative body.
func (a Agencies) Resolve(cell string) (codes []string, problems []string) {
	names := litigation.SplitDefendants(cell)
	switch {
	case len(names) == 0:
		return nil, []string{"请写明被告（行政机关的名称或代码）"}
	case len(names) > litigation.MaxDefendants:
		return nil, []string{fmt.Sprintf("被告至多 %d 个", litigation.MaxDefendants)}
	}
	for _, n := range names {
		o, err := a.dir.Administrative(n)
		switch {
		case err != nil:
			problems = append(problems, err.Error())
		case !slices.Contains(codes, o.Code):
			codes = append(codes, o.Code)
		}
	}
	return codes, problems
}

// StartImport records that a user started importing a file.
func (s CourtSync) StartImport(ctx context.Context, name string) (CourtImport, error) {
	actor, _ := jiefen.ActorFrom(ctx)
	if r := []rune(name); len(r) > 200 { // the column's width: the name is for the record only
		name = string(r[:200])
	}
	row := courtImportRow{Name: name, ByUser: actor.Username, StartedAt: s.Now()}
	if err := s.gorm.WithContext(ctx).Create(&row).Error; err != nil {
		return CourtImport{}, translate(err)
	}
	return CourtImport{ID: row.ID, Name: name, SkippedSheets: []string{}, Rejected: []Rejection{}}, nil
}

// FinishImport records an import's report and audits it.
func (s CourtSync) FinishImport(ctx context.Context, r CourtImport) error {
	now := s.Now()
	return s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Model(&courtImportRow{}).Where("id = ?", r.ID).Updates(map[string]any{"rows_read": r.Rows, "created": r.Created,
			"updated": r.Updated, "unchanged": r.Unchanged, "rejected": r.RejectedRows, "finished_at": now}).Error; err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, change{action: "litigation.import", targetType: "court_import", targetID: itoa(r.ID),
			after: map[string]any{"name": r.Name, "rows": r.Rows, "created": r.Created, "updated": r.Updated, "unchanged": r.Unchanged, "skipped": r.Skipped, "rejected": r.RejectedRows}})
	})
}

// ImportRow is a court row read from a file: its row number, what it says,
// and its validation.
type ImportRow struct {
	Row     litigation.CourtRow
	Case    litigation.CourtCase
	Problem error // from CourtRow.Parse; the row is rejected
}

// ImportBatch upserts at most ImportBatchSize court rows in one
// transaction and adds the outcome to r. A row whose case is missing
// creates it, with its hearing and outcome; a row whose case exists fills
// in what the platform lacks (a hearing on another day, the outcome) and
// changes nothing the platform already records (differences show in the
// reconciliation). The court's row is kept as its view of the case. A bad
// row is rejected whole, by its row number, column and message; the
// others land. One audit entry per batch names the cases it created or
// changed.
func (s CourtSync) ImportBatch(ctx context.Context, r *CourtImport, rows []ImportRow, agencies Agencies) error {
	if len(rows) == 0 {
		return nil
	}
	actor, _ := jiefen.ActorFrom(ctx)
	today := calendar.DateOf(s.Now())
	var created, updated, unchanged, rejectedRows int
	var rejected []Rejection
	err := s.txReadCommitted(ctx, func(tx *gorm.DB) error {
		created, updated, unchanged, rejectedRows, rejected = 0, 0, 0, 0, nil
		reject := func(row litigation.CourtRow, err error) {
			rejectedRows++
			if e, ok := err.(*jiefen.Error); ok && len(e.Fields) > 0 {
				for _, f := range e.Fields {
					rejected = append(rejected, Rejection{Sheet: row.Sheet, Row: row.Line, Field: row.Header(courtField(f.Field)), Message: f.Localize(jiefen.Chinese).Message})
				}
				return
			}
			rejected = append(rejected, Rejection{Sheet: row.Sheet, Row: row.Line, Message: jiefen.MessageIn(err, jiefen.Chinese)})
		}
		var good []ImportRow
		canonicals := make([]string, 0, len(rows))
		for _, row := range rows {
			if row.Problem != nil {
				reject(row.Row, row.Problem)
				continue
			}
			// The 被告 cell may name several (共同被告); every one must
			// name one administrative body. Filing.Defendant keeps the
			// cell as the court wrote it.
			codes, problems := agencies.Resolve(row.Case.Filing.Defendant)
			if len(problems) > 0 {
				// One entry for the column, however many of its names are bad.
				reject(row.Row, &jiefen.Error{Code: jiefen.EINVALID, Fields: []jiefen.FieldError{{Field: litigation.ColDefendant,
					Message: strings.Join(problems, "；")}}})
				continue
			}
			row.Case.Filing.Defendants = codes
			good = append(good, row)
			canonicals = append(canonicals, row.Case.Number.Canonical)
		}
		var existing []litRow
		if len(canonicals) > 0 {
			if err := tx.Raw("SELECT * FROM litigation_cases WHERE canonical IN ?"+s.forUpdate(), canonicals).Scan(&existing).Error; err != nil {
				return err
			}
		}
		ids := make([]int64, len(existing))
		for i, e := range existing {
			ids[i] = e.ID
		}
		defendants, err := loadDefendants(tx, ids)
		if err != nil {
			return err
		}
		cases := map[string]*litigation.Case{}
		befores := map[string]*litigation.Case{}
		for _, e := range existing {
			c, err := e.litCase(defendants[e.ID])
			if err != nil {
				return err
			}
			b, _ := e.litCase(defendants[e.ID])
			cases[e.Canonical], befores[e.Canonical] = &c, &b
		}
		var fresh []*litigation.Case // new cases, in file order
		changed := map[string]bool{}
		var court []courtRow
		for _, row := range good {
			cc := row.Case
			key := cc.Number.Canonical
			c := cases[key]
			isNew := c == nil
			if isNew {
				f := cc.Filing
				c = &litigation.Case{CaseNumber: cc.Number, Defendant: f.Defendants[0], Defendants: f.Defendants, Plaintiff: f.Plaintiff, Cause: f.Cause, FiledOn: f.FiledOn,
					KeyFlags: []litigation.KeyFlag{}, Hearings: []litigation.Hearing{}, Version: 1}
			}
			merged := *c
			merged.Hearings = append([]litigation.Hearing{}, c.Hearings...)
			touched, err := merged.MergeCourt(cc, today)
			if err != nil {
				reject(row.Row, err)
				continue
			}
			*c = merged
			switch {
			case isNew:
				cases[key] = c
				fresh = append(fresh, c)
				created++
			case touched:
				changed[key] = true
				updated++
			default:
				unchanged++
			}
			cr := courtRow{Canonical: key, ImportID: r.ID, Line: row.Row.Line, Defendant: strings.Join(cc.Filing.Defendants, ","), FiledOn: dateOf(cc.Filing.FiledOn)}
			if cc.Hearing != nil {
				cr.HeldOn = dateOf(cc.Hearing.HeldOn)
			}
			if cc.Outcome != nil {
				cr.Result, cr.ConcludedOn = string(cc.Outcome.Result), dateOf(cc.Outcome.ConcludedOn)
			}
			court = append(court, cr)
		}
		now := s.Now()
		// New cases: one multi-row insert; their ids from the first (see
		// fillIDs), or read back by canonical number.
		if len(fresh) > 0 {
			newRows := make([]litRow, len(fresh))
			for i, c := range fresh {
				row, err := litRowOf(*c)
				if err != nil {
					return err
				}
				row.CreatedBy, row.CreatedAt, row.UpdatedAt = actor.Username, now, now
				newRows[i] = row
			}
			if err := tx.Create(&newRows).Error; err != nil {
				return err
			}
			if s.batchIDs { // the insert gave the rows their ids
				for i := range newRows {
					fresh[i].ID = newRows[i].ID
				}
			} else {
				var ids []struct {
					ID        int64
					Canonical string
				}
				keys := make([]string, len(fresh))
				for i, c := range fresh {
					keys[i] = c.CaseNumber.Canonical
				}
				if err := tx.Raw("SELECT id, canonical FROM litigation_cases WHERE canonical IN ?", keys).Scan(&ids).Error; err != nil {
					return err
				}
				for _, x := range ids {
					cases[x.Canonical].ID = x.ID
				}
			}
		}
		var befs, afts []*litigation.Case
		var createdNumbers, updatedNumbers []string
		for _, c := range fresh {
			befs, afts = append(befs, nil), append(afts, c)
			createdNumbers = append(createdNumbers, c.CaseNumber.Canonical)
		}
		for _, e := range existing {
			if !changed[e.Canonical] {
				continue
			}
			c := cases[e.Canonical]
			row, err := litRowOf(*c)
			if err != nil {
				return err
			}
			if err := tx.Exec("UPDATE litigation_cases SET hearings = ?, result = ?, concluded_on = ?, loss_causes = ?, version = version + 1, updated_at = ? WHERE id = ?",
				row.Hearings, row.Result, row.ConcludedOn, row.LossCauses, now, e.ID).Error; err != nil {
				return err
			}
			befs, afts = append(befs, befores[e.Canonical]), append(afts, c)
			updatedNumbers = append(updatedNumbers, e.Canonical)
		}
		if len(afts) > 0 {
			// The rollups' changes are left pending, to be applied once
			// for the whole file (FoldRollups): a file in random order
			// would otherwise move thousands of scattered cells per batch.
			d := newRollupDelta()
			if err := Litigation(s).writeFacts(tx, befs, afts, d); err != nil {
				return err
			}
			if err := Litigation(s).pendRollups(tx, d); err != nil {
				return err
			}
		}
		if len(court) > 0 {
			if err := s.upsertCourtRows(tx, court); err != nil {
				return err
			}
		}
		// One audit entry per batch names every case it created or changed
		// (its digest covers the lists).
		if len(createdNumbers)+len(updatedNumbers) > 0 {
			audits := []audited{{ctx: ctx, change: change{action: "litigation.import_batch", targetType: "court_import", targetID: itoa(r.ID),
				after: map[string]any{"created": createdNumbers, "updated": updatedNumbers}}}}
			if err := s.appendAudits(tx, audits); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	r.Rows += len(rows)
	r.Created += created
	r.Updated += updated
	r.Unchanged += unchanged
	r.RejectedRows += rejectedRows
	r.Rejected = append(r.Rejected, rejected...)
	return nil
}

// courtField names a domain field by the court's column.
func courtField(f string) string {
	switch {
	case f == "held_on":
		return litigation.ColHeldOn
	case f == "head_appeared" || f == "appearer":
		return litigation.ColHeadAppeared
	case strings.HasPrefix(f, "appearer."):
		return litigation.ColPosition
	case f == "result" || strings.HasPrefix(f, "loss_causes"):
		return litigation.ColResult
	case f == "concluded_on":
		return litigation.ColConcludedOn
	case f == "filed_on":
		return litigation.ColFiledOn
	case f == "case_number":
		return litigation.ColCaseNumber
	}
	return f
}

// upsertCourtRows keeps the court's rows as its latest view of each case.
func (s CourtSync) upsertCourtRows(tx *gorm.DB, rows []courtRow) error {
	// The last row of a case in the batch wins, as it would one by one.
	last := map[string]int{}
	for i, r := range rows {
		last[r.Canonical] = i
	}
	var sql strings.Builder
	var args []any
	sql.WriteString("INSERT INTO court_rows (canonical, import_id, line, defendant, filed_on, held_on, result, concluded_on) VALUES ")
	n := 0
	for i, r := range rows {
		if last[r.Canonical] != i {
			continue
		}
		if n > 0 {
			sql.WriteString(", ")
		}
		n++
		sql.WriteString("(?, ?, ?, ?, ?, ?, ?, ?)")
		args = append(args, r.Canonical, r.ImportID, r.Line, r.Defendant, r.FiledOn, r.HeldOn, r.Result, r.ConcludedOn)
	}
	cols := []string{"import_id", "line", "defendant", "filed_on", "held_on", "result", "concluded_on"}
	if s.dialect == "mysql" {
		sql.WriteString(" ON DUPLICATE KEY UPDATE ")
		for i, c := range cols {
			if i > 0 {
				sql.WriteString(", ")
			}
			sql.WriteString(c + " = VALUES(" + c + ")")
		}
	} else {
		sql.WriteString(" ON CONFLICT (canonical) DO UPDATE SET ")
		for i, c := range cols {
			if i > 0 {
				sql.WriteString(", ")
			}
			sql.WriteString(c + " = excluded." + c)
		}
	}
	return tx.Exec(sql.String(), args...).Error
}

// Reconcile lists the differences between the court's rows (as last
// imported) and the platform's cases filed in [from, to]: cases missing on
// either side, and different defendants (the set of them: co-defendants
// count, their order does not; shown joined by 、), filing dates, outcomes
// and hearing days.
func (s CourtSync) Reconcile(ctx context.Context, from, to calendar.Date) ([]litigation.Difference, error) {
	q := s.read(ctx)
	var court []courtRow
	if err := q.Where("filed_on >= ? AND filed_on <= ?", dateOf(from), dateOf(to)).Order("canonical").Find(&court).Error; err != nil {
		return nil, translate(err)
	}
	var own []litRow
	if err := q.Where("filed_on >= ? AND filed_on <= ?", dateOf(from), dateOf(to)).Order("canonical").Find(&own).Error; err != nil {
		return nil, translate(err)
	}
	ours := map[string]litRow{}
	ids := make([]int64, len(own))
	for i, r := range own {
		ours[r.Canonical] = r
		ids[i] = r.ID
	}
	defendants, err := loadDefendants(q, ids)
	if err != nil {
		return nil, translate(err)
	}
	platform := func(r litRow) []string {
		if ds := defendants[r.ID]; len(ds) > 0 {
			return ds
		}
		return []string{r.Defendant}
	}
	theirs := map[string]bool{}
	out := []litigation.Difference{}
	for _, cr := range court {
		theirs[cr.Canonical] = true
		r, ok := ours[cr.Canonical]
		if !ok {
			out = append(out, litigation.Difference{CaseNumber: cr.Canonical, Kind: "missing_on_platform", Court: shownDefendants(strings.Split(cr.Defendant, ","))})
			continue
		}
		diff := func(kind, court, platform string) {
			if court != platform {
				out = append(out, litigation.Difference{CaseNumber: cr.Canonical, Kind: kind, Court: court, Platform: platform})
			}
		}
		if court, ours := strings.Split(cr.Defendant, ","), platform(r); !sameDefendants(court, ours) {
			out = append(out, litigation.Difference{CaseNumber: cr.Canonical, Kind: "defendant", Court: shownDefendants(court), Platform: shownDefendants(ours)})
		}
		diff("filed_on", cr.FiledOn.String(), r.FiledOn.String())
		if cr.Result != "" || r.Result != "" {
			diff("result", cr.Result, r.Result)
			diff("concluded_on", cr.ConcludedOn.String(), r.ConcludedOn.String())
		}
		if cr.HeldOn.Valid {
			var hs []litigation.Hearing
			if err := json.Unmarshal([]byte(r.Hearings), &hs); err != nil {
				return nil, err
			}
			held := false
			for _, h := range hs {
				held = held || h.HeldOn == cr.HeldOn.Date
			}
			if !held {
				out = append(out, litigation.Difference{CaseNumber: cr.Canonical, Kind: "hearing", Court: cr.HeldOn.String()})
			}
		}
	}
	for _, r := range own {
		if !theirs[r.Canonical] {
			out = append(out, litigation.Difference{CaseNumber: r.Canonical, Kind: "missing_in_court", Platform: shownDefendants(platform(r))})
		}
	}
	return out, nil
}

// sameDefendants reports whether two lists name the same defendants, in
// whatever order.
func sameDefendants(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// shownDefendants writes defendants as a 被告 cell does.
func shownDefendants(codes []string) string { return strings.Join(codes, "、") }

// On SQLite an import stands aside for importYield after every
// importYieldEvery of writing. SQLite has one writer and no queue: a writer
// of this process waits on the pool, which hands the connection to it when
// a batch ends; but a writer of another process (jiefen import beside the
// server, or the server beside it) waits in SQLite's busy handler, which
// looks again at most every 100 ms, and would find the lock taken again by
// the next batch each time, until its busy timeout answered 503. A pause
// longer than that look meets it; once a second costs the import a tenth
// of its time and keeps another writer's wait near a second.
const (
	importYieldEvery = time.Second
	importYield      = 110 * time.Millisecond
)

// ImportFile imports a court caseload file whose shape the reader has
// checked: it validates every row (job titles in 出庭人职务 read by titles)
// and upserts them in batches of ImportBatchSize, each its own
// transaction, calling progress after each batch with the rows done.
// Memory holds a few batches at a time. On MySQL two batches are written at
// once while the next is read; a batch that loses a race with the other
// runs again and merges: after a deadlock in tx (as every use case does),
// after a case number in both here. A row
// never half-lands. Rejections come back in file order: sheet by sheet,
// row by row. An import is not one transaction by design (see
// ImportBatchSize): each batch is whole, and between batches other users
// write (on SQLite see importYield).
func (s CourtSync) ImportFile(ctx context.Context, name string, file CourtFile, titles litigation.Titles, progress func(rows int)) (CourtImport, error) {
	agencies, err := s.AgencyIndex(ctx)
	if err != nil {
		return CourtImport{}, err
	}
	rep, err := s.StartImport(ctx, name)
	if err != nil {
		return CourtImport{}, err
	}
	writers := 1 // SQLite has one writer
	if s.dialect == "mysql" {
		writers = 2
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	today := calendar.DateOf(s.Now())
	batches := make(chan []ImportRow, writers)
	var mu sync.Mutex
	var firstErr error
	var wg sync.WaitGroup
	for range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			wrote := time.Now()
			for batch := range batches {
				if s.dialect == "sqlite" && time.Since(wrote) >= importYieldEvery {
					select {
					case <-time.After(importYield):
					case <-ctx.Done():
					}
					wrote = time.Now()
				}
				for i := range batch { // validation runs beside the reading
					batch[i].Case, batch[i].Problem = batch[i].Row.Parse(today, titles)
				}
				part := CourtImport{ID: rep.ID}
				var err error
				for try := 0; try < 5; try++ {
					part = CourtImport{ID: rep.ID}
					if err = s.ImportBatch(ctx, &part, batch, agencies); err == nil || !retryable(err) {
						break
					}
				}
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
					cancel()
				}
				rep.Rows += part.Rows
				rep.Created += part.Created
				rep.Updated += part.Updated
				rep.Unchanged += part.Unchanged
				rep.RejectedRows += part.RejectedRows
				rep.Rejected = append(rep.Rejected, part.Rejected...)
				done := rep.Rows
				mu.Unlock()
				if progress != nil && err == nil {
					progress(done)
				}
			}
		}()
	}
	batch := make([]ImportRow, 0, ImportBatchSize)
	sent := 0
	sheets, readErr := eachInCaseOrder(ctx, file, func(row litigation.CourtRow) error {
		batch = append(batch, ImportRow{Row: row})
		if len(batch) < ImportBatchSize {
			return nil
		}
		select {
		case batches <- batch:
		case <-ctx.Done():
			return ctx.Err()
		}
		batch = make([]ImportRow, 0, ImportBatchSize)
		if sent++; sent%foldEvery == 0 {
			return Litigation(s).FoldRollups(ctx)
		}
		return nil
	})
	if readErr == nil && len(batch) > 0 {
		batches <- batch
	}
	close(batches)
	wg.Wait()
	if firstErr != nil {
		return rep, firstErr
	}
	if readErr != nil {
		return rep, readErr
	}
	rep.Skipped = file.Skipped()
	rep.SkippedSheets = append(rep.SkippedSheets, file.SkippedSheets()...)
	sort.SliceStable(rep.Rejected, func(i, j int) bool {
		a, b := rep.Rejected[i], rep.Rejected[j]
		if a.Sheet != b.Sheet {
			return sheets[a.Sheet] < sheets[b.Sheet]
		}
		return a.Row < b.Row
	})
	if err := s.FinishImport(ctx, rep); err != nil {
		return rep, err
	}
	// The file's last rollup changes move the cells now, each once.
	return rep, Litigation(s).FoldRollups(ctx)
}

// foldEvery is how many batches of a file leave their rollup changes
// pending before the import folds them (FoldRollups), and how many pending
// rows one fold's transaction applies: the more, the fewer times a cell
// moves, and the more memory a fold takes. A file in random order against
// 60 agencies, 200,000 rows: every 100 batches, 8,000 rows/s and a peak
// RSS of 112 MB; every 200, 9,400 rows/s and 172 MB. At 1,000,000 rows,
// every 100: 166 MB; every 200: 297 MB (BENCHMARKS.md, issue 25).
const foldEvery = 100

// retryable reports whether a batch lost a race and may run again: a
// case number another batch inserted first, or (on TiDB) a write
// conflict. A deadlock or a lock wait that timed out (1213, 1205) is not
// among them: tx has rerun the batch on those already, as often as it
// reruns any use case, and they reach here only when those reruns ran out.
func retryable(err error) bool {
	var me *mysqldriver.MySQLError
	if errors.As(err, &me) {
		switch me.Number {
		case 1062, // a case number another batch inserted first
			8002, 8005, 8022, 8028: // TiDB's write conflicts and retryable commits
			return true
		}
		return false
	}
	return jiefen.ErrorCodeOf(err) == jiefen.ECONFLICT || jiefen.ErrorCodeOf(err) == jiefen.EUNAVAILABLE
}
