package live

import (
	"context"
	"sync"
	"time"

	"jiefen"
	"jiefen/calendar"
	"jiefen/internal/sqlstore"
	"jiefen/routing"
)

// Routing hands out a router over the newest routing rules and the current
// calendar. It is safe for concurrent use.
type Routing struct {
	db     *sqlstore.DB
	cal    *Calendar
	clocks *calendar.Rules
	every  time.Duration

	mu      sync.Mutex
	set     routing.RuleSet
	checked time.Time
}

// NewRouting builds a routing source.
func NewRouting(db *sqlstore.DB, cal *Calendar, clocks *calendar.Rules, refresh time.Duration) *Routing {
	return &Routing{db: db, cal: cal, clocks: clocks, every: refresh}
}

// Router returns a router over the newest rules, reading them again when
// another replica may have changed them (at most once per refresh
// interval, or at once after Invalidate).
func (r *Routing) Router(ctx context.Context) (*routing.Router, error) {
	set, err := r.rules(ctx)
	if err != nil {
		return nil, err
	}
	cal, err := r.cal.Get(ctx)
	if err != nil {
		return nil, err
	}
	return routing.NewRouter(set, cal, r.clocks), nil
}

// Rules returns the newest rules.
func (r *Routing) Rules(ctx context.Context) (routing.RuleSet, error) { return r.rules(ctx) }

func (r *Routing) rules(ctx context.Context) (routing.RuleSet, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.set.Version != 0 && time.Since(r.checked) < r.every {
		return r.set, nil
	}
	v, err := r.db.Routing.RoutingRulesVersion(ctx)
	if err != nil {
		if r.set.Version != 0 {
			return r.set, nil
		}
		return routing.RuleSet{}, err
	}
	r.checked = time.Now()
	if v == r.set.Version {
		return r.set, nil
	}
	if v == 0 {
		return routing.RuleSet{}, jiefen.Errorf(jiefen.EUNAVAILABLE, "no routing rules are loaded")
	}
	set, err := r.db.Routing.RoutingRules(ctx)
	if err != nil {
		return routing.RuleSet{}, err
	}
	r.set = set
	return set, nil
}

// Invalidate makes the next call read the rules again.
func (r *Routing) Invalidate() {
	r.mu.Lock()
	r.checked = time.Time{}
	r.mu.Unlock()
}

// Clocks returns the catalogue of statutory clocks the rules refer to.
func (r *Routing) Clocks() *calendar.Rules { return r.clocks }
