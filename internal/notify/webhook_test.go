package notify_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"jiefen/internal/notify"
)

func TestSignIsHMACOfTimestampAndBody(t *testing.T) {
	// Computed independently: printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac s3cret
	const want = "sha256=1698a50bc74d1ff1db85c4e0a5297c2ad9fdba245d5737cdb789e4cc6e098940"
	got := notify.Sign([]byte("s3cret"), "1700000000", []byte(`{"a":1}`))
	if got != want {
		t.Fatalf("Sign = %q, want %q", got, want)
	}
	if !notify.Verify([]byte("s3cret"), "1700000000", []byte(`{"a":1}`), got) {
		t.Fatal("Verify refused Sign's own signature")
	}
	for name, args := range map[string][3]string{
		"other secret":    {"other", "1700000000", `{"a":1}`},
		"other timestamp": {"s3cret", "1700000001", `{"a":1}`},
		"other body":      {"s3cret", "1700000000", `{"a":2}`},
	} {
		if notify.Verify([]byte(args[0]), args[1], []byte(args[2]), got) {
			t.Errorf("%s: Verify accepted the signature", name)
		}
	}
	if notify.Verify([]byte("s3cret"), "1700000000", []byte(`{"a":1}`), "") {
		t.Error("Verify accepted an empty signature")
	}
}

func TestSendPostsSignedEvent(t *testing.T) {
	secret := []byte("shared")
	body := []byte(`{"id":7,"kind":"mediation.due_soon"}`)
	now := time.Date(2025, 3, 14, 8, 0, 0, 0, time.UTC)
	var got *http.Request
	var gotBody []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r
		gotBody, _ = io.ReadAll(r.Body)
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()

	s := notify.Sender{Client: srv.Client(), Now: func() time.Time { return now }}
	err := s.Send(context.Background(), notify.Webhook{Name: "sms", URL: srv.URL + "/hook", Secret: secret}, "7", "mediation.due_soon", body)
	if err != nil {
		t.Fatalf("Send = %v", err)
	}
	if got.Method != http.MethodPost || got.URL.Path != "/hook" {
		t.Errorf("request = %s %s, want POST /hook", got.Method, got.URL.Path)
	}
	for h, want := range map[string]string{
		"Content-Type":       "application/json",
		"X-Jiefen-Event":     "mediation.due_soon",
		"X-Jiefen-Delivery":  "7",
		"X-Jiefen-Timestamp": "1741939200",
	} {
		if v := got.Header.Get(h); v != want {
			t.Errorf("header %s = %q, want %q", h, v, want)
		}
	}
	if string(gotBody) != string(body) {
		t.Errorf("body = %s, want %s", gotBody, body)
	}
	sig := got.Header.Get("X-Jiefen-Signature")
	if !notify.Verify(secret, got.Header.Get("X-Jiefen-Timestamp"), gotBody, sig) {
		t.Errorf("signature %q does not verify", sig)
	}
}

func TestSendRefusedIsAnError(t *testing.T) {
	long := strings.Repeat("x", 1000) + "SECRET-TAIL"
	for _, status := range []int{http.StatusBadRequest, http.StatusInternalServerError, http.StatusFound} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if status == http.StatusFound {
				http.Redirect(w, r, "/elsewhere", status)
				return
			}
			http.Error(w, long, status)
		}))
		// The default client: a redirect is not followed.
		err := notify.Sender{}.Send(context.Background(), notify.Webhook{Name: "gov", URL: srv.URL + "/?token=abc"}, "1", "k", []byte("{}"))
		srv.Close()
		if err == nil {
			t.Errorf("status %d: Send = nil, want an error", status)
			continue
		}
		msg := err.Error()
		if !strings.Contains(msg, http.StatusText(status)) || !strings.Contains(msg, "gov") {
			t.Errorf("status %d: error %q does not name the webhook and the status", status, msg)
		}
		if strings.Contains(msg, "SECRET-TAIL") || len(msg) > 300 {
			t.Errorf("status %d: error quotes too much of the answer (%d bytes)", status, len(msg))
		}
		if strings.Contains(msg, "token=abc") {
			t.Errorf("status %d: error %q holds the URL", status, msg)
		}
	}
}

func TestSendUnreachableHidesURL(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL + "/?token=abc"
	srv.Close()
	err := notify.Sender{}.Send(context.Background(), notify.Webhook{Name: "gov", URL: url}, "1", "k", []byte("{}"))
	if err == nil {
		t.Fatal("Send to a closed server = nil, want an error")
	}
	if strings.Contains(err.Error(), "token=abc") {
		t.Errorf("error %q holds the URL", err)
	}
}

func TestBackoffDoublesUpToMax(t *testing.T) {
	b := notify.Backoff(time.Minute, time.Hour)
	for _, tc := range []struct {
		attempt int
		want    time.Duration
	}{
		{0, time.Minute},
		{1, time.Minute},
		{2, 2 * time.Minute},
		{3, 4 * time.Minute},
		{6, 32 * time.Minute},
		{7, time.Hour},
		{100, time.Hour},
	} {
		if got := b(tc.attempt); got != tc.want {
			t.Errorf("Backoff(1m, 1h)(%d) = %v, want %v", tc.attempt, got, tc.want)
		}
	}
	huge := notify.Backoff(time.Second, time.Duration(1<<62))
	if got := huge(200); got != time.Duration(1<<62) {
		t.Errorf("Backoff(1s, 2^62ns)(200) = %v, want the cap", got)
	}
}
