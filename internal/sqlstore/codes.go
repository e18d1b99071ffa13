package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"sync"

	"gorm.io/gorm"
)

// codeBlockSize is how many dispute numbers a replica reserves at once
// when several database nodes take writes (Options.MultiPrimary): the
// year's counter row is then updated once per 50 intakes of a replica,
// not by every intake, so that intakes on different nodes seldom
// conflict on it.
const codeBlockSize = 50

// codeBlocks hands out the dispute numbers of blocks this replica reserved
// from the year's counter (dispute_counters), recording each block in
// dispute_code_blocks. Within a replica the numbers are handed out in
// rising order; across replicas they are unique, and they rise with the
// blocks, not with time: a replica still on an older block hands out
// numbers below those of a replica that reserved a newer one. A number
// reserved for an intake that did not go in (its transaction failed, or
// the intake turned out to be a replay or invalid) goes back to the
// replica's pool for the next intake. When the replica stops it gives
// back the numbers it holds where no one reserved after them (Close,
// releaseCodes); the others are gaps, which dispute_code_blocks records:
// every number in a block that no dispute carries.
type codeBlocks struct {
	holder string // who reserves: host, process and a random suffix (newHolder)
	size   int

	mu   sync.Mutex
	free map[int][]int64 // per year, ascending
}

func newCodeBlocks(size int) *codeBlocks {
	return &codeBlocks{holder: newHolder(), size: size, free: map[int][]int64{}}
}

// codeLease is the numbers leased to one intake batch: per year, in
// rising order. A rerun of the batch's transaction hands out the same
// numbers again, from the first.
type codeLease map[int][]int64

// leaseCodes takes need[year] numbers per year out of the replica's pool,
// reserving blocks first where the pool has too few. Reservation is a
// transaction of its own, before the intake's: the counter row is locked
// only as long as that short transaction.
func (s Disputes) leaseCodes(ctx context.Context, need map[int]int) (codeLease, error) {
	b := s.codes
	b.mu.Lock()
	defer b.mu.Unlock()
	years := make([]int, 0, len(need))
	for y := range need {
		years = append(years, y)
	}
	sort.Ints(years)
	lease := codeLease{}
	for _, y := range years {
		n := need[y]
		if short := n - len(b.free[y]); short > 0 {
			first, last, err := s.reserveBlock(ctx, y, max(short, b.size))
			if err != nil {
				b.giveBack(lease)
				return nil, err
			}
			for c := first; c <= last; c++ {
				b.free[y] = append(b.free[y], c)
			}
		}
		lease[y] = slices.Clone(b.free[y][:n])
		b.free[y] = b.free[y][n:]
	}
	return lease, nil
}

// returnCodes puts back the numbers of lease that the batch did not use:
// used[year] is how many of the year's it handed out, from the first.
func (s Disputes) returnCodes(lease codeLease, used map[int]int) {
	left := codeLease{}
	for y, codes := range lease {
		if u := used[y]; u < len(codes) {
			left[y] = codes[u:]
		}
	}
	s.codes.mu.Lock()
	defer s.codes.mu.Unlock()
	s.codes.giveBack(left)
}

// giveBack merges lease into the pool, under b.mu.
func (b *codeBlocks) giveBack(lease codeLease) {
	for y, codes := range lease {
		if len(codes) == 0 {
			continue
		}
		merged := append(slices.Clone(b.free[y]), codes...)
		slices.Sort(merged)
		b.free[y] = slices.Compact(merged)
	}
}

// reserveBlock adds n to the year's counter and records the block of
// numbers it reserved, in one transaction of its own (rerun like any on a
// lost race), and returns the block's first and last number.
func (s Disputes) reserveBlock(ctx context.Context, year, n int) (first, last int64, err error) {
	err = s.tx(ctx, func(tx *gorm.DB) error {
		l, err := s.bumpCounter(tx, year, n)
		if err != nil {
			return err
		}
		last, first = l, l-int64(n)+1
		return tx.Exec("INSERT INTO dispute_code_blocks (year, first, last, holder, reserved_at) VALUES (?, ?, ?, ?, ?)",
			year, first, last, s.codes.holder, s.Now()).Error
	})
	if err != nil {
		return 0, 0, fmt.Errorf("sqlstore: reserving dispute numbers of %d: %w", year, err)
	}
	return first, last, nil
}

// releaseCodes gives back, when the replica stops, the numbers it
// reserved and did not hand out, where no one reserved after them: for
// each year whose counter still ends at the last number of the pool, the
// counter goes back to below the pool's top run of free numbers, and the
// block recording them shrinks (or goes, when none of it was used), so
// that a replica restarted for an upgrade leaves no gap. Numbers someone
// reserved after stay gaps. Best effort: a failure leaves gaps, which
// dispute_code_blocks records, and nothing else.
func (s Disputes) releaseCodes(ctx context.Context) {
	b := s.codes
	b.mu.Lock()
	defer b.mu.Unlock()
	for y, free := range b.free {
		if len(free) == 0 {
			continue
		}
		top := len(free) - 1
		lo := top
		for lo > 0 && free[lo-1] == free[lo]-1 {
			lo--
		}
		from, to := free[lo], free[top]
		released := false
		err := s.tx(ctx, func(tx *gorm.DB) error {
			res := tx.Exec("UPDATE dispute_counters SET last = ? WHERE year = ? AND last = ?", from-1, y, to)
			if res.Error != nil || res.RowsAffected != 1 {
				return res.Error // someone reserved after: the numbers stay gaps
			}
			released = true
			if err := tx.Exec("DELETE FROM dispute_code_blocks WHERE year = ? AND first >= ? AND last <= ?", y, from, to).Error; err != nil {
				return err
			}
			return tx.Exec("UPDATE dispute_code_blocks SET last = ? WHERE year = ? AND first < ? AND last >= ? AND last <= ?", from-1, y, from, from, to).Error
		})
		if err == nil && released {
			b.free[y] = free[:lo]
		}
	}
}
