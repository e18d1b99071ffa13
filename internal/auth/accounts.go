package auth

import (
	"crypto/rand"
	"math/big"
	"time"
	"unicode"
	"unicode/utf8"

	"jiefen"
)

// Manages reports whether an account of role actor may create, see and
// act on (reset, unlock, disable, enable) the accounts of role target.
// 三员分立 (GB/T 22239-2019 8.1.4.2 d) 权限分离, API.md "Roles"): the system
// administrator manages the business roles' accounts only; the security
// administrator manages the administrators' and the auditor's, its own
// role's included; the auditor and the business roles manage none. No
// role manages what it could use to become another administrator.
func Manages(actor, target jiefen.Role) bool {
	switch actor {
	case jiefen.RoleAdmin:
		return target.Valid() && !Administrative(target)
	case jiefen.RoleSecurity:
		return Administrative(target)
	}
	return false
}

// Administrative reports whether r is one of the three administrators
// whose duties never sit with one person: admin, security, auditor.
func Administrative(r jiefen.Role) bool {
	return r == jiefen.RoleAdmin || r == jiefen.RoleSecurity || r == jiefen.RoleAuditor
}

// ManagedRoles lists, in the order of jiefen.Roles, the roles whose
// accounts actor manages.
func ManagedRoles(actor jiefen.Role) []jiefen.Role {
	var out []jiefen.Role
	for _, r := range jiefen.Roles() {
		if Manages(actor, r) {
			out = append(out, r)
		}
	}
	return out
}

// CheckName checks a display name (姓名): at most 32 characters and no
// control characters. It may be empty.
func CheckName(name string) error {
	if utf8.RuneCountInString(name) > 32 {
		return jiefen.Errorf(jiefen.EINVALID, "不能超过32个字符")
	}
	for _, r := range name {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return jiefen.Errorf(jiefen.EINVALID, "不能包含控制字符")
		}
	}
	return nil
}

// PasswordMaxAge is how long a password serves before its user must change
// it (GB/T 22239-2019 8.1.4.1 a): 身份鉴别信息…定期更换); 0 means never.
type PasswordMaxAge time.Duration

// Expired reports whether a password set at changedAt must be changed at
// now.
func (m PasswordMaxAge) Expired(changedAt, now time.Time) bool {
	return m > 0 && !now.Before(changedAt.Add(time.Duration(m)))
}

// oneTimeAlphabet leaves out the characters that read alike (0 O o, 1 l I),
// since a one-time password is read out or copied by hand.
const oneTimeAlphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// NewOneTimePassword returns a random password of 16 characters, or the
// policy's minimum length when that is longer (all drawn from 56, at least
// 87 bits, but one '-'), that meets the policy; a draw that would not is
// drawn again.
func NewOneTimePassword(p PasswordPolicy) (string, error) {
	for {
		b := make([]byte, max(16, p.MinLength))
		for i := range b {
			n, err := rand.Int(rand.Reader, big.NewInt(int64(len(oneTimeAlphabet))))
			if err != nil {
				return "", err
			}
			b[i] = oneTimeAlphabet[n.Int64()]
		}
		b[8] = '-'
		if pw := string(b); p.Check(pw) == nil {
			return pw, nil
		}
	}
}
