package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The desks' pages in the browser: the intake form with its live routing
// preview, the mediator's queue and the case page with its actions. Each
// test registers its own disputes (with ID numbers of its own, so that no
// repeat detection ties them to another test's) and tolerates the writes
// of the other tests on the shared service.

// deskSeq numbers the resident ID numbers the desk tests make up.
var deskSeq atomic.Int64

// deskResidentID is a valid 18-character resident ID number (GB 11643: a
// 汝州 address code, a birth date, a sequence and the mod-11 check
// character), different on every call within the test binary and from run
// to run.
func deskResidentID() string {
	n := deskSeq.Add(1)
	birth := time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int((time.Now().UnixNano()/1e6+n*7919)%18000))
	body := "410482" + birth.Format("20060102") + fmt.Sprintf("%03d", (time.Now().UnixNano()/1e3+n)%1000)
	return body + string(deskCheckChar(body))
}

func deskCheckChar(body17 string) byte {
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(body17[i]-'0') * w
	}
	return "10X98765432"[sum%11]
}

// deskWrongCheck is id with a wrong check character.
func deskWrongCheck(id string) string {
	for _, c := range "0123456789X" {
		if byte(c) != id[17] {
			return id[:17] + string(c)
		}
	}
	return id
}

// deskSet sets a form control's value as a user would (input and change
// events), for selects and dates, which SendKeys does not fill reliably.
func deskSet(b *browser, sel, value string) {
	b.t.Helper()
	js := fmt.Sprintf(`(() => { const x = document.querySelector(%q); if (!x) return false;
	  x.value = %q; x.dispatchEvent(new Event('input', {bubbles: true})); x.dispatchEvent(new Event('change', {bubbles: true})); return true; })()`, sel, value)
	if !eval[bool](b, js) {
		b.t.Fatalf("no %s on the page", sel)
	}
}

// deskWait waits until a script in the page is truthy.
func deskWait(b *browser, script string) {
	b.t.Helper()
	b.do(chromedp.Poll[chromedp.Void](script, chromedp.WithPollingInterval(100*time.Millisecond)))
}

// deskAPI calls the JSON API with a bearer token (empty: none) and decodes
// the answer.
func deskAPI(t *testing.T, method, url, token string, body any, header map[string]string) (int, map[string]any) {
	t.Helper()
	var rd *bytes.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	} else {
		rd = bytes.NewReader(nil)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out
}

func deskToken(t *testing.T, base, user string) string {
	t.Helper()
	code, out := deskAPI(t, "POST", base+"/api/v1/auth/login", "", map[string]string{"username": user, "password": webPassword}, nil)
	tok, _ := out["token"].(string)
	if code != http.StatusOK || tok == "" {
		t.Fatalf("login %s: %d %v", user, code, out)
	}
	return tok
}

// deskFillIntake fills the intake form for a police-referred neighbour
// dispute in 汝州市钟楼街道, typing the text fields.
func deskFillIntake(b *browser, title, idNumber string) {
	b.t.Helper()
	b.do(chromedp.SendKeys(chromedp.CSS(`#intake-form input[name=title]`), title))
	deskSet(b, `#intake-form select[name=category]`, "neighbour")
	deskSet(b, `#intake-form select[name=source]`, "police")
	deskSet(b, `#intake-form input[name=occurred_on]`, eval[string](b, `new Date(Date.now() + 8 * 3600e3 - 86400e3).toISOString().slice(0, 10)`))
	b.do(chromedp.SendKeys(chromedp.CSS(`#intake-form input[name=source_ref]`), "110-"+strconv.FormatInt(time.Now().Unix(), 10)),
		chromedp.SendKeys(chromedp.CSS(`#intake-form input[name=township]`), "汝州市钟楼街道"),
		chromedp.SendKeys(chromedp.CSS(`#intake-form input[name=amount_fen]`), "1200"),
		chromedp.SendKeys(chromedp.CSS(`#intake-form textarea[name=description]`), "楼上住户卫生间漏水，双方就维修和赔偿发生争执，110 出警后引导调解。"),
		chromedp.SendKeys(chromedp.CSS(`#intake-form input[name="parties[0].name"]`), "张建国"),
		chromedp.SendKeys(chromedp.CSS(`#intake-form input[name="parties[0].id_number"]`), idNumber),
		chromedp.SendKeys(chromedp.CSS(`#intake-form input[name="parties[0].phone"]`), "13812345678"),
		chromedp.Click(chromedp.CSS(`#add-respondent`)),
		chromedp.SendKeys(chromedp.CSS(`#intake-form input[name="parties[1].name"]`), "李卫东"))
}

var deskCodeRe = regexp.MustCompile(`^RZ-\d{4}-\d{6}$`)

func TestWebIntakeRegistersWithPreview(t *testing.T) {
	b := newBrowser(t, "web-intake")
	b.do(chromedp.Navigate(b.base+"/intake"), chromedp.WaitVisible(chromedp.CSS(`#intake-form[data-ready=true]`)))
	if got := eval[int](b, `document.querySelectorAll('#township-list option').length`); got < 10 {
		t.Errorf("%d township suggestions, want the city's townships", got)
	}
	title := fmt.Sprintf("楼上漏水邻里纠纷 %d", time.Now().UnixNano())
	deskFillIntake(b, title, deskResidentID())

	// The live preview names the track and the org before anything is saved.
	deskWait(b, `document.querySelector('#preview').dataset.state === 'ok' && !document.querySelector('#preview').classList.contains('busy')`)
	preview := b.text(`#preview`)
	if !strings.Contains(preview, "人民调解") || !strings.Contains(preview, "钟楼街道人民调解委员会") || !strings.Contains(preview, "第178条") ||
		strings.Contains(preview, "RZ-ZL-TWH") {
		t.Errorf("the preview shows %q, want 人民调解, the committee by name and the police-referral basis", preview)
	}
	if rule := b.text(`#preview dd.rule`); !regexp.MustCompile(`^\p{Han}+$`).MatchString(rule) {
		t.Errorf("the preview names the rule %q, want its Chinese title", rule)
	}
	b.screenshot("preview")

	b.do(chromedp.Click(chromedp.CSS(`#submit`)), chromedp.WaitVisible(chromedp.CSS(`#result-code`)))
	code := b.text(`#result-code`)
	if !deskCodeRe.MatchString(code) {
		t.Errorf("registered with code %q", code)
	}
	// The one-month clock of people's mediation has a due day whatever
	// today is; one in a year whose State Council notice is not shipped
	// (2027 on) is marked 暂计, with the reason on hover.
	track, org, due := b.text(`#result-track`), b.text(`#result-org`), b.text(`#result-due`)
	m := regexp.MustCompile(`^(\d{4})-\d{2}-\d{2}(暂计)?$`).FindStringSubmatch(due)
	if track != "人民调解" || org != "钟楼街道人民调解委员会" || m == nil {
		t.Fatalf("registered to %q, %q, due %q", track, org, due)
	}
	if provisional := m[1] > "2026"; provisional != (m[2] != "") ||
		provisional && !strings.Contains(eval[string](b, `document.querySelector('#result-due .provisional').title`), "尚未公布") {
		t.Errorf("due %q: the provisional mark is wrong", due)
	}
	if href := eval[string](b, `(document.querySelector('#result-case') || {}).href || ''`); !strings.Contains(href, "/case?id=") {
		t.Errorf("no link to the case: %q", href)
	}
	b.screenshot("registered")

	// A wrong check character: the field's message next to its input, and
	// nothing registered.
	b.do(chromedp.Click(chromedp.CSS(`#again`)), chromedp.WaitVisible(chromedp.CSS(`#intake-form`)))
	bad := fmt.Sprintf("身份证号错误的纠纷 %d", time.Now().UnixNano())
	deskFillIntake(b, bad, deskWrongCheck(deskResidentID()))
	b.do(chromedp.Click(chromedp.CSS(`#submit`)), chromedp.WaitVisible(chromedp.CSS(`#intake-form .field-error[data-field="parties[0].id_number"]`)))
	if !eval[bool](b, `document.querySelector('.field-error[data-field="parties[0].id_number"]').previousElementSibling.name === 'parties[0].id_number'`) {
		t.Error("the ID number's error is not next to its input")
	}
	if msg := b.text(`.field-error[data-field="parties[0].id_number"]`); !strings.Contains(msg, "校验码") || strings.Contains(msg, "parties[0]") {
		t.Errorf("the ID number's error says %q, want the check character explained in Chinese", msg)
	}
	if eval[bool](b, `!document.querySelector('#result').hidden`) {
		t.Error("a result shows after a rejected registration")
	}
	counts := eval[[]int](b, fmt.Sprintf(`fetch('/api/v1/disputes?limit=100').then(r => r.json()).then(d =>
	  [d.items.filter(x => x.title === %q).length, d.items.filter(x => x.title === %q).length])`, title, bad))
	if counts[0] != 1 || counts[1] != 0 {
		t.Errorf("disputes registered: %d of the good form (want 1), %d of the bad one (want 0)", counts[0], counts[1])
	}
	// The preview of the rejected form says quietly what is wrong.
	deskWait(b, `document.querySelector('#preview').dataset.state === 'incomplete' && !document.querySelector('#preview').classList.contains('busy')`)
	if !strings.Contains(b.text(`#preview`), "身份证号码") {
		t.Errorf("the preview of the bad form shows %q", b.text(`#preview`))
	}
	if cls := eval[string](b, `document.getElementById('message').className`); !strings.Contains(cls, "error") {
		t.Errorf("the rejected registration is not reported in the message area (%q)", cls)
	}
	b.screenshot("id-error")
	b.expectRejected("/api/v1/disputes", "/api/v1/routing/preview")
	b.noConsoleErrors()

	// On a phone the form stacks and fits the screen.
	p := newBrowser(t, "web-intake", 390, 844)
	p.do(chromedp.Navigate(p.base+"/intake"), chromedp.WaitVisible(chromedp.CSS(`#intake-form[data-ready=true]`)),
		chromedp.Click(chromedp.CSS(`#add-respondent`)))
	if !eval[bool](p, `document.documentElement.scrollWidth <= window.innerWidth`) {
		t.Errorf("the intake form overflows the phone's screen: %d > %d", eval[int](p, `document.documentElement.scrollWidth`), eval[int](p, `window.innerWidth`))
	}
	p.screenshot("intake-phone")
	p.noConsoleErrors()
}

// TestWebIntakeOrganisation: a party may be an organisation (单位): its
// block then asks for 单位名称 and 统一社会信用代码 instead of 姓名 and
// 身份证号码, and sends only those; a wrong check character is named next
// to its input, in Chinese, with the right one; a lower-case code is
// registered upper-case; the next form starts with people again.
func TestWebIntakeOrganisation(t *testing.T) {
	b := newBrowser(t, "web-intake")
	b.do(chromedp.Navigate(b.base+"/intake"), chromedp.WaitVisible(chromedp.CSS(`#intake-form[data-ready=true]`)))
	title := fmt.Sprintf("物业服务纠纷 %d", time.Now().UnixNano())
	deskFillIntake(b, title, deskResidentID())
	// An ID number typed before the desk chose 单位 is not sent.
	b.do(chromedp.SendKeys(chromedp.CSS(`#intake-form input[name="parties[1].id_number"]`), deskWrongCheck(deskResidentID())))
	deskSet(b, `#intake-form select[name="parties[1].kind"]`, "organisation")
	shown := eval[[]bool](b, `(() => { const f = n => document.querySelector('[name="parties[1].' + n + '"]').closest('label');
	  return [f('id_number').hidden, !f('credit_code').hidden, f('name').querySelector('.label-text').textContent === '单位名称',
	    !document.querySelector('[name="parties[0].id_number"]').closest('label').hidden]; })()`)
	if len(shown) != 4 || !shown[0] || !shown[1] || !shown[2] || !shown[3] {
		t.Errorf("the organisation's block: ID number hidden, credit code shown, 单位名称, the person's block unchanged = %v", shown)
	}
	if got := eval[string](b, `[...document.querySelector('[name="parties[1].kind"]').options].map(o => o.textContent).join('/')`); got != "个人/单位" {
		t.Errorf("the kinds offered are %q, want 个人/单位", got)
	}
	deskSet(b, `#intake-form input[name="parties[1].name"]`, "汝州市某某物业服务有限公司")
	b.do(chromedp.SendKeys(chromedp.CSS(`#intake-form input[name="parties[1].credit_code"]`), "91410482ma47bq8j77"))
	b.do(chromedp.Click(chromedp.CSS(`#submit`)), chromedp.WaitVisible(chromedp.CSS(`#intake-form .field-error[data-field="parties[1].credit_code"]`)))
	if !eval[bool](b, `document.querySelector('.field-error[data-field="parties[1].credit_code"]').previousElementSibling.name === 'parties[1].credit_code'`) {
		t.Error("the credit code's error is not next to its input")
	}
	if msg := b.text(`.field-error[data-field="parties[1].credit_code"]`); !strings.Contains(msg, "校验码（第18位）应为“6”，不是“7”") {
		t.Errorf("the credit code's error says %q", msg)
	}
	if eval[bool](b, `!!document.querySelector('.field-error[data-field="parties[1].id_number"]')`) {
		t.Error("the hidden ID number was sent")
	}
	b.screenshot("credit-code-error")

	deskSet(b, `#intake-form input[name="parties[1].credit_code"]`, "91410482ma47bq8j76")
	b.do(chromedp.Click(chromedp.CSS(`#submit`)), chromedp.WaitVisible(chromedp.CSS(`#result-code`)))
	party := eval[map[string]any](b, fmt.Sprintf(`fetch('/api/v1/disputes?limit=100').then(r => r.json()).then(d =>
	  (d.items.find(x => x.title === %q) || {parties: [{}, {}]}).parties[1])`, title))
	if party["kind"] != "organisation" || party["credit_code"] != "91410482MA47BQ8J76" || party["name"] != "汝州市某某物业服务有限公司" || party["id_number"] != nil {
		t.Errorf("registered the respondent as %v", party)
	}

	b.do(chromedp.Click(chromedp.CSS(`#again`)), chromedp.WaitVisible(chromedp.CSS(`#intake-form`)))
	if !eval[bool](b, `document.querySelector('[name="parties[0].kind"]').value === 'person' &&
	  !document.querySelector('[name="parties[0].id_number"]').closest('label').hidden`) {
		t.Error("the next form does not start with a person")
	}
	b.expectRejected("/api/v1/disputes", "/api/v1/routing/preview")
	b.noConsoleErrors()
}

func TestWebMediatorQueueAndCase(t *testing.T) {
	svc := startWebService(t)
	// The intake desk registers a dispute (through the API) ...
	intake := deskToken(t, svc.base, "web-intake")
	title := fmt.Sprintf("邻里通道堆物纠纷 %d", time.Now().UnixNano())
	code, d := deskAPI(t, "POST", svc.base+"/api/v1/disputes", intake, map[string]any{
		"title": title, "description": "楼道堆放杂物影响通行", "category": "neighbour", "source": "police",
		"source_ref": "110-desk", "township": "汝州市钟楼街道",
		"parties": []map[string]any{{"role": "applicant", "name": "王秀英", "id_number": deskResidentID(), "phone": "13912345678"},
			{"role": "respondent", "name": "赵志强"}},
	}, map[string]string{"Idempotency-Key": fmt.Sprintf("desk-%d", time.Now().UnixNano())})
	if code != http.StatusCreated {
		t.Fatalf("register: %d %v", code, d)
	}
	routing, _ := d["routing"].(map[string]any)
	caseID, _ := routing["case_id"].(float64)
	disputeCode, _ := d["code"].(string)
	if caseID == 0 || routing["org_code"] != "RZ-ZL-TWH" {
		t.Fatalf("routed to %v", routing)
	}
	caseURL := fmt.Sprintf("%s/case?id=%d", svc.base, int64(caseID))

	// ... and assigns it to web-med on the case page.
	desk := newBrowser(t, "web-intake")
	desk.do(chromedp.Navigate(caseURL), chromedp.WaitVisible(chromedp.CSS(`#act-assign`)))
	deskSet(desk, `#act-assign input[name=assignee]`, "web-med")
	desk.do(chromedp.Click(chromedp.CSS(`#act-assign button[type=submit]`)))
	deskWait(desk, `document.querySelector('#message').textContent.includes('已分派给 web-med')`)
	desk.screenshot("assigned")
	if s := desk.text(`#case-state`); s != "已分派" {
		t.Errorf("after the assignment the case is %q", s)
	}
	desk.noConsoleErrors()

	// The mediator finds it in the queue and opens it.
	b := newBrowser(t, "web-med")
	b.do(chromedp.Navigate(b.base+"/queue"), chromedp.WaitVisible(chromedp.CSS(`#queue[data-loaded=true]`)))
	if got := b.text(`#title`); got != "我的调解案件" {
		t.Errorf("the queue is titled %q", got)
	}
	row := fmt.Sprintf(`#queue a.cell[href="/case?id=%d"]`, int64(caseID))
	if !eval[bool](b, fmt.Sprintf(`!!document.querySelector(%q)`, row)) {
		t.Fatalf("the case %s is not in web-med's queue", disputeCode)
	}
	if others := eval[int](b, `Array.from(document.querySelectorAll('#queue tbody tr')).filter(tr => tr.querySelector('td.assignee').textContent !== 'web-med').length`); others != 0 {
		t.Errorf("%d rows of other mediators in web-med's queue", others)
	}
	b.screenshot("queue")
	b.do(chromedp.Click(chromedp.CSS(row)), chromedp.WaitVisible(chromedp.CSS(`#act-accept`)))
	if !strings.Contains(b.location(), fmt.Sprintf("/case?id=%d", int64(caseID))) || b.text(`#case-state`) != "已分派" {
		t.Fatalf("at %s, state %q", b.location(), b.text(`#case-state`))
	}

	// Accepting starts the people's mediation clock (one month).
	b.do(chromedp.Click(chromedp.CSS(`#act-accept button[type=submit]`)))
	deskWait(b, `document.querySelector('#content').dataset.state === 'accepted'`)
	if s := b.text(`#case-state`); s != "已受理" {
		t.Errorf("after accepting the case is %q", s)
	}
	clocks := b.text(`#clocks`)
	if !strings.Contains(clocks, "mediation.people") || !strings.Contains(clocks, "人民调解工作若干规定") || !strings.Contains(clocks, "进行中") {
		t.Errorf("the clocks after accepting: %q", clocks)
	}
	// The accepted case offers the next actions: a session, an agreement,
	// a failure.
	for _, a := range []string{"session", "agreement", "failure"} {
		if !eval[bool](b, fmt.Sprintf(`!!document.querySelector('#act-%s')`, a)) {
			t.Errorf("no %s action on the accepted case", a)
		}
	}
	b.screenshot("case")

	// A 422 from an action puts the field's message next to its input.
	b.do(chromedp.Click(chromedp.CSS(`#action-session > summary`)), chromedp.Click(chromedp.CSS(`#act-session button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#act-session .field-error[data-field=place]`)))
	if s := b.text(`#case-state`); s != "已受理" {
		t.Errorf("a rejected session changed the case to %q", s)
	}
	b.screenshot("session-error")
	b.expectRejected(fmt.Sprintf("/api/v1/mediation/cases/%d/sessions", int64(caseID)))

	// A session, then an agreement: each action carries the case's new
	// version, and the agreement starts the judicial-confirmation clock.
	b.do(chromedp.SendKeys(chromedp.CSS(`#act-session input[name=place]`), "钟楼街道调委会调解室"),
		chromedp.SendKeys(chromedp.CSS(`#act-session input[name=attendees]`), "王秀英、赵志强"),
		chromedp.SendKeys(chromedp.CSS(`#act-session textarea[name=record]`), "双方同意三日内清理楼道杂物"),
		chromedp.Click(chromedp.CSS(`#act-session button[type=submit]`)))
	deskWait(b, `document.querySelector('#content').dataset.state === 'in_mediation'`)
	if got := b.text(`#records`); !strings.Contains(got, "王秀英、赵志强") {
		t.Errorf("the session is not in the records: %q", got)
	}
	b.do(chromedp.Click(chromedp.CSS(`#action-agreement > summary`)),
		chromedp.SendKeys(chromedp.CSS(`#act-agreement textarea[name=terms]`), "赵志强三日内清理楼道杂物并赔偿 200 元"),
		chromedp.SendKeys(chromedp.CSS(`#act-agreement input[name=amount_fen]`), "200.50"),
		chromedp.Click(chromedp.CSS(`#act-agreement button[type=submit]`)))
	deskWait(b, `document.querySelector('#content').dataset.state === 'agreement'`)
	if got := b.text(`#records`); !strings.Contains(got, "200.50 元") {
		t.Errorf("the agreement's amount is not in the records: %q", got)
	}
	if got := b.text(`#clocks`); !strings.Contains(got, "mediation.judicial_confirmation_application") {
		t.Errorf("no judicial-confirmation clock after the agreement: %q", got)
	}
	b.screenshot("agreement")
	b.noConsoleErrors()

	// On a phone: the queue fits the screen; its table scrolls inside.
	p := newBrowser(t, "web-med", 390, 844)
	p.do(chromedp.Navigate(p.base+"/queue"), chromedp.WaitVisible(chromedp.CSS(`#queue[data-loaded=true]`)))
	if !eval[bool](p, `document.documentElement.scrollWidth <= window.innerWidth`) {
		t.Errorf("the queue overflows the phone's screen: %d > %d", eval[int](p, `document.documentElement.scrollWidth`), eval[int](p, `window.innerWidth`))
	}
	p.screenshot("queue-phone")
	p.do(chromedp.Navigate(caseURL), chromedp.WaitVisible(chromedp.CSS(`#clocks`)))
	if !eval[bool](p, `document.documentElement.scrollWidth <= window.innerWidth`) {
		t.Errorf("the case page overflows the phone's screen")
	}
	p.screenshot("case-phone")
	p.noConsoleErrors()
}

func TestWebQueueForLeaders(t *testing.T) {
	b := newBrowser(t, "web-leader")
	// The dashboard's clock chart links here by track.
	b.do(chromedp.Navigate(b.base+"/queue?track=people"), chromedp.WaitVisible(chromedp.CSS(`#queue[data-loaded=true]`)))
	if got := b.text(`#title`); got != "调解案件：人民调解" {
		t.Errorf("the queue is titled %q", got)
	}
	rows := eval[[]string](b, `Array.from(document.querySelectorAll('#queue tbody tr')).map(tr => tr.children[1].textContent + '|' + (tr.querySelector('.badge.overdue') ? 'overdue' : ''))`)
	if len(rows) == 0 {
		t.Fatal("no people's mediation cases in the leader's queue")
	}
	overdue := 0
	for i, r := range rows {
		track, late, _ := strings.Cut(r, "|")
		if track != "人民调解" {
			t.Errorf("row %d is on track %q", i, track)
		}
		if late == "overdue" {
			overdue++
		}
	}
	// Overdue first: the rows with an overdue clock come before the others.
	for i := 0; i < overdue; i++ {
		if !strings.HasSuffix(rows[i], "|overdue") {
			t.Errorf("row %d is not overdue but %d overdue rows follow: %v", i, overdue, rows[:overdue])
			break
		}
	}
	if overdue > 0 {
		if c := eval[string](b, `getComputedStyle(document.querySelector('#queue .badge.overdue')).color`); c != "rgb(198, 40, 40)" {
			t.Errorf("an overdue clock is drawn in %s, want red", c)
		}
	}
	b.screenshot("queue-people")
	// A leader reads a case and its clocks, with no actions.
	b.do(chromedp.Click(chromedp.CSS(`#queue tbody tr a.cell`)), chromedp.WaitVisible(chromedp.CSS(`#clocks`)))
	if eval[bool](b, `!!document.querySelector('#actions form')`) {
		t.Error("a leader is offered actions on a case")
	}
	b.screenshot("case-leader")
	b.noConsoleErrors()
}
