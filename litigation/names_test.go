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

// TestCourtSpellings: headers, results and 负责人出庭 as court files and
// judgments spell them read as the court's words.
func TestCourtSpellings(t *testing.T) {
	for header, want := range map[string]string{"立案时间": litigation.ColFiledOn, "被诉行政机关": litigation.ColDefendant,
		"原告（上诉人）": litigation.ColPlaintiff, "审结日期": litigation.ColConcludedOn, "裁判结果": litigation.ColResult,
		"行政机关负责人是否出庭": litigation.ColHeadAppeared, "案  号": litigation.ColCaseNumber, "序号": ""} {
		if got := litigation.Column(header); got != want {
			t.Errorf("Column(%q) = %q, want %q", header, got, want)
		}
	}
	today := calendar.NewDate(2025, time.December, 31)
	for word, want := range map[string]litigation.Result{"判决驳回诉讼请求": litigation.DismissedClaims, "驳回原告诉讼请求": litigation.DismissedClaims,
		"裁定驳回起诉": litigation.DismissedSuit, "准予撤诉": litigation.Withdrawn, "判决撤销": litigation.Annulled,
		"责令履行法定职责": litigation.OrderedPerformance, "被告改变行政行为后撤诉": litigation.WithdrawnAfterChange} {
		row := litigation.CourtRow{Line: 2, Values: map[string]string{litigation.ColCaseNumber: "（2025）豫0482行初1号",
			litigation.ColPlaintiff: "甲", litigation.ColDefendant: "汝州市公安局", litigation.ColFiledOn: "2025-01-02",
			litigation.ColHeldOn: "2025-03-04", litigation.ColHeadAppeared: "已出庭", litigation.ColPosition: "副局长",
			litigation.ColConcludedOn: "2025-05-06", litigation.ColResult: word}}
		cc, err := row.Parse(today, litigation.DefaultTitles())
		if err != nil || cc.Outcome.Result != want || !cc.Hearing.HeadAppeared {
			t.Errorf("%s: %+v %v", word, cc.Outcome, err)
		}
	}
}
