package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"jiefen/configs"
)

// The browser tests drive the real dashboard in headless Chromium: one
// service on SQLite with the demo data (the first 300 disputes, three years
// of lawsuits) and users of every desk, started once for the test binary.
// They skip only when Chromium is missing and CI is not set: .ci/run
// installs Chromium, so in CI they always run.

// webPassword is the password of the web test users.
const webPassword = "Web-Pass-2026!"

// webUsers are the web test users: name, role, org.
var webUsers = [][3]string{{"web-leader", "leader", ""}, {"web-intake", "intake", ""}, {"web-liaison", "court_liaison", "RZ-SFJ"},
	{"web-med", "mediator", "RZ-ZL-TWH"}, {"web-admin", "admin", ""}, {"web-fuyi", "reconsideration", "RZ-SFJ"},
	{"web-gaj", "agency_staff", "RZ-GAJ"}, {"web-security", "security", ""}}

type webService struct {
	base string
	app  *app
	err  error
}

var (
	webOnce sync.Once
	webSvc  webService
)

// chromiumPath finds Chromium, or skips the test (fails it under CI).
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("Chromium is not installed; .ci/run installs it (apt-get install -y chromium)")
	}
	t.Skip("Chromium is not installed (apt-get install chromium); the browser tests run in CI")
	return ""
}

// webService starts (once) the service the browser tests use.
func startWebService(t *testing.T) webService {
	t.Helper()
	webOnce.Do(func() {
		dir, err := os.MkdirTemp("", "jiefen-web-")
		if err != nil {
			webSvc.err = err
			return
		}
		// Every browser test logs in from 127.0.0.1, several as the same
		// user within a minute: the login rate limits are the API tests'.
		vars := map[string]string{"JIEFEN_DB_DSN": filepath.Join(dir, "jiefen.db"), "JIEFEN_HTTP_ADDR": "127.0.0.1:0", "JIEFEN_JOBS_ENABLED": "false",
			"JIEFEN_AUTH_LOGIN_RATE_PER_ADDRESS": "0", "JIEFEN_AUTH_LOGIN_RATE_PER_USER": "0"}
		ctx := context.Background()
		e, _, errb := testEnv("", vars)
		if code := run(ctx, []string{"demo", "--disputes", "300"}, e); code != 0 {
			webSvc.err = fmt.Errorf("demo: %s", errb)
			return
		}
		for _, u := range webUsers {
			e, _, errb := testEnv(webPassword+"\n", vars)
			args := []string{"user", "create", "--username", u[0], "--role", u[1], "--password-stdin"}
			if u[2] != "" {
				args = append(args, "--org", u[2])
			}
			if code := run(ctx, args, e); code != 0 {
				webSvc.err = fmt.Errorf("user %s: %s", u[0], errb)
				return
			}
		}
		c, err := configs.Load("", e.lookup)
		if err != nil {
			webSvc.err = err
			return
		}
		a, err := newApp(ctx, c, slog.New(slog.NewJSONHandler(io.Discard, nil)))
		if err != nil {
			webSvc.err = err
			return
		}
		go a.serve(ctx) // lives as long as the test binary
		webSvc = webService{base: "http://" + a.Addr(), app: a}
	})
	if webSvc.err != nil {
		t.Fatal(webSvc.err)
	}
	return webSvc
}

// browser is one headless Chromium tab on the web service, logged in as a
// user, collecting the console errors and uncaught exceptions of its pages.
type browser struct {
	t    *testing.T
	ctx  context.Context
	base string
	mu   sync.Mutex
	errs []string
}

// newBrowser opens a tab at 1366×768 (or width×height) and logs user in.
func newBrowser(t *testing.T, user string, size ...int64) *browser {
	t.Helper()
	return newBrowserWith(t, user, webPassword, size...)
}

// newBrowserWith is newBrowser for a user whose password is not the test
// users' (a one-time password after a reset).
func newBrowserWith(t *testing.T, user, password string, size ...int64) *browser {
	t.Helper()
	path := chromiumPath(t)
	svc := startWebService(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true), chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()))
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancelTab(); cancelAlloc() })
	b := &browser{t: t, ctx: ctx, base: svc.base}
	// Listen starts the browser; the first action must not carry a timeout.
	if err := chromedp.Listen(ctx, b.record); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	w, h := int64(1366), int64(768)
	if len(size) == 2 {
		w, h = size[0], size[1]
	}
	b.do(chromedp.EmulateViewport(w, h))
	b.login(user, password)
	return b
}

// login logs user in through the login page.
func (b *browser) login(user, password string) {
	b.t.Helper()
	b.do(chromedp.Navigate(b.base+"/login"), chromedp.WaitVisible(chromedp.CSS(`#login`)),
		chromedp.SendKeys(chromedp.CSS(`#login input[name=username]`), user),
		chromedp.SendKeys(chromedp.CSS(`#login input[name=password]`), password),
		chromedp.Click(chromedp.CSS(`#login button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(`#header nav.menu`)))
}

// record keeps the page's console errors, exceptions and browser-log
// errors (a failed load, a CSP violation).
func (b *browser) record(ev any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch e := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeAssert {
			var parts []string
			for _, a := range e.Args {
				parts = append(parts, string(a.Value)+a.Description)
			}
			b.errs = append(b.errs, "console.error: "+strings.Join(parts, " "))
		}
	case *runtime.EventExceptionThrown:
		text := e.ExceptionDetails.Text
		if x := e.ExceptionDetails.Exception; x != nil {
			text += " " + x.Description
		}
		b.errs = append(b.errs, "exception: "+text)
	case *cdplog.EventEntryAdded:
		if e.Entry.Level == cdplog.EntryLevelError {
			b.errs = append(b.errs, "log: "+e.Entry.Text+" "+e.Entry.URL)
		}
	}
}

// do runs steps within a minute, failing the test on an error.
func (b *browser) do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, time.Minute)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.screenshot("failed")
		b.t.Fatalf("browser: %v (console errors: %v)", err, b.consoleErrors())
	}
}

// eval evaluates a script in the page and returns its value.
func eval[T any](b *browser, script string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, time.Minute)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](script, chromedp.EvalAwaitPromise))
	if err != nil {
		b.screenshot("failed")
		b.t.Fatalf("evaluate: %v", err)
	}
	return v
}

// text is the text of the first element that matches a CSS selector.
func (b *browser) text(sel string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, time.Minute)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("text of %s: %v", sel, err)
	}
	return v
}

func (b *browser) location() string {
	return eval[string](b, `location.href`)
}

// expectRejected forgets the browser's "Failed to load resource … 422"
// entries for the API paths a test provoked on purpose (Chromium logs
// every 4xx answer to a fetch); every other entry still fails the test.
func (b *browser) expectRejected(paths ...string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	var kept []string
	for _, e := range b.errs {
		expected := false
		for _, p := range paths {
			expected = expected || strings.HasPrefix(e, "log: Failed to load resource") && strings.Contains(e, "status of 422") && strings.HasSuffix(e, p)
		}
		if !expected {
			kept = append(kept, e)
		}
	}
	b.errs = kept
}

func (b *browser) consoleErrors() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.errs...)
}

// noConsoleErrors fails the test when a page logged an error.
func (b *browser) noConsoleErrors() {
	b.t.Helper()
	if errs := b.consoleErrors(); len(errs) > 0 {
		b.t.Errorf("the pages logged errors:\n%s", strings.Join(errs, "\n"))
	}
}

// screenshot saves the page as a test artifact under
// $JIEFEN_TEST_ARTIFACTS (default: the temp folder's jiefen-web-artifacts).
func (b *browser) screenshot(name string) {
	dir := os.Getenv("JIEFEN_TEST_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "jiefen-web-artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return
	}
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		return
	}
	file := filepath.Join(dir, strings.NewReplacer("/", "_", " ", "_").Replace(b.t.Name())+"-"+name+".png")
	if os.WriteFile(file, png, 0o644) == nil {
		b.t.Logf("screenshot: %s", file)
	}
}

// canvasInked is a script that reports, for every chart on the page,
// whether its canvas has drawn (non-transparent) pixels.
const canvasInked = `Array.from(document.querySelectorAll('.chart')).map(c => {
  const cv = c.querySelector('canvas');
  if (!cv || cv.width === 0 || cv.height === 0) return c.id + ': no canvas';
  const d = cv.getContext('2d').getImageData(0, 0, cv.width, cv.height).data;
  let inked = 0;
  for (let i = 3; i < d.length; i += 4) if (d[i] > 0) inked++;
  return inked > 500 ? 'ok' : c.id + ': blank (' + inked + ' pixels)';
})`

func TestWebLeadersDashboard(t *testing.T) {
	b := newBrowser(t, "web-leader")
	b.do(chromedp.Navigate(b.base+"/dashboard"), chromedp.WaitVisible(chromedp.CSS(`#chart-clocks[data-rendered=true]`)),
		chromedp.WaitVisible(chromedp.CSS(`#double-decline table`)), chromedp.WaitVisible(chromedp.CSS(`#warnings`)),
		chromedp.Sleep(300*time.Millisecond))
	charts := eval[[]string](b, canvasInked)
	b.screenshot("dashboard")
	if len(charts) != 4 {
		t.Fatalf("%d charts on the dashboard, want 4: %v", len(charts), charts)
	}
	for _, c := range charts {
		if c != "ok" {
			t.Errorf("chart %s", c)
		}
	}
	// The early-warning list holds disputes still being handled, their
	// handling organisation by name: no 已办结, no RZ- code.
	warnings := eval[[]string](b, `Array.from(document.querySelectorAll('#warnings tbody tr')).map(tr => tr.textContent)`)
	if len(warnings) == 0 && !strings.Contains(b.text(`#warnings`), "暂无在办预警纠纷") {
		t.Errorf("the early-warning card reads %q", b.text(`#warnings`))
	}
	for _, w := range warnings {
		if strings.Contains(w, "已办结") || strings.Contains(w, "RZ-") {
			t.Errorf("an early-warning row reads %q", w)
		}
	}
	// Three years of trends: the x axis of the trend starts two years
	// before the current one.
	if months := eval[int](b, `echarts.getInstanceByDom(document.getElementById('chart-trend')).getOption().xAxis[0].data.length`); months < 25 {
		t.Errorf("the trend shows %d months, want three years' worth", months)
	}
	// A click on an agency's bar lists its cases, under its name.
	// The middle of the first agency's bar of cases filed, on the page.
	bar := eval[[]float64](b, `(() => {
	  const dom = document.getElementById('chart-agency');
	  dom.scrollIntoView();
	  const c = echarts.getInstanceByDom(dom);
	  const l = c.getModel().getSeriesByIndex(1).getData().getItemLayout(0);
	  const r = dom.getBoundingClientRect();
	  return [r.left + l.x + l.width / 2, r.top + l.y + l.height / 2];
	})()`)
	clicked := eval[string](b, `echarts.getInstanceByDom(document.getElementById('chart-agency')).getOption().xAxis[0].data[0]`)
	b.do(chromedp.MouseClickXY(bar[0], bar[1]), chromedp.WaitVisible(chromedp.CSS(`#cases table`)))
	url, title := b.location(), b.text(`#title`)
	rows := eval[int](b, `document.querySelectorAll('#cases tbody tr').length`)
	b.screenshot("cases")
	// The axis names the agency by its 短名; the list by its full name.
	name := eval[string](b, `fetch('/api/v1/orgs/' + new URLSearchParams(location.search).get('agency')).then(r => r.json()).then(o => o.name + '|' + (o.aliases || []).join('|'))`)
	if !strings.Contains(url, "agency=") || !strings.Contains(title, strings.Split(name, "|")[0]) || !slices.Contains(strings.Split(name, "|"), clicked) && !strings.HasPrefix(name, clicked+"|") || rows == 0 {
		t.Errorf("after clicking %s's bar: %s, %q (%s), %d rows", clicked, url, title, name, rows)
	}
	b.noConsoleErrors()
}

func TestWebLoginRequired(t *testing.T) {
	b := newBrowser(t, "web-leader")
	// After logging out (once the dashboard has loaded: a request still in
	// flight would be refused), a page sends the browser to the login page.
	b.do(chromedp.WaitVisible(chromedp.CSS(`#warnings`)), chromedp.Click(chromedp.CSS(`#logout`)), chromedp.WaitVisible(chromedp.CSS(`#login`)),
		chromedp.Navigate(b.base+"/dashboard"), chromedp.WaitVisible(chromedp.CSS(`#login`)))
	if url := b.location(); !strings.Contains(url, "/login?next=%2Fdashboard") {
		t.Errorf("after logout, /dashboard went to %s", url)
	}
	// A next that a browser reads as another host (/\host, //host) is not
	// followed after the login: the user lands on their own page here.
	for _, next := range []string{`/\evil.example/x`, "//evil.example/x"} {
		b.do(chromedp.Navigate(b.base+"/login?next="+url.QueryEscape(next)), chromedp.WaitVisible(chromedp.CSS(`#login`)),
			chromedp.SendKeys(chromedp.CSS(`#login input[name=username]`), "web-leader"),
			chromedp.SendKeys(chromedp.CSS(`#login input[name=password]`), webPassword),
			chromedp.Click(chromedp.CSS(`#login button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(`#header nav.menu`)))
		if loc := b.location(); !strings.HasPrefix(loc, b.base+"/") {
			t.Errorf("login?next=%s led to %s", next, loc)
		}
		b.do(chromedp.WaitVisible(chromedp.CSS(`#warnings`)), chromedp.Click(chromedp.CSS(`#logout`)), chromedp.WaitVisible(chromedp.CSS(`#login`)))
	}
	b.noConsoleErrors()
}
