package sqlstore

import (
	"context"
	"database/sql/driver"
	"encoding/binary"
	"errors"
	"slices"

	"gorm.io/gorm"

	"jiefen/calendar"
	"jiefen/litigation"
)

// pendRollups records d in litigation_rollup_pending, in the caller's
// transaction, for FoldRollups to apply: one row however many cells d
// moves.
func (s Litigation) pendRollups(tx *gorm.DB, d rollupDelta) error {
	blob := d.encode()
	if blob == nil {
		return nil
	}
	return tx.Exec("INSERT INTO litigation_rollup_pending (deltas) VALUES (?)", pendingBlob(blob)).Error
}

// pendingBlob is an encoded rollupDelta as the deltas column takes it: one
// value (gorm would spread a bare byte slice in raw SQL as a list).
type pendingBlob []byte

func (b pendingBlob) Value() (driver.Value, error) { return []byte(b), nil }

// FoldRollups applies the rollup changes that court file imports left
// pending and deletes them: each cell moves once by the sum of the changes
// of up to foldEvery batches, in a transaction per foldEvery rows pending
// (so that a fold's memory is bounded however many are pending). Every
// read of the rollups folds first, so that the statistics always answer
// what the facts hold; with nothing pending it costs one read of an empty
// table.
func (s Litigation) FoldRollups(ctx context.Context) error {
	for {
		var pending []int64
		if err := s.read(ctx).Raw("SELECT id FROM litigation_rollup_pending LIMIT 1").Scan(&pending).Error; err != nil {
			return translate(err)
		}
		if len(pending) == 0 {
			return nil
		}
		if err := s.foldSome(ctx); err != nil {
			return err
		}
	}
}

// foldSome folds the first foldEvery rows pending. Read committed: the
// rows locked are those pending now; a batch that commits meanwhile is
// left to the next fold. Two folding at once (replicas) apply each row
// once: the second waits for the first's locks and finds its rows gone.
func (s Litigation) foldSome(ctx context.Context) error {
	return translate(s.txReadCommitted(ctx, func(tx *gorm.DB) error {
		var ids []int64
		if err := tx.Raw("SELECT id FROM litigation_rollup_pending ORDER BY id LIMIT ?"+s.forUpdate(), foldEvery).Scan(&ids).Error; err != nil {
			return err
		}
		d := newRollupDelta()
		for chunk := range slices.Chunk(ids, 20) {
			var rows []struct {
				ID     int64
				Deltas []byte
			}
			if err := tx.Raw("SELECT id, deltas FROM litigation_rollup_pending WHERE id IN ?", chunk).Scan(&rows).Error; err != nil {
				return err
			}
			for _, r := range rows {
				if err := d.decode(r.Deltas); err != nil {
					return err
				}
			}
		}
		if err := s.applyRollups(tx, d); err != nil {
			return err
		}
		if len(ids) == 0 {
			return nil
		}
		return tx.Exec("DELETE FROM litigation_rollup_pending WHERE id IN ?", ids).Error
	}))
}

// Kinds of the entries of an encoded rollupDelta.
const (
	pendMonth byte = iota
	pendFirst
	pendLast
	pendLink
)

// encode writes d compactly (nil when it moves nothing): the strings it
// names (agencies and months), each once, then an entry per monthly cell
// (its kind, its strings' places, its figure's place in litigation.Figures
// and the change) and per row of the day rollup (its kind, its agency's
// place, its day, a bit per figure that moved and their changes) and per
// row of litigation_links (its kind, its agency's place, its two days, the
// bits and the changes).
func (d rollupDelta) encode() []byte {
	var names []string
	place := map[string]uint64{}
	ref := func(s string) uint64 {
		p, ok := place[s]
		if !ok {
			p = uint64(len(names))
			place[s] = p
			names = append(names, s)
		}
		return p
	}
	var entries []byte
	figure := func(f litigation.Figure) uint64 { return uint64(figureAt(f)) }
	for k, n := range d.months {
		if n == 0 {
			continue
		}
		entries = append(entries, pendMonth)
		entries = binary.AppendUvarint(entries, ref(k.agency))
		entries = binary.AppendUvarint(entries, ref(k.month))
		entries = binary.AppendUvarint(entries, figure(k.figure))
		entries = binary.AppendVarint(entries, int64(n))
	}
	for k, c := range d.edges {
		if c == (figureCounts{}) {
			continue
		}
		kind := pendFirst
		if k.edge == edgeLast {
			kind = pendLast
		}
		entries = append(entries, kind)
		entries = binary.AppendUvarint(entries, ref(k.agency))
		entries = binary.AppendVarint(entries, int64(k.day))
		entries = appendCounts(entries, c)
	}
	for k, c := range d.links {
		if c == (figureCounts{}) {
			continue
		}
		entries = append(entries, pendLink)
		entries = binary.AppendUvarint(entries, ref(k.agency))
		entries = binary.AppendVarint(entries, int64(k.from))
		entries = binary.AppendVarint(entries, int64(k.to))
		entries = appendCounts(entries, c)
	}
	if len(entries) == 0 {
		return nil
	}
	out := binary.AppendUvarint(nil, uint64(len(names)))
	for _, s := range names {
		out = binary.AppendUvarint(out, uint64(len(s)))
		out = append(out, s...)
	}
	return append(out, entries...)
}

// errBadPending is a row of litigation_rollup_pending that encode did not
// write.
var errBadPending = errors.New("sqlstore: a pending rollup change cannot be read")

// decode adds what encode wrote in blob to d.
func (d rollupDelta) decode(blob []byte) error {
	r := pendReader{b: blob}
	count := r.uvarint()
	if count > uint64(len(blob)) {
		return errBadPending
	}
	names := make([]string, count)
	for i := range names {
		names[i] = r.bytes(int(r.uvarint()))
	}
	name := func() string {
		i := r.uvarint()
		if i >= uint64(len(names)) {
			r.bad = true
			return ""
		}
		return names[i]
	}
	figure := func() litigation.Figure {
		i := r.uvarint()
		if i >= uint64(len(litigation.Figures)) {
			r.bad = true
			return ""
		}
		return litigation.Figures[i]
	}
	for !r.bad && len(r.b) > 0 {
		kind := r.b[0]
		r.b = r.b[1:]
		switch kind {
		case pendMonth:
			k := rollupKey{agency: name(), month: name(), figure: figure()}
			d.months[k] += int(r.varint())
		case pendFirst, pendLast:
			k := edgeRow{edge: edgeFirst, agency: name(), day: calendar.Date(r.varint())}
			if kind == pendLast {
				k.edge = edgeLast
			}
			d.edges[k] = r.counts(d.edges[k])
		case pendLink:
			k := linkRow{agency: name(), from: calendar.Date(r.varint()), to: calendar.Date(r.varint())}
			d.links[k] = r.counts(d.links[k])
		default:
			r.bad = true
		}
	}
	if r.bad {
		return errBadPending
	}
	return nil
}

// appendCounts writes the counts of c that are not zero: a bit per figure
// that has one, then those counts.
func appendCounts(b []byte, c figureCounts) []byte {
	var moved byte
	for i, n := range c {
		if n != 0 {
			moved |= 1 << i
		}
	}
	b = append(b, moved)
	for _, n := range c {
		if n != 0 {
			b = binary.AppendVarint(b, int64(n))
		}
	}
	return b
}

// pendReader reads what encode wrote; a short or malformed blob sets bad.
type pendReader struct {
	b   []byte
	bad bool
}

func (r *pendReader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.bad, r.b = true, nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *pendReader) varint() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.bad, r.b = true, nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

// counts adds to c the counts appendCounts wrote.
func (r *pendReader) counts(c figureCounts) figureCounts {
	if len(r.b) == 0 || r.b[0]>>len(c) != 0 {
		r.bad, r.b = true, nil
		return c
	}
	moved := r.b[0]
	r.b = r.b[1:]
	for i := range c {
		if moved&(1<<i) != 0 {
			c[i] += int(r.varint())
		}
	}
	return c
}

func (r *pendReader) bytes(n int) string {
	if n > len(r.b) {
		r.bad, r.b = true, nil
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}
