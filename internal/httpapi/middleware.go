package httpapi

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"jiefen"
	"jiefen/internal/auth"
	"jiefen/internal/sqlstore"
)

// SessionStore is what the authenticate middleware needs of the store: the
// actor a session token stands for.
type SessionStore interface {
	Authenticate(ctx context.Context, tokenHash string, p auth.SessionPolicy) (jiefen.Actor, time.Time, error)
}

// IdempotencyStore is what the idempotent middleware needs of the store:
// it claims an Idempotency-Key, then keeps the answer or lets the key go.
type IdempotencyStore interface {
	ClaimIdempotencyKey(ctx context.Context, userID int64, key, requestHash string, ttl time.Duration) (*sqlstore.IdempotentResponse, error)
	ReleaseIdempotencyKey(ctx context.Context, userID int64, key string) error
	FinishIdempotencyKey(ctx context.Context, userID int64, key string, status int, location string, body []byte) error
}

// recoverPanics turns a panic into a logged 500, keeping the process up.
func (s *Server) recoverPanics(c *gin.Context) {
	defer func() {
		if r := recover(); r != nil {
			if r == http.ErrAbortHandler {
				panic(r)
			}
			s.log.ErrorContext(c, "panic", "request_id", jiefen.RequestIDFrom(c), "route", c.FullPath(), "panic", fmt.Sprint(r),
				"stack", string(debug.Stack()))
			s.fail(c, jiefen.Errorf(jiefen.EINTERNAL, "panic"))
		}
	}()
	c.Next()
}

// requestID takes a well-formed X-Request-ID from the client or makes one,
// returns it in the response and puts it in the request's context, so that
// logs and audit entries of one request can be joined.
func (s *Server) requestID(c *gin.Context) {
	id := c.GetHeader("X-Request-ID")
	if !validRequestID(id) {
		b := make([]byte, 12)
		rand.Read(b)
		id = hex.EncodeToString(b)
	}
	c.Header("X-Request-ID", id)
	c.Request = c.Request.WithContext(jiefen.NewContextWithRequestID(c.Request.Context(), id))
	c.Next()
}

func validRequestID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

// idempotencyKey is the request's Idempotency-Key, "" when it has none,
// checked before it is stored: at most 200 characters (the width of its
// column) of printable ASCII, as the IETF's Idempotency-Key header (a
// structured-field string; a UUID is the usual key) has.
func idempotencyKey(c *gin.Context) (string, error) {
	key := strings.TrimSpace(c.GetHeader("Idempotency-Key"))
	bad := ""
	switch {
	case len(key) > 200:
		bad = "至多 200 个字符"
	case strings.IndexFunc(key, func(r rune) bool { return r < 0x20 || r > 0x7e }) >= 0:
		bad = "只能由可打印的 ASCII 字符组成（例如 UUID）"
	}
	if bad != "" {
		return "", &jiefen.Error{Code: jiefen.EINVALID, Message: "Idempotency-Key 不合格",
			Fields: []jiefen.FieldError{{Field: "Idempotency-Key", Message: bad}}}
	}
	return key, nil
}

// maxPathParam is the longest path parameter (an id, a code, a username,
// a year, a document's name) that can name a record: the widest of their
// columns, that of the audit log's target_id.
const maxPathParam = 200

// checkIdentifiers refuses, before any handler reads or writes, what the
// path and query of a request carry that no record can be named by: a
// path parameter that is not UTF-8, holds a control character or is
// longer than maxPathParam is not found (404); a query value or name that
// is not UTF-8 or holds a control character is refused naming the
// parameter (422). Handlers check the form of each parameter besides.
func (s *Server) checkIdentifiers(c *gin.Context) {
	for _, p := range c.Params {
		if len(p.Value) > maxPathParam || !plainText(p.Value) {
			s.fail(c, jiefen.Errorf(jiefen.ENOTFOUND, "not found"))
			return
		}
	}
	var problems jiefen.Problems
	for name, values := range c.Request.URL.Query() {
		if !plainText(name) {
			problems.Add("query", "参数名须为不含控制字符的 UTF-8 文本")
			continue
		}
		for _, v := range values {
			if !plainText(v) {
				problems.Add(name, "须为不含控制字符的 UTF-8 文本")
				break
			}
		}
	}
	if err := problems.Err(); err != nil {
		s.fail(c, err)
		return
	}
	c.Next()
}

// plainText reports whether s is UTF-8 without control characters.
func plainText(s string) bool {
	return utf8.ValidString(s) && strings.IndexFunc(s, unicode.IsControl) < 0
}

// observe counts and times every request by route and logs one JSON line
// for it. The line holds no query string, body or name: nothing personal.
func (s *Server) observe(c *gin.Context) {
	start := time.Now()
	c.Next()
	route := c.FullPath()
	if route == "" {
		route = "unmatched"
	}
	status := c.Writer.Status()
	elapsed := time.Since(start)
	s.metrics.requests.WithLabelValues(c.Request.Method, route, strconv.Itoa(status)).Inc()
	s.metrics.latency.WithLabelValues(c.Request.Method, route).Observe(elapsed.Seconds())
	actor, _ := jiefen.ActorFrom(c.Request.Context())
	s.log.InfoContext(c, "request", "method", c.Request.Method, "route", route, "status", status,
		"duration_ms", float64(elapsed.Microseconds())/1000, "request_id", jiefen.RequestIDFrom(c.Request.Context()),
		"user_id", actor.UserID, "bytes", c.Writer.Size())
}

// limitBody caps every request body; reading past the cap fails, and the
// decoder answers 413.
func (s *Server) limitBody(c *gin.Context) {
	limit := s.opts.BodyLimit
	if c.FullPath() == importPath && s.opts.ImportLimit > limit {
		limit = s.opts.ImportLimit
	}
	if c.Request.ContentLength > limit {
		s.fail(c, jiefen.Errorf(jiefen.ETOOLARGE, "the body is larger than %d bytes", limit))
		return
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limit)
	c.Next()
}

// authenticate requires a valid bearer session and puts its actor in the
// request's context.
func (s *Server) authenticate(c *gin.Context) {
	token, ok := bearer(c.GetHeader("Authorization"))
	if !ok {
		// A browser session: the cookie, and on every write the CSRF token
		// of the other cookie echoed in the header.
		cookie, err := c.Cookie(sessionCookie)
		if err != nil || cookie == "" {
			s.fail(c, jiefen.Errorf(jiefen.EUNAUTHORIZED, "log in and send Authorization: Bearer <token>"))
			return
		}
		if !safeMethod(c.Request.Method) {
			want, got := csrfToken(cookie), c.GetHeader(csrfHeader)
			if subtle.ConstantTimeCompare([]byte(want), []byte(got)) != 1 {
				s.fail(c, jiefen.Errorf(jiefen.EFORBIDDEN, "a write from the browser needs the X-CSRF-Token header"))
				return
			}
		}
		token = cookie
	}
	hash := auth.HashToken(token)
	actor, ok := s.sessions.get(hash)
	if !ok {
		var expires time.Time
		var err error
		actor, expires, err = s.sessionStore.Authenticate(c.Request.Context(), hash, s.opts.Sessions)
		if err != nil {
			s.fail(c, err)
			return
		}
		s.sessions.put(hash, actor, expires)
	}
	c.Set(tokenKey, hash)
	c.Request = c.Request.WithContext(jiefen.NewContextWithActor(c.Request.Context(), actor))
	policy, err := s.passwordPolicy(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	if passwordChangeDue(actor, policy, s.now()) && !passwordChangeRoutes[c.Request.Method+" "+c.FullPath()] {
		s.fail(c, jiefen.Errorf(jiefen.EPASSWORDCHANGE, "请先修改密码：初始密码、重置后的一次性密码或已超过有效期的密码须修改后才能继续使用（GB/T 22239-2019 8.1.4.1 a）"))
		return
	}
	c.Next()
}

// passwordChangeRoutes are what a user who must change the password may
// still do: change it (reading the rules a new one must meet), log out
// and ask who they are.
var passwordChangeRoutes = map[string]bool{
	"POST /api/v1/auth/password":       true,
	"GET /api/v1/auth/password-policy": true,
	"POST /api/v1/auth/logout":         true,
	"GET /api/v1/auth/me":              true,
}

// tokenKey holds the hash of the request's session token, for logout.
const tokenKey = "jiefen.token_hash"

// safeMethod: a request that changes nothing, needing no CSRF token.
func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

func bearer(h string) (string, bool) {
	const prefix = "bearer "
	if len(h) <= len(prefix) || !strings.EqualFold(h[:len(prefix)], prefix) {
		return "", false
	}
	t := strings.TrimSpace(h[len(prefix):])
	return t, t != ""
}

// allow lets only the given roles through; others get 403.
func (s *Server) allow(roles ...jiefen.Role) gin.HandlerFunc {
	return func(c *gin.Context) {
		actor, _ := jiefen.ActorFrom(c.Request.Context())
		if !slices.Contains(roles, actor.Role) {
			s.fail(c, jiefen.Errorf(jiefen.EFORBIDDEN, "the role %q may not do this", actor.Role))
			return
		}
		c.Next()
	}
}

// idempotent makes a creating POST safe to retry (API.md, "Conventions"):
// under the same Idempotency-Key the same body replays the first answer,
// another body is refused (422), and a retry while the first is still
// running is a conflict (409). Keys are per user, kept in the database so
// that they hold across replicas and restarts, and expire after the
// configured TTL. An answer of 5xx is not kept, so the request can be
// retried under the same key.
func (s *Server) idempotent(c *gin.Context) {
	key, err := idempotencyKey(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	if key == "" {
		c.Next()
		return
	}
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		s.fail(c, readError(err))
		return
	}
	c.Request.Body = io.NopCloser(bytes.NewReader(body))
	hash := requestSum(c.Request.Method, c.Request.URL.Path, body)
	actor, _ := jiefen.ActorFrom(c.Request.Context())
	ctx := c.Request.Context()
	prev, err := s.idempotency.ClaimIdempotencyKey(ctx, actor.UserID, key, hash, s.opts.IdempotencyTTL)
	if err != nil {
		s.fail(c, err)
		return
	}
	if prev != nil {
		switch {
		case prev.RequestHash != hash:
			s.fail(c, &jiefen.Error{Code: jiefen.EINVALID, Message: "this Idempotency-Key was used with another request",
				Fields: []jiefen.FieldError{{Field: "Idempotency-Key", Message: "reused with a different body"}}})
		case !prev.Done:
			s.fail(c, jiefen.Errorf(jiefen.ECONFLICT, "a request with this Idempotency-Key is still running"))
		default:
			if prev.Location != "" {
				c.Header("Location", prev.Location)
			}
			replayETag(c, prev.Status, prev.Body)
			c.Header("Idempotent-Replayed", "true")
			c.Data(prev.Status, "application/json; charset=utf-8", prev.Body)
			c.Abort()
		}
		return
	}
	rec := &recorder{ResponseWriter: c.Writer}
	c.Writer = rec
	c.Next()
	status := rec.Status()
	// The key's bookkeeping must not be lost to a client that hung up.
	bg := context.WithoutCancel(ctx)
	if status >= 500 {
		if err := s.idempotency.ReleaseIdempotencyKey(bg, actor.UserID, key); err != nil {
			s.log.WarnContext(c, "idempotency release failed", "request_id", jiefen.RequestIDFrom(ctx), "error", err.Error())
		}
		return
	}
	if err := s.idempotency.FinishIdempotencyKey(bg, actor.UserID, key, status, rec.Header().Get("Location"), rec.body.Bytes()); err != nil {
		s.log.WarnContext(c, "idempotency finish failed", "request_id", jiefen.RequestIDFrom(ctx), "error", err.Error())
	}
}

// replayETag sets on a replayed answer the ETag the first one carried:
// the version of the record it holds ("<version>"), read from the kept
// body, since only the body and the Location are kept (issue 22).
func replayETag(c *gin.Context, status int, body []byte) {
	if status < 200 || status > 299 {
		return
	}
	var rec struct {
		Version *int64 `json:"version"`
	}
	if json.Unmarshal(body, &rec) == nil && rec.Version != nil {
		c.Header("ETag", etag(*rec.Version))
	}
}

// recorder keeps a copy of the response body for idempotent replays.
type recorder struct {
	gin.ResponseWriter
	body bytes.Buffer
}

func (r *recorder) Write(b []byte) (int, error) {
	r.body.Write(b)
	return r.ResponseWriter.Write(b)
}

func (r *recorder) WriteString(s string) (int, error) {
	r.body.WriteString(s)
	return r.ResponseWriter.WriteString(s)
}

// requestSum identifies a request for its Idempotency-Key: method, path and
// body.
func requestSum(method, path string, body []byte) string {
	sum := sha256.New()
	sum.Write([]byte(method + " " + path + "\n"))
	sum.Write(body)
	return hex.EncodeToString(sum.Sum(nil))
}

// sessionCache remembers sessions this replica has just checked, for a few
// seconds (auth.session_cache), so that a burst of requests costs one
// database read. The price, kept small and configurable: a logout or
// deactivation on another replica takes up to that long to reach this one.
// A logout on this replica takes effect at once.
type sessionCache struct {
	ttl time.Duration
	mu  sync.Mutex
	m   map[string]cachedSession
}

type cachedSession struct {
	actor jiefen.Actor
	until time.Time
}

func (sc *sessionCache) get(hash string) (jiefen.Actor, bool) {
	if sc.ttl <= 0 {
		return jiefen.Actor{}, false
	}
	sc.mu.Lock()
	defer sc.mu.Unlock()
	e, ok := sc.m[hash]
	if !ok || time.Now().After(e.until) {
		return jiefen.Actor{}, false
	}
	return e.actor, true
}

func (sc *sessionCache) put(hash string, a jiefen.Actor, expires time.Time) {
	if sc.ttl <= 0 {
		return
	}
	until := time.Now().Add(sc.ttl)
	if expires.Before(until) {
		until = expires
	}
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if len(sc.m) >= 10000 {
		sc.m = map[string]cachedSession{} // bounded: start afresh rather than grow
	}
	sc.m[hash] = cachedSession{actor: a, until: until}
}

func (sc *sessionCache) drop(hash string) {
	sc.mu.Lock()
	delete(sc.m, hash)
	sc.mu.Unlock()
}

// dropUser forgets every session of a user, after a change to the account
// (disabled, password changed or reset), so that on this replica it takes
// effect at once.
func (sc *sessionCache) dropUser(userID int64) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	for hash, e := range sc.m {
		if e.actor.UserID == userID {
			delete(sc.m, hash)
		}
	}
}

// securityHeaders sets on every answer what a browser needs to treat it
// safely: no type sniffing, no framing, no referrer; API answers are never
// cached and carry a policy that forbids everything (they are data, not
// pages; the dashboard's pages set their own policy); over TLS, also TLS
// ended at a trusted proxy, HSTS.
func (s *Server) securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	if strings.HasPrefix(c.Request.URL.Path, "/api/") {
		h.Set("Cache-Control", "no-store")
		h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
	}
	if s.overTLS(c) {
		h.Set("Strict-Transport-Security", "max-age=31536000")
	}
	c.Next()
}

// overTLS reports whether the client reached us over TLS: to this server,
// or to a trusted proxy that says so (X-Forwarded-Proto: https).
func (s *Server) overTLS(c *gin.Context) bool {
	if c.Request.TLS != nil {
		return true
	}
	if !strings.EqualFold(c.GetHeader("X-Forwarded-Proto"), "https") {
		return false
	}
	peer, err := netip.ParseAddr(c.RemoteIP())
	if err != nil {
		return false
	}
	for _, p := range s.proxies {
		if p.Contains(peer.Unmap()) {
			return true
		}
	}
	return false
}
