// Package liaison holds the 府院联动 work of court liaisons: the ledger
// (台账) of issues raised at the joint meetings of the city government and
// the court, moving 发现问题 → 反馈整改 → 跟踪复核 → 销号, and the court's
// judicial suggestions (司法建议) with their reply clock.
package liaison

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"jiefen"
	"jiefen/calendar"
)

// State is where a ledger issue stands in the closed loop.
type State string

// The four states, in order.
const (
	Found      State = "found"      // 发现问题
	Rectifying State = "rectifying" // 反馈整改
	Reviewing  State = "reviewing"  // 跟踪复核
	Closed     State = "closed"     // 销号
)

// States lists the states in order.
var States = []State{Found, Rectifying, Reviewing, Closed}

// stateNames are the Chinese names of the states.
var stateNames = map[State]string{Found: "发现问题", Rectifying: "反馈整改", Reviewing: "跟踪复核", Closed: "销号"}

// Label is the Chinese name of the state, such as 销号; an unknown state is
// its own name.
func (s State) Label() string {
	if n, ok := stateNames[s]; ok {
		return n
	}
	return string(s)
}

// next is the state after s.
func (s State) next() (State, bool) {
	for i, x := range States[:len(States)-1] {
		if x == s {
			return States[i+1], true
		}
	}
	return "", false
}

// Issue is an issue of the joint meeting's ledger.
type Issue struct {
	ID       int64         `json:"id"`
	Meeting  string        `json:"meeting"` // e.g. 2025年第一次府院联席会议
	Title    string        `json:"title"`
	LeadUnit string        `json:"lead_unit"` // org code
	CoUnits  []string      `json:"co_units"`
	Deadline calendar.Date `json:"deadline"`
	State    State         `json:"state"`
	// Overdue: past the deadline and not closed, or closed after it.
	Overdue  bool           `json:"overdue"`
	ClosedOn *calendar.Date `json:"closed_on"`
	Reports  []Report       `json:"reports"`
	Steps    []Step         `json:"steps"`
	Comments []Comment      `json:"comments"`
	Version  int64          `json:"version"`
	Created  time.Time      `json:"created_at"`
	Updated  time.Time      `json:"updated_at"`
}

// IssueFilter selects ledger issues.
type IssueFilter struct {
	State    State
	LeadUnit string
	Overdue  bool // past the deadline and not closed
	Limit    int
	BeforeID int64
}

// Report is a progress report, with attachments by reference (a document
// number or a link; the files stay where they are).
type Report struct {
	On          calendar.Date `json:"on"`
	Text        string        `json:"text"`
	Attachments []string      `json:"attachments"`
	By          string        `json:"by"`
}

// Step is a move of the issue to a state.
type Step struct {
	State State         `json:"state"`
	On    calendar.Date `json:"on"`
	Note  string        `json:"note"`
	By    string        `json:"by"`
}

// Comment is a leader's comment (批示) on an issue.
type Comment struct {
	At   time.Time `json:"at"`
	Text string    `json:"text"`
	By   string    `json:"by"`
}

// The longest texts of an issue and of a suggestion, as their columns
// keep them: the meeting that raised an issue and the court that sent a
// suggestion are names, an issue's title and a suggestion's subject a
// line, a suggestion's number the court's document number (such as
// （2026）豫0482司建1号).
const (
	maxMeeting = 200
	maxTitle   = 500
	maxCourt   = 200
	maxNumber  = 100
	maxSubject = 500
)

// atMost refuses, naming field, a text of more than max characters.
func atMost(p *jiefen.Problems, field, text string, max int) {
	if utf8.RuneCountInString(text) > max {
		p.Add(field, "至多 %d 个字", max)
	}
}

// NewIssue validates an issue raised at a meeting; it starts found.
func NewIssue(meeting, title, lead string, co []string, deadline, raisedOn calendar.Date, by string) (Issue, error) {
	var p jiefen.Problems
	meeting, title, lead = strings.TrimSpace(meeting), strings.TrimSpace(title), strings.TrimSpace(lead)
	if meeting == "" {
		p.Add("meeting", "is required: the joint meeting that raised the issue")
	}
	if title == "" {
		p.Add("title", "is required")
	}
	atMost(&p, "meeting", meeting, maxMeeting)
	atMost(&p, "title", title, maxTitle)
	if lead == "" {
		p.Add("lead_unit", "is required: the org code of the lead unit")
	}
	units := []string{}
	for i, u := range co {
		if u = strings.TrimSpace(u); u == "" {
			p.Add(fmt.Sprintf("co_units[%d]", i), "is empty")
		}
		units = append(units, u)
	}
	if deadline == 0 {
		p.Add("deadline", "is required")
	} else if deadline < raisedOn {
		p.Add("deadline", "%s is before the issue was raised (%s)", deadline, raisedOn)
	}
	if err := p.Err(); err != nil {
		return Issue{}, err
	}
	return Issue{Meeting: meeting, Title: title, LeadUnit: lead, CoUnits: units, Deadline: deadline, State: Found,
		Reports: []Report{}, Steps: []Step{{State: Found, On: raisedOn, By: by}}, Comments: []Comment{}}, nil
}

// Settle sets what depends on today: overdue.
func (i *Issue) Settle(today calendar.Date) {
	switch {
	case i.State == Closed && i.ClosedOn != nil:
		i.Overdue = *i.ClosedOn > i.Deadline
	default:
		i.Overdue = today > i.Deadline
	}
}

// AddReport records a progress report; a closed issue takes none.
func (i *Issue) AddReport(r Report, today calendar.Date) error {
	if i.State == Closed {
		return jiefen.Errorf(jiefen.ECONFLICT, "the issue is closed (销号); it takes no more reports")
	}
	var p jiefen.Problems
	if r.On > today {
		p.Add("on", "%s is in the future", r.On)
	}
	if r.Text = strings.TrimSpace(r.Text); r.Text == "" {
		p.Add("text", "is required")
	}
	if r.Attachments == nil {
		r.Attachments = []string{}
	}
	for k, a := range r.Attachments {
		if strings.TrimSpace(a) == "" {
			p.Add(fmt.Sprintf("attachments[%d]", k), "is empty")
		}
	}
	if err := p.Err(); err != nil {
		return err
	}
	i.Reports = append(i.Reports, r)
	return nil
}

// Advance moves the issue to its next state (to state, which must be it):
// feedback on the rectification needs a report, and so does closing.
func (i *Issue) Advance(to State, note string, on, today calendar.Date, by string) error {
	next, ok := i.State.next()
	if !ok {
		return jiefen.Errorf(jiefen.ECONFLICT, "the issue is closed (销号)")
	}
	if to != next {
		return jiefen.Errorf(jiefen.ECONFLICT, "the issue is %s; it moves to %s next, not %s", i.State, next, to)
	}
	var p jiefen.Problems
	last := i.Steps[len(i.Steps)-1].On
	switch {
	case on > today:
		p.Add("on", "%s is in the future", on)
	case on < last:
		p.Add("on", "%s is before the last step (%s)", on, last)
	}
	if (next == Reviewing || next == Closed) && len(i.Reports) == 0 {
		p.Add("reports", "the lead unit has reported no rectification yet")
	}
	if err := p.Err(); err != nil {
		return err
	}
	i.State = next
	i.Steps = append(i.Steps, Step{State: next, On: on, Note: strings.TrimSpace(note), By: by})
	if next == Closed {
		i.ClosedOn = &on
	}
	return nil
}

// AddComment records a leader's comment.
func (i *Issue) AddComment(text string, at time.Time, by string) error {
	if text = strings.TrimSpace(text); text == "" {
		var p jiefen.Problems
		p.Add("text", "is required")
		return p.Err()
	}
	i.Comments = append(i.Comments, Comment{At: at, Text: text, By: by})
	return nil
}

// Figures are the ledger's figures of a period: the issues raised in it
// (their first step), of those the ones closed and the ones overdue (past
// the deadline unclosed, or closed after it); the judicial suggestions
// received in it, of those the ones replied to and the ones replied to
// within their clock (60 days: the reply clock met).
type Figures struct {
	From               calendar.Date `json:"from"`
	To                 calendar.Date `json:"to"`
	IssuesRaised       int           `json:"issues_raised"`
	IssuesClosed       int           `json:"issues_closed"`
	IssuesOverdue      int           `json:"issues_overdue"`
	Suggestions        int           `json:"suggestions"`
	SuggestionsReplied int           `json:"suggestions_replied"`
	SuggestionsInTime  int           `json:"suggestions_in_time"`
}

// FiguresDefinition names and versions what Figures count.
const FiguresDefinition = "liaison.ledger/1: 台账事项以首次登记日计入当期，统计其中已办结、逾期（超过办结时限未办结或逾期办结）的件数；司法建议以收到日计入当期，按期回复指回复期限内回复"

// Count counts the figures of the period from to to, both included, over
// issues and suggestions (their clocks computed).
func Count(issues []Issue, suggestions []Suggestion, from, to calendar.Date) Figures {
	out := Figures{From: from, To: to}
	in := func(d calendar.Date) bool { return d >= from && d <= to }
	for _, is := range issues {
		raised := calendar.DateOf(is.Created)
		if len(is.Steps) > 0 {
			raised = is.Steps[0].On
		}
		if !in(raised) {
			continue
		}
		out.IssuesRaised++
		if is.ClosedOn != nil {
			out.IssuesClosed++
		}
		if is.Overdue {
			out.IssuesOverdue++
		}
	}
	for _, sg := range suggestions {
		if !in(sg.ReceivedOn) {
			continue
		}
		out.Suggestions++
		if sg.RepliedOn != nil {
			out.SuggestionsReplied++
			if sg.Clock != nil && sg.Clock.State == calendar.Met {
				out.SuggestionsInTime++
			}
		}
	}
	return out
}
