package routing

import "jiefen/calendar"

// Earlier is an earlier dispute that names a party: the dispute, its
// category, the day it was received and the party's key (the blind index
// of the party's ID number: the only form in which the store can search
// ID numbers).
type Earlier struct {
	ID         int64
	Category   Category
	ReceivedOn calendar.Date
	Party      string
}

// Repeat is what an intake repeats: an earlier dispute on record (Of, an
// index into the earlier disputes) or an earlier intake of the same batch
// (Batch, an index into the batch), or neither (both -1).
type Repeat struct {
	Of, Batch int
}

// Found reports whether the intake repeats something.
func (r Repeat) Found() bool { return r.Of >= 0 || r.Batch >= 0 }

// Repeats finds, for each intake of a batch, the dispute it repeats
// (重复来访): the latest earlier dispute of the same category that names one of
// its parties (by key, the blind index of an ID number) and was received
// within window days before it, the day itself included. An earlier intake
// of the batch is registered after everything on record, so it wins a tie
// on the day; between disputes on record received the same day, the later
// registered (higher id) wins.
func Repeats(batch []Intake, earlier []Earlier, window int, key func(idNumber string) string) []Repeat {
	out := make([]Repeat, len(batch))
	keys := make([]map[string]bool, len(batch))
	for i, in := range batch {
		keys[i] = map[string]bool{}
		for _, p := range in.Parties {
			if p.IDNumber != "" {
				keys[i][key(p.IDNumber)] = true
			}
		}
	}
	for i, in := range batch {
		out[i] = Repeat{Of: -1, Batch: -1}
		mine := keys[i]
		if len(mine) == 0 {
			continue
		}
		inWindow := func(c Category, on calendar.Date) bool {
			return c == in.Category && on <= in.ReceivedOn && on >= in.ReceivedOn.AddDays(-window)
		}
		var bestOn calendar.Date
		for k, e := range earlier {
			if !mine[e.Party] || !inWindow(e.Category, e.ReceivedOn) {
				continue
			}
			if of := out[i].Of; of < 0 || e.ReceivedOn > bestOn || (e.ReceivedOn == bestOn && e.ID > earlier[of].ID) {
				out[i].Of, bestOn = k, e.ReceivedOn
			}
		}
		found := out[i].Of >= 0
		for j, prev := range batch[:i] {
			on := prev.ReceivedOn
			if !inWindow(prev.Category, on) || (found && on < bestOn) || !sharesKey(keys[j], mine) {
				continue
			}
			out[i], bestOn, found = Repeat{Of: -1, Batch: j}, on, true
		}
	}
	return out
}

func sharesKey(a, b map[string]bool) bool {
	for k := range a {
		if b[k] {
			return true
		}
	}
	return false
}
