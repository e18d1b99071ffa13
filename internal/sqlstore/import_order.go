package sqlstore

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"jiefen/litigation"
)

// eachInCaseOrder calls fn with every row of file, in the order of their
// case numbers (year, then serial) as far as the file is not in it
// already. A court's own export is in filing order, and so are the case
// numbers; an import in that order writes each day's cases, facts and
// rollup rows side by side, where a file sorted by defendant or by
// closing date, or shuffled, writes all over every index of ten years at
// each batch and runs seven times slower at a million rows (BENCHMARKS.md,
// issue 25).
//
// Rows pass straight to fn while their keys do not fall. From the first
// that does, the rest of the file is spilled to a temporary file, keeping
// in memory only a key and an offset per row (24 bytes), sorted, and read
// back in order. The sort is stable and the rows of one case number share
// its key, so they reach fn in the order the file gives them, which is
// the order their merges follow (Case.MergeCourt): the import's outcome
// does not change, only its speed. Rows without a readable case number
// (key 0) come first and are rejected by their row number as before.
// sheets is the place of each sheet in the file, by name, to report
// rejections in the file's order.
func eachInCaseOrder(ctx context.Context, file CourtFile, fn func(litigation.CourtRow) error) (sheets map[string]int, err error) {
	sheets = map[string]int{}
	var spill *rowSpill
	defer func() {
		if spill != nil {
			spill.close()
		}
	}()
	var last uint64
	err = file.Each(ctx, func(row litigation.CourtRow) error {
		if _, ok := sheets[row.Sheet]; !ok {
			sheets[row.Sheet] = len(sheets)
		}
		k := caseOrderKey(row)
		if spill == nil {
			if k >= last {
				last = k
				return fn(row)
			}
			var err error
			if spill, err = newRowSpill(); err != nil {
				return err
			}
		}
		return spill.add(k, row)
	})
	if err != nil || spill == nil {
		return sheets, err
	}
	return sheets, spill.each(ctx, fn)
}

// caseOrderKey is the year and serial of the row's case number, 0 when it
// has none that parses.
func caseOrderKey(row litigation.CourtRow) uint64 {
	n, err := litigation.ParseCaseNumber(strings.TrimSpace(row.Values[litigation.ColCaseNumber]))
	if err != nil || n.Year < 0 || n.Serial < 0 {
		return 0
	}
	return uint64(n.Year)<<32 | uint64(uint32(n.Serial))
}

// rowSpill holds court rows in an unlinked temporary file, each written
// once (encodeRow) and found again by its place.
type rowSpill struct {
	f     *os.File
	w     *bufio.Writer
	size  int64
	index []spilled
	buf   []byte
}

// spilled is where a row of the spill is, and its key.
type spilled struct {
	key  uint64
	off  int64
	size uint32
}

func newRowSpill() (*rowSpill, error) {
	f, err := os.CreateTemp("", "jiefen-sort-*")
	if err != nil {
		return nil, err
	}
	// Unlinked at once, as the spooled file (courtfile.Open): nothing stays
	// behind, even when the process is killed.
	os.Remove(f.Name())
	return &rowSpill{f: f, w: bufio.NewWriterSize(f, 1<<20)}, nil
}

func (s *rowSpill) add(key uint64, row litigation.CourtRow) error {
	s.buf = encodeRow(s.buf[:0], row)
	if _, err := s.w.Write(s.buf); err != nil {
		return err
	}
	s.index = append(s.index, spilled{key: key, off: s.size, size: uint32(len(s.buf))})
	s.size += int64(len(s.buf))
	return nil
}

// each calls fn with the rows spilled, by key, in the order added within
// a key.
func (s *rowSpill) each(ctx context.Context, fn func(litigation.CourtRow) error) error {
	if err := s.w.Flush(); err != nil {
		return err
	}
	slices.SortStableFunc(s.index, func(a, b spilled) int {
		switch {
		case a.key < b.key:
			return -1
		case a.key > b.key:
			return 1
		}
		return 0
	})
	for i, at := range s.index {
		if i%ImportBatchSize == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		buf := slices.Grow(s.buf[:0], int(at.size))[:at.size]
		if _, err := s.f.ReadAt(buf, at.off); err != nil {
			return err
		}
		s.buf = buf
		row, err := decodeRow(buf)
		if err != nil {
			return err
		}
		if err := fn(row); err != nil {
			return err
		}
	}
	return nil
}

func (s *rowSpill) close() { s.f.Close() }

// encodeRow appends row to b: its sheet, line, values and headers, each
// string with its length in front.
func encodeRow(b []byte, row litigation.CourtRow) []byte {
	str := func(s string) {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	pairs := func(m map[string]string) {
		b = binary.AppendUvarint(b, uint64(len(m)))
		for k, v := range m {
			str(k)
			str(v)
		}
	}
	str(row.Sheet)
	b = binary.AppendVarint(b, int64(row.Line))
	pairs(row.Values)
	pairs(row.Headers)
	return b
}

// decodeRow reads a row encodeRow wrote.
func decodeRow(b []byte) (litigation.CourtRow, error) {
	bad := errors.New("a spilled court row is damaged")
	str := func() (string, error) {
		n, k := binary.Uvarint(b)
		if k <= 0 || n > uint64(len(b)-k) {
			return "", bad
		}
		s := string(b[k : k+int(n)])
		b = b[k+int(n):]
		return s, nil
	}
	pairs := func() (map[string]string, error) {
		n, k := binary.Uvarint(b)
		if k <= 0 || n > uint64(len(b)) {
			return nil, bad
		}
		b = b[k:]
		if n == 0 {
			return nil, nil
		}
		m := make(map[string]string, n)
		for range n {
			key, err := str()
			if err != nil {
				return nil, err
			}
			if m[key], err = str(); err != nil {
				return nil, err
			}
		}
		return m, nil
	}
	var row litigation.CourtRow
	var err error
	if row.Sheet, err = str(); err != nil {
		return row, err
	}
	line, k := binary.Varint(b)
	if k <= 0 {
		return row, bad
	}
	b, row.Line = b[k:], int(line)
	if row.Values, err = pairs(); err != nil {
		return row, err
	}
	if row.Headers, err = pairs(); err != nil {
		return row, err
	}
	if len(b) != 0 {
		return row, fmt.Errorf("%w: %d bytes left", bad, len(b))
	}
	return row, nil
}
