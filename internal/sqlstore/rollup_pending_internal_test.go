package sqlstore

import (
	"maps"
	"testing"

	"jiefen/calendar"
	"jiefen/litigation"
)

// TestPendingRollupsRoundTrip: a rollup change read back from its
// encoding is the change, cells that moved by nothing are left out, two
// changes read into one add up, and a blob cut short or altered is refused.
func TestPendingRollupsRoundTrip(t *testing.T) {
	d := newRollupDelta()
	d.months[rollupKey{"RZ-GAJ", "2025-03", litigation.Heard}] = 2
	d.months[rollupKey{cityRollup, "2025-03", litigation.Heard}] = -1
	d.months[rollupKey{"RZ-RSJ", "2024-12", litigation.Lost}] = 0
	d.addEdge(edgeKey{edgeFirst, calendar.NewDate(2025, 3, 5), "RZ-GAJ", litigation.KeyHeadAppeared}, 1)
	d.addEdge(edgeKey{edgeFirst, calendar.NewDate(2025, 3, 5), "RZ-GAJ", litigation.Heard}, 130)
	d.addEdge(edgeKey{edgeLast, calendar.NewDate(1999, 12, 31), cityRollup, litigation.Filed}, -3)
	d.addEdge(edgeKey{edgeLast, calendar.NewDate(2026, 1, 1), cityRollup, litigation.Lost}, 0)
	d.addLink(linkKey{calendar.NewDate(2025, 3, 25), calendar.NewDate(2025, 5, 2), "RZ-GAJ", litigation.HeadAppeared}, -1)
	blob := d.encode()
	got := newRollupDelta()
	if err := got.decode(blob); err != nil {
		t.Fatal(err)
	}
	want := newRollupDelta()
	maps.Copy(want.months, d.months)
	maps.Copy(want.edges, d.edges)
	maps.Copy(want.links, d.links)
	delete(want.months, rollupKey{"RZ-RSJ", "2024-12", litigation.Lost})
	delete(want.edges, edgeRow{edgeLast, calendar.NewDate(2026, 1, 1), cityRollup})
	if !maps.Equal(got.months, want.months) || !maps.Equal(got.edges, want.edges) || !maps.Equal(got.links, want.links) || len(got.links) != 1 {
		t.Fatalf("read back %+v, want %+v", got, want)
	}
	if err := got.decode(blob); err != nil {
		t.Fatal(err)
	}
	if n := got.months[rollupKey{"RZ-GAJ", "2025-03", litigation.Heard}]; n != 4 {
		t.Errorf("two changes of 2 add up to %d", n)
	}
	if newRollupDelta().encode() != nil {
		t.Error("an empty change encodes to something")
	}
	for _, bad := range [][]byte{blob[:len(blob)-1], append([]byte{}, blob[:len(blob)-3]...), append(append([]byte{}, blob...), 9), {200, 200, 200, 200}} {
		if err := newRollupDelta().decode(bad); err == nil {
			t.Errorf("decoded % x", bad)
		}
	}
}

// TestFigureCountsHoldEveryFigure: a row of the day rollup has a count for
// each figure the statistics know.
func TestFigureCountsHoldEveryFigure(t *testing.T) {
	if len(figureCounts{}) != len(litigation.Figures) || len(figureNames()) != len(litigation.Figures) {
		t.Fatalf("figureCounts holds %d counts for %d figures", len(figureCounts{}), len(litigation.Figures))
	}
}
