package auth

import (
	"testing"
	"time"
)

func TestCheckPassword(t *testing.T) {
	for pw, ok := range map[string]bool{
		"short-1A":           false, // 8 characters
		"alllowercaseletter": false, // one class
		"lowercase123456":    false, // two classes
		"Lowercase123456":    true,
		"lowercase-123456":   true,
		"汝州市司法局Abc-1234":     true,
		"ABCDEFGHIJ-":        false, // two classes
	} {
		if err := DefaultPasswordPolicy().Check(pw); (err == nil) != ok {
			t.Errorf("Check(%q) = %v, want ok=%v", pw, err, ok)
		}
	}
}

func TestHashAndVerify(t *testing.T) {
	h := Hasher{MemoryKiB: 64, Time: 1}
	enc, err := h.Hash("Correct-Horse-1")
	if err != nil {
		t.Fatal(err)
	}
	enc2, _ := h.Hash("Correct-Horse-1")
	if enc == enc2 {
		t.Fatal("two hashes of one password must differ (salt)")
	}
	if !Verify(enc, "Correct-Horse-1") || Verify(enc, "Correct-Horse-2") || Verify("garbage", "x") || Verify("$argon2id$v=19$m=0,t=0,p=0$$", "") {
		t.Fatal("Verify is wrong")
	}
}

func TestNormalizeUsername(t *testing.T) {
	if u, err := NormalizeUsername("  Zhang.San "); err != nil || u != "zhang.san" {
		t.Fatalf("got %q, %v", u, err)
	}
	for _, bad := range []string{"a", "张三", "a b", "x/y"} {
		if _, err := NormalizeUsername(bad); err == nil {
			t.Errorf("NormalizeUsername(%q) accepted", bad)
		}
	}
}

func TestSessionExpiry(t *testing.T) {
	p := SessionPolicy{Idle: 30 * time.Minute, Absolute: 12 * time.Hour}
	login := time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)
	if got := p.ExpiresAt(Session{CreatedAt: login, LastSeenAt: login}); !got.Equal(login.Add(30 * time.Minute)) {
		t.Errorf("fresh session ends %v", got)
	}
	late := login.Add(11*time.Hour + 50*time.Minute)
	if got := p.ExpiresAt(Session{CreatedAt: login, LastSeenAt: late}); !got.Equal(login.Add(12 * time.Hour)) {
		t.Errorf("near the absolute limit ends %v", got)
	}
	tok, hash, err := NewToken()
	if err != nil || len(tok) < 40 || HashToken(tok) != hash || hash == tok {
		t.Fatalf("NewToken = %q %q %v", tok, hash, err)
	}
}
