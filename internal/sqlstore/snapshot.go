package sqlstore

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"

	"jiefen"
	"jiefen/litigation"
)

type snapshotRow struct {
	Month   string
	Agency  string
	Figure  string
	N       int
	TakenAt time.Time
}

func (snapshotRow) TableName() string { return "litigation_snapshots" }

// validMonth reports whether m is a month written YYYY-MM.
func validMonth(m string) bool {
	t, err := time.Parse("2006-01", m)
	return err == nil && t.Format("2006-01") == m
}

// SnapshotMonth freezes the litigation figures of month (YYYY-MM), as the
// monthly rollup holds them now, into the snapshots and returns how many
// figures it wrote: each agency's that are not zero. A month is frozen once: when it already has snapshots
// it is left alone and the answer is 0, also when a second replica runs it
// at the same time (it waits for the first, then finds the month taken).
// A month without any figure yet writes nothing and may be frozen later.
// A month not written YYYY-MM is invalid.
func (s Litigation) SnapshotMonth(ctx context.Context, month string) (int, error) {
	if !validMonth(month) {
		return 0, jiefen.Errorf(jiefen.EINVALID, "month %q is not a month written YYYY-MM", month)
	}
	if err := s.FoldRollups(ctx); err != nil {
		return 0, err
	}
	takenAt := s.Now().UTC().Truncate(time.Microsecond)
	var written int64
	// Read committed: the check for an earlier snapshot must see one a
	// replica committed while this one waited for the rollup locks.
	err := s.txReadCommitted(ctx, func(tx *gorm.DB) error {
		written = 0
		// Locking the month's rollup rows holds back both the cases that
		// would move them and a replica snapshotting the same month.
		var agencies []string
		if err := tx.Raw("SELECT agency FROM litigation_months WHERE month = ? ORDER BY month, agency"+s.forUpdate(),
			month).Scan(&agencies).Error; err != nil {
			return err
		}
		if len(agencies) == 0 {
			return nil
		}
		var taken int64
		if err := tx.Raw("SELECT COUNT(*) FROM litigation_snapshots WHERE month = ?", month).Scan(&taken).Error; err != nil {
			return err
		}
		if taken > 0 {
			return nil
		}
		insert := "INSERT IGNORE INTO"
		if s.dialect == "sqlite" {
			insert = "INSERT OR IGNORE INTO"
		}
		// The agencies' figures, a row each that is not zero; the city's
		// own row (cityRollup) is not an agency's.
		var sel []string
		var args []any
		for _, f := range figureNames() {
			sel = append(sel, "SELECT month, agency, ?, "+f+", ? FROM litigation_months WHERE month = ? AND agency <> ? AND "+f+" <> 0")
			args = append(args, f, takenAt, month, cityRollup)
		}
		res := tx.Exec(insert+" litigation_snapshots (month, agency, figure, n, taken_at) "+strings.Join(sel, " UNION ALL "), args...)
		written = res.RowsAffected
		return res.Error
	})
	if err != nil {
		return 0, err
	}
	return int(written), nil
}

// Snapshots returns the frozen figures of the months from to to, both
// included and written YYYY-MM ("" leaves that end open), of agency (""
// for all), ordered by month, agency and figure. A month not written
// YYYY-MM, or from after to, is invalid.
func (s Litigation) Snapshots(ctx context.Context, from, to string, agency string) ([]litigation.Snapshot, error) {
	var p jiefen.Problems
	if from != "" && !validMonth(from) {
		p.Add("from", "%q is not a month written YYYY-MM", from)
	}
	if to != "" && !validMonth(to) {
		p.Add("to", "%q is not a month written YYYY-MM", to)
	}
	if len(p) == 0 && from != "" && to != "" && from > to {
		p.Add("to", "the months end before they begin")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	q := s.read(ctx).Model(&snapshotRow{})
	if from != "" {
		q = q.Where("month >= ?", from)
	}
	if to != "" {
		q = q.Where("month <= ?", to)
	}
	if agency != "" {
		q = q.Where("agency = ?", agency)
	}
	var rows []snapshotRow
	if err := q.Order("month, agency, figure").Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]litigation.Snapshot, len(rows))
	for i, r := range rows {
		out[i] = litigation.Snapshot{Month: r.Month, Agency: r.Agency, Figure: r.Figure, N: r.N, TakenAt: r.TakenAt.UTC()}
	}
	return out, nil
}
