package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	mysqldriver "github.com/go-sql-driver/mysql"
	"github.com/prometheus/client_golang/prometheus"

	"jiefen"
	"jiefen/calendar"
	"jiefen/configs"
	"jiefen/internal/auth"
	"jiefen/internal/courtfile"
	"jiefen/internal/httpapi"
	"jiefen/internal/live"
	"jiefen/internal/schedule"
	"jiefen/internal/sqlstore"
	"jiefen/litigation"
	"jiefen/mediation"
	"jiefen/reconsideration"
)

// env is the process's outside world, passed in so that tests can run
// commands in-process.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	lookup         func(string) (string, bool)
}

const usage = `jiefen（解纷）：矛盾纠纷多元化解与行政应诉监测服务

用法：jiefen [命令] [选项]

命令：
  serve [--config FILE]                    启动服务（默认命令；首次启动时建库并迁移）
  migrate [--config FILE]                  执行未完成的数据库迁移
  user create --username U --role ROLE [--org CODE] [--name 姓名] --password-stdin [--config FILE]
                                           创建账号（主机引导，可创建任何角色，记入审计日志）
  calendar import [--year Y] [--config FILE] FILE
                                           导入某年国务院节假日安排（与 PUT /api/v1/calendar/{year} 相同）
  demo [--disputes N] [--seed S] [--accounts-file FILE] [--config FILE]
                                           载入汝州市演示数据，账号与密码写入 demo-accounts.txt
  import --user U [--json] [--config FILE] FILE.csv|FILE.xlsx
                                           以用户 U 的名义导入法院案件台账
  keys new FILE                            生成新的密钥文件（个人信息加密与审计链）
  keys rotate [--config FILE]              新增数据密钥并用它重新加密全部个人信息
  help                                     显示本说明（也可用 -h、--help）

配置：内置 configs/config.yaml，其次 --config FILE，再次 JIEFEN_* 环境变量（见 README）。
`

// isHelp reports whether arg asks for the list of commands.
func isHelp(arg string) bool {
	return arg == "-h" || arg == "-help" || arg == "--help"
}

// run executes one command and returns the process exit code.
func run(ctx context.Context, args []string, e env) int {
	gin.SetMode(gin.ReleaseMode) // gin's mode is process-wide; no debug route dump
	cmd := "serve"
	if len(args) > 0 && (!strings.HasPrefix(args[0], "-") || isHelp(args[0])) {
		cmd, args = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "serve":
		err = serveCmd(ctx, args, e)
	case "migrate":
		err = migrateCmd(ctx, args, e)
	case "user":
		if len(args) == 0 || args[0] != "create" {
			err = errors.New("want: jiefen user create …")
			break
		}
		cmd, err = "user create", userCreateCmd(ctx, args[1:], e)
	case "calendar":
		if len(args) == 0 || args[0] != "import" {
			err = errors.New("want: jiefen calendar import [--year Y] FILE")
			break
		}
		cmd, err = "calendar import", calendarImportCmd(ctx, args[1:], e)
	case "demo":
		err = demoCmd(ctx, args, e)
	case "import":
		err = importCmd(ctx, args, e)
	case "keys":
		err = keysCmd(ctx, args, e)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(e.stdout, usage)
		return 0
	default:
		err = fmt.Errorf("unknown command %q", cmd)
	}
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 2
		}
		fmt.Fprintf(e.stderr, "jiefen %s: %s\n", cmd, explain(err))
		return 1
	}
	return 0
}

// explain writes an error as the API would answer it: its message and,
// one per line, every field it names, never just "see fields".
func explain(err error) string {
	var je *jiefen.Error
	if !errors.As(err, &je) {
		return err.Error()
	}
	var b strings.Builder
	if direct, ok := err.(*jiefen.Error); ok {
		b.WriteString(direct.Message)
		if cause := direct.Unwrap(); cause != nil {
			fmt.Fprintf(&b, "（%v）", cause)
		}
	} else {
		b.WriteString(err.Error()) // wrapped with what the command was doing
	}
	for _, f := range je.Fields {
		fmt.Fprintf(&b, "\n  %s: %s", f.Field, f.Message)
	}
	return b.String()
}

func newFlags(name string, e env) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	return fs, fs.String("config", "", "YAML file overlaid on the embedded defaults")
}

func loadConfig(path string, e env) (configs.Config, error) {
	return configs.Load(path, e.lookup)
}

func openStore(ctx context.Context, c configs.Config, notice func(string)) (*sqlstore.DB, error) {
	keys, err := keyring(c, notice)
	if err != nil {
		return nil, err
	}
	return sqlstore.Open(ctx, sqlstore.Options{Driver: c.DB.Driver, DSN: c.DB.DSN,
		MaxOpenConns: c.DB.MaxOpenConns, MaxIdleConns: c.DB.MaxIdleConns,
		ConnMaxLifetime: c.DB.ConnMaxLifetime, ConnMaxIdleTime: c.DB.ConnMaxIdleTime, Keys: keys})
}

// openMigrated loads the configuration and opens the migrated store, for
// the commands that work on the database directly. Only a command that may
// make a new database (demo, user create: the bootstrap of API.md) is
// given create; any other refuses a SQLite file that is not there, naming
// it, rather than make an empty database and key file wherever it was run.
func openMigrated(ctx context.Context, cfgPath string, e env, create bool) (configs.Config, *sqlstore.DB, error) {
	c, err := loadConfig(cfgPath, e)
	if err != nil {
		return c, nil, err
	}
	if !create && c.DB.Driver == "sqlite" {
		if err := databaseExists(c.DB.DSN); err != nil {
			return c, nil, err
		}
	}
	db, err := openStore(ctx, c, say(e))
	if err != nil {
		return c, nil, err
	}
	if _, err := db.Migrate(ctx); err != nil {
		db.Close()
		return c, nil, err
	}
	if err := sealExisting(ctx, db, say(e)); err != nil {
		db.Close()
		return c, nil, err
	}
	return c, db, nil
}

// databaseExists refuses a SQLite database file that is not there, naming
// the path and where the service's database is set.
func databaseExists(dsn string) error {
	path := sqlstore.SQLiteFile(dsn)
	if path == "" {
		return nil // in memory
	}
	if _, err := os.Stat(path); err != nil {
		abs, _ := filepath.Abs(path)
		return fmt.Errorf("数据库文件 %s 不存在：请在服务的工作目录中运行，或用 --config 或 JIEFEN_DB_DSN 指向服务的数据库（只有 serve、migrate、demo 和 user create 会新建数据库）", abs)
	}
	return nil
}

// cliContext is the context of a command-line write: audited as actor
// (or "cli"), with request id "cli".
func cliContext(ctx context.Context, actor string) context.Context {
	if actor == "" {
		actor = "cli"
	}
	return jiefen.NewContextWithRequestID(jiefen.NewContextWithActor(ctx, jiefen.Actor{Username: actor}), "cli")
}

func migrateCmd(ctx context.Context, args []string, e env) error {
	fs, cfgPath := newFlags("migrate", e)
	if err := fs.Parse(args); err != nil {
		return err
	}
	c, err := loadConfig(*cfgPath, e)
	if err != nil {
		return err
	}
	db, err := openStore(ctx, c, say(e))
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := db.Migrate(ctx)
	if err != nil {
		return err
	}
	if err := recountRequested(ctx, db, c); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "applied %d migration(s); schema version %d\n", n, db.LatestVersion())
	return nil
}

// recountRequested counts every case's clocks again on the current
// calendar when that was asked for (sqlstore.DB.RequestRecount): a
// migration that changed how clocks are stored or counted asks, so that it
// holds for the cases already there.
func recountRequested(ctx context.Context, db *sqlstore.DB, c configs.Config) error {
	if reqs, err := db.RecountRequests(ctx); err != nil || len(reqs) == 0 {
		return err
	}
	_, err := recountAll(ctx, db, c)
	return err
}

// recountAll counts every case's clocks again on the calendar of the
// configuration and the database, and says how many cases changed.
func recountAll(ctx context.Context, db *sqlstore.DB, c configs.Config) (int, error) {
	shipped, err := configs.Holidays()
	if err != nil {
		return 0, err
	}
	rules, err := configs.Rules(c.Calendar.RulesFile)
	if err != nil {
		return 0, err
	}
	cal, err := live.NewCalendar(db, shipped, c.Calendar.Options(), time.Second).Get(ctx)
	if err != nil {
		return 0, err
	}
	return recount(ctx, db, true, cal, rules, mediationPolicy(c), calendar.DateOf(db.Now()))
}

func userCreateCmd(ctx context.Context, args []string, e env) error {
	fs, cfgPath := newFlags("user create", e)
	username := fs.String("username", "", "login name (a-z, 0-9, . _ -)")
	role := fs.String("role", "", "one of "+jiefen.RoleNames())
	org := fs.String("org", "", "org code (optional)")
	name := fs.String("name", "", "display name (姓名) printed on documents (optional)")
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if !*fromStdin {
		return errors.New("--password-stdin is required: passwords are never given as arguments")
	}
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil && !(errors.Is(err, io.EOF) && line != "") {
		return errors.New("no password on standard input")
	}
	password := strings.TrimRight(line, "\r\n")
	c, db, err := openMigrated(ctx, *cfgPath, e, true)
	if err != nil {
		return err
	}
	defer db.Close()
	policy, err := db.PasswordPolicy(ctx, c.Auth.PasswordPolicy())
	if err != nil {
		return err
	}
	u, hash, err := httpapi.NewUser(auth.DefaultHasher(), policy, *username, password, jiefen.Role(*role), *org, *name)
	if err != nil {
		return describe(err)
	}
	clocks, err := configs.Rules(c.Calendar.RulesFile)
	if err != nil {
		return err
	}
	// The orgs a user may belong to exist before the first serve, too.
	if err := prepareRouting(ctx, db, c, clocks); err != nil {
		return err
	}
	cli := cliContext(ctx, "")
	if u, err = db.CreateUser(cli, u, hash); err != nil {
		return describe(err)
	}
	fmt.Fprintf(e.stdout, "created user %s with role %s\n", u.Username, u.Role)
	return nil
}

// calendarImportCmd loads a year's State Council holiday notice from a file
// into the database, as PUT /api/v1/calendar/{year} does; every replica
// counts with it within one refresh interval.
func calendarImportCmd(ctx context.Context, args []string, e env) error {
	fs, cfgPath := newFlags("calendar import", e)
	year := fs.Int("year", 0, "the notice's year (default: the file's own)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("name one notice file (holiday-cn JSON, as in configs/holidays)")
	}
	b, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return err
	}
	n, err := calendar.ParseNotice(b, *year)
	if err != nil {
		return fmt.Errorf("%s: %v", fs.Arg(0), err)
	}
	c, db, err := openMigrated(ctx, *cfgPath, e, false)
	if err != nil {
		return err
	}
	defer db.Close()
	cli := cliContext(ctx, "")
	stored, err := db.PutCalendarNotice(cli, n, nil)
	if err != nil {
		return describe(err)
	}
	// The queues, scans and figures follow the notice at once: every case's
	// clocks are counted again on it.
	changed, err := recountAll(cli, db, c)
	if err != nil {
		return describe(err)
	}
	off, on := 0, 0
	for _, d := range n.Days {
		if d.Off {
			off++
		} else {
			on++
		}
	}
	fmt.Fprintf(e.stdout, "loaded the %d holiday table (version %d): %d rest days, %d make-up working days; %d cases' clocks changed\n",
		n.Year, stored.Version, off, on, changed)
	return nil
}

// describe turns a jiefen error into one line per bad field.
func describe(err error) error {
	var je *jiefen.Error
	if !errors.As(err, &je) || len(je.Fields) == 0 {
		if errors.As(err, &je) {
			return errors.New(je.Message)
		}
		return err
	}
	var b strings.Builder
	for i, f := range je.Fields {
		if i > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "%s %s", f.Field, f.Message)
	}
	return errors.New(b.String())
}

// app is a running service: its store, its API and its listener.
type app struct {
	cfg configs.Config
	log *slog.Logger
	db  *sqlstore.DB
	api *httpapi.Server
	srv *http.Server
	ln  net.Listener
	// sched runs the scheduled jobs (nil when jobs.enabled is false).
	sched *schedule.Scheduler
}

// newApp opens and migrates the store, refuses a schema newer than the
// binary, builds the API and listens on the configured address (over TLS
// when http.tls names a certificate, loaded before anything else so that a
// bad one stops the start at once).
func newApp(ctx context.Context, c configs.Config, log *slog.Logger) (*app, error) {
	tlsConfig, err := serverTLS(c.HTTP.TLS)
	if err != nil {
		return nil, err
	}
	notice := func(msg string) { log.Warn(msg) }
	db, err := openStore(ctx, c, notice)
	if err != nil {
		return nil, err
	}
	if _, err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.CheckSchema(ctx); err != nil {
		db.Close()
		return nil, err
	}
	// A tampered audit head does not stop the start: the writes go on and
	// verification shows the auditor the chain broken (CheckAuditHead).
	if err := db.CheckAuditHead(ctx); err != nil {
		log.Error("the audit head was altered", "err", err)
	}
	if err := sealExisting(ctx, db, notice); err != nil {
		db.Close()
		return nil, err
	}
	if err := recountRequested(ctx, db, c); err != nil {
		db.Close()
		return nil, err
	}
	shipped, err := configs.Holidays()
	if err != nil {
		db.Close()
		return nil, err
	}
	rules, err := configs.Rules(c.Calendar.RulesFile)
	if err != nil {
		db.Close()
		return nil, err
	}
	source := live.NewCalendar(db, shipped, c.Calendar.Options(), c.Calendar.RefreshInterval)
	if _, err := source.Get(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("holiday tables: %w", err)
	}
	if err := prepareRouting(ctx, db, c, rules); err != nil {
		db.Close()
		return nil, err
	}
	routes := live.NewRouting(db, source, rules, c.Routing.RefreshInterval)
	pol := intakePolicy(c)
	for _, w := range c.Notify.Webhooks {
		db.Webhooks = append(db.Webhooks, w.Name)
	}
	db.AnchorFile = anchorFilePath(c)
	var sched *schedule.Scheduler
	var jobMetrics []prometheus.Collector
	var scheduler httpapi.Scheduler
	if c.Jobs.Enabled {
		if sched, jobMetrics, err = newScheduler(jobDeps{cfg: c, db: db, cal: source, rules: rules, log: log}); err != nil {
			db.Close()
			return nil, err
		}
		scheduler = sched
	}
	api, err := httpapi.New(db, httpapi.Options{
		BodyLimit: c.HTTP.BodyLimit, ImportLimit: c.HTTP.ImportLimit, TrustedProxies: c.HTTP.TrustedProxies, RetryAfter: c.HTTP.RetryAfter,
		Sessions:       auth.SessionPolicy{Idle: c.Auth.IdleTimeout, Absolute: c.Auth.AbsoluteTimeout},
		SessionCache:   c.Auth.SessionCache,
		PasswordPolicy: live.NewPasswordPolicy(db, c.Auth.PasswordPolicy(), c.Auth.SessionCache),
		LoginLimits: httpapi.LoginLimits{PerAddress: c.Auth.LoginRatePerAddress, PerUser: c.Auth.LoginRatePerUser,
			Window: c.Auth.LoginRateWindow},
		IdempotencyTTL: c.Idempotency.TTL, Hasher: auth.DefaultHasher(),
		Holidays: source, Rules: rules,
		Routing: routes, Intake: pol, Intaker: sqlstore.NewIntaker(db, pol, routes.Router, 64),
		Mediation: mediationPolicy(c), CorrectionRateBasis: reconsideration.RateBasis(c.Reconsideration.CorrectionRateBasis),
		ReconsiderationBody: c.Reconsideration.Body,
		Litigation: httpapi.LitigationPolicy{AlertDays: c.Litigation.AlertDays, Interviews: litigation.Thresholds{
			LossRate: c.Litigation.InterviewLossRate, MinConcluded: c.Litigation.InterviewMinConcluded,
			MinAppearanceRate: c.Litigation.InterviewMinAppearanceRate},
			Imports: importLimits(c), Titles: c.Litigation.AppearerTitles.Titles()},
		Scheduler: scheduler,
	}, log)
	if err != nil {
		db.Close()
		return nil, err
	}
	for _, m := range jobMetrics {
		if err := api.Registry().Register(m); err != nil {
			db.Close()
			return nil, err
		}
	}
	ln, err := net.Listen("tcp", c.HTTP.Addr)
	if err != nil {
		db.Close()
		return nil, err
	}
	srv := &http.Server{Handler: api.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute,
		WriteTimeout: 2 * time.Minute, IdleTimeout: 2 * time.Minute, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		TLSConfig: tlsConfig}
	return &app{cfg: c, log: log, db: db, api: api, srv: srv, ln: ln, sched: sched}, nil
}

// serverTLS is the TLS configuration of http.tls, nil when it names no
// certificate: TLS 1.2 at least (GB/T 22239-2019 asks that data in transit
// be protected by cryptography, 安全通信网络·通信传输; TLS 1.0 and 1.1 are
// retired by RFC 8996), with the certificate chain and key of the PEM files.
func serverTLS(c configs.TLS) (*tls.Config, error) {
	if c.CertFile == "" {
		return nil, nil
	}
	cert, err := tls.LoadX509KeyPair(c.CertFile, c.KeyFile)
	if err != nil {
		return nil, fmt.Errorf("config http.tls: cannot load the certificate %s and key %s: %w", c.CertFile, c.KeyFile, err)
	}
	return &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{cert}}, nil
}

// prepareRouting seeds the organisations the rules need (when configured),
// loads the shipped or configured routing rules as version 1 into an empty
// database, and checks the newest rules against the orgs and the clock
// catalogue: a rule naming an unknown org, track, category or clock stops
// the start, naming the rule.
// seedOrgs creates the configured orgs that do not exist yet (orgs.seed).
func seedOrgs(ctx context.Context, db *sqlstore.DB, c configs.Config) error {
	if !c.Orgs.Seed {
		return nil
	}
	sys := jiefen.NewContextWithRequestID(jiefen.NewContextWithActor(ctx, jiefen.Actor{Username: "system"}), "start")
	orgs, err := configs.SeedOrgs(c.Orgs.SeedFile)
	if err != nil {
		return err
	}
	if _, err := db.EnsureOrgs(sys, orgs); err != nil {
		return fmt.Errorf("seeding orgs: %w", err)
	}
	return nil
}

func prepareRouting(ctx context.Context, db *sqlstore.DB, c configs.Config, clocks *calendar.Rules) error {
	sys := jiefen.NewContextWithRequestID(jiefen.NewContextWithActor(ctx, jiefen.Actor{Username: "system"}), "start")
	if err := seedOrgs(ctx, db, c); err != nil {
		return err
	}
	v, err := db.RoutingRulesVersion(ctx)
	if err != nil {
		return err
	}
	if v == 0 {
		set, err := configs.RoutingRules(c.Routing.RulesFile)
		if err != nil {
			return err
		}
		_, err = db.PutRoutingRules(sys, set, 0, func(orgExists func(string) bool) error {
			return set.Validate(orgExists, clocks)
		})
		if err != nil {
			return fmt.Errorf("routing rules: %w", describe(err))
		}
		return nil
	}
	set, err := db.RoutingRules(ctx)
	if err != nil {
		return err
	}
	orgs, _, err := db.ListOrgs(ctx, sqlstore.OrgFilter{Limit: 1 << 30})
	if err != nil {
		return err
	}
	known := map[string]bool{}
	for _, o := range orgs {
		known[o.Code] = true
	}
	if err := set.Validate(func(code string) bool { return known[code] }, clocks); err != nil {
		return fmt.Errorf("routing rules version %d: %w", set.Version, err)
	}
	return nil
}

// Addr is the address the app listens on.
func (a *app) Addr() string { return a.ln.Addr().String() }

// driverLog writes the MySQL driver's messages to the log, at warn.
type driverLog struct{ log *slog.Logger }

func (d driverLog) Print(v ...any) { d.log.Warn("mysql driver", "message", fmt.Sprint(v...)) }

// serve answers requests until ctx ends, then shuts down gracefully:
// in-flight requests finish (within http.shutdown_timeout) before the
// store closes.
func (a *app) serve(ctx context.Context) error {
	errc := make(chan error, 1)
	// Whether to serve TLS is read before serving starts: net/http fills
	// srv.TLSConfig in for HTTP/2 once it serves, from its own goroutine.
	overTLS := a.srv.TLSConfig != nil
	go func() {
		if overTLS {
			errc <- a.srv.ServeTLS(a.ln, "", "") // the certificate is in TLSConfig
			return
		}
		errc <- a.srv.Serve(a.ln)
	}()
	// Beside the server, owned here: the database watch (503 at once while
	// the database is down) and the scheduler; both end before the store
	// closes.
	background, stop := context.WithCancel(context.Background())
	defer stop()
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); a.api.WatchDatabase(background) }()
	go func() {
		defer wg.Done()
		if a.sched != nil {
			a.sched.Run(background) // runs in progress end with the context and record it
		}
	}()
	a.log.Info("serving", "addr", a.Addr(), "tls", overTLS, "db", a.cfg.DB.Driver, "jobs", a.sched != nil)
	var err error
	select {
	case err = <-errc:
	case <-ctx.Done():
		a.log.Info("shutting down")
		sctx, cancel := context.WithTimeout(context.Background(), a.cfg.HTTP.ShutdownTimeout)
		defer cancel()
		err = a.srv.Shutdown(sctx)
	}
	stop()
	wg.Wait()
	a.db.Close()
	return err
}

func serveCmd(ctx context.Context, args []string, e env) error {
	fs, cfgPath := newFlags("serve", e)
	if err := fs.Parse(args); err != nil {
		return err
	}
	c, err := loadConfig(*cfgPath, e)
	if err != nil {
		return err
	}
	log := newLogger(c.Log.Level, e.stderr)
	// The MySQL driver's own messages (a connection lost) join the JSON
	// log instead of standard error. The driver keeps one logger for the
	// process, so only the process's command sets it.
	mysqldriver.SetLogger(driverLog{log})
	if n := courtfile.Sweep(); n > 0 {
		log.Info("removed the temporary files of interrupted imports", "files", n)
	}
	a, err := newApp(ctx, c, log)
	if err != nil {
		return err
	}
	return a.serve(ctx)
}

func newLogger(level string, w io.Writer) *slog.Logger {
	var l slog.Level
	l.UnmarshalText([]byte(level))
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l}))
}

func intakePolicy(c configs.Config) sqlstore.IntakePolicy {
	return sqlstore.IntakePolicy{CodePrefix: c.Routing.CodePrefix, MediatorCapacity: c.Routing.MediatorCapacity,
		RepeatWindowDays: c.Routing.RepeatWindowDays, IdempotencyTTL: c.Idempotency.TTL}
}

// mediationPolicy is the mediation section of the configuration.
func mediationPolicy(c configs.Config) mediation.Policy {
	return mediation.Policy{PoliceOrgs: c.Mediation.PoliceOrgs, Subsidies: mediation.Subsidies{
		mediation.TierGeneral: c.Mediation.Subsidy.General, mediation.TierDifficult: c.Mediation.Subsidy.Difficult,
		mediation.TierMajor: c.Mediation.Subsidy.Major}}
}
