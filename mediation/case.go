// Package mediation holds mediation cases on the three tracks (人民调解,
// 行政调解, 司法调解): acceptance, sessions, agreements, judicial
// confirmation (司法确认), follow-up visits (回访) and ratings, and the
// per-case subsidy of people's mediators (以案定补).
package mediation

import (
	"strings"
	"time"

	"jiefen"
	"jiefen/calendar"
)

// State is where a mediation case stands.
type State string

// The states a case passes through. Routing opens a case as assigned, or
// waiting when every mediator of the org is at capacity.
const (
	StateWaiting     State = "waiting"
	StateAssigned    State = "assigned"
	StateTransferred State = "transferred"
)

// Case is a mediation case opened when a dispute is routed to a mediating
// track.
type Case struct {
	ID          int64  `json:"id"`
	DisputeID   int64  `json:"dispute_id"`
	DisputeCode string `json:"dispute_code"`
	Track       string `json:"track"`
	OrgCode     string `json:"org_code"`
	Assignee    string `json:"assignee"`
	// AssignReason says why the case went to its assignee (or waits).
	AssignReason string        `json:"assignment_reason"`
	State        State         `json:"state"`
	OpenedOn     calendar.Date `json:"opened_on"`
	ClockRule    string        `json:"clock_rule"`
	Clocks       []Clock       `json:"clocks"`
	Version      int64         `json:"version"`
	CreatedAt    time.Time     `json:"created_at"`
	UpdatedAt    time.Time     `json:"updated_at"`
}

// Clock is one statutory clock of a case as API.md shows it.
type Clock struct {
	Rule  string         `json:"rule"`
	From  calendar.Date  `json:"from"`
	Due   *calendar.Date `json:"due"`
	Basis string         `json:"basis"`
	State calendar.State `json:"state"`
}

// Assignment is a request to hand a case to a mediator.
type Assignment struct {
	Assignee string
}

// Validate names a missing assignee.
func (a *Assignment) Validate() error {
	a.Assignee = strings.ToLower(strings.TrimSpace(a.Assignee))
	if a.Assignee == "" {
		var p jiefen.Problems
		p.Add("assignee", "is required: the username of an active mediator of the case's org")
		return p.Err()
	}
	return nil
}
