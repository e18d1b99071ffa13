package reconsideration

import (
	"jiefen/calendar"
)

// The clocks of the legal-clock catalogue (configs/rules.yaml) a case runs.
// Periods of 行政复议法 of ten days or less count working days (第88条).
const (
	RuleAcceptanceReview   = "reconsideration.acceptance_review"  // 5 working days from receipt (第30条)
	RuleMaterialsNotice    = "reconsideration.materials_notice"   // 5 working days to ask for materials (第31条)
	RuleMaterialsSupply    = "reconsideration.materials_supply"   // 10 working days to supply them (第31条)
	RuleCopy               = "reconsideration.copy_to_respondent" // 7 working days from acceptance (第48条)
	RuleReply              = "reconsideration.reply"              // 10 working days from the copy (第48条)
	RuleCopySimplified     = "reconsideration.copy_to_respondent_simplified"
	RuleReplySimplified    = "reconsideration.reply_simplified"
	RuleHearingNotice      = "reconsideration.hearing_notice"      // 5 working days before the hearing (第51条)
	RuleDecision           = "reconsideration.decision"            // 60 days from acceptance, +30 once (第62条)
	RuleDecisionSimplified = "reconsideration.decision_simplified" // 30 days (第62条)
)

// ComputeClocks first applies what the law does by itself by today (a
// review period run out: deemed accepted, see Settle), then recomputes
// the case's clocks from what is recorded:
//   - the acceptance review, from receipt or from the materials received
//     (第30–31条), met by any review decision;
//   - the request for materials (第31条), and the applicant's window to
//     supply them;
//   - the copy to the respondent from acceptance, and the reply from the
//     copy (第48条; 第54条 for the simplified procedure);
//   - each hearing's notice, five working days before it (第51条);
//   - the decision from acceptance (第62条), paused while suspended (the
//     days from suspension to resumption are added, 中止), lengthened by
//     the extension, met by the decision.
//
// Receiving the copy is taken to be the day it was sent: the law counts
// the reply from receipt, which the body does not record. A decided or
// rejected case has no live duty: what it left undone is cancelled.
func (c *Case) ComputeClocks(cal *calendar.Calendar, rules *calendar.Rules, today calendar.Date) {
	c.Clocks = []calendar.Reading{}
	add := func(id string, k calendar.Clock, done *calendar.Date) *calendar.Date {
		r, ok := rules.Rule(id)
		if !ok {
			return nil
		}
		paused := len(k.Pauses) > 0 && k.Pauses[len(k.Pauses)-1].Resumed == nil
		out := cal.Read(r, k, today, calendar.Progress{Done: done, Paused: paused, Ended: c.Ended()})
		c.Clocks = append(c.Clocks, out)
		return out.Due
	}

	start := c.reviewStart()
	var reviewed *calendar.Date // the first review decision since the review (re)started
	var requested *calendar.Date
	var supplied *calendar.Date
	restarted := -1 // the last receipt of materials
	for i := range c.Review {
		r := &c.Review[i]
		switch {
		case r.Decision == RequestMaterials && requested == nil:
			requested = &r.On
		case r.Decision == Materials && supplied == nil:
			supplied = &r.On
		}
	}
	for i := len(c.Review) - 1; i >= 0; i-- {
		if c.Review[i].Decision == Materials {
			restarted = i
			break
		}
	}
	for i := restarted + 1; i < len(c.Review); i++ {
		if c.Review[i].Decision != Materials {
			reviewed = &c.Review[i].On
			break
		}
	}
	if c.Deemed {
		reviewed = c.AcceptedOn // accepted by law on the last day of the review
	}
	reviewDue := add(RuleAcceptanceReview, calendar.Clock{From: start}, reviewed)
	if reviewed == nil {
		c.Settle(reviewDue, today)
		if c.Deemed {
			c.Clocks[len(c.Clocks)-1].State = calendar.Met // the law itself accepted it, on the due day
		}
	}
	if requested != nil {
		add(RuleMaterialsNotice, calendar.Clock{From: c.ReceivedOn}, requested)
		add(RuleMaterialsSupply, calendar.Clock{From: *requested}, supplied)
	}
	if c.AcceptedOn == nil {
		return
	}
	copyRule, replyRule, decisionRule := RuleCopy, RuleReply, c.Procedure.DecisionRule()
	if c.Procedure == Simplified {
		copyRule, replyRule = RuleCopySimplified, RuleReplySimplified
	}
	add(copyRule, calendar.Clock{From: *c.AcceptedOn}, c.CopiedOn)
	if c.CopiedOn != nil {
		var replied *calendar.Date
		if c.Reply != nil {
			replied = &c.Reply.On
		}
		add(replyRule, calendar.Clock{From: *c.CopiedOn}, replied)
	}
	for i := range c.Hearings {
		h := &c.Hearings[i]
		add(RuleHearingNotice, calendar.Clock{From: h.On}, h.NoticedOn)
	}
	k := calendar.Clock{From: *c.AcceptedOn}
	for _, s := range c.Suspensions {
		k.Pauses = append(k.Pauses, calendar.Pause{From: s.On, Resumed: s.Resumed})
	}
	if c.Extension != nil {
		k.Extensions = []int{c.Extension.Days}
	}
	var decided *calendar.Date
	if c.Decision != nil {
		decided = &c.Decision.On
	}
	add(decisionRule, k, decided)
}

// DecisionClock returns the decision clock, if the case has one.
func (c *Case) DecisionClock() *calendar.Reading {
	for i := range c.Clocks {
		if c.Clocks[i].Rule == RuleDecision || c.Clocks[i].Rule == RuleDecisionSimplified {
			return &c.Clocks[i]
		}
	}
	return nil
}

// LateOn is the day the case was decided after its decision clock's due
// day (超期办结), nil otherwise.
func (c *Case) LateOn() *calendar.Date { return calendar.FinishedLate(c.DecisionClock()) }

// Ended reports whether the case has ended: decided (a decision, mediation,
// settlement or termination) or rejected.
func (c *Case) Ended() bool { return c.State == StateDecided || c.State == StateRejected }

// NextDue is the earliest due day among the case's live duties, nil when
// none is live (a window never counts).
func (c *Case) NextDue() *calendar.Date { return calendar.NextDue(c.Clocks) }

// DecisionRule is the clock of the decision under the procedure (行政复议法
// 第62条): 30 days under the simplified procedure, else 60 days,
// extendable; the catalogue (configs/rules.yaml) holds the periods.
func (p Procedure) DecisionRule() string {
	if p == Simplified {
		return RuleDecisionSimplified
	}
	return RuleDecision
}
