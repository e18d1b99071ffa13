package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestWebAnnualReport: the leader previews the year's report: two
// sections, each with its draft (editable) and its figures, every figure
// as the API prints it, named and linked to its cases (a lawsuit's to the
// cases page), the 双下降 table by agency name, and the Word download of
// the year. An admin reads it too; a mediator is sent to their own page.
func TestWebAnnualReport(t *testing.T) {
	b := newBrowser(t, "web-leader")
	b.do(chromedp.Navigate(b.base+"/report?year=2025"), chromedp.WaitVisible(chromedp.CSS(`#content[data-ready=true]`)))
	b.screenshot("report")
	if drafts := eval[[]string](b, `Array.from(document.querySelectorAll('textarea.draft')).map(x => x.value)`); len(drafts) != 2 ||
		!strings.HasPrefix(drafts[0], "2025年，全市共受理矛盾纠纷") || !strings.HasPrefix(drafts[1], "2025年，全市行政机关作为被告") {
		t.Errorf("the drafts read %q", drafts)
	}
	// Every row says what the API says.
	mismatch := eval[[]string](b, `fetch('/api/v1/reports/annual?year=2025').then(r => r.json()).then(a => {
	  const out = [];
	  for (const s of a.sections) for (const f of s.figures) {
	    const cell = document.querySelector('[data-key="' + f.key + '"]');
	    const row = cell && cell.closest('tr');
	    const got = row ? Array.from(row.cells).map(c => c.textContent).join('|') : '(none)';
	    const want = [f.label, f.text, f.previous_text, f.change_text].join('|');
	    if (got !== want) out.push(f.key + ': ' + got + ' ≠ ' + want);
	  }
	  return out;
	})`)
	if len(mismatch) > 0 {
		t.Errorf("rows unlike the API: %q", mismatch)
	}
	links := eval[map[string]string](b, `Object.fromEntries(Array.from(document.querySelectorAll('a[data-key]')).map(a => [a.dataset.key, a.getAttribute('href')]))`)
	if !strings.Contains(links["disputes.received.police"], "source=police") || !strings.HasPrefix(links["litigation.lost"], "/cases?") {
		t.Errorf("figure links: police %q, lost %q", links["disputes.received.police"], links["litigation.lost"])
	}
	if rows := eval[int](b, `document.querySelectorAll('#section-liaison h3 + .table-wrap tbody tr').length`); rows < 5 {
		t.Errorf("the 双下降 table has %d rows", rows)
	}
	if href := eval[string](b, `document.getElementById('download').getAttribute('href')`); href != "/api/v1/reports/annual?year=2025&format=docx" {
		t.Errorf("download %q", href)
	}
	b.noConsoleErrors()

	admin := newBrowser(t, "web-admin")
	admin.do(chromedp.Navigate(admin.base+"/report?year=2025"), chromedp.WaitVisible(chromedp.CSS(`#content[data-ready=true]`)))
	admin.noConsoleErrors()
	med := newBrowser(t, "web-med")
	med.do(chromedp.Navigate(med.base+"/report"), chromedp.WaitVisible(chromedp.CSS(`#header nav`)))
	if strings.HasSuffix(med.location(), "/report") {
		t.Errorf("a mediator stays on the report page: %s", med.location())
	}
}
