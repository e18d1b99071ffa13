package mediation

import "jiefen/calendar"

// This file holds what the registry lists and reports: the filter of the
// case queue, the subsidy ledger (以案定补) and the ratings report (好差评).

// Filter selects mediation cases; zero fields do not filter.
type Filter struct {
	Assignee string // a mediator's own queue
	State    State
	Track    string
	OrgCode  string
	From, To *calendar.Date // opened between, inclusive
	// IntakeOrg limits the cases to disputes registered by an org's desk.
	IntakeOrg string
	Limit     int
	Cursor    string // from the previous page
}

// SubsidyLine is one mediator's 以案定补 for a month, with the cases behind
// the amount.
type SubsidyLine struct {
	Mediator  string         `json:"mediator"`
	OrgCode   string         `json:"org_code"`
	Cases     []SubsidyCase  `json:"cases"`
	AmountFen int64          `json:"amount_fen"`
	ByTier    map[string]int `json:"by_tier"`
}

// SubsidyCase is a case that earned a subsidy.
type SubsidyCase struct {
	ID          int64  `json:"id"`
	DisputeCode string `json:"dispute_code"`
	// Title is the dispute's title as its column keeps it: masked
	// (jiefen.MaskText), for the ledger is a finance paper no one unmasks.
	Title     string        `json:"title"`
	Tier      string        `json:"tier"`
	EarnedOn  calendar.Date `json:"earned_on"`
	AmountFen int64         `json:"amount_fen"`
}

// RatingReport is 好差评 over a period: the follow-ups rated in it, the low
// ratings, and how many of those have been rectified.
type RatingReport struct {
	From      calendar.Date `json:"from"`
	To        calendar.Date `json:"to"`
	Rated     int           `json:"rated"`
	Average   *float64      `json:"average"`
	Low       int           `json:"low"` // rated LowRating or less
	Rectified int           `json:"rectified"`
	// RectifiedShare is Rectified ÷ Low, nil when nothing was rated low.
	RectifiedShare *float64 `json:"rectified_share"`
	// Revisited counts the low ratings rectified and then revisited: the
	// case had a follow-up (回访) after the rectification, whenever it
	// came. RevisitedShare is Revisited ÷ Low (实名差评回访整改率), nil
	// when nothing was rated low.
	Revisited      int            `json:"revisited"`
	RevisitedShare *float64       `json:"revisited_share"`
	LowCases       []LowRatedCase `json:"low_cases"`
}

// LowRatedCase is a low rating and its rectification.
type LowRatedCase struct {
	CaseID      int64          `json:"case_id"`
	DisputeCode string         `json:"dispute_code"`
	Mediator    string         `json:"mediator"`
	RatedOn     calendar.Date  `json:"rated_on"`
	Rating      int            `json:"rating"`
	RectifiedOn *calendar.Date `json:"rectified_on"`
	Action      string         `json:"action"`
	// RevisitedOn is the day of the first follow-up after the
	// rectification, nil while there is none.
	RevisitedOn *calendar.Date `json:"revisited_on"`
}

// Ending is how a case's mediation ended, as its dossier keeps it: the
// agreement reached, or the failure, and the judicial confirmation asked.
type Ending struct {
	Agreement    *Agreement
	Failure      *Failure
	Confirmation *Confirmation
}

// Outcomes are the mediations that ended in a period and how (调解成功率),
// and the judicial confirmations asked and given in it (司法确认,
// 《人民调解法》第33条), each counted on the day of its event.
type Outcomes struct {
	From calendar.Date `json:"from"`
	To   calendar.Date `json:"to"`
	// Agreed: agreements reached in the period; Failed: mediations ended
	// without agreement (调解不成) in it.
	Agreed int `json:"agreed"`
	Failed int `json:"failed"`
	// SuccessRate is Agreed ÷ (Agreed + Failed), nil when no mediation
	// ended in the period.
	SuccessRate *float64 `json:"success_rate"`
	// ConfirmationApplied: applications to the court for judicial
	// confirmation made in the period; Confirmed: agreements the court
	// confirmed in it.
	ConfirmationApplied int `json:"confirmation_applied"`
	Confirmed           int `json:"confirmed"`
}

// OutcomesDefinition names and versions what Outcomes count.
const OutcomesDefinition = "mediation.outcome/1: 调解成功率=当期达成调解协议的案件÷当期调解终结（达成协议或调解不成）的案件；司法确认以申请日、确认日计"

// CountOutcomes counts the endings of the period from to to, both included.
func CountOutcomes(endings []Ending, from, to calendar.Date) Outcomes {
	out := Outcomes{From: from, To: to}
	in := func(d calendar.Date) bool { return d >= from && d <= to }
	for _, e := range endings {
		if e.Agreement != nil && in(e.Agreement.On) {
			out.Agreed++
		}
		if e.Failure != nil && in(e.Failure.On) {
			out.Failed++
		}
		if c := e.Confirmation; c != nil {
			if in(c.AppliedOn) {
				out.ConfirmationApplied++
			}
			if c.Result == Confirmed && c.ResultOn != nil && in(*c.ResultOn) {
				out.Confirmed++
			}
		}
	}
	if n := out.Agreed + out.Failed; n > 0 {
		r := float64(out.Agreed) / float64(n)
		out.SuccessRate = &r
	}
	return out
}

// OutcomeFigures are the figures of Outcomes whose cases can be listed,
// as Outcomes' JSON keys name them.
var OutcomeFigures = []string{"agreed", "failed", "confirmation_applied", "confirmed"}

// Counts reports whether the ending counts in figure of the period from
// to to, under the definition of CountOutcomes (it counts the ending
// alone), so that a list of cases and its figure agree.
func (e Ending) Counts(figure string, from, to calendar.Date) bool {
	o := CountOutcomes([]Ending{e}, from, to)
	switch figure {
	case "agreed":
		return o.Agreed > 0
	case "failed":
		return o.Failed > 0
	case "confirmation_applied":
		return o.ConfirmationApplied > 0
	case "confirmed":
		return o.Confirmed > 0
	}
	return false
}

// OutcomeCase is a case behind a figure of Outcomes.
type OutcomeCase struct {
	CaseID      int64  `json:"case_id"`
	DisputeCode string `json:"dispute_code"`
	Track       string `json:"track"`
	OrgCode     string `json:"org_code"`
	OrgName     string `json:"org_name"` // set by the caller that knows the orgs
	Mediator    string `json:"mediator"`
}
