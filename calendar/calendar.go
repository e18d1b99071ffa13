package calendar

import (
	"fmt"
	"slices"
	"sort"
	"time"

	"jiefen"
)

// Kind says what a day is.
type Kind uint8

// The kinds of day. A working day is a Monday to Friday that is not a
// statutory rest day, or a weekend day the State Council declared a
// make-up working day (调休上班).
const (
	Workday       Kind = iota + 1 // an ordinary Monday to Friday
	Weekend                       // an ordinary Saturday or Sunday
	Holiday                       // a rest day declared by the notice (放假)
	MakeUpWorkday                 // a weekend day declared a working day (调休上班)
)

// Working reports whether a day of kind k is a working day.
func (k Kind) Working() bool { return k == Workday || k == MakeUpWorkday }

func (k Kind) String() string {
	switch k {
	case Workday:
		return "workday"
	case Weekend:
		return "weekend"
	case Holiday:
		return "holiday"
	case MakeUpWorkday:
		return "make_up_workday"
	}
	return "unknown"
}

// NotLoadedError says that a computation needs a year the calendar cannot
// count: one before the first State Council notice loaded (2007), one
// before 2025 between two notices, or one beyond the provisional
// calendar's reach (ten years after the last notice).
type NotLoadedError struct{ Year int }

func (e *NotLoadedError) Error() string { return e.In(jiefen.English) }

// In is the error's message in lang.
func (e *NotLoadedError) In(lang jiefen.Lang) string {
	return jiefen.Textf("the holiday table of %d is not loaded", e.Year).In(lang)
}

// Calendar answers what a day is and counts working days, for the years
// whose notices it was built from and, after the last of them, the years
// counted provisionally on the statutory holidays (Provisional). It is
// immutable and safe for concurrent use. "Is this a working day" is one
// array lookup; counting n working days is a binary search over prefix
// counts, never a walk day by day.
type Calendar struct {
	first       Date   // 1 January of the first year
	firstYr     int    // its year
	kinds       []Kind // kinds[i] is the kind of first+i
	cum         []int32
	loaded      []bool // loaded[y-firstYr]: the year's notice is loaded
	provisional []bool // provisional[y-firstYr]: the year is counted on the statutory holidays
	names       map[Date]string
	notices     map[int]Notice
	rollover    Rollover
}

// Rollover says which last days of a natural-day or month period move to
// the next working day.
type Rollover string

const (
	// RollRestDays moves a last day that is any rest day, statutory holiday
	// or ordinary weekend (DOMAIN.md; 民事诉讼法 第85条 as the courts apply it:
	// 节假日 covers weekends). The default.
	RollRestDays Rollover = "rest_day"
	// RollHolidays moves only a last day inside a declared holiday, reading
	// 民法典 第203条 (法定休假日) narrowly; it is there for a city whose legal
	// office takes that reading.
	RollHolidays Rollover = "holiday"
)

// Options are the choices a city makes where the law leaves room.
type Options struct {
	Rollover    Rollover          // "" is RollRestDays
	Provisional ProvisionalPolicy // the years after the last notice
}

// New builds a calendar from notices. A later notice's word on a day wins
// over an earlier one's. The years after the last notice, up to
// o.Provisional.Years of them, are counted provisionally (Provisional), as
// is a year from 2025 between two notices that has none; a year before
// 2025 without a notice is not loaded, and asking about it is a
// NotLoadedError.
func New(o Options, notices ...Notice) (*Calendar, error) {
	rollover := o.Rollover
	if rollover == "" {
		rollover = RollRestDays
	}
	if rollover != RollRestDays && rollover != RollHolidays {
		return nil, fmt.Errorf("calendar: unknown rollover %q", rollover)
	}
	if len(notices) == 0 {
		return nil, fmt.Errorf("calendar: no notices")
	}
	notices = slices.Clone(notices)
	slices.SortFunc(notices, func(a, b Notice) int { return a.Year - b.Year })
	firstYr, lastYr := notices[0].Year, notices[len(notices)-1].Year+o.Provisional.years()
	c := &Calendar{
		first: NewDate(firstYr, time.January, 1), firstYr: firstYr,
		loaded: make([]bool, lastYr-firstYr+1), provisional: make([]bool, lastYr-firstYr+1),
		names: map[Date]string{}, notices: map[int]Notice{}, rollover: rollover,
	}
	end := NewDate(lastYr, time.December, 31)
	c.kinds = make([]Kind, int(end-c.first)+1)
	for i := range c.kinds {
		if isWeekend(c.first + Date(i)) {
			c.kinds[i] = Weekend
		} else {
			c.kinds[i] = Workday
		}
	}
	for _, n := range notices {
		if err := n.Validate(); err != nil {
			return nil, fmt.Errorf("calendar: %v", err)
		}
		if c.loaded[n.Year-firstYr] {
			return nil, fmt.Errorf("calendar: two notices for %d", n.Year)
		}
		c.loaded[n.Year-firstYr] = true
		c.notices[n.Year] = n
	}
	var days []Notice // the provisional years first, so that a notice's word on their days wins
	for y := max(firstYr, StatutoryFrom); y <= lastYr; y++ {
		if !c.loaded[y-firstYr] {
			c.provisional[y-firstYr] = true
			days = append(days, Provisional(y, o.Provisional))
		}
	}
	for _, n := range append(days, notices...) {
		for _, day := range n.Days {
			i := int(day.Date - c.first)
			if i < 0 || i >= len(c.kinds) {
				continue // a day of an adjacent year outside the calendar
			}
			if day.Off {
				c.kinds[i] = Holiday
			} else {
				c.kinds[i] = MakeUpWorkday
			}
			c.names[day.Date] = day.Name
		}
	}
	c.cum = make([]int32, len(c.kinds))
	var n int32
	for i, k := range c.kinds {
		if k.Working() {
			n++
		}
		c.cum[i] = n
	}
	return c, nil
}

// Years returns the loaded years in order.
func (c *Calendar) Years() []int {
	var ys []int
	for i, ok := range c.loaded {
		if ok {
			ys = append(ys, c.firstYr+i)
		}
	}
	return ys
}

// Loaded reports whether the notice of year y is loaded.
func (c *Calendar) Loaded(y int) bool {
	i := y - c.firstYr
	return i >= 0 && i < len(c.loaded) && c.loaded[i]
}

// Provisional reports whether year y is counted provisionally, on the
// statutory holidays, because its notice is not loaded.
func (c *Calendar) Provisional(y int) bool {
	i := y - c.firstYr
	return i >= 0 && i < len(c.provisional) && c.provisional[i]
}

// provisionalYears returns the provisionally counted years from lo to hi
// (inclusive, in either order), oldest first; none when every day between
// them is counted on a loaded notice. A span that ends in a loaded year is
// not provisional, even in its last days of December, which the next
// year's notice has at times changed (the notices of 2008, 2012, 2019 and
// 2023 named days of the December before): API.md calls provisional what
// reaches into a year with no notice, and loading the next notice counts
// every clock again.
func (c *Calendar) provisionalYears(lo, hi Date) []int {
	if lo > hi {
		lo, hi = hi, lo
	}
	var ys []int
	for y := lo.Year(); y <= hi.Year(); y++ {
		if c.Provisional(y) {
			ys = append(ys, y)
		}
	}
	return ys
}

// covers reports whether the calendar can count the days of year y, on its
// notice or provisionally.
func (c *Calendar) covers(y int) bool { return c.Loaded(y) || c.Provisional(y) }

// Notice returns the loaded notice of year y (never a provisional one).
func (c *Calendar) Notice(y int) (Notice, bool) {
	n, ok := c.notices[y]
	return n, ok
}

// Notices returns every loaded notice, oldest first.
func (c *Calendar) Notices() []Notice {
	out := make([]Notice, 0, len(c.notices))
	for _, y := range c.Years() {
		out = append(out, c.notices[y])
	}
	return out
}

// Rollover returns the calendar's rollover rule.
func (c *Calendar) Rollover() Rollover { return c.rollover }

// index returns d's position, or a NotLoadedError naming its year.
func (c *Calendar) index(d Date) (int, error) {
	if y := d.Year(); !c.covers(y) {
		return 0, &NotLoadedError{Year: y}
	}
	return int(d - c.first), nil
}

// Kind returns what d is.
func (c *Calendar) Kind(d Date) (Kind, error) {
	i, err := c.index(d)
	if err != nil {
		return 0, err
	}
	return c.kinds[i], nil
}

// Name returns the festival a notice names d for ("春节"), or "".
func (c *Calendar) Name(d Date) string { return c.names[d] }

// IsWorkday reports whether d is a working day.
func (c *Calendar) IsWorkday(d Date) (bool, error) {
	k, err := c.Kind(d)
	return k.Working(), err
}

// AddWorkdays returns the n-th working day after d (d itself is not
// counted), or for negative n the |n|-th working day before d.
func (c *Calendar) AddWorkdays(d Date, n int) (Date, error) {
	i, err := c.index(d)
	if err != nil {
		return 0, err
	}
	if n == 0 {
		return d, nil
	}
	if n > 0 {
		target := c.cum[i] + int32(n)
		if target > c.cum[len(c.cum)-1] {
			return 0, &NotLoadedError{Year: c.firstYr + len(c.loaded)}
		}
		j := i + 1 + sort.Search(len(c.cum)-i-1, func(k int) bool { return c.cum[i+1+k] >= target })
		return c.checkSpan(d, c.first+Date(j))
	}
	// Backwards: the working day w < d with cum[w] == cum[d-1] + n + 1 …
	// i.e. the last working day at or before index j where cum[j] == target.
	before := int32(0)
	if i > 0 {
		before = c.cum[i-1]
	}
	target := before + int32(n) + 1
	if target < 1 {
		return 0, &NotLoadedError{Year: c.firstYr - 1}
	}
	j := sort.Search(i, func(k int) bool { return c.cum[k] >= target })
	w := c.first + Date(j)
	if _, err := c.checkSpan(w, d); err != nil {
		return 0, err
	}
	return w, nil
}

// checkSpan returns hi, the end of a span [lo, hi] that a computation
// crossed, after making sure the calendar covers every year in it (a gap
// year gives no answer).
func (c *Calendar) checkSpan(lo, hi Date) (Date, error) {
	for y := lo.Year(); y <= hi.Year(); y++ {
		if !c.covers(y) {
			return 0, &NotLoadedError{Year: y}
		}
	}
	return hi, nil
}

// NextWorkday returns d when it is a working day, else the first working
// day after it.
func (c *Calendar) NextWorkday(d Date) (Date, error) {
	i, err := c.index(d)
	if err != nil {
		return 0, err
	}
	if c.kinds[i].Working() {
		return d, nil
	}
	return c.AddWorkdays(d, 1)
}

// roll applies the rollover rule to the last day of a natural-day or month
// period.
func (c *Calendar) roll(d Date) (Date, error) {
	if c.rollover == RollRestDays {
		return c.NextWorkday(d)
	}
	for {
		k, err := c.Kind(d)
		if err != nil || k != Holiday {
			return d, err
		}
		d++
	}
}

// WorkdaysBetween counts the working days in (a, b]: after a, up to and
// including b.
func (c *Calendar) WorkdaysBetween(a, b Date) (int, error) {
	i, err := c.index(a)
	if err != nil {
		return 0, err
	}
	j, err := c.index(b)
	if err != nil {
		return 0, err
	}
	if _, err := c.checkSpan(min(a, b), max(a, b)); err != nil {
		return 0, err
	}
	return int(c.cum[j] - c.cum[i]), nil
}
