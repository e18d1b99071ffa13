package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"io/fs"
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
	"jiefen/internal/wiring"
	"jiefen/litigation"
	"jiefen/mediation"
	"jiefen/reconsideration"
	"jiefen/routing"
)

// env is the process's outside world, passed in so that tests can run
// commands in-process.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	lookup         func(string) (string, bool)
}

// run executes one command and returns the process exit code: 0 when it
// did its work (or printed help), 2 when the command line cannot be read,
// 1 when the command refused or failed; the reasons go to standard error.
func run(ctx context.Context, args []string, e env) int {
	gin.SetMode(gin.ReleaseMode) // gin's mode is process-wide; no debug route dump
	switch {
	case len(args) == 0 || strings.HasPrefix(args[0], "-") && !isHelp(args[0]):
		args = append([]string{"serve"}, args...)
	case isHelp(args[0]):
		args = append([]string{"help"}, args[1:]...)
	}
	name := args[0]
	c, rest, err := lookup(args)
	if err == nil {
		name = c.name
		err = c.run(ctx, rest, e)
	}
	var shown helpShown
	if err == nil || errors.As(err, &shown) {
		return 0
	}
	fmt.Fprintf(e.stderr, "jiefen %s: %s\n", name, explain(err))
	var bad usageError
	if errors.As(err, &bad) {
		return 2
	}
	return 1
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

// loadConfig reads the service's configuration as serve reads it: the
// embedded defaults, the file at path when one is given, then the JIEFEN_*
// environment. Every command reads it here, so that each works on the
// database, key file and data serve works on.
func loadConfig(path string, e env) (configs.Config, error) {
	if path != "" {
		if _, err := os.Stat(path); err != nil {
			return configs.Config{}, fmt.Errorf("配置文件有误：%w", unreadable(path, err))
		}
	}
	c, err := configs.Load(path, e.lookup)
	if err != nil {
		if path != "" {
			return c, fmt.Errorf("配置有误（%s）：%w", path, err)
		}
		return c, fmt.Errorf("配置有误：%w", err)
	}
	return c, nil
}

// openStore opens the database and the keys the configuration names, the
// one way every command (serve too) finds them. Only serve, migrate, demo
// and user create (the bootstrap of API.md) are given create, and may make
// a new database and key file; for any other command a SQLite file, a key
// file or a MySQL schema that is not there is refused, naming it, and
// nothing is made: run where the service's database is not, a command
// would otherwise work on an empty database of its own.
func openStore(ctx context.Context, c configs.Config, create bool, notice func(string)) (*sqlstore.DB, error) {
	if !create {
		if err := mustExist(c); err != nil {
			return nil, err
		}
	}
	keys, err := keyring(c, create, notice)
	if err != nil {
		return nil, err
	}
	db, err := sqlstore.Open(ctx, sqlstore.Options{Driver: c.DB.Driver, DSN: c.DB.DSN,
		MaxOpenConns: c.DB.MaxOpenConns, MaxIdleConns: c.DB.MaxIdleConns,
		ConnMaxLifetime: c.DB.ConnMaxLifetime, ConnMaxIdleTime: c.DB.ConnMaxIdleTime, MultiPrimary: c.DB.MultiPrimary, Keys: keys})
	if err != nil {
		var me *mysqldriver.MySQLError
		if errors.As(err, &me) && me.Number == 1049 { // unknown database
			return nil, fmt.Errorf("MySQL 上没有数据库 %s：请先建库（CREATE DATABASE … CHARACTER SET utf8mb4），再运行 jiefen migrate 或 jiefen serve", databaseName(c))
		}
		return nil, fmt.Errorf("无法打开数据库 %s：%w", databaseName(c), err)
	}
	if !create {
		v, err := db.SchemaVersion(ctx)
		if err != nil {
			db.Close()
			return nil, err
		}
		if v == 0 {
			db.Close()
			return nil, notBuilt(c)
		}
	}
	return db, nil
}

// mustExist refuses, with every reason, a SQLite database file or a key
// file that is not there.
func mustExist(c configs.Config) error {
	var reasons []string
	dbMissing := false
	if c.DB.Driver == "sqlite" {
		if path := sqlstore.SQLiteFile(c.DB.DSN); path != "" && missing(path) {
			reasons, dbMissing = append(reasons, notBuilt(c).Error()), true
		}
	}
	// A key file beside a database that is not there is not there either:
	// the database says it all.
	if path := keyFilePath(c); c.PII.Keys == "" && path != "" && missing(path) && !(dbMissing && c.PII.KeyFile == "") {
		reasons = append(reasons, missingKeyFile(c, path).Error())
	}
	if len(reasons) == 0 {
		return nil
	}
	return errors.New(strings.Join(reasons, "\n  "))
}

// missing reports whether nothing is at path (a file that cannot be looked
// at is left to the open that follows to report).
func missing(path string) bool {
	_, err := os.Stat(path)
	return errors.Is(err, fs.ErrNotExist)
}

// notBuilt refuses a database that is not there or holds no tables.
func notBuilt(c configs.Config) error {
	return fmt.Errorf("数据库 %s 尚未建立，请先运行 jiefen migrate 或 jiefen serve（服务的数据库若在别处，请用 --config 或 JIEFEN_DB_DSN 指明）", databaseName(c))
}

// databaseName names the configured database for the operator: the
// absolute path of a SQLite file, or a MySQL database with its server
// (never the DSN, which may hold a password).
func databaseName(c configs.Config) string {
	if c.DB.Driver == "mysql" {
		cfg, err := mysqldriver.ParseDSN(c.DB.DSN)
		if err != nil {
			return "（MySQL，DSN 无法解析）"
		}
		return fmt.Sprintf("%s（MySQL %s）", cfg.DBName, cfg.Addr)
	}
	path := sqlstore.SQLiteFile(c.DB.DSN)
	if path == "" {
		return c.DB.DSN
	}
	if abs, err := filepath.Abs(path); err == nil {
		return abs
	}
	return path
}

// openMigrated loads the configuration and opens the migrated store, for
// the commands that work on the database directly; create is as for
// openStore.
func openMigrated(ctx context.Context, cfgPath string, e env, create bool) (configs.Config, *sqlstore.DB, error) {
	c, err := loadConfig(cfgPath, e)
	if err != nil {
		return c, nil, err
	}
	db, err := migrated(ctx, c, e, create)
	return c, db, err
}

// migrated opens the store of c, applies the pending migrations and seals
// what an older version stored in clear. A schema newer than the binary is
// refused, as serve refuses it.
func migrated(ctx context.Context, c configs.Config, e env, create bool) (*sqlstore.DB, error) {
	db, err := openStore(ctx, c, create, say(e))
	if err != nil {
		return nil, err
	}
	if _, err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if have, err := db.SchemaVersion(ctx); err != nil || have > db.LatestVersion() {
		db.Close()
		if err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("数据库 %s 的结构版本 %d 比本程序的 %d 新：请换用新版 jiefen", databaseName(c), have, db.LatestVersion())
	}
	if err := sealExisting(ctx, db, say(e)); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
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
	fs, cfgPath := newFlags("migrate")
	if err := parseFlags(fs, args, e); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef(fs, "多余的参数 %s", strings.Join(fs.Args(), " "))
	}
	c, err := loadConfig(*cfgPath, e)
	if err != nil {
		return err
	}
	db, err := openStore(ctx, c, true, say(e))
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
	fmt.Fprintf(e.stdout, "已执行 %d 项迁移，数据库 %s 的结构版本为 %d\n", n, databaseName(c), db.LatestVersion())
	return nil
}

// recountRequested counts every case's clocks again on the current
// calendar when that was asked for (sqlstore.DB.RequestRecount): a
// migration that changed how clocks are stored or counted asks, so that it
// holds for the cases already there.
func recountRequested(ctx context.Context, db *sqlstore.DB, c configs.Config) error {
	if reqs, err := db.Clocks.RecountRequests(ctx); err != nil || len(reqs) == 0 {
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
	fs, cfgPath := newFlags("user create")
	username := fs.String("username", "", "登录名 `U`（小写字母、数字及 . _ -）")
	role := fs.String("role", "", "角色 `ROLE`，取 "+jiefen.RoleNames()+" 之一")
	org := fs.String("org", "", "所属单位代码 `CODE`（可不填）")
	name := fs.String("name", "", "文书上署的`姓名`（可不填）")
	fromStdin := fs.Bool("password-stdin", false, "从标准输入的第一行读入密码（必须；密码从不写在命令行上）")
	if err := parseFlags(fs, args, e); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef(fs, "多余的参数 %s", strings.Join(fs.Args(), " "))
	}
	if !*fromStdin {
		return usagef(fs, "须加 --password-stdin，从标准输入读入密码：密码从不写在命令行上")
	}
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil && !(errors.Is(err, io.EOF) && line != "") {
		return errors.New("标准输入中没有密码")
	}
	password := strings.TrimRight(line, "\r\n")
	c, db, err := openMigrated(ctx, *cfgPath, e, true)
	if err != nil {
		return err
	}
	defer db.Close()
	policy, err := db.Users.PasswordPolicy(ctx, c.Auth.PasswordPolicy())
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
	if u, err = db.Users.CreateUser(cli, u, hash); err != nil {
		return describe(err)
	}
	fmt.Fprintf(e.stdout, "已创建账号 %s（角色：%s）\n", u.Username, u.Role.Label())
	return nil
}

// calendarImportCmd loads a year's State Council holiday notice from a file
// into the database, as PUT /api/v1/calendar/{year} does; every replica
// counts with it within one refresh interval.
func calendarImportCmd(ctx context.Context, args []string, e env) error {
	fs, cfgPath := newFlags("calendar import")
	year := fs.Int("year", 0, "通知所属`年份`（不填则取文件所载年份）")
	if err := parseFlags(fs, args, e); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef(fs, "须指明一个节假日安排文件（holiday-cn 格式的 JSON，同 configs/holidays 中的文件）")
	}
	b, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return unreadable(fs.Arg(0), err)
	}
	n, err := calendar.ParseNotice(b, *year)
	if err != nil {
		return fmt.Errorf("节假日安排文件 %s 有误：%v", fs.Arg(0), err)
	}
	c, db, err := openMigrated(ctx, *cfgPath, e, false)
	if err != nil {
		return err
	}
	defer db.Close()
	cli := cliContext(ctx, "")
	stored, err := db.Calendar.PutCalendarNotice(cli, n, nil)
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
	fmt.Fprintf(e.stdout, "已载入 %d 年节假日安排（第 %d 版）：放假 %d 天，调休上班 %d 天；%d 件案件的期限随之重算\n",
		n.Year, stored.Version, off, on, changed)
	return nil
}

// unreadable says why the file at path named on the command line cannot be
// read.
func unreadable(path string, err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("文件 %s 不存在", path)
	case errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("无权读取文件 %s", path)
	}
	return fmt.Errorf("无法读取文件 %s：%w", path, err)
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
	db, err := openStore(ctx, c, true, notice)
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
	if err := db.Audit.CheckAuditHead(ctx); err != nil {
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
	drafter, err := configs.AnnualDrafter(c.Report.AnnualTemplate)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("report.annual_template: %w", err)
	}
	api, err := httpapi.New(wiring.API(db), httpapi.Options{
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
		Drafter:   drafter,
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
	if _, err := db.Orgs.EnsureOrgs(sys, orgs); err != nil {
		return fmt.Errorf("seeding orgs: %w", err)
	}
	return nil
}

func prepareRouting(ctx context.Context, db *sqlstore.DB, c configs.Config, clocks *calendar.Rules) error {
	sys := jiefen.NewContextWithRequestID(jiefen.NewContextWithActor(ctx, jiefen.Actor{Username: "system"}), "start")
	if err := seedOrgs(ctx, db, c); err != nil {
		return err
	}
	v, err := db.Routing.RoutingRulesVersion(ctx)
	if err != nil {
		return err
	}
	if v == 0 {
		set, err := configs.RoutingRules(c.Routing.RulesFile)
		if err != nil {
			return err
		}
		seeded, err := db.Routing.SeedRoutingRules(sys, set, func(orgExists func(string) bool) error {
			return set.Validate(orgExists, clocks)
		})
		if err != nil {
			return fmt.Errorf("routing rules: %w", describe(err))
		}
		if seeded {
			return nil
		}
		// Another replica started at the same moment seeded them: they
		// are checked below like any stored ones.
	}
	set, err := db.Routing.RoutingRules(ctx)
	if err != nil {
		return err
	}
	orgs, _, err := db.Orgs.ListOrgs(ctx, sqlstore.OrgFilter{Limit: 1 << 30})
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
	wg.Add(3)
	go func() { defer wg.Done(); a.api.WatchDatabase(background) }()
	go func() { defer wg.Done(); a.sealAudit(background) }()
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

// sealAudit seals the audit entries written but not yet chained (see
// sqlstore.Audit.SealAudit) every db.audit_seal_interval until ctx ends,
// and once more then, when several nodes take writes (db.multi_primary).
// A failed sealing is logged and tried again at the next interval: the
// entries wait in the database.
func (a *app) sealAudit(ctx context.Context) {
	if !a.cfg.DB.MultiPrimary {
		return
	}
	seal := func(ctx context.Context) {
		if _, err := a.db.Audit.SealAudit(ctx); err != nil && ctx.Err() == nil {
			a.log.Warn("audit: sealing the entries written", "error", err)
		}
	}
	tick := time.NewTicker(a.cfg.DB.AuditSealInterval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			last, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			seal(last)
			cancel()
			return
		case <-tick.C:
			seal(ctx)
		}
	}
}

func serveCmd(ctx context.Context, args []string, e env) error {
	fs, cfgPath := newFlags("serve")
	if err := parseFlags(fs, args, e); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef(fs, "多余的参数 %s", strings.Join(fs.Args(), " "))
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
	return sqlstore.IntakePolicy{Policy: routing.Policy{CodePrefix: c.Routing.CodePrefix, MediatorCapacity: c.Routing.MediatorCapacity, RepeatWindowDays: c.Routing.RepeatWindowDays}, IdempotencyTTL: c.Idempotency.TTL}
}

// mediationPolicy is the mediation section of the configuration.
func mediationPolicy(c configs.Config) mediation.Policy {
	return mediation.Policy{PoliceOrgs: c.Mediation.PoliceOrgs, Subsidies: mediation.Subsidies{
		mediation.TierGeneral: c.Mediation.Subsidy.General, mediation.TierDifficult: c.Mediation.Subsidy.Difficult,
		mediation.TierMajor: c.Mediation.Subsidy.Major}}
}
