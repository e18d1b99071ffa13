package routing_test

import (
	"testing"

	"jiefen"
	"jiefen/calendar"
	"jiefen/routing"
)

// TestRepeats: the same party (by key) and category within the window
// repeats the latest earlier dispute; an earlier intake of the batch wins
// a tie on the day over one on record, the later registered wins a tie
// between disputes on record; another category, a day out of the window
// or a later day repeats nothing.
func TestRepeats(t *testing.T) {
	day := func(s string) calendar.Date {
		d, err := calendar.ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	key := func(id string) string { return "k:" + id }
	intake := func(id string, c routing.Category, on string) routing.Intake {
		in := routing.Intake{Category: c, ReceivedOn: day(on)}
		if id != "" {
			in.Parties = []jiefen.Party{{Role: "applicant", Name: "张三", IDNumber: id}}
		}
		return in
	}
	earlier := []routing.Earlier{
		{ID: 1, Category: "neighbour", ReceivedOn: day("2026-11-01"), Party: "k:A"},
		{ID: 2, Category: "neighbour", ReceivedOn: day("2026-11-20"), Party: "k:A"},
		{ID: 3, Category: "neighbour", ReceivedOn: day("2026-11-20"), Party: "k:A"}, // same day, registered later
		{ID: 4, Category: "labour", ReceivedOn: day("2026-11-25"), Party: "k:A"},
		{ID: 5, Category: "neighbour", ReceivedOn: day("2026-12-10"), Party: "k:B"}, // after the intake
	}
	batch := []routing.Intake{
		intake("A", "neighbour", "2026-12-02"), // 0: repeats 3 (latest, higher id on the tie)
		intake("A", "neighbour", "2026-12-02"), // 1: repeats batch 0 (later than anything on record)
		intake("B", "neighbour", "2026-12-02"), // 2: nothing: 5 is later
		intake("A", "family", "2026-12-02"),    // 3: nothing: another category
		intake("A", "neighbour", "2027-03-01"), // 4: repeats batch 1 (2026-12-02, 89 days before)
		intake("", "neighbour", "2026-12-02"),  // 5: no ID number, nothing
		intake("C", "neighbour", "2026-12-02"), // 6: nothing
		intake("C", "neighbour", "2027-03-03"), // 7: out of the 90-day window? 91 days: nothing
	}
	got := routing.Repeats(batch, earlier, 90, key)
	want := []routing.Repeat{{Of: 2, Batch: -1}, {Of: -1, Batch: 0}, {Of: -1, Batch: -1}, {Of: -1, Batch: -1},
		{Of: -1, Batch: 1}, {Of: -1, Batch: -1}, {Of: -1, Batch: -1}, {Of: -1, Batch: -1}}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("intake %d repeats %+v, want %+v", i, got[i], want[i])
		}
	}
	if got[0].Found() != true || got[2].Found() {
		t.Error("Found disagrees with the indexes")
	}
}
