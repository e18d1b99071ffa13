package main

import (
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
	c, db, err := openMigrated(ctx, "", e)
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
	check, err := db.VerifyAudit(ctx)
	if err != nil || check.FirstBroken != 0 || check.AnchorsChecked != 1 {
		t.Fatalf("VerifyAudit = %+v, %v; want the anchor checked", check, err)
	}
}
