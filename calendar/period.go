package calendar

import (
	"fmt"
)

// Unit is how a period counts.
type Unit string

// The units of API.md.
const (
	// Workdays counts working days (行政复议法 第88条: its periods of 3, 5, 7
	// and 10 days); make-up working days count, rest days do not.
	Workdays Unit = "workdays"
	// Days counts natural days; holidays inside count, and a last day that
	// is a rest day rolls to the next working day (民事诉讼法 第85条).
	Days Unit = "days"
	// Months counts calendar months to the corresponding day, or the
	// month's last day (民法典 第202条), then rolls like Days.
	Months Unit = "months"
)

// Label is the Chinese name of the unit, as a message names it; an unknown
// unit is its own name.
func (u Unit) Label() string {
	switch u {
	case Workdays:
		return "工作日"
	case Days:
		return "日"
	case Months:
		return "个月"
	}
	return string(u)
}

// Valid reports whether u is a known unit.
func (u Unit) Valid() bool { return u == Workdays || u == Days || u == Months }

// Period is a length of time in one unit.
type Period struct {
	Unit Unit `json:"unit"`
	N    int  `json:"n"`
}

// Pause is an interval in which a clock does not run (中止, 鉴定, 公告, and
// mediation periods; 行诉法解释 第50条): from the day it began to the day
// the clock resumed. An ongoing pause has no Resumed date.
type Pause struct {
	From    Date  `json:"from"`
	Resumed *Date `json:"resumed,omitempty"`
}

// Clock is a statutory period running from a trigger date, with the pauses
// and extensions it has had. Its due date is always recomputed from these
// events, never kept as a counter.
type Clock struct {
	From       Date
	Period     Period
	Before     bool    // the period runs backwards: the latest day to act before From
	Pauses     []Pause // each adds Resumed−From days to the raw period
	Extensions []int   // each adds its days to the raw period
}

// Due returns the last day of the clock, asOf being the day an ongoing
// pause is taken to end (usually today). The trigger day is not counted.
//
// Pauses and extensions lengthen the raw period before the last-day
// rollover (API.md, "Conventions"): a pause from S to resumption R adds
// R−S natural days. For a working-day period the raw last day is the n-th
// working day; the added days are natural days and the result then moves
// to a working day, which keeps "a pause of R−S days" meaning the same on
// every kind of clock. A backward clock (Before) is the latest day to act:
// it is not rolled, because moving it later would shorten the notice it
// protects.
func (c *Calendar) Due(k Clock, asOf Date) (Date, error) {
	if !k.Period.Unit.Valid() {
		return 0, fmt.Errorf("calendar: unknown unit %q", k.Period.Unit)
	}
	if k.Period.N < 0 {
		return 0, fmt.Errorf("calendar: a period cannot be negative")
	}
	if k.Before {
		return c.before(k.From, k.Period)
	}
	extra := 0
	for _, p := range k.Pauses {
		end := asOf
		if p.Resumed != nil {
			end = *p.Resumed
		}
		if end > p.From {
			extra += int(end - p.From)
		}
	}
	for _, e := range k.Extensions {
		extra += e
	}
	var raw Date
	switch k.Period.Unit {
	case Workdays:
		d, err := c.AddWorkdays(k.From, k.Period.N)
		if err != nil {
			return 0, err
		}
		if extra == 0 {
			return d, nil
		}
		return c.NextWorkday(d.AddDays(extra))
	case Days:
		raw = k.From.AddDays(k.Period.N + extra)
	case Months:
		raw = k.From.AddMonths(k.Period.N).AddDays(extra)
	}
	if _, err := c.index(k.From); err != nil {
		return 0, err
	}
	if _, err := c.checkSpan(k.From, raw); err != nil {
		return 0, err
	}
	return c.roll(raw)
}

// Deadline is the last day of a clock and the years it was counted on
// provisionally: none when the day is final, else the years whose State
// Council notice was not loaded when it was counted (DOMAIN.md,
// "Provisional calendar"). Loading them counts it again.
type Deadline struct {
	Due         Date
	Provisional []int
}

// Deadline returns Due's day with the provisional years it crossed: the
// days after the trigger up to the due date (before it, for a backward
// clock).
func (c *Calendar) Deadline(k Clock, asOf Date) (Deadline, error) {
	due, err := c.Due(k, asOf)
	if err != nil {
		return Deadline{}, err
	}
	return Deadline{Due: due, Provisional: c.provisionalIn(k, due)}, nil
}

// Basis is the legal basis of a deadline as shown beside it: basis, and
// when the day is provisional why (ProvisionalBasis).
func (d Deadline) Basis(basis string) string {
	if len(d.Provisional) == 0 {
		return basis
	}
	return basis + "（" + ProvisionalBasis(d.Provisional) + "）"
}

// provisionalIn returns the provisionally counted years that the clock k,
// due on due, was counted across: the days from the day after the trigger
// to the due day, or for a backward clock from the due day to the day
// before the trigger. A backward clock of natural days or months depends on
// no day's kind and is never provisional.
func (c *Calendar) provisionalIn(k Clock, due Date) []int {
	switch {
	case k.Before && k.Period.Unit != Workdays:
		return nil
	case k.Before:
		return c.provisionalYears(due, max(due, k.From-1))
	}
	return c.provisionalYears(min(k.From+1, due), due)
}

func (c *Calendar) before(from Date, p Period) (Date, error) {
	switch p.Unit {
	case Workdays:
		return c.AddWorkdays(from, -p.N)
	case Months:
		d := from.AddMonths(-p.N)
		_, err := c.checkSpan(d, from)
		return d, err
	default:
		d := from.AddDays(-p.N)
		_, err := c.checkSpan(d, from)
		return d, err
	}
}
