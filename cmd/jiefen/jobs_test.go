package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"jiefen/configs"
	"jiefen/internal/notify"
	"jiefen/internal/pii"
	"jiefen/internal/sqlstore/storetest"
)

// receiver is a webhook receiver that checks every signature.
type receiver struct {
	t      *testing.T
	secret []byte
	mu     sync.Mutex
	events map[string]int // by kind
	seen   map[string]int // deliveries by event id
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	if !notify.Verify(r.secret, req.Header.Get(notify.HeaderTimestamp), body, req.Header.Get(notify.HeaderSignature)) {
		r.t.Errorf("a delivery with a bad signature: %s", body)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	var e struct {
		Kind string `json:"kind"`
	}
	json.Unmarshal(body, &e)
	if e.Kind != req.Header.Get(notify.HeaderEvent) {
		r.t.Errorf("payload kind %q, header %q", e.Kind, req.Header.Get(notify.HeaderEvent))
	}
	r.mu.Lock()
	r.events[e.Kind]++
	r.seen[req.Header.Get(notify.HeaderDelivery)]++
	r.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func (r *receiver) count(kind string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.events[kind]
}

// TestTwoReplicasOnOneDatabase is issue 9's "done when": two replicas on
// one MariaDB with the overdue scan every second run each tick once; when
// one stops the other goes on; the scan marks an overdue mediation case
// and a reconsideration review that ran out, and the notifications reach a
// webhook receiver, signed, once each.
func TestTwoReplicasOnOneDatabase(t *testing.T) {
	base := os.Getenv("JIEFEN_TEST_MYSQL_DSN")
	if base == "" {
		t.Skip("JIEFEN_TEST_MYSQL_DSN not set: the replicas test needs MariaDB")
	}
	dsn, drop := storetest.NewMySQLDatabase(t, base)
	t.Cleanup(drop)
	rcv := &receiver{t: t, secret: []byte("a-long-webhook-secret"), events: map[string]int{}, seen: map[string]int{}}
	hook := httptest.NewServer(rcv)
	defer hook.Close()
	cfgFile := filepath.Join(t.TempDir(), "jiefen.yaml")
	os.WriteFile(cfgFile, []byte(fmt.Sprintf("notify:\n  webhooks:\n    - name: sms\n      url: %s\n      secret: %s\n", hook.URL, rcv.secret)), 0o600)
	keys, _ := json.Marshal(pii.KeyFile{Current: "k1", Keys: map[string]string{"k1": "00112233445566778899aabbccddeeff"},
		IndexKey: "0123456789abcdef0123456789abcdef"})
	vars := map[string]string{"JIEFEN_DB_DRIVER": "mysql", "JIEFEN_DB_DSN": dsn, "JIEFEN_HTTP_ADDR": "127.0.0.1:0", "JIEFEN_PII_KEYS": string(keys),
		"JIEFEN_JOBS_OVERDUE_SCAN_SCHEDULE": "@every 1s", "JIEFEN_JOBS_NOTIFY_DELIVERY_SCHEDULE": "@every 1s"}
	ctx := context.Background()
	for _, u := range [][]string{{"admin", "admin", ""}, {"desk", "intake", ""}, {"twh-med", "mediator", "RZ-ZL-TWH"},
		{"city-leader", "leader", ""}, {"fuyi", "reconsideration", ""}} {
		e, _, errb := testEnv("Replica-Pass-2026\n", vars)
		args := []string{"user", "create", "--username", u[0], "--role", u[1], "--password-stdin", "--config", cfgFile}
		if u[2] != "" {
			args = append(args, "--org", u[2])
		}
		if code := run(ctx, args, e); code != 0 {
			t.Fatalf("user create %s: %s", u[0], errb)
		}
	}
	// The replicas' clock starts on 2024-09-27 (Friday, before National
	// Day) and then jumps to today.
	var offset atomic.Int64
	offset.Store(int64(time.Until(time.Date(2024, 9, 27, 10, 0, 0, 0, time.UTC))))
	start := func(name string) (*app, func()) {
		e, _, _ := testEnv("", vars)
		c, err := configs.Load(cfgFile, e.lookup)
		if err != nil {
			t.Fatal(err)
		}
		c.Jobs.Replica = name
		a, err := newApp(ctx, c, slog.New(slog.NewJSONHandler(io.Discard, nil)))
		if err != nil {
			t.Fatal(err)
		}
		a.db.Now = func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }
		sctx, stop := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() { done <- a.serve(sctx) }()
		var once sync.Once
		kill := func() {
			once.Do(func() {
				stop()
				if err := <-done; err != nil {
					t.Errorf("replica %s: %v", name, err)
				}
			})
		}
		t.Cleanup(kill)
		return a, kill
	}
	a, killA := start("replica-a")
	b, _ := start("replica-b")
	urlA, urlB := "http://"+a.Addr(), "http://"+b.Addr()

	// On 2024-09-27 a police referral is registered and its mediator
	// accepts it: the people's mediation clock (one month) starts. A
	// reconsideration application is received; its review runs five
	// working days (to 2024-10-10 over National Day).
	desk := login(t, urlA, "desk")
	var d struct {
		Routing struct {
			CaseID int64 `json:"case_id"`
		} `json:"routing"`
	}
	call(t, "POST", urlA+"/api/v1/disputes", desk, `{"title":"邻里排水纠纷","description":"雨水排向邻居院内","category":"neighbour","source":"police",
		"source_ref":"110-20240927-0001","township":"汝州市钟楼街道","occurred_on":"2024-09-20","on":"2024-09-27",
		"parties":[{"role":"applicant","name":"张三","id_number":"410482199001011232"},{"role":"respondent","name":"李四"}]}`, 201, &d)
	fuyi := login(t, urlB, "fuyi")
	var rc struct {
		ID int64 `json:"id"`
	}
	call(t, "POST", urlB+"/api/v1/reconsideration/cases", fuyi, `{"applicant":{"name":"王五","id_number":"410482198512124568"},
		"respondent":"RZ-ZRZYJ","act":"不予办理不动产登记的决定","received_on":"2024-09-27"}`, 201, &rc)
	call(t, "POST", fmt.Sprintf("%s/api/v1/mediation/cases/%d/accept", urlA, d.Routing.CaseID), login(t, urlA, "twh-med"), `{"on":"2024-09-27"}`, 200, nil)
	var rcNow struct {
		State string `json:"state"`
	}
	call(t, "GET", fmt.Sprintf("%s/api/v1/reconsideration/cases/%d", urlB, rc.ID), fuyi, "", 200, &rcNow)
	if rcNow.State != "received" {
		t.Fatalf("on 2024-09-27 the application is %s", rcNow.State)
	}
	// Today: both clocks ran out long ago, and nobody touched either case.
	offset.Store(0)

	time.Sleep(3500 * time.Millisecond)
	killA() // one replica dies; the other carries on
	stopped := time.Now()
	time.Sleep(3 * time.Second)

	admin := login(t, urlB, "admin")
	var runs struct {
		Items []struct {
			ScheduledAt time.Time `json:"scheduled_at"`
			Replica     string    `json:"replica"`
			Outcome     string    `json:"outcome"`
			Error       string    `json:"error"`
		} `json:"items"`
	}
	call(t, "GET", urlB+"/api/v1/jobs/runs?job=overdue_scan&limit=200", admin, "", 200, &runs)
	ticks := map[time.Time]int{}
	after := 0
	replicas := map[string]bool{}
	for _, r := range runs.Items {
		ticks[r.ScheduledAt]++
		replicas[r.Replica] = true
		if r.Outcome == "failed" { // running: the tick in progress; skipped: the last run still held the lease
			t.Errorf("run %+v", r)
		}
		if r.ScheduledAt.After(stopped.Add(time.Second)) {
			after++
			if r.Replica != "replica-b" {
				t.Errorf("tick %s ran on %s after replica-a stopped", r.ScheduledAt, r.Replica)
			}
		}
	}
	if len(runs.Items) < 5 || after < 2 {
		t.Fatalf("%d runs, %d after replica-a stopped: %+v", len(runs.Items), after, runs.Items)
	}
	for tick, n := range ticks {
		if n != 1 {
			t.Errorf("tick %s has %d runs", tick, n)
		}
	}
	if !replicas["replica-a"] || !replicas["replica-b"] {
		t.Logf("ticks ran on %v", replicas) // either may win each tick; not an error
	}
	var jobs struct {
		Items []struct {
			Name     string  `json:"name"`
			Job      string  `json:"job"`
			Schedule string  `json:"schedule"`
			Outcome  *string `json:"outcome"`
			LastRun  *struct {
				Outcome string `json:"outcome"`
			} `json:"last_run"`
		} `json:"items"`
	}
	call(t, "GET", urlB+"/api/v1/jobs", admin, "", 200, &jobs)
	found := false
	for _, j := range jobs.Items {
		if j.Name == "overdue_scan" {
			found = j.Job == j.Name && j.Schedule == "@every 1s" && j.LastRun != nil && j.Outcome != nil && *j.Outcome == j.LastRun.Outcome
		}
	}
	if !found || len(jobs.Items) != 11 {
		t.Errorf("jobs = %+v", jobs.Items)
	}

	// The review that ran out was saved deemed accepted.
	var got struct {
		State  string `json:"state"`
		Deemed bool   `json:"deemed_accepted"`
	}
	fuyi = login(t, urlB, "fuyi")
	call(t, "GET", fmt.Sprintf("%s/api/v1/reconsideration/cases/%d", urlB, rc.ID), fuyi, "", 200, &got)
	if got.State != "accepted" || !got.Deemed {
		t.Errorf("reconsideration case: %+v, want deemed accepted", got)
	}
	// The mediator and the city's leader were told, in the app.
	med := login(t, urlB, "twh-med")
	var inbox struct {
		Items []struct {
			Kind      string `json:"kind"`
			SubjectID int64  `json:"subject_id"`
		} `json:"items"`
	}
	call(t, "GET", urlB+"/api/v1/notifications", med, "", 200, &inbox)
	if len(inbox.Items) != 1 || inbox.Items[0].Kind != "mediation.overdue" || inbox.Items[0].SubjectID != d.Routing.CaseID {
		t.Errorf("mediator's notifications: %+v (case %d)", inbox.Items, d.Routing.CaseID)
	}
	call(t, "GET", urlB+"/api/v1/notifications", login(t, urlB, "city-leader"), "", 200, &inbox)
	if len(inbox.Items) != 1 || inbox.Items[0].Kind != "mediation.escalated" {
		t.Errorf("leader's notifications: %+v", inbox.Items)
	}
	// And the webhook got each event once, signed.
	deadline := time.Now().Add(5 * time.Second)
	for rcv.count("reconsideration.deemed_accepted") == 0 && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	for _, kind := range []string{"mediation.overdue", "mediation.escalated", "reconsideration.deemed_accepted", "reconsideration.overdue"} {
		if n := rcv.count(kind); n != 1 {
			t.Errorf("webhook got %d %s events, want 1", n, kind)
		}
	}
	rcv.mu.Lock()
	for id, n := range rcv.seen {
		if n != 1 {
			t.Errorf("delivery %s arrived %d times", id, n)
		}
	}
	rcv.mu.Unlock()
}

func login(t *testing.T, base, user string) string {
	t.Helper()
	var out struct{ Token string }
	call(t, "POST", base+"/api/v1/auth/login", "", fmt.Sprintf(`{"username":%q,"password":"Replica-Pass-2026"}`, user), 200, &out)
	return out.Token
}

func call(t *testing.T, method, url, token, body string, want int, out any) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		t.Fatalf("%s %s = %d, want %d: %s", method, url, res.StatusCode, want, bytes.TrimSpace(b))
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: %v: %s", method, url, err, b)
		}
	}
}
