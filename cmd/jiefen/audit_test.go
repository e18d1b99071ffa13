package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestAuditAnchorJob: with SQLite and no audit.anchor_file the job anchors
// the audit chain's head in jiefen.anchors beside the database, once per
// head, and verification checks the anchor.
func TestAuditAnchorJob(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	vars := map[string]string{"JIEFEN_DB_DSN": filepath.Join(dir, "j.db")}
	e, _, errb := testEnv("Admin-Pass-2026\n", vars)
	if code := run(ctx, []string{"user", "create", "--username", "admin", "--role", "admin", "--password-stdin"}, e); code != 0 {
		t.Fatalf("user create: exit %d, %s", code, errb)
	}
	c, db, err := openMigrated(ctx, "", e, true)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.AnchorFile = anchorFilePath(c)
	anchor := jobDeps{cfg: c, db: db, log: slog.New(slog.NewJSONHandler(io.Discard, nil))}.jobs()["audit_anchor"]
	for range 2 {
		if err := anchor(ctx, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(filepath.Join(dir, "jiefen.anchors"))
	if err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(strings.TrimSpace(string(b)), "\n"); len(lines) != 1 || !strings.HasPrefix(lines[0], `{"seq":`) {
		t.Fatalf("anchor file %q; want one anchor", b)
	}
	check, err := db.Audit.VerifyAudit(ctx)
	if err != nil || check.FirstBroken != 0 || check.AnchorsChecked != 1 {
		t.Fatalf("VerifyAudit = %+v, %v; want the anchor checked", check, err)
	}
}

// TestTamperedAuditHeadStarts: an audit head whose scheme was altered in
// the database does not stop the start; the start logs an error naming
// it.
func TestTamperedAuditHeadStarts(t *testing.T) {
	ctx := context.Background()
	vars := map[string]string{"JIEFEN_DB_DSN": filepath.Join(t.TempDir(), "j.db"), "JIEFEN_HTTP_ADDR": "127.0.0.1:0"}
	e, _, errb := testEnv("Admin-Pass-2026\n", vars)
	if code := run(ctx, []string{"user", "create", "--username", "admin", "--role", "admin", "--password-stdin"}, e); code != 0 {
		t.Fatalf("user create: exit %d, %s", code, errb)
	}
	c, db, err := openMigrated(ctx, "", e, true)
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.SQL().Exec("UPDATE audit_head SET scheme = 'sha256' WHERE id = 1")
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	a, err := newApp(ctx, c, slog.New(slog.NewJSONHandler(&logs, nil)))
	if err != nil {
		t.Fatalf("the start: %v", err)
	}
	stopped, stop := context.WithCancel(ctx)
	stop()
	if err := a.serve(stopped); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs.String(), `"level":"ERROR","msg":"the audit head was altered"`) || !strings.Contains(logs.String(), "audit_head.scheme") {
		t.Fatalf("logs %s; want an error naming the audit head", logs.String())
	}
}
