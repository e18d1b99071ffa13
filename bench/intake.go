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
	"sync/atomic"
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
}

// result is one measured run.
type result struct {
	requests int
	errors   int
	elapsed  time.Duration
	p50, p99 time.Duration
	// CPU time spent during the run by this process (both servers and the
	// load generator; only one server is loaded at a time) and by the
	// database server, when it runs on this machine (else 0).
	cpu, dbCPU time.Duration
}

// cpuPerRequest is the CPU time the run cost per request, in µs: this
// process and the database server.
func (r result) cpuPerRequest() (self, db float64) {
	n := float64(max(r.requests, 1))
	return float64(r.cpu.Microseconds()) / n, float64(r.dbCPU.Microseconds()) / n
}

func (r result) rps() float64 { return float64(r.requests) / r.elapsed.Seconds() }

func runIntake(o intakeOptions) error {
	gin.SetMode(gin.ReleaseMode)
	ctx := context.Background()
	fast, closeFast, err := startJiefen(ctx, "mysql", o.dsn, "fast")
	if err != nil {
		return err
	}
	defer closeFast()
	naive, closeNaive, err := startNaive(o.dsn)
	if err != nil {
		return err
	}
	defer closeNaive()
	fmt.Printf("intake: POST /api/v1/disputes, %d connections, %s per run, %d rounds alternated, MariaDB at %s\n",
		o.conns, o.duration, o.rounds, hostOf(o.dsn))
	var fr, nr []result
	for r := 0; r < o.rounds; r++ {
		if o.cpuProfile != "" && r == 0 {
			f, err := os.Create(o.cpuProfile)
			if err != nil {
				return err
			}
			pprof.StartCPUProfile(f)
			fr = append(fr, load(fast, o.conns, o.duration))
			pprof.StopCPUProfile()
			f.Close()
		} else {
			fr = append(fr, load(fast, o.conns, o.duration))
		}
		nr = append(nr, load(naive, o.conns, o.duration))
		fmt.Printf("  round %d: jiefen %7.0f req/s (p99 %6.1f ms, %d errors)   naive %7.0f req/s (p99 %6.1f ms, %d errors)\n", r+1,
			fr[r].rps(), ms(fr[r].p99), fr[r].errors, nr[r].rps(), ms(nr[r].p99), nr[r].errors)
		fs, fd := fr[r].cpuPerRequest()
		ns, nd := nr[r].cpuPerRequest()
		fmt.Printf("           cpu/request: jiefen %4.0f µs here + %4.0f µs database   naive %4.0f µs here + %4.0f µs database\n", fs, fd, ns, nd)
	}
	f, n := medianResult(fr), medianResult(nr)
	fmt.Printf("  median   jiefen %7.0f req/s  p50 %6.1f ms  p99 %6.1f ms\n", f.rps(), ms(f.p50), ms(f.p99))
	fmt.Printf("  median   naive  %7.0f req/s  p50 %6.1f ms  p99 %6.1f ms\n", n.rps(), ms(n.p50), ms(n.p99))
	fmt.Printf("  ratio    %.2f× the naive peer's requests per second; p99 %.2f× its p99\n", f.rps()/n.rps(), ms(f.p99)/ms(n.p99))
	if o.sqlite {
		dir, err := os.MkdirTemp("", "jiefen-bench")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		lite, closeLite, err := startJiefen(ctx, "sqlite", dir+"/bench.db", "lite")
		if err != nil {
			return err
		}
		defer closeLite()
		s := load(lite, o.conns, o.duration)
		fmt.Printf("  sqlite   jiefen %7.0f req/s  p50 %6.1f ms  p99 %6.1f ms (%d errors)\n", s.rps(), ms(s.p50), ms(s.p99), s.errors)
	}
	return nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func hostOf(dsn string) string {
	cfg, err := mysqldriver.ParseDSN(dsn)
	if err != nil {
		return "?"
	}
	return cfg.Addr
}

func medianResult(rs []result) result {
	s := slices.Clone(rs)
	slices.SortFunc(s, func(a, b result) int {
		switch {
		case a.rps() < b.rps():
			return -1
		case a.rps() > b.rps():
			return 1
		}
		return 0
	})
	return s[len(s)/2]
}

// target is a server under load: its base URL and the headers each
// request carries.
type target struct {
	url     string
	headers map[string]string
	idem    bool
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
	cal := live.NewCalendar(db, shipped, calendar.RollRestDays, time.Minute)
	sys := jiefen.NewContextWithActor(ctx, jiefen.Actor{Username: "bench"})
	orgs, _ := configs.SeedOrgs("")
	if _, err := db.EnsureOrgs(sys, orgs); err != nil {
		return target{}, nil, err
	}
	set, _ := configs.RoutingRules("")
	if _, err := db.PutRoutingRules(sys, set, 0, func(k func(string) bool) error { return set.Validate(k, clocks) }); err != nil {
		return target{}, nil, err
	}
	hasher := auth.Hasher{MemoryKiB: 64, Time: 1}
	for _, org := range set.Townships {
		for i := 1; i <= 2; i++ {
			u, h, _ := httpapi.NewUser(hasher, fmt.Sprintf("m-%s-%d", org, i), "Bench-Pass-1", jiefen.RoleMediator, org)
			if _, err := db.CreateUser(sys, u, h); err != nil {
				return target{}, nil, err
			}
		}
	}
	u, h, _ := httpapi.NewUser(hasher, "desk", "Bench-Pass-1", jiefen.RoleIntake, "")
	if _, err := db.CreateUser(sys, u, h); err != nil {
		return target{}, nil, err
	}
	routes := live.NewRouting(db, cal, clocks, 10*time.Second)
	pol := sqlstore.IntakePolicy{CodePrefix: "RZ", MediatorCapacity: c.Routing.MediatorCapacity, RepeatWindowDays: 180, IdempotencyTTL: 24 * time.Hour}
	api, err := httpapi.New(db, httpapi.Options{BodyLimit: c.HTTP.BodyLimit, RetryAfter: 5,
		Sessions: auth.SessionPolicy{Idle: time.Hour, Absolute: 12 * time.Hour}, SessionCache: c.Auth.SessionCache,
		Lockout:        auth.Lockout{Failures: 5, Window: 15 * time.Minute, Duration: 30 * time.Minute},
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
	return target{url: url + "/api/v1/disputes", headers: map[string]string{"Authorization": "Bearer " + login.Token}, idem: true},
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

// load sends intakes from conns connections for d and measures them.
func load(t target, conns int, d time.Duration) result {
	ids := applicantIDs()
	towns := []string{"汝州市钟楼街道", "汝州市煤山街道", "汝州市风穴路街道", "汝州市温泉镇", "汝州市骑岭乡", "汝州市小屯镇"}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var lat []time.Duration
	var errs atomic.Int64
	var seq atomic.Int64
	deadline := time.Now().Add(d)
	start := time.Now()
	cpu0, db0 := processCPU(), databaseCPU()
	for i := 0; i < conns; i++ {
		wg.Add(1)
		go func(worker int) {
			defer wg.Done()
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1, MaxConnsPerHost: 1}}
			var mine []time.Duration
			for time.Now().Before(deadline) {
				n := seq.Add(1)
				body, _ := json.Marshal(map[string]any{"title": "邻里排水纠纷", "description": "雨水排向邻居院内", "category": "neighbour",
					"source": "police", "source_ref": fmt.Sprintf("110-%d", n), "township": towns[int(n)%len(towns)],
					"amount_fen": 120000, "occurred_on": "2025-03-01",
					"parties": []map[string]any{{"role": "applicant", "name": "张三", "id_number": ids[int(n)%len(ids)], "phone": "13812345678"},
						{"role": "respondent", "name": "李四", "phone": "0375-1234567"}}})
				req, _ := http.NewRequest("POST", t.url, bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				for k, v := range t.headers {
					req.Header.Set(k, v)
				}
				if t.idem {
					req.Header.Set("Idempotency-Key", fmt.Sprintf("bench-%d-%d", start.UnixNano(), n))
				}
				began := time.Now()
				res, err := client.Do(req)
				if err != nil {
					errs.Add(1)
					continue
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != http.StatusCreated {
					errs.Add(1)
					continue
				}
				mine = append(mine, time.Since(began))
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}(i)
	}
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(lat)
	r := result{requests: len(lat), errors: int(errs.Load()), elapsed: elapsed, cpu: processCPU() - cpu0, dbCPU: databaseCPU() - db0}
	if len(lat) > 0 {
		r.p50, r.p99 = lat[len(lat)/2], lat[len(lat)*99/100]
	}
	return r
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
