package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	mysqldriver "github.com/go-sql-driver/mysql"

	"jiefen/internal/pii"
)

// mixedOptions configure the mixed scenario.
type mixedOptions struct {
	dsn      string // MariaDB server DSN
	conns    []int  // connection counts measured in turn
	duration time.Duration
	rounds   int
	replicas int     // jiefen serve processes on one database
	rate     float64 // > 0: open loop at this many requests per second
	// disputes are seeded through the API before measuring, all routed to
	// the mediators of mixedOrg.
	disputes  int
	mediators int
	// overdueEvery, when set, is the overdue_scan job's schedule on every
	// replica ("@every 1s"), so that the claims of ticks can be checked.
	overdueEvery string
	// bin is a jiefen binary to run; empty: built from ./cmd/jiefen.
	bin string
	// nodes are the server DSNs of further nodes of a cluster that
	// replicates dsn's databases (Galera): replica i writes through node
	// i mod (1+len(nodes)), dsn being node 0, with db.multi_primary on.
	// Empty: every replica on dsn.
	nodes []string
}

// The org whose mediators take the seeded cases, and the township that
// routes there (configs/routing.yaml).
const (
	mixedOrg      = "RZ-ZL-TWH"
	mixedTownship = "汝州市钟楼街道"
	mixedPassword = "Bench-Pass-2026"
	mixedDatabase = "jiefen_bench_mixed"
)

// The request kinds of the mix.
const (
	kindQueue   = iota // GET /api/v1/mediation/cases as a mediator
	kindCase           // GET /api/v1/mediation/cases/{id} as its mediator
	kindDispute        // GET /api/v1/disputes/{id} as the intake desk
	kindAction         // POST …/cases/{id}/accept or /sessions with If-Match
	kindIntake         // POST /api/v1/disputes
	kinds
)

var kindNames = [kinds]string{"queue", "case", "dispute", "action", "intake"}

// mixedLevel is one connection count measured: the medians of its rounds
// and the peak RSS of each jiefen process while it ran.
type mixedLevel struct {
	conns int
	res   result
	rss   []uint64
	// fresh says the peak RSS was reset before the level (else it is the
	// peak since the process started).
	fresh bool
	// intakeP99 is the median over the rounds of the intakes' own p99.
	intakeP99 time.Duration
}

// mixedSummary are the key figures of the mixed scenario.
type mixedSummary struct {
	replicas int
	levels   []mixedLevel
	// After the runs: dispute codes given twice (must be 0), and the ticks
	// of the overdue_scan job in job_runs: how many, how many missing
	// between the first and the last, and by how many replicas.
	dupCodes                     int
	ticks, missing, tickReplicas int
}

// jiefenProc is a `jiefen serve` process of the scenario.
type jiefenProc struct {
	cmd  *exec.Cmd
	base string // http://127.0.0.1:port
	log  string // its standard error
	done chan struct{}
}

func runMixed(o mixedOptions) (mixedSummary, error) {
	sum := mixedSummary{replicas: o.replicas}
	ctx := context.Background()
	tmp, err := os.MkdirTemp("", "jiefen-mixed")
	if err != nil {
		return sum, err
	}
	defer os.RemoveAll(tmp)
	bin := o.bin
	if bin == "" {
		if bin, err = buildJiefen(tmp); err != nil {
			return sum, fmt.Errorf("building jiefen: %w", err)
		}
	}
	dsn, drop, err := freshDatabase(o.dsn, mixedDatabase)
	if err != nil {
		return sum, err
	}
	defer drop()
	kf, err := pii.NewKeyFile()
	if err != nil {
		return sum, err
	}
	keys, _ := json.Marshal(kf)
	env := append(os.Environ(), "JIEFEN_DB_DRIVER=mysql", "JIEFEN_DB_DSN="+dsn, "JIEFEN_PII_KEYS="+string(keys),
		// Every seeded case goes to a mediator: no capacity limit.
		"JIEFEN_ROUTING_MEDIATOR_CAPACITY=100000000", "JIEFEN_LOG_LEVEL=warn")
	if o.overdueEvery != "" {
		env = append(env, "JIEFEN_JOBS_OVERDUE_SCAN_SCHEDULE="+o.overdueEvery)
	}

	// Users, through the binary (the first command migrates).
	users := []string{"desk"}
	if err := jiefenRun(bin, env, mixedPassword, "user", "create", "--username", "desk", "--role", "intake", "--password-stdin"); err != nil {
		return sum, err
	}
	for i := 1; i <= o.mediators; i++ {
		name := fmt.Sprintf("med-%d", i)
		if err := jiefenRun(bin, env, mixedPassword, "user", "create", "--username", name, "--role", "mediator", "--org", mixedOrg, "--password-stdin"); err != nil {
			return sum, err
		}
		users = append(users, name)
	}

	var procs []*jiefenProc
	defer func() {
		for _, p := range procs {
			p.stop()
		}
	}()
	for i := range o.replicas {
		renv := append(slices.Clone(env), fmt.Sprintf("JIEFEN_JOBS_REPLICA=r%d", i+1))
		if k := i % (1 + len(o.nodes)); k > 0 {
			node, err := onNode(o.nodes[k-1], dsn)
			if err != nil {
				return sum, err
			}
			renv = append(renv, "JIEFEN_DB_DSN="+node) // the later value wins
		}
		if len(o.nodes) > 0 {
			// Several nodes take writes: as docs/SCALING.md says to run them.
			renv = append(renv, "JIEFEN_DB_MULTI_PRIMARY=true")
		}
		p, err := startServe(bin, renv, filepath.Join(tmp, fmt.Sprintf("r%d.log", i+1)))
		if err != nil {
			return sum, err
		}
		procs = append(procs, p)
	}
	bases := make([]string, len(procs))
	for i, p := range procs {
		bases[i] = p.base
	}
	tokens := map[string]string{}
	for _, u := range users {
		t, err := mixedLogin(bases[0], u)
		if err != nil {
			return sum, err
		}
		tokens[u] = t
	}
	mode := "closed loop"
	if o.rate > 0 {
		mode = fmt.Sprintf("open loop at %.0f req/s", o.rate)
	}
	where := "one MariaDB at " + hostOf(o.dsn)
	if len(o.nodes) > 0 {
		where = fmt.Sprintf("%d nodes of a cluster, from %s", 1+len(o.nodes), hostOf(o.dsn))
	}
	fmt.Printf("mixed: 70%% reads (queue, case, dispute), 25%% case actions with If-Match, 5%% intake; %d jiefen serve process(es) on %s, %s, %s per run, %d round(s)\n",
		o.replicas, where, mode, o.duration, o.rounds)

	// Seed: disputes routed to the org's mediators, as the intake desk.
	m := &mixer{bases: bases, desk: tokens["desk"]}
	for _, u := range users[1:] {
		m.mediators = append(m.mediators, tokens[u])
	}
	began := time.Now()
	seed := runLoad(loadSpec{conns: 32, total: int64(o.disputes)}, m.intakeSender())
	if seed.errors > o.disputes/100 {
		return sum, fmt.Errorf("seeding: %d of %d intakes failed; the first: %s", seed.errors, o.disputes, m.intakeErr.get())
	} else if seed.errors > 0 {
		fmt.Printf("  seeding: %d of %d intakes failed; the first: %s\n", seed.errors, o.disputes, m.intakeErr.get())
	}
	for _, u := range users[1:] {
		if err := m.loadQueue(bases[0], tokens[u]); err != nil {
			return sum, err
		}
	}
	fmt.Printf("  seeded %d disputes through the API in %.1f s (%.0f/s); %d cases assigned to %d mediators of %s\n",
		seed.requests, time.Since(began).Seconds(), seed.rps(), len(m.cases), o.mediators, mixedOrg)
	if len(m.cases) == 0 {
		return sum, errors.New("no case was assigned to the mediators")
	}

	for _, conns := range o.conns {
		lv := mixedLevel{conns: conns, fresh: true}
		for _, p := range procs {
			lv.fresh = resetPeakRSS(p.cmd.Process.Pid) && lv.fresh
		}
		var rs []result
		var intakeP99s []time.Duration
		for r := range o.rounds {
			m.reset()
			res := runLoad(loadSpec{conns: conns, duration: o.duration, rate: o.rate}, m.send)
			rs = append(rs, res)
			intakeP99s = append(intakeP99s, m.p99(kindIntake))
			fmt.Printf("  %3d conns round %d: %7.0f req/s  p50 %6.1f ms  p99 %7.1f ms  %d errors  %d conflicts\n             %s\n",
				conns, r+1, res.rps(), ms(res.p50), ms(res.p99), res.errors, res.conflicts, m.breakdown())
			if e := m.firstError(); e != "" {
				fmt.Printf("           first error: %s\n", e)
			}
		}
		lv.res = medians(rs)
		slices.Sort(intakeP99s)
		lv.intakeP99 = intakeP99s[len(intakeP99s)/2]
		for _, p := range procs {
			lv.rss = append(lv.rss, peakRSS(p.cmd.Process.Pid))
		}
		sum.levels = append(sum.levels, lv)
	}

	// The checks of a shared database.
	db, err := openPlain(dsn)
	if err != nil {
		return sum, err
	}
	defer db.Close()
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM (SELECT code FROM disputes GROUP BY code HAVING COUNT(*) > 1) d").Scan(&sum.dupCodes); err != nil {
		return sum, err
	}
	var disputes int
	db.QueryRowContext(ctx, "SELECT COUNT(*) FROM disputes").Scan(&disputes)
	if o.overdueEvery != "" {
		if err := checkTicks(ctx, db, &sum); err != nil {
			return sum, err
		}
	}

	fmt.Printf("  %-6s %9s %9s %9s %8s %10s  %s\n", "conns", "req/s", "p50 ms", "p99 ms", "errors", "conflicts", "peak RSS per process (target < 150 MB at 256)")
	for _, lv := range sum.levels {
		var rss []string
		for _, b := range lv.rss {
			rss = append(rss, fmt.Sprintf("%.0f MB", mb(b)))
		}
		note := ""
		if !lv.fresh {
			note = " (since start)"
		}
		fmt.Printf("  %-6d %9.0f %9.1f %9.1f %8d %10d  %s%s\n", lv.conns, lv.res.rps(), ms(lv.res.p50), ms(lv.res.p99), lv.res.errors, lv.res.conflicts, strings.Join(rss, ", "), note)
	}
	fmt.Printf("  checked: %d disputes, %d codes given twice", disputes, sum.dupCodes)
	if o.overdueEvery != "" {
		fmt.Printf("; overdue_scan (%s): %d ticks in job_runs, %d missing between the first and the last, run by %d replica(s)", o.overdueEvery, sum.ticks, sum.missing, sum.tickReplicas)
	}
	fmt.Println()
	return sum, nil
}

// checkTicks reads the overdue_scan job's ticks: one row per tick (the
// key), contiguous, and by which replicas.
func checkTicks(ctx context.Context, db *sql.DB, sum *mixedSummary) error {
	rows, err := db.QueryContext(ctx, "SELECT scheduled_at, replica FROM job_runs WHERE job = 'overdue_scan' ORDER BY scheduled_at")
	if err != nil {
		return err
	}
	defer rows.Close()
	var ticks []time.Time
	by := map[string]int{}
	for rows.Next() {
		var at time.Time
		var replica string
		if err := rows.Scan(&at, &replica); err != nil {
			return err
		}
		ticks = append(ticks, at)
		by[replica]++
	}
	if err := rows.Err(); err != nil {
		return err
	}
	sum.ticks, sum.tickReplicas = len(ticks), len(by)
	for i := 1; i < len(ticks); i++ {
		if gap := ticks[i].Sub(ticks[i-1]); gap > time.Second {
			sum.missing += int(gap/time.Second) - 1
		}
	}
	return nil
}

// mixCase is a case of the mix as the load generator last saw it.
type mixCase struct {
	id    int64
	token string // its mediator's
	mu    sync.Mutex
	state string
	ver   int64
}

// saw records the state and version of an answer, unless a newer one
// was recorded already.
func (c *mixCase) saw(body []byte) {
	var v struct {
		State   string `json:"state"`
		Version int64  `json:"version"`
	}
	if json.Unmarshal(body, &v) != nil || v.Version == 0 {
		return
	}
	c.mu.Lock()
	if v.Version > c.ver {
		c.state, c.ver = v.State, v.Version
	}
	c.mu.Unlock()
}

// mixer sends the requests of the mix.
type mixer struct {
	bases     []string // the replicas, in turn
	desk      string   // the intake desk's token
	mediators []string // their tokens

	mu       sync.RWMutex
	cases    []*mixCase
	disputes []int64

	sent, errs [kinds]atomic.Int64
	firstMu    sync.Mutex
	first      string // the first error of the run
	// lat are the latencies of each kind in the run, from sending to the
	// answer read (in open loop, without the wait for a slot).
	lat [kinds][]time.Duration

	intakeOnce sync.Once
	intakeSend sender
	intakeErr  firstError // the intakes' own
}

func (m *mixer) reset() {
	for k := range kinds {
		m.sent[k].Store(0)
		m.errs[k].Store(0)
	}
	m.firstMu.Lock()
	m.first = ""
	m.lat = [kinds][]time.Duration{}
	m.firstMu.Unlock()
	m.intakeErr.mu.Lock()
	m.intakeErr.s = ""
	m.intakeErr.mu.Unlock()
}

// took records the latency of a request of kind.
func (m *mixer) took(kind int, d time.Duration) {
	m.firstMu.Lock()
	m.lat[kind] = append(m.lat[kind], d)
	m.firstMu.Unlock()
}

// failed counts an error of kind, and keeps the first of the run.
func (m *mixer) failed(kind int, what string) {
	m.errs[kind].Add(1)
	m.firstMu.Lock()
	if m.first == "" {
		m.first = what
	}
	m.firstMu.Unlock()
}

func (m *mixer) breakdown() string {
	var total int64
	for k := range kinds {
		total += m.sent[k].Load()
	}
	var parts []string
	m.firstMu.Lock()
	defer m.firstMu.Unlock()
	for k := range kinds {
		s := fmt.Sprintf("%-7s %3.0f%%", kindNames[k], 100*float64(m.sent[k].Load())/float64(max(total, 1)))
		if l := slices.Sorted(slices.Values(m.lat[k])); len(l) > 0 {
			s += fmt.Sprintf("  p50 %6.1f ms  p99 %6.1f ms", ms(l[len(l)/2]), ms(l[len(l)*99/100]))
		}
		if e := m.errs[k].Load(); e > 0 {
			s += fmt.Sprintf("  %d errors", e)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "\n             ")
}

// p99 is the 99th percentile latency of the requests of kind in the run.
func (m *mixer) p99(kind int) time.Duration {
	m.firstMu.Lock()
	defer m.firstMu.Unlock()
	l := slices.Sorted(slices.Values(m.lat[kind]))
	if len(l) == 0 {
		return 0
	}
	return l[len(l)*99/100]
}

func (m *mixer) firstError() string {
	m.firstMu.Lock()
	defer m.firstMu.Unlock()
	return m.first
}

// intakeSender registers disputes in the township of the mediators' org,
// as the desk, and keeps their ids for the dispute reads.
func (m *mixer) intakeSender() sender {
	t := target{url: m.bases[0] + "/api/v1/disputes", headers: map[string]string{"Authorization": "Bearer " + m.desk}, idem: true}
	for _, b := range m.bases[1:] {
		t.more = append(t.more, b+"/api/v1/disputes")
	}
	return intakeSender(t, []string{mixedTownship}, func(body []byte) {
		var d struct {
			ID int64 `json:"id"`
		}
		if json.Unmarshal(body, &d) == nil && d.ID > 0 {
			m.mu.Lock()
			m.disputes = append(m.disputes, d.ID)
			m.mu.Unlock()
		}
	}, &m.intakeErr)
}

// loadQueue reads a mediator's whole queue (its cases, their states and
// versions) into the pool.
func (m *mixer) loadQueue(base, token string) error {
	cursor := ""
	for {
		url := base + "/api/v1/mediation/cases?limit=200"
		if cursor != "" {
			url += "&cursor=" + cursor
		}
		req, _ := http.NewRequest("GET", url, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		var page struct {
			Items []struct {
				ID      int64  `json:"id"`
				State   string `json:"state"`
				Version int64  `json:"version"`
			} `json:"items"`
			NextCursor *string `json:"next_cursor"`
		}
		err = json.NewDecoder(res.Body).Decode(&page)
		res.Body.Close()
		if err != nil || res.StatusCode != http.StatusOK {
			return fmt.Errorf("reading the queue: %d %v", res.StatusCode, err)
		}
		for _, it := range page.Items {
			m.cases = append(m.cases, &mixCase{id: it.ID, token: token, state: it.State, ver: it.Version})
		}
		if page.NextCursor == nil || *page.NextCursor == "" {
			return nil
		}
		cursor = *page.NextCursor
	}
}

// splitmix is a well-mixed hash of n: the dice of request n.
func splitmix(n uint64) uint64 {
	n += 0x9e3779b97f4a7c15
	n = (n ^ (n >> 30)) * 0xbf58476d1ce4e5b9
	n = (n ^ (n >> 27)) * 0x94d049bb133111eb
	return n ^ (n >> 31)
}

// send sends request n of the mix: 70% reads, 25% actions, 5% intakes.
func (m *mixer) send(client *http.Client, n int64) outcome {
	r := splitmix(uint64(n))
	pick := splitmix(r) // which case, dispute or mediator
	base := m.bases[int(n%int64(len(m.bases)))]
	m.mu.RLock()
	c := m.cases[pick%uint64(len(m.cases))]
	var dispute int64
	if len(m.disputes) > 0 {
		dispute = m.disputes[pick%uint64(len(m.disputes))]
	}
	m.mu.RUnlock()
	var kind int
	var req *http.Request
	switch pct := r % 100; {
	case pct < 70:
		switch kind = int(r/100) % 3; kind {
		case kindQueue:
			req, _ = http.NewRequest("GET", base+"/api/v1/mediation/cases", nil)
			req.Header.Set("Authorization", "Bearer "+m.mediators[pick%uint64(len(m.mediators))])
		case kindCase:
			req, _ = http.NewRequest("GET", base+"/api/v1/mediation/cases/"+strconv.FormatInt(c.id, 10), nil)
			req.Header.Set("Authorization", "Bearer "+c.token)
		case kindDispute:
			req, _ = http.NewRequest("GET", base+"/api/v1/disputes/"+strconv.FormatInt(dispute, 10), nil)
			req.Header.Set("Authorization", "Bearer "+m.desk)
		}
	case pct < 95:
		kind = kindAction
		c.mu.Lock()
		state, ver := c.state, c.ver
		c.mu.Unlock()
		path, body := "/accept", `{}`
		if state != "assigned" {
			path, body = "/sessions", `{"place":"钟楼街道人民调解委员会调解室","attendees":["张三","李四"],"record":"双方陈述了意见"}`
		}
		req, _ = http.NewRequest("POST", base+"/api/v1/mediation/cases/"+strconv.FormatInt(c.id, 10)+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+c.token)
		req.Header.Set("If-Match", `"`+strconv.FormatInt(ver, 10)+`"`)
	default:
		m.sent[kindIntake].Add(1)
		began := time.Now()
		o := m.intake(client, n)
		m.took(kindIntake, time.Since(began))
		if o == failed {
			m.failed(kindIntake, m.intakeErr.get())
		}
		return o
	}
	m.sent[kind].Add(1)
	began := time.Now()
	res, err := client.Do(req)
	if err != nil {
		m.failed(kind, kindNames[kind]+": "+err.Error())
		return failed
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m.took(kind, time.Since(began))
	o := classify(res.StatusCode)
	switch {
	case o == answered && (kind == kindCase || kind == kindAction):
		c.saw(b)
	case o == failed:
		m.failed(kind, fmt.Sprintf("%s %s: %d %.200s", req.Method, req.URL.Path, res.StatusCode, b))
	}
	return o
}

// intake is the mix's intake: the seeding sender, made once.
func (m *mixer) intake(client *http.Client, n int64) outcome {
	m.intakeOnce.Do(func() { m.intakeSend = m.intakeSender() })
	return m.intakeSend(client, n)
}

// buildJiefen builds ./cmd/jiefen of this module into dir.
func buildJiefen(dir string) (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", err
	}
	root := filepath.Dir(strings.TrimSpace(string(out)))
	bin := filepath.Join(dir, "jiefen")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/jiefen")
	cmd.Dir, cmd.Stdout, cmd.Stderr = root, os.Stderr, os.Stderr
	return bin, cmd.Run()
}

// jiefenRun runs a jiefen command to its end, with stdin as its input.
func jiefenRun(bin string, env []string, stdin string, args ...string) error {
	cmd := exec.Command(bin, args...)
	cmd.Env, cmd.Stdin = env, strings.NewReader(stdin+"\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("jiefen %s: %v: %s", strings.Join(args, " "), err, out)
	}
	return nil
}

// startServe starts `jiefen serve` on a free port and waits until it is
// ready.
func startServe(bin string, env []string, logPath string) (*jiefenProc, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	p := &jiefenProc{cmd: exec.Command(bin, "serve"), base: "http://" + addr, log: logPath, done: make(chan struct{})}
	p.cmd.Env = append(env, "JIEFEN_HTTP_ADDR="+addr)
	p.cmd.Stdout, p.cmd.Stderr = logf, logf
	// Killed with the bench, should it die first.
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := p.cmd.Start(); err != nil {
		logf.Close()
		return nil, err
	}
	go func() { p.cmd.Wait(); logf.Close(); close(p.done) }()
	deadline := time.Now().Add(time.Minute)
	for {
		select {
		case <-p.done:
			return nil, fmt.Errorf("jiefen serve exited: %s", p.tail())
		default:
		}
		res, err := http.Get(p.base + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return p, nil
			}
		}
		if time.Now().After(deadline) {
			p.stop()
			return nil, fmt.Errorf("jiefen serve was not ready within a minute: %s", p.tail())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// stop ends the process gracefully (SIGTERM), or kills it after 30 s.
func (p *jiefenProc) stop() {
	select {
	case <-p.done:
		return
	default:
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(30 * time.Second):
		p.cmd.Process.Kill()
		<-p.done
	}
}

// tail is the end of the process's log.
func (p *jiefenProc) tail() string {
	b, _ := os.ReadFile(p.log)
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return string(bytes.TrimSpace(b))
}

// mixedLogin logs user in and returns the token.
func mixedLogin(base, user string) (string, error) {
	body, _ := json.Marshal(map[string]string{"username": user, "password": mixedPassword})
	res, err := http.Post(base+"/api/v1/auth/login", "application/json", bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	var out struct{ Token string }
	json.NewDecoder(res.Body).Decode(&out)
	if res.StatusCode != http.StatusOK || out.Token == "" {
		return "", fmt.Errorf("login of %s: %d", user, res.StatusCode)
	}
	return out.Token, nil
}

// openPlain opens the database of dsn with database/sql, times parsed.
func openPlain(dsn string) (*sql.DB, error) {
	cfg, err := mysqldriver.ParseDSN(dsn)
	if err != nil {
		return nil, err
	}
	cfg.ParseTime = true
	return sql.Open("mysql", cfg.FormatDSN())
}

// onNode is the DSN of db's database (a full DSN) on the server node (a
// server DSN): the node's address and account, db's database and settings.
func onNode(node, db string) (string, error) {
	n, err := mysqldriver.ParseDSN(node)
	if err != nil {
		return "", fmt.Errorf("-nodes: %w", err)
	}
	d, err := mysqldriver.ParseDSN(db)
	if err != nil {
		return "", err
	}
	d.Net, d.Addr, d.User, d.Passwd = n.Net, n.Addr, n.User, n.Passwd
	return d.FormatDSN(), nil
}
