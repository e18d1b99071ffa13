package report_test

import (
	"strings"
	"testing"

	"jiefen/configs"
	"jiefen/litigation"
	"jiefen/mediation"
	"jiefen/reconsideration"
	"jiefen/report"
	"jiefen/routing"
)

func ptr(v float64) *float64 { return &v }

// The figures of a year sit beside the year before's, with the change and
// the requests that answer and list them; the shipped template writes them
// into the report's register.
func TestBuildAndDraft(t *testing.T) {
	cur := report.Year{Year: 2025,
		Received: routing.Received{Total: 120, BySource: map[routing.Source]int{routing.SourcePolice: 40, routing.SourcePetition: 20, routing.SourceCourt: 10, routing.SourceWalkIn: 50},
			ByTrack: map[routing.Track]int{routing.TrackPeople: 100, routing.TrackAdministrative: 20}},
		Subsidies:       []mediation.SubsidyLine{{AmountFen: 150000, Cases: make([]mediation.SubsidyCase, 3)}, {AmountFen: 50000, Cases: make([]mediation.SubsidyCase, 1)}},
		Ratings:         mediation.RatingReport{Rated: 80, Low: 4, Rectified: 3, RectifiedShare: ptr(0.75)},
		Reconsideration: reconsideration.Figures{Received: 30, Accepted: 28, Decided: 25, Corrected: 5, CorrectionRate: ptr(0.2), ResolvedByMediation: 6},
		Basis:           reconsideration.BasisConcluded,
		Litigation:      litigation.Row{Concluded: 40, Lost: 4, LossRate: ptr(0.1), Heard: 30, HeadAppeared: 30, AppearanceRate: ptr(1), KeyHeard: 5, KeyHeadAppeared: 5},
		FirstInstance:   45, Interviews: 2}
	prev := report.Year{Year: 2024, Received: routing.Received{Total: 100, BySource: map[routing.Source]int{routing.SourcePolice: 30}},
		Litigation: litigation.Row{Concluded: 50, Lost: 10, LossRate: ptr(0.2)}, FirstInstance: 60}
	achieved := true
	city := litigation.DoubleDecline{FiledPrev: 60, Filed: 45, LossRatePrev: ptr(0.2), LossRate: ptr(0.1), Achieved: &achieved}
	a := report.Build(cur, prev, city, nil)

	f, ok := a.Figure("disputes.received.police")
	if !ok || *f.Value != 40 || *f.Previous != 30 || *f.Change != 10 ||
		f.Cases != "/api/v1/disputes?from=2025-01-01&to=2025-12-31&source=police" {
		t.Errorf("police: %+v", f)
	}
	f, _ = a.Figure("litigation.key_appearance_rate")
	if *f.Value != 1 || f.Previous != nil || f.Change != nil {
		t.Errorf("key appearance: %+v, want 100%% and no rate the year before (no key case heard)", f)
	}
	f, _ = a.Figure("mediation.subsidy.amount")
	if *f.Value != 200000 || f.Unit != report.UnitFen || f.Source != "/api/v1/mediation/subsidies?from=2025-01-01&to=2025-12-31" {
		t.Errorf("subsidy amount: %+v", f)
	}
	if a.Agencies == nil {
		t.Error("agencies null: an empty list is []")
	}

	d, err := configs.AnnualDrafter("")
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Draft(&a); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"2025年，全市共受理矛盾纠纷120件，较上年增加20件。其中警调对接40件，访调对接20件，诉调对接10件",
		"落实“以案定补”4件，发放补贴2000.00元",
		"整改率75%",
		"纠错率20%",
	} {
		if !strings.Contains(a.Sections[0].Draft, want) {
			t.Errorf("section 七 lacks %q:\n%s", want, a.Sections[0].Draft)
		}
	}
	for _, want := range []string{"新收45件，较上年减少15件", "败诉率10%，较上年下降10个百分点", "实现案件数量和败诉率“双下降”", "约谈行政机关负责人2次"} {
		if !strings.Contains(a.Sections[1].Draft, want) {
			t.Errorf("section 八 lacks %q:\n%s", want, a.Sections[1].Draft)
		}
	}
}

// A template that names a figure the report does not have is refused
// when it is loaded, naming the key.
func TestDrafterRefusesUnknownFigure(t *testing.T) {
	_, err := report.NewDrafter(`{{define "disputes"}}{{n "disputes.recieved"}}{{end}}`)
	if err == nil || !strings.Contains(err.Error(), "disputes.recieved") {
		t.Fatalf("err %v, want a refusal naming the key", err)
	}
	if _, err := report.NewDrafter(`{{define "disputes"}}{{n "disputes.received"}}件{{end}}`); err != nil {
		t.Fatal(err)
	}
}
