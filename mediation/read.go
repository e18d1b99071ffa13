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
	RectifiedShare *float64       `json:"rectified_share"`
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
}
