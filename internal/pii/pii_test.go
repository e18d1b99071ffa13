package pii_test

import (
	"bytes"
	"crypto/hmac"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/emmansun/gmsm/sm3"

	"jiefen/internal/pii"
)

func keyring(t *testing.T, current string, ids ...string) *pii.Keyring {
	t.Helper()
	keys := map[string][]byte{}
	for i, id := range ids {
		keys[id] = []byte(strings.Repeat(string(rune('a'+i)), 16))
	}
	k, err := pii.NewKeyring(current, keys, []byte("an-index-key-of-32-bytes-long!!!"))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// TestSealedBesideOpensBesideTheSameTextOnly: a value sealed beside a text
// opens beside that text, and beside another one fails as altered, which
// a missing key does not.
func TestSealedBesideOpensBesideTheSameTextOnly(t *testing.T) {
	k := keyring(t, "k1", "k1")
	f := pii.Field("disputes.description")
	whole := "电话13812345678"
	sealed, err := k.Seal(f.Beside("电话138****5678"), whole)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := k.Open(f.Beside("电话138****5678"), sealed); err != nil || got != whole {
		t.Errorf("beside the same text: %q, %v", got, err)
	}
	if _, err := k.Open(f.Beside("已调处"), sealed); !errors.Is(err, pii.ErrAltered) {
		t.Errorf("beside another text: %v, want ErrAltered", err)
	}
	if _, err := k.Open(f, sealed); !errors.Is(err, pii.ErrAltered) {
		t.Errorf("as the bare field: %v, want ErrAltered", err)
	}
	other := keyring(t, "k2", "k2")
	if _, err := other.Open(f.Beside("电话138****5678"), sealed); err == nil || errors.Is(err, pii.ErrAltered) {
		t.Errorf("without its key: %v, want an error other than ErrAltered", err)
	}
}

func TestSealOpen(t *testing.T) {
	k := keyring(t, "k1", "k1")
	id := "410482199001011232"
	a, err := k.Seal(pii.IDNumber, id)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := k.Seal(pii.IDNumber, id)
	if a == b || strings.Contains(a, id) || !pii.Sealed(a) || pii.KeyOf(a) != "k1" {
		t.Errorf("sealed %q and %q", a, b)
	}
	if got, err := k.Open(pii.IDNumber, a); err != nil || got != id {
		t.Errorf("Open = %q, %v", got, err)
	}
	// Bound to its field: a sealed ID number does not open as a phone.
	if _, err := k.Open(pii.Phone, a); err == nil {
		t.Error("an ID number opened as a phone")
	}
	// Altered: the tag fails, and the error quotes no value.
	tampered := a[:len(a)-2] + "AA"
	if _, err := k.Open(pii.IDNumber, tampered); err == nil || strings.Contains(err.Error(), id) {
		t.Errorf("tampered: %v", err)
	}
	if _, err := k.Open(pii.IDNumber, id); err != pii.ErrNotSealed {
		t.Errorf("clear value: %v", err)
	}
	if s, _ := k.Seal(pii.Phone, ""); s != "" {
		t.Errorf("empty sealed to %q", s)
	}
}

func TestRotation(t *testing.T) {
	old := keyring(t, "k1", "k1")
	sealed, _ := old.Seal(pii.Phone, "13812345678")
	both := keyring(t, "k2", "k1", "k2")
	if got, err := both.Open(pii.Phone, sealed); err != nil || got != "13812345678" {
		t.Fatalf("old value under the new ring: %q, %v", got, err)
	}
	fresh, _ := both.Seal(pii.Phone, "13812345678")
	if pii.KeyOf(fresh) != "k2" {
		t.Errorf("sealed under %s", pii.KeyOf(fresh))
	}
	if _, err := old.Open(pii.Phone, fresh); err == nil {
		t.Error("a ring without k2 opened a k2 value")
	}
	// The blind index does not change with the data keys.
	if old.Blind(pii.IDNumber, "410482199001011232") != both.Blind(pii.IDNumber, "410482199001011232") {
		t.Error("the blind index moved with the data key")
	}
	if old.Blind(pii.IDNumber, "1") == old.Blind(pii.Phone, "1") {
		t.Error("the blind index is not bound to the field")
	}
}

func TestKeyFiles(t *testing.T) {
	path := filepath.Join(t.TempDir(), "jiefen.keys")
	made, err := pii.EnsureKeyFile(path)
	if err != nil || !made {
		t.Fatalf("EnsureKeyFile = %v, %v", made, err)
	}
	if made, _ := pii.EnsureKeyFile(path); made {
		t.Error("an existing key file was replaced")
	}
	k, err := pii.FileProvider{Path: path}.Keyring()
	if err != nil || k.Current() != "k1" {
		t.Fatalf("Keyring = %v, %v", k, err)
	}
	os.Chmod(path, 0o644)
	if _, err := (pii.FileProvider{Path: path}).Keyring(); err == nil {
		t.Error("a key file readable by others was accepted")
	}
	f, _ := pii.NewKeyFile()
	id, _ := f.AddKey()
	if id != "k2" || f.Current != "k2" || len(f.Keys) != 2 {
		t.Errorf("AddKey = %s, %+v", id, f)
	}
	if _, err := (pii.EnvProvider{Value: `{"current":"k9","keys":{"k1":"00112233445566778899aabbccddeeff"},"index_key":"00112233445566778899aabbccddeeff"}`}).Keyring(); err == nil {
		t.Error("a current key that is not among the keys was accepted")
	}
	if _, err := (pii.EnvProvider{Value: `{"current":"k1","keys":{"k1":"0011"},"index_key":"00112233445566778899aabbccddeeff"}`}).Keyring(); err == nil {
		t.Error("a short SM4 key was accepted")
	}
}

// TestSM4KnownAnswer checks the cipher against the standard's example
// (GB/T 32907-2016 附录A, 示例1): key = plaintext =
// 0123456789abcdeffedcba9876543210 gives 681edf34d206965e86b3e94f536e4246.
func TestSM4KnownAnswer(t *testing.T) {
	// Through the package's own path: a keyring whose key is the standard's,
	// sealing is GCM, so check the block cipher the keyring is built on.
	if err := pii.CheckSM4(); err != nil {
		t.Fatal(err)
	}
}

// TestBlindIsHMACSM3 pins the blind index to HMAC-SM3 of "field\x00value"
// under the index key, computed afresh, however often the keyring's kept
// HMAC states are reused, also from many goroutines at once.
func TestBlindIsHMACSM3(t *testing.T) {
	indexKey := bytes.Repeat([]byte{7}, 32)
	k, err := pii.NewKeyring("k1", map[string][]byte{"k1": bytes.Repeat([]byte{1}, 16)}, indexKey)
	if err != nil {
		t.Fatal(err)
	}
	want := func(f pii.Field, v string) string {
		m := hmac.New(sm3.New, indexKey)
		m.Write([]byte(string(f) + "\x00" + v))
		return hex.EncodeToString(m.Sum(nil))
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				v := strconv.Itoa(g*1000 + i)
				if got := k.Blind(pii.IDNumber, v); got != want(pii.IDNumber, v) {
					t.Errorf("Blind(id_number, %s) = %s, want %s", v, got, want(pii.IDNumber, v))
					return
				}
			}
		})
	}
	wg.Wait()
}
