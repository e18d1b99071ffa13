package litigation_test

import (
	"testing"
	"time"

	"jiefen/calendar"
	"jiefen/litigation"
)

// TestNamesReadBack: every result and position has a Chinese name, and a
// court row written with the names reads back as the same result and
// position, so that an export re-imports unchanged.
func TestNamesReadBack(t *testing.T) {
	today := calendar.NewDate(2025, time.December, 31)
	row := func(position, result string) litigation.CourtRow {
		return litigation.CourtRow{Line: 2, Values: map[string]string{litigation.ColCaseNumber: "（2025）豫0482行初1号",
			litigation.ColPlaintiff: "甲", litigation.ColDefendant: "汝州市公安局", litigation.ColFiledOn: "2025-01-02",
			litigation.ColHeldOn: "2025-03-04", litigation.ColHeadAppeared: "否", litigation.ColPosition: position,
			litigation.ColConcludedOn: "2025-05-06", litigation.ColResult: result}}
	}
	for _, r := range litigation.Results {
		name := r.Name()
		if name == string(r) {
			t.Errorf("result %s has no name", r)
			continue
		}
		cc, err := row("", name).Parse(today, litigation.DefaultTitles())
		if err != nil || cc.Outcome == nil || cc.Outcome.Result != r {
			t.Errorf("%s reads back as %+v, %v", name, cc.Outcome, err)
		}
	}
	for _, p := range []litigation.Position{litigation.Principal, litigation.Deputy, litigation.InCharge, litigation.Staff} {
		name := p.Name()
		if name == string(p) {
			t.Errorf("position %s has no name", p)
			continue
		}
		cc, err := row(name, "撤诉").Parse(today, litigation.DefaultTitles())
		if err != nil || cc.Hearing == nil || cc.Hearing.Appearer == nil || cc.Hearing.Appearer.Position != p {
			t.Errorf("%s reads back as %+v, %v", name, cc.Hearing, err)
		}
	}
	for _, f := range litigation.Figures {
		if f.Name() == string(f) {
			t.Errorf("figure %s has no name", f)
		}
	}
	if got := litigation.Result("unknown").Name(); got != "unknown" {
		t.Errorf("an unknown result is named %q", got)
	}
}
