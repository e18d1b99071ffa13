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

// The states a case passes through:
//
//	waiting → assigned → accepted → in_mediation → agreement → confirmation → followup → closed
//	                        └──────────┴→ failed → (followup →) closed, or transferred
//
// Routing opens a case as assigned, or waiting when every mediator of the
// org is at capacity. A transfer of the dispute leaves its open case
// transferred.
const (
	StateWaiting      State = "waiting"
	StateAssigned     State = "assigned"
	StateAccepted     State = "accepted"
	StateInMediation  State = "in_mediation"
	StateAgreement    State = "agreement"
	StateFailed       State = "failed"
	StateConfirmation State = "confirmation"
	StateFollowUp     State = "followup"
	StateClosed       State = "closed"
	StateTransferred  State = "transferred"
)

// Label is the Chinese name of the state, as the pages show it; an unknown
// state is its own name.
func (s State) Label() string {
	switch s {
	case StateWaiting:
		return "待分派"
	case StateAssigned:
		return "已分派"
	case StateAccepted:
		return "已受理"
	case StateInMediation:
		return "调解中"
	case StateAgreement:
		return "达成协议"
	case StateFailed:
		return "调解不成"
	case StateConfirmation:
		return "司法确认"
	case StateFollowUp:
		return "回访"
	case StateClosed:
		return "已结案"
	case StateTransferred:
		return "已移交"
	}
	return string(s)
}

// States lists every state, for filters.
var States = []State{StateWaiting, StateAssigned, StateAccepted, StateInMediation, StateAgreement, StateFailed,
	StateConfirmation, StateFollowUp, StateClosed, StateTransferred}

// Masked returns the case as a role without access to personal data sees
// it: the ID numbers and phones typed into its free texts (its dispute's
// title, the sessions' places, attendees and records, the agreement's
// terms, the reason it failed, the follow-ups' comments, the
// rectifications' actions) masked (jiefen.MaskText).
func (c Case) Masked() Case {
	c.Title = jiefen.MaskText(c.Title)
	if c.Sessions != nil {
		sessions := make([]Session, len(c.Sessions))
		for i, s := range c.Sessions {
			sessions[i] = s.masked()
		}
		c.Sessions = sessions
	}
	c.Agreement = jiefen.MaskTextOf(c.Agreement, func(a *Agreement) *string { return &a.Terms })
	c.Failure = jiefen.MaskTextOf(c.Failure, func(f *Failure) *string { return &f.Reason })
	c.FollowUps = jiefen.MaskTextIn(c.FollowUps, func(f *FollowUp) *string { return &f.Comment })
	c.Rectifications = jiefen.MaskTextIn(c.Rectifications, func(r *Rectification) *string { return &r.Action })
	return c
}

// Ended reports whether the case has ended: closed, or transferred to
// another track. An ended case has no live duty.
func (c *Case) Ended() bool { return c.State == StateClosed || c.State == StateTransferred }

// Open reports whether a case in s still counts towards its mediator's
// load, and may still be (re)assigned.
func (s State) Open() bool {
	return s != StateClosed && s != StateTransferred && s != StateFailed
}

// OpenStates lists the states in which a case is Open.
func OpenStates() []State {
	var out []State
	for _, s := range States {
		if s.Open() {
			out = append(out, s)
		}
	}
	return out
}

// Tier is the difficulty of a case for 以案定补: 一般, 疑难, 重大.
type Tier string

// The tiers; their amounts are local configuration.
const (
	TierGeneral   Tier = "general"   // 一般
	TierDifficult Tier = "difficult" // 疑难
	TierMajor     Tier = "major"     // 重大
)

// Valid reports whether t is a known tier.
func (t Tier) Valid() bool { return t == TierGeneral || t == TierDifficult || t == TierMajor }

// Name is the Chinese name of the tier (一般, 疑难, 重大); an unknown tier is
// its own name.
func (t Tier) Name() string {
	switch t {
	case TierGeneral:
		return "一般"
	case TierDifficult:
		return "疑难"
	case TierMajor:
		return "重大"
	}
	return string(t)
}

// Case is a mediation case opened when a dispute is routed to a mediating
// track, with everything recorded on it. Its clocks are recomputed from
// these records (see Clocks), never stored.
type Case struct {
	ID          int64  `json:"id"`
	DisputeID   int64  `json:"dispute_id"`
	DisputeCode string `json:"dispute_code"`
	Title       string `json:"title"`
	Source      string `json:"source"`
	Track       string `json:"track"`
	OrgCode     string `json:"org_code"`
	Assignee    string `json:"assignee"`
	// OrgName and AssigneeName are the org's name and the mediator's
	// display name (姓名), for people; "" when not known.
	OrgName      string `json:"org_name"`
	AssigneeName string `json:"assignee_name"`
	// AssignReason says why the case went to its assignee (or waits).
	AssignReason string        `json:"assignment_reason"`
	State        State         `json:"state"`
	OpenedOn     calendar.Date `json:"opened_on"`
	// ClockRule is the track's mediation clock, chosen by routing.
	ClockRule string `json:"clock_rule"`
	Tier      Tier   `json:"tier"`
	// SecondSessionRule is the clock of a second session when the org
	// mediates under 公安机关办理行政案件程序规定 (治安调解), else "".
	SecondSessionRule string `json:"-"`

	AcceptedOn     *calendar.Date  `json:"accepted_on"`
	Sessions       []Session       `json:"sessions"`
	Agreement      *Agreement      `json:"agreement"`
	Failure        *Failure        `json:"failure"`
	Confirmation   *Confirmation   `json:"confirmation"`
	FollowUps      []FollowUp      `json:"followups"`
	Rectifications []Rectification `json:"rectifications"`
	ClosedOn       *calendar.Date  `json:"closed_on"`

	Clocks    []calendar.Reading `json:"clocks"`
	Version   int64              `json:"version"`
	CreatedAt time.Time          `json:"created_at"`
	UpdatedAt time.Time          `json:"updated_at"`
}

// Session is one mediation session (调解记录).
type Session struct {
	On        calendar.Date `json:"on"`
	Place     string        `json:"place"`
	Attendees []string      `json:"attendees"`
	Record    string        `json:"record"`
}

// masked is the session with the ID numbers and phones typed into its
// place, its attendees ("张三（13812345678）") and its record masked.
func (s Session) masked() Session {
	s.Place, s.Record = jiefen.MaskText(s.Place), jiefen.MaskText(s.Record)
	s.Attendees = jiefen.MaskTextIn(s.Attendees, func(a *string) *string { return a })
	return s
}

// Agreement is the mediation agreement (调解协议).
type Agreement struct {
	On             calendar.Date  `json:"on"` // the day it was reached
	Terms          string         `json:"terms"`
	AmountFen      int64          `json:"amount_fen"`
	PerformanceDue *calendar.Date `json:"performance_due"`
	EffectiveOn    calendar.Date  `json:"effective_on"`
}

// Failure records a mediation that ended without agreement (调解不成), and
// the track suggested next, which becomes a transfer of the dispute.
type Failure struct {
	On        calendar.Date `json:"on"`
	Reason    string        `json:"reason"`
	NextTrack string        `json:"next_track,omitempty"`
	NextOrg   string        `json:"next_org_code,omitempty"`
}

// Confirmation is the application for judicial confirmation (司法确认,
// 人民调解法 第33条) and the court's answer.
type Confirmation struct {
	AppliedOn calendar.Date  `json:"applied_on"`
	Result    string         `json:"result,omitempty"` // confirmed or rejected
	ResultOn  *calendar.Date `json:"result_on,omitempty"`
}

// The court's answers to an application for judicial confirmation.
const (
	Confirmed = "confirmed"
	Rejected  = "rejected"
)

// FollowUp is a follow-up visit (回访) with the parties' rating (好差评).
type FollowUp struct {
	On        calendar.Date `json:"on"`
	Rating    int           `json:"rating"`
	Comment   string        `json:"comment"`
	Performed bool          `json:"performed"`
	By        string        `json:"by"`
}

// Rectification is the follow-up a low rating opens (整改): it must be
// closed, with what was done, before the case can close.
type Rectification struct {
	OpenedOn calendar.Date  `json:"opened_on"`
	Rating   int            `json:"rating"`
	ClosedOn *calendar.Date `json:"closed_on"`
	Action   string         `json:"action,omitempty"`
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
