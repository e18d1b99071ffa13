// Package auth holds the rules of accounts and sessions: the password and
// lock-out policy (API.md's the floor, the security administrator's
// stricter), password hashing with argon2id, opaque session tokens that
// are stored only as hashes, and which role may do what.
package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"golang.org/x/crypto/argon2"

	"jiefen"
)

// NormalizeUsername lower-cases and trims a username and checks it: 2 to 64
// characters of a-z, 0-9, '.', '_' and '-'.
func NormalizeUsername(u string) (string, error) {
	u = strings.ToLower(strings.TrimSpace(u))
	if len(u) < 2 || len(u) > 64 {
		return "", jiefen.Errorf(jiefen.EINVALID, "须为2至64个字符")
	}
	for _, r := range u {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-') {
			return "", jiefen.Errorf(jiefen.EINVALID, "只能包含 a-z、0-9、'.'、'_' 和 '-'")
		}
	}
	return u, nil
}

// Hasher hashes passwords with argon2id. The parameters are stored in each
// hash, so they can be raised later without invalidating old hashes.
type Hasher struct {
	MemoryKiB uint32
	Time      uint32
}

// DefaultHasher follows OWASP's minimum for argon2id (19 MiB, 2 passes).
func DefaultHasher() Hasher { return Hasher{MemoryKiB: 19 * 1024, Time: 2} }

// Hash returns the encoded argon2id hash of pw with a fresh salt.
func (h Hasher) Hash(pw string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pw), salt, h.Time, h.MemoryKiB, 1, 32)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=1$%s$%s", argon2.Version, h.MemoryKiB, h.Time,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// Verify reports whether pw matches the encoded hash, in constant time.
func Verify(encoded, pw string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || t == 0 || p == 0 {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// NewToken returns a fresh opaque session token for the client and the hash
// under which it is stored; the token itself is never stored.
func NewToken() (token, hash string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", err
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token), nil
}

// HashToken returns the stored form of a session token.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// SessionPolicy bounds a session's life: it ends after Idle without a
// request, and Absolute after login whatever happens.
type SessionPolicy struct {
	Idle     time.Duration
	Absolute time.Duration
}

// Session is a logged-in user's session.
type Session struct {
	TokenHash  string
	UserID     int64
	CreatedAt  time.Time
	LastSeenAt time.Time
}

// ExpiresAt returns when s ends if no further request arrives.
func (p SessionPolicy) ExpiresAt(s Session) time.Time {
	idle := s.LastSeenAt.Add(p.Idle)
	if abs := s.CreatedAt.Add(p.Absolute); abs.Before(idle) {
		return abs
	}
	return idle
}

// Lockout is the policy of API.md: Failures wrong passwords within Window
// lock the account for Duration (423), counted in the database so that it
// holds across replicas.
type Lockout struct {
	Failures int
	Window   time.Duration
	Duration time.Duration
}
