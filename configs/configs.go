// Package configs holds jiefen's embedded defaults and loads its typed
// configuration: the defaults of config.yaml, then a file, then JIEFEN_*
// environment variables, validated once at start and passed down as plain
// values.
package configs

import (
	"bytes"
	_ "embed"
	"fmt"
	"net"
	"net/url"
	"os"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/robfig/cron/v3"
	"gopkg.in/yaml.v3"

	"jiefen"
	"jiefen/internal/auth"
	"jiefen/litigation"
)

//go:embed config.yaml
var defaultYAML []byte

// Config is the whole configuration. Field tags name the YAML keys; the
// environment variable of a key is JIEFEN_ + the key path in upper case.
type Config struct {
	HTTP        HTTP        `yaml:"http"`
	DB          DB          `yaml:"db"`
	Auth        Auth        `yaml:"auth"`
	Idempotency Idempotency `yaml:"idempotency"`
	Calendar    Calendar    `yaml:"calendar"`
	Routing     Routing     `yaml:"routing"`
	Mediation   Mediation   `yaml:"mediation"`
	// Litigation configures litigation monitoring.
	Litigation Litigation `yaml:"litigation"`
	// Reconsideration configures the reports on reconsideration cases.
	Reconsideration Reconsideration `yaml:"reconsideration"`
	Orgs            Orgs            `yaml:"orgs"`
	// PII configures the keys that seal personal data at rest.
	PII PII `yaml:"pii"`
	// Audit configures where the audit chain is anchored.
	Audit Audit `yaml:"audit"`
	// Jobs configures the scheduled jobs.
	Jobs Jobs `yaml:"jobs"`
	// Notify configures where notifications go besides the in-app list.
	Notify Notify `yaml:"notify"`
	// Report configures the annual report (GET /api/v1/reports/annual).
	Report Report `yaml:"report"`
	Log    Log    `yaml:"log"`
}

// Report configures the annual report.
type Report struct {
	// AnnualTemplate is the file of the draft text's templates (see
	// report.Drafter); "" is the shipped configs/report_annual.tmpl.
	AnnualTemplate string `yaml:"annual_template"`
}

// PII names the keys that seal ID numbers, phones and addresses at rest
// (SM4-GCM) and index ID numbers (HMAC-SM3): a key file, or the key file's
// JSON itself in the environment.
type PII struct {
	// KeyFile is a JSON key file readable by its owner only. Empty: with
	// SQLite, jiefen.keys beside the database file, created on the first
	// start; with MySQL, keys must be given (replicas share them).
	KeyFile string `yaml:"key_file"`
	// Keys is the key file's JSON (JIEFEN_PII_KEYS), for keys handed over
	// by the environment or a secret store; it wins over KeyFile.
	Keys string `yaml:"keys"`
}

// Audit says where the audit chain's head is anchored outside the database
// (job audit_anchor; the chain itself is sealed under the key file's
// audit_key, see PII).
type Audit struct {
	// AnchorFile receives one signed JSON line per anchor and is checked
	// by GET /api/v1/audit/verify, which also asks it for every anchor
	// sent since its first. It protects against an insider without the
	// audit key who cannot edit it; against one who can, or who holds the
	// key, only the webhook receiver's copy outside the host does. Empty:
	// with SQLite jiefen.anchors beside the database file; with MySQL no
	// file (anchors go to the webhooks only, and each run warns), since
	// replicas do not share a disk.
	AnchorFile string `yaml:"anchor_file"`
}

// Jobs configures the scheduler and each job's schedule. A schedule is a
// cron expression of five fields (minute hour day month weekday, read in
// Asia/Shanghai) or a descriptor (@hourly, @daily, @every 1s); the
// environment variable of job NAME's schedule is JIEFEN_JOBS_NAME_SCHEDULE.
type Jobs struct {
	// Enabled runs the scheduler in this replica. Every replica may run it:
	// each tick is claimed once in the database.
	Enabled bool `yaml:"enabled"`
	// Replica names this process in the run history; "" is the host name
	// and process id.
	Replica string `yaml:"replica"`
	// Lease is how long one run may take; after it another replica may
	// take the tick over (its replica is presumed dead).
	Lease time.Duration `yaml:"lease"`
	// CatchUp is the most missed ticks of a job run after downtime.
	CatchUp int `yaml:"catch_up"`
	// HistoryDays is how long the run history is kept.
	HistoryDays       int      `yaml:"history_days"`
	OverdueScan       JobSpec  `yaml:"overdue_scan"`
	DueSoon           DueSoon  `yaml:"due_soon"`
	HearingReminders  JobSpec  `yaml:"hearing_reminders"`
	MonthlySnapshot   JobSpec  `yaml:"monthly_snapshot"`
	CalendarCheck     JobSpec  `yaml:"calendar_check"`
	ClockRefresh      JobSpec  `yaml:"clock_refresh"`
	AuditRetention    Retained `yaml:"audit_retention"`
	AuditAnchor       JobSpec  `yaml:"audit_anchor"`
	IdempotencyExpiry JobSpec  `yaml:"idempotency_expiry"`
	RunsExpiry        JobSpec  `yaml:"runs_expiry"`
	NotifyDelivery    JobSpec  `yaml:"notify_delivery"`
}

// JobSpec is one job's schedule.
type JobSpec struct {
	Schedule string `yaml:"schedule"`
}

// DueSoon is the reminder job's schedule and how far ahead it looks.
type DueSoon struct {
	Schedule string `yaml:"schedule"`
	// Days: a clock due within this many working days is reminded of.
	Days int `yaml:"days"`
}

// Retained is the audit retention job's schedule and period.
type Retained struct {
	Schedule string `yaml:"schedule"`
	// KeepDays: entries older than this move to the archive. At least 180
	// (网络安全法 第21条: logs kept no less than six months).
	KeepDays int `yaml:"keep_days"`
}

// MinAuditKeepDays is the shortest audit retention the law allows:
// 网络安全法 第21条 requires network logs to be kept at least six months.
const MinAuditKeepDays = 180

// Schedules returns every job's schedule by job name.
func (j Jobs) Schedules() map[string]string {
	return map[string]string{
		"overdue_scan":       j.OverdueScan.Schedule,
		"due_soon":           j.DueSoon.Schedule,
		"hearing_reminders":  j.HearingReminders.Schedule,
		"monthly_snapshot":   j.MonthlySnapshot.Schedule,
		"calendar_check":     j.CalendarCheck.Schedule,
		"clock_refresh":      j.ClockRefresh.Schedule,
		"audit_retention":    j.AuditRetention.Schedule,
		"audit_anchor":       j.AuditAnchor.Schedule,
		"idempotency_expiry": j.IdempotencyExpiry.Schedule,
		"runs_expiry":        j.RunsExpiry.Schedule,
		"notify_delivery":    j.NotifyDelivery.Schedule,
	}
}

// Notify configures delivery of notifications to webhooks: the way an SMS
// gateway or a government messaging platform is plugged in.
type Notify struct {
	// Webhooks receive every event as a signed POST. They are set in the
	// configuration file (a list has no environment variable).
	Webhooks []Webhook `yaml:"webhooks"`
	// MaxAttempts: a delivery that failed this many times is dead-lettered.
	MaxAttempts int `yaml:"max_attempts"`
	// Backoff is the wait after the first failure, doubled after each
	// further one up to MaxBackoff.
	Backoff    time.Duration `yaml:"backoff"`
	MaxBackoff time.Duration `yaml:"max_backoff"`
	// Timeout bounds one delivery.
	Timeout time.Duration `yaml:"timeout"`
}

// Webhook is a receiver of events.
type Webhook struct {
	Name string `yaml:"name"`
	URL  string `yaml:"url"`
	// Secret keys the HMAC-SHA256 signature of every delivery
	// (X-Jiefen-Signature). Keep the file readable by the service only.
	Secret string `yaml:"secret"`
}

// Routing configures intake and routing.
type Routing struct {
	// RulesFile names a YAML file of routing rules to load as the first
	// version instead of the shipped configs/routing.yaml.
	RulesFile string `yaml:"rules_file"`
	// CodePrefix starts every dispute code: PREFIX-YYYY-NNNNNN.
	CodePrefix string `yaml:"code_prefix"`
	// MediatorCapacity is the most open cases a mediator is given by
	// automatic assignment.
	MediatorCapacity int `yaml:"mediator_capacity"`
	// RepeatWindowDays: a dispute of the same party (ID number) and
	// category within this many days is flagged repeat and linked.
	RepeatWindowDays int `yaml:"repeat_window_days"`
	// RefreshInterval is how often a replica looks for rules changed by
	// another replica.
	RefreshInterval time.Duration `yaml:"refresh_interval"`
}

// Mediation configures the local rules of mediation cases.
type Mediation struct {
	// Subsidy is 以案定补: what a people's mediator earns per successful,
	// documented, followed-up case of each difficulty tier, in fen.
	Subsidy Subsidy `yaml:"subsidy"`
	// PoliceOrgs are the orgs whose administrative mediation is 治安调解,
	// where a second session is due within 7 working days of the first
	// (公安机关办理行政案件程序规定 第183条).
	PoliceOrgs []string `yaml:"police_orgs"`
}

// Litigation configures the interviews of agency heads (约谈) and the
// appearance alerts.
type Litigation struct {
	// An agency whose loss rate over a year is at least InterviewLossRate,
	// with at least InterviewMinConcluded concluded cases, or whose
	// appearance rate is under InterviewMinAppearanceRate, is a candidate.
	InterviewLossRate          float64 `yaml:"interview_loss_rate"`
	InterviewMinConcluded      int     `yaml:"interview_min_concluded"`
	InterviewMinAppearanceRate float64 `yaml:"interview_min_appearance_rate"`
	// AlertDays: a key case's hearing this many days ahead with no head
	// confirmed to appear is on the alert list.
	AlertDays int `yaml:"alert_days"`
	// Imports are the limits a court caseload file must keep.
	Imports Imports `yaml:"imports"`
	// AppearerTitles maps job titles in 出庭人职务 to positions.
	AppearerTitles AppearerTitles `yaml:"appearer_titles"`
}

// Imports are the limits of a court caseload file besides its size as sent
// (HTTP.ImportLimit).
type Imports struct {
	UnzippedLimit int64 `yaml:"unzipped_limit"`
	RowLimit      int64 `yaml:"row_limit"`
	MaxRows       int   `yaml:"max_rows"`
}

// AppearerTitles lists, per position, the job titles (or endings of
// titles) that make it.
type AppearerTitles struct {
	Principal []string `yaml:"principal"`
	Deputy    []string `yaml:"deputy"`
	InCharge  []string `yaml:"in_charge"`
	Staff     []string `yaml:"staff"`
}

// Titles is the mapping as the litigation package reads it.
func (t AppearerTitles) Titles() litigation.Titles {
	return litigation.Titles{litigation.Principal: t.Principal, litigation.Deputy: t.Deputy, litigation.InCharge: t.InCharge, litigation.Staff: t.Staff}
}

// Reconsideration configures the reconsideration statistics.
type Reconsideration struct {
	// CorrectionRateBasis is what 纠错率 divides by: concluded (every case
	// concluded in the period) or decisions (decisions on the merits only).
	CorrectionRateBasis string `yaml:"correction_rate_basis"`
	// Body is the org code of the reconsideration organ (行政复议机关, the
	// city government), named on its documents.
	Body string `yaml:"body"`
}

// Subsidy holds the 以案定补 amount of each tier, in fen.
type Subsidy struct {
	General   int64 `yaml:"general"`   // 一般
	Difficult int64 `yaml:"difficult"` // 疑难
	Major     int64 `yaml:"major"`     // 重大
}

// Orgs configures the organisations created on start.
type Orgs struct {
	Seed     bool   `yaml:"seed"`
	SeedFile string `yaml:"seed_file"`
}

// Calendar configures the legal clock.
type Calendar struct {
	// Rollover: "rest_day" (a last day on any rest day moves to the next
	// working day) or "holiday" (only a declared holiday moves it).
	Rollover string `yaml:"rollover"`
	// RulesFile names a YAML file of rules that override or extend the
	// embedded catalogue (local limits such as administrative mediation).
	RulesFile string `yaml:"rules_file"`
	// RefreshInterval is how often a replica looks for holiday tables
	// loaded by another replica.
	RefreshInterval time.Duration `yaml:"refresh_interval"`
	// ProvisionalMakeUpCoincident: on the provisional calendar (a year whose
	// State Council notice is not loaded yet), also make up a holiday that
	// falls on another holiday (中秋 on a 国庆 day), not only one that falls
	// on a weekend as 《全国年节及纪念日放假办法》 第六条 says.
	ProvisionalMakeUpCoincident bool `yaml:"provisional_makeup_coincident"`
}

// HTTP configures the listener and request limits.
type HTTP struct {
	Addr      string `yaml:"addr"`
	BodyLimit int64  `yaml:"body_limit"`
	// ImportLimit is the largest court caseload file an import accepts.
	ImportLimit     int64         `yaml:"import_limit"`
	TrustedProxies  []string      `yaml:"trusted_proxies"`
	ShutdownTimeout time.Duration `yaml:"shutdown_timeout"`
	RetryAfter      int           `yaml:"retry_after"`
	// TLS, when it names a certificate, makes jiefen serve HTTPS itself.
	TLS TLS `yaml:"tls"`
}

// TLS names the PEM files of the certificate (its chain, leaf first) and
// of its private key; both or neither.
type TLS struct {
	CertFile string `yaml:"cert_file"`
	KeyFile  string `yaml:"key_file"`
}

// DB configures the store.
type DB struct {
	Driver          string        `yaml:"driver"`
	DSN             string        `yaml:"dsn"`
	MaxOpenConns    int           `yaml:"max_open_conns"`
	MaxIdleConns    int           `yaml:"max_idle_conns"`
	ConnMaxLifetime time.Duration `yaml:"conn_max_lifetime"`
	ConnMaxIdleTime time.Duration `yaml:"conn_max_idle_time"`
	// MultiPrimary: several database nodes take writes at once (a Galera
	// cluster with replicas writing through more than one node). Dispute
	// numbers then come from blocks each replica reserves, and audit
	// entries are sealed into the chain within AuditSealInterval of their
	// write (docs/SCALING.md). mysql only.
	MultiPrimary bool `yaml:"multi_primary"`
	// AuditSealInterval: how often a replica seals the audit entries
	// written but not yet chained, when MultiPrimary (0.1s to 1m).
	AuditSealInterval time.Duration `yaml:"audit_seal_interval"`
}

// Auth configures sessions, and the lock-out policy and password age the
// database starts with (PasswordPolicy).
type Auth struct {
	IdleTimeout     time.Duration `yaml:"idle_timeout"`
	AbsoluteTimeout time.Duration `yaml:"absolute_timeout"`
	LockoutFailures int           `yaml:"lockout_failures"`
	LockoutWindow   time.Duration `yaml:"lockout_window"`
	LockoutDuration time.Duration `yaml:"lockout_duration"`
	// PasswordMaxAge is how long a password serves before its user must
	// change it (GB/T 22239-2019 8.1.4.1 a); 0: for ever.
	PasswordMaxAge time.Duration `yaml:"password_max_age"`
	// Login attempts allowed per client address and per username within
	// LoginRateWindow, in this replica, before any password is checked;
	// more get 429. 0 turns a limit off.
	LoginRatePerAddress int           `yaml:"login_rate_per_address"`
	LoginRatePerUser    int           `yaml:"login_rate_per_user"`
	LoginRateWindow     time.Duration `yaml:"login_rate_window"`
	// SessionCache is how long a replica trusts a session it has checked
	// before asking the database again (0 disables the cache).
	SessionCache time.Duration `yaml:"session_cache"`
}

// PasswordPolicy is the policy stored when the database holds none yet
// (the first start): API.md's lengths and classes with the configured
// lock-out and maximum age. From then on the security administrator sets
// it (PUT /api/v1/auth/password-policy), and these keys are not read.
func (a Auth) PasswordPolicy() auth.PasswordPolicy {
	p := auth.DefaultPasswordPolicy()
	p.MaxAgeDays = int(a.PasswordMaxAge / (24 * time.Hour))
	p.LockoutFailures = a.LockoutFailures
	p.LockoutWindowMinutes = int(a.LockoutWindow / time.Minute)
	p.LockoutMinutes = int(a.LockoutDuration / time.Minute)
	return p
}

// Idempotency configures how long Idempotency-Key answers are kept.
type Idempotency struct {
	TTL time.Duration `yaml:"ttl"`
}

// Log configures logging.
type Log struct {
	Level string `yaml:"level"`
}

// Default returns the embedded defaults.
func Default() Config {
	var c Config
	if err := decodeYAML(defaultYAML, &c); err != nil {
		panic("configs: embedded config.yaml: " + err.Error()) // a build defect, caught by tests
	}
	return c
}

// Load returns the defaults overlaid by the YAML file at path (when path is
// not empty) and then by the environment (lookup is usually os.LookupEnv),
// and validated. Errors name the offending key.
func Load(path string, lookup func(string) (string, bool)) (Config, error) {
	c := Default()
	if path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return Config{}, fmt.Errorf("config file: %w", err)
		}
		if err := decodeYAML(b, &c); err != nil {
			return Config{}, fmt.Errorf("config file %s: %w", path, err)
		}
	}
	if lookup != nil {
		if err := overlayEnv(reflect.ValueOf(&c).Elem(), "JIEFEN", "", lookup); err != nil {
			return Config{}, err
		}
	}
	return c, c.Validate()
}

func decodeYAML(b []byte, c *Config) error {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil && err.Error() != "EOF" {
		return err
	}
	return nil
}

// overlayEnv sets every leaf field of v whose environment variable is set.
func overlayEnv(v reflect.Value, envPrefix, keyPrefix string, lookup func(string) (string, bool)) error {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name := strings.Split(f.Tag.Get("yaml"), ",")[0]
		env := envPrefix + "_" + strings.ToUpper(name)
		key := name
		if keyPrefix != "" {
			key = keyPrefix + "." + name
		}
		fv := v.Field(i)
		if fv.Kind() == reflect.Struct {
			if err := overlayEnv(fv, env, key, lookup); err != nil {
				return err
			}
			continue
		}
		raw, ok := lookup(env)
		if !ok {
			continue
		}
		if err := setValue(fv, strings.TrimSpace(raw)); err != nil {
			return fmt.Errorf("%s (%s): %w", key, env, err)
		}
	}
	return nil
}

func setValue(v reflect.Value, raw string) error {
	switch {
	case v.Type() == reflect.TypeOf(time.Duration(0)):
		d, err := time.ParseDuration(raw)
		if err != nil {
			return fmt.Errorf("not a duration like 30s or 15m: %q", raw)
		}
		v.SetInt(int64(d))
	case v.Kind() == reflect.String:
		v.SetString(raw)
	case v.Kind() == reflect.Int || v.Kind() == reflect.Int64:
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			return fmt.Errorf("not a whole number: %q", raw)
		}
		v.SetInt(n)
	case v.Kind() == reflect.Bool:
		b, err := strconv.ParseBool(raw)
		if err != nil {
			return fmt.Errorf("not true or false: %q", raw)
		}
		v.SetBool(b)
	case v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.String:
		var items []string
		for _, s := range strings.Split(raw, ",") {
			if s = strings.TrimSpace(s); s != "" {
				items = append(items, s)
			}
		}
		v.Set(reflect.ValueOf(items))
	default:
		return fmt.Errorf("unsupported type %s", v.Type())
	}
	return nil
}

// Validate checks every value and the relations between them; the error
// names the first offending key.
func (c Config) Validate() error {
	bad := func(key, format string, args ...any) error {
		return fmt.Errorf("config %s: %s", key, fmt.Sprintf(format, args...))
	}
	if err := c.validateJobs(bad); err != nil {
		return err
	}
	if c.DB.Driver == "mysql" && c.PII.KeyFile == "" && c.PII.Keys == "" {
		return bad("pii.key_file", "is required with mysql: every replica must seal with the same keys (or set JIEFEN_PII_KEYS); `jiefen keys new FILE` makes a key file")
	}
	if _, _, err := net.SplitHostPort(c.HTTP.Addr); err != nil {
		return bad("http.addr", "want host:port, got %q", c.HTTP.Addr)
	}
	if c.HTTP.BodyLimit < 1024 {
		return bad("http.body_limit", "must be at least 1024 bytes")
	}
	if l := c.Litigation.Imports; l.UnzippedLimit <= 0 || l.RowLimit <= 0 || l.MaxRows <= 0 {
		return bad("litigation.imports", "every limit must be positive")
	}
	if t := c.Litigation.AppearerTitles; len(t.Principal) == 0 || len(t.Deputy) == 0 || len(t.InCharge) == 0 {
		return bad("litigation.appearer_titles", "principal, deputy and in_charge each need a title")
	}
	if c.HTTP.ImportLimit < c.HTTP.BodyLimit {
		return bad("http.import_limit", "must be at least http.body_limit")
	}
	for _, p := range c.HTTP.TrustedProxies {
		if net.ParseIP(p) == nil {
			if _, _, err := net.ParseCIDR(p); err != nil {
				return bad("http.trusted_proxies", "%q is neither an address nor a CIDR", p)
			}
		}
	}
	if c.HTTP.ShutdownTimeout <= 0 {
		return bad("http.shutdown_timeout", "must be positive")
	}
	if (c.HTTP.TLS.CertFile == "") != (c.HTTP.TLS.KeyFile == "") {
		return bad("http.tls", "cert_file and key_file go together: set both to serve HTTPS, or neither")
	}
	if c.HTTP.RetryAfter < 1 {
		return bad("http.retry_after", "must be at least 1 second")
	}
	switch c.DB.Driver {
	case "sqlite", "mysql":
	default:
		return bad("db.driver", "must be sqlite or mysql, got %q", c.DB.Driver)
	}
	if strings.TrimSpace(c.DB.DSN) == "" {
		return bad("db.dsn", "is required")
	}
	if c.DB.MultiPrimary && c.DB.Driver != "mysql" {
		return bad("db.multi_primary", "needs db.driver mysql: only a cluster of MySQL/MariaDB nodes has several primaries")
	}
	if c.DB.AuditSealInterval < 100*time.Millisecond || c.DB.AuditSealInterval > time.Minute {
		return bad("db.audit_seal_interval", "must be between 0.1s and 1m, got %s", c.DB.AuditSealInterval)
	}
	if c.DB.MaxOpenConns < 1 {
		return bad("db.max_open_conns", "must be at least 1")
	}
	if c.DB.MaxIdleConns < 0 || c.DB.MaxIdleConns > c.DB.MaxOpenConns {
		return bad("db.max_idle_conns", "must be between 0 and db.max_open_conns")
	}
	if c.DB.ConnMaxLifetime <= 0 {
		return bad("db.conn_max_lifetime", "must be positive (and under the server's wait_timeout)")
	}
	if c.DB.ConnMaxIdleTime <= 0 {
		return bad("db.conn_max_idle_time", "must be positive")
	}
	if c.Auth.IdleTimeout <= 0 {
		return bad("auth.idle_timeout", "must be positive")
	}
	if c.Auth.AbsoluteTimeout < c.Auth.IdleTimeout {
		return bad("auth.absolute_timeout", "must not be shorter than auth.idle_timeout")
	}
	if c.Auth.SessionCache < 0 || c.Auth.SessionCache > time.Minute {
		return bad("auth.session_cache", "must be between 0 and 1m")
	}
	if c.Auth.LockoutWindow%time.Minute != 0 {
		return bad("auth.lockout_window", "must be whole minutes")
	}
	if c.Auth.LockoutDuration%time.Minute != 0 {
		return bad("auth.lockout_duration", "must be whole minutes")
	}
	if c.Auth.PasswordMaxAge%(24*time.Hour) != 0 {
		return bad("auth.password_max_age", "must be whole days (0: passwords never expire)")
	}
	if err := c.Auth.PasswordPolicy().Validate(); err != nil {
		f := err.(*jiefen.Error).Fields[0]
		keys := map[string]string{"max_age_days": "auth.password_max_age", "lockout_failures": "auth.lockout_failures",
			"lockout_window_minutes": "auth.lockout_window", "lockout_minutes": "auth.lockout_duration"}
		return bad(keys[f.Field], "breaks API.md's password policy, the floor: %s", f.Message)
	}
	if c.Idempotency.TTL < time.Hour {
		return bad("idempotency.ttl", "must be at least 1h")
	}
	switch c.Calendar.Rollover {
	case "rest_day", "holiday":
	default:
		return bad("calendar.rollover", "must be rest_day or holiday, got %q", c.Calendar.Rollover)
	}
	if c.Calendar.RefreshInterval < time.Second {
		return bad("calendar.refresh_interval", "must be at least 1s")
	}
	if c.Calendar.RulesFile != "" {
		if _, err := Rules(c.Calendar.RulesFile); err != nil {
			return bad("calendar.rules_file", "%v", err)
		}
	}
	for key, fen := range map[string]int64{"general": c.Mediation.Subsidy.General, "difficult": c.Mediation.Subsidy.Difficult, "major": c.Mediation.Subsidy.Major} {
		if fen < 0 {
			return bad("mediation.subsidy."+key, "must not be negative (fen)")
		}
	}
	if r := c.Litigation.InterviewLossRate; r < 0 || r > 1 {
		return bad("litigation.interview_loss_rate", "must be a fraction from 0 to 1")
	}
	if r := c.Litigation.InterviewMinAppearanceRate; r < 0 || r > 1 {
		return bad("litigation.interview_min_appearance_rate", "must be a fraction from 0 to 1")
	}
	if c.Litigation.InterviewMinConcluded < 0 {
		return bad("litigation.interview_min_concluded", "must not be negative")
	}
	if c.Litigation.AlertDays < 0 {
		return bad("litigation.alert_days", "must not be negative")
	}
	switch c.Reconsideration.CorrectionRateBasis {
	case "concluded", "decisions":
	default:
		return bad("reconsideration.correction_rate_basis", "must be concluded or decisions, got %q", c.Reconsideration.CorrectionRateBasis)
	}
	if !validCodePrefix(c.Routing.CodePrefix) {
		return bad("routing.code_prefix", "must be 1 to 8 upper-case letters or digits, got %q", c.Routing.CodePrefix)
	}
	if c.Routing.MediatorCapacity < 1 {
		return bad("routing.mediator_capacity", "must be at least 1")
	}
	if c.Routing.RepeatWindowDays < 1 {
		return bad("routing.repeat_window_days", "must be at least 1")
	}
	if c.Routing.RefreshInterval < time.Second {
		return bad("routing.refresh_interval", "must be at least 1s")
	}
	if _, err := RoutingRules(c.Routing.RulesFile); err != nil {
		return bad("routing.rules_file", "%v", err)
	}
	if _, err := SeedOrgs(c.Orgs.SeedFile); err != nil {
		return bad("orgs.seed_file", "%v", err)
	}
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		return bad("log.level", "must be debug, info, warn or error, got %q", c.Log.Level)
	}
	return nil
}

func validCodePrefix(p string) bool {
	if len(p) < 1 || len(p) > 8 {
		return false
	}
	for _, r := range p {
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

func (c Config) validateJobs(bad func(key, format string, args ...any) error) error {
	j := c.Jobs
	if j.Lease < time.Second {
		return bad("jobs.lease", "must be at least 1s")
	}
	if j.CatchUp < 1 {
		return bad("jobs.catch_up", "must be at least 1")
	}
	if j.HistoryDays < 1 {
		return bad("jobs.history_days", "must be at least 1")
	}
	names := make([]string, 0, len(j.Schedules()))
	for name := range j.Schedules() {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if _, err := cron.ParseStandard(j.Schedules()[name]); err != nil {
			return bad("jobs."+name+".schedule", "%v", err)
		}
	}
	if j.DueSoon.Days < 1 {
		return bad("jobs.due_soon.days", "must be at least 1")
	}
	if j.AuditRetention.KeepDays < MinAuditKeepDays {
		return bad("jobs.audit_retention.keep_days", "must be at least %d: 网络安全法 第21条 keeps logs six months", MinAuditKeepDays)
	}
	n := c.Notify
	if n.MaxAttempts < 1 {
		return bad("notify.max_attempts", "must be at least 1")
	}
	if n.Backoff <= 0 || n.MaxBackoff < n.Backoff {
		return bad("notify.backoff", "must be positive and at most notify.max_backoff")
	}
	if n.Timeout <= 0 {
		return bad("notify.timeout", "must be positive")
	}
	seen := map[string]bool{}
	for i, w := range n.Webhooks {
		key := fmt.Sprintf("notify.webhooks[%d]", i)
		if w.Name == "" || seen[w.Name] {
			return bad(key+".name", "must be present and unique")
		}
		// The name is kept with every delivery (webhook_deliveries.webhook).
		if utf8.RuneCountInString(w.Name) > 100 || strings.IndexFunc(w.Name, unicode.IsControl) >= 0 {
			return bad(key+".name", "must be at most 100 characters, without control characters")
		}
		seen[w.Name] = true
		if u, err := url.Parse(w.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return bad(key+".url", "must be an http or https URL")
		}
		if len(w.Secret) < 16 {
			return bad(key+".secret", "must be at least 16 characters")
		}
	}
	return nil
}
