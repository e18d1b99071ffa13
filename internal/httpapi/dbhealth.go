package httpapi

import (
	"context"
	"database/sql"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"

	"jiefen"
	"jiefen/internal/sqlstore"
)

// Database is what the health checks and the metrics need of the store:
// whether it answers, whether its schema is this binary's, and its pool.
type Database interface {
	Ping(ctx context.Context) error
	CheckSchema(ctx context.Context) error
	SQL() *sql.DB
}

// dbHealth knows whether the database answers. When it stops answering
// (stopped, unreachable, hung so that a ping times out, or on SQLite its
// file gone or unreadable), requests that
// need it are answered 503 with Retry-After at once instead of waiting for
// it, and the requests waiting on it are cancelled, so that every request
// has its answer within about two seconds of the outage; when a ping
// succeeds again, service resumes by itself. A database that answers busy
// (SQLite's one writer holding a lock the probe's read needs, as during a
// long court import run by another process) is not down: the probe is
// counted busy and the state stays as it was.
type dbHealth struct {
	down    atomic.Bool
	mu      sync.Mutex
	next    uint64
	waiting map[uint64]context.CancelFunc
}

// Ping cadence of WatchDatabase: a ping every interval, given timeout to
// answer. An outage is seen within interval+timeout.
const (
	dbPingInterval = 500 * time.Millisecond
	dbPingTimeout  = time.Second
)

// WatchDatabase pings the database until ctx ends (the serving replica
// runs it beside the HTTP server).
func (s *Server) WatchDatabase(ctx context.Context) {
	t := time.NewTicker(dbPingInterval)
	defer t.Stop()
	for {
		pctx, cancel := context.WithTimeout(ctx, dbPingTimeout)
		err := s.database.Ping(pctx)
		cancel()
		if ctx.Err() != nil {
			return
		}
		switch {
		case sqlstore.IsBusy(err):
			s.metrics.busyProbes.Inc()
		case err != nil && !s.health.down.Swap(true):
			s.log.Warn("database unavailable: answering 503 until it returns", "error", redact(err.Error()))
			s.health.cancelWaiting()
		case err == nil && s.health.down.Swap(false):
			s.log.Info("database available again")
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (h *dbHealth) cancelWaiting() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for id, cancel := range h.waiting {
		cancel()
		delete(h.waiting, id)
	}
}

// guardDatabase answers 503 at once while the database is down, and lets
// the health watch cancel the request if the database goes down while it
// waits on it. Health, metrics and the dashboard's static pages need no
// database and pass.
func (s *Server) guardDatabase(c *gin.Context) {
	if !strings.HasPrefix(c.Request.URL.Path, "/api/") {
		c.Next()
		return
	}
	if s.health.down.Load() {
		s.fail(c, jiefen.Errorf(jiefen.EUNAVAILABLE, "the database is unavailable; try again shortly"))
		return
	}
	ctx, cancel := context.WithCancel(c.Request.Context())
	h := &s.health
	h.mu.Lock()
	if h.waiting == nil {
		h.waiting = map[uint64]context.CancelFunc{}
	}
	h.next++
	id := h.next
	h.waiting[id] = cancel
	h.mu.Unlock()
	defer func() {
		h.mu.Lock()
		delete(h.waiting, id)
		h.mu.Unlock()
		cancel()
	}()
	c.Request = c.Request.WithContext(ctx)
	c.Next()
}
