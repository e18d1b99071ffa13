package audit

import (
	"bufio"
	"crypto/hmac"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"strconv"
	"time"
)

// Anchor is the chain's head at an instant, signed under the audit key and
// kept outside the database: one JSON line of the anchor file, and the
// title of an audit.anchor event sent to the webhooks. Whoever rewrites
// the history before an anchor, even with the key, changes the hash at the
// anchor's sequence number, which verification compares; a holder of the
// key can sign a forged anchor too, so against one only a copy out of
// their reach (the webhook receiver's) holds.
type Anchor struct {
	Seq  int64     `json:"seq"`
	Hash string    `json:"hash"`
	At   time.Time `json:"at"`
	// Sig is hex HMAC-SM3 under the audit key of "jiefen-audit-anchor",
	// seq, hash and at (UTC, microseconds), each followed by a zero byte.
	// It tells an anchor jiefen wrote from a line someone added to the
	// file without the key.
	Sig string `json:"sig"`
}

// Anchor returns the signed anchor of the head seq, hash at instant at.
func (k *Key) Anchor(seq int64, hash string, at time.Time) Anchor {
	a := Anchor{Seq: seq, Hash: hash, At: at.UTC().Truncate(time.Microsecond)}
	a.Sig = k.anchorSig(a)
	return a
}

// Signed reports whether a carries a valid signature under k.
func (k *Key) Signed(a Anchor) bool {
	return hmac.Equal([]byte(k.anchorSig(a)), []byte(a.Sig))
}

func (k *Key) anchorSig(a Anchor) string {
	m := k.mac()
	// The label starts with a letter, so that no entry's fields (which
	// start with a length in digits) sign as an anchor.
	for _, f := range []string{"jiefen-audit-anchor", strconv.FormatInt(a.Seq, 10), a.Hash,
		a.At.UTC().Truncate(time.Microsecond).Format("2006-01-02T15:04:05.000000Z")} {
		m.Write([]byte(f))
		m.Write([]byte{0})
	}
	return hex.EncodeToString(m.Sum(nil))
}

// AppendAnchor appends a as one JSON line to the file at path, creating it,
// and syncs the file so that an anchor reported written survives a crash.
func AppendAnchor(path string, a Anchor) error {
	line, err := json.Marshal(a)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(append(line, '\n')); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// ReadAnchors calls fn with each line of the anchor file at path, in
// order; ok is false for a line that is no anchor. A missing file holds no
// anchors. The file is read line by line, in constant memory.
func ReadAnchors(path string, fn func(a Anchor, ok bool) error) error {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if len(sc.Bytes()) == 0 {
			continue
		}
		var a Anchor
		ok := json.Unmarshal(sc.Bytes(), &a) == nil && a.Seq > 0
		if err := fn(a, ok); err != nil {
			return err
		}
	}
	return sc.Err()
}
