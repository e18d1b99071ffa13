package auth_test

import (
	"testing"
	"time"

	"jiefen/internal/auth"
)

func TestLimiterSlidingWindow(t *testing.T) {
	l := &auth.Limiter{Limit: 3, Window: time.Minute}
	t0 := time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)
	for i := 0; i < 3; i++ {
		if ok, _ := l.Allow("10.0.0.1", t0.Add(time.Duration(i)*time.Second)); !ok {
			t.Fatalf("attempt %d refused", i+1)
		}
	}
	ok, retry := l.Allow("10.0.0.1", t0.Add(10*time.Second))
	if ok || retry != 50*time.Second {
		t.Errorf("fourth attempt: %v, retry %v; want refused for 50s", ok, retry)
	}
	if ok, _ := l.Allow("10.0.0.2", t0.Add(10*time.Second)); !ok {
		t.Error("another address was refused")
	}
	// The first attempt leaves the window after a minute.
	if ok, _ := l.Allow("10.0.0.1", t0.Add(61*time.Second)); !ok {
		t.Error("an attempt after the window was refused")
	}
	if ok, _ := (&auth.Limiter{}).Allow("x", t0); !ok {
		t.Error("a zero limiter refused")
	}
}
