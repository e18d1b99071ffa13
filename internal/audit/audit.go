// Package audit defines the append-only, hash-chained audit trail: every
// write, and every read of unmasked personal data, appends one Entry in the
// same transaction as the change. Each entry's hash covers the entry and the
// previous entry's hash, so altering, removing or inserting any stored entry
// breaks the chain at that sequence number.
package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// Genesis is the "previous hash" of the first entry.
const Genesis = "0000000000000000000000000000000000000000000000000000000000000000"

// Entry is one audited action. It never holds personal data in clear: the
// states before and after the change are kept only as digests.
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
	PrevHash   string    `json:"prev_hash"`
	Hash       string    `json:"hash"`
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

// ComputeHash returns the hash of e chained to e.PrevHash. Fields are
// length-prefixed so that no two different entries serialise alike; the
// instant is in UTC at microsecond precision, which both databases keep.
func ComputeHash(e Entry) string {
	var b strings.Builder
	for _, f := range []string{
		strconv.FormatInt(e.Seq, 10),
		e.At.UTC().Truncate(time.Microsecond).Format("2006-01-02T15:04:05.000000Z"),
		e.Actor, e.Role, e.Action, e.TargetType, e.TargetID, e.RequestID, e.Before, e.After,
		e.PrevHash,
	} {
		b.WriteString(strconv.Itoa(len(f)))
		b.WriteByte(':')
		b.WriteString(f)
	}
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:])
}

// Chain seals e as the successor of the entry with sequence prevSeq and hash
// prevHash.
func Chain(e Entry, prevSeq int64, prevHash string) Entry {
	e.Seq = prevSeq + 1
	e.At = e.At.UTC().Truncate(time.Microsecond)
	e.PrevHash = prevHash
	e.Hash = ComputeHash(e)
	return e
}

// Verifier checks a chain fed to it in sequence order, one entry at a time,
// so that a long log is verified in constant memory.
type Verifier struct {
	checked  int64
	lastSeq  int64
	lastHash string
	broken   int64
}

// NewVerifier starts a verification at the first entry.
func NewVerifier() *Verifier { return &Verifier{lastHash: Genesis} }

// Add checks the next entry and reports whether the chain still holds.
// The first entry that breaks it (a gap in the sequence, a wrong link or a
// wrong hash) is remembered.
func (v *Verifier) Add(e Entry) bool {
	if v.broken != 0 {
		return false
	}
	v.checked++
	if e.Seq != v.lastSeq+1 || e.PrevHash != v.lastHash || ComputeHash(e) != e.Hash {
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
