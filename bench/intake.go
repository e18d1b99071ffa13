package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/gin-gonic/gin"
	mysqldriver "github.com/go-sql-driver/mysql"
	"gorm.io/driver/mysql"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"jiefen"
	"jiefen/calendar"
	"jiefen/configs"
	"jiefen/internal/auth"
	"jiefen/internal/httpapi"
	"jiefen/internal/live"
	"jiefen/internal/sqlstore"
	"jiefen/internal/wiring"
	"jiefen/routing"
)

// intakeOptions configure the intake scenario.
type intakeOptions struct {
	dsn      string // MySQL server DSN (a database per peer is created on it)
	conns    int
	duration time.Duration
	rounds   int
	sqlite   bool // measure jiefen on SQLite as well (no naive peer there)
	// cpuProfile, when set, receives a CPU profile of jiefen's first run.
	cpuProfile string
	// rate > 0 loads in open loop at this many requests per second.
	rate float64
	// preload, when set, are sizes of jiefen's table of disputes (in
	// increasing order): after the alternated rounds, jiefen's database is
	// filled up to each size in turn through the API (64 connections) and
	// jiefen alone is measured there again, rounds times.
	preload []int
	// frequent adds rounds of jiefen in which every intake names one
	// respondent (an employer in wage disputes) beside a different
	// applicant, and as many rounds of the same wage disputes against a
	// different respondent each time, alternated with the others on the
	// same database, so that the employer's history grows as the rounds go.
	frequent bool
}

// intakeSummary are the key figures of the intake scenario.
type intakeSummary struct {
	jiefen, naive result // medians of the alternated rounds
	// frequent and wages are the medians of the rounds with one
	// respondent and with all-distinct respondents (with -frequent), and
	// frequentHistory the employer's disputes on record when they ended.
	frequent, wages result
	frequentHistory int
	// levels are the medians measured at each preload size.
	levels []preloadLevel
}

// preloadLevel is jiefen measured with about size disputes in its
// database (size when the measurement began).
type preloadLevel struct {
	size int
	res  result
	// dbCPU is the median CPU time the database spent per request, in
	// µs: where the growth with the table's size shows.
	dbCPU float64
}

func runIntake(o intakeOptions) (intakeSummary, error) {
	var sum intakeSummary
	gin.SetMode(gin.ReleaseMode)
	ctx := context.Background()
	fast, closeFast, err := startJiefen(ctx, "mysql", o.dsn, "fast")
	if err != nil {
		return sum, err
	}
	closeFast = sync.OnceFunc(closeFast)
	defer closeFast()
	naive, closeNaive, err := startNaive(o.dsn)
	if err != nil {
		return sum, err
	}
	defer closeNaive()
	spec := loadSpec{conns: o.conns, duration: o.duration, rate: o.rate}
	conns := fmt.Sprintf("%d connections", o.conns)
	if o.rate > 0 {
		conns = fmt.Sprintf("open loop at %.0f req/s (at most %d in flight)", o.rate, o.conns)
	}
	fmt.Printf("intake: POST /api/v1/disputes, %s, %s per run, %d rounds alternated, MariaDB at %s\n",
		conns, o.duration, o.rounds, hostOf(o.dsn))
	var fr, nr, qr, wr []result
	for r := 0; r < o.rounds; r++ {
		if o.cpuProfile != "" && r == 0 {
			f, err := os.Create(o.cpuProfile)
			if err != nil {
				return sum, err
			}
			pprof.StartCPUProfile(f)
			fr = append(fr, load(fast, spec))
			pprof.StopCPUProfile()
			f.Close()
		} else {
			fr = append(fr, load(fast, spec))
		}
		nr = append(nr, load(naive, spec))
		fmt.Printf("  round %d: jiefen %7.0f req/s (p99 %6.1f ms, %d errors)   naive %7.0f req/s (p99 %6.1f ms, %d errors)\n", r+1,
			fr[r].rps(), ms(fr[r].p99), fr[r].errors, nr[r].rps(), ms(nr[r].p99), nr[r].errors)
		fs, fd := fr[r].cpuPerRequest()
		ns, nd := nr[r].cpuPerRequest()
		fmt.Printf("           cpu/request: jiefen %4.0f µs here + %4.0f µs database   naive %4.0f µs here + %4.0f µs database\n", fs, fd, ns, nd)
		if o.frequent {
			var first firstError
			w := runLoad(spec, wageSender(fast, distinctRespondent, &first))
			q := runLoad(spec, wageSender(fast, oneRespondent, &first))
			wr, qr = append(wr, w), append(qr, q)
			if e := first.get(); e != "" {
				fmt.Fprintf(os.Stderr, "  first error: %s\n", e)
			}
			ws, wd := w.cpuPerRequest()
			qs, qd := q.cpuPerRequest()
			fmt.Printf("           wages, distinct respondents: jiefen %7.0f req/s (p99 %6.1f ms, %d errors), cpu/request %4.0f µs here + %4.0f µs database\n",
				w.rps(), ms(w.p99), w.errors, ws, wd)
			fmt.Printf("           wages, one respondent:       jiefen %7.0f req/s (p99 %6.1f ms, %d errors), cpu/request %4.0f µs here + %4.0f µs database\n",
				q.rps(), ms(q.p99), q.errors, qs, qd)
		}
	}
	f, n := medianResult(fr), medianResult(nr)
	sum.jiefen, sum.naive = f, n
	if o.frequent {
		w, q := medianResult(wr), medianResult(qr)
		sum.wages, sum.frequent = w, q
		// Only oneRespondent's intakes name the employer.
		fast.db.SQL().QueryRowContext(ctx, "SELECT COUNT(*) FROM disputes WHERE source_ref LIKE '12345-one-%'").Scan(&sum.frequentHistory)
		fmt.Printf("  median   jiefen %7.0f req/s  p50 %6.1f ms  p99 %6.1f ms  wage disputes, a different respondent each\n", w.rps(), ms(w.p50), ms(w.p99))
		fmt.Printf("  median   jiefen %7.0f req/s  p50 %6.1f ms  p99 %6.1f ms  wage disputes against one employer (%d of theirs on record at the end)\n",
			q.rps(), ms(q.p50), ms(q.p99), sum.frequentHistory)
		fmt.Printf("  frequent %.2f× the requests per second with all-distinct respondents (target ≥ 0.90)\n", q.rps()/w.rps())
	}
	fmt.Printf("  median   jiefen %7.0f req/s  p50 %6.1f ms  p99 %6.1f ms\n", f.rps(), ms(f.p50), ms(f.p99))
	fmt.Printf("  median   naive  %7.0f req/s  p50 %6.1f ms  p99 %6.1f ms\n", n.rps(), ms(n.p50), ms(n.p99))
	fmt.Printf("  ratio    %.2f× the naive peer's requests per second; p99 %.2f× its p99\n", f.rps()/n.rps(), ms(f.p99)/ms(n.p99))
	// The preload sizes, on a database of their own so that the first
	// starts small.
	grow := fast
	if len(o.preload) > 0 {
		closeFast() // done with it
		g, closeGrow, err := startJiefen(ctx, "mysql", o.dsn, "preload")
		if err != nil {
			return sum, err
		}
		defer closeGrow()
		grow = g
	}
	for _, size := range o.preload {
		have, err := countDisputes(ctx, grow.db)
		if err != nil {
			return sum, err
		}
		if have < size {
			began := time.Now()
			var first firstError
			s := runLoad(loadSpec{conns: 64, total: int64(size - have)}, intakeSender(grow, intakeTowns, nil, &first))
			fmt.Fprintf(os.Stderr, "  preloaded %d disputes through the API in %.1f s (%.0f/s, %d errors)\n",
				s.requests, time.Since(began).Seconds(), s.rps(), s.errors)
			if e := first.get(); e != "" {
				fmt.Fprintf(os.Stderr, "  first error: %s\n", e)
			}
			if have, err = countDisputes(ctx, grow.db); err != nil {
				return sum, err
			}
		}
		var rs []result
		for range o.rounds {
			rs = append(rs, load(grow, spec))
		}
		m := medians(rs)
		after, _ := countDisputes(ctx, grow.db)
		fmt.Printf("  preload  jiefen %7.0f req/s  p50 %6.1f ms  p99 %6.1f ms (%d errors) with %d disputes before (%d after)\n",
			m.rps(), ms(m.p50), ms(m.p99), m.errors, have, after)
		// Where the cost grows: the CPU per request of the rounds, here
		// and in MariaDB.
		var self, db []float64
		for _, r := range rs {
			a, b := r.cpuPerRequest()
			self, db = append(self, a), append(db, b)
		}
		slices.Sort(self)
		slices.Sort(db)
		fmt.Printf("           cpu/request: %4.0f µs here + %4.0f µs database\n", self[len(self)/2], db[len(db)/2])
		sum.levels = append(sum.levels, preloadLevel{size: have, res: m, dbCPU: db[len(db)/2]})
	}
	if len(sum.levels) > 1 {
		a, b := sum.levels[0], sum.levels[len(sum.levels)-1]
		fmt.Printf("  growth   p99 with %d disputes is %.2f× the p99 with %d (target ≤ 1.20)\n", b.size, ms(b.res.p99)/ms(a.res.p99), a.size)
	}
	if o.sqlite {
		dir, err := os.MkdirTemp("", "jiefen-bench")
		if err != nil {
			return sum, err
		}
		defer os.RemoveAll(dir)
		lite, closeLite, err := startJiefen(ctx, "sqlite", dir+"/bench.db", "lite")
		if err != nil {
			return sum, err
		}
		defer closeLite()
		s := load(lite, spec)
		fmt.Printf("  sqlite   jiefen %7.0f req/s  p50 %6.1f ms  p99 %6.1f ms (%d errors)\n", s.rps(), ms(s.p50), ms(s.p99), s.errors)
	}
	return sum, nil
}

// intakeTowns are the townships the intake load registers disputes in.
var intakeTowns = []string{"汝州市钟楼街道", "汝州市煤山街道", "汝州市风穴路街道", "汝州市温泉镇", "汝州市骑岭乡", "汝州市小屯镇"}

// firstError keeps the first error of a run, for the report; a nil one
// keeps nothing.
type firstError struct {
	mu sync.Mutex
	s  string
}

func (f *firstError) set(s string) {
	if f == nil {
		return
	}
	f.mu.Lock()
	if f.s == "" {
		f.s = s
	}
	f.mu.Unlock()
}

func (f *firstError) get() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.s
}

// countDisputes is the number of disputes in jiefen's database.
func countDisputes(ctx context.Context, db *sqlstore.DB) (int, error) {
	var n int
	err := db.SQL().QueryRowContext(ctx, "SELECT COUNT(*) FROM disputes").Scan(&n)
	return n, err
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func hostOf(dsn string) string {
	cfg, err := mysqldriver.ParseDSN(dsn)
	if err != nil {
		return "?"
	}
	return cfg.Addr
}

// target is a server under load: its base URL and the headers each
// request carries.
type target struct {
	url     string
	headers map[string]string
	idem    bool
	// more are further base URLs (replicas) that requests take in turn
	// with url; db is jiefen's store when it runs in this process.
	more []string
	db   *sqlstore.DB
}

// at is the URL request n goes to: the replicas in turn.
func (t target) at(n int64) string {
	if len(t.more) == 0 {
		return t.url
	}
	if i := int(n % int64(len(t.more)+1)); i > 0 {
		return t.more[i-1]
	}
	return t.url
}

// startJiefen runs the real service, everything on, against a fresh
// database, with the model city's orgs and rules, two mediators per
// township committee, and an intake desk logged in.
func startJiefen(ctx context.Context, driver, dsn, tag string) (target, func(), error) {
	o := sqlstore.Options{Driver: driver, DSN: dsn, MaxOpenConns: 64, MaxIdleConns: 64, ConnMaxLifetime: 5 * time.Minute, ConnMaxIdleTime: time.Minute, Keys: benchKeys()}
	var drop func()
	if driver == "mysql" {
		var err error
		if o.DSN, drop, err = freshDatabase(dsn, "jiefen_bench_"+tag); err != nil {
			return target{}, nil, err
		}
	}
	db, err := sqlstore.Open(ctx, o)
	if err != nil {
		return target{}, nil, err
	}
	if _, err := db.Migrate(ctx); err != nil {
		return target{}, nil, err
	}
	c := configs.Default()
	shipped, _ := configs.Holidays()
	clocks, _ := configs.Rules("")
	cal := live.NewCalendar(db, shipped, calendar.Options{}, time.Minute)
	sys := jiefen.NewContextWithActor(ctx, jiefen.Actor{Username: "bench"})
	orgs, _ := configs.SeedOrgs("")
	if _, err := db.Orgs.EnsureOrgs(sys, orgs); err != nil {
		return target{}, nil, err
	}
	set, _ := configs.RoutingRules("")
	if _, err := db.Routing.PutRoutingRules(sys, set, 0, func(k func(string) bool) error { return set.Validate(k, clocks) }); err != nil {
		return target{}, nil, err
	}
	hasher := auth.Hasher{MemoryKiB: 64, Time: 1}
	for _, org := range set.Townships {
		for i := 1; i <= 2; i++ {
			u, h, _ := httpapi.NewUser(hasher, auth.DefaultPasswordPolicy(), fmt.Sprintf("m-%s-%d", org, i), "Bench-Pass-1", jiefen.RoleMediator, org, "")
			if _, err := db.Users.CreateUser(sys, u, h); err != nil {
				return target{}, nil, err
			}
		}
	}
	u, h, _ := httpapi.NewUser(hasher, auth.DefaultPasswordPolicy(), "desk", "Bench-Pass-1", jiefen.RoleIntake, "", "")
	if _, err := db.Users.CreateUser(sys, u, h); err != nil {
		return target{}, nil, err
	}
	routes := live.NewRouting(db, cal, clocks, 10*time.Second)
	pol := sqlstore.IntakePolicy{Policy: routing.Policy{CodePrefix: "RZ", MediatorCapacity: c.Routing.MediatorCapacity, RepeatWindowDays: 180}, IdempotencyTTL: 24 * time.Hour}
	api, err := httpapi.New(wiring.API(db), httpapi.Options{BodyLimit: c.HTTP.BodyLimit, RetryAfter: 5,
		Sessions: auth.SessionPolicy{Idle: time.Hour, Absolute: 12 * time.Hour}, SessionCache: c.Auth.SessionCache,
		PasswordPolicy: live.NewPasswordPolicy(db, auth.DefaultPasswordPolicy(), 10*time.Second),
		IdempotencyTTL: 24 * time.Hour, Hasher: hasher, Holidays: cal, Rules: clocks,
		Routing: routes, Intake: pol, Intaker: sqlstore.NewIntaker(db, pol, routes.Router, 64),
	}, slog.New(slog.NewJSONHandler(io.Discard, nil)))
	if err != nil {
		return target{}, nil, err
	}
	url, stop, err := serve(api.Handler())
	if err != nil {
		return target{}, nil, err
	}
	res, err := http.Post(url+"/api/v1/auth/login", "application/json", bytes.NewReader([]byte(`{"username":"desk","password":"Bench-Pass-1"}`)))
	if err != nil {
		return target{}, nil, err
	}
	var login struct{ Token string }
	json.NewDecoder(res.Body).Decode(&login)
	res.Body.Close()
	return target{url: url + "/api/v1/disputes", headers: map[string]string{"Authorization": "Bearer " + login.Token}, idem: true, db: db},
		func() {
			stop()
			db.Close()
			if drop != nil {
				drop()
			}
		}, nil
}

// naiveDispute is the naive peer's row: the request as it came, one row.
type naiveDispute struct {
	ID          uint `gorm:"primaryKey"`
	Title       string
	Description string
	Category    string
	Source      string
	SourceRef   string
	Township    string
	AmountFen   int64
	OccurredOn  string
	Parties     string
	CreatedAt   time.Time
}

// startNaive runs the peer a first version would be: a bare gin handler
// that binds the same JSON and inserts one row per request with gorm's
// defaults, into the same MariaDB.
func startNaive(dsn string) (target, func(), error) {
	d, drop, err := freshDatabase(dsn, "jiefen_bench_naive")
	if err != nil {
		return target{}, nil, err
	}
	cfg, _ := mysqldriver.ParseDSN(d)
	cfg.ParseTime = true // what such a project sets, and no more
	g, err := gorm.Open(mysql.Open(cfg.FormatDSN()), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		return target{}, nil, err
	}
	if err := g.AutoMigrate(&naiveDispute{}); err != nil {
		return target{}, nil, err
	}
	r := gin.New()
	r.POST("/api/v1/disputes", func(c *gin.Context) {
		var req struct {
			Title       string           `json:"title"`
			Description string           `json:"description"`
			Category    string           `json:"category"`
			Source      string           `json:"source"`
			SourceRef   string           `json:"source_ref"`
			Township    string           `json:"township"`
			AmountFen   int64            `json:"amount_fen"`
			OccurredOn  string           `json:"occurred_on"`
			Parties     []map[string]any `json:"parties"`
		}
		if err := c.ShouldBindJSON(&req); err != nil {
			c.JSON(400, gin.H{"error": err.Error()})
			return
		}
		parties, _ := json.Marshal(req.Parties)
		row := naiveDispute{Title: req.Title, Description: req.Description, Category: req.Category, Source: req.Source,
			SourceRef: req.SourceRef, Township: req.Township, AmountFen: req.AmountFen, OccurredOn: req.OccurredOn, Parties: string(parties)}
		if err := g.Create(&row).Error; err != nil {
			c.JSON(500, gin.H{"error": err.Error()})
			return
		}
		c.JSON(201, row)
	})
	url, stop, err := serve(r)
	if err != nil {
		return target{}, nil, err
	}
	sqlDB, _ := g.DB()
	return target{url: url + "/api/v1/disputes"}, func() { stop(); sqlDB.Close(); drop() }, nil
}

func serve(h http.Handler) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String(), func() { srv.Close() }, nil
}

// freshDatabase creates an empty database named name on the server of dsn.
func freshDatabase(dsn, name string) (string, func(), error) {
	cfg, err := mysqldriver.ParseDSN(dsn)
	if err != nil {
		return "", nil, err
	}
	cfg.DBName = ""
	admin, err := gorm.Open(mysql.Open(cfg.FormatDSN()), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		return "", nil, err
	}
	admin.Exec("DROP DATABASE IF EXISTS " + name)
	if err := admin.Exec("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin").Error; err != nil {
		return "", nil, err
	}
	cfg.DBName = name
	sqlDB, _ := admin.DB()
	return cfg.FormatDSN(), func() { admin.Exec("DROP DATABASE IF EXISTS " + name); sqlDB.Close() }, nil
}

// load sends intakes to t as spec says and measures them.
func load(t target, spec loadSpec) result {
	return runLoad(spec, intakeSender(t, intakeTowns, nil, nil))
}

// intakeSender registers dispute number seq: a police referral of a
// neighbours' dispute in one of towns (in turn), with a fresh
// Idempotency-Key when t asks for them. Every answer but 201 is an error,
// and the first is kept in first, when set. Each created dispute's answer
// goes to created, when set.
func intakeSender(t target, towns []string, created func(body []byte), first *firstError) sender {
	ids := applicantIDs()
	run := time.Now().UnixNano()
	return func(client *http.Client, n int64) outcome {
		body, _ := json.Marshal(map[string]any{"title": "邻里排水纠纷", "description": "雨水排向邻居院内", "category": "neighbour",
			"source": "police", "source_ref": fmt.Sprintf("110-%d", n), "township": towns[int(n)%len(towns)],
			"amount_fen": 120000, "occurred_on": "2025-03-01",
			"parties": []map[string]any{{"role": "applicant", "name": "张三", "id_number": ids[int(n)%len(ids)], "phone": "13812345678"},
				{"role": "respondent", "name": "李四", "phone": "0375-1234567"}}})
		req, _ := http.NewRequest("POST", t.at(n), bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		for k, v := range t.headers {
			req.Header.Set(k, v)
		}
		if t.idem {
			req.Header.Set("Idempotency-Key", fmt.Sprintf("bench-%d-%d", run, n))
		}
		res, err := client.Do(req)
		if err != nil {
			first.set("POST /api/v1/disputes: " + err.Error())
			return failed
		}
		defer res.Body.Close()
		if res.StatusCode != http.StatusCreated {
			b, _ := io.ReadAll(res.Body)
			first.set(fmt.Sprintf("POST /api/v1/disputes: %d %.200s", res.StatusCode, b))
			return failed
		}
		if created == nil {
			io.Copy(io.Discard, res.Body)
		} else if b, err := io.ReadAll(res.Body); err == nil {
			created(b)
		}
		return answered
	}
}

// oneRespondent names the same employer in every intake: a party whose
// history grows with every intake.
func oneRespondent(ids []string, n int64) (string, string) { return "one", "410482197003150034" }

// distinctRespondent names a different respondent in every intake (of
// 20,000 people, none of them an applicant of the same request).
func distinctRespondent(ids []string, n int64) (string, string) {
	return "distinct", ids[(int(n)+10_000)%len(ids)]
}

// wageSender registers wage disputes (labour), each brought by a different
// worker against the respondent named by respondent: the same request
// whether every intake names one employer or each its own.
func wageSender(t target, respondent func(ids []string, n int64) (string, string), first *firstError) sender {
	ids := applicantIDs()
	run := time.Now().UnixNano()
	return func(client *http.Client, n int64) outcome {
		shape, id := respondent(ids, n)
		body, _ := json.Marshal(map[string]any{"title": "拖欠工资纠纷", "description": "工程完工后工资未结清", "category": "labour",
			"source": "hotline", "source_ref": fmt.Sprintf("12345-%s-%d-%d", shape, run, n), "township": intakeTowns[int(n)%len(intakeTowns)],
			"amount_fen": 860000, "occurred_on": "2025-03-01",
			"parties": []map[string]any{{"role": "applicant", "name": "张三", "id_number": ids[int(n)%len(ids)], "phone": "13812345678"},
				{"role": "respondent", "name": "王五", "id_number": id, "phone": "0375-1234567"}}})
		req, _ := http.NewRequest("POST", t.at(n), bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		for k, v := range t.headers {
			req.Header.Set(k, v)
		}
		req.Header.Set("Idempotency-Key", fmt.Sprintf("bench-%s-%d-%d", shape, run, n))
		res, err := client.Do(req)
		if err != nil {
			first.set("POST /api/v1/disputes: " + err.Error())
			return failed
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusCreated {
			first.set(fmt.Sprintf("POST /api/v1/disputes: %d %.200s", res.StatusCode, b))
			return failed
		}
		return answered
	}
}

// applicantIDs returns valid resident ID numbers for the applicants of the
// load: many people, a few of them coming back (repeats).
func applicantIDs() []string {
	var out []string
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	for i := 0; i < 20000; i++ {
		body := fmt.Sprintf("410482%04d%02d%02d%03d", 1950+i%50, 1+i%12, 1+i%28, i%1000)
		sum := 0
		for j, w := range weights {
			sum += int(body[j]-'0') * w
		}
		out = append(out, body+string("10X98765432"[sum%11]))
	}
	return out
}

// processCPU is the CPU time this process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// databaseCPU is the CPU time used by a MariaDB or MySQL server running on
// this machine (Linux /proc; the clock ticks are 100 Hz there), or 0.
func databaseCPU() time.Duration {
	dirs, _ := os.ReadDir("/proc")
	var total time.Duration
	for _, d := range dirs {
		comm, err := os.ReadFile("/proc/" + d.Name() + "/comm")
		if err != nil {
			continue
		}
		if name := strings.TrimSpace(string(comm)); name != "mariadbd" && name != "mysqld" {
			continue
		}
		stat, err := os.ReadFile("/proc/" + d.Name() + "/stat")
		if err != nil {
			continue
		}
		// The fields after the command (which is in parentheses): utime and
		// stime are the 12th and 13th.
		f := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
		if len(f) > 12 {
			u, _ := strconv.ParseInt(f[11], 10, 64)
			s, _ := strconv.ParseInt(f[12], 10, 64)
			total += time.Duration(u+s) * 10 * time.Millisecond
		}
	}
	return total
}
