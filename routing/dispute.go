// Package routing takes every dispute in once and routes it (分流) by rules
// to a track (people's, administrative or judicial mediation, adjudication,
// reconsideration, litigation), an organisation and a clock, and keeps every
// transfer between tracks under the dispute's one code (一事一码).
//
// The router is pure: a dispute in, a Decision with its rule, reason,
// track, organisation and clock out. Storing, assigning a mediator and
// opening the case are the store's, in one transaction.
package routing

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"jiefen"
	"jiefen/calendar"
)

// Track is a channel of dispute resolution.
type Track string

// The tracks of API.md.
const (
	TrackPeople          Track = "people"          // 人民调解
	TrackAdministrative  Track = "administrative"  // 行政调解
	TrackJudicial        Track = "judicial"        // 司法调解 (诉前委派 / 诉中委托)
	TrackAdjudication    Track = "adjudication"    // 行政裁决
	TrackReconsideration Track = "reconsideration" // 行政复议
	TrackLitigation      Track = "litigation"      // 诉讼
)

// Label is the Chinese name of the track, such as 人民调解; an unknown
// track is its own name.
func (t Track) Label() string {
	switch t {
	case TrackPeople:
		return "人民调解"
	case TrackAdministrative:
		return "行政调解"
	case TrackJudicial:
		return "司法调解"
	case TrackAdjudication:
		return "行政裁决"
	case TrackReconsideration:
		return "行政复议"
	case TrackLitigation:
		return "诉讼"
	}
	return string(t)
}

// Tracks lists every track, in the order of API.md.
func Tracks() []Track {
	return []Track{TrackPeople, TrackAdministrative, TrackJudicial, TrackAdjudication, TrackReconsideration, TrackLitigation}
}

// Valid reports whether t is a known track.
func (t Track) Valid() bool {
	switch t {
	case TrackPeople, TrackAdministrative, TrackJudicial, TrackAdjudication, TrackReconsideration, TrackLitigation:
		return true
	}
	return false
}

// Mediates reports whether the track opens a mediation case here.
func (t Track) Mediates() bool {
	return t == TrackPeople || t == TrackAdministrative || t == TrackJudicial
}

// Source is where a dispute came in: a desk, or a docking mechanism.
type Source string

// The sources of API.md.
const (
	SourceWalkIn   Source = "walk_in"
	SourcePolice   Source = "police"   // 警调对接: 110 dispatches a civil dispute
	SourcePetition Source = "petition" // 访调对接: the petition office refers a claim
	SourceCourt    Source = "court"    // 诉调对接: pre-filing 委派 or post-filing 委托
	SourceHotline  Source = "hotline"  // 12345
	SourceGrid     Source = "grid"     // grid workers
	SourceOnline   Source = "online"
)

// Sources lists every source.
func Sources() []Source {
	return []Source{SourceWalkIn, SourcePolice, SourcePetition, SourceCourt, SourceHotline, SourceGrid, SourceOnline}
}

// Category is what a dispute is about.
type Category string

// Categories lists every category of API.md.
func Categories() []Category {
	return []Category{"family", "neighbour", "debt", "contract", "labour", "consumer", "property_management",
		"traffic_accident", "medical", "land_ownership", "land_requisition", "environment", "other"}
}

// Flag marks a dispute that needs care.
type Flag string

// The flags of API.md.
const (
	FlagMass           Flag = "mass"            // five or more people
	FlagEscalationRisk Flag = "escalation_risk" // risk of turning criminal (民转刑)
	FlagVulnerable     Flag = "vulnerable"
	FlagRepeat         Flag = "repeat" // the same party and category within 180 days
)

// Priority orders work and the leaders' early-warning list.
type Priority string

// Priorities.
const (
	PriorityNormal Priority = "normal"
	PriorityHigh   Priority = "high"
)

func oneOf[T ~string](v T, all []T) bool {
	for _, a := range all {
		if v == a {
			return true
		}
	}
	return false
}

// ValidSource reports whether s is a known source.
func ValidSource(s Source) bool { return oneOf(s, Sources()) }

// ValidCategory reports whether c is a known category.
func ValidCategory(c Category) bool { return oneOf(c, Categories()) }

// ValidFlag reports whether f is a known flag.
func ValidFlag(f Flag) bool {
	return oneOf(f, []Flag{FlagMass, FlagEscalationRisk, FlagVulnerable, FlagRepeat})
}

// Intake is what an intake desk registers: the fields a client may set.
type Intake struct {
	Title       string
	Description string
	Category    Category
	Source      Source
	SourceRef   string
	Township    string
	AmountFen   int64
	OccurredOn  *calendar.Date
	ReceivedOn  calendar.Date // the day it came in (the request's "on"; default today)
	Parties     []jiefen.Party
	Flags       []Flag
	Recused     []string // mediators a party asked to step aside (回避)
}

// Normalize cleans an intake in place and checks it against today (in
// Asia/Shanghai), naming every bad field by its JSON path.
func (in *Intake) Normalize(today calendar.Date, now time.Time) error {
	var p jiefen.Problems
	in.Title = trim(in.Title)
	switch n := utf8.RuneCountInString(in.Title); {
	case n == 0:
		p.Add("title", "is required")
	case n > 200:
		p.Add("title", "must be at most 200 characters")
	}
	in.Description = trim(in.Description)
	if utf8.RuneCountInString(in.Description) > 5000 {
		p.Add("description", "must be at most 5000 characters")
	}
	if in.Category == "" {
		p.Add("category", "is required")
	} else if !ValidCategory(in.Category) {
		p.Add("category", "must be one of family, neighbour, debt, contract, labour, consumer, property_management, traffic_accident, medical, land_ownership, land_requisition, environment, other")
	}
	if in.Source == "" {
		p.Add("source", "is required")
	} else if !ValidSource(in.Source) {
		p.Add("source", "must be one of walk_in, police, petition, court, hotline, grid, online")
	}
	in.SourceRef, in.Township = trim(in.SourceRef), trim(in.Township)
	if utf8.RuneCountInString(in.SourceRef) > 100 {
		p.Add("source_ref", "must be at most 100 characters")
	}
	if utf8.RuneCountInString(in.Township) > 100 {
		p.Add("township", "must be at most 100 characters")
	}
	if in.AmountFen < 0 {
		p.Add("amount_fen", "must not be negative (an amount in fen)")
	}
	if in.ReceivedOn > today {
		p.Add("on", "must not be in the future")
	}
	if in.OccurredOn != nil {
		switch {
		case *in.OccurredOn > today:
			p.Add("occurred_on", "must not be in the future")
		case *in.OccurredOn > in.ReceivedOn:
			p.Add("occurred_on", "must not be after the day the dispute was received")
		}
	}
	applicants := 0
	if len(in.Parties) > 50 {
		p.Add("parties", "at most 50 parties")
	}
	for i := range in.Parties {
		path := "parties[" + strconv.Itoa(i) + "]"
		in.Parties[i].Normalize(now, path, &p)
		if in.Parties[i].Role == jiefen.PartyApplicant && in.Parties[i].Name != "" {
			applicants++
		}
	}
	if applicants == 0 && len(in.Parties) <= 50 {
		p.Add("parties", "at least one applicant with a name is required")
	}
	seen := map[Flag]bool{}
	flags := in.Flags[:0:0]
	for i, f := range in.Flags {
		if !ValidFlag(f) {
			p.Add("flags["+strconv.Itoa(i)+"]", "must be one of mass, escalation_risk, vulnerable, repeat")
			continue
		}
		if !seen[f] {
			seen[f] = true
			flags = append(flags, f)
		}
	}
	in.Flags = flags
	return p.Err()
}

// HasFlag reports whether the intake carries f.
func (in Intake) HasFlag(f Flag) bool { return oneOf(f, in.Flags) }

func trim(s string) string { return strings.TrimSpace(s) }

// Status is where a dispute stands.
type Status string

// The statuses of a dispute.
const (
	StatusRouted  Status = "routed"             // a case is open on its track, with a mediator
	StatusWaiting Status = "waiting_assignment" // a case is open, waiting for a mediator (all at capacity)
	StatusGuided  Status = "guided"             // the parties were told where to go (no case here)
	StatusClosed  Status = "closed"
)

// StatusAfter is where a dispute stands once routed to track (or
// transferred to it) and assigned to mediator ("" for nobody): on a
// mediating track a case is open, with its mediator or waiting for one;
// on any other track the parties are told where to go and nothing is open
// here.
func StatusAfter(track Track, mediator string) Status {
	switch {
	case !track.Mediates():
		return StatusGuided
	case mediator == "":
		return StatusWaiting
	}
	return StatusRouted
}

// Dispute is a registered dispute: one code for its whole life, its
// current routing, and every routing step so far.
type Dispute struct {
	ID           int64          `json:"id"`
	Code         string         `json:"code"`
	Title        string         `json:"title"`
	Description  string         `json:"description"`
	Category     Category       `json:"category"`
	Source       Source         `json:"source"`
	SourceRef    string         `json:"source_ref"`
	Township     string         `json:"township"`
	AmountFen    int64          `json:"amount_fen"`
	OccurredOn   *calendar.Date `json:"occurred_on"`
	ReceivedOn   calendar.Date  `json:"received_on"`
	Parties      []jiefen.Party `json:"parties"`
	Flags        []Flag         `json:"flags"`
	Recused      []string       `json:"recused"`
	Status       Status         `json:"status"`
	Priority     Priority       `json:"priority"`
	RepeatOf     *string        `json:"repeat_of"` // the code of the earlier dispute of the same party and category
	Routing      Routing        `json:"routing"`
	History      []Step         `json:"history"`
	IntakeOrg    string         `json:"intake_org"`
	RulesVersion int            `json:"rules_version"`
	Version      int64          `json:"version"`
	CreatedBy    string         `json:"created_by"`
	CreatedAt    time.Time      `json:"created_at"`
	UpdatedAt    time.Time      `json:"updated_at"`
}

// Routing is a dispute's current route: the decision, who has it, and the
// case it opened.
type Routing struct {
	Decision
	Assignee string `json:"assignee"`
	CaseID   *int64 `json:"case_id"`
}

// Follow sets the route's clock to its case's current duty clock k (API.md:
// a dispute's routing.due is its case's current duty, recomputed on read,
// never the day frozen at intake); nil clears it, the case having no duty
// left.
func (r *Routing) Follow(k *calendar.Reading) {
	if k == nil {
		r.Due, r.Provisional = nil, false
		return
	}
	r.ClockRule, r.Due, r.Basis, r.Provisional = k.Rule, k.Due, k.Basis, k.Provisional
}

// Step is one routing or transfer in a dispute's history.
type Step struct {
	Track    Track     `json:"track"`
	OrgCode  string    `json:"org_code"`
	Assignee string    `json:"assignee"`
	Rule     string    `json:"rule"`
	Reason   string    `json:"reason"`
	At       time.Time `json:"at"`
	By       string    `json:"by"`
}

// Masked returns d as a role without access to personal data sees it: its
// parties' personal data masked, and the ID numbers and phones typed into
// its title, its description and its transfers' reasons masked too
// (jiefen.MaskText).
func (d Dispute) Masked() Dispute {
	parties := make([]jiefen.Party, len(d.Parties))
	for i, p := range d.Parties {
		parties[i] = jiefen.Mask(p)
	}
	d.Parties = parties
	d.Title = jiefen.MaskText(d.Title)
	d.Description = jiefen.MaskText(d.Description)
	d.Routing.Reason = jiefen.MaskText(d.Routing.Reason)
	d.History = jiefen.MaskTextIn(d.History, func(s *Step) *string { return &s.Reason })
	return d
}

// Transfer moves a dispute to another track and organisation.
type Transfer struct {
	ToTrack Track
	ToOrg   string
	Reason  string
	On      calendar.Date
	// The clock of the new track, set by Router.TransferClock.
	ClockRule string
	Basis     string
	Due       *calendar.Date
	// Respondent and Act open the reconsideration case of a transfer to
	// the reconsideration track: the agency whose act is contested (code,
	// name or alias) and the act.
	Respondent string
	Act        string
}

// Validate names every bad field of a transfer.
func (t *Transfer) Validate() error {
	var p jiefen.Problems
	if !t.ToTrack.Valid() {
		p.Add("to_track", "must be one of people, administrative, judicial, adjudication, reconsideration, litigation")
	}
	t.ToOrg, t.Reason = trim(t.ToOrg), trim(t.Reason)
	if t.ToOrg == "" {
		p.Add("to_org_code", "is required")
	}
	t.Respondent, t.Act = trim(t.Respondent), trim(t.Act)
	if t.ToTrack == TrackReconsideration {
		if t.Respondent == "" {
			p.Add("respondent", "is required to open the reconsideration case: the agency whose act is contested")
		}
		if t.Act == "" {
			p.Add("act", "is required to open the reconsideration case: the contested act")
		}
	}
	switch n := utf8.RuneCountInString(t.Reason); {
	case n == 0:
		p.Add("reason", "is required: say why the dispute moves")
	case n > 1000:
		p.Add("reason", "must be at most 1000 characters")
	}
	return p.Err()
}

// Policy holds a city's intake rules, set in its configuration (routing
// section): how a dispute's code is written, how many open cases a
// mediator is given at most (Assign), and within how many days a party's
// dispute of the same category is a repeat (Repeats).
type Policy struct {
	CodePrefix       string // dispute codes are PREFIX-YYYY-NNNNNN
	MediatorCapacity int    // open cases a mediator is given at most
	RepeatWindowDays int    // same party and category within this many days: repeat
}

// Received counts the disputes registered in a period (received on a day
// of it), by the source they came in from and by the track that has them
// now (after any transfer), for the annual report.
type Received struct {
	Total    int            `json:"total"`
	BySource map[Source]int `json:"by_source"`
	ByTrack  map[Track]int  `json:"by_track"`
}

// Label is the source's name as the desks and the annual report use it.
func (s Source) Label() string {
	switch s {
	case SourceWalkIn:
		return "来访"
	case SourcePolice:
		return "警调对接"
	case SourcePetition:
		return "访调对接"
	case SourceCourt:
		return "诉调对接"
	case SourceHotline:
		return "12345热线"
	case SourceGrid:
		return "网格员上报"
	case SourceOnline:
		return "网上受理"
	}
	return string(s)
}
