package reconsideration_test

import (
	"math/rand"
	"testing"

	"jiefen"
	"jiefen/calendar"
	"jiefen/reconsideration"
)

// TestNoEndedCaseHasALiveDuty walks random reconsideration cases through
// any order of the actions (days moving forward by 0–20 days, from 2023 to
// the provisional 2027) and reads the clocks on random later days: a
// decided or rejected case has no running, paused or overdue duty and no
// queue key; every clock is in a state of its kind; an overdue duty is
// past its due day; the applicant's time to supply materials is a window.
func TestNoEndedCaseHasALiveDuty(t *testing.T) {
	cal, rules := shipped(t)
	rng := rand.New(rand.NewSource(18))
	results := reconsideration.Results
	ended := 0
	for i := 0; i < 4000; i++ {
		on := day("2023-01-01") + calendar.Date(rng.Intn(4*365+300))
		proc := reconsideration.Ordinary
		if rng.Intn(3) == 0 {
			proc = reconsideration.Simplified
		}
		c := reconsideration.New(reconsideration.Application{Applicant: jiefen.Party{Name: "王某某"}, Respondent: "RZ-ZRZYJ",
			Act: "行政处罚", ReceivedOn: on, Procedure: proc, Major: rng.Intn(5) == 0})
		for step := 0; step < 12; step++ {
			on += calendar.Date(rng.Intn(20))
			today := on
			c.ComputeClocks(cal, rules, today) // what the law did by itself meanwhile (deemed acceptance)
			switch rng.Intn(12) {
			case 0:
				_ = c.ReviewDecision([]string{reconsideration.Accept, reconsideration.Reject, reconsideration.RequestMaterials}[rng.Intn(3)], "理由", on, today)
			case 1:
				_ = c.MaterialsReceived(on, today)
			case 2:
				_ = c.Copy(on, today)
			case 3:
				_ = c.Answer(reconsideration.Reply{On: on, Text: "答复"}, today)
			case 4:
				noticed := on - calendar.Date(rng.Intn(10))
				_ = c.Hear(reconsideration.Hearing{On: on, NoticedOn: &noticed, Place: "听证室"}, today)
			case 5:
				_ = c.Consult(reconsideration.Opinion{On: on, Opinion: "意见"}, today)
			case 6:
				_ = c.Suspend("鉴定", on, today)
			case 7:
				_ = c.Resume(on, today)
			case 8:
				_ = c.Extend(reconsideration.Extension{On: on, Days: 1 + rng.Intn(30), Reason: "复杂"}, today)
			default:
				_ = c.Decide(reconsideration.Decision{On: on, Result: results[rng.Intn(len(results))]}, today)
			}
		}
		today := on + calendar.Date(rng.Intn(200))
		c.ComputeClocks(cal, rules, today)
		isEnded := c.Ended()
		if isEnded {
			ended++
		}
		for _, k := range c.Clocks {
			switch {
			case k.Due == nil:
				t.Fatalf("clock %s has no due day", k.Rule)
			case !k.Kind.Admits(k.State):
				t.Fatalf("clock %+v: a %s in state %s", k, k.Kind, k.State)
			case isEnded && k.State.Live():
				t.Fatalf("a %s case (on %s) has a live duty %+v", c.State, today, k)
			case k.State == calendar.Overdue && today <= *k.Due:
				t.Fatalf("overdue before its due day: %+v on %s", k, today)
			case k.Rule == reconsideration.RuleMaterialsSupply && k.Kind != calendar.Window:
				t.Fatalf("supplying materials is the applicant's window: %+v", k)
			}
		}
		if isEnded && c.NextDue() != nil {
			t.Fatalf("a %s case orders the queue on %s", c.State, *c.NextDue())
		}
	}
	if ended < 500 {
		t.Fatalf("the walk reached only %d ended cases", ended)
	}
}
