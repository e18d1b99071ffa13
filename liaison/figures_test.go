package liaison_test

import (
	"testing"
	"time"

	"jiefen/calendar"
	"jiefen/liaison"
)

// The ledger's figures of 2025: an issue counts in the year of its first
// step, closed or overdue as it stands; a suggestion in the year it was
// received, replied in time when its reply clock was met.
func TestCount(t *testing.T) {
	d := func(s string) calendar.Date { x, _ := calendar.ParseDate(s); return x }
	on := func(s string) *calendar.Date { x := d(s); return &x }
	issues := []liaison.Issue{
		{Steps: []liaison.Step{{On: d("2024-12-31")}}},                                            // raised the year before
		{Steps: []liaison.Step{{On: d("2025-01-01")}}, ClosedOn: on("2025-03-01")},                // closed in time
		{Steps: []liaison.Step{{On: d("2025-06-01")}}, ClosedOn: on("2026-01-05"), Overdue: true}, // closed late
		{Steps: []liaison.Step{{On: d("2025-12-31")}}, Overdue: true},                             // open past its deadline
		{Created: time.Date(2025, 5, 5, 1, 0, 0, 0, time.UTC)},                                    // no step: its creation day
		{Steps: []liaison.Step{{On: d("2026-01-01")}}},                                            // the year after
	}
	met, late := calendar.Met, calendar.Late
	suggestions := []liaison.Suggestion{
		{ReceivedOn: d("2025-02-01"), RepliedOn: on("2025-03-01"), Clock: &calendar.Reading{State: met}},
		{ReceivedOn: d("2025-02-01"), RepliedOn: on("2025-06-01"), Clock: &calendar.Reading{State: late}},
		{ReceivedOn: d("2025-11-01")},
		{ReceivedOn: d("2024-11-01"), RepliedOn: on("2025-01-01"), Clock: &calendar.Reading{State: met}},
	}
	got := liaison.Count(issues, suggestions, d("2025-01-01"), d("2025-12-31"))
	want := liaison.Figures{From: d("2025-01-01"), To: d("2025-12-31"), IssuesRaised: 4, IssuesClosed: 2, IssuesOverdue: 2,
		Suggestions: 3, SuggestionsReplied: 2, SuggestionsInTime: 1}
	if got != want {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}
