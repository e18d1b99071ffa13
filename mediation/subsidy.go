package mediation

import (
	"jiefen/calendar"
)

// Subsidies are the local amounts of 以案定补, in fen per case of each tier.
type Subsidies map[Tier]int64

// SubsidyEarnedOn returns the day a case earned its tier's subsidy
// (以案定补), or nil while it has not. The subsidy rewards people's
// mediators for successful, documented, followed-up cases: the case must be
// on the people's track, mediated to an agreement, with a complete dossier
// (a session with its record, and the agreement's terms), and a follow-up
// visit must have found the agreement performed. It is earned on the day of
// the first such visit, which puts it in that month's report.
func (c *Case) SubsidyEarnedOn() *calendar.Date {
	if c.Track != "people" || c.Agreement == nil || c.Agreement.Terms == "" || !c.documented() {
		return nil
	}
	for i := range c.FollowUps {
		if c.FollowUps[i].Performed {
			return &c.FollowUps[i].On
		}
	}
	return nil
}

// documented reports whether a session was recorded (调解记录).
func (c *Case) documented() bool {
	for _, s := range c.Sessions {
		if s.Record != "" {
			return true
		}
	}
	return false
}
