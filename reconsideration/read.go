package reconsideration

import "jiefen/calendar"

// Filter selects reconsideration cases; zero fields do not filter.
type Filter struct {
	Respondent string
	State      State
	From, To   *calendar.Date // received between, inclusive
	Limit      int
	Cursor     string
}
