// Package live holds the configuration that lives in the database and is
// shared by every replica: the working-day calendar (the State Council
// notices shipped in configs/holidays, overlaid by those loaded at run
// time) and the routing rules. Each replica caches them and looks for
// changes made elsewhere once per refresh interval.
package live

import (
	"context"
	"sync"
	"time"

	"jiefen/calendar"
	"jiefen/internal/sqlstore"
)

// Calendar hands out the current working-day calendar. It is safe for concurrent use.
type Calendar struct {
	db      *sqlstore.DB
	shipped []calendar.Notice
	opts    calendar.Options
	every   time.Duration

	mu      sync.Mutex
	cal     *calendar.Calendar
	origin  map[int]string // year → "shipped" or "database"
	checked time.Time
	stamp   string
}

// NewCalendar builds a calendar source over the shipped notices and the database.
func NewCalendar(db *sqlstore.DB, shipped []calendar.Notice, opts calendar.Options, refresh time.Duration) *Calendar {
	return &Calendar{db: db, shipped: shipped, opts: opts, every: refresh}
}

// Get returns the calendar, rebuilt when the database's tables have
// changed since it was last looked at (at most once per refresh interval,
// with one small read of the tables' versions). When the database cannot
// be read the last calendar is kept; the shipped tables alone serve before
// the first successful read. Callers wait while one of them looks: the
// look is one small read, and the rebuild it may lead to is rare (a notice
// loaded), so no caller counts on a calendar older than the database's.
func (s *Calendar) Get(ctx context.Context) (*calendar.Calendar, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cal != nil && time.Since(s.checked) < s.every {
		return s.cal, nil
	}
	stamp, err := s.db.Calendar.CalendarStamp(ctx)
	if err == nil && s.cal != nil && stamp == s.stamp {
		s.checked = time.Now()
		return s.cal, nil
	}
	var stored []sqlstore.StoredNotice
	if err == nil {
		stored, err = s.db.Calendar.CalendarNotices(ctx)
	}
	if err != nil {
		if s.cal != nil {
			return s.cal, nil
		}
		return s.build(nil)
	}
	s.checked = time.Now()
	cal, err := s.build(stored)
	if err == nil {
		s.stamp = stamp
	}
	return cal, err
}

// Invalidate makes the next Calendar call read the database, so that a
// table this replica just stored counts at once.
func (s *Calendar) Invalidate() {
	s.mu.Lock()
	s.checked = time.Time{}
	s.mu.Unlock()
}

func (s *Calendar) build(stored []sqlstore.StoredNotice) (*calendar.Calendar, error) {
	byYear := map[int]calendar.Notice{}
	origin := map[int]string{}
	for _, n := range s.shipped {
		byYear[n.Year], origin[n.Year] = n, "shipped"
	}
	for _, n := range stored {
		byYear[n.Notice.Year], origin[n.Notice.Year] = n.Notice, "database"
	}
	all := make([]calendar.Notice, 0, len(byYear))
	for _, n := range byYear {
		all = append(all, n)
	}
	cal, err := calendar.New(s.opts, all...)
	if err != nil {
		return nil, err
	}
	s.cal, s.origin = cal, origin
	return cal, nil
}

// Origin says where the table of year y came from: "shipped", "database",
// or "" when it is not loaded.
func (s *Calendar) Origin(y int) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.origin[y]
}
