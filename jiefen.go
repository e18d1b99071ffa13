// Package jiefen holds the vocabulary shared by every part of the dispute
// resolution platform: errors and their codes, the acting user, roles and
// organisations. It imports nothing but the standard library.
package jiefen

import (
	"context"
	"strings"
	"time"
)

// Role is what a user may do on the platform (API.md, "Roles"). Admin,
// auditor and security duties never sit with one account (三员分立).
type Role string

// The roles of API.md.
const (
	RoleAdmin           Role = "admin"
	RoleSecurity        Role = "security"
	RoleAuditor         Role = "auditor"
	RoleIntake          Role = "intake"
	RoleMediator        Role = "mediator"
	RoleReconsideration Role = "reconsideration"
	RoleAgencyStaff     Role = "agency_staff"
	RoleCourtLiaison    Role = "court_liaison"
	RoleLeader          Role = "leader"
)

// Roles lists every role in the order API.md gives them.
func Roles() []Role {
	return []Role{RoleAdmin, RoleSecurity, RoleAuditor, RoleIntake, RoleMediator, RoleReconsideration,
		RoleAgencyStaff, RoleCourtLiaison, RoleLeader}
}

// RoleNames lists the roles for a message or a command's help, in the
// order of Roles: "admin, security, auditor, …".
func RoleNames() string {
	names := make([]string, 0, len(Roles()))
	for _, r := range Roles() {
		names = append(names, string(r))
	}
	return strings.Join(names, ", ")
}

// Label is the Chinese name of a role, as the dashboard shows it (an
// unknown role: its code).
func (r Role) Label() string {
	switch r {
	case RoleAdmin:
		return "系统管理员"
	case RoleSecurity:
		return "安全管理员"
	case RoleAuditor:
		return "审计员"
	case RoleIntake:
		return "受理窗口"
	case RoleMediator:
		return "调解员"
	case RoleReconsideration:
		return "复议机构"
	case RoleAgencyStaff:
		return "机关法制人员"
	case RoleCourtLiaison:
		return "府院联络员"
	case RoleLeader:
		return "领导"
	}
	return string(r)
}

// Valid reports whether r is one of the platform's roles.
func (r Role) Valid() bool {
	for _, v := range Roles() {
		if r == v {
			return true
		}
	}
	return false
}

// Actor is the authenticated user on whose behalf a request runs. Every
// write and every read of unmasked personal data is audited under it.
type Actor struct {
	UserID   int64
	Username string
	Role     Role
	OrgCode  string
	// MustChangePassword and PasswordChangedAt decide whether the actor
	// must change the password before anything else (API.md, "Roles":
	// a one-time password, or one older than the maximum age).
	MustChangePassword bool
	PasswordChangedAt  time.Time
}

// User is an account on the platform. The password hash never leaves the
// store and is not part of this type.
type User struct {
	ID       int64  `json:"id"`
	Username string `json:"username"`
	// Name is the display name (姓名) printed on documents; "" when not
	// given, and documents then leave the signature line blank.
	Name    string `json:"name"`
	Role    Role   `json:"role"`
	OrgCode string `json:"org,omitempty"`
	// OrgName is the org's name, set when a user is presented.
	OrgName string `json:"org_name,omitempty"`
	// State sums up Active, LockedUntil and MustChangePassword (see
	// AccountState); it is set when a user is presented.
	State  AccountState `json:"state,omitempty"`
	Active bool         `json:"active"`
	// MustChangePassword: the password was set by someone else (a reset, an
	// account made by its manager) or is too old, so the user may only
	// change it until they do.
	MustChangePassword bool       `json:"must_change_password"`
	LockedUntil        *time.Time `json:"locked_until,omitempty"`
	LastLoginAt        *time.Time `json:"last_login_at"`
	PasswordChangedAt  time.Time  `json:"password_changed_at"`
	Version            int64      `json:"version"`
	CreatedAt          time.Time  `json:"created_at"`
	UpdatedAt          time.Time  `json:"updated_at"`
}

// AccountState is what an account's manager needs to know at a glance.
type AccountState string

// The states of an account, in order of precedence: a disabled account is
// disabled whatever else holds, a locked one is locked before it is asked
// for a new password.
const (
	AccountActive             AccountState = "active"
	AccountLocked             AccountState = "locked"
	AccountDisabled           AccountState = "disabled"
	AccountMustChangePassword AccountState = "must_change_password"
)

// AccountStateAt is u's state at now: disabled > locked >
// must_change_password > active.
func (u User) AccountStateAt(now time.Time) AccountState {
	switch {
	case !u.Active:
		return AccountDisabled
	case u.LockedUntil != nil && u.LockedUntil.After(now):
		return AccountLocked
	case u.MustChangePassword:
		return AccountMustChangePassword
	}
	return AccountActive
}

type ctxKey int

const (
	actorKey ctxKey = iota
	requestIDKey
)

// NewContextWithActor returns a context that carries the acting user.
func NewContextWithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey, a)
}

// ActorFrom returns the acting user of ctx, and false for an anonymous one.
func ActorFrom(ctx context.Context) (Actor, bool) {
	a, ok := ctx.Value(actorKey).(Actor)
	return a, ok
}

// NewContextWithRequestID returns a context that carries the request id, so
// that log lines and audit entries of one request can be joined.
func NewContextWithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey, id)
}

// RequestIDFrom returns the request id of ctx, or "".
func RequestIDFrom(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}
