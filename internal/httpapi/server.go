// Package httpapi serves jiefen's JSON API with gin: every route in
// routes.go, the request and response shapes, the middleware (request id,
// logging, metrics, body limit, authentication, roles, idempotency) and the
// one table that maps error codes to HTTP statuses.
package httpapi

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"jiefen"
	"jiefen/calendar"
	"jiefen/internal/auth"
	"jiefen/internal/live"
	"jiefen/internal/sqlstore"
	"jiefen/mediation"
	"jiefen/reconsideration"
	"jiefen/report"
)

// Options are the plain values the server needs from the configuration.
type Options struct {
	BodyLimit      int64
	ImportLimit    int64 // the body limit of a court caseload import
	TrustedProxies []string
	RetryAfter     int // seconds, sent with 503
	Sessions       auth.SessionPolicy
	SessionCache   time.Duration // how long this replica trusts a checked session; 0: never
	// PasswordPolicy is the stored password and lock-out policy the
	// security administrator sets.
	PasswordPolicy *live.PasswordPolicy
	// LoginLimits bound login attempts per client address and per
	// username (429), before the password is checked.
	LoginLimits    LoginLimits
	IdempotencyTTL time.Duration
	Hasher         auth.Hasher
	Holidays       *live.Calendar  // the working-day calendar
	Rules          *calendar.Rules // the catalogue of statutory clocks
	Routing        *live.Routing   // the routing rules
	Intake         sqlstore.IntakePolicy
	Intaker        Intaker // registers disputes with group commit
	Mediation      mediation.Policy
	// CorrectionRateBasis is what the reconsideration correction rate
	// divides by (configs: reconsideration.correction_rate_basis).
	CorrectionRateBasis reconsideration.RateBasis
	// ReconsiderationBody is the org code of the reconsideration organ.
	ReconsiderationBody string
	Litigation          LitigationPolicy
	// Drafter writes the annual report's draft text (configs:
	// report.annual_template); nil: the report has no draft.
	Drafter *report.Drafter
	// Scheduler lists the scheduled jobs (nil: this replica runs none).
	Scheduler Scheduler
}

// Intaker registers disputes, committing concurrent intakes together
// (sqlstore.Intaker).
type Intaker interface {
	Register(job *sqlstore.IntakeJob) sqlstore.IntakeResult
}

// LoginLimits are the limits of login attempts in a window.
type LoginLimits struct {
	PerAddress, PerUser int
	Window              time.Duration
}

// Stores are the stores the server uses, one small interface per handler
// file and per middleware (cmd/jiefen wires them). Each field is what its
// user needs of the data, and nothing more.
type Stores struct {
	// Database is pinged by the health checks and the database watch, and
	// gives the metrics its connection pool.
	Database Database
	// Sessions authenticates session tokens (the authenticate middleware).
	Sessions SessionStore
	// Idempotency keeps the Idempotency-Keys and their answers (the
	// idempotent middleware).
	Idempotency IdempotencyStore
	// Auth serves login, logout, passwords and accounts (handlers_auth.go).
	Auth AuthStore
	// Orgs serves the org registry (handlers_orgs.go).
	Orgs OrgStore
	// Disputes serves intake, the dispute registry, transfers and
	// assignments (handlers_disputes.go).
	Disputes DisputeStore
	// Mediation serves the mediation cases, subsidies and ratings
	// (handlers_mediation.go).
	Mediation MediationStore
	// Reconsideration serves the reconsideration cases and their
	// statistics (handlers_reconsideration.go).
	Reconsideration ReconsiderationStore
	// Litigation serves the litigation cases, statistics and interviews
	// (handlers_litigation.go).
	Litigation LitigationStore
	// CourtSync serves the court caseload imports and the reconciliation
	// (handlers_courtsync.go).
	CourtSync CourtSyncStore
	// Liaison serves the 府院联动 ledger and the judicial suggestions
	// (handlers_liaison.go).
	Liaison LiaisonStore
	// Calendar serves the holiday tables and the clocks' recount
	// (handlers_calendar.go).
	Calendar CalendarStore
	// Jobs serves the scheduled jobs, notifications, webhook deliveries
	// and the clocks summary (handlers_jobs.go).
	Jobs JobStore
	// Audit serves the audit log and its verification (handlers_audit.go).
	Audit AuditStore
	// Report serves the annual report, reading every domain's statistics
	// (handlers_report.go).
	Report ReportStore
	// Now returns the current instant (the store's clock, which tests
	// move); nil: time.Now.
	Now func() time.Time
}

// missing names the stores left nil.
func (st Stores) missing() []string {
	var names []string
	for name, nilStore := range map[string]bool{
		"Database": st.Database == nil, "Sessions": st.Sessions == nil, "Idempotency": st.Idempotency == nil,
		"Auth": st.Auth == nil, "Orgs": st.Orgs == nil, "Disputes": st.Disputes == nil,
		"Mediation": st.Mediation == nil, "Reconsideration": st.Reconsideration == nil,
		"Litigation": st.Litigation == nil, "CourtSync": st.CourtSync == nil, "Liaison": st.Liaison == nil,
		"Calendar": st.Calendar == nil, "Jobs": st.Jobs == nil, "Audit": st.Audit == nil,
	} {
		if nilStore {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

// Server holds what the handlers share: the middleware, the error answer
// and the helpers. The handlers themselves are the types of the
// handlers_*.go files, each with its own store.
type Server struct {
	database     Database
	sessionStore SessionStore
	idempotency  IdempotencyStore
	// now returns the current instant (Stores.Now).
	now      func() time.Time
	opts     Options
	log      *slog.Logger
	metrics  *metrics
	engine   *gin.Engine
	sessions *sessionCache
	// byAddress and byUser count login attempts (opts.LoginLimits).
	byAddress, byUser *auth.Limiter
	health            dbHealth
	// proxies are the trusted proxies (Options.TrustedProxies), whose
	// X-Forwarded-Proto is believed.
	proxies []netip.Prefix
}

// New builds the gin engine with every route. The caller runs it with an
// http.Server and owns the stores.
func New(stores Stores, opts Options, log *slog.Logger) (*Server, error) {
	if missing := stores.missing(); len(missing) > 0 {
		return nil, fmt.Errorf("httpapi: no store for %s", strings.Join(missing, ", "))
	}
	now := stores.Now
	if now == nil {
		now = time.Now
	}
	s := &Server{database: stores.Database, sessionStore: stores.Sessions, idempotency: stores.Idempotency, now: now,
		opts: opts, log: log, metrics: newMetrics(stores.Database.SQL()),
		sessions:  &sessionCache{ttl: opts.SessionCache, m: map[string]cachedSession{}},
		byAddress: &auth.Limiter{Limit: opts.LoginLimits.PerAddress, Window: opts.LoginLimits.Window},
		byUser:    &auth.Limiter{Limit: opts.LoginLimits.PerUser, Window: opts.LoginLimits.Window}}
	e := gin.New()
	e.HandleMethodNotAllowed = true
	e.ContextWithFallback = true
	if err := e.SetTrustedProxies(opts.TrustedProxies); err != nil {
		return nil, err
	}
	for _, p := range opts.TrustedProxies {
		prefix, err := netip.ParsePrefix(p)
		if err != nil {
			addr, aerr := netip.ParseAddr(p)
			if aerr != nil {
				return nil, fmt.Errorf("trusted proxy %q: %w", p, err)
			}
			prefix = netip.PrefixFrom(addr, addr.BitLen())
		}
		s.proxies = append(s.proxies, prefix)
	}
	if len(opts.TrustedProxies) == 0 {
		e.ForwardedByClientIP = false
	}
	e.Use(s.recoverPanics, s.requestID, s.securityHeaders, s.observe, s.checkIdentifiers, s.guardDatabase, s.limitBody)
	e.NoRoute(func(c *gin.Context) { s.fail(c, jiefen.Errorf(jiefen.ENOTFOUND, "no such route")) })
	e.NoMethod(func(c *gin.Context) {
		lang := readerLang(c)
		c.Header("Content-Language", contentLanguage(lang))
		c.AbortWithStatusJSON(http.StatusMethodNotAllowed, errorBody("method_not_allowed", jiefen.Textf("the method is not allowed on this path").In(lang), nil))
	})
	s.engine = e
	s.metrics.registry.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "jiefen_calendar_table_missing",
		Help: "1 when this year's holiday table, or from 1 November next year's, is not loaded.",
	}, func() float64 {
		if s.calendarWarning(context.Background()) != "" {
			return 1
		}
		return 0
	}))
	s.routes(stores)
	return s, nil
}

// Handler returns the http.Handler to serve.
func (s *Server) Handler() http.Handler { return s.engine }

// Routes lists the registered routes, for the OpenAPI test.
func (s *Server) Routes() gin.RoutesInfo { return s.engine.Routes() }

// Registry returns the server's Prometheus registry.
func (s *Server) Registry() *prometheus.Registry { return s.metrics.registry }
