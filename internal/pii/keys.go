package pii

import (
	"crypto/hmac"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/emmansun/gmsm/sm3"
)

// Provider gives the keyring. jiefen ships two: a key file (FileProvider)
// and the environment (EnvProvider). A certified crypto device (密码机, a
// hardware security module) plugs in by implementing Provider with its
// vendor's SDK: the data keys then come unwrapped from the device.
type Provider interface {
	Keyring() (*Keyring, error)
}

// KeyFile is the form of a key file and of JIEFEN_PII_KEYS: keys as hex.
//
//	{"current":"k2","keys":{"k1":"…32 hex…","k2":"…32 hex…"},"index_key":"…64 hex…","audit_key":"…64 hex…"}
type KeyFile struct {
	Current  string            `json:"current"`
	Keys     map[string]string `json:"keys"`
	IndexKey string            `json:"index_key"`
	// AuditKey seals the audit chain (see Keyring.AuditKey). A key file
	// made before it existed has none: the key derived from the index key
	// is used, and the field must then never be added, or the chain sealed
	// so far no longer verifies.
	AuditKey string `json:"audit_key,omitempty"`
}

// Keyring decodes the keys.
func (f KeyFile) Keyring() (*Keyring, error) {
	keys := map[string][]byte{}
	for id, h := range f.Keys {
		b, err := hex.DecodeString(h)
		if err != nil {
			return nil, fmt.Errorf("pii: key %s is not hex", id)
		}
		keys[id] = b
	}
	index, err := hex.DecodeString(f.IndexKey)
	if err != nil {
		return nil, errors.New("pii: index_key is not hex")
	}
	k, err := NewKeyring(f.Current, keys, index)
	if err != nil || f.AuditKey == "" {
		return k, err
	}
	audit, err := hex.DecodeString(f.AuditKey)
	if err != nil || len(audit) != 32 {
		return nil, errors.New("pii: audit_key is not 64 hex digits (32 bytes)")
	}
	k.audit = audit
	return k, nil
}

// auditKeyLabel is the fixed label the audit key of a key file without
// audit_key is derived under.
const auditKeyLabel = "jiefen audit chain key v1"

// AuditKey is the key that seals the audit chain (HMAC-SM3, see package
// audit): the key file's audit_key, or for a key file made before it
// existed HMAC-SM3(index key, "jiefen audit chain key v1"), the same on
// every start and replica. The derived key is as secret as the index key
// and kept where it is, outside the database; the label keeps it apart
// from every blind index (which MACs a field name, a zero byte and a
// value).
func (k *Keyring) AuditKey() []byte {
	if k.audit != nil {
		return append([]byte(nil), k.audit...)
	}
	m := hmac.New(sm3.New, k.index)
	m.Write([]byte(auditKeyLabel))
	return m.Sum(nil)
}

// FileProvider reads the keys from a JSON key file (KeyFile), which must
// be readable by its owner only.
type FileProvider struct{ Path string }

// Keyring reads and decodes the file.
func (p FileProvider) Keyring() (*Keyring, error) {
	st, err := os.Stat(p.Path)
	if err != nil {
		return nil, fmt.Errorf("pii: key file: %w", err)
	}
	if st.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("pii: key file %s is readable by others (mode %v); chmod 600 it", p.Path, st.Mode().Perm())
	}
	b, err := os.ReadFile(p.Path)
	if err != nil {
		return nil, fmt.Errorf("pii: key file: %w", err)
	}
	var f KeyFile
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("pii: key file %s: %v", p.Path, err)
	}
	return f.Keyring()
}

// EnvProvider reads a KeyFile in JSON from a value of the environment.
type EnvProvider struct{ Value string }

// Keyring decodes the value.
func (p EnvProvider) Keyring() (*Keyring, error) {
	var f KeyFile
	if err := json.Unmarshal([]byte(p.Value), &f); err != nil {
		return nil, fmt.Errorf("pii: JIEFEN_PII_KEYS: %v", err)
	}
	return f.Keyring()
}

// NewKeyFile returns a key file with one fresh data key (id "k1"), a
// fresh index key and a fresh audit key.
func NewKeyFile() (KeyFile, error) {
	data, index, audit := make([]byte, 16), make([]byte, 32), make([]byte, 32)
	for _, b := range [][]byte{data, index, audit} {
		if _, err := rand.Read(b); err != nil {
			return KeyFile{}, err
		}
	}
	return KeyFile{Current: "k1", Keys: map[string]string{"k1": hex.EncodeToString(data)},
		IndexKey: hex.EncodeToString(index), AuditKey: hex.EncodeToString(audit)}, nil
}

// AddKey adds a fresh data key and makes it current (key rotation: values
// sealed under the older keys still open; `jiefen keys rotate` reseals
// them).
func (f *KeyFile) AddKey() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	id := ""
	for n := len(f.Keys) + 1; ; n++ {
		id = fmt.Sprintf("k%d", n)
		if _, taken := f.Keys[id]; !taken {
			break
		}
	}
	f.Keys[id] = hex.EncodeToString(b)
	f.Current = id
	return id, nil
}

// WriteKeyFile writes f to path, readable by its owner only, replacing the
// file atomically.
func WriteKeyFile(path string, f KeyFile) error {
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// EnsureKeyFile creates a key file at path when there is none (the
// embedded single-machine default) and reports whether it did.
func EnsureKeyFile(path string) (bool, error) {
	if _, err := os.Stat(path); err == nil {
		return false, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return false, err
	}
	f, err := NewKeyFile()
	if err != nil {
		return false, err
	}
	return true, WriteKeyFile(path, f)
}
