package litigation_test

import (
	"testing"

	"jiefen/litigation"
)

// TestDoubleDeclines: the city's suits are counted once, an agency's in
// each of its defendants'; an agency with figures in only one of the two
// years is listed; 双下降 holds only when both the suits and the loss rate
// fell, and is undefined without a loss rate.
func TestDoubleDeclines(t *testing.T) {
	code := func(s string) *string { return &s }
	prev := litigation.YearFigures{
		Filed:     map[string]int{"RZ-GAJ": 10, "RZ": 4},
		CityFiled: 12, // two suits against both
		Rows:      []litigation.Row{{AgencyCode: code("RZ-GAJ"), Concluded: 10, Lost: 2}, {AgencyCode: code("RZ"), Concluded: 4, Lost: 1}},
		City:      litigation.Row{Filed: 99, Concluded: 12, Lost: 3}, // Filed is replaced by CityFiled
	}
	cur := litigation.YearFigures{
		Filed:     map[string]int{"RZ-GAJ": 6, "RZ-ZL": 1},
		CityFiled: 7,
		Rows:      []litigation.Row{{AgencyCode: code("RZ-GAJ"), Concluded: 8, Lost: 1}, {AgencyCode: code("RZ"), Concluded: 2, Lost: 1}},
		City:      litigation.Row{Concluded: 10, Lost: 2},
	}
	city, items := litigation.DoubleDeclines(prev, cur)
	if city.FiledPrev != 12 || city.Filed != 7 || *city.LossRatePrev != 0.25 || *city.LossRate != 0.2 || city.Achieved == nil || !*city.Achieved {
		t.Errorf("city %+v", city)
	}
	want := []struct {
		code           string
		filedPrev, cur int
		achieved       string
	}{{"RZ", 4, 0, "false"}, {"RZ-GAJ", 10, 6, "true"}, {"RZ-ZL", 0, 1, "nil"}}
	if len(items) != len(want) {
		t.Fatalf("%d agencies, want %d", len(items), len(want))
	}
	for i, w := range want {
		d := items[i]
		got := "nil"
		if d.Achieved != nil {
			got = map[bool]string{true: "true", false: "false"}[*d.Achieved]
		}
		if *d.AgencyCode != w.code || d.FiledPrev != w.filedPrev || d.Filed != w.cur || got != w.achieved {
			t.Errorf("item %d: %s %d→%d achieved %s; want %+v", i, *d.AgencyCode, d.FiledPrev, d.Filed, got, w)
		}
	}
}
