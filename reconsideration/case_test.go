package reconsideration_test

import (
	"testing"

	"jiefen"
	"jiefen/calendar"
	"jiefen/configs"
	"jiefen/reconsideration"
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

func clock(t *testing.T, c *reconsideration.Case, rule string) calendar.Reading {
	t.Helper()
	for _, k := range c.Clocks {
		if k.Rule == rule {
			return k
		}
	}
	t.Fatalf("no clock %s in %+v", rule, c.Clocks)
	return calendar.Reading{}
}

func fresh(received string, p reconsideration.Procedure) reconsideration.Case {
	return reconsideration.New(reconsideration.Application{Applicant: jiefen.Party{Role: "applicant", Name: "张三"},
		Respondent: "RZ-ZRZYJ", Act: "不动产登记", ReceivedOn: day(received), Procedure: p})
}

// TestWorkedExample is DOMAIN.md's worked example and the issue's
// done-when: received Fri 2024-09-27, the 5-working-day review counts the
// make-up Sunday 9/29 and skips National Day: due 10/10. Accepted on
// 10/08, the 60-day decision clock ends Sat 12/07 and rolls to Mon 12/09;
// a 10-day suspension and a 30-day extension add 40 days to the raw
// period: Thu 2025-01-16.
func TestWorkedExample(t *testing.T) {
	cal, rules := shipped(t)
	today := day("2026-11-25")
	c := fresh("2024-09-27", reconsideration.Ordinary)
	c.ComputeClocks(cal, rules, day("2024-09-30"))
	if k := clock(t, &c, reconsideration.RuleAcceptanceReview); k.Due.String() != "2024-10-10" || k.State != calendar.Running {
		t.Fatalf("review %+v", k)
	}
	if err := c.ReviewDecision(reconsideration.Accept, "", day("2024-10-08"), today); err != nil {
		t.Fatal(err)
	}
	c.ComputeClocks(cal, rules, today)
	if k := clock(t, &c, reconsideration.RuleAcceptanceReview); k.State != calendar.Met {
		t.Fatalf("review %+v", k)
	}
	if k := clock(t, &c, reconsideration.RuleDecision); k.From.String() != "2024-10-08" || k.Due.String() != "2024-12-09" {
		t.Fatalf("decision %+v", k)
	}
	// Copy within 7 working days: 10/9, 10/10, 10/11, Sat 10/12 (a make-up
	// working day), 10/14, 10/15, 10/16.
	if k := clock(t, &c, reconsideration.RuleCopy); k.Due.String() != "2024-10-16" {
		t.Fatalf("copy %+v", k)
	}
	if err := c.Suspend("申请人死亡，等待近亲属参加", day("2024-11-01"), today); err != nil {
		t.Fatal(err)
	}
	c.ComputeClocks(cal, rules, today)
	if k := clock(t, &c, reconsideration.RuleDecision); k.State != calendar.Paused {
		t.Fatalf("suspended decision clock %+v", k)
	}
	if err := c.Resume(day("2024-11-11"), today); err != nil {
		t.Fatal(err)
	}
	if err := c.Extend(reconsideration.Extension{On: day("2024-12-02"), Days: 30, Reason: "案情复杂"}, today); err != nil {
		t.Fatal(err)
	}
	if err := c.Extend(reconsideration.Extension{On: day("2024-12-03"), Days: 5, Reason: "again"}, today); jiefen.ErrorCodeOf(err) != jiefen.ECONFLICT {
		t.Fatalf("a second extension: %v", err)
	}
	c.ComputeClocks(cal, rules, today)
	if k := clock(t, &c, reconsideration.RuleDecision); k.Due.String() != "2025-01-16" || k.State != calendar.Overdue {
		t.Fatalf("decision after suspension and extension %+v", k)
	}
	if err := c.Decide(reconsideration.Decision{On: day("2025-01-10"), Result: reconsideration.Annulled}, today); err != nil {
		t.Fatal(err)
	}
	c.ComputeClocks(cal, rules, today)
	if k := clock(t, &c, reconsideration.RuleDecision); k.State != calendar.Met || c.State != reconsideration.StateDecided {
		t.Fatalf("decided %+v %s", k, c.State)
	}
}

// TestDeemedAcceptance: no decision by the end of the review period makes
// the case accepted from that day (第30条), and the decision clock runs
// from it.
func TestDeemedAcceptance(t *testing.T) {
	cal, rules := shipped(t)
	c := fresh("2024-09-27", reconsideration.Ordinary)
	c.ComputeClocks(cal, rules, day("2024-10-11"))
	if !c.Deemed || c.State != reconsideration.StateAccepted || c.AcceptedOn.String() != "2024-10-10" {
		t.Fatalf("deemed %v, state %s, accepted %v", c.Deemed, c.State, c.AcceptedOn)
	}
	// 60 days from 10/10 is 12/09, a Monday.
	if k := clock(t, &c, reconsideration.RuleDecision); k.Due.String() != "2024-12-09" {
		t.Fatalf("decision %+v", k)
	}
	// On the last day of the review it is not yet deemed accepted.
	d := fresh("2024-09-27", reconsideration.Ordinary)
	d.ComputeClocks(cal, rules, day("2024-10-10"))
	if d.Deemed {
		t.Fatal("deemed accepted on the review's last day")
	}
}

// TestMaterialsRestartTheReview: asking for materials within 5 working
// days, the applicant's 10 working days, and a fresh 5-day review from the
// day they arrive (第31条).
func TestMaterialsRestartTheReview(t *testing.T) {
	cal, rules := shipped(t)
	today := day("2025-06-30")
	c := fresh("2025-04-25", reconsideration.Ordinary) // Friday before Labour Day; 4/27 (Sun) is a make-up day
	if err := c.ReviewDecision(reconsideration.RequestMaterials, "", day("2025-04-28"), today); err == nil {
		t.Fatal("a request for materials without saying what is missing")
	}
	if err := c.ReviewDecision(reconsideration.RequestMaterials, "缺少身份证明", day("2025-04-28"), today); err != nil {
		t.Fatal(err)
	}
	if err := c.MaterialsReceived(day("2025-05-09"), today); err != nil {
		t.Fatal(err)
	}
	c.ComputeClocks(cal, rules, today)
	// 4/27 (make-up) #1, 4/28 #2, 4/29 #3, 4/30 #4, 5/6 #5 (5/1–5/5 holiday).
	if k := clock(t, &c, reconsideration.RuleMaterialsNotice); k.Due.String() != "2025-05-06" || k.State != calendar.Met {
		t.Fatalf("notice %+v", k)
	}
	// 10 working days from Mon 4/28: 4/29, 4/30, 5/6–5/9, 5/12–5/15 → 5/15.
	if k := clock(t, &c, reconsideration.RuleMaterialsSupply); k.Due.String() != "2025-05-15" || k.State != calendar.Used || k.Kind != calendar.Window {
		t.Fatalf("supply %+v", k)
	}
	// The review restarts on Fri 5/9: 5/12 … 5/16. Nobody decided: deemed accepted then.
	if k := clock(t, &c, reconsideration.RuleAcceptanceReview); k.From.String() != "2025-05-09" || k.Due.String() != "2025-05-16" {
		t.Fatalf("review %+v", k)
	}
	if !c.Deemed || c.AcceptedOn.String() != "2025-05-16" {
		t.Fatalf("deemed %v from %v", c.Deemed, c.AcceptedOn)
	}
}

// TestCommitteeAndRefusals: a major case cannot be decided before the
// committee's opinion (第52条); out-of-order actions name the state.
func TestCommitteeAndRefusals(t *testing.T) {
	today := day("2025-06-30")
	c := fresh("2025-03-03", reconsideration.Simplified)
	c.Major = true
	if err := c.Decide(reconsideration.Decision{On: day("2025-03-10"), Result: reconsideration.Upheld}, today); jiefen.ErrorCodeOf(err) != jiefen.ECONFLICT {
		t.Fatalf("decision before acceptance: %v", err)
	}
	c.ReviewDecision(reconsideration.Accept, "", day("2025-03-04"), today)
	err := c.Decide(reconsideration.Decision{On: day("2025-03-20"), Result: reconsideration.Upheld}, today)
	if e, ok := err.(*jiefen.Error); !ok || e.Code != jiefen.EINVALID || e.Fields[0].Field != "committee_reviews" {
		t.Fatalf("decision without the committee: %v", err)
	}
	if err := c.Extend(reconsideration.Extension{On: day("2025-03-05"), Days: 10, Reason: "x"}, today); jiefen.ErrorCodeOf(err) != jiefen.ECONFLICT {
		t.Fatalf("extension of a simplified case: %v", err)
	}
	if err := c.Consult(reconsideration.Opinion{On: day("2025-03-18"), Opinion: "建议维持"}, today); err != nil {
		t.Fatal(err)
	}
	if err := c.Decide(reconsideration.Decision{On: day("2025-03-20"), Result: "maybe"}, today); jiefen.ErrorCodeOf(err) != jiefen.EINVALID {
		t.Fatalf("unknown result: %v", err)
	}
	if err := c.Decide(reconsideration.Decision{On: day("2025-03-20"), Result: reconsideration.Upheld}, today); err != nil {
		t.Fatal(err)
	}
}

// TestCount: the figures of a period by the definitions of DOMAIN.md, and
// the correction rate on either basis.
func TestCount(t *testing.T) {
	cal, rules := shipped(t)
	today := day("2025-12-31")
	var cases []reconsideration.Case
	for _, tc := range []struct {
		received, accepted, decided string
		result                      reconsideration.Result
	}{
		{"2025-01-06", "2025-01-07", "2025-02-20", reconsideration.Annulled},
		{"2025-01-08", "2025-01-09", "2025-03-05", reconsideration.Upheld},
		{"2025-02-10", "2025-02-11", "2025-03-20", reconsideration.Mediated},
		{"2025-02-12", "2025-02-13", "", ""}, // pending: its decision clock ran out on 4/14
	} {
		c := fresh(tc.received, reconsideration.Ordinary)
		if err := c.ReviewDecision(reconsideration.Accept, "", day(tc.accepted), today); err != nil {
			t.Fatal(err)
		}
		if tc.decided != "" {
			if err := c.Decide(reconsideration.Decision{On: day(tc.decided), Result: tc.result}, today); err != nil {
				t.Fatal(err)
			}
		}
		c.ComputeClocks(cal, rules, today)
		cases = append(cases, c)
	}
	st := reconsideration.Count(cases, day("2025-01-01"), day("2025-06-30"), reconsideration.BasisConcluded)
	if st.Received != 4 || st.Accepted != 4 || st.Decided != 3 || st.Corrected != 1 || st.ResolvedByMediation != 1 || st.Overdue != 1 {
		t.Fatalf("figures %+v", st.Figures)
	}
	if *st.CorrectionRate != 1.0/3 {
		t.Fatalf("rate on concluded cases %v", *st.CorrectionRate)
	}
	if len(st.ByMonth) != 4 || st.ByMonth[0].Month != "2025-01" || st.ByMonth[0].Received != 2 || st.ByMonth[1].Decided != 1 {
		t.Fatalf("by month %+v", st.ByMonth)
	}
	if len(st.ByRespondent) != 1 || st.ByRespondent[0].Received != 4 {
		t.Fatalf("by respondent %+v", st.ByRespondent)
	}
	if r := reconsideration.Count(cases, day("2025-01-01"), day("2025-06-30"), reconsideration.BasisDecisions).CorrectionRate; *r != 0.5 {
		t.Fatalf("rate on decisions %v", *r)
	}
	if r := reconsideration.Count(cases, day("2024-01-01"), day("2024-12-31"), reconsideration.BasisConcluded); r.CorrectionRate != nil || r.Received != 0 {
		t.Fatalf("an empty year %+v", r.Figures)
	}
}

// TestDecisionEnteredAfterTheFact: a review decision dated within the
// review period replaces the acceptance the law deemed for want of a
// recorded one; a decision dated later cannot.
func TestDecisionEnteredAfterTheFact(t *testing.T) {
	cal, rules := shipped(t)
	today := day("2025-06-30")
	c := fresh("2024-09-27", reconsideration.Ordinary)
	c.ComputeClocks(cal, rules, today)
	if err := c.ReviewDecision(reconsideration.Reject, "超过申请期限", day("2024-10-11"), today); jiefen.ErrorCodeOf(err) != jiefen.ECONFLICT {
		t.Fatalf("a rejection after the review ran out: %v", err)
	}
	if err := c.ReviewDecision(reconsideration.Reject, "超过申请期限", day("2024-10-09"), today); err != nil {
		t.Fatal(err)
	}
	c.ComputeClocks(cal, rules, today)
	if c.Deemed || c.State != reconsideration.StateRejected || c.AcceptedOn != nil {
		t.Fatalf("deemed %v, state %s", c.Deemed, c.State)
	}
}
