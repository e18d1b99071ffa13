// Package pii keeps personal data encrypted at rest (个人信息保护法 第51条;
// 网络安全等级保护 level 3): ID numbers, phones and addresses are sealed with
// SM4-GCM (GB/T 32907, the national block cipher) under a key named by a
// key id carried in every sealed value, so that keys can rotate while old
// values still open; exact-match search and duplicate detection use a
// blind index, HMAC-SM3 (GB/T 32905) of the normalised value under a key
// of its own. Nothing here logs or returns a value in clear except Open.
package pii

import (
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"sort"
	"strings"
	"sync"

	"github.com/emmansun/gmsm/sm3"
	"github.com/emmansun/gmsm/sm4"
)

// prefix starts every sealed value: "sm4gcm:KEYID:BASE64(nonce‖ciphertext‖tag)".
const prefix = "sm4gcm:"

// Field names what a value is; it is bound into the seal (as additional
// authenticated data) and into the blind index, so that a sealed phone
// cannot be passed off as an ID number.
type Field string

// The fields kept sealed.
const (
	IDNumber Field = "id_number"
	Phone    Field = "phone"
	Address  Field = "address"
)

// Beside is f bound to the text a sealed value is kept beside (by its SM3
// digest): the value then opens only beside that same text, so that a
// text rewritten since without the value (by a writer that knew nothing
// of it) shows the value to be stale.
func (f Field) Beside(text string) Field {
	sum := sm3.Sum([]byte(text))
	return f + ":" + Field(hex.EncodeToString(sum[:]))
}

// Keyring holds the SM4 data keys by id (the current one seals, every one
// opens) and the blind-index key. It is safe for concurrent use.
type Keyring struct {
	current string
	aeads   map[string]cipher.AEAD
	index   []byte
	audit   []byte // the key file's audit_key; nil: derived (see AuditKey)
	// macs keeps keyed HMAC-SM3 states for Blind: a fresh one would hash
	// the key's pads again on every call.
	macs sync.Pool
}

// NewKeyring builds a keyring from data keys by id (16 bytes each: SM4),
// the id of the one that seals, and the blind-index key (at least 16
// bytes).
func NewKeyring(current string, keys map[string][]byte, indexKey []byte) (*Keyring, error) {
	if len(keys) == 0 {
		return nil, errors.New("pii: no data keys")
	}
	if _, ok := keys[current]; !ok {
		return nil, fmt.Errorf("pii: the current key %q is not among the keys", current)
	}
	if len(indexKey) < 16 {
		return nil, errors.New("pii: the blind-index key must be at least 16 bytes")
	}
	k := &Keyring{current: current, aeads: map[string]cipher.AEAD{}, index: append([]byte(nil), indexKey...)}
	for id, key := range keys {
		if id == "" || strings.ContainsAny(id, ": ") {
			return nil, fmt.Errorf("pii: key id %q must be non-empty without ':' or spaces", id)
		}
		block, err := sm4.NewCipher(key)
		if err != nil {
			return nil, fmt.Errorf("pii: key %s: %w", id, err)
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, fmt.Errorf("pii: key %s: %w", id, err)
		}
		k.aeads[id] = aead
	}
	return k, nil
}

// Current is the id of the key that seals.
func (k *Keyring) Current() string { return k.current }

// KeyIDs lists the ids of every key, sorted.
func (k *Keyring) KeyIDs() []string {
	ids := make([]string, 0, len(k.aeads))
	for id := range k.aeads {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// Seal encrypts value under the current key; "" stays "".
func (k *Keyring) Seal(f Field, value string) (string, error) {
	if value == "" {
		return "", nil
	}
	aead := k.aeads[k.current]
	nonce := make([]byte, aead.NonceSize(), aead.NonceSize()+len(value)+aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	sealed := aead.Seal(nonce, nonce, []byte(value), []byte(f))
	return prefix + k.current + ":" + base64.RawStdEncoding.EncodeToString(sealed), nil
}

// ErrNotSealed is returned by Open for a value that was never sealed.
var ErrNotSealed = errors.New("pii: the value is not sealed")

// ErrAltered is wrapped by the error of Open for a value that does not
// open under its key: altered, or sealed as another field.
var ErrAltered = errors.New("altered, or another field")

// Open decrypts a sealed value; "" stays "". A value sealed under an
// unknown key, altered, or sealed as another field is an error that never
// quotes the value.
func (k *Keyring) Open(f Field, sealed string) (string, error) {
	if sealed == "" {
		return "", nil
	}
	id, data, ok := split(sealed)
	if !ok {
		return "", ErrNotSealed
	}
	aead, ok := k.aeads[id]
	if !ok {
		return "", fmt.Errorf("pii: no key %q to open a %s", id, f)
	}
	raw, err := base64.RawStdEncoding.DecodeString(data)
	if err != nil || len(raw) < aead.NonceSize()+aead.Overhead() {
		return "", fmt.Errorf("pii: a sealed %s is malformed", f)
	}
	plain, err := aead.Open(nil, raw[:aead.NonceSize()], raw[aead.NonceSize():], []byte(f))
	if err != nil {
		return "", fmt.Errorf("pii: a sealed %s does not open under key %q: %w", f, id, ErrAltered)
	}
	return string(plain), nil
}

// Sealed reports whether v is a sealed value.
func Sealed(v string) bool { return strings.HasPrefix(v, prefix) }

// KeyOf is the id of the key a sealed value was sealed under ("" when v is
// not sealed).
func KeyOf(v string) string {
	id, _, ok := split(v)
	if !ok {
		return ""
	}
	return id
}

func split(v string) (id, data string, ok bool) {
	if !strings.HasPrefix(v, prefix) {
		return "", "", false
	}
	id, data, ok = strings.Cut(v[len(prefix):], ":")
	return id, data, ok && id != ""
}

// Blind is the blind index of a (normalised) value: hex HMAC-SM3 under the
// index key, bound to the field. Equal values give equal indexes, so that
// an exact search or a duplicate check needs no value in clear; the index
// key never rotates with the data keys (rotating it means re-indexing).
func (k *Keyring) Blind(f Field, value string) string {
	if value == "" {
		return ""
	}
	m, _ := k.macs.Get().(hash.Hash)
	if m == nil {
		m = hmac.New(sm3.New, k.index)
	}
	m.Write([]byte(f))
	m.Write([]byte{0})
	m.Write([]byte(value))
	var sum [sm3.Size]byte
	out := hex.EncodeToString(m.Sum(sum[:0]))
	m.Reset()
	k.macs.Put(m)
	return out
}

// CheckSM4 runs the block cipher on the example of GB/T 32907-2016 (附录A
// 示例1), so that a start can refuse a broken build of the cipher.
func CheckSM4() error {
	key, _ := hex.DecodeString("0123456789abcdeffedcba9876543210")
	want, _ := hex.DecodeString("681edf34d206965e86b3e94f536e4246")
	block, err := sm4.NewCipher(key)
	if err != nil {
		return err
	}
	got := make([]byte, 16)
	block.Encrypt(got, key)
	if !hmac.Equal(got, want) {
		return errors.New("pii: SM4 fails the known-answer test of GB/T 32907")
	}
	return nil
}
