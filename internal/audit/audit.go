// Package audit defines the append-only, keyed audit trail: every write,
// and every read of unmasked personal data, appends one Entry in the same
// transaction as the change. Each entry's hash is an HMAC-SM3 (GB/T 32905,
// RFC 2104) under the audit key, which is kept outside the database, over
// the entry and the previous entry's hash: altering, removing or inserting
// any stored entry breaks the chain at that sequence number, and someone
// who can write the database but holds no key cannot seal a rewritten
// chain again. Anchors (see Anchor) copied out of the database hold the
// chain's head at given times, so that a cut-off end is found, and a
// rewrite under the key up to the last anchor, by a copy the rewriter
// cannot reach: a key holder can sign anchors too.
package audit

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"hash"
	"strconv"
	"time"

	"github.com/emmansun/gmsm/sm3"
)

// Genesis is the "previous hash" of the first entry.
const Genesis = "0000000000000000000000000000000000000000000000000000000000000000"

// Entry is one audited action. The states before and after the change are
// kept as digests, and what changed as a list of Change (see Changes),
// which names the fields of personal data without their values.
type Entry struct {
	Seq        int64     `json:"seq"`
	At         time.Time `json:"at"`
	Actor      string    `json:"actor"`
	Role       string    `json:"role"`
	Action     string    `json:"action"`
	TargetType string    `json:"target_type"`
	TargetID   string    `json:"target_id"`
	RequestID  string    `json:"request_id"`
	Before     string    `json:"before_digest"`
	After      string    `json:"after_digest"`
	// Changes is the JSON array of Change as stored ("[]": none, as for
	// the entries made before changes were kept); the hash covers it.
	Changes  json.RawMessage `json:"changes"`
	PrevHash string          `json:"prev_hash"`
	Hash     string          `json:"hash"`
}

// Digest returns the SHA-256 of v's JSON form, or "" for nil, so that an
// entry proves what a record was without holding it.
func Digest(v any) string {
	if v == nil {
		return ""
	}
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Key seals the chain: HMAC-SM3 under a secret key held outside the
// database (the audit_key of the key file, see package pii). It is safe for
// concurrent use.
type Key struct{ secret []byte }

// NewKey returns the key of the chain; secret has at least 16 bytes.
func NewKey(secret []byte) (*Key, error) {
	if len(secret) < 16 {
		return nil, errors.New("audit: the audit key must be at least 16 bytes")
	}
	return &Key{secret: append([]byte(nil), secret...)}, nil
}

func (k *Key) mac() hash.Hash { return hmac.New(sm3.New, k.secret) }

// Hash returns the keyed hash of e chained to e.PrevHash: hex HMAC-SM3 of
// the fields of e, each length-prefixed so that no two different entries
// serialise alike, the instant in UTC at microsecond precision (which both
// databases keep).
func (k *Key) Hash(e Entry) string {
	m := k.mac()
	writeFields(m, e, true)
	return hex.EncodeToString(m.Sum(nil))
}

// LegacyHash is the hash of the chain before it was keyed (schema 0015):
// plain SHA-256 over the same fields but changes. Anyone can compute it,
// so it only serves to check an old chain once before it is sealed under
// the key.
func LegacyHash(e Entry) string {
	h := sha256.New()
	writeFields(h, e, false)
	return hex.EncodeToString(h.Sum(nil))
}

func writeFields(h hash.Hash, e Entry, withChanges bool) {
	fields := []string{
		strconv.FormatInt(e.Seq, 10),
		e.At.UTC().Truncate(time.Microsecond).Format("2006-01-02T15:04:05.000000Z"),
		e.Actor, e.Role, e.Action, e.TargetType, e.TargetID, e.RequestID, e.Before, e.After,
	}
	if withChanges {
		changes := string(e.Changes)
		if changes == "" {
			changes = "[]"
		}
		fields = append(fields, changes)
	}
	for _, f := range append(fields, e.PrevHash) {
		h.Write([]byte(strconv.Itoa(len(f))))
		h.Write([]byte{':'})
		h.Write([]byte(f))
	}
}

// Chain seals e as the successor of the entry with sequence prevSeq and
// hash prevHash.
func (k *Key) Chain(e Entry, prevSeq int64, prevHash string) Entry {
	e.Seq = prevSeq + 1
	e.At = e.At.UTC().Truncate(time.Microsecond)
	if len(e.Changes) == 0 {
		e.Changes = json.RawMessage("[]")
	}
	e.PrevHash = prevHash
	e.Hash = k.Hash(e)
	return e
}

// Verifier checks a chain fed to it in sequence order, one entry at a time,
// so that a long log is verified in constant memory.
type Verifier struct {
	hash     func(Entry) string
	checked  int64
	lastSeq  int64
	lastHash string
	broken   int64
}

// NewVerifier starts a verification at the first entry, recomputing each
// entry's hash with hash (Key.Hash; LegacyHash for a chain not yet keyed).
func NewVerifier(hash func(Entry) string) *Verifier {
	return &Verifier{hash: hash, lastHash: Genesis}
}

// Add checks the next entry and reports whether the chain still holds.
// The first entry that breaks it (a gap in the sequence, a wrong link or a
// wrong hash) is remembered.
func (v *Verifier) Add(e Entry) bool {
	if v.broken != 0 {
		return false
	}
	v.checked++
	if e.Seq != v.lastSeq+1 || e.PrevHash != v.lastHash || !hmac.Equal([]byte(v.hash(e)), []byte(e.Hash)) {
		v.broken = v.lastSeq + 1
		if e.Seq != v.lastSeq+1 && e.Seq < v.lastSeq+1 {
			v.broken = e.Seq
		}
		return false
	}
	v.lastSeq, v.lastHash = e.Seq, e.Hash
	return true
}

// Result returns how many entries were checked and the first broken
// sequence number (0 when the chain holds).
func (v *Verifier) Result() (checked, firstBroken int64) { return v.checked, v.broken }
