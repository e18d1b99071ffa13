package mediation

import (
	"fmt"
	"strings"

	"jiefen"
	"jiefen/calendar"
)

// LowRating is the highest rating that opens a rectification (整改): a
// party rating the mediation 1 or 2 of 5 is dissatisfied (差评).
const LowRating = 2

// need refuses an action the case's state does not allow, naming the state
// (409).
func (c *Case) need(action string, states ...State) error {
	return jiefen.NeedState(action, c.State, states...)
}

// lastEvent is the day of the latest event recorded on the case: nothing
// recorded may come before it.
func (c *Case) lastEvent() calendar.Date {
	last := c.OpenedOn
	bump := func(d *calendar.Date) {
		if d != nil && *d > last {
			last = *d
		}
	}
	bump(c.AcceptedOn)
	for i := range c.Sessions {
		bump(&c.Sessions[i].On)
	}
	if c.Agreement != nil {
		bump(&c.Agreement.On)
	}
	if c.Failure != nil {
		bump(&c.Failure.On)
	}
	if c.Confirmation != nil {
		bump(&c.Confirmation.AppliedOn)
		bump(c.Confirmation.ResultOn)
	}
	for i := range c.FollowUps {
		bump(&c.FollowUps[i].On)
	}
	for _, r := range c.Rectifications {
		bump(r.ClosedOn)
	}
	return last
}

// Accept records that the assigned mediator took the case on (受理) on the
// given day; the track's mediation clock starts then (人民调解工作若干规定
// 第33条 for people's mediation).
func (c *Case) Accept(on, today calendar.Date) error {
	if err := c.need("accept", StateAssigned); err != nil {
		return err
	}
	var p jiefen.Problems
	calendar.CheckEventDay(&p, "on", on, today, c.OpenedOn, "the day the case was opened")
	if err := p.Err(); err != nil {
		return err
	}
	c.AcceptedOn, c.State = &on, StateAccepted
	return nil
}

// AddSession records a mediation session.
func (c *Case) AddSession(s Session, today calendar.Date) error {
	if err := c.need("a session", StateAccepted, StateInMediation); err != nil {
		return err
	}
	var p jiefen.Problems
	calendar.CheckEventDay(&p, "on", s.On, today, c.lastEvent(), "the case's last event")
	s.Place, s.Record = strings.TrimSpace(s.Place), strings.TrimSpace(s.Record)
	if s.Place == "" {
		p.Add("place", "is required")
	}
	attendees := []string{}
	for i, a := range s.Attendees {
		if a = strings.TrimSpace(a); a == "" {
			p.Add(fmt.Sprintf("attendees[%d]", i), "is empty")
		} else {
			attendees = append(attendees, a)
		}
	}
	if len(attendees) == 0 && len(s.Attendees) == 0 {
		p.Add("attendees", "name at least one person who attended")
	}
	if err := p.Err(); err != nil {
		return err
	}
	s.Attendees = attendees
	c.Sessions = append(c.Sessions, s)
	c.State = StateInMediation
	return nil
}

// Agree records the mediation agreement (调解协议). From the day it takes
// effect the parties have 30 days to apply for judicial confirmation
// (人民调解法 第33条; 民事诉讼法 第205条).
func (c *Case) Agree(a Agreement, tier Tier, today calendar.Date) error {
	if err := c.need("an agreement", StateAccepted, StateInMediation); err != nil {
		return err
	}
	var p jiefen.Problems
	calendar.CheckEventDay(&p, "on", a.On, today, c.lastEvent(), "the case's last event")
	if a.Terms = strings.TrimSpace(a.Terms); a.Terms == "" {
		p.Add("terms", "is required: what the parties agreed")
	}
	if a.AmountFen < 0 {
		p.Add("amount_fen", "must not be negative")
	}
	if a.EffectiveOn == 0 {
		a.EffectiveOn = a.On
	} else if a.EffectiveOn < a.On {
		p.Add("effective_on", "%s is before the agreement was reached (%s)", a.EffectiveOn, a.On)
	}
	if a.PerformanceDue != nil && *a.PerformanceDue < a.On {
		p.Add("performance_due", "%s is before the agreement was reached (%s)", *a.PerformanceDue, a.On)
	}
	if tier == "" {
		tier = TierGeneral
	} else if !tier.Valid() {
		p.Add("tier", "must be one of general, difficult, major")
	}
	if err := p.Err(); err != nil {
		return err
	}
	c.Agreement, c.Tier, c.State = &a, tier, StateAgreement
	return nil
}

// Fail records that mediation ended without agreement (调解不成), with the
// reason. A suggested next track is carried out as a transfer of the
// dispute, which leaves the case transferred; without one the case is
// failed and can be followed up and closed.
func (c *Case) Fail(f Failure, today calendar.Date) error {
	if err := c.need("a failure", StateAccepted, StateInMediation); err != nil {
		return err
	}
	var p jiefen.Problems
	calendar.CheckEventDay(&p, "on", f.On, today, c.lastEvent(), "the case's last event")
	if f.Reason = strings.TrimSpace(f.Reason); f.Reason == "" {
		p.Add("reason", "is required: why mediation failed")
	}
	if f.NextOrg != "" && f.NextTrack == "" {
		p.Add("next_track", "is required with next_org_code")
	}
	if err := p.Err(); err != nil {
		return err
	}
	c.Failure, c.State = &f, StateFailed
	if f.NextTrack != "" {
		c.State = StateTransferred
	}
	return nil
}

// ApplyConfirmation records the application for judicial confirmation.
func (c *Case) ApplyConfirmation(appliedOn, today calendar.Date) error {
	if err := c.need("an application for judicial confirmation", StateAgreement); err != nil {
		return err
	}
	var p jiefen.Problems
	calendar.CheckEventDay(&p, "applied_on", appliedOn, today, c.Agreement.On, "the agreement")
	if err := p.Err(); err != nil {
		return err
	}
	c.Confirmation, c.State = &Confirmation{AppliedOn: appliedOn}, StateConfirmation
	return nil
}

// ConfirmationResult records the court's answer: confirmed (the agreement
// becomes enforceable) or rejected (the parties may change it or sue).
func (c *Case) ConfirmationResult(result string, on, today calendar.Date) error {
	if err := c.need("the court's answer on judicial confirmation", StateConfirmation); err != nil {
		return err
	}
	if c.Confirmation.Result != "" {
		answer := jiefen.Textf("rejected")
		if c.Confirmation.Result == Confirmed {
			answer = jiefen.Textf("confirmed")
		}
		return jiefen.Errorf(jiefen.ECONFLICT, "the court already answered the application: %s", answer)
	}
	var p jiefen.Problems
	if result != Confirmed && result != Rejected {
		p.Add("result", "must be confirmed or rejected")
	}
	calendar.CheckEventDay(&p, "on", on, today, c.Confirmation.AppliedOn, "the application")
	if err := p.Err(); err != nil {
		return err
	}
	c.Confirmation.Result, c.Confirmation.ResultOn = result, &on
	return nil
}

// FollowUp records a follow-up visit (回访) and its rating (好差评, 1–5). A
// rating of LowRating or less opens a rectification.
func (c *Case) FollowUp(f FollowUp, today calendar.Date) error {
	if err := c.need("a follow-up", StateAgreement, StateConfirmation, StateFollowUp, StateFailed); err != nil {
		return err
	}
	var p jiefen.Problems
	calendar.CheckEventDay(&p, "on", f.On, today, c.lastEvent(), "the case's last event")
	if f.Rating < 1 || f.Rating > 5 {
		p.Add("rating", "must be 1 to 5")
	}
	if f.Performed && c.Agreement == nil {
		p.Add("performed", "there is no agreement to perform")
	}
	if err := p.Err(); err != nil {
		return err
	}
	f.Comment = strings.TrimSpace(f.Comment)
	c.FollowUps = append(c.FollowUps, f)
	if f.Rating <= LowRating {
		c.Rectifications = append(c.Rectifications, Rectification{OpenedOn: f.On, Rating: f.Rating})
	}
	c.State = StateFollowUp
	return nil
}

// OpenRectification returns the rectification still open, if any.
func (c *Case) OpenRectification() *Rectification {
	for i := range c.Rectifications {
		if c.Rectifications[i].ClosedOn == nil {
			return &c.Rectifications[i]
		}
	}
	return nil
}

// Rectify closes the open rectification with what was done.
func (c *Case) Rectify(action string, on, today calendar.Date) error {
	r := c.OpenRectification()
	if r == nil {
		return jiefen.Errorf(jiefen.ECONFLICT, "the case has no open rectification")
	}
	var p jiefen.Problems
	calendar.CheckEventDay(&p, "on", on, today, r.OpenedOn, "the rating that opened it")
	if action = strings.TrimSpace(action); action == "" {
		p.Add("action", "is required: what was done about the rating")
	}
	if err := p.Err(); err != nil {
		return err
	}
	r.ClosedOn, r.Action = &on, action
	return nil
}

// Close closes the case once it has been followed up (every closed case
// asks the parties for a rating), or after a failure; an open
// rectification must be closed first.
func (c *Case) Close(on, today calendar.Date) error {
	if err := c.need("close", StateFollowUp, StateFailed); err != nil {
		return err
	}
	if r := c.OpenRectification(); r != nil {
		return jiefen.Errorf(jiefen.ECONFLICT, "the rectification opened on %s by a rating of %d is still open", r.OpenedOn, r.Rating)
	}
	var p jiefen.Problems
	calendar.CheckEventDay(&p, "on", on, today, c.lastEvent(), "the case's last event")
	if err := p.Err(); err != nil {
		return err
	}
	c.ClosedOn, c.State = &on, StateClosed
	return nil
}
