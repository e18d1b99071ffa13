// Package notify delivers jiefen's events to other systems by webhook: an
// HTTP POST of the event as JSON, signed with a secret shared with the
// receiver. The platform sends no SMS and speaks to no government
// messaging platform itself; the way an SMS gateway, a 政务钉钉/浙政钉-style
// messaging platform or any other channel plugs in is a small webhook
// receiver that verifies the signature (Verify) and forwards the event in
// that channel's own protocol. Deliveries are retried with exponential
// backoff (Backoff) until the receiver answers 2xx or the attempts run out;
// the outbox that feeds them lives in the store.
package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Webhook is a receiver of events, configured by name.
type Webhook struct {
	// Name identifies the webhook in the configuration and in the record of
	// its deliveries.
	Name string
	// URL is where events are POSTed. It may carry a token, so it never
	// appears in an error.
	URL string
	// Secret signs every request (see Sign); the receiver holds the same.
	Secret []byte
}

// Sign returns the signature of a request: "sha256=" and the hex HMAC-SHA256,
// under secret, of the timestamp, a dot and the body. Signing the timestamp
// with the body lets a receiver refuse a replayed request by its age.
func Sign(secret []byte, timestamp string, body []byte) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(timestamp))
	mac.Write([]byte{'.'})
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// Verify reports whether signature is the signature of timestamp and body
// under secret, comparing in constant time. A receiver should also refuse a
// timestamp too far from its own clock (a few minutes), which Verify leaves
// to it.
func Verify(secret []byte, timestamp string, body []byte, signature string) bool {
	return hmac.Equal([]byte(Sign(secret, timestamp, body)), []byte(signature))
}

// Sender POSTs events to webhooks.
type Sender struct {
	// Client sends the requests; nil means a client with a 10-second
	// timeout that follows no redirects (a redirect is then an error).
	Client *http.Client
	// Now returns the current instant, for the timestamp; nil means
	// time.Now.
	Now func() time.Time
}

// The headers of a delivery request.
const (
	HeaderEvent     = "X-Jiefen-Event"     // the event's kind
	HeaderDelivery  = "X-Jiefen-Delivery"  // the same on every retry, so a receiver can drop repeats
	HeaderTimestamp = "X-Jiefen-Timestamp" // Unix seconds, signed with the body
	HeaderSignature = "X-Jiefen-Signature" // Sign(secret, timestamp, body)
)

// maxErrorBody is how much of a refusing receiver's answer an error quotes.
const maxErrorBody = 200

// Send POSTs body, the JSON of an event of kind event, to w, signed, under
// deliveryID. It returns nil only when the receiver answers 2xx; otherwise
// the error names the status and quotes at most 200 bytes of the answer.
// No error holds w.URL, which may carry a token.
func (s Sender) Send(ctx context.Context, w Webhook, deliveryID string, event string, body []byte) error {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	client := s.Client
	if client == nil {
		client = &http.Client{
			Timeout:       10 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}
	}
	ts := strconv.FormatInt(now().Unix(), 10)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("webhook %s: the URL is not valid", w.Name)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "jiefen-webhook")
	req.Header.Set(HeaderEvent, event)
	req.Header.Set(HeaderDelivery, deliveryID)
	req.Header.Set(HeaderTimestamp, ts)
	req.Header.Set(HeaderSignature, Sign(w.Secret, ts, body))
	resp, err := client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // without the URL
		}
		return fmt.Errorf("webhook %s: %w", w.Name, err)
	}
	defer resp.Body.Close()
	head, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	// Drain a little more so that the connection can be reused.
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode >= 200 && resp.StatusCode <= 299 {
		return nil
	}
	msg := fmt.Sprintf("webhook %s: status %s", w.Name, resp.Status)
	if q := quote(head); q != "" {
		msg += ": " + q
	}
	return errors.New(msg)
}

// quote makes a receiver's answer fit for a log line: valid UTF-8, no
// control characters, no partial character at the end.
func quote(b []byte) string {
	// The answer was cut at 200 bytes: drop a character cut in two.
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				b = b[:i]
			}
			break
		}
	}
	s := strings.ToValidUTF8(string(b), "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}

// Backoff returns the wait before the next attempt after attempt failures:
// base after the first, doubling with each further one, never more than
// maxWait.
func Backoff(base, maxWait time.Duration) func(attempt int) time.Duration {
	return func(attempt int) time.Duration {
		d := base
		for i := 1; i < attempt && d < maxWait; i++ {
			if d > maxWait/2 {
				return maxWait
			}
			d *= 2
		}
		return min(d, maxWait)
	}
}
