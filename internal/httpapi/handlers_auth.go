package httpapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"jiefen"
	"jiefen/internal/auth"
	"jiefen/internal/sqlstore"
	"jiefen/internal/web"
)

// AuthStore is what the account handlers need of the store: login and
// logout, passwords and the password policy, the accounts and their
// state, and the names of the accounts' orgs.
type AuthStore interface {
	ChangePassword(ctx context.Context, username, old, newHash, keepToken string, lock auth.Lockout) (jiefen.User, error)
	CreateUser(ctx context.Context, u jiefen.User, passwordHash string) (jiefen.User, error)
	ListUsers(ctx context.Context, f sqlstore.UserFilter) ([]jiefen.User, error)
	Login(ctx context.Context, username, password, tokenHash string, lock auth.Lockout) (jiefen.User, error)
	Logout(ctx context.Context, tokenHash string) error
	OrgNames(ctx context.Context, codes []string) (map[string]string, error)
	PutPasswordPolicy(ctx context.Context, p auth.PasswordPolicy, ifVersion int64) (auth.PasswordPolicy, error)
	ResetPassword(ctx context.Context, username string, a sqlstore.AccountAction, hash string) (jiefen.User, error)
	SetUserActive(ctx context.Context, username string, active bool, a sqlstore.AccountAction) (jiefen.User, error)
	UnlockUser(ctx context.Context, username string, a sqlstore.AccountAction) (jiefen.User, error)
	User(ctx context.Context, username string) (jiefen.User, error)
}

// authAPI serves /auth (login, logout, the caller, passwords and the
// password policy) and /users (the accounts).
type authAPI struct {
	*Server
	store AuthStore
}

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
func (s *authAPI) login(c *gin.Context) {
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
	now := s.now()
	if ok, retry := s.byAddress.Allow(c.ClientIP(), now); !ok {
		s.tooMany(c, retry, jiefen.Textf("too many login attempts from this address"))
		return
	}
	if ok, retry := s.byUser.Allow(username, now); !ok {
		s.tooMany(c, retry, jiefen.Textf("too many login attempts for this username"))
		return
	}
	policy, err := s.passwordPolicy(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	token, hash, err := auth.NewToken()
	if err != nil {
		s.fail(c, err)
		return
	}
	user, err := s.store.Login(c.Request.Context(), username, req.Password, hash, policy.Lockout())
	if err != nil {
		s.fail(c, err)
		return
	}
	user = s.present(c, user)
	now = s.now()
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
func (s *authAPI) tooMany(c *gin.Context, retry time.Duration, msg jiefen.Text) {
	c.Header("Retry-After", strconv.Itoa(max(1, int((retry+time.Second-1)/time.Second))))
	s.fail(c, jiefen.Errorf(jiefen.ERATELIMITED, "%v; try again later", msg))
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
func (s *authAPI) setCookie(c *gin.Context, name, value string, httpOnly bool) {
	maxAge := 0
	if value == "" {
		maxAge = -1
	}
	http.SetCookie(c.Writer, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: httpOnly,
		Secure: s.overTLS(c), SameSite: http.SameSiteStrictMode})
}

func (s *authAPI) logout(c *gin.Context) {
	if err := s.store.Logout(c.Request.Context(), c.GetString(tokenKey)); err != nil {
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

func (s *authAPI) me(c *gin.Context) {
	actor, _ := jiefen.ActorFrom(c.Request.Context())
	u, err := s.store.User(c.Request.Context(), actor.Username)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, s.present(c, u))
}

// present completes a user for an answer: a password past the policy's
// maximum age must be changed as a one-time password must, and the state
// sums it up. The request has read the policy (passwordPolicy).
func (s *authAPI) present(c *gin.Context, u jiefen.User) jiefen.User {
	now := s.now()
	if policyOf(c).MaxAge().Expired(u.PasswordChangedAt, now) {
		u.MustChangePassword = true
	}
	u.State = u.AccountStateAt(now)
	if u.OrgCode != "" && u.OrgName == "" {
		// The name is for people; a failed read leaves it blank rather
		// than failing an answer that may follow a committed change.
		if names, err := s.store.OrgNames(c.Request.Context(), []string{u.OrgCode}); err == nil {
			u.OrgName = names[u.OrgCode]
		}
	}
	return u
}

// passwordChangeDue reports whether the actor must change the password
// before doing anything but that, logging out or asking who they are.
func passwordChangeDue(a jiefen.Actor, p auth.PasswordPolicy, now time.Time) bool {
	return a.MustChangePassword || p.MaxAge().Expired(a.PasswordChangedAt, now)
}

// policyKey holds the password policy a request has read.
const policyKey = "jiefen.password_policy"

// passwordPolicy reads the stored password policy (cached per replica,
// live.PasswordPolicy) once per request, so that one request applies one
// policy throughout. It is the Server's: the authenticate middleware reads
// it too.
func (s *Server) passwordPolicy(c *gin.Context) (auth.PasswordPolicy, error) {
	if p, ok := c.Get(policyKey); ok {
		return p.(auth.PasswordPolicy), nil
	}
	p, err := s.opts.PasswordPolicy.Get(c.Request.Context())
	if err != nil {
		return auth.PasswordPolicy{}, err
	}
	c.Set(policyKey, p)
	return p, nil
}

// policyOf is the password policy the request has read already (the
// authenticate middleware and login read it).
func policyOf(c *gin.Context) auth.PasswordPolicy {
	return c.MustGet(policyKey).(auth.PasswordPolicy)
}

// getPasswordPolicy answers the password policy, which every logged-in
// user may read: the 修改密码 page shows its rules.
func (s *authAPI) getPasswordPolicy(c *gin.Context) {
	p := policyOf(c)
	c.Header("ETag", etag(p.Version))
	c.JSON(http.StatusOK, p)
}

// putPasswordPolicy sets the password policy (the security administrator,
// API.md "Roles"; audited). If-Match is required (428 without, 412 when
// stale). API.md's policy is the floor: a looser field is refused (422
// naming it). It takes effect on this replica at once and on the others
// within auth.session_cache.
func (s *authAPI) putPasswordPolicy(c *gin.Context) {
	var req auth.PasswordPolicy
	if err := decode(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	ifVersion, err := ifMatch(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	if err := req.Validate(); err != nil {
		s.fail(c, err)
		return
	}
	p, err := s.store.PutPasswordPolicy(c.Request.Context(), req, ifVersion)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.opts.PasswordPolicy.Invalidate()
	c.Header("ETag", etag(p.Version))
	c.JSON(http.StatusOK, p)
}

type passwordRequest struct {
	Old string `json:"old"`
	New string `json:"new"`
}

// changePassword sets the caller's own password (API.md, "Roles"). The new
// password is checked first (the policy, and that it differs from the old
// one typed), so that its answer tells nothing of the stored password; a
// wrong old password then counts as a failed login. Every other session
// of the user ends; this one stays.
func (s *authAPI) changePassword(c *gin.Context) {
	var req passwordRequest
	if err := decode(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	var p jiefen.Problems
	if req.Old == "" {
		p.Add("old", "请填写原密码")
	}
	policy := policyOf(c)
	if err := policy.Check(req.New); err != nil {
		p.Add("new", "%v", err)
	} else if req.New == req.Old {
		p.Add("new", "新密码不能与原密码相同")
	}
	if err := p.Err(); err != nil {
		s.fail(c, err)
		return
	}
	hash, err := s.opts.Hasher.Hash(req.New)
	if err != nil {
		s.fail(c, err)
		return
	}
	actor, _ := jiefen.ActorFrom(c.Request.Context())
	token := c.GetString(tokenKey)
	u, err := s.store.ChangePassword(c.Request.Context(), actor.Username, req.Old, hash, token, policy.Lockout())
	if err != nil {
		s.fail(c, err)
		return
	}
	s.sessions.dropUser(u.ID)
	c.Header("ETag", etag(u.Version))
	c.JSON(http.StatusOK, s.present(c, u))
}

type userRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
	Name     string `json:"name"`
	Role     string `json:"role"`
	Org      string `json:"org"`
}

// createUser adds an account of a role the caller manages (auth.Manages:
// 三员分立). The stored password policy holds. The account is active at
// once: API.md makes only a reset's one-time password one that must be
// changed at the next login, and clients create an account and use it.
func (s *authAPI) createUser(c *gin.Context) {
	var req userRequest
	if err := decode(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	actor, _ := jiefen.ActorFrom(c.Request.Context())
	if role := jiefen.Role(req.Role); role.Valid() && !auth.Manages(actor.Role, role) {
		s.fail(c, notManaged(actor.Role, role))
		return
	}
	u, hash, err := NewUser(s.opts.Hasher, policyOf(c), req.Username, req.Password, jiefen.Role(req.Role), req.Org, req.Name)
	if err != nil {
		s.fail(c, err)
		return
	}
	u, err = s.store.CreateUser(c.Request.Context(), u, hash)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Location", "/api/v1/users/"+u.Username)
	c.Header("ETag", etag(u.Version))
	c.JSON(http.StatusCreated, s.present(c, u))
}

// notManaged refuses an action on an account of a role the actor does not
// manage (403), saying who does.
func notManaged(actor, target jiefen.Role) error {
	who := "安全管理员"
	if !auth.Administrative(target) {
		who = "系统管理员"
	}
	return jiefen.Errorf(jiefen.EFORBIDDEN, "三员分立：%s账号由%s管理，%s无权创建或操作（主机上的 jiefen user create 可创建任何角色的账号，并记入审计日志）",
		target.Label(), who, actor.Label())
}

// NewUser checks a new account's fields, naming each bad one, the password
// against policy, and hashes its password. The command line's `jiefen user
// create` uses it too.
func NewUser(h auth.Hasher, policy auth.PasswordPolicy, username, password string, role jiefen.Role, org, name string) (jiefen.User, string, error) {
	var p jiefen.Problems
	login, err := auth.NormalizeUsername(username)
	if err != nil {
		p.Add("username", "%v", err)
	}
	if err := policy.Check(password); err != nil {
		p.Add("password", "%v", err)
	}
	if !role.Valid() {
		p.Add("role", "须为以下之一：%s", jiefen.RoleNames())
	}
	name = strings.TrimSpace(name)
	if err := auth.CheckName(name); err != nil {
		p.Add("name", "%v", err)
	}
	if err := p.Err(); err != nil {
		return jiefen.User{}, "", err
	}
	hash, err := h.Hash(password)
	if err != nil {
		return jiefen.User{}, "", err
	}
	return jiefen.User{Username: login, Name: name, Role: role, OrgCode: org, Active: true}, hash, nil
}

// listUsers lists the accounts the caller manages (auth.Manages), of one
// role with ?role=, in one state with ?state=.
func (s *authAPI) listUsers(c *gin.Context) {
	limit, after, err := page(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	actor, _ := jiefen.ActorFrom(c.Request.Context())
	roles := auth.ManagedRoles(actor.Role)
	if q := c.Query("role"); q != "" {
		if !jiefen.Role(q).Valid() {
			s.fail(c, &jiefen.Error{Code: jiefen.EINVALID, Message: "the request breaks a rule; see fields",
				Fields: []jiefen.FieldError{{Field: "role", Message: "须为以下之一：" + jiefen.RoleNames()}}})
			return
		}
		roles = slices.DeleteFunc(roles, func(r jiefen.Role) bool { return r != jiefen.Role(q) })
	}
	f := sqlstore.UserFilter{Roles: roles, AfterID: after, Limit: limit}
	if q := c.Query("state"); q != "" {
		switch f.State = jiefen.AccountState(q); f.State {
		case jiefen.AccountActive, jiefen.AccountLocked, jiefen.AccountDisabled, jiefen.AccountMustChangePassword:
		default:
			s.fail(c, &jiefen.Error{Code: jiefen.EINVALID, Message: "the request breaks a rule; see fields",
				Fields: []jiefen.FieldError{{Field: "state", Message: "须为以下之一：active, locked, disabled, must_change_password"}}})
			return
		}
		if age := policyOf(c).MaxAge(); age > 0 {
			f.ExpiredBefore = s.now().Add(-time.Duration(age))
		}
	}
	users, err := s.store.ListUsers(c.Request.Context(), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	codes := make([]string, len(users))
	for i, u := range users {
		codes[i] = u.OrgCode
	}
	names, err := s.store.OrgNames(c.Request.Context(), codes)
	if err != nil {
		s.fail(c, err)
		return
	}
	for i := range users {
		users[i].OrgName = names[users[i].OrgCode]
		users[i] = s.present(c, users[i])
	}
	out := list[jiefen.User]{Items: users}
	if len(users) == limit {
		out.NextCursor = encodeCursor(users[len(users)-1].ID)
	}
	c.JSON(http.StatusOK, out)
}

// getUser shows an account the caller manages; any other answers as one
// that does not exist.
func (s *authAPI) getUser(c *gin.Context) {
	username, err := pathUsername(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	u, err := s.store.User(c.Request.Context(), username)
	if err != nil {
		s.fail(c, err)
		return
	}
	if actor, _ := jiefen.ActorFrom(c.Request.Context()); !auth.Manages(actor.Role, u.Role) {
		s.fail(c, jiefen.Errorf(jiefen.ENOTFOUND, "no user is named %q", username))
		return
	}
	c.Header("ETag", etag(u.Version))
	c.JSON(http.StatusOK, s.present(c, u))
}

// pathUsername reads the username of the path, normalised; a malformed
// one is not found.
func pathUsername(c *gin.Context) (string, error) {
	u, err := auth.NormalizeUsername(c.Param("username"))
	if err != nil {
		return "", jiefen.Errorf(jiefen.ENOTFOUND, "no user has this name")
	}
	return u, nil
}

type resetResponse struct {
	Username           string `json:"username"`
	Password           string `json:"password"`
	MustChangePassword bool   `json:"must_change_password"`
}

// resetPassword gives an account a random one-time password, shown once
// in the answer (never stored, never cached), which the user must change
// at the next login; the user's sessions end and a lock is cleared. It
// meets the stored password policy.
func (s *authAPI) resetPassword(c *gin.Context) {
	pw, err := auth.NewOneTimePassword(policyOf(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	hash, err := s.opts.Hasher.Hash(pw)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.accountAction(c, "user.reset_password", false, func(ctx context.Context, username string, a sqlstore.AccountAction) (jiefen.User, error) {
		return s.store.ResetPassword(ctx, username, a, hash)
	}, func(u jiefen.User) any {
		c.Header("Cache-Control", "no-store")
		return resetResponse{Username: u.Username, Password: pw, MustChangePassword: u.MustChangePassword}
	})
}

func (s *authAPI) unlockUser(c *gin.Context) {
	s.accountAction(c, "user.unlock", true, s.store.UnlockUser, nil)
}

func (s *authAPI) disableUser(c *gin.Context) {
	s.accountAction(c, "user.disable", false, func(ctx context.Context, username string, a sqlstore.AccountAction) (jiefen.User, error) {
		return s.store.SetUserActive(ctx, username, false, a)
	}, nil)
}

func (s *authAPI) enableUser(c *gin.Context) {
	s.accountAction(c, "user.enable", false, func(ctx context.Context, username string, a sqlstore.AccountAction) (jiefen.User, error) {
		return s.store.SetUserActive(ctx, username, true, a)
	}, nil)
}

// accountAction runs a manager's action on the account of the path: the
// username is normalised before anything is written, If-Match is optional
// (412 when stale), only the role that manages the account may act (403,
// 三员分立), and only an action that is ownAllowed may be taken on one's
// own account (409 otherwise: nobody disables their own account, and one's
// own password is changed at /auth/password, knowing the old one). The
// sessions this replica remembers for the account are forgotten. It
// answers 200 with the account, or with what answer makes of it.
func (s *authAPI) accountAction(c *gin.Context, name string, ownAllowed bool,
	act func(context.Context, string, sqlstore.AccountAction) (jiefen.User, error), answer func(jiefen.User) any) {
	username, err := pathUsername(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	ifVersion, err := optionalIfMatch(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	actor, _ := jiefen.ActorFrom(c.Request.Context())
	u, err := act(c.Request.Context(), username, sqlstore.AccountAction{Name: name, IfVersion: ifVersion, May: func(u jiefen.User) error {
		if !auth.Manages(actor.Role, u.Role) {
			return notManaged(actor.Role, u.Role)
		}
		if u.ID == actor.UserID && !ownAllowed {
			return jiefen.Errorf(jiefen.ECONFLICT, "不能停用、启用或重置自己的账号：请由另一位安全管理员操作；修改自己的密码请用“修改密码”")
		}
		return nil
	}})
	if err != nil {
		s.fail(c, err)
		return
	}
	s.sessions.dropUser(u.ID)
	c.Header("ETag", etag(u.Version))
	if answer != nil {
		c.JSON(http.StatusOK, answer(u))
		return
	}
	c.JSON(http.StatusOK, s.present(c, u))
}
