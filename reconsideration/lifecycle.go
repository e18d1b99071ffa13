package reconsideration

import (
	"fmt"
	"slices"
	"strings"

	"jiefen"
	"jiefen/calendar"
)

// MaxExtensionDays is the longest extension of the decision period
// (行政复议法 第62条: 延长期限最多不得超过三十日).
const MaxExtensionDays = 30

// need refuses an action the case's state does not allow, naming the state
// (409).
func (c *Case) need(action string, states ...State) error {
	return jiefen.NeedState(action, c.State, states...)
}

// lastEvent is the day of the latest event recorded on the case.
func (c *Case) lastEvent() calendar.Date {
	last := c.ReceivedOn
	bump := func(d calendar.Date) { last = max(last, d) }
	for _, r := range c.Review {
		bump(r.On)
	}
	if c.AcceptedOn != nil {
		bump(*c.AcceptedOn)
	}
	if c.CopiedOn != nil {
		bump(*c.CopiedOn)
	}
	if c.Reply != nil {
		bump(c.Reply.On)
	}
	for _, o := range c.Committee {
		bump(o.On)
	}
	for _, s := range c.Suspensions {
		bump(s.On)
		if s.Resumed != nil {
			bump(*s.Resumed)
		}
	}
	if c.Extension != nil {
		bump(c.Extension.On)
	}
	return last
}

// reviewStart is the day the acceptance review runs from: receipt, or the
// receipt of the materials asked for, on which the review restarts
// (第31条).
func (c *Case) reviewStart() calendar.Date {
	start := c.ReceivedOn
	for _, r := range c.Review {
		if r.Decision == Materials {
			start = r.On
		}
	}
	return start
}

// Settle applies what the law does by itself by today: an acceptance
// review that ran out on reviewDue with no decision makes the case deemed
// accepted from that day (第30条: 审查期限届满之日起视为受理). reviewDue is
// the due date of the acceptance-review clock.
func (c *Case) Settle(reviewDue *calendar.Date, today calendar.Date) {
	if c.State == StateReceived && reviewDue != nil && today > *reviewDue {
		d := *reviewDue
		c.AcceptedOn, c.Deemed, c.State = &d, true, StateAccepted
	}
}

// ReviewDecision records the decision of the acceptance review: accept,
// reject (with the reason), or a request for materials (补正, with what is
// missing). Materials received restart the review (第31条). A decision
// dated within the review period replaces an acceptance the law deemed
// for want of a recorded decision (see Settle).
func (c *Case) ReviewDecision(decision, reason string, on, today calendar.Date) error {
	c.undeem(on)
	var p jiefen.Problems
	reason = strings.TrimSpace(reason)
	switch decision {
	case Accept, Reject, RequestMaterials:
		if err := c.need("an acceptance decision", StateReceived); err != nil {
			return err
		}
		if decision != Accept && reason == "" {
			what := jiefen.Textf("reject")
			if decision == RequestMaterials {
				what = jiefen.Textf("request materials")
			}
			p.Add("reason", "is required to %s", what)
		}
	default:
		p.Add("decision", "must be accept, reject or request_materials")
	}
	calendar.CheckEventDay(&p, "on", on, today, c.lastEvent(), "the case's last event")
	if err := p.Err(); err != nil {
		return err
	}
	c.Review = append(c.Review, Review{On: on, Decision: decision, Reason: reason})
	switch decision {
	case Accept:
		c.AcceptedOn, c.State = &on, StateAccepted
	case Reject:
		c.State = StateRejected
	case RequestMaterials:
		c.State = StateMaterialsRequested
	}
	return nil
}

// undeem takes back a deemed acceptance that a review decision made on or
// before the review's last day proves wrong: the law deems the case
// accepted only when nobody decided in time, and a decision entered after
// the fact may still have been made in time. Nothing else may have been
// recorded since.
func (c *Case) undeem(on calendar.Date) {
	if !c.Deemed || c.AcceptedOn == nil || on > *c.AcceptedOn || c.CopiedOn != nil || c.Reply != nil ||
		len(c.Hearings)+len(c.Committee)+len(c.Suspensions) > 0 || c.Extension != nil || c.Decision != nil {
		return
	}
	c.Deemed, c.AcceptedOn, c.State = false, nil, StateReceived
}

// MaterialsReceived records that the applicant supplied the materials
// asked for; the acceptance review starts again from that day (第31条).
func (c *Case) MaterialsReceived(on, today calendar.Date) error {
	if err := c.need("materials", StateMaterialsRequested); err != nil {
		return err
	}
	var p jiefen.Problems
	calendar.CheckEventDay(&p, "on", on, today, c.lastEvent(), "the request for materials")
	if err := p.Err(); err != nil {
		return err
	}
	c.Review = append(c.Review, Review{On: on, Decision: Materials})
	c.State = StateReceived
	return nil
}

// Copy records that the application was copied to the respondent (第48条).
func (c *Case) Copy(on, today calendar.Date) error {
	if err := c.need("a copy to the respondent", StateAccepted, StateSuspended); err != nil {
		return err
	}
	if c.CopiedOn != nil {
		return jiefen.Errorf(jiefen.ECONFLICT, "the application was already copied to the respondent on %s", *c.CopiedOn)
	}
	var p jiefen.Problems
	calendar.CheckEventDay(&p, "on", on, today, *c.AcceptedOn, "the acceptance")
	if err := p.Err(); err != nil {
		return err
	}
	c.CopiedOn = &on
	return nil
}

// Answer records the respondent's written reply and evidence list (第48条).
func (c *Case) Answer(r Reply, today calendar.Date) error {
	if err := c.need("a reply", StateAccepted, StateSuspended); err != nil {
		return err
	}
	if c.Reply != nil {
		return jiefen.Errorf(jiefen.ECONFLICT, "the respondent already replied on %s", c.Reply.On)
	}
	var p jiefen.Problems
	calendar.CheckEventDay(&p, "on", r.On, today, *c.AcceptedOn, "the acceptance")
	r.Text = strings.TrimSpace(r.Text)
	evidence := []string{}
	for i, e := range r.Evidence {
		if e = strings.TrimSpace(e); e == "" {
			p.Add(fmt.Sprintf("evidence[%d]", i), "is empty")
		}
		evidence = append(evidence, e)
	}
	if err := p.Err(); err != nil {
		return err
	}
	r.Evidence = evidence
	c.Reply = &r
	return nil
}

// Hear records a hearing (听证, 第50–51条): its day, and the place and
// the day the parties were notified when known. The notice is due five
// working days before the hearing; a late notice is recorded and its clock
// shows overdue, an unknown one leaves the clock running.
func (c *Case) Hear(h Hearing, today calendar.Date) error {
	if err := c.need("a hearing", StateAccepted); err != nil {
		return err
	}
	var p jiefen.Problems
	h.Place = strings.TrimSpace(h.Place)
	if h.NoticedOn != nil {
		calendar.CheckEventDay(&p, "noticed_on", *h.NoticedOn, today, *c.AcceptedOn, "the acceptance")
		if h.On < *h.NoticedOn {
			p.Add("on", "the hearing (%s) is before its notice (%s)", h.On, *h.NoticedOn)
		}
	}
	if h.On < *c.AcceptedOn {
		p.Add("on", "%s is before the acceptance (%s)", h.On, *c.AcceptedOn)
	}
	if err := p.Err(); err != nil {
		return err
	}
	c.Hearings = append(c.Hearings, h)
	return nil
}

// Consult records the committee's opinion (行政复议委员会咨询意见, 第52条).
func (c *Case) Consult(o Opinion, today calendar.Date) error {
	if err := c.need("a committee review", StateAccepted, StateSuspended); err != nil {
		return err
	}
	var p jiefen.Problems
	calendar.CheckEventDay(&p, "on", o.On, today, *c.AcceptedOn, "the acceptance")
	if o.Opinion = strings.TrimSpace(o.Opinion); o.Opinion == "" {
		p.Add("opinion", "is required: the committee's opinion")
	}
	if err := p.Err(); err != nil {
		return err
	}
	c.Committee = append(c.Committee, o)
	return nil
}

// Suspend suspends the case (中止, 第39条): the decision clock stops until
// it resumes.
func (c *Case) Suspend(reason string, on, today calendar.Date) error {
	if err := c.need("a suspension", StateAccepted); err != nil {
		return err
	}
	var p jiefen.Problems
	calendar.CheckEventDay(&p, "on", on, today, c.lastEvent(), "the case's last event")
	if reason = strings.TrimSpace(reason); reason == "" {
		p.Add("reason", "is required: the ground of 第39条")
	}
	if err := p.Err(); err != nil {
		return err
	}
	c.Suspensions = append(c.Suspensions, Suspension{On: on, Reason: reason})
	c.State = StateSuspended
	return nil
}

// Resume ends the suspension (恢复审理); the days suspended are added to
// the decision period.
func (c *Case) Resume(on, today calendar.Date) error {
	if err := c.need("a resumption", StateSuspended); err != nil {
		return err
	}
	s := &c.Suspensions[len(c.Suspensions)-1]
	var p jiefen.Problems
	calendar.CheckEventDay(&p, "on", on, today, s.On, "the suspension")
	if err := p.Err(); err != nil {
		return err
	}
	s.Resumed, c.State = &on, StateAccepted
	return nil
}

// Extend extends the decision period once, by 1 to 30 days, with the
// reason (第62条); the simplified procedure has no extension.
func (c *Case) Extend(e Extension, today calendar.Date) error {
	if err := c.need("an extension", StateAccepted, StateSuspended); err != nil {
		return err
	}
	if c.Procedure == Simplified {
		return jiefen.Errorf(jiefen.ECONFLICT, "a case under the simplified procedure cannot be extended (行政复议法 第62条)")
	}
	if c.Extension != nil {
		return jiefen.Errorf(jiefen.ECONFLICT, "the decision period was already extended on %s; it may be extended once (行政复议法 第62条)", c.Extension.On)
	}
	var p jiefen.Problems
	calendar.CheckEventDay(&p, "on", e.On, today, *c.AcceptedOn, "the acceptance")
	if e.Days < 1 || e.Days > MaxExtensionDays {
		p.Add("days", "must be 1 to %d (行政复议法 第62条)", MaxExtensionDays)
	}
	if e.Reason = strings.TrimSpace(e.Reason); e.Reason == "" {
		p.Add("reason", "is required")
	}
	if err := p.Err(); err != nil {
		return err
	}
	c.Extension = &e
	return nil
}

// Decide records how the case ended. A case marked major, complex or
// highly technical cannot be decided before the committee's opinion is
// recorded (第52条); mediation, settlement and termination end it too.
func (c *Case) Decide(d Decision, today calendar.Date) error {
	states := []State{StateAccepted}
	if d.Result == Terminated || d.Result == Settled || d.Result == Mediated {
		states = append(states, StateSuspended) // 第41条: a suspended case may end
	}
	if err := c.need("a decision", states...); err != nil {
		return err
	}
	var p jiefen.Problems
	if !slices.Contains(Results, d.Result) {
		p.Add("result", "must be one of varied, annulled, confirmed_unlawful, ordered_performance, confirmed_void, upheld, dismissed, mediated, settled, terminated")
	}
	calendar.CheckEventDay(&p, "on", d.On, today, c.lastEvent(), "the case's last event")
	if c.Major && len(c.Committee) == 0 && d.Result != Terminated && d.Result != Settled {
		p.Add("committee_reviews", "a major, complex or highly technical case needs the committee's opinion before the decision (行政复议法 第52条)")
	}
	if err := p.Err(); err != nil {
		return err
	}
	d.Reason = strings.TrimSpace(d.Reason)
	if c.State == StateSuspended {
		s := &c.Suspensions[len(c.Suspensions)-1]
		s.Resumed = &d.On
	}
	c.Decision, c.State = &d, StateDecided
	return nil
}
