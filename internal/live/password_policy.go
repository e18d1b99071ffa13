package live

import (
	"context"
	"sync"
	"time"

	"jiefen/internal/auth"
	"jiefen/internal/sqlstore"
)

// PasswordPolicy hands out the stored password policy, which every replica
// applies alike, reading it again when another replica may have changed it
// (at most once per refresh interval, or at once after Invalidate). It is
// safe for concurrent use.
type PasswordPolicy struct {
	db    *sqlstore.DB
	seed  auth.PasswordPolicy
	every time.Duration

	mu      sync.Mutex
	cur     auth.PasswordPolicy
	checked time.Time
}

// NewPasswordPolicy builds a password policy source; seed (the configured
// policy) is stored when the database holds none.
func NewPasswordPolicy(db *sqlstore.DB, seed auth.PasswordPolicy, refresh time.Duration) *PasswordPolicy {
	return &PasswordPolicy{db: db, seed: seed, every: refresh}
}

// Get returns the policy. While the database cannot be read it serves the
// policy it read last, if any.
func (p *PasswordPolicy) Get(ctx context.Context) (auth.PasswordPolicy, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cur.Version != 0 && time.Since(p.checked) < p.every {
		return p.cur, nil
	}
	cur, err := p.db.Users.PasswordPolicy(ctx, p.seed)
	if err != nil {
		if p.cur.Version != 0 {
			return p.cur, nil
		}
		return auth.PasswordPolicy{}, err
	}
	p.cur, p.checked = cur, time.Now()
	return cur, nil
}

// Invalidate makes the next call read the policy again.
func (p *PasswordPolicy) Invalidate() {
	p.mu.Lock()
	p.checked = time.Time{}
	p.mu.Unlock()
}
