package httpapi

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"jiefen"
	"jiefen/internal/auth"
	"jiefen/internal/web"
)

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

type loginResponse struct {
	Token     string      `json:"token,omitempty"`
	ExpiresAt time.Time   `json:"expires_at"`
	User      jiefen.User `json:"user"`
}

// login opens a session: 401 for a wrong name or password (the same answer
// for both), 423 while the name is locked out. With ?cookie=true (the web
// dashboard) the token goes into an HttpOnly, SameSite=Strict cookie
// (Secure over TLS) instead of the answer, with the CSRF cookie the pages
// echo in X-CSRF-Token.
func (s *Server) login(c *gin.Context) {
	var req loginRequest
	if err := decode(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	var p jiefen.Problems
	if req.Username == "" {
		p.Add("username", "is required")
	}
	if req.Password == "" {
		p.Add("password", "is required")
	}
	if err := p.Err(); err != nil {
		s.fail(c, err)
		return
	}
	username, err := auth.NormalizeUsername(req.Username)
	if err != nil {
		// Counted and refused like any unknown name, and recorded so, but
		// cut short: a 900 KB name must not reach the permanent audit log.
		username = req.Username
		if r := []rune(username); len(r) > 64 { // the width of a username's columns
			username = string(r[:63]) + "…"
		}
	}
	now := s.db.Now()
	if ok, retry := s.byAddress.Allow(c.ClientIP(), now); !ok {
		s.tooMany(c, retry, "too many login attempts from this address")
		return
	}
	if ok, retry := s.byUser.Allow(username, now); !ok {
		s.tooMany(c, retry, "too many login attempts for this username")
		return
	}
	token, hash, err := auth.NewToken()
	if err != nil {
		s.fail(c, err)
		return
	}
	user, err := s.db.Login(c.Request.Context(), username, req.Password, hash, s.opts.Lockout)
	if err != nil {
		s.fail(c, err)
		return
	}
	now = s.db.Now()
	expires := s.opts.Sessions.ExpiresAt(auth.Session{CreatedAt: now, LastSeenAt: now})
	c.Header("Cache-Control", "no-store")
	if c.Query("cookie") == "true" {
		s.setCookie(c, sessionCookie, token, true)
		s.setCookie(c, csrfCookie, csrfToken(token), false)
		c.JSON(http.StatusOK, loginResponse{ExpiresAt: expires, User: user})
		return
	}
	c.JSON(http.StatusOK, loginResponse{Token: token, ExpiresAt: expires, User: user})
}

// tooMany answers 429 with Retry-After in whole seconds (at least 1).
func (s *Server) tooMany(c *gin.Context, retry time.Duration, msg string) {
	c.Header("Retry-After", strconv.Itoa(max(1, int((retry+time.Second-1)/time.Second))))
	s.fail(c, jiefen.Errorf(jiefen.ERATELIMITED, "%s; try again later", msg))
}

// The cookies of a browser session: the session token, readable by no
// script, and the CSRF token, which the pages read and send back in
// X-CSRF-Token on every write. The CSRF token is derived from the session
// token, so a cookie planted by another site cannot forge a pair (and the
// cookies are SameSite=Strict besides).
const (
	sessionCookie = web.SessionCookie
	csrfCookie    = "jiefen_csrf"
	csrfHeader    = "X-CSRF-Token"
)

// csrfToken is the CSRF token of a session token.
func csrfToken(session string) string {
	sum := sha256.Sum256([]byte("jiefen csrf\x00" + session))
	return hex.EncodeToString(sum[:16])
}

// setCookie sets (or, with value "", clears) a cookie of the whole site:
// SameSite=Strict, Secure when the request came over TLS.
func (s *Server) setCookie(c *gin.Context, name, value string, httpOnly bool) {
	maxAge := 0
	if value == "" {
		maxAge = -1
	}
	http.SetCookie(c.Writer, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: httpOnly,
		Secure: s.overTLS(c), SameSite: http.SameSiteStrictMode})
}

func (s *Server) logout(c *gin.Context) {
	if err := s.db.Logout(c.Request.Context(), c.GetString(tokenKey)); err != nil {
		s.fail(c, err)
		return
	}
	s.sessions.drop(c.GetString(tokenKey))
	if _, err := c.Cookie(sessionCookie); err == nil {
		s.setCookie(c, sessionCookie, "", true)
		s.setCookie(c, csrfCookie, "", false)
	}
	c.Status(http.StatusNoContent)
}

func (s *Server) me(c *gin.Context) {
	actor, _ := jiefen.ActorFrom(c.Request.Context())
	u, err := s.db.User(c.Request.Context(), actor.Username)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, u)
}

type userRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
	Role     string `json:"role"`
	Org      string `json:"org"`
}

// createUser adds an account (admin). The password policy of API.md holds.
func (s *Server) createUser(c *gin.Context) {
	var req userRequest
	if err := decode(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	// 三员分立 (GB/T 22239-2019): the system administrator manages the
	// accounts of the business roles, never another administrator's or the
	// auditor's; those are made on the host (jiefen user create, audited).
	if actor, _ := jiefen.ActorFrom(c.Request.Context()); actor.Role == jiefen.RoleAdmin &&
		(jiefen.Role(req.Role) == jiefen.RoleAdmin || jiefen.Role(req.Role) == jiefen.RoleAuditor) {
		s.fail(c, jiefen.Errorf(jiefen.EFORBIDDEN, "系统管理员不能创建系统管理员或审计员账号（三员分立）：请在主机上用 jiefen user create 创建"))
		return
	}
	u, hash, err := NewUser(s.opts.Hasher, req.Username, req.Password, jiefen.Role(req.Role), req.Org)
	if err != nil {
		s.fail(c, err)
		return
	}
	u, err = s.db.CreateUser(c.Request.Context(), u, hash)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Location", "/api/v1/users/"+u.Username)
	c.Header("ETag", etag(u.Version))
	c.JSON(http.StatusCreated, u)
}

// NewUser checks a new account's fields, naming each bad one, and hashes its
// password. The command line's `jiefen user create` uses it too.
func NewUser(h auth.Hasher, username, password string, role jiefen.Role, org string) (jiefen.User, string, error) {
	var p jiefen.Problems
	name, err := auth.NormalizeUsername(username)
	if err != nil {
		p.Add("username", "%s", err.(*jiefen.Error).Message)
	}
	if err := auth.CheckPassword(password); err != nil {
		p.Add("password", "%s", err.(*jiefen.Error).Message)
	}
	if !role.Valid() {
		p.Add("role", "must be one of admin, auditor, intake, mediator, reconsideration, agency_staff, court_liaison, leader")
	}
	if err := p.Err(); err != nil {
		return jiefen.User{}, "", err
	}
	hash, err := h.Hash(password)
	if err != nil {
		return jiefen.User{}, "", err
	}
	return jiefen.User{Username: name, Role: role, OrgCode: org, Active: true}, hash, nil
}

func (s *Server) listUsers(c *gin.Context) {
	limit, after, err := page(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	users, err := s.db.ListUsers(c.Request.Context(), after, limit)
	if err != nil {
		s.fail(c, err)
		return
	}
	out := list[jiefen.User]{Items: users}
	if len(users) == limit {
		out.NextCursor = encodeCursor(users[len(users)-1].ID)
	}
	c.JSON(http.StatusOK, out)
}

func (s *Server) getUser(c *gin.Context) {
	u, err := s.db.User(c.Request.Context(), c.Param("username"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("ETag", etag(u.Version))
	c.JSON(http.StatusOK, u)
}
