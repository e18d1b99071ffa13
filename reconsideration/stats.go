package reconsideration

import (
	"slices"
	"sort"

	"jiefen/calendar"
)

// RateBasis is what the correction rate (纠错率) divides by. No national
// formula fixes it: "concluded" counts every case concluded in the period
// (审结: decisions, mediation, settlement, termination), the reading of
// DOMAIN.md ("÷ decided"); "decisions" counts only decisions on the merits
// (变更, 撤销, 确认违法, 责令履行, 确认无效, 维持, 驳回). Configurable as
// reconsideration.correction_rate_basis.
type RateBasis string

// The bases of the correction rate.
const (
	BasisConcluded RateBasis = "concluded"
	BasisDecisions RateBasis = "decisions"
)

// Figures are the counts of a period, each over the cases whose event fell
// in it.
type Figures struct {
	Received int `json:"received"` // applications received
	Accepted int `json:"accepted"` // accepted, explicitly or deemed
	Decided  int `json:"decided"`  // concluded, by any result
	// Corrected: 变更, 撤销, 确认违法, 责令履行, 确认无效.
	Corrected int `json:"corrected"`
	// CorrectionRate is Corrected ÷ the rate's basis, nil when that is 0.
	CorrectionRate *float64 `json:"correction_rate"`
	// ResolvedByMediation: ended by mediation or settlement (实质性化解).
	ResolvedByMediation int `json:"resolved_by_mediation"`
	// Overdue: decision clocks that fell due in the period and are still
	// pending past their due day.
	Overdue int `json:"overdue"`
	// Late: decision clocks that fell due in the period and were met after
	// their due day (超期办结).
	Late int `json:"late"`
	// LaterLawsuits: cases concluded in the period that a lawsuit on the
	// same act followed.
	LaterLawsuits int `json:"later_lawsuits"`
	// CommitteeConsulted: the opinions of the reconsideration committee
	// (行政复议委员会, 《行政复议法》第52条) given in the period.
	CommitteeConsulted int `json:"committee_consulted"`
	basis              int
}

// Stats are the figures of a period, with the same figures by month (of
// the event) and by respondent agency.
type Stats struct {
	From  calendar.Date `json:"from"`
	To    calendar.Date `json:"to"`
	Basis RateBasis     `json:"correction_rate_basis"`
	Figures
	ByMonth      []MonthFigures      `json:"by_month"`
	ByRespondent []RespondentFigures `json:"by_respondent"`
}

// MonthFigures are the figures of one month (YYYY-MM).
type MonthFigures struct {
	Month string `json:"month"`
	Figures
}

// RespondentFigures are the figures of one respondent agency.
type RespondentFigures struct {
	Respondent string `json:"respondent"`
	Figures
}

// Count computes the statistics of [from, to] over cases whose clocks are
// computed.
func Count(cases []Case, from, to calendar.Date, basis RateBasis) Stats {
	st := Stats{From: from, To: to, Basis: basis, ByMonth: []MonthFigures{}, ByRespondent: []RespondentFigures{}}
	months := map[string]*Figures{}
	agencies := map[string]*Figures{}
	month := func(d calendar.Date) *Figures {
		m := d.String()[:7]
		if months[m] == nil {
			months[m] = &Figures{}
		}
		return months[m]
	}
	agency := func(r string) *Figures {
		if agencies[r] == nil {
			agencies[r] = &Figures{}
		}
		return agencies[r]
	}
	in := func(d calendar.Date) bool { return d >= from && d <= to }
	for i := range cases {
		c := &cases[i]
		each := func(on calendar.Date, f func(*Figures)) {
			if in(on) {
				f(&st.Figures)
				f(month(on))
				f(agency(c.Respondent))
			}
		}
		each(c.ReceivedOn, func(f *Figures) { f.Received++ })
		for _, o := range c.Committee {
			each(o.On, func(f *Figures) { f.CommitteeConsulted++ })
		}
		if c.AcceptedOn != nil {
			each(*c.AcceptedOn, func(f *Figures) { f.Accepted++ })
		}
		if d := c.Decision; d != nil {
			each(d.On, func(f *Figures) {
				f.Decided++
				if d.Result.Corrects() {
					f.Corrected++
				}
				if d.Result.Resolves() {
					f.ResolvedByMediation++
				}
				if len(c.LaterLawsuits) > 0 {
					f.LaterLawsuits++
				}
				if basis != BasisDecisions || (!d.Result.Resolves() && d.Result != Terminated) {
					f.basis++
				}
			})
		}
		if k := c.DecisionClock(); k != nil && k.Due != nil {
			switch k.State {
			case calendar.Overdue:
				each(*k.Due, func(f *Figures) { f.Overdue++ })
			case calendar.Late:
				each(*k.Due, func(f *Figures) { f.Late++ })
			}
		}
	}
	st.Figures.rate()
	for m, f := range months {
		f.rate()
		st.ByMonth = append(st.ByMonth, MonthFigures{Month: m, Figures: *f})
	}
	sort.Slice(st.ByMonth, func(i, j int) bool { return st.ByMonth[i].Month < st.ByMonth[j].Month })
	for r, f := range agencies {
		f.rate()
		st.ByRespondent = append(st.ByRespondent, RespondentFigures{Respondent: r, Figures: *f})
	}
	sort.Slice(st.ByRespondent, func(i, j int) bool { return st.ByRespondent[i].Respondent < st.ByRespondent[j].Respondent })
	return st
}

func (f *Figures) rate() {
	if f.basis > 0 {
		r := float64(f.Corrected) / float64(f.basis)
		f.CorrectionRate = &r
	}
}

// Figure names a figure of the statistics, as Figures' JSON keys name it.
type Figure string

// The figures whose cases can be listed (Matching).
var FigureNames = []Figure{"received", "accepted", "decided", "corrected", "resolved_by_mediation", "overdue", "late", "later_lawsuits", "committee_consulted"}

// Matching returns the cases behind figure f of the period: those that
// Count counts in it, each counted alone, so that the list and the figure
// share one definition. It reports false for a figure it does not know.
func Matching(cases []Case, from, to calendar.Date, basis RateBasis, f Figure) ([]Case, bool) {
	if !slices.Contains(FigureNames, f) {
		return nil, false
	}
	out := []Case{}
	for _, c := range cases {
		n := Count([]Case{c}, from, to, basis).Figures
		v := map[Figure]int{"received": n.Received, "accepted": n.Accepted, "decided": n.Decided, "corrected": n.Corrected,
			"resolved_by_mediation": n.ResolvedByMediation, "overdue": n.Overdue, "late": n.Late, "later_lawsuits": n.LaterLawsuits,
			"committee_consulted": n.CommitteeConsulted}[f]
		if v > 0 {
			out = append(out, c)
		}
	}
	return out, true
}
