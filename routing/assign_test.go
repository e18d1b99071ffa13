package routing_test

import (
	"strings"
	"testing"
	"time"

	"jiefen/routing"
)

func TestAssign(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 11, d, 9, 0, 0, 0, time.UTC) }
	never := time.Time{}
	for _, tc := range []struct {
		name      string
		mediators []routing.Mediator
		capacity  int
		recused   []string
		want      string
		reason    string
	}{
		{"no mediator: the case waits", nil, 5, nil, "", "没有在岗调解员"},
		{"fewest open cases", []routing.Mediator{{"a", 3, day(1)}, {"b", 1, day(2)}, {"c", 2, never}}, 5, nil, "b", "在办1件，上限5件"},
		{"a tie goes to the one given a case least recently", []routing.Mediator{{"a", 1, day(3)}, {"b", 1, day(2)}}, 5, nil, "b", ""},
		{"never given a case comes first", []routing.Mediator{{"a", 1, day(1)}, {"b", 1, never}}, 5, nil, "b", ""},
		{"a full tie goes by username", []routing.Mediator{{"b", 0, never}, {"a", 0, never}}, 5, nil, "a", ""},
		{"at capacity: skipped", []routing.Mediator{{"a", 5, never}, {"b", 4, day(9)}}, 5, nil, "b", "在办4件"},
		{"recused: skipped, and said", []routing.Mediator{{"a", 0, never}, {"b", 2, day(1)}}, 5, []string{"a"}, "b", "已跳过须回避的调解员1名"},
		{"everyone full or recused: the case waits", []routing.Mediator{{"a", 5, never}, {"b", 0, never}}, 5, []string{"b"}, "", "2名调解员均已达到在办案件上限（5件）或须回避"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := routing.Assign(tc.mediators, tc.capacity, tc.recused)
			if a.Mediator != tc.want || !strings.Contains(a.Reason, tc.reason) || a.Reason == "" {
				t.Errorf("Assign = %q (%s), want %q with %q", a.Mediator, a.Reason, tc.want, tc.reason)
			}
		})
	}
}

func TestStatusAfter(t *testing.T) {
	for _, tc := range []struct {
		track    routing.Track
		mediator string
		want     routing.Status
	}{
		{routing.TrackPeople, "med-a", routing.StatusRouted},
		{routing.TrackJudicial, "", routing.StatusWaiting},
		{routing.TrackAdministrative, "", routing.StatusWaiting},
		{routing.TrackLitigation, "", routing.StatusGuided},
		{routing.TrackReconsideration, "", routing.StatusGuided},
		{routing.TrackAdjudication, "", routing.StatusGuided},
	} {
		if got := routing.StatusAfter(tc.track, tc.mediator); got != tc.want {
			t.Errorf("StatusAfter(%s, %q) = %s, want %s", tc.track, tc.mediator, got, tc.want)
		}
	}
}
