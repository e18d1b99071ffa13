package litigation

import (
	"cmp"
	"maps"
	"slices"
	"strings"

	"jiefen/calendar"
)

// Definition names and versions the statistics, and is sent with every
// answer: no national formula exists (DOMAIN.md), so a figure is only
// meaningful with the definition it was counted under.
const Definition = "jiefen-litigation/1: filed = cases filed in the window; concluded = cases concluded in it (any result, " +
	"withdrawals and mediation included); lost = those concluded by annulment, partial annulment, variation, a declaration " +
	"of unlawfulness or voidness, an order to perform or compensation; loss_rate = lost / concluded; heard = cases with a " +
	"hearing dated in the window; head_appeared = those with a hearing in the window at which the principal head, a deputy " +
	"or the leader in charge appeared (not staff); appearance_rate = head_appeared / heard; key_* = the same over cases " +
	"with a key flag. A case counts once per group: grouped by month, in each month of its events. Rates are null when " +
	"the denominator is 0."

// Figure is one of the counts of the statistics.
type Figure string

// The figures of API.md.
const (
	Filed           Figure = "filed"
	Concluded       Figure = "concluded"
	Lost            Figure = "lost"
	Heard           Figure = "heard"
	HeadAppeared    Figure = "head_appeared"
	KeyHeard        Figure = "key_heard"
	KeyHeadAppeared Figure = "key_head_appeared"
)

// Figures lists every figure.
var Figures = []Figure{Filed, Concluded, Lost, Heard, HeadAppeared, KeyHeard, KeyHeadAppeared}

// Fact is one event of a case that a figure counts: the figure and the
// day. A case counts once in a figure of a group however many of its facts
// fall in it.
type Fact struct {
	Figure Figure
	On     calendar.Date
}

// Facts lists the events of the case that the statistics count: filing,
// conclusion (and loss), and every hearing day (with the head appearing),
// key-case figures besides for a key case. Hearings on one day are one
// fact.
func (c *Case) Facts() []Fact {
	facts := []Fact{{Filed, c.FiledOn}}
	if o := c.Outcome; o != nil {
		facts = append(facts, Fact{Concluded, o.ConcludedOn})
		if o.Result.Lost() {
			facts = append(facts, Fact{Lost, o.ConcludedOn})
		}
	}
	seen := map[Fact]bool{}
	for _, h := range c.Hearings {
		add := []Figure{Heard}
		if h.HeadAppeared {
			add = append(add, HeadAppeared)
		}
		if c.Key() {
			add = append(add, KeyHeard)
			if h.HeadAppeared {
				add = append(add, KeyHeadAppeared)
			}
		}
		for _, f := range add {
			if k := (Fact{f, h.HeldOn}); !seen[k] {
				seen[k] = true
				facts = append(facts, k)
			}
		}
	}
	return facts
}

// Month is the YYYY-MM of a day.
func Month(d calendar.Date) string { return d.String()[:7] }

// Row is one group of the statistics.
type Row struct {
	AgencyCode      *string  `json:"agency_code"`
	AgencyName      *string  `json:"agency_name"` // set by the caller that knows the orgs`
	Month           *string  `json:"month"`
	Filed           int      `json:"filed"`
	Concluded       int      `json:"concluded"`
	Lost            int      `json:"lost"`
	LossRate        *float64 `json:"loss_rate"`
	Heard           int      `json:"heard"`
	HeadAppeared    int      `json:"head_appeared"`
	AppearanceRate  *float64 `json:"appearance_rate"`
	KeyHeard        int      `json:"key_heard"`
	KeyHeadAppeared int      `json:"key_head_appeared"`
}

// Add adds n to a figure of the row.
func (r *Row) Add(f Figure, n int) {
	switch f {
	case Filed:
		r.Filed += n
	case Concluded:
		r.Concluded += n
	case Lost:
		r.Lost += n
	case Heard:
		r.Heard += n
	case HeadAppeared:
		r.HeadAppeared += n
	case KeyHeard:
		r.KeyHeard += n
	case KeyHeadAppeared:
		r.KeyHeadAppeared += n
	}
}

// Rates sets the rates from the counts: nil on an empty denominator.
func (r *Row) Rates() {
	r.LossRate, r.AppearanceRate = ratio(r.Lost, r.Concluded), ratio(r.HeadAppeared, r.Heard)
}

func ratio(a, b int) *float64 {
	if b == 0 {
		return nil
	}
	x := float64(a) / float64(b)
	return &x
}

// Grouping is how the statistics are grouped.
type Grouping struct{ Agency, Month bool }

// Count is the reference computation of the statistics of [from, to] over
// cases, straight from the definition: grouped by agency, a case counts in
// the group of each of its defendants; otherwise once. The store answers
// from rollups and must agree with it.
func Count(cases []Case, from, to calendar.Date, g Grouping) []Row {
	type key struct{ agency, month string }
	rows := map[key]*Row{}
	counted := map[key]map[Figure]map[int64]bool{}
	for i := range cases {
		c := &cases[i]
		for _, f := range c.Facts() {
			if f.On < from || f.On > to {
				continue
			}
			agencies := []string{""} // the city: the case once
			if g.Agency {
				agencies = c.Defendants // each defendant
			}
			for _, agency := range agencies {
				k := key{agency: agency}
				if g.Month {
					k.month = Month(f.On)
				}
				if counted[k] == nil {
					counted[k] = map[Figure]map[int64]bool{}
				}
				if counted[k][f.Figure] == nil {
					counted[k][f.Figure] = map[int64]bool{}
				}
				if counted[k][f.Figure][c.ID] {
					continue
				}
				counted[k][f.Figure][c.ID] = true
				if rows[k] == nil {
					rows[k] = &Row{}
					if g.Agency {
						a := k.agency
						rows[k].AgencyCode = &a
					}
					if g.Month {
						m := k.month
						rows[k].Month = &m
					}
				}
				rows[k].Add(f.Figure, 1)
			}
		}
	}
	out := make([]Row, 0, len(rows))
	for _, r := range rows {
		r.Rates()
		out = append(out, *r)
	}
	if len(out) == 0 && !g.Agency && !g.Month {
		out = append(out, Row{}) // ungrouped: one row, zeros and null rates
	}
	SortRows(out)
	return out
}

// SortRows orders rows by agency, then month.
func SortRows(rows []Row) {
	str := func(s *string) string {
		if s == nil {
			return ""
		}
		return *s
	}
	slices.SortFunc(rows, func(a, b Row) int {
		return cmp.Or(strings.Compare(str(a.AgencyCode), str(b.AgencyCode)), strings.Compare(str(a.Month), str(b.Month)))
	})
}

// FirstInstanceTypes returns the type codes of administrative
// first-instance suits, administrative compensation and IP courts' included
// (行初, 行赔初, 知行初 …): the new suits that 双下降 counts.
func FirstInstanceTypes() []string {
	var out []string
	for _, t := range CaseTypes() {
		if t.Administrative && t.Instance == InstanceFirst {
			out = append(out, t.Code)
		}
	}
	for _, t := range CaseTypes() {
		if t.Administrative && t.Instance == InstanceFirst {
			out = append(out, "知"+t.Code)
		}
	}
	return out
}

// DoubleDecline is 双下降 for one agency or the city: year on year, fewer
// new first-instance suits and a lower loss rate.
type DoubleDecline struct {
	AgencyCode   *string  `json:"agency_code,omitempty"`
	AgencyName   *string  `json:"agency_name,omitempty"`
	FiledPrev    int      `json:"filed_prev"`
	Filed        int      `json:"filed"`
	LossRatePrev *float64 `json:"loss_rate_prev"`
	LossRate     *float64 `json:"loss_rate"`
	// Achieved is true when both fell, false when either did not, and nil
	// when a loss rate is undefined.
	Achieved *bool `json:"achieved"`
}

// Decline compares a year's row with the year before's. "Filed" counts the
// first-instance suits of each year (the caller passes rows over cases of
// the first instance for the filed figures).
func Decline(prev, cur Row) DoubleDecline {
	d := DoubleDecline{FiledPrev: prev.Filed, Filed: cur.Filed, LossRatePrev: ratio(prev.Lost, prev.Concluded), LossRate: ratio(cur.Lost, cur.Concluded)}
	if d.LossRatePrev != nil && d.LossRate != nil {
		ok := d.Filed < d.FiledPrev && *d.LossRate < *d.LossRatePrev
		d.Achieved = &ok
	}
	return d
}

// YearFigures are one calendar year's figures behind 双下降: the
// first-instance suits filed (FirstInstanceTypes), by agency (a suit in
// each of its defendants') and city-wide (each suit once), and the
// concluded and lost cases, by agency (rows with AgencyCode set) and for
// the city.
type YearFigures struct {
	Filed     map[string]int
	CityFiled int
	Rows      []Row
	City      Row
}

// DoubleDeclines is 双下降 of a year against the year before: the city's,
// and every agency's that has a figure in either year (the city government
// and the townships included), ordered by agency code. The caller names
// the agencies.
func DoubleDeclines(prev, cur YearFigures) (city DoubleDecline, agencies []DoubleDecline) {
	cityRow := func(f YearFigures) Row {
		r := f.City
		r.Filed = f.CityFiled
		return r
	}
	agencyRow := func(f YearFigures, agency string) Row {
		var r Row
		for _, x := range f.Rows {
			if x.AgencyCode != nil && *x.AgencyCode == agency {
				r.Concluded, r.Lost = x.Concluded, x.Lost
			}
		}
		r.Filed = f.Filed[agency]
		return r
	}
	codes := map[string]bool{}
	for _, f := range []YearFigures{prev, cur} {
		for a := range f.Filed {
			codes[a] = true
		}
		for _, r := range f.Rows {
			if r.AgencyCode != nil {
				codes[*r.AgencyCode] = true
			}
		}
	}
	agencies = []DoubleDecline{}
	for _, a := range slices.Sorted(maps.Keys(codes)) {
		d := Decline(agencyRow(prev, a), agencyRow(cur, a))
		d.AgencyCode = &a
		agencies = append(agencies, d)
	}
	return Decline(cityRow(prev), cityRow(cur)), agencies
}

// Thresholds decide which agency heads are interviewed (约谈): enough
// concluded cases, and a loss rate at or over the limit or an appearance
// rate under the floor. They are local configuration.
type Thresholds struct {
	LossRate          float64 `json:"loss_rate"`           // at or over: a candidate
	MinConcluded      int     `json:"min_concluded"`       // fewer concluded cases: never a candidate on the loss rate
	MinAppearanceRate float64 `json:"min_appearance_rate"` // under: a candidate
}

// Candidate is an agency whose head should be interviewed, and why.
type Candidate struct {
	AgencyCode string   `json:"agency_code"`
	AgencyName string   `json:"agency_name"`
	Row        Row      `json:"figures"`
	Reasons    []string `json:"reasons"`
}

// Candidates returns the agencies (rows grouped by agency) that cross the
// thresholds.
func (t Thresholds) Candidates(rows []Row) []Candidate {
	out := []Candidate{}
	for _, r := range rows {
		if r.AgencyCode == nil {
			continue
		}
		var why []string
		if r.Concluded >= t.MinConcluded && r.LossRate != nil && *r.LossRate >= t.LossRate {
			why = append(why, "loss_rate")
		}
		if r.AppearanceRate != nil && *r.AppearanceRate < t.MinAppearanceRate {
			why = append(why, "appearance_rate")
		}
		if len(why) > 0 {
			c := Candidate{AgencyCode: *r.AgencyCode, Row: r, Reasons: why}
			if r.AgencyName != nil {
				c.AgencyName = *r.AgencyName
			}
			out = append(out, c)
		}
	}
	return out
}
