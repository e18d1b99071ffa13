package mediation_test

import (
	"math/rand"
	"testing"

	"jiefen/calendar"
	"jiefen/mediation"
)

// TestNoEndedCaseHasALiveDuty walks random lifecycles (any order of the
// actions, days that move forward by 0–40 days, starts from 2023 to the
// provisional 2027, transfers at any point) and reads the clocks on random
// later days. Whatever happened: a closed or transferred case has no
// running, paused or overdue duty and no queue key; every duty and window
// is in a state of its kind; an overdue duty is past its due day; and a
// window (the parties' 司法确认 application) is never overdue.
func TestNoEndedCaseHasALiveDuty(t *testing.T) {
	cal, rules := shipped(t)
	rng := rand.New(rand.NewSource(18))
	tracks := []struct{ track, rule string }{{"people", "mediation.people"}, {"administrative", "mediation.administrative"},
		{"judicial", "mediation.court_prefiling"}}
	ended, withClocks := 0, 0
	for i := 0; i < 4000; i++ {
		tr := tracks[rng.Intn(len(tracks))]
		on := day("2023-01-01") + calendar.Date(rng.Intn(4*365+300))
		c := mediation.Case{Track: tr.track, ClockRule: tr.rule, State: mediation.StateAssigned, OpenedOn: on}
		pol := mediation.Policy{}
		if rng.Intn(4) == 0 {
			c.OrgCode, pol.PoliceOrgs = "RZ-GAJ", []string{"RZ-GAJ"} // 治安调解: the second-session duty
			c.Track = "administrative"
		}
		for step := 0; step < 12; step++ {
			on += calendar.Date(rng.Intn(40))
			today := on
			switch rng.Intn(11) {
			case 0:
				_ = c.Accept(on, today)
			case 1:
				_ = c.AddSession(mediation.Session{On: on, Place: "调委会", Record: "调解"}, today)
			case 2:
				_ = c.Agree(mediation.Agreement{On: on, Terms: "赔偿", EffectiveOn: on + calendar.Date(rng.Intn(3))}, mediation.TierGeneral, today)
			case 3:
				_ = c.Fail(mediation.Failure{On: on, Reason: "分歧较大"}, today)
			case 4:
				_ = c.ApplyConfirmation(on, today)
			case 5:
				_ = c.ConfirmationResult(mediation.Confirmed, on, today)
			case 6:
				_ = c.FollowUp(mediation.FollowUp{On: on, Rating: 1 + rng.Intn(5), Performed: true}, today)
			case 7:
				_ = c.Rectify("已整改", on, today)
			case 8, 9:
				_ = c.Close(on, today)
			case 10:
				if c.State.Open() || c.State == mediation.StateFailed {
					c.State = mediation.StateTransferred // the dispute moved to another track
				}
			}
		}
		today := on + calendar.Date(rng.Intn(200))
		pol.Clocks(&c, cal, rules, today)
		isEnded := c.Ended()
		if isEnded {
			ended++
		}
		if len(c.Clocks) > 0 {
			withClocks++
		}
		for _, k := range c.Clocks {
			switch {
			case k.Due == nil:
				t.Fatalf("case %+v: clock %s has no due day", c, k.Rule)
			case !k.Kind.Admits(k.State):
				t.Fatalf("clock %+v: a %s in state %s", k, k.Kind, k.State)
			case isEnded && k.State.Live():
				t.Fatalf("a %s case (on %s) has a live duty %+v", c.State, today, k)
			case k.State == calendar.Overdue && today <= *k.Due:
				t.Fatalf("overdue before its due day: %+v on %s", k, today)
			case k.Rule == mediation.RuleJudicialConfirmation && k.Kind != calendar.Window:
				t.Fatalf("the application for 司法确认 is the parties' window: %+v", k)
			}
		}
		if isEnded && c.NextDue() != nil {
			t.Fatalf("a %s case orders the queue on %s", c.State, *c.NextDue())
		}
	}
	if ended < 500 || withClocks < 1500 {
		t.Fatalf("the walk reached %d ended cases and %d with clocks: too few to mean anything", ended, withClocks)
	}
}
