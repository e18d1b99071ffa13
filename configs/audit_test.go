package configs

import "testing"

// TestAuditAnchorConfig: the anchor job runs hourly by default and, like
// the anchor file, takes its value from the environment.
func TestAuditAnchorConfig(t *testing.T) {
	c, err := Load("", env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Jobs.Schedules()["audit_anchor"] != "0 * * * *" || c.Audit.AnchorFile != "" {
		t.Errorf("defaults: schedule %q, anchor file %q", c.Jobs.Schedules()["audit_anchor"], c.Audit.AnchorFile)
	}
	c, err = Load("", env(map[string]string{"JIEFEN_JOBS_AUDIT_ANCHOR_SCHEDULE": "@every 1s", "JIEFEN_AUDIT_ANCHOR_FILE": "/srv/anchors/jiefen.anchors"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Jobs.AuditAnchor.Schedule != "@every 1s" || c.Audit.AnchorFile != "/srv/anchors/jiefen.anchors" {
		t.Errorf("from the environment: schedule %q, anchor file %q", c.Jobs.AuditAnchor.Schedule, c.Audit.AnchorFile)
	}
}
