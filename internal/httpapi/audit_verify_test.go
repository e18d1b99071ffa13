package httpapi_test

import (
	"os"
	"path/filepath"
	"testing"

	"jiefen"
)

// TestAuditVerifyTampering: an audit head whose scheme was altered does
// not stop the writes (201, chained under the key) and verification
// answers the chain broken at 1; an anchor file deleted after anchors were
// written answers them missing, broken at the first.
func TestAuditVerifyTampering(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		admin, auditor := e.as(jiefen.RoleAdmin), e.as(jiefen.RoleAuditor)
		e.db.AnchorFile = filepath.Join(t.TempDir(), "jiefen.anchors")
		e.do("POST", "/api/v1/orgs", admin, map[string]any{"code": "TMP-1", "name": "汝州市测试局", "kind": "agency"}).want(201)
		a, anchored, err := e.db.Audit.AnchorAudit(t.Context())
		if err != nil || !anchored {
			t.Fatalf("AnchorAudit = %v, %v", anchored, err)
		}
		if v := e.do("GET", "/api/v1/audit/verify", auditor, nil).want(200).json(); v["ok"] != true || v["anchors_checked"] != 1.0 || v["anchors_missing"] != 0.0 {
			t.Fatalf("verify %v", v)
		}
		if err := os.Remove(e.db.AnchorFile); err != nil {
			t.Fatal(err)
		}
		v := e.do("GET", "/api/v1/audit/verify", auditor, nil).want(200).json()
		if v["ok"] != false || v["first_broken"] != float64(a.Seq) || v["anchors_missing"] != 1.0 {
			t.Fatalf("verify with the anchor file deleted %v; want anchor %d missing", v, a.Seq)
		}
		e.db.AnchorFile = ""

		if _, err := e.db.SQL().Exec("UPDATE audit_head SET scheme = 'sha256' WHERE id = 1"); err != nil {
			t.Fatal(err)
		}
		e.do("POST", "/api/v1/orgs", admin, map[string]any{"code": "TMP-2", "name": "汝州市另一测试局", "kind": "agency"}).want(201)
		v = e.do("GET", "/api/v1/audit/verify", auditor, nil).want(200).json()
		if v["ok"] != false || v["first_broken"] != 1.0 {
			t.Fatalf("verify with the head's scheme altered %v; want broken at 1", v)
		}
	})
}
