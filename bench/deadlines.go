package main

import (
	"math/rand"
	"time"

	"jiefen/calendar"
	"jiefen/configs"
)

// deadlineWork is a fixed, seeded mix of clocks over the shipped calendar:
// the catalogue's rules from random trigger dates in 2007–2026.
type deadlineWork struct {
	cal    *calendar.Calendar
	clocks []calendar.Clock
	// naive form: the set of rest days and make-up days as strings, the way
	// a first implementation keeps them.
	holidays map[string]bool
	makeUp   map[string]bool
}

func newDeadlineWork(n int) (*deadlineWork, error) {
	notices, err := configs.Holidays()
	if err != nil {
		return nil, err
	}
	cal, err := calendar.New(calendar.Options{}, notices...)
	if err != nil {
		return nil, err
	}
	rules, err := configs.Rules("")
	if err != nil {
		return nil, err
	}
	var forward []calendar.Rule
	for _, r := range rules.All() {
		if !r.Before {
			forward = append(forward, r)
		}
	}
	w := &deadlineWork{cal: cal, holidays: map[string]bool{}, makeUp: map[string]bool{}}
	for _, nt := range notices {
		for _, d := range nt.Days {
			if d.Off {
				w.holidays[d.Date.String()] = true
			} else {
				w.makeUp[d.Date.String()] = true
			}
		}
	}
	rng := rand.New(rand.NewSource(42))
	lo := calendar.NewDate(2007, time.January, 1)
	span := int(calendar.NewDate(2026, time.June, 30) - lo)
	for i := 0; i < n; i++ {
		r := forward[rng.Intn(len(forward))]
		w.clocks = append(w.clocks, r.Clock(lo.AddDays(rng.Intn(span))))
	}
	return w, nil
}

// fast computes every deadline with the calendar package.
func (w *deadlineWork) fast() (int64, error) {
	var sum int64
	for _, k := range w.clocks {
		d, err := w.cal.Due(k, k.From)
		if err != nil {
			return 0, err
		}
		sum += int64(d)
	}
	return sum, nil
}

// naive computes the same deadlines the way a first implementation does:
// time.Time dates, walking day by day and asking string-keyed maps.
func (w *deadlineWork) naive() (int64, error) {
	var sum int64
	for _, k := range w.clocks {
		y, m, d := k.From.YMD()
		t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
		working := func(t time.Time) bool {
			s := t.Format("2006-01-02")
			if w.makeUp[s] {
				return true
			}
			if w.holidays[s] {
				return false
			}
			return t.Weekday() != time.Saturday && t.Weekday() != time.Sunday
		}
		switch k.Period.Unit {
		case calendar.Workdays:
			for n := 0; n < k.Period.N; {
				t = t.AddDate(0, 0, 1)
				if working(t) {
					n++
				}
			}
		case calendar.Days, calendar.Months:
			if k.Period.Unit == calendar.Days {
				t = t.AddDate(0, 0, k.Period.N)
			} else {
				target := time.Date(y, m+time.Month(k.Period.N), 1, 0, 0, 0, 0, time.UTC)
				last := target.AddDate(0, 1, -1).Day()
				t = time.Date(target.Year(), target.Month(), min(d, last), 0, 0, 0, 0, time.UTC)
			}
			for !working(t) {
				t = t.AddDate(0, 0, 1)
			}
		}
		sum += int64(calendar.NewDate(t.Year(), t.Month(), t.Day()))
	}
	return sum, nil
}
