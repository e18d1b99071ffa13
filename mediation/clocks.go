package mediation

import (
	"slices"

	"jiefen/calendar"
)

// The clocks of the legal-clock catalogue (configs/rules.yaml) that
// mediation runs besides the track's own (Case.ClockRule).
const (
	// RuleJudicialConfirmation: 30 days from the agreement taking effect to
	// apply for judicial confirmation (人民调解法 第33条; 民事诉讼法 第205条).
	RuleJudicialConfirmation = "mediation.judicial_confirmation_application"
	// RulePoliceSecondSession: a second 治安调解 session within 7 working
	// days of the first (公安机关办理行政案件程序规定 第183条).
	RulePoliceSecondSession = "mediation.police_second_session"
)

// ComputeClocks recomputes the case's clocks from what is recorded on it,
// on the calendar and catalogue given, as of today:
//   - the track's mediation clock (ClockRule: one month for people's
//     mediation, 人民调解工作若干规定 第33条; 30 or 15 (simple 7) days for
//     court-referred mediation, 特邀调解规定 第27条; the local limit for
//     administrative mediation) from acceptance, a duty met by an agreement
//     or a failure;
//   - under 治安调解 (SecondSessionRule), the second session from the
//     first, a duty met by the second session, or by an agreement or
//     failure that makes it unnecessary;
//   - from an agreement's effective day, the parties' window to apply for
//     judicial confirmation (人民调解法 第33条), used by the application.
//     Court mediation (the judicial track) ends in the court's own
//     mediation document and has none.
//
// A closed or transferred case has no live duty: what it left undone is
// cancelled (DOMAIN.md, "Duties and windows").
func (c *Case) ComputeClocks(cal *calendar.Calendar, rules *calendar.Rules, today calendar.Date) {
	c.Clocks = []calendar.Reading{}
	ended := c.Ended()
	add := func(id string, from calendar.Date, done *calendar.Date) {
		if r, ok := rules.Rule(id); ok {
			c.Clocks = append(c.Clocks, cal.Read(r, calendar.Clock{From: from}, today, calendar.Progress{Done: done, Ended: ended}))
		}
	}
	var finished *calendar.Date // the day mediation ended, by agreement or failure
	if c.Agreement != nil {
		finished = &c.Agreement.On
	} else if c.Failure != nil {
		finished = &c.Failure.On
	}
	if c.AcceptedOn != nil && c.ClockRule != "" {
		add(c.ClockRule, *c.AcceptedOn, finished)
	}
	if c.SecondSessionRule != "" && len(c.Sessions) > 0 {
		done := finished
		if len(c.Sessions) > 1 && (done == nil || c.Sessions[1].On < *done) {
			done = &c.Sessions[1].On
		}
		add(c.SecondSessionRule, c.Sessions[0].On, done)
	}
	if c.Agreement != nil && c.Track != "judicial" {
		var applied *calendar.Date
		if c.Confirmation != nil {
			applied = &c.Confirmation.AppliedOn
		}
		add(RuleJudicialConfirmation, c.Agreement.EffectiveOn, applied)
	}
}

// Policy is the local configuration of mediation (configs: mediation).
type Policy struct {
	Subsidies Subsidies
	// PoliceOrgs are the orgs whose administrative mediation is 治安调解.
	PoliceOrgs []string
}

// Clocks gives the case the clocks its org and track run under the policy
// (the second-session clock of 治安调解 at a police org) and computes them
// (ComputeClocks).
func (p Policy) Clocks(c *Case, cal *calendar.Calendar, rules *calendar.Rules, today calendar.Date) {
	if c.Track == "administrative" && slices.Contains(p.PoliceOrgs, c.OrgCode) {
		c.SecondSessionRule = RulePoliceSecondSession
	}
	c.ComputeClocks(cal, rules, today)
}

// NextDue is the earliest due day among the case's live duties: the key of
// the mediator's queue, in which overdue work therefore comes first. It is
// nil when no duty is live (a window never counts).
func (c *Case) NextDue() *calendar.Date { return calendar.NextDue(c.Clocks) }

// LateOn is the day the case's mediation clock was met after its due day
// (超期办结: an agreement or a failure reached late), nil otherwise.
func (c *Case) LateOn() *calendar.Date {
	for i := range c.Clocks {
		if c.Clocks[i].Rule == c.ClockRule {
			return calendar.FinishedLate(&c.Clocks[i])
		}
	}
	return nil
}

// Duty is the clock the case is worked to (its computed clocks' Current):
// before a mediator accepts it, the track's clock counted from the day the
// case was opened, as routing counted it when the dispute came in; nil
// once no duty is left (an agreement reached, a case closed).
func (c *Case) Duty(cal *calendar.Calendar, rules *calendar.Rules, today calendar.Date) *calendar.Reading {
	if c.AcceptedOn == nil && c.ClockRule != "" && (c.State == StateWaiting || c.State == StateAssigned) {
		if r, ok := rules.Rule(c.ClockRule); ok {
			k := cal.Read(r, r.Clock(c.OpenedOn), today, calendar.Progress{})
			return &k
		}
	}
	return calendar.Current(c.Clocks)
}
