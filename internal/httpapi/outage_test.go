package httpapi_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"
	"time"

	mysqldriver "github.com/go-sql-driver/mysql"

	"jiefen"
	"jiefen/internal/sqlstore"
	"jiefen/internal/sqlstore/storetest"
)

// dbProxy stands between jiefen and MariaDB so that a test can stop the
// server as jiefen sees it (connections cut, new ones refused) or hang it
// (connections open, nothing answered), without disturbing the other tests
// that share the real server.
type dbProxy struct {
	t      *testing.T
	target string
	addr   string
	mu     sync.Mutex
	ln     net.Listener
	conns  []net.Conn
	hung   bool
	resume chan struct{}
}

func newDBProxy(t *testing.T, target string) *dbProxy {
	p := &dbProxy{t: t, target: target, resume: make(chan struct{})}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p.addr = ln.Addr().String()
	p.serve(ln)
	t.Cleanup(p.stop)
	return p
}

func (p *dbProxy) serve(ln net.Listener) {
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", p.target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, up)
			p.mu.Unlock()
			go p.pipe(c, up)
			go p.pipe(up, c)
		}
	}()
}

// pipe copies until either side closes, holding every chunk while hung.
func (p *dbProxy) pipe(dst, src net.Conn) {
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			p.mu.Lock()
			hung, resume := p.hung, p.resume
			p.mu.Unlock()
			if hung {
				<-resume
			}
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			if err != io.EOF {
				dst.Close()
			}
			return
		}
	}
}

// hang stops answering; unhang answers again (what was held goes through).
func (p *dbProxy) hang() {
	p.mu.Lock()
	p.hung = true
	p.mu.Unlock()
}

func (p *dbProxy) unhang() {
	p.mu.Lock()
	p.hung = false
	close(p.resume)
	p.resume = make(chan struct{})
	p.mu.Unlock()
}

// stop refuses new connections and cuts the open ones; start listens again.
func (p *dbProxy) stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

func (p *dbProxy) start() {
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		p.t.Fatal(err)
	}
	p.serve(ln)
}

// TestDatabaseOutage is issue 11's outage test on MariaDB: with the
// database stopped or hung, requests are answered 503 with Retry-After
// within two seconds and /readyz fails; when it comes back, service
// returns by itself.
func TestDatabaseOutage(t *testing.T) {
	base := os.Getenv("JIEFEN_TEST_MYSQL_DSN")
	if base == "" {
		t.Skip("JIEFEN_TEST_MYSQL_DSN not set: the outage test needs MariaDB")
	}
	dsn, drop := storetest.NewMySQLDatabase(t, base)
	t.Cleanup(drop)
	cfg, err := mysqldriver.ParseDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	target := cfg.Addr
	if cfg.Net != "tcp" || target == "" {
		target = "127.0.0.1:3306"
	}
	p := newDBProxy(t, target)
	cfg.Addr = p.addr
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, sqlstore.Options{Driver: "mysql", DSN: cfg.FormatDSN(), MaxOpenConns: 8, MaxIdleConns: 8,
		ConnMaxLifetime: time.Minute, ConnMaxIdleTime: time.Minute, Keys: storetest.Keys()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, db)
	watch, stop := context.WithCancel(ctx)
	defer stop()
	go e.srv.WatchDatabase(watch)
	leader := e.as(jiefen.RoleLeader)

	// answer sends a request in the background and reports its status and
	// how long it took.
	answer := func(path string) (int, string, time.Duration) {
		type result struct {
			code  int
			retry string
		}
		start := time.Now()
		done := make(chan result, 1)
		go func() {
			req := httptest.NewRequest("GET", path, nil)
			req.Header.Set("Authorization", "Bearer "+leader)
			w := httptest.NewRecorder()
			e.srv.Handler().ServeHTTP(w, req)
			e.checkContract(req, nil, w)
			done <- result{w.Code, w.Header().Get("Retry-After")}
		}()
		select {
		case r := <-done:
			return r.code, r.retry, time.Since(start)
		case <-time.After(10 * time.Second):
			t.Fatalf("GET %s: no answer in 10 s", path)
		}
		return 0, "", 0
	}
	waitReady := func(what string) {
		deadline := time.Now().Add(10 * time.Second)
		for {
			if code, _, _ := answer("/readyz"); code == http.StatusOK {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: not ready again within 10 s", what)
			}
			time.Sleep(100 * time.Millisecond)
		}
		if code, _, _ := answer("/api/v1/orgs"); code != http.StatusOK {
			t.Fatalf("%s: GET /api/v1/orgs = %d once ready", what, code)
		}
	}
	if code, _, _ := answer("/api/v1/orgs"); code != http.StatusOK {
		t.Fatalf("before the outage: %d", code)
	}
	for _, outage := range []struct {
		name       string
		begin, end func()
	}{
		{"hung", p.hang, p.unhang},
		{"stopped", p.stop, p.start},
	} {
		outage.begin()
		for _, path := range []string{"/api/v1/orgs", "/readyz", "/api/v1/mediation/cases"} {
			code, retry, took := answer(path)
			t.Logf("%s: %s → %d in %v", outage.name, path, code, took)
			if code != http.StatusServiceUnavailable || retry == "" || took > 2500*time.Millisecond {
				t.Errorf("%s database: GET %s = %d (Retry-After %q) in %v; want 503 with Retry-After within 2 s", outage.name, path, code, retry, took)
			}
		}
		if code, _, _ := answer("/healthz"); code != http.StatusOK {
			t.Errorf("%s database: /healthz = %d; the process is up", outage.name, code)
		}
		outage.end()
		waitReady(outage.name)
	}
}
