package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"
)

// The browser tests of the office pages: the court liaison's imports,
// reconciliation and ledger (/liaison), the reconsideration cases with
// their clocks (/reconsideration) and the admin page (/admin). The data
// each test writes is its own (case numbers and titles unique to the run),
// so that the tests sharing the web service do not depend on each other.

// officeWait waits until a script in the page is truthy.
func officeWait(script string) chromedp.Action[chromedp.Void] {
	return chromedp.Poll[chromedp.Void](script, chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(30*time.Second))
}

// officeReady waits for an office page to have drawn everything.
func officeReady() chromedp.Action[chromedp.Void] {
	return chromedp.WaitVisible(chromedp.CSS(`#content[data-ready=true]`))
}

// officePhoneFits checks that a page needs no sideways scrolling on a phone:
// wide tables and the board scroll inside their own boxes.
func officePhoneFits(t *testing.T, b *browser, page, scrollTo string) {
	t.Helper()
	b.do(chromedp.EmulateViewport(390, 844), chromedp.Reload(), officeReady(), chromedp.Sleep(200*time.Millisecond))
	b.screenshot(page + "-phone")
	b.do(chromedp.ScrollIntoView(chromedp.CSS(scrollTo)))
	officeViewShot(b, page+"-phone-view")
	if w := eval[[]int](b, `[document.documentElement.scrollWidth, window.innerWidth]`); w[0] > w[1] {
		t.Errorf("%s on a phone is %dpx wide in a %dpx window", page, w[0], w[1])
	}
}

func TestWebLiaisonImportAndLedger(t *testing.T) {
	b := newBrowser(t, "web-liaison")
	// A small caseload: three good rows with case numbers of this run and a
	// row whose defendant is no agency (spreadsheet row 5).
	n := 90000 + rand.IntN(9000)
	csv := "案号,原告,被告,案由,立案日期,开庭日期,负责人出庭,出庭人职务,结案日期,结案方式\n" +
		fmt.Sprintf("（2026）豫0482行初%d号,张某,汝州市公安局,治安管理处罚,2026-03-02,,,,,\n", n) +
		fmt.Sprintf("（2026）豫0482行初%d号,李某,RZ-GAJ,行政强制,2026-03-05,2026-04-10,是,副职,,\n", n+1) +
		fmt.Sprintf("（2026）豫0482行初%d号,王某,公安局,行政许可,2026-03-09,2026-04-20,否,,2026-06-01,驳回诉讼请求\n", n+2) +
		fmt.Sprintf("（2026）豫0482行初%d号,赵某,汝州市不存在局,行政处罚,2026-03-10,,,,,\n", n+3)
	file := filepath.Join(t.TempDir(), "caseload.csv")
	if err := os.WriteFile(file, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}

	b.do(chromedp.Navigate(b.base+"/liaison"), officeReady(),
		chromedp.SetUploadFiles(chromedp.CSS(`#import-file`), []string{file}), chromedp.Click(chromedp.CSS(`#import-submit`)),
		officeWait(`document.querySelector('#import-report [data-figure=created]')`))
	figures := eval[map[string]string](b, `Object.fromEntries(Array.from(document.querySelectorAll('#import-report [data-figure]')).map(x => [x.dataset.figure, x.textContent]))`)
	rejected := eval[[][]string](b, `Array.from(document.querySelectorAll('#rejected tbody tr')).map(tr => Array.from(tr.cells).map(td => td.textContent))`)
	b.screenshot("import")
	if figures["rows"] != "4" || figures["created"] != "3" || figures["updated"] != "0" || figures["unchanged"] != "0" || figures["rejected"] != "1" {
		t.Errorf("first import: %v, want 4 rows, 3 created, 1 rejected", figures)
	}
	if len(rejected) != 1 || len(rejected[0]) != 3 || rejected[0][0] != "5" || rejected[0][1] != "被告" || !strings.Contains(rejected[0][2], "汝州市不存在局") {
		t.Errorf("rejected rows: %q, want row 5, column 被告", rejected)
	}
	if p := eval[float64](b, `document.getElementById('import-progress').value`); p != 100 {
		t.Errorf("the upload's progress ends at %v, want 100", p)
	}

	// The same file again changes nothing.
	b.do(chromedp.SetUploadFiles(chromedp.CSS(`#import-file`), []string{file}), chromedp.Click(chromedp.CSS(`#import-submit`)),
		officeWait(`(document.querySelector('#import-report [data-figure=unchanged]') || {}).textContent === '3'`))
	figures = eval[map[string]string](b, `Object.fromEntries(Array.from(document.querySelectorAll('#import-report [data-figure]')).map(x => [x.dataset.figure, x.textContent]))`)
	if figures["created"] != "0" || figures["updated"] != "0" || figures["unchanged"] != "3" || figures["rejected"] != "1" {
		t.Errorf("second import: %v, want 3 unchanged", figures)
	}

	// The same rows as a workbook: the page sends it as XLSX.
	xlsx := filepath.Join(t.TempDir(), "caseload.xlsx")
	officeWorkbook(t, xlsx, csv)
	b.do(chromedp.SetUploadFiles(chromedp.CSS(`#import-file`), []string{xlsx}), chromedp.Click(chromedp.CSS(`#import-submit`)),
		officeWait(`document.getElementById('import-progress-text').textContent.includes('caseload.xlsx') && document.querySelector('#import-report [data-figure=unchanged]')`))
	figures = eval[map[string]string](b, `Object.fromEntries(Array.from(document.querySelectorAll('#import-report [data-figure]')).map(x => [x.dataset.figure, x.textContent]))`)
	if figures["rows"] != "4" || figures["unchanged"] != "3" || figures["rejected"] != "1" {
		t.Errorf("the workbook: %v, want 3 unchanged and 1 rejected", figures)
	}

	// The reconciliation of this year, also as a workbook.
	b.do(officeWait(`document.querySelector('#recon-summary .badge')`))
	href := eval[string](b, `document.getElementById('recon-xlsx').href`)
	if !strings.Contains(href, "format=xlsx") {
		t.Errorf("the workbook link is %s", href)
	}
	if href := eval[string](b, `document.getElementById('ledger-xlsx').href`); !strings.HasSuffix(href, "/api/v1/ledger/issues?format=xlsx") {
		t.Errorf("the 台账 workbook link is %s", href)
	}
	if ct := eval[string](b, `fetch(document.getElementById('recon-xlsx').href).then(r => r.status + ' ' + r.headers.get('Content-Type'))`); !strings.HasPrefix(ct, "200 application/vnd.openxmlformats") {
		t.Errorf("the reconciliation workbook: %s", ct)
	}

	// The ledger: four columns; a new issue lands in 发现问题 and moves on.
	cols := eval[[]string](b, `Array.from(document.querySelectorAll('#board .column h3')).map(h => h.firstChild.textContent)`)
	if strings.Join(cols, ",") != "发现问题,反馈整改,跟踪复核,销号" {
		t.Errorf("the board's columns: %q", cols)
	}
	title := fmt.Sprintf("行政应诉材料报送迟延问题%d", n)
	deadline := time.Now().In(officeZone(t)).AddDate(0, 2, 0).Format(time.DateOnly)
	b.do(chromedp.Click(chromedp.CSS(`#issue-create summary`)), chromedp.WaitVisible(chromedp.CSS(`#issue-form`)),
		chromedp.SendKeys(chromedp.CSS(`#issue-form input[name=meeting]`), "2026年第二次府院联席会议"),
		chromedp.SendKeys(chromedp.CSS(`#issue-form input[name=title]`), title),
		chromedp.SetValue(chromedp.CSS(`#issue-form select[name=lead_unit]`), "RZ-GAJ"),
		chromedp.SetValue(chromedp.CSS(`#issue-form input[name=deadline]`), deadline),
		chromedp.Click(chromedp.CSS(`#issue-form button[type=submit]`)),
		officeWait(`Array.from(document.querySelectorAll('#board .item h4')).some(h => h.textContent === `+officeJS(title)+`)`))
	id := eval[string](b, `Array.from(document.querySelectorAll('#board .item')).find(x => x.querySelector('h4').textContent === `+officeJS(title)+`).dataset.id`)
	item := `#board .item[data-id="` + id + `"]`
	if s := eval[string](b, `document.querySelector('`+item+`').closest('.column').dataset.state`); s != "found" {
		t.Errorf("the new issue is in column %s, want found", s)
	}
	// 发现问题 → 反馈整改 needs no report.
	b.do(chromedp.Click(chromedp.CSS(item+` button[data-action=advance]`)),
		chromedp.Click(chromedp.CSS(item+` .advance-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#board .column[data-state=rectifying] .item[data-id="`+id+`"]`)))
	// 跟踪复核 needs the lead unit's report first: the button waits for one.
	if !eval[bool](b, `document.querySelector('`+item+` button[data-action=advance]').disabled`) {
		t.Errorf("the issue may move to review without a report")
	}
	b.do(chromedp.Click(chromedp.CSS(item+` button[data-action=report]`)),
		chromedp.SendKeys(chromedp.CSS(item+` .report-form textarea[name=text]`), "公安局已建立应诉材料报送台账，按周通报"),
		chromedp.Click(chromedp.CSS(item+` .report-form button[type=submit]`)),
		officeWait(`!document.querySelector('`+item+` button[data-action=advance]').disabled`),
		chromedp.Click(chromedp.CSS(item+` button[data-action=advance]`)),
		chromedp.Click(chromedp.CSS(item+` .advance-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#board .column[data-state=reviewing] .item[data-id="`+id+`"]`)))
	if !strings.Contains(eval[string](b, `document.querySelector('`+item+`').textContent`), "整改进展 1 份") {
		t.Errorf("the card does not count its report")
	}
	// The overdue issues of the demo ledger are flagged.
	if overdue := eval[int](b, `document.querySelectorAll('#board .item.overdue').length`); overdue == 0 {
		t.Errorf("no overdue issue is flagged on the board")
	}
	// Judicial suggestions with their reply clock.
	if rows := eval[int](b, `document.querySelectorAll('#suggestions tbody tr').length`); rows == 0 {
		t.Errorf("no judicial suggestions listed")
	}
	b.do(chromedp.Evaluate[chromedp.Void](`document.getElementById('ledger').scrollIntoView()`))
	b.screenshot("ledger")
	officePhoneFits(t, b, "liaison", "#ledger")
	b.noConsoleErrors()
}

func TestWebReconsiderationClocks(t *testing.T) {
	b := newBrowser(t, "web-fuyi")
	b.do(chromedp.Navigate(b.base+"/reconsideration"), officeReady())
	received := b.text(`#stat-received b`)
	rows := eval[int](b, `document.querySelectorAll('#recon-cases tbody tr').length`)
	clocks := eval[[]string](b, `Array.from(document.querySelectorAll('#recon-cases .clock')).map(x => x.textContent)`)
	b.screenshot("list")
	if received == "" || received == "0" || received == "—" {
		t.Errorf("the year's received applications: %q", received)
	}
	if rows == 0 {
		t.Fatalf("no reconsideration cases listed")
	}
	if len(clocks) == 0 {
		t.Errorf("no open case shows its next clock")
	}
	// The overdue clocks are red.
	if eval[int](b, `document.querySelectorAll('#recon-cases .badge.overdue').length`) == 0 {
		t.Errorf("no overdue clock is flagged")
	}
	// More pages under the same header.
	if eval[bool](b, `!document.getElementById('more').hidden`) {
		b.do(chromedp.Click(chromedp.CSS(`#more`)), officeWait(`document.querySelectorAll('#recon-cases tbody tr').length > `+fmt.Sprint(rows)))
		if n := eval[int](b, `document.querySelectorAll('#recon-cases table').length`); n != 1 {
			t.Errorf("%d tables after loading more, want 1", n)
		}
	}
	// The filter by state.
	b.do(chromedp.Navigate(b.base+"/reconsideration?state=decided"), officeReady())
	states := eval[[]string](b, `Array.from(document.querySelectorAll('#recon-cases tbody tr .state')).map(x => x.dataset.state)`)
	if len(states) == 0 {
		t.Errorf("no decided cases")
	}
	for _, s := range states {
		if s != "decided" {
			t.Errorf("a %s case under the filter decided", s)
			break
		}
	}
	if v := eval[string](b, `document.getElementById('filter-state').value`); v != "decided" {
		t.Errorf("the filter shows %q", v)
	}
	officePhoneFits(t, b, "reconsideration", "#cases")
	b.noConsoleErrors()
}

func TestWebAdmin(t *testing.T) {
	b := newBrowser(t, "web-admin")
	b.do(chromedp.Navigate(b.base+"/admin"), officeReady())
	b.screenshot("admin")
	// The test service runs no jobs (JIEFEN_JOBS_ENABLED=false).
	if jobs := b.text(`#jobs`); !strings.Contains(jobs, "本实例未运行定时任务") {
		t.Errorf("jobs: %q", jobs)
	}
	users := eval[[]string](b, `Array.from(document.querySelectorAll('#users tbody tr td:first-child')).map(x => x.textContent)`)
	if !strings.Contains(strings.Join(users, ","), "web-liaison") {
		t.Errorf("users: %q", users)
	}
	if n := b.text(`#routing-count`); n == "" || n == "0" {
		t.Errorf("routing rules: %q", n)
	}
	year := time.Now().In(officeZone(t)).Year()
	if st := eval[string](b, fmt.Sprintf(`(document.querySelector('#calendar [data-year="%d"]') || {dataset: {}}).dataset.state`, year)); st != "loaded" {
		t.Errorf("this year's holiday table is %q", st)
	}
	if st := eval[string](b, fmt.Sprintf(`(document.querySelector('#calendar [data-year="%d"]') || {dataset: {}}).dataset.state`, year+1)); st != "missing" {
		t.Errorf("next year's holiday table (not shipped) is %q", st) // the demo loads no table beyond 2026
	}
	if n := eval[int](b, `document.querySelectorAll('#orgs tbody tr').length`); n < 20 {
		t.Errorf("%d orgs", n)
	}
	// A new user.
	name := fmt.Sprintf("web-new-%d", rand.IntN(1000000))
	b.do(chromedp.Click(chromedp.CSS(`#user-create summary`)), chromedp.WaitVisible(chromedp.CSS(`#user-form`)),
		chromedp.SendKeys(chromedp.CSS(`#user-form input[name=username]`), name),
		chromedp.SendKeys(chromedp.CSS(`#user-form input[name=password]`), webPassword),
		chromedp.SetValue(chromedp.CSS(`#user-form select[name=role]`), "mediator"),
		chromedp.SetValue(chromedp.CSS(`#user-form select[name=org]`), "RZ-ZL-TWH"),
		chromedp.Click(chromedp.CSS(`#user-form button[type=submit]`)),
		officeWait(`Array.from(document.querySelectorAll('#users tbody tr td:first-child')).some(x => x.textContent === `+officeJS(name)+`)`))
	if msg := b.text(`#message`); !strings.Contains(msg, name) {
		t.Errorf("after creating a user: %q", msg)
	}
	officePhoneFits(t, b, "admin", "#calendar")
	b.noConsoleErrors()
}

// TestWebAccounts: the security administrator's /admin is 账号管理, the
// administrators' and the auditor's accounts only, with their state and
// last login, and the password policy (密码策略), saved with If-Match; an
// administrator made there and then reset there logs in with the one-time
// password, is sent to 修改密码, which shows the policy's rules, and after
// the change goes on to their own page.
func TestWebAccounts(t *testing.T) {
	b := newBrowser(t, "web-security")
	b.do(chromedp.Navigate(b.base+"/admin"), officeReady())
	if title := b.text(`#title`); title != "账号管理" {
		t.Errorf("the security administrator's page is %q", title)
	}
	roles := eval[[]string](b, `Array.from(document.querySelectorAll('#users tbody tr td:nth-child(3)')).map(x => x.textContent)`)
	for _, r := range roles {
		if r != "系统管理员" && r != "安全管理员" && r != "审计员" {
			t.Errorf("the security administrator lists a %s account", r)
		}
	}
	if n := eval[int](b, `document.querySelectorAll('#orgs, #jobs, #routing').length`); n != 0 {
		t.Errorf("the security administrator's page shows %d cards beyond the accounts", n)
	}
	if v := eval[string](b, `document.querySelector('#policy-form input[name=min_length]').value`); v != "10" {
		t.Errorf("the policy card shows a minimum length of %q", v)
	}
	// Saved as it stands, so that the other browser tests keep API.md's policy.
	b.do(chromedp.Click(chromedp.CSS(`#policy-form button[type=submit]`)),
		officeWait(`document.getElementById('message').textContent.includes('密码策略已保存')`))
	name := fmt.Sprintf("web-sysadmin-%d", rand.IntN(1000000))
	b.do(chromedp.Click(chromedp.CSS(`#user-create summary`)), chromedp.WaitVisible(chromedp.CSS(`#user-form`)),
		chromedp.SendKeys(chromedp.CSS(`#user-form input[name=username]`), name),
		chromedp.SendKeys(chromedp.CSS(`#user-form input[name=name]`), "赵敏"),
		chromedp.SendKeys(chromedp.CSS(`#user-form input[name=password]`), webPassword),
		chromedp.SetValue(chromedp.CSS(`#user-form select[name=role]`), "admin"),
		chromedp.Click(chromedp.CSS(`#user-form button[type=submit]`)),
		officeWait(`Array.from(document.querySelectorAll('#users tbody tr')).some(tr => tr.cells[0].textContent === `+officeJS(name)+
			` && tr.querySelector('[data-state=active]'))`))
	b.do(chromedp.Evaluate[chromedp.Void](`window.confirm = () => true; Array.from(document.querySelectorAll('#users tbody tr'))`+
		`.find(tr => tr.cells[0].textContent === `+officeJS(name)+`).querySelector('button[data-action=reset-password]').click()`),
		officeWait(`document.getElementById('message').textContent.includes('一次性密码')`))
	oneTime := regexp.MustCompile(`一次性密码：(\S+?)（`).FindStringSubmatch(b.text(`#message`))
	if oneTime == nil {
		t.Fatalf("no one-time password shown: %q", b.text(`#message`))
	}
	b.noConsoleErrors()

	a := newBrowserWith(t, name, oneTime[1])
	a.do(officeReady())
	if loc := a.location(); !strings.Contains(loc, "/password") {
		t.Fatalf("a new administrator's first login led to %s, not 修改密码", loc)
	}
	if rules := a.text(`#password-rules`); !strings.Contains(rules, "至少10位") || !strings.Contains(rules, "输错5次") {
		t.Errorf("修改密码 shows the rules %q", rules)
	}
	a.do(chromedp.SendKeys(chromedp.CSS(`#password-form input[name=old]`), oneTime[1]),
		chromedp.SendKeys(chromedp.CSS(`#password-form input[name=new]`), "Changed-Pass-2026"),
		chromedp.SendKeys(chromedp.CSS(`#password-form input[name=again]`), "Changed-Pass-2026"),
		chromedp.Click(chromedp.CSS(`#password-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#jobs`)))
	if loc, title := a.location(), a.text(`#title`); !strings.HasSuffix(loc, "/admin") || title != "系统管理" {
		t.Errorf("after the change the administrator is at %s, %q", loc, title)
	}
	a.noConsoleErrors()
}

// The readers of the office pages: a leader and an agency's staff see no
// form they may not use and make no request their role is refused.
func TestWebOfficeReaders(t *testing.T) {
	for _, user := range []string{"web-leader", "web-gaj"} {
		t.Run(user, func(t *testing.T) {
			b := newBrowser(t, user) // lands on the user's first page, which must log no error either
			b.do(chromedp.Navigate(b.base+"/liaison"), officeReady())
			seen := eval[map[string]int](b, `({
			  import: document.querySelectorAll('#import').length,
			  reconciliation: document.querySelectorAll('#reconciliation').length,
			  create: document.querySelectorAll('#issue-form').length,
			  columns: document.querySelectorAll('#board .column').length,
			  advance: document.querySelectorAll('#board button[data-action=advance]').length,
			  report: document.querySelectorAll('#board button[data-action=report]').length,
			  comment: document.querySelectorAll('#board button[data-action=comment]').length,
			  suggestions: document.querySelectorAll('#suggestions').length,
			})`)
			b.screenshot("liaison")
			leader := user == "web-leader"
			want := map[string]bool{"reconciliation": leader, "comment": leader, "report": !leader, "suggestions": true}
			for k, v := range seen {
				if k == "columns" {
					if v != 4 {
						t.Errorf("%d columns on the board", v)
					}
					continue
				}
				if (v > 0) != want[k] {
					t.Errorf("%s sees %d of %s", user, v, k)
				}
			}
			if !leader {
				units := eval[[]string](b, `Array.from(document.querySelectorAll('#board .item')).map(x => x.textContent.match(/牵头：(\S+?)配合|牵头：(\S+)/)).filter(Boolean).map(m => m[1] || m[2])`)
				for _, u := range units {
					if !strings.HasPrefix(u, "汝州市公安局") {
						t.Errorf("the agency's staff see an issue led by %s", u)
					}
				}
			}
			if !leader {
				// The agency replies to a judicial suggestion: its clock is met.
				id := eval[string](b, `(document.querySelector('#suggestions tr:has(button[data-action=reply])') || {dataset: {}}).dataset.id || ''`)
				if id == "" {
					t.Fatalf("no suggestion awaits the agency's reply")
				}
				row := `#suggestions tr[data-id="` + id + `"]`
				b.do(chromedp.Click(chromedp.CSS(row+` button[data-action=reply]`)),
					chromedp.SendKeys(chromedp.CSS(row+` .reply-form textarea`), "已组织专题整改，详见公安局复函"),
					chromedp.Click(chromedp.CSS(row+` .reply-form button[type=submit]`)),
					officeWait(`(document.querySelector('`+row+`') || {}).textContent.includes('已回复')`))
			}
			b.do(chromedp.Navigate(b.base+"/reconsideration"), officeReady())
			if stats := eval[int](b, `document.querySelectorAll('#stats').length`); (stats > 0) != leader {
				t.Errorf("%s sees %d statistics", user, stats)
			}
			if rows := eval[int](b, `document.querySelectorAll('#recon-cases tbody tr').length`); rows == 0 {
				t.Errorf("%s sees no reconsideration cases", user)
			}
			b.noConsoleErrors()
		})
	}
}

// officeViewShot saves what the window shows (a full page on a phone is
// too long to look at), next to the full screenshots.
func officeViewShot(b *browser, name string) {
	dir := os.Getenv("JIEFEN_TEST_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "jiefen-web-artifacts")
	}
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil || os.MkdirAll(dir, 0o755) != nil {
		return
	}
	file := filepath.Join(dir, strings.NewReplacer("/", "_", " ", "_").Replace(b.t.Name())+"-"+name+".png")
	if os.WriteFile(file, png, 0o644) == nil {
		b.t.Logf("screenshot: %s", file)
	}
}

// officeWorkbook writes the rows of a CSV text as an XLSX file.
func officeWorkbook(t *testing.T, path, csv string) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, line := range strings.Split(strings.TrimSpace(csv), "\n") {
		for j, v := range strings.Split(line, ",") {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if err := f.SetCellStr("Sheet1", cell, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

// officeJS quotes s for a script.
func officeJS(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

func officeZone(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
