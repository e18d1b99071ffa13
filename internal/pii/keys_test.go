package pii

import (
	"bytes"
	"encoding/hex"
	"testing"
)

// TestAuditKey: a key file's audit_key seals the audit chain; a key file
// made before it existed gets one derived from its index key, the same on
// every start and every replica, and not the index key itself.
func TestAuditKey(t *testing.T) {
	f, err := NewKeyFile()
	if err != nil {
		t.Fatal(err)
	}
	k, err := f.Keyring()
	if err != nil {
		t.Fatal(err)
	}
	if hex.EncodeToString(k.AuditKey()) != f.AuditKey || len(k.AuditKey()) != 32 {
		t.Fatalf("audit key %x, want the file's %s", k.AuditKey(), f.AuditKey)
	}
	old := f
	old.AuditKey = ""
	k1, err := old.Keyring()
	if err != nil {
		t.Fatal(err)
	}
	k2, _ := old.Keyring()
	index, _ := hex.DecodeString(f.IndexKey)
	if !bytes.Equal(k1.AuditKey(), k2.AuditKey()) || bytes.Equal(k1.AuditKey(), index) || bytes.Equal(k1.AuditKey(), k.AuditKey()) {
		t.Fatalf("derived audit keys %x, %x; want equal to each other, not the index key", k1.AuditKey(), k2.AuditKey())
	}
	bad := f
	bad.AuditKey = "abcd"
	if _, err := bad.Keyring(); err == nil {
		t.Error("a short audit_key is accepted")
	}
}
