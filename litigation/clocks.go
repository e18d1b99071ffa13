package litigation

import (
	"strings"

	"jiefen/calendar"
)

// The clocks of the legal-clock catalogue (configs/rules.yaml) a lawsuit
// shows: the parties' windows to appeal a first-instance decision
// (行政诉讼法 第85条).
const (
	RuleAppealJudgment = "litigation.appeal_judgment" // 15 days from service of a judgment
	RuleAppealRuling   = "litigation.appeal_ruling"   // 10 days from service of a ruling
)

// appealRule is the appeal window a first-instance result opens: a
// judgment (判决) on the merits, 15 days; a ruling dismissing the suit
// (驳回起诉裁定), 10 days. A withdrawal allowed by ruling (准予撤诉) and a
// mediation document (调解书) open none: the first is not among the rulings
// that may be appealed (行诉法解释 第101条), the second takes effect when
// signed.
func (r Result) appealRule() string {
	switch r {
	case DismissedSuit:
		return RuleAppealRuling
	case Withdrawn, WithdrawnAfterChange, Mediated, "":
		return ""
	}
	return RuleAppealJudgment
}

// FirstInstance reports whether the case is a first instance (行初, 行赔初),
// whose decision may be appealed.
func (c *Case) FirstInstance() bool { return strings.HasSuffix(c.CaseNumber.TypeCode, "初") }

// ComputeClocks sets the case's clocks as of today: after a first-instance
// decision that may be appealed, the parties' window to appeal (第85条),
// counted from the day the case was concluded, the earliest the decision
// can be served (the platform records no service day: the court's own
// service date governs, and a window counted from the conclusion ends no
// later than the true one). appealedOn, when not nil, is the day a later
// instance of the case was filed: the window was used.
func (c *Case) ComputeClocks(cal *calendar.Calendar, rules *calendar.Rules, today calendar.Date, appealedOn *calendar.Date) {
	c.Clocks = []calendar.Reading{}
	if c.Outcome == nil || !c.FirstInstance() {
		return
	}
	if r, ok := rules.Rule(c.Outcome.Result.appealRule()); ok {
		c.Clocks = append(c.Clocks, cal.Read(r, r.Clock(c.Outcome.ConcludedOn), today, calendar.Progress{Done: appealedOn}))
	}
}
