package calendar

import (
	"fmt"
	"strings"
)

// Rule is one statutory clock of the catalogue: what it is, how long it
// runs, and the law that says so. The catalogue is data (configs/rules.yaml)
// so that lawyers can review it and a city can set its local limits.
type Rule struct {
	ID   string `json:"id" yaml:"id"`
	Name string `json:"name" yaml:"name"`
	// Kind says whether the clock is a duty of the people working the
	// case or a window the parties may use.
	Kind ClockKind `json:"kind" yaml:"kind"`
	Unit Unit      `json:"unit" yaml:"unit"`
	N    int       `json:"n" yaml:"n"`
	// Before marks a period that runs backwards from its event: the latest
	// day to act before it (a notice due three days before a hearing).
	Before bool   `json:"before,omitempty" yaml:"before"`
	Basis  string `json:"basis" yaml:"basis"`
	// MaxExtensionDays is the longest extension the law allows, 0 for none.
	MaxExtensionDays int    `json:"max_extension_days,omitempty" yaml:"max_extension_days"`
	Local            bool   `json:"local,omitempty" yaml:"local"` // set by the city, not by national law
	Note             string `json:"note,omitempty" yaml:"note"`
}

// Period returns the rule's period.
func (r Rule) Period() Period { return Period{Unit: r.Unit, N: r.N} }

// Clock returns the rule's clock started on from.
func (r Rule) Clock(from Date) Clock { return Clock{From: from, Period: r.Period(), Before: r.Before} }

// Rules is the catalogue of statutory clocks, in the order given.
type Rules struct {
	list []Rule
	byID map[string]int
}

// NewRules checks a catalogue: ids unique and of the form area.name, a kind
// (duty or window), known units, positive lengths, and a legal basis for
// every clock.
func NewRules(rules []Rule) (*Rules, error) {
	rs := &Rules{byID: map[string]int{}}
	for i, r := range rules {
		switch {
		case !validRuleID(r.ID):
			return nil, fmt.Errorf("rules[%d]: id %q must be area.name in lower case", i, r.ID)
		case !r.Kind.Valid():
			return nil, fmt.Errorf("rule %s: kind %q must be duty (the people working the case must act) or window (the parties may act)", r.ID, r.Kind)
		case !r.Unit.Valid():
			return nil, fmt.Errorf("rule %s: unit %q must be workdays, days or months", r.ID, r.Unit)
		case r.N < 1:
			return nil, fmt.Errorf("rule %s: n must be at least 1", r.ID)
		case strings.TrimSpace(r.Basis) == "":
			return nil, fmt.Errorf("rule %s: every clock needs its legal basis", r.ID)
		case strings.TrimSpace(r.Name) == "":
			return nil, fmt.Errorf("rule %s: name is required", r.ID)
		case r.MaxExtensionDays < 0:
			return nil, fmt.Errorf("rule %s: max_extension_days cannot be negative", r.ID)
		}
		if j, dup := rs.byID[r.ID]; dup {
			rs.list[j] = r // a later entry (a local override) replaces an earlier one
			continue
		}
		rs.byID[r.ID] = len(rs.list)
		rs.list = append(rs.list, r)
	}
	return rs, nil
}

func validRuleID(id string) bool {
	if !strings.Contains(id, ".") || strings.HasPrefix(id, ".") || strings.HasSuffix(id, ".") {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

// Rule returns the rule with the given id.
func (rs *Rules) Rule(id string) (Rule, bool) {
	i, ok := rs.byID[id]
	if !ok {
		return Rule{}, false
	}
	return rs.list[i], true
}

// All returns every rule in catalogue order.
func (rs *Rules) All() []Rule { return append([]Rule(nil), rs.list...) }

// CountingBasis is the law behind the counting of a unit, shown beside a
// deadline computed without a named rule.
func CountingBasis(u Unit) string {
	if u == Workdays {
		return "行政复议法 第88条"
	}
	return "民事诉讼法 第85条；民法典 第201条至第203条"
}
