package routing_test

import (
	"strings"
	"testing"
	"time"

	"jiefen"
	"jiefen/calendar"
	"jiefen/configs"
	"jiefen/routing"
)

func shipped(t *testing.T) (*routing.Router, routing.RuleSet, *calendar.Rules) {
	t.Helper()
	set, err := configs.RoutingRules("")
	if err != nil {
		t.Fatal(err)
	}
	set.Version = 1
	ns, err := configs.Holidays()
	if err != nil {
		t.Fatal(err)
	}
	cal, err := calendar.New(calendar.Options{}, ns...)
	if err != nil {
		t.Fatal(err)
	}
	clocks, err := configs.Rules("")
	if err != nil {
		t.Fatal(err)
	}
	return routing.NewRouter(set, cal, clocks), set, clocks
}

func day(s string) calendar.Date { d, _ := calendar.ParseDate(s); return d }

// TestShippedRulesOneByOne routes one dispute per shipped rule.
func TestShippedRulesOneByOne(t *testing.T) {
	r, set, _ := shipped(t)
	cases := []struct {
		source   routing.Source
		category routing.Category
		township string
		rule     string
		track    routing.Track
		org      string
		due      string
	}{
		{"court", "neighbour", "", "court_referral", "judicial", "RZ-FY", "2024-10-28"},
		{"court", "labour", "", "court_referral", "judicial", "RZ-FY", "2024-10-28"}, // a court referral stays judicial
		{"walk_in", "land_ownership", "", "land_ownership_adjudication", "adjudication", "RZ-ZRZYJ", ""},
		{"hotline", "consumer", "", "consumer_administrative", "administrative", "RZ-SCJGJ", "2024-10-28"},
		{"walk_in", "labour", "", "labour_administrative", "administrative", "RZ-RSJ", "2024-10-28"},
		{"police", "traffic_accident", "", "traffic_accident_administrative", "administrative", "RZ-JJDD", "2024-10-28"},
		{"online", "medical", "", "medical_committee", "people", "RZ-YLJF-TWH", "2024-10-28"},
		{"grid", "property_management", "", "property_management_committee", "people", "RZ-WYJF-TWH", "2024-10-28"},
		{"police", "neighbour", "汝州市钟楼街道", "police_referral", "people", "RZ-ZL-TWH", "2024-10-28"},
		{"petition", "debt", "骑岭乡", "petition_referral", "people", "RZ-QL-TWH", "2024-10-28"},
		{"walk_in", "family", "汝州市紫云路街道", "township_committee", "people", "RZ-ZYL-TWH", "2024-10-28"},
	}
	covered := map[string]bool{}
	for _, c := range cases {
		d, err := r.Route(routing.Intake{Source: c.source, Category: c.category, Township: c.township, ReceivedOn: day("2024-09-27")})
		if err != nil {
			t.Fatalf("%s/%s: %v", c.source, c.category, err)
		}
		due := ""
		if d.Due != nil {
			due = d.Due.String()
		}
		if d.Rule != c.rule || d.Track != c.track || d.OrgCode != c.org || due != c.due || d.Reason == "" || d.Priority != routing.PriorityNormal {
			t.Errorf("%s/%s: %+v (due %s)", c.source, c.category, d, due)
		}
		covered[d.Rule] = true
	}
	for _, rule := range set.Rules {
		if !covered[rule.Name] {
			t.Errorf("shipped rule %s has no case", rule.Name)
		}
	}
}

func TestMatchingAndPriority(t *testing.T) {
	lo, hi := int64(100), int64(500)
	set := routing.RuleSet{Version: 3, CityPrefix: "汝州市", Townships: map[string]string{"钟楼街道": "ZL"}, Rules: []routing.Rule{
		{Name: "big_debt", When: routing.Match{Categories: []routing.Category{"debt"}, AmountMinFen: &lo, AmountMaxFen: &hi}, Track: "judicial", Org: "FY", Reason: "r"},
		{Name: "zl_family", When: routing.Match{Townships: []string{"汝州市钟楼街道"}, Categories: []routing.Category{"family"}}, Track: "people", Org: "ZL-FAMILY", Reason: "r"},
		{Name: "risky", When: routing.Match{Flags: []routing.Flag{"escalation_risk", "vulnerable"}}, Track: "people", Org: "SAFE", Priority: "high", Reason: "r"},
		{Name: "rest", Track: "people", ByTownship: true, Reason: "r"},
	}}
	r := routing.NewRouter(set, nil, nil)
	for _, c := range []struct {
		in   routing.Intake
		rule string
		prio routing.Priority
	}{
		{routing.Intake{Category: "debt", AmountFen: 100, Township: "钟楼街道"}, "big_debt", "normal"},
		{routing.Intake{Category: "debt", AmountFen: 500, Township: "钟楼街道"}, "big_debt", "normal"},
		{routing.Intake{Category: "debt", AmountFen: 501, Township: "钟楼街道"}, "rest", "normal"},
		{routing.Intake{Category: "debt", AmountFen: 99, Township: "钟楼街道"}, "rest", "normal"},
		{routing.Intake{Category: "family", Township: "钟楼街道"}, "zl_family", "normal"},
		{routing.Intake{Category: "family", Township: "汝州市钟楼街道"}, "zl_family", "normal"},
		{routing.Intake{Category: "other", Flags: []routing.Flag{"vulnerable"}}, "risky", "high"},
		{routing.Intake{Category: "other", Township: "钟楼街道", Flags: []routing.Flag{"mass"}}, "rest", "high"},
	} {
		d, err := r.Route(c.in)
		if err != nil || d.Rule != c.rule || d.Priority != c.prio {
			t.Errorf("%+v: %+v %v; want %s %s", c.in, d, err, c.rule, c.prio)
		}
	}
	_, err := r.Route(routing.Intake{Category: "other"})
	if e, ok := err.(*jiefen.Error); !ok || e.Fields[0].Field != "township" {
		t.Fatalf("no township: %v", err)
	}
}

func TestValidateNamesTheRule(t *testing.T) {
	_, set, clocks := shipped(t)
	known := func(string) bool { return true }
	if err := set.Validate(known, clocks); err != nil {
		t.Fatal(err)
	}
	for name, mutate := range map[string]func(s *routing.RuleSet){
		"unknown org":      func(s *routing.RuleSet) { s.Rules[2].Org = "NOPE" },
		"unknown track":    func(s *routing.RuleSet) { s.Rules[2].Track = "arbitration" },
		"unknown category": func(s *routing.RuleSet) { s.Rules[2].When.Categories = []routing.Category{"gossip"} },
		"unknown clock":    func(s *routing.RuleSet) { s.Rules[2].Clock = "mediation.forever" },
		"no reason":        func(s *routing.RuleSet) { s.Rules[2].Reason = "" },
	} {
		s := set
		s.Rules = append([]routing.Rule(nil), set.Rules...)
		mutate(&s)
		err := s.Validate(func(c string) bool { return c != "NOPE" }, clocks)
		if err == nil || !strings.Contains(err.Error(), s.Rules[2].Name) {
			t.Errorf("%s: %v", name, err)
		}
	}
	s := set
	s.Rules = set.Rules[:len(set.Rules)-1]
	if err := s.Validate(known, clocks); err == nil || !strings.Contains(err.Error(), "fallback") {
		t.Errorf("no fallback: %v", err)
	}
}

func TestIntakeNormalize(t *testing.T) {
	today := day("2024-10-01")
	in := routing.Intake{Title: "  纠纷 ", Category: "family", Source: "walk_in", ReceivedOn: today,
		Parties: []jiefen.Party{{Role: "applicant", Name: " 张三 "}}, Flags: []routing.Flag{"mass", "mass"}}
	if err := in.Normalize(today, time.Date(2024, 10, 1, 4, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	if in.Title != "纠纷" || in.Parties[0].Name != "张三" || len(in.Flags) != 1 {
		t.Fatalf("%+v", in)
	}
}

// TestRuleTitle names a stored route's rule by its title in the current
// rules, and by its code once the rules no longer have it.
func TestRuleTitle(t *testing.T) {
	set := routing.RuleSet{Version: 1, Rules: []routing.Rule{
		{Name: "police_docking", Title: "警调对接", Track: "people", Org: "GA", Reason: "r"},
		{Name: "untitled", Track: "people", Org: "X", Reason: "r"},
	}}
	r := routing.NewRouter(set, nil, nil)
	for name, want := range map[string]string{"police_docking": "警调对接", "untitled": "untitled", "retired_rule": "retired_rule"} {
		if got := r.RuleTitle(name); got != want {
			t.Errorf("RuleTitle(%q) = %q, want %q", name, got, want)
		}
	}
}
