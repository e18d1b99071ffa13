package auth

import (
	"sync"
	"time"
)

// Limiter counts login attempts per key (a client address, a username) in
// a sliding window and refuses the attempts over the limit, before any
// password is checked. It guards against password spraying from one
// address and against hammering one account faster than the lock-out
// counts (the lock-out itself, 5 failures in 15 minutes, is kept in the
// database and shared by the replicas). A Limiter lives in one replica:
// with N replicas behind a balancer an address gets up to N times the
// limit, which still bounds a spray. It is safe for concurrent use.
type Limiter struct {
	Limit  int           // attempts allowed per window
	Window time.Duration // the sliding window

	mu   sync.Mutex
	hits map[string][]time.Time
	seen int
}

// Allow records an attempt for key at now and reports whether it is
// allowed; when not, retry is how long until the oldest attempt in the
// window leaves it.
func (l *Limiter) Allow(key string, now time.Time) (ok bool, retry time.Duration) {
	if l.Limit <= 0 {
		return true, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.hits == nil {
		l.hits = map[string][]time.Time{}
	}
	if l.seen++; l.seen%1024 == 0 {
		l.sweep(now)
	}
	since := now.Add(-l.Window)
	h := l.hits[key]
	i := 0
	for i < len(h) && !h[i].After(since) {
		i++
	}
	h = h[i:]
	if len(h) >= l.Limit {
		l.hits[key] = h
		return false, h[0].Sub(since)
	}
	l.hits[key] = append(h, now)
	return true, 0
}

// sweep forgets the keys with no attempt in the window, so that memory
// follows the attackers active now, not all there ever were.
func (l *Limiter) sweep(now time.Time) {
	since := now.Add(-l.Window)
	for k, h := range l.hits {
		if len(h) == 0 || !h[len(h)-1].After(since) {
			delete(l.hits, k)
		}
	}
}
