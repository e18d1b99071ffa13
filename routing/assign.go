package routing

import (
	"fmt"
	"slices"
	"time"
)

// Mediator is a mediator of the org a case was routed to, as assignment
// weighs them: the cases they have open (mediation.State.Open) and when
// they were last given one (the zero time: never).
type Mediator struct {
	Username     string
	Open         int
	LastAssigned time.Time
}

// Assignment is who a case goes to and why, in the words kept on the case
// (assignment_reason); Mediator is "" when the case waits for the intake
// desk to assign it by hand.
type Assignment struct {
	Mediator string
	Reason   string
}

// Assign picks, among an org's active mediators, the one a new case goes
// to. 人民调解法 第19条 lets the committee designate the mediator and
// 第23条（一） gives the parties the right to choose or accept one; how the
// committee designates is the city's rule, and this is it: skip a mediator
// the parties refused (recused) and one already at capacity open cases;
// among the others take the one with the fewest open cases, on a tie the
// one given a case least recently (round robin: never comes first), then
// by username. Nobody free leaves the case waiting for the intake desk,
// with the reason.
func Assign(mediators []Mediator, capacity int, recused []string) Assignment {
	if len(mediators) == 0 {
		return Assignment{Reason: "本组织没有在岗调解员，案件等待受理窗口分派"}
	}
	best, skipped := -1, 0
	for i, m := range mediators {
		if slices.Contains(recused, m.Username) {
			skipped++
			continue
		}
		if m.Open >= capacity {
			continue
		}
		if best < 0 || fewerOrEarlier(m, mediators[best]) {
			best = i
		}
	}
	if best < 0 {
		return Assignment{Reason: fmt.Sprintf("本组织%d名调解员均已达到在办案件上限（%d件）或须回避，案件等待受理窗口分派", len(mediators), capacity)}
	}
	reason := fmt.Sprintf("本组织在办案件最少的调解员（在办%d件，上限%d件）", mediators[best].Open, capacity)
	if skipped > 0 {
		reason += fmt.Sprintf("；已跳过须回避的调解员%d名", skipped)
	}
	return Assignment{Mediator: mediators[best].Username, Reason: reason}
}

// fewerOrEarlier orders two candidates: fewer open cases first, then the
// one given a case least recently (never first), then by username.
func fewerOrEarlier(a, b Mediator) bool {
	if a.Open != b.Open {
		return a.Open < b.Open
	}
	if !a.LastAssigned.Equal(b.LastAssigned) {
		return a.LastAssigned.Before(b.LastAssigned)
	}
	return a.Username < b.Username
}
