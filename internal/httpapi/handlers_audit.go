package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"jiefen"
	"jiefen/internal/audit"
	"jiefen/internal/sqlstore"
)

// AuditStore is what the audit handlers need of the store: the entries of
// the audit log and the check of its hash chain.
type AuditStore interface {
	ListAudit(ctx context.Context, f sqlstore.AuditFilter) ([]audit.Entry, error)
	VerifyAudit(ctx context.Context) (sqlstore.AuditCheck, error)
}

// auditAPI serves /audit: the auditor's reading and verification of the
// audit log.
type auditAPI struct {
	*Server
	store AuditStore
}

// listAudit pages through the audit log in sequence order, filtered by
// ?actor=, ?action=, and ?from= / ?to= (dates in Asia/Shanghai, inclusive).
func (s *auditAPI) listAudit(c *gin.Context) {
	limit, after, err := page(c)
	var p jiefen.Problems
	if err != nil {
		p = err.(*jiefen.Error).Fields
	}
	f := sqlstore.AuditFilter{AfterSeq: after, Limit: limit, Actor: c.Query("actor"), Action: c.Query("action")}
	if v := c.Query("from"); v != "" {
		d, err := time.ParseInLocation(time.DateOnly, v, shanghai())
		if err != nil {
			p.Add("from", "must be a date YYYY-MM-DD")
		}
		f.From = d
	}
	if v := c.Query("to"); v != "" {
		d, err := time.ParseInLocation(time.DateOnly, v, shanghai())
		if err != nil {
			p.Add("to", "must be a date YYYY-MM-DD")
		}
		f.To = d.AddDate(0, 0, 1)
	}
	if err := p.Err(); err != nil {
		s.fail(c, err)
		return
	}
	entries, err := s.store.ListAudit(c.Request.Context(), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	out := list[audit.Entry]{Items: entries}
	if len(entries) == limit {
		out.NextCursor = encodeCursor(entries[len(entries)-1].Seq)
	}
	c.JSON(http.StatusOK, out)
}

// verifyResponse is the answer of GET /api/v1/audit/verify (API.md,
// "Audit"), with the anchors compared besides: those checked, the lines
// of the anchor file that are no anchor signed under the key, and the
// anchors sent that the file no longer holds (which break the chain at
// the first of them).
type verifyResponse struct {
	OK              bool   `json:"ok"`
	Checked         int64  `json:"checked"`
	FirstBroken     *int64 `json:"first_broken,omitempty"`
	AnchorsChecked  int64  `json:"anchors_checked"`
	AnchorsRejected int64  `json:"anchors_rejected"`
	AnchorsMissing  int64  `json:"anchors_missing"`
}

func (s *auditAPI) verifyAudit(c *gin.Context) {
	check, err := s.store.VerifyAudit(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	out := verifyResponse{OK: check.FirstBroken == 0, Checked: check.Checked,
		AnchorsChecked: check.AnchorsChecked, AnchorsRejected: check.AnchorsRejected, AnchorsMissing: check.AnchorsMissing}
	if check.FirstBroken != 0 {
		out.FirstBroken = &check.FirstBroken
	}
	c.JSON(http.StatusOK, out)
}

// shanghai is the zone of legal dates. The binary embeds tzdata (cmd), so
// the zone loads on any machine; a fixed UTC+8 is the fallback (China has
// kept no daylight saving since 1991).
func shanghai() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}
