package main

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"jiefen"
	"jiefen/calendar"
	"jiefen/internal/auth"
	"jiefen/internal/httpapi"
	"jiefen/internal/sqlstore"
	"jiefen/litigation"
	"jiefen/mediation"
	"jiefen/reconsideration"
)

// The notifications page in the browser: a leader of its own (so that no
// other test's notifications count) is told of a mediation case escalated
// to them, a key case's hearing and a reconsideration deadline, with the
// titles the jobs write, plus older reminders enough for a second page.
// The events go through the store's outbox (Emit), as the jobs send them.

// noticeFirstID is the first row's data-id on the notifications page.
const noticeFirstID = `document.querySelector('#notices tbody tr').dataset.id`

// noticeWhen writes an instant as the page does: 2026年12月2日 14:05 in
// Asia/Shanghai.
func noticeWhen(t time.Time) string {
	s := t.In(time.FixedZone("CST", 8*3600))
	return fmt.Sprintf("%d年%d月%d日 %02d:%02d", s.Year(), int(s.Month()), s.Day(), s.Hour(), s.Minute())
}

func TestWebNotifications(t *testing.T) {
	chromiumPath(t)
	svc := startWebService(t)
	ctx := context.Background()
	db := svc.app.db

	// A leader of the city with a login of their own.
	user := fmt.Sprintf("web-notice-%d", time.Now().UnixNano()%1e9)
	policy, err := db.Users.PasswordPolicy(ctx, svc.app.cfg.Auth.PasswordPolicy())
	if err != nil {
		t.Fatal(err)
	}
	u, hash, err := httpapi.NewUser(auth.DefaultHasher(), policy, user, webPassword, jiefen.RoleLeader, "", "通知测试")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Users.CreateUser(cliContext(ctx, ""), u, hash); err != nil {
		t.Fatal(err)
	}

	// The leader logs in (the only login of this test: the service allows
	// 20 a minute from one address to all the browser tests together) and
	// reads, through the API, records of the demo data for the
	// notifications to be about.
	b := newBrowser(t, user)
	b.do(chromedp.WaitReady(chromedp.CSS(`#notice-count[data-count]`)))
	if eval[bool](b, `!document.querySelector('#notice-count').hidden`) {
		t.Errorf("a new user's header counts %q unread", b.text(`#notice-count`))
	}
	newest := func(path string) map[string]any {
		t.Helper()
		items := eval[[]map[string]any](b, fmt.Sprintf(`fetch(%q).then(r => r.json()).then(d => d.items)`, path))
		if len(items) == 0 {
			t.Fatalf("%s lists nothing", path)
		}
		return items[0]
	}
	mc := newest("/api/v1/mediation/cases?limit=1")
	rc := newest("/api/v1/reconsideration/cases?limit=1")
	lc := newest("/api/v1/litigation/cases?limit=1")
	mcID, mcCode, mcOrg := int64(mc["id"].(float64)), mc["dispute_code"].(string), mc["org_name"].(string)
	rcID, lcID := int64(rc["id"].(float64)), int64(lc["id"].(float64))
	lcNumber := lc["case_number"].(map[string]any)["canonical"].(string)
	var codes, defendants []string
	for _, d := range lc["defendants"].([]any) {
		codes = append(codes, d.(string))
	}
	names, err := db.Orgs.OrgNames(ctx, codes)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range codes {
		defendants = append(defendants, names[c])
	}

	// Oldest first, each in a transaction of its own so that the ids (the
	// page's order) follow: 31 reminders, then the three to look at.
	today := calendar.DateOf(time.Now())
	emit := func(events ...sqlstore.Event) {
		t.Helper()
		if n, err := db.Notifications.Emit(ctx, events); err != nil || n != len(events) {
			t.Fatalf("emit: %d of %d, %v", n, len(events), err)
		}
	}
	for i := range 31 {
		due := today.AddDays(10 + i)
		emit(sqlstore.Event{Key: fmt.Sprintf("web-notice.due_soon:%s:%d", user, i), Kind: "mediation.due_soon",
			SubjectType: "mediation_case", SubjectID: mcID, DueOn: due, To: []string{user},
			Title: mediation.DueSoonTitle(mcCode, due)})
	}
	// The titles as the scans write them: orgs by name, dates in Chinese.
	reconTitle := reconsideration.DueTitle(rcID, today.AddDays(3), false)
	hearingTitle := litigation.HearingAlertTitle(lcNumber, today.AddDays(2), defendants)
	escalatedTitle := mediation.EscalatedTitle(mcOrg, mcCode, today.AddDays(-1))
	emit(sqlstore.Event{Key: "web-notice.recon:" + user, Kind: "reconsideration.due_soon", SubjectType: "reconsideration_case",
		SubjectID: rcID, DueOn: today.AddDays(3), To: []string{user}, Title: reconTitle})
	emit(sqlstore.Event{Key: "web-notice.hearing:" + user, Kind: "litigation.hearing_alert", SubjectType: "litigation_case",
		SubjectID: lcID, DueOn: today.AddDays(2), To: []string{user}, Title: hearingTitle})
	emit(sqlstore.Event{Key: "web-notice.escalated:" + user, Kind: "mediation.escalated", SubjectType: "mediation_case",
		SubjectID: mcID, DueOn: today.AddDays(-1), To: []string{user}, Title: escalatedTitle})
	const total = 34

	// Any page's header counts the unread notifications beside 通知.
	b.do(chromedp.Navigate(b.base+"/queue"), chromedp.WaitVisible(chromedp.CSS(`#notice-count`)))
	if got, link := b.text(`#notice-count`), eval[string](b, `document.querySelector('#notices-link').innerText`); got != "34" || !strings.HasPrefix(link, "通知") {
		t.Errorf("the header reads %q with count %q, want 通知 34", link, got)
	}

	// The page: newest first, unread marked, the time as a clerk writes it.
	b.do(chromedp.Navigate(b.base+"/notifications"), chromedp.WaitVisible(chromedp.CSS(`#content[data-ready=true]`)),
		chromedp.WaitVisible(chromedp.CSS(`#notice-count`)))
	if got := b.text(`#title`); got != "通知" {
		t.Errorf("the page is titled %q", got)
	}
	type row struct {
		State, When, Kind, Title, Link, Href, Class string
	}
	rows := func() []row {
		return eval[[]row](b, `Array.from(document.querySelectorAll('#notices tbody tr')).map(tr => ({
		  State: tr.cells[0].innerText.trim(), When: tr.cells[1].innerText.trim(), Kind: tr.cells[2].innerText.trim(),
		  Title: tr.cells[3].innerText.trim(), Link: tr.cells[4].innerText.trim(),
		  Href: (tr.querySelector('a.subject') || {}).href || '', Class: tr.className }))`)
	}
	got := rows()
	if len(got) != 30 || b.text(`#notices-count`) != "已显示 30 条，还有更多" {
		t.Fatalf("%d rows on the first page (%q), want 30 of more", len(got), b.text(`#notices-count`))
	}
	want := []row{
		{State: "未读", Kind: "督办", Title: escalatedTitle, Link: "调解案件详情", Href: fmt.Sprintf("%s/case?id=%d", b.base, mcID), Class: "unread"},
		{State: "未读", Kind: "出庭提醒", Title: hearingTitle, Link: "府院联动", Href: b.base + "/liaison", Class: "unread"},
		{State: "未读", Kind: "期限将届满", Title: reconTitle, Link: "行政复议案件", Href: b.base + "/reconsideration", Class: "unread"},
	}
	listed, err := db.Notifications.ListNotifications(ctx, user, false, 0, 3)
	if err != nil {
		t.Fatal(err)
	}
	for i, w := range want {
		w.When = noticeWhen(listed[i].CreatedAt)
		if got[i] != w {
			t.Errorf("row %d:\n got %+v\nwant %+v", i, got[i], w)
		}
	}
	if !regexp.MustCompile(`^\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}$`).MatchString(got[0].When) {
		t.Errorf("the time reads %q", got[0].When)
	}
	b.screenshot("notifications")
	// The second page comes under the first.
	b.do(chromedp.Click(chromedp.CSS(`#more`)), chromedp.WaitNotVisible(chromedp.CSS(`#more`)))
	if n := len(rows()); n != total || b.text(`#notices-count`) != "已显示 34 条" {
		t.Errorf("%d rows after 加载更多 (%q), want %d", n, b.text(`#notices-count`), total)
	}

	// The link opens the case the notification concerns.
	b.do(chromedp.Click(chromedp.CSS(`#notices tbody tr:first-child a.subject`)), chromedp.WaitVisible(chromedp.CSS(`#clocks`)))
	if loc, title := b.location(), b.text(`#title`); loc != want[0].Href || !strings.Contains(title, "调解案件 "+mcCode) {
		t.Errorf("the link led to %s, titled %q", loc, title)
	}
	b.do(chromedp.WaitVisible(chromedp.CSS(`#notice-count`)))
	if got := b.text(`#notice-count`); got != "34" {
		t.Errorf("the case page's header counts %q unread, want 34 (opening the case marks nothing)", got)
	}

	// 标为已读: the row says so and the count drops by one.
	b.do(chromedp.Navigate(b.base+"/notifications"), chromedp.WaitVisible(chromedp.CSS(`#content[data-ready=true]`)))
	first := eval[string](b, noticeFirstID)
	b.do(chromedp.Click(chromedp.CSS(`#notices tbody tr:first-child button.mark-read`)))
	deskWait(b, `document.querySelector('#notice-count').textContent === '33' && document.querySelector('#notices tbody tr').classList.contains('read')`)
	if r := rows()[0]; r.State != "已读" || r.Title != escalatedTitle || eval[bool](b, `!!document.querySelector('#notices tbody tr:first-child button.mark-read')`) {
		t.Errorf("after 标为已读 the first row is %+v", r)
	}
	if left, err := db.Notifications.ListNotifications(ctx, user, true, 0, 100); err != nil || len(left) != total-1 || fmt.Sprint(left[0].ID) == first {
		t.Errorf("after 标为已读: %d unread (%v), want %d without %s", len(left), err, total-1, first)
	}
	// Only the unread ones, then all read: the count goes from the header.
	b.do(chromedp.Navigate(b.base+"/notifications?unread=true"), chromedp.WaitVisible(chromedp.CSS(`#content[data-ready=true]`)))
	if r := rows(); len(r) != 30 || r[0].Title != hearingTitle {
		t.Errorf("the unread view starts with %+v (%d rows)", r[0], len(r))
	}
	b.do(chromedp.Click(chromedp.CSS(`#mark-all`)))
	deskWait(b, `document.querySelector('#message').textContent === '已将 33 条通知标为已读。'`)
	if hidden := eval[bool](b, `document.querySelector('#notice-count').hidden`); !hidden || b.text(`#notices`) != "没有未读通知" {
		t.Errorf("after 全部标为已读 the count is shown (%v) or the list reads %q", !hidden, b.text(`#notices`))
	}
	if left, err := db.Notifications.ListNotifications(ctx, user, true, 0, 100); err != nil || len(left) != 0 {
		t.Errorf("after 全部标为已读: %d unread (%v)", len(left), err)
	}
	if link := eval[string](b, `document.querySelector('#notices-link').innerText.trim()`); link != "通知" {
		t.Errorf("with nothing unread the header reads %q", link)
	}
	b.screenshot("all-read")
	b.noConsoleErrors()
}
