package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"go.uber.org/goleak"

	"jiefen/configs"
)

// TestShutdownLeaksNoGoroutine: the service started and stopped in the
// process (scheduler and database watch included) leaves no goroutine
// behind, and stops well within http.shutdown_timeout.
func TestShutdownLeaksNoGoroutine(t *testing.T) {
	gin.SetMode(gin.ReleaseMode)
	before := goleak.IgnoreCurrent()
	vars := map[string]string{"JIEFEN_DB_DSN": filepath.Join(t.TempDir(), "j.db"), "JIEFEN_HTTP_ADDR": "127.0.0.1:0",
		"JIEFEN_JOBS_OVERDUE_SCAN_SCHEDULE": "@every 1s"}
	e, _, _ := testEnv("", vars)
	c, err := configs.Load("", e.lookup)
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	a, err := newApp(ctx, c, slog.New(slog.NewJSONHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- a.serve(ctx) }()
	client := &http.Client{Transport: &http.Transport{}}
	for _, path := range []string{"/readyz", "/login", "/api/v1/auth/me"} {
		res, err := client.Get("http://" + a.Addr() + path)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
	}
	client.Transport.(*http.Transport).CloseIdleConnections()
	time.Sleep(1200 * time.Millisecond) // a scheduled tick runs
	begun := time.Now()
	stop()
	select {
	case err := <-done:
		if err != nil && !strings.Contains(err.Error(), "closed") {
			t.Fatalf("serve: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the service did not stop within 30 s")
	}
	t.Logf("stopped in %v", time.Since(begun))
	goleak.VerifyNone(t, before)
}
