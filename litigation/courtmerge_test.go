package litigation_test

import (
	"testing"

	"jiefen/calendar"
	"jiefen/litigation"
)

// TestMergeCourt: the court's row fills in a hearing on a new day and an
// outcome the case lacks, and never overwrites what the platform recorded.
func TestMergeCourt(t *testing.T) {
	day := func(s string) calendar.Date {
		d, err := calendar.ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	today := day("2026-12-03")
	c := litigation.Case{FiledOn: day("2026-03-05")}
	if err := c.AddHearing(litigation.Hearing{HeldOn: day("2026-04-10"), HeadAppeared: false}, today); err != nil {
		t.Fatal(err)
	}
	// The same day again: the platform's hearing stands.
	row := litigation.CourtCase{Hearing: &litigation.Hearing{HeldOn: day("2026-04-10"), HeadAppeared: true}}
	if changed, err := c.MergeCourt(row, today); err != nil || changed || len(c.Hearings) != 1 || c.Hearings[0].HeadAppeared {
		t.Errorf("same-day hearing: changed %v, %v, hearings %+v", changed, err, c.Hearings)
	}
	// A new day and an outcome: both taken.
	row = litigation.CourtCase{Hearing: &litigation.Hearing{HeldOn: day("2026-05-12")},
		Outcome: &litigation.Outcome{Result: litigation.Result("annulled"), ConcludedOn: day("2026-06-01")}}
	if changed, err := c.MergeCourt(row, today); err != nil || !changed || len(c.Hearings) != 2 || c.Outcome == nil {
		t.Fatalf("new hearing and outcome: changed %v, %v, %+v", changed, err, c)
	}
	// A later row with another outcome: the recorded one stands.
	row = litigation.CourtCase{Outcome: &litigation.Outcome{Result: litigation.Result("dismissed_claims"), ConcludedOn: day("2026-07-01")}}
	if changed, err := c.MergeCourt(row, today); err != nil || changed || c.Outcome.Result != "annulled" {
		t.Errorf("another outcome: changed %v, %v, result %s", changed, err, c.Outcome.Result)
	}
}
