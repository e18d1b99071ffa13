package litigation

import (
	"time"

	"jiefen/calendar"
)

// Filter selects litigation cases, newest first; zero fields do not
// filter.
type Filter struct {
	Defendant string         // one of the defendants
	From, To  *calendar.Date // filed between, inclusive
	TypeCode  string
	Key       bool // key cases only
	Open      bool // not concluded only
	BeforeID  int64
	Limit     int
}

// Snapshot is one litigation figure of an agency in a month as it stood
// when the month was frozen; later corrections to the cases do not change
// it.
type Snapshot struct {
	Month   string    `json:"month"` // YYYY-MM
	Agency  string    `json:"agency"`
	Figure  string    `json:"figure"`
	N       int       `json:"n"`
	TakenAt time.Time `json:"taken_at"`
}
