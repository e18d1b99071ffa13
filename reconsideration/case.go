// Package reconsideration holds the cases of the city's administrative
// reconsideration body and its committee (行政复议委员会): acceptance
// review, the respondent's reply, hearings, committee consultation,
// suspension, extension and the decision, with the clocks of 行政复议法
// (2023 revision) counted on the official calendar.
package reconsideration

import (
	"strings"
	"time"

	"jiefen"
	"jiefen/calendar"
)

// Procedure is ordinary (普通程序) or simplified (简易程序, 行政复议法 第53条).
type Procedure string

// The procedures.
const (
	Ordinary   Procedure = "ordinary"
	Simplified Procedure = "simplified"
)

// State is where a case stands.
type State string

// The states of a case:
//
//	received ─request_materials→ materials_requested ─materials→ received
//	received ─accept (or the review period runs out)→ accepted ─suspension→ suspended ─resumption→ accepted
//	received ─reject→ rejected;  accepted ─decision→ decided
const (
	StateReceived           State = "received"
	StateMaterialsRequested State = "materials_requested"
	StateAccepted           State = "accepted"
	StateRejected           State = "rejected"
	StateSuspended          State = "suspended"
	StateDecided            State = "decided"
)

// Label is the Chinese name of the state, as the pages show it; an unknown
// state is its own name.
func (s State) Label() string {
	switch s {
	case StateReceived:
		return "已收到"
	case StateMaterialsRequested:
		return "补正中"
	case StateAccepted:
		return "已受理"
	case StateRejected:
		return "不予受理"
	case StateSuspended:
		return "中止"
	case StateDecided:
		return "已决定"
	}
	return string(s)
}

// States lists every state, for filters.
var States = []State{StateReceived, StateMaterialsRequested, StateAccepted, StateRejected, StateSuspended, StateDecided}

// Result is how a case ended (行政复议法 第63–73条, and 调解 / 和解 / 终止).
type Result string

// The results of API.md.
const (
	Varied             Result = "varied"              // 变更 (第63条)
	Annulled           Result = "annulled"            // 撤销 (第64条)
	ConfirmedUnlawful  Result = "confirmed_unlawful"  // 确认违法 (第65条)
	OrderedPerformance Result = "ordered_performance" // 责令履行 (第66条)
	ConfirmedVoid      Result = "confirmed_void"      // 确认无效 (第67条)
	Upheld             Result = "upheld"              // 维持 (第68条)
	Dismissed          Result = "dismissed"           // 驳回 (第69条)
	Mediated           Result = "mediated"            // 调解书 (第73条)
	Settled            Result = "settled"             // 和解 (第74条)
	Terminated         Result = "terminated"          // 终止 (第41条)
)

// Results lists every result.
var Results = []Result{Varied, Annulled, ConfirmedUnlawful, OrderedPerformance, ConfirmedVoid, Upheld, Dismissed, Mediated, Settled, Terminated}

// Corrects reports whether the result corrects the contested act (纠错):
// 变更, 撤销, 确认违法, 责令履行, 确认无效.
func (r Result) Corrects() bool {
	switch r {
	case Varied, Annulled, ConfirmedUnlawful, OrderedPerformance, ConfirmedVoid:
		return true
	}
	return false
}

// Resolves reports whether the case was resolved by the parties: mediation
// or settlement (实质性化解).
func (r Result) Resolves() bool { return r == Mediated || r == Settled }

// Case is an application for administrative reconsideration and
// everything recorded on it. Its clocks are recomputed from these records
// (ComputeClocks), never stored.
type Case struct {
	ID          int64         `json:"id"`
	Applicant   jiefen.Party  `json:"applicant"`
	Respondent  string        `json:"respondent"` // the agency's org code
	Act         string        `json:"act"`        // the contested administrative act
	ReceivedOn  calendar.Date `json:"received_on"`
	Procedure   Procedure     `json:"procedure"`
	DisputeID   *int64        `json:"dispute_id"`
	DisputeCode *string       `json:"dispute_code"`
	// Major marks a major, complex or highly technical case, which the
	// committee must be consulted on before the decision (第52条).
	Major bool  `json:"major"`
	State State `json:"state"`

	Review      []Review       `json:"review"` // acceptance-review events, in order
	AcceptedOn  *calendar.Date `json:"accepted_on"`
	Deemed      bool           `json:"deemed_accepted"` // accepted because the review period ran out (第30条)
	CopiedOn    *calendar.Date `json:"copied_on"`       // the application copied to the respondent
	Reply       *Reply         `json:"reply"`
	Hearings    []Hearing      `json:"hearings"`
	Committee   []Opinion      `json:"committee_reviews"`
	Suspensions []Suspension   `json:"suspensions"`
	Extension   *Extension     `json:"extension"`
	Decision    *Decision      `json:"decision"`
	// LaterLawsuits are the case numbers of the lawsuits on the same act
	// that followed the case.
	LaterLawsuits []string `json:"later_lawsuits"`

	Clocks    []calendar.Reading `json:"clocks"`
	Version   int64              `json:"version"`
	CreatedAt time.Time          `json:"created_at"`
	UpdatedAt time.Time          `json:"updated_at"`
}

// Review is one step of the acceptance review: accept, reject, a request
// for materials (补正), or the materials received.
type Review struct {
	On       calendar.Date `json:"on"`
	Decision string        `json:"decision"` // accept, reject, request_materials, materials
	Reason   string        `json:"reason,omitempty"`
}

// The review decisions.
const (
	Accept           = "accept"
	Reject           = "reject"
	RequestMaterials = "request_materials"
	Materials        = "materials"
)

// Reply is the respondent's written reply (书面答复) and its evidence list.
type Reply struct {
	On       calendar.Date `json:"on"`
	Text     string        `json:"text"`
	Evidence []string      `json:"evidence"`
	By       string        `json:"by"`
}

// Hearing is a hearing (听证) and the day its notice went out.
type Hearing struct {
	On         calendar.Date  `json:"on"`
	NoticedOn  *calendar.Date `json:"noticed_on"`
	Place      string         `json:"place"`
	RecordedBy string         `json:"recorded_by"`
}

// Opinion is the committee's consultation opinion (咨询意见, 第52条).
type Opinion struct {
	On      calendar.Date `json:"on"`
	Opinion string        `json:"opinion"`
}

// Suspension pauses the decision clock from On until Resumed (中止, 第39条).
type Suspension struct {
	On      calendar.Date  `json:"on"`
	Reason  string         `json:"reason"`
	Resumed *calendar.Date `json:"resumed_on"`
}

// Extension lengthens the decision period once, by up to 30 days, with
// approval (第62条).
type Extension struct {
	On     calendar.Date `json:"on"`
	Days   int           `json:"days"`
	Reason string        `json:"reason"`
}

// Decision is how the case ended.
type Decision struct {
	On     calendar.Date `json:"on"`
	Result Result        `json:"result"`
	Reason string        `json:"reason,omitempty"`
}

// Application is a new case as the reconsideration body registers it.
type Application struct {
	Applicant  jiefen.Party
	Respondent string
	Act        string
	ReceivedOn calendar.Date
	Procedure  Procedure
	DisputeID  *int64
	Major      bool
}

// Validate normalises the application and names every bad field: an
// applicant with a name (ID number and phone checked as for disputes), a
// respondent, the act, a received date not in the future, a known
// procedure (ordinary by default).
func (a *Application) Validate(now time.Time) error {
	var p jiefen.Problems
	a.Applicant.Role = "applicant"
	a.Applicant.Normalize(now, "applicant", &p)
	a.Respondent = strings.TrimSpace(a.Respondent)
	if a.Respondent == "" {
		p.Add("respondent", "is required: the agency whose act is contested")
	}
	if a.Act = strings.TrimSpace(a.Act); a.Act == "" {
		p.Add("act", "is required: the contested administrative act")
	}
	today := calendar.DateOf(now)
	if a.ReceivedOn == 0 {
		a.ReceivedOn = today
	} else if a.ReceivedOn > today {
		p.Add("received_on", "%s is in the future", a.ReceivedOn)
	}
	switch a.Procedure {
	case "":
		a.Procedure = Ordinary
	case Ordinary, Simplified:
	default:
		p.Add("procedure", "must be ordinary or simplified")
	}
	return p.Err()
}

// New opens a case from a validated application.
func New(a Application) Case {
	return Case{Applicant: a.Applicant, Respondent: a.Respondent, Act: a.Act, ReceivedOn: a.ReceivedOn, Procedure: a.Procedure,
		DisputeID: a.DisputeID, Major: a.Major, State: StateReceived, Review: []Review{}, Hearings: []Hearing{},
		Committee: []Opinion{}, Suspensions: []Suspension{}, LaterLawsuits: []string{}}
}

// Masked returns the case with the applicant's ID number and phone masked,
// and those typed into its free texts (the act, reasons, the reply, the
// committee's opinions) masked too (jiefen.MaskText).
func (c Case) Masked() Case {
	c.Applicant.IDNumber = jiefen.MaskIDNumber(c.Applicant.IDNumber)
	c.Applicant.Phone = jiefen.MaskPhone(c.Applicant.Phone)
	c.Act = jiefen.MaskText(c.Act)
	c.Review = jiefen.MaskTextIn(c.Review, func(r *Review) *string { return &r.Reason })
	c.Reply = jiefen.MaskTextOf(c.Reply, func(r *Reply) *string { return &r.Text })
	c.Committee = jiefen.MaskTextIn(c.Committee, func(o *Opinion) *string { return &o.Opinion })
	c.Suspensions = jiefen.MaskTextIn(c.Suspensions, func(s *Suspension) *string { return &s.Reason })
	c.Extension = jiefen.MaskTextOf(c.Extension, func(e *Extension) *string { return &e.Reason })
	c.Decision = jiefen.MaskTextOf(c.Decision, func(d *Decision) *string { return &d.Reason })
	return c
}
