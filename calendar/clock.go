package calendar

// ClockKind says whose a clock is (DOMAIN.md, "Duties and windows").
type ClockKind string

// The kinds of clock of API.md.
const (
	// Duty is a period within which the people working a case must act
	// (accept, reply, decide, hold the second session…). Only a duty can
	// make a case overdue, raise an alert or order a queue.
	Duty ClockKind = "duty"
	// Window is a period the parties may use (apply for 司法确认, appeal,
	// apply for reconsideration). One that passes unused has lapsed: it is
	// nobody's overdue work.
	Window ClockKind = "window"
)

// Valid reports whether k is a known kind.
func (k ClockKind) Valid() bool { return k == Duty || k == Window }

// State is where a clock stands on a given day.
type State string

// The states of API.md: a duty is running, paused, overdue, met, late or
// cancelled; a window is open, used or lapsed.
const (
	Running   State = "running"   // a duty not done, its due day not passed
	Paused    State = "paused"    // a duty stopped by an ongoing pause (中止)
	Overdue   State = "overdue"   // a duty not done after its due day
	Met       State = "met"       // a duty done by its due day
	Late      State = "late"      // a duty done after its due day (超期办结)
	Cancelled State = "cancelled" // a duty whose case ended without the step

	Open   State = "open"   // a window the parties may still use
	Used   State = "used"   // a window the parties used
	Lapsed State = "lapsed" // a window that passed unused
)

// Admits reports whether s is a state a clock of kind k can be in.
func (k ClockKind) Admits(s State) bool {
	switch s {
	case Running, Paused, Overdue, Met, Late, Cancelled:
		return k == Duty
	case Open, Used, Lapsed:
		return k == Window
	}
	return false
}

// Live reports whether a clock in state s is a duty still to be done
// (running, paused or overdue).
func (s State) Live() bool { return s == Running || s == Paused || s == Overdue }

// Progress is what has become of the act a clock waits for.
type Progress struct {
	// Done is the day the act was done (the window used); nil while not.
	Done *Date
	// Paused says a pause of the clock is ongoing.
	Paused bool
	// Ended says the case ended (closed, transferred, withdrawn) without
	// the act: its open duties are cancelled, never overdue.
	Ended bool
}

// StateOf returns the state, on day today, of a clock of kind kind due on
// due (nil when it cannot be counted):
//   - a duty done by its due day is met, done later late; a duty of a case
//     that ended without it is cancelled; else it is paused while a pause
//     runs, overdue once today is past the due day, running before;
//   - a window used is used, past its due day lapsed, else open.
func StateOf(kind ClockKind, due *Date, today Date, p Progress) State {
	if kind == Window {
		switch {
		case p.Done != nil:
			return Used
		case due != nil && today > *due:
			return Lapsed
		}
		return Open
	}
	switch {
	case p.Done != nil && (due == nil || *p.Done <= *due):
		return Met
	case p.Done != nil:
		return Late
	case p.Ended:
		return Cancelled
	case p.Paused:
		return Paused
	case due != nil && today > *due:
		return Overdue
	}
	return Running
}

// Reading is one clock of a case as API.md shows it ("clocks[]"): its
// rule and kind, the day it runs from, its due day, the law behind it and
// its state on the day it was read, and the day its act was done (the
// window used) once it was. Provisional says the due day was counted on
// the provisional calendar, and Basis then says why.
type Reading struct {
	Rule        string    `json:"rule"`
	Kind        ClockKind `json:"kind"`
	From        Date      `json:"from"`
	Due         *Date     `json:"due"`
	Basis       string    `json:"basis"`
	State       State     `json:"state"`
	Provisional bool      `json:"provisional"`
	Done        *Date     `json:"done_on,omitempty"`
}

// Read counts rule r's clock k and returns it as it stands on today, given
// what became of its act. The clock's period and direction are the rule's.
// A clock the calendar cannot count (a date before 2007) has no due day
// and is running or open.
func (c *Calendar) Read(r Rule, k Clock, today Date, p Progress) Reading {
	k.Period, k.Before = r.Period(), r.Before
	out := Reading{Rule: r.ID, Kind: r.Kind, From: k.From, Basis: r.Basis, Done: p.Done}
	if d, err := c.Deadline(k, today); err == nil {
		out.Due, out.Basis, out.Provisional = &d.Due, d.Basis(r.Basis), len(d.Provisional) > 0
	}
	out.State = StateOf(out.Kind, out.Due, today, p)
	return out
}

// Current is the live duty of clocks (running, paused or overdue) that
// falls due first, nil when no duty is live: the clock a case is worked to.
// A window never counts.
func Current(clocks []Reading) *Reading { return first(clocks, State.Live) }

// NextDue is the earliest due day among the running and overdue duties of
// clocks, nil when there is none: the key that a work queue is ordered by
// and that the overdue and due-soon scans read. A paused duty has no due
// day to keep: its day moves on each day the pause lasts, and it can fall
// neither due nor overdue while paused.
func NextDue(clocks []Reading) *Date {
	if k := first(clocks, func(s State) bool { return s == Running || s == Overdue }); k != nil {
		return k.Due
	}
	return nil
}

// first is the duty of clocks in a state that counts that falls due first,
// nil when there is none.
func first(clocks []Reading, counts func(State) bool) *Reading {
	var out *Reading
	for i := range clocks {
		k := &clocks[i]
		if k.Kind != Duty || !counts(k.State) || k.Due == nil {
			continue
		}
		if out == nil || *k.Due < *out.Due {
			out = k
		}
	}
	return out
}

// FinishedLate returns the day a case's concluding duty k (the clock it is
// worked to its end by: a mediation clock, a reconsideration decision) was
// done, when it was done after its due day (超期办结); nil otherwise, and
// for no clock.
func FinishedLate(k *Reading) *Date {
	if k == nil || k.State != Late {
		return nil
	}
	return k.Done
}
