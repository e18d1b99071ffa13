package httpapi_test

import (
	"slices"
	"strings"
	"testing"

	"jiefen"
	"jiefen/internal/sqlstore"
	"jiefen/internal/sqlstore/storetest"
)

// The annual report: a year is required (422 naming it); each read is
// audited under the reader; an empty city answers every figure with zero
// or null, lists in place of nulls, and a draft.
func TestAnnualReportAuditedAndValidated(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := newEnv(t, db)
		leader, auditor := e.as(jiefen.RoleLeader), e.as(jiefen.RoleAuditor)
		for _, q := range []string{"", "?year=abc", "?year=1999"} {
			if f := e.do("GET", "/api/v1/reports/annual"+q, leader, nil).want(422).errorFields(); !slices.Equal(f, []string{"year"}) {
				t.Errorf("%q: fields %v, want year", q, f)
			}
		}
		m := e.do("GET", "/api/v1/reports/annual?year=2026", leader, nil, "X-Request-ID", "req-annual-1").want(200).json()
		sections := m["sections"].([]any)
		if len(sections) != 2 || m["agencies"] == nil {
			t.Fatalf("report %v", m)
		}
		for _, s := range sections {
			s := s.(map[string]any)
			if s["draft"] == "" {
				t.Errorf("section %v has no draft", s["key"])
			}
			for _, f := range s["figures"].([]any) {
				f := f.(map[string]any)
				if f["unit"] == "count" && f["value"] != 0.0 {
					t.Errorf("%v = %v in an empty city", f["key"], f["value"])
				}
			}
		}
		doc := e.do("GET", "/api/v1/reports/annual?year=2026&format=docx", leader, nil).want(200)
		if !strings.HasPrefix(doc.Body.String(), "PK") || !strings.Contains(doc.Header().Get("Content-Disposition"), "annual-report-2026.docx") {
			t.Errorf("docx: %q, %.20q", doc.Header().Get("Content-Disposition"), doc.Body.String())
		}
		if f := e.do("GET", "/api/v1/reports/annual?year=2026&format=pdf", leader, nil).want(422).errorFields(); !slices.Equal(f, []string{"format"}) {
			t.Errorf("format=pdf: fields %v, want format", f)
		}
		// The case lists behind the figures: one figure's, or 422 naming
		// the figure.
		for _, list := range []string{"/api/v1/mediation/outcomes/cases", "/api/v1/reconsideration/stats/cases"} {
			e.do("GET", list+"?from=2026-01-01&to=2026-12-31&figure=confirmed", leader, nil).want(map[bool]int{true: 200, false: 422}[strings.Contains(list, "mediation")])
			if f := e.do("GET", list+"?from=2026-01-01&to=2026-12-31&figure=nonsense", leader, nil).want(422).errorFields(); !slices.Equal(f, []string{"figure"}) {
				t.Errorf("%s with an unknown figure: fields %v", list, f)
			}
		}
		e.do("GET", "/api/v1/reconsideration/stats/cases?from=2026-01-01&to=2026-12-31&figure=decided", leader, nil).want(200)
		e.do("GET", "/api/v1/mediation/outcomes?from=2026-01-01&to=2026-12-31", leader, nil).want(200)
		e.do("GET", "/api/v1/ledger/stats?from=2026-01-01&to=2026-12-31", leader, nil).want(200)
		// The subsidies of a year, the report's source for 以案定补.
		sub := e.do("GET", "/api/v1/mediation/subsidies?from=2026-01-01&to=2026-12-31", leader, nil).want(200).json()
		if sub["month"] != "" || sub["from"] != "2026-01-01" || sub["to"] != "2026-12-31" {
			t.Errorf("subsidies of a period: %v", sub)
		}
		if f := e.do("GET", "/api/v1/mediation/subsidies?from=2026-12-31&to=2026-01-01", leader, nil).want(422).errorFields(); !slices.Equal(f, []string{"to"}) {
			t.Errorf("a period ending before it starts: fields %v, want to", f)
		}
		a := e.do("GET", "/api/v1/audit?action=report.annual&limit=200", auditor, nil).want(200).json()
		items := a["items"].([]any)
		if len(items) != 2 {
			t.Fatalf("%d report.annual entries, want 2, the JSON and the docx (the refused reads are not reads)", len(items))
		}
		if en := items[0].(map[string]any); en["target_id"] != "2026" || en["role"] != "leader" || en["request_id"] != "req-annual-1" {
			t.Errorf("entry %v", en)
		}
	})
}
