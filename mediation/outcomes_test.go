package mediation_test

import (
	"testing"

	"jiefen/calendar"
	"jiefen/mediation"
)

// 调解成功率 of 2025: agreements over mediations ended in the year, each on
// its own day; judicial confirmations on the day applied and the day
// confirmed (a rejection is no confirmation).
func TestCountOutcomes(t *testing.T) {
	d := func(s string) calendar.Date { x, _ := calendar.ParseDate(s); return x }
	on := func(s string) *calendar.Date { x := d(s); return &x }
	endings := []mediation.Ending{
		{Agreement: &mediation.Agreement{On: d("2025-01-01")}, Confirmation: &mediation.Confirmation{AppliedOn: d("2025-01-10"), Result: mediation.Confirmed, ResultOn: on("2025-02-01")}},
		{Agreement: &mediation.Agreement{On: d("2025-12-31")}, Confirmation: &mediation.Confirmation{AppliedOn: d("2025-12-31"), Result: mediation.Confirmed, ResultOn: on("2026-01-08")}},
		{Agreement: &mediation.Agreement{On: d("2025-05-01")}, Confirmation: &mediation.Confirmation{AppliedOn: d("2025-05-02"), Result: mediation.Rejected, ResultOn: on("2025-05-20")}},
		{Failure: &mediation.Failure{On: d("2025-07-01")}},
		{Agreement: &mediation.Agreement{On: d("2024-12-31")}},
		{},
	}
	got := mediation.CountOutcomes(endings, d("2025-01-01"), d("2025-12-31"))
	if got.Agreed != 3 || got.Failed != 1 || got.SuccessRate == nil || *got.SuccessRate != 0.75 || got.ConfirmationApplied != 3 || got.Confirmed != 1 {
		t.Errorf("%+v (rate %v)", got, got.SuccessRate)
	}
	if none := mediation.CountOutcomes(nil, d("2025-01-01"), d("2025-12-31")); none.SuccessRate != nil {
		t.Errorf("no mediation ended, yet a rate of %v", *none.SuccessRate)
	}
}
