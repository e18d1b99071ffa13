// Package jiefen holds the vocabulary shared by every part of the dispute
// resolution platform: errors and their codes, the acting user, roles and
// organisations. It imports nothing but the standard library.
package jiefen

import (
	"context"
	"time"
)

// Role is what a user may do on the platform (API.md, "Roles"). Admin,
// auditor and security duties never sit with one account (三员分立).
type Role string

// The roles of API.md.
const (
	RoleAdmin           Role = "admin"
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
	return []Role{RoleAdmin, RoleAuditor, RoleIntake, RoleMediator, RoleReconsideration,
		RoleAgencyStaff, RoleCourtLiaison, RoleLeader}
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
}

// User is an account on the platform. The password hash never leaves the
// store and is not part of this type.
type User struct {
	ID        int64     `json:"id"`
	Username  string    `json:"username"`
	Role      Role      `json:"role"`
	OrgCode   string    `json:"org,omitempty"`
	Active    bool      `json:"active"`
	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
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
