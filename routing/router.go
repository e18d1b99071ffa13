package routing

import (
	"errors"
	"fmt"
	"strings"

	"jiefen"
	"jiefen/calendar"
)

// Rule routes the disputes it matches. Rules are tried in order and the
// first that matches decides.
type Rule struct {
	Name string `json:"name" yaml:"name"`
	// Title is the rule's Chinese name, which the pages show (诉调对接);
	// a rule without one is shown by its Name.
	Title string `json:"title,omitempty" yaml:"title"`
	When  Match  `json:"when" yaml:"when"`
	// Track, and either a fixed Org or ByTownship: the people's mediation
	// committee of the dispute's township.
	Track      Track    `json:"track" yaml:"track"`
	Org        string   `json:"org,omitempty" yaml:"org"`
	ByTownship bool     `json:"by_township,omitempty" yaml:"by_township"`
	Clock      string   `json:"clock,omitempty" yaml:"clock"` // a rule id of the clock catalogue
	Priority   Priority `json:"priority,omitempty" yaml:"priority"`
	// Reason is shown with the decision and states the legal basis.
	Reason string `json:"reason" yaml:"reason"`
	// Guidance is told to the parties when the track opens no case here
	// (adjudication, reconsideration, litigation).
	Guidance string `json:"guidance,omitempty" yaml:"guidance"`
}

// title is the name the pages show: the Title, else the code.
func (r Rule) title() string {
	if r.Title != "" {
		return r.Title
	}
	return r.Name
}

// Match says which disputes a rule takes; an empty list matches anything.
type Match struct {
	Sources      []Source   `json:"sources,omitempty" yaml:"sources"`
	Categories   []Category `json:"categories,omitempty" yaml:"categories"`
	AmountMinFen *int64     `json:"amount_min_fen,omitempty" yaml:"amount_min_fen"`
	AmountMaxFen *int64     `json:"amount_max_fen,omitempty" yaml:"amount_max_fen"` // inclusive
	Townships    []string   `json:"townships,omitempty" yaml:"townships"`
	Flags        []Flag     `json:"flags,omitempty" yaml:"flags"` // any of them
}

// RuleSet is one version of the routing configuration.
type RuleSet struct {
	Version int    `json:"version" yaml:"-"`
	Rules   []Rule `json:"rules" yaml:"rules"`
	// Townships maps a township's name (with or without the city's name
	// before it) to its people's mediation committee.
	Townships map[string]string `json:"townships" yaml:"townships"`
	// CityPrefix is stripped from township names before lookup ("汝州市").
	CityPrefix string `json:"city_prefix,omitempty" yaml:"city_prefix"`
}

// Validate checks every rule: known sources, categories, flags and track,
// an org that exists (orgExists) or ByTownship, a known clock, and a
// reason; the last rule must match everything, so that no dispute is left
// unrouted. Errors name the rule.
func (s RuleSet) Validate(orgExists func(code string) bool, clocks *calendar.Rules) error {
	if len(s.Rules) == 0 {
		return errors.New("routing: no rules")
	}
	for i, r := range s.Rules {
		name := fmt.Sprintf("rule %d (%s)", i+1, r.Name)
		switch {
		case strings.TrimSpace(r.Name) == "":
			return fmt.Errorf("%s: name is required", name)
		case !r.Track.Valid():
			return fmt.Errorf("%s: unknown track %q", name, r.Track)
		case r.Org == "" && !r.ByTownship:
			return fmt.Errorf("%s: give org or by_township", name)
		case r.Org != "" && r.ByTownship:
			return fmt.Errorf("%s: give org or by_township, not both", name)
		case r.Org != "" && !orgExists(r.Org):
			return fmt.Errorf("%s: unknown org %q", name, r.Org)
		case r.Clock != "" && clocks != nil && !hasRule(clocks, r.Clock):
			return fmt.Errorf("%s: unknown clock rule %q", name, r.Clock)
		case strings.TrimSpace(r.Reason) == "":
			return fmt.Errorf("%s: a reason (with its legal basis) is required", name)
		case r.Priority != "" && r.Priority != PriorityNormal && r.Priority != PriorityHigh:
			return fmt.Errorf("%s: priority must be normal or high", name)
		case r.When.AmountMinFen != nil && r.When.AmountMaxFen != nil && *r.When.AmountMinFen > *r.When.AmountMaxFen:
			return fmt.Errorf("%s: amount_min_fen is above amount_max_fen", name)
		}
		for _, src := range r.When.Sources {
			if !ValidSource(src) {
				return fmt.Errorf("%s: unknown source %q", name, src)
			}
		}
		for _, c := range r.When.Categories {
			if !ValidCategory(c) {
				return fmt.Errorf("%s: unknown category %q", name, c)
			}
		}
		for _, f := range r.When.Flags {
			if !ValidFlag(f) {
				return fmt.Errorf("%s: unknown flag %q", name, f)
			}
		}
	}
	last := s.Rules[len(s.Rules)-1].When
	if len(last.Sources)+len(last.Categories)+len(last.Townships)+len(last.Flags) > 0 || last.AmountMinFen != nil || last.AmountMaxFen != nil {
		return fmt.Errorf("rule %d (%s): the last rule must match every dispute (a fallback)", len(s.Rules), s.Rules[len(s.Rules)-1].Name)
	}
	for township, org := range s.Townships {
		if !orgExists(org) {
			return fmt.Errorf("townships: %s names unknown org %q", township, org)
		}
	}
	return nil
}

func hasRule(rs *calendar.Rules, id string) bool { _, ok := rs.Rule(id); return ok }

// Decision is where a dispute goes, and why.
type Decision struct {
	Track   Track  `json:"track"`
	OrgCode string `json:"org_code"`
	Rule    string `json:"rule"`
	// RuleTitle is the rule's Chinese name (Rule.Title, else its code).
	RuleTitle string   `json:"rule_title,omitempty"`
	Reason    string   `json:"reason"`
	Priority  Priority `json:"priority"`
	Guidance  string   `json:"guidance,omitempty"`
	// The clock of the track, counted from the day the dispute came in;
	// Provisional when counted on the provisional calendar (Basis then says
	// why). Read back, it is the case's current duty (Routing.Follow).
	ClockRule   string         `json:"clock_rule,omitempty"`
	Due         *calendar.Date `json:"due"`
	Basis       string         `json:"basis,omitempty"`
	Provisional bool           `json:"provisional"`
}

// clock sets the decision's clock to rule r counted from from.
func (d *Decision) clock(cal *calendar.Calendar, r calendar.Rule, from calendar.Date) {
	d.ClockRule, d.Basis = r.ID, r.Basis
	if cal != nil {
		k := cal.Read(r, r.Clock(from), from, calendar.Progress{})
		d.Due, d.Basis, d.Provisional = k.Due, k.Basis, k.Provisional
	}
}

// Router decides routes. It is immutable and safe for concurrent use.
type Router struct {
	set    RuleSet
	cal    *calendar.Calendar
	clocks *calendar.Rules
}

// NewRouter returns a router over a validated rule set.
func NewRouter(set RuleSet, cal *calendar.Calendar, clocks *calendar.Rules) *Router {
	return &Router{set: set, cal: cal, clocks: clocks}
}

// RuleTitle is the Chinese name of the rule called name, for pages and
// answers that show a stored route; a rule the current set no longer has is
// shown by its code.
func (r *Router) RuleTitle(name string) string {
	for _, rule := range r.set.Rules {
		if rule.Name == name {
			return rule.title()
		}
	}
	return name
}

// Version is the rule set's version, recorded with every dispute it routes.
func (r *Router) Version() int { return r.set.Version }

// Route returns the decision of the first rule that matches in. A rule that
// routes by township needs a township the rules know (invalid on
// "township" otherwise). Disputes flagged mass or escalation_risk are high
// priority whatever the rule says. A clock that reaches into a year whose
// holiday notice is not out yet is counted provisionally and says so.
func (r *Router) Route(in Intake) (Decision, error) {
	for _, rule := range r.set.Rules {
		if !rule.When.matches(in, r.set.CityPrefix) {
			continue
		}
		d := Decision{Track: rule.Track, OrgCode: rule.Org, Rule: rule.Name, RuleTitle: rule.title(), Reason: rule.Reason,
			Priority: rule.Priority, Guidance: rule.Guidance, ClockRule: rule.Clock}
		if rule.ByTownship {
			org, ok := r.township(in.Township)
			if !ok {
				var p jiefen.Problems
				if in.Township == "" {
					p.Add("township", "is required to choose the township's people's mediation committee (rule %s)", rule.title())
				} else {
					p.Add("township", "%q is not a township the routing rules know", in.Township)
				}
				return Decision{}, p.Err()
			}
			d.OrgCode = org
		}
		if d.Priority == "" {
			d.Priority = PriorityNormal
		}
		if in.HasFlag(FlagMass) || in.HasFlag(FlagEscalationRisk) {
			d.Priority = PriorityHigh
		}
		if rule.Clock != "" && r.clocks != nil {
			if cr, ok := r.clocks.Rule(rule.Clock); ok {
				d.clock(r.cal, cr, in.ReceivedOn)
			}
		}
		return d, nil
	}
	return Decision{}, jiefen.Errorf(jiefen.EINTERNAL, "no routing rule matched")
}

func (r *Router) township(name string) (string, bool) {
	name = strings.TrimSpace(name)
	if org, ok := r.set.Townships[name]; ok {
		return org, true
	}
	org, ok := r.set.Townships[strings.TrimPrefix(name, r.set.CityPrefix)]
	return org, ok
}

func (m Match) matches(in Intake, prefix string) bool {
	if len(m.Sources) > 0 && !oneOf(in.Source, m.Sources) {
		return false
	}
	if len(m.Categories) > 0 && !oneOf(in.Category, m.Categories) {
		return false
	}
	if m.AmountMinFen != nil && in.AmountFen < *m.AmountMinFen {
		return false
	}
	if m.AmountMaxFen != nil && in.AmountFen > *m.AmountMaxFen {
		return false
	}
	if len(m.Townships) > 0 {
		t := strings.TrimPrefix(strings.TrimSpace(in.Township), prefix)
		found := false
		for _, w := range m.Townships {
			if strings.TrimPrefix(w, prefix) == t {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	if len(m.Flags) > 0 {
		any := false
		for _, f := range m.Flags {
			any = any || in.HasFlag(f)
		}
		if !any {
			return false
		}
	}
	return true
}

// TrackClocks names the clock each mediating track runs under when a
// dispute is transferred onto it.
func TrackClocks() map[Track]string {
	return map[Track]string{TrackPeople: "mediation.people", TrackAdministrative: "mediation.administrative",
		TrackJudicial: "mediation.court_prefiling"}
}

// TransferClock fills in the clock of t's track, counted from t.On.
func (r *Router) TransferClock(t *Transfer) {
	id, ok := TrackClocks()[t.ToTrack]
	if !ok || r.clocks == nil {
		return
	}
	cr, ok := r.clocks.Rule(id)
	if !ok {
		return
	}
	var d Decision
	d.clock(r.cal, cr, t.On)
	t.ClockRule, t.Basis, t.Due = d.ClockRule, d.Basis, d.Due
}
