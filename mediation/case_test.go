package mediation_test

import (
	"strings"
	"testing"

	"jiefen"
	"jiefen/calendar"
	"jiefen/configs"
	"jiefen/mediation"
)

func day(s string) calendar.Date { d, _ := calendar.ParseDate(s); return d }

func shipped(t *testing.T) (*calendar.Calendar, *calendar.Rules) {
	t.Helper()
	ns, err := configs.Holidays()
	if err != nil {
		t.Fatal(err)
	}
	cal, err := calendar.New(calendar.Options{}, ns...)
	if err != nil {
		t.Fatal(err)
	}
	rules, err := configs.Rules("")
	if err != nil {
		t.Fatal(err)
	}
	return cal, rules
}

func clock(c *mediation.Case, rule string) *calendar.Reading {
	for i := range c.Clocks {
		if c.Clocks[i].Rule == rule {
			return &c.Clocks[i]
		}
	}
	return nil
}

// TestClocksOnTheOfficialCalendar checks each mediation clock against the
// State Council's tables, around the holidays where rollover matters.
func TestClocksOnTheOfficialCalendar(t *testing.T) {
	cal, rules := shipped(t)
	today := day("2026-11-25")
	for _, tc := range []struct {
		name, track, rule string
		accepted, due     string
	}{
		// One month from 2024-12-31 is 2025-01-31, inside the Spring
		// Festival holiday (1/28–2/4): the next working day is 2/5.
		{"people, into Spring Festival", "people", "mediation.people", "2024-12-31", "2025-02-05"},
		// One month from 2025-09-30 is 10-30, a Thursday.
		{"people, plain month", "people", "mediation.people", "2025-09-30", "2025-10-30"},
		// 31 January + one month = the last day of February (民法典 第202条);
		// 2025-02-28 is a Friday.
		{"people, month end", "people", "mediation.people", "2025-01-31", "2025-02-28"},
		// 30 days from 2025-09-05 is 10-05, inside National Day (10/1–10/8).
		{"court pre-filing, into National Day", "judicial", "mediation.court_prefiling", "2025-09-05", "2025-10-09"},
		// 15 days from 2024-04-20 is 05-05, the last day of Labour Day (5/1–5/5).
		{"court post-filing, into Labour Day", "judicial", "mediation.court_postfiling", "2024-04-20", "2024-05-06"},
		// 7 days from 2024-09-10 is 09-17, Mid-Autumn (9/15–9/17).
		{"simple procedure, into Mid-Autumn", "judicial", "mediation.court_postfiling_simple", "2024-09-10", "2024-09-18"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := mediation.Case{Track: tc.track, ClockRule: tc.rule, State: mediation.StateAssigned, OpenedOn: day(tc.accepted)}
			if err := c.Accept(day(tc.accepted), today); err != nil {
				t.Fatal(err)
			}
			c.ComputeClocks(cal, rules, today)
			k := clock(&c, tc.rule)
			if k == nil || k.Due == nil || k.Due.String() != tc.due {
				t.Fatalf("clock %+v, want due %s", k, tc.due)
			}
			if k.State != calendar.Overdue || k.Basis == "" {
				t.Fatalf("an untouched clock of %s is %s on %s, basis %q", tc.due, k.State, today, k.Basis)
			}
		})
	}
}

// TestLifecycle walks a people's mediation case from acceptance to close
// and checks the clocks at each step.
func TestLifecycle(t *testing.T) {
	cal, rules := shipped(t)
	today := day("2025-12-31")
	c := mediation.Case{Track: "people", ClockRule: "mediation.people", State: mediation.StateAssigned, OpenedOn: day("2025-08-28")}
	steps := []struct {
		name string
		do   func() error
		want mediation.State
	}{
		{"accept", func() error { return c.Accept(day("2025-09-01"), today) }, mediation.StateAccepted},
		{"session", func() error {
			return c.AddSession(mediation.Session{On: day("2025-09-03"), Place: "村调委会", Attendees: []string{"张三", "李四"}, Record: "双方陈述"}, today)
		}, mediation.StateInMediation},
		{"agreement", func() error {
			return c.Agree(mediation.Agreement{On: day("2025-09-05"), Terms: "李四赔偿张三1200元", AmountFen: 120000, EffectiveOn: day("2025-09-05")}, "", today)
		}, mediation.StateAgreement},
		{"apply", func() error { return c.ApplyConfirmation(day("2025-09-20"), today) }, mediation.StateConfirmation},
		{"confirmed", func() error { return c.ConfirmationResult(mediation.Confirmed, day("2025-09-25"), today) }, mediation.StateConfirmation},
		{"low rating", func() error {
			return c.FollowUp(mediation.FollowUp{On: day("2025-10-20"), Rating: 2, Comment: "态度不好", Performed: true}, today)
		}, mediation.StateFollowUp},
	}
	for _, s := range steps {
		if err := s.do(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if c.State != s.want {
			t.Fatalf("after %s the case is %s, want %s", s.name, c.State, s.want)
		}
	}
	c.ComputeClocks(cal, rules, today)
	// One month from 9/1 is 10/1, inside National Day: due 10/9, met 9/5.
	if k := clock(&c, "mediation.people"); k == nil || k.Due.String() != "2025-10-09" || k.State != calendar.Met {
		t.Fatalf("mediation clock %+v", k)
	}
	// 30 days from 9/5 is 10/5, inside National Day: due 10/9; the
	// parties' window, used on 9/20.
	if k := clock(&c, mediation.RuleJudicialConfirmation); k == nil || k.Due.String() != "2025-10-09" || k.State != calendar.Used || k.Kind != calendar.Window {
		t.Fatalf("confirmation clock %+v", k)
	}
	if got := c.SubsidyEarnedOn(); got == nil || got.String() != "2025-10-20" {
		t.Fatalf("subsidy earned on %v", got)
	}
	// The low rating opened a rectification that blocks the close.
	if err := c.Close(day("2025-10-21"), today); jiefen.ErrorCodeOf(err) != jiefen.ECONFLICT {
		t.Fatalf("close with an open rectification: %v", err)
	}
	if err := c.Rectify("调解员向当事人致歉并复盘", day("2025-10-22"), today); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(day("2025-10-23"), today); err != nil || c.State != mediation.StateClosed {
		t.Fatalf("close: %v, %s", err, c.State)
	}
	// Nothing more may happen to a closed case, and the conflict names the state.
	if err := c.AddSession(mediation.Session{On: day("2025-10-24"), Place: "x", Attendees: []string{"x"}}, today); jiefen.ErrorCodeOf(err) != jiefen.ECONFLICT {
		t.Fatalf("session on a closed case: %v", err)
	}
}

// TestRefusals: actions out of order conflict and name the state; bad
// input names its field.
func TestRefusals(t *testing.T) {
	today := day("2025-06-30")
	fresh := func() mediation.Case {
		return mediation.Case{Track: "people", ClockRule: "mediation.people", State: mediation.StateAssigned, OpenedOn: day("2025-06-01")}
	}
	c := fresh()
	err := c.Agree(mediation.Agreement{On: day("2025-06-10"), Terms: "x"}, "", today)
	if e, ok := err.(*jiefen.Error); !ok || e.Code != jiefen.ECONFLICT || !strings.Contains(e.Message, "assigned") {
		t.Fatalf("agreement before acceptance: %v", err)
	}
	for _, tc := range []struct {
		field string
		do    func(c *mediation.Case) error
	}{
		{"on", func(c *mediation.Case) error { return c.Accept(day("2025-07-01"), today) }},
		{"on", func(c *mediation.Case) error { return c.Accept(day("2025-05-31"), today) }},
		{"terms", func(c *mediation.Case) error {
			c.Accept(day("2025-06-02"), today)
			return c.Agree(mediation.Agreement{On: day("2025-06-03")}, "", today)
		}},
		{"effective_on", func(c *mediation.Case) error {
			c.Accept(day("2025-06-02"), today)
			return c.Agree(mediation.Agreement{On: day("2025-06-03"), Terms: "x", EffectiveOn: day("2025-06-02")}, "", today)
		}},
		{"tier", func(c *mediation.Case) error {
			c.Accept(day("2025-06-02"), today)
			return c.Agree(mediation.Agreement{On: day("2025-06-03"), Terms: "x"}, "huge", today)
		}},
		{"rating", func(c *mediation.Case) error {
			c.Accept(day("2025-06-02"), today)
			c.Agree(mediation.Agreement{On: day("2025-06-03"), Terms: "x"}, "", today)
			return c.FollowUp(mediation.FollowUp{On: day("2025-06-04"), Rating: 6}, today)
		}},
		{"reason", func(c *mediation.Case) error {
			c.Accept(day("2025-06-02"), today)
			return c.Fail(mediation.Failure{On: day("2025-06-03")}, today)
		}},
	} {
		c := fresh()
		err := tc.do(&c)
		e, ok := err.(*jiefen.Error)
		if !ok || e.Code != jiefen.EINVALID || len(e.Fields) == 0 || e.Fields[0].Field != tc.field {
			t.Errorf("want a problem with %s, got %v", tc.field, err)
		}
	}
}

// TestPoliceSecondSession: 7 working days from the first 治安调解 session
// of Fri 2025-09-26 run over National Day and two make-up Saturdays.
func TestPoliceSecondSession(t *testing.T) {
	cal, rules := shipped(t)
	today := day("2025-10-20")
	c := mediation.Case{Track: "administrative", ClockRule: "mediation.administrative", SecondSessionRule: mediation.RulePoliceSecondSession,
		State: mediation.StateAssigned, OpenedOn: day("2025-09-25")}
	c.Accept(day("2025-09-25"), today)
	if err := c.AddSession(mediation.Session{On: day("2025-09-26"), Place: "派出所", Attendees: []string{"甲"}}, today); err != nil {
		t.Fatal(err)
	}
	c.ComputeClocks(cal, rules, today)
	// 9/28 (Sun, make-up) #1, 9/29 #2, 9/30 #3, 10/9 #4, 10/10 #5,
	// 10/11 (Sat, make-up) #6, 10/13 #7.
	k := clock(&c, mediation.RulePoliceSecondSession)
	if k == nil || k.Due.String() != "2025-10-13" || k.State != calendar.Overdue {
		t.Fatalf("second-session clock %+v", k)
	}
	if err := c.AddSession(mediation.Session{On: day("2025-10-10"), Place: "派出所", Attendees: []string{"甲"}}, today); err != nil {
		t.Fatal(err)
	}
	c.ComputeClocks(cal, rules, today)
	if k := clock(&c, mediation.RulePoliceSecondSession); k.State != calendar.Met {
		t.Fatalf("after the second session: %+v", k)
	}
}
