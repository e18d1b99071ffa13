package audit

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func testKey(t *testing.T, secret string) *Key {
	t.Helper()
	k, err := NewKey([]byte(secret))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func chain(k *Key, n int) []Entry {
	var out []Entry
	prevSeq, prevHash := int64(0), Genesis
	at := time.Date(2026, 11, 25, 8, 0, 0, 123456789, time.UTC)
	for i := 0; i < n; i++ {
		e := k.Chain(Entry{At: at.Add(time.Duration(i) * time.Second), Actor: "admin", Role: "admin",
			Action: "org.create", TargetType: "org", TargetID: "RZ-SFJ", After: Digest(map[string]int{"i": i}),
			Changes: json.RawMessage(`[{"field":"code","new":"RZ-SFJ"}]`)}, prevSeq, prevHash)
		out = append(out, e)
		prevSeq, prevHash = e.Seq, e.Hash
	}
	return out
}

func verify(k *Key, entries []Entry) (int64, int64) {
	v := NewVerifier(k.Hash)
	for _, e := range entries {
		v.Add(e)
	}
	return v.Result()
}

func TestChainVerifies(t *testing.T) {
	k := testKey(t, "an-audit-key-of-32-bytes-long!!!")
	if checked, broken := verify(k, chain(k, 10)); checked != 10 || broken != 0 {
		t.Fatalf("verify = %d, %d; want 10, 0", checked, broken)
	}
}

func TestTamperingIsFoundAtItsSequence(t *testing.T) {
	k := testKey(t, "an-audit-key-of-32-bytes-long!!!")
	for name, tamper := range map[string]func([]Entry) []Entry{
		"altered action":  func(es []Entry) []Entry { es[4].Action = "org.delete"; return es },
		"altered time":    func(es []Entry) []Entry { es[4].At = es[4].At.Add(time.Microsecond); return es },
		"altered changes": func(es []Entry) []Entry { es[4].Changes = json.RawMessage(`[]`); return es },
		"removed":         func(es []Entry) []Entry { return append(es[:4], es[5:]...) },
	} {
		if _, broken := verify(k, tamper(chain(k, 10))); broken != 5 {
			t.Errorf("%s: first broken = %d, want 5", name, broken)
		}
	}
	// An entry altered and re-hashed on its own is consistent in itself; the
	// chain breaks at its successor, whose link no longer matches.
	es := chain(k, 10)
	es[4].Actor = "x"
	es[4].Hash = k.Hash(es[4])
	if _, broken := verify(k, es); broken != 6 {
		t.Errorf("rehashed alone: first broken = %d, want 6", broken)
	}
}

// TestChainNeedsTheKey: a chain sealed again without the key (plain
// SHA-256, as before the key, or another key) breaks at its first entry.
func TestChainNeedsTheKey(t *testing.T) {
	k := testKey(t, "an-audit-key-of-32-bytes-long!!!")
	other := testKey(t, "another-key-of-32-bytes-long!!!!")
	if _, broken := verify(k, chain(other, 5)); broken != 1 {
		t.Errorf("another key: first broken = %d, want 1", broken)
	}
	es := chain(k, 5)
	prev := Genesis
	for i := range es {
		es[i].PrevHash = prev
		es[i].Hash = LegacyHash(es[i])
		prev = es[i].Hash
	}
	if _, broken := verify(k, es); broken != 1 {
		t.Errorf("SHA-256: first broken = %d, want 1", broken)
	}
	v := NewVerifier(LegacyHash)
	for _, e := range es {
		v.Add(e)
	}
	if checked, broken := v.Result(); checked != 5 || broken != 0 {
		t.Errorf("the SHA-256 chain under LegacyHash: %d, %d; want 5, 0", checked, broken)
	}
}

func TestDigestHidesValue(t *testing.T) {
	d := Digest(map[string]string{"id_number": "410482199001011234"})
	if len(d) != 64 || d == Digest(map[string]string{"id_number": "410482199001011235"}) {
		t.Fatalf("digest %q", d)
	}
}

func TestAnchors(t *testing.T) {
	k := testKey(t, "an-audit-key-of-32-bytes-long!!!")
	path := filepath.Join(t.TempDir(), "jiefen.anchors")
	at := time.Date(2026, 12, 2, 8, 0, 0, 0, time.UTC)
	for seq := int64(1); seq <= 2; seq++ {
		if err := AppendAnchor(path, k.Anchor(seq, "h", at)); err != nil {
			t.Fatal(err)
		}
	}
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString("not an anchor\n")
	f.Close()
	var signed, bad int
	err := ReadAnchors(path, func(a Anchor, ok bool) error {
		switch {
		case ok && k.Signed(a):
			signed++
		default:
			bad++
		}
		return nil
	})
	if err != nil || signed != 2 || bad != 1 {
		t.Fatalf("read %d signed, %d bad, %v; want 2, 1", signed, bad, err)
	}
	a := k.Anchor(3, "h", at)
	a.Seq = 4
	if k.Signed(a) || testKey(t, "another-key-of-32-bytes-long!!!!").Signed(k.Anchor(3, "h", at)) {
		t.Error("an altered anchor, or one under another key, is signed")
	}
	if err := ReadAnchors(filepath.Join(t.TempDir(), "none"), nil); err != nil {
		t.Errorf("a missing anchor file: %v", err)
	}
}
