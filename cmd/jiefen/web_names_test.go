package main

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// orgCodeShown is a script that returns what on the page reads as an org
// code (RZ, RZ-GAJ, RZ-ZL-TWH): in the text and in the charts' axes and
// legends, which are drawn on canvas. A dispute's number (RZ-2026-000123)
// is a case number people quote, not an org code.
const orgCodeShown = `(() => {
  const code = /(^|[^A-Za-z0-9])RZ(-[A-Z][A-Z0-9]*)*(?![-A-Za-z0-9])/;
  const found = [];
  const text = document.body.innerText;
  for (const line of text.split('\n')) if (code.test(line)) found.push(line);
  for (const dom of document.querySelectorAll('.chart')) {
    const c = echarts.getInstanceByDom(dom);
    if (!c) continue;
    const o = c.getOption();
    for (const axis of o.xAxis || []) for (const v of axis.data || []) if (code.test(String(v))) found.push(dom.id + ': ' + v);
  }
  return found;
})()`

// TestWebNamesNotCodes: the leaders' dashboard, an agency's dashboard and
// the queue name every org by its name; the headline counts say what they
// count, and 一审收案 is the 全市 row of 双下降 on the same page.
func TestWebNamesNotCodes(t *testing.T) {
	b := newBrowser(t, "web-leader")
	b.do(chromedp.Navigate(b.base+"/dashboard"), chromedp.WaitVisible(chromedp.CSS(`#chart-clocks[data-rendered=true]`)),
		chromedp.WaitVisible(chromedp.CSS(`#double-decline table`)), chromedp.WaitVisible(chromedp.CSS(`#warnings`)),
		chromedp.Sleep(300*time.Millisecond))
	b.screenshot("dashboard")
	if codes := eval[[]string](b, orgCodeShown); len(codes) > 0 {
		t.Errorf("the leaders' dashboard shows org codes: %q", codes)
	}
	first, all := b.text(`#kpi-first-filed`), b.text(`#kpi-filed`)
	if !strings.Contains(first, "一审收案") || !strings.Contains(all, "全部收案") {
		t.Errorf("the headline counts read %q and %q", first, all)
	}
	city := eval[string](b, `Array.from(document.querySelectorAll('#double-decline tbody tr')).find(tr => tr.children[0].textContent === '全市').children[2].textContent`)
	number := regexp.MustCompile(`\d+`)
	if n, m := number.FindString(first), number.FindString(city); n == "" || n != m {
		t.Errorf("一审收案 reads %q, the 全市 row of 双下降 %q: they count the same suits", first, city)
	}
	if n, m := number.FindString(first), number.FindString(all); len(n) > len(m) || len(n) == len(m) && n > m {
		t.Errorf("一审收案 %s is more than 全部收案 %s", n, m)
	}
	if heads := eval[string](b, `Array.from(document.querySelectorAll('#double-decline thead th')).map(th => th.textContent).join(',')`); !strings.Contains(heads, "本年一审收案") {
		t.Errorf("the 双下降 table's columns are %s", heads)
	}
	// The 一审收案 figure opens its first-instance cases: as many as it says.
	b.do(chromedp.Click(chromedp.CSS(`#kpi-first-filed`)), chromedp.WaitVisible(chromedp.CSS(`#cases table`)))
	if title := b.text(`#title`); !strings.Contains(title, "一审收案") {
		t.Errorf("the cases behind 一审收案 are titled %q", title)
	}
	// The list pages by 100: up to that, it shows them all.
	if n, _ := strconv.Atoi(number.FindString(first)); n <= 100 {
		if shown := eval[int](b, `document.querySelectorAll('#cases tbody tr').length`); shown != n {
			t.Errorf("一审收案 says %d, the list shows %d cases", n, shown)
		}
	}
	b.noConsoleErrors()

	// An agency's staff: their own agency named in the header, no codes.
	g := newBrowser(t, "web-gaj")
	g.do(chromedp.Navigate(g.base+"/dashboard"), chromedp.WaitVisible(chromedp.CSS(`#chart-key[data-rendered=true]`)), chromedp.Sleep(300*time.Millisecond))
	if who := g.text(`#header .who`); !strings.Contains(who, "汝州市公安局") || strings.Contains(who, "RZ-GAJ") {
		t.Errorf("the header reads %q, want the agency's name", who)
	}
	if codes := eval[[]string](g, orgCodeShown); len(codes) > 0 {
		t.Errorf("the agency's dashboard shows org codes: %q", codes)
	}
	g.screenshot("agency-dashboard")
	g.noConsoleErrors()

	// The queue's 承办组织 column: names.
	b.do(chromedp.Navigate(b.base+"/queue"), chromedp.WaitVisible(chromedp.CSS(`#queue[data-loaded=true]`)))
	orgs := eval[[]string](b, `Array.from(document.querySelectorAll('#queue tbody tr')).map(tr => tr.children[2].textContent)`)
	if len(orgs) == 0 {
		t.Fatal("the leader's queue is empty")
	}
	for _, o := range orgs {
		if !regexp.MustCompile(`^\p{Han}[\p{Han}（）]*$`).MatchString(o) {
			t.Errorf("a queue row's 承办组织 reads %q, want a name", o)
			break
		}
	}
	if codes := eval[[]string](b, orgCodeShown); len(codes) > 0 {
		t.Errorf("the queue shows org codes: %q", codes)
	}
	b.screenshot("queue")
	b.noConsoleErrors()
}

// TestWebEveryPageNamesOrgs: every page of every desk (the org table of
// 系统管理 aside, where the code is what is being edited) reads in Chinese
// and shows no org code.
func TestWebEveryPageNamesOrgs(t *testing.T) {
	pages := []struct{ user, path, ready string }{
		{"web-leader", "/queue", `#queue[data-loaded=true]`},
		{"web-leader", "/reconsideration", `#content table`},
		{"web-leader", "/liaison", `#content table`},
		{"web-leader", "/notifications", `#content`},
		{"web-leader", "/report?year=2025", `#content[data-ready=true]`},
		{"web-leader", "/cases?figure=lost&from=2025-01-01&to=2026-12-31", `#cases table`},
		{"web-intake", "/intake", `#intake-form[data-ready=true]`},
		{"web-med", "/queue", `#queue[data-loaded=true]`},
		{"web-fuyi", "/reconsideration", `#content table`},
		{"web-liaison", "/dashboard", `#double-decline table`},
		{"web-liaison", "/liaison", `#content table`},
		{"web-gaj", "/liaison", `#content table`},
		{"web-gaj", "/reconsideration", `#content`},
	}
	browsers := map[string]*browser{}
	for _, p := range pages {
		b := browsers[p.user]
		if b == nil {
			b = newBrowser(t, p.user)
			browsers[p.user] = b
		}
		b.do(chromedp.Navigate(b.base+p.path), chromedp.WaitVisible(chromedp.CSS(p.ready)), chromedp.Sleep(500*time.Millisecond))
		if codes := eval[[]string](b, orgCodeShown); len(codes) > 0 {
			t.Errorf("%s as %s shows org codes: %q", p.path, p.user, codes)
		}
		if !regexp.MustCompile(`\p{Han}`).MatchString(b.text(`#title`)) {
			t.Errorf("%s as %s is titled %q", p.path, p.user, b.text(`#title`))
		}
	}
	for _, b := range browsers {
		b.noConsoleErrors()
	}
}
