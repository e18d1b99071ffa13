package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// TestOpenLoopCountsWaiting: against a server that takes 20 ms a request
// on one connection, the closed loop sees 20 ms, while the open loop at
// 200 requests per second (four times what the server can do) measures
// from the timetable, so its p99 shows the queue; the slots never sent
// are errors.
func TestOpenLoopCountsWaiting(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(20 * time.Millisecond)
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	send := func(client *http.Client, n int64) outcome {
		res, err := client.Get(srv.URL)
		if err != nil {
			return failed
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		return classify(res.StatusCode)
	}
	closed := runLoad(loadSpec{conns: 1, duration: 300 * time.Millisecond}, send)
	if closed.errors != 0 || closed.requests < 5 || closed.p99 > 100*time.Millisecond {
		t.Fatalf("closed loop: %d requests, %d errors, p99 %s", closed.requests, closed.errors, closed.p99)
	}
	open := runLoad(loadSpec{conns: 1, duration: 300 * time.Millisecond, rate: 200}, send)
	if open.requests+open.errors != 60 || open.errors == 0 {
		t.Fatalf("open loop: %d requests and %d errors, want 60 slots and some not sent", open.requests, open.errors)
	}
	if open.p99 < 5*closed.p99 {
		t.Fatalf("open loop p99 %s, closed loop %s: the queue is not counted", open.p99, closed.p99)
	}
	total := runLoad(loadSpec{conns: 3, total: 10}, send)
	if total.requests != 10 {
		t.Fatalf("total 10: %d requests", total.requests)
	}
}

func TestClassify(t *testing.T) {
	for status, want := range map[int]outcome{200: answered, 201: answered, 409: conflict, 412: conflict, 422: failed, 500: failed, 404: failed} {
		if got := classify(status); got != want {
			t.Errorf("classify(%d) = %d, want %d", status, got, want)
		}
	}
}

func TestParseInts(t *testing.T) {
	got, err := parseInts("64, 256,1_000_000,")
	if err != nil || len(got) != 3 || got[0] != 64 || got[1] != 256 || got[2] != 1_000_000 {
		t.Fatalf("parseInts = %v, %v", got, err)
	}
	if _, err := parseInts("64,x"); err == nil {
		t.Fatal("parseInts accepted x")
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"": 0, "134217728": 134217728, "512M": 512 << 20, "1G": 1 << 30, "1g": 1 << 30, "64K": 64 << 10} {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"G", "-1G", "1T", "one", "0"} {
		if _, err := parseSize(bad); err == nil {
			t.Errorf("parseSize(%q) accepted", bad)
		}
	}
}
