package sqlstore_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"jiefen"
	"jiefen/calendar"
	"jiefen/configs"
	"jiefen/internal/sqlstore"
	"jiefen/internal/sqlstore/storetest"
	"jiefen/litigation"
	"jiefen/mediation"
	"jiefen/reconsideration"
	"jiefen/routing"
)

// The personal data the scans' data carry; no event title may show it.
const (
	scanApplicant   = "赵铁柱"
	scanApplicantID = "110101199003074477"
	scanPartyA      = "钱多多"
	scanPartyAID    = "11010519491231002X"
	scanPartyB      = "孙悟净"
	scanPartyBID    = "440524188001010014"
	scanPlaintiff   = "周大福"
	scanAppearer    = "吴局长"
)

var scanPersonal = []string{scanApplicant, scanApplicantID, scanPartyA, scanPartyAID, scanPartyB, scanPartyBID,
	scanPlaintiff, scanAppearer}

// scanEnv is a store with the seeded orgs, the shipped calendar and clock
// catalogue, and a clock that stands where it is put.
type scanEnv struct {
	t     *testing.T
	db    *sqlstore.DB
	cal   *calendar.Calendar
	rules *calendar.Rules
	now   time.Time
}

func newScanEnv(t *testing.T, db *sqlstore.DB) *scanEnv {
	t.Helper()
	seedAgencies(t, db)
	ns, err := configs.Holidays()
	if err != nil {
		t.Fatal(err)
	}
	cal, err := calendar.New(calendar.Options{}, ns...)
	if err != nil {
		t.Fatal(err)
	}
	rules, err := configs.Rules("")
	if err != nil {
		t.Fatal(err)
	}
	e := &scanEnv{t: t, db: db, cal: cal, rules: rules}
	db.Now = func() time.Time { return e.now }
	return e
}

// on moves the store's clock to noon of day in Asia/Shanghai.
func (e *scanEnv) on(day calendar.Date) {
	y, m, d := day.YMD()
	e.now = time.Date(y, m, d, 4, 0, 0, 0, time.UTC)
	if got := calendar.DateOf(e.db.Now()); got != day {
		e.t.Fatalf("the clock stands on %s, want %s", got, day)
	}
}

func (e *scanEnv) recon(today calendar.Date) sqlstore.ReconClocks {
	return func(c *reconsideration.Case) { c.ComputeClocks(e.cal, e.rules, today) }
}

func (e *scanEnv) mediation(today calendar.Date) sqlstore.CaseClocks {
	return func(c *mediation.Case) { c.ComputeClocks(e.cal, e.rules, today) }
}

// user creates an active user; inactive ones are switched off after.
func (e *scanEnv) user(name string, role jiefen.Role, org string) {
	e.t.Helper()
	hash, err := cheap.Hash("Correct-Horse-1")
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.db.Users.CreateUser(ctxAs(jiefen.RoleAdmin), jiefen.User{Username: name, Role: role, OrgCode: org}, hash); err != nil {
		e.t.Fatal(err)
	}
}

func (e *scanEnv) deactivate(name string) {
	e.t.Helper()
	if _, err := e.db.SQL().Exec("UPDATE users SET active = ? WHERE username = ?", false, name); err != nil {
		e.t.Fatal(err)
	}
}

// notes returns username's notifications, oldest first, checking that no
// title shows personal data.
func (e *scanEnv) notes(username string) []sqlstore.Notification {
	e.t.Helper()
	ns, err := e.db.Notifications.ListNotifications(context.Background(), username, false, 0, 500)
	if err != nil {
		e.t.Fatal(err)
	}
	slices.Reverse(ns)
	for _, n := range ns {
		for _, p := range scanPersonal {
			if strings.Contains(n.Title, p) {
				e.t.Errorf("the title %q of %s's %s notification shows %q", n.Title, username, n.Kind, p)
			}
		}
	}
	return ns
}

// scanKinds lists the kinds, subjects and due days of notifications.
func scanKinds(ns []sqlstore.Notification) []string {
	out := []string{}
	for _, n := range ns {
		due := "-"
		if n.DueOn != nil {
			due = *n.DueOn
		}
		out = append(out, fmt.Sprintf("%s %s/%d %s", n.Kind, n.SubjectType, n.SubjectID, due))
	}
	return out
}

func (e *scanEnv) wantNotes(username string, want ...string) {
	e.t.Helper()
	got := scanKinds(e.notes(username))
	if want == nil {
		want = []string{}
	}
	if !slices.Equal(got, want) {
		e.t.Errorf("%s's notifications:\n got %q\nwant %q", username, got, want)
	}
}

// events counts the events of the outbox.
func (e *scanEnv) events() int {
	e.t.Helper()
	var n int
	if err := e.db.SQL().QueryRow("SELECT COUNT(*) FROM events").Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

func (e *scanEnv) reconState(id int64) string {
	e.t.Helper()
	var s string
	if err := e.db.SQL().QueryRow("SELECT state FROM reconsideration_cases WHERE id = ?", id).Scan(&s); err != nil {
		e.t.Fatal(err)
	}
	return s
}

var (
	scanSystem = jiefen.NewContextWithActor(context.Background(), jiefen.Actor{Username: "scheduler", Role: jiefen.RoleAdmin})
	scanFuyi   = jiefen.NewContextWithActor(context.Background(), jiefen.Actor{Username: "fuyi-a", Role: jiefen.RoleReconsideration})
)

// apply registers an application received on day, the clock standing on
// that day.
func (e *scanEnv) apply(day calendar.Date) reconsideration.Case {
	e.t.Helper()
	e.on(day)
	c, err := e.db.Reconsideration.CreateReconsideration(scanFuyi, reconsideration.Application{
		Applicant:  jiefen.Party{Role: jiefen.PartyApplicant, Name: scanApplicant, IDType: jiefen.IDResident, IDNumber: scanApplicantID},
		Respondent: "RZ-GAJ", Act: "行政处罚决定", ReceivedOn: day, Procedure: reconsideration.Ordinary}, e.recon(day))
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

func (e *scanEnv) scan(day calendar.Date) sqlstore.ScanReport {
	e.t.Helper()
	e.on(day)
	rep, err := e.db.Clocks.ScanOverdue(scanSystem, day, e.recon(day))
	if err != nil {
		e.t.Fatal(err)
	}
	return rep
}

func scanDay(s string) calendar.Date {
	d, err := calendar.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// TestScanDeemsAcceptance: an application received on Friday 2024-09-27
// whose five working days of review (National Day in between) end on
// 2024-10-10 with no decision is, by the scan of the next day, saved as
// accepted from 2024-10-10, audited, and told once to every active member
// of the reconsideration staff.
func TestScanDeemsAcceptance(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := newScanEnv(t, db)
		e.user("fuyi-a", jiefen.RoleReconsideration, "RZ-SFJ")
		e.user("fuyi-b", jiefen.RoleReconsideration, "")
		e.user("fuyi-gone", jiefen.RoleReconsideration, "RZ-SFJ")
		e.deactivate("fuyi-gone")
		e.user("lead-city", jiefen.RoleLeader, "")
		e.user("gaj-staff", jiefen.RoleAgencyStaff, "RZ-GAJ")

		received, last, next := scanDay("2024-09-27"), scanDay("2024-10-10"), scanDay("2024-10-11")
		c := e.apply(received)
		if c.State != reconsideration.StateReceived || c.NextDue() == nil || *c.NextDue() != last {
			t.Fatalf("new application: state %s, next due %v; want received, due %s", c.State, c.NextDue(), last)
		}

		if rep := e.scan(last); rep != (sqlstore.ScanReport{}) {
			t.Fatalf("scan on the review's last day = %+v, want nothing", rep)
		}
		if s := e.reconState(c.ID); s != "received" {
			t.Fatalf("after the scan of %s the case is %s, want received", last, s)
		}
		if n := e.events(); n != 0 {
			t.Fatalf("%d events after the scan of %s, want 0", n, last)
		}

		if rep := e.scan(next); rep != (sqlstore.ScanReport{Events: 1, Deemed: 1}) {
			t.Fatalf("scan of %s = %+v, want 1 event, 1 deemed", next, rep)
		}
		if s := e.reconState(c.ID); s != "accepted" {
			t.Fatalf("stored state %s, want accepted", s)
		}
		// Read as of the review's last day, so that only what was saved can
		// make it accepted (the clocks would deem it again on a later day).
		got, err := db.Reconsideration.ReconsiderationCase(context.Background(), c.ID, e.recon(last))
		if err != nil {
			t.Fatal(err)
		}
		if got.State != reconsideration.StateAccepted || !got.Deemed || got.AcceptedOn == nil || *got.AcceptedOn != last {
			t.Fatalf("saved case: state %s, deemed %v, accepted on %v; want accepted, deemed, %s", got.State, got.Deemed, got.AcceptedOn, last)
		}
		if got.DecisionClock() == nil {
			t.Fatalf("the deemed case has no decision clock: %+v", got.Clocks)
		}
		if got.Version != c.Version+1 {
			t.Fatalf("version %d, want %d", got.Version, c.Version+1)
		}

		want := fmt.Sprintf("reconsideration.deemed_accepted reconsideration_case/%d %s", c.ID, last)
		e.wantNotes("fuyi-a", want)
		e.wantNotes("fuyi-b", want)
		e.wantNotes("fuyi-gone")
		e.wantNotes("lead-city")
		e.wantNotes("gaj-staff")
		if ns := e.notes("fuyi-a"); !strings.Contains(ns[0].Title, last.Label()) || !strings.Contains(ns[0].Title, fmt.Sprint(c.ID)) {
			t.Errorf("title %q names neither the case nor the day", ns[0].Title)
		}

		entries, err := db.Audit.ListAudit(context.Background(), sqlstore.AuditFilter{Action: "reconsideration.deemed_acceptance", Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 1 || entries[0].TargetType != "reconsideration_case" || entries[0].TargetID != fmt.Sprint(c.ID) ||
			entries[0].Actor != "scheduler" {
			t.Fatalf("deemed-acceptance audit entries = %+v, want one of case %d by scheduler", entries, c.ID)
		}

		for _, d := range []calendar.Date{next, next.AddDays(1)} {
			if rep := e.scan(d); rep != (sqlstore.ScanReport{}) {
				t.Fatalf("scan again on %s = %+v, want nothing new", d, rep)
			}
		}
		e.wantNotes("fuyi-a", want)
		if n := e.events(); n != 1 {
			t.Fatalf("%d events after the scans, want 1", n)
		}

		// The deemed case runs the copy clock from the day it was deemed
		// accepted; when that runs out the staff are told it is overdue.
		copyDue := got.NextDue()
		if copyDue == nil || *copyDue != scanDay("2024-10-18") { // 7 working days; 10-12 is a make-up working day
			t.Fatalf("the deemed case's next due %v, want 2024-10-18", copyDue)
		}
		if rep := e.scan(*copyDue); rep != (sqlstore.ScanReport{}) {
			t.Fatalf("scan on the copy's last day = %+v, want nothing", rep)
		}
		if rep := e.scan(copyDue.AddDays(1)); rep != (sqlstore.ScanReport{Events: 1}) {
			t.Fatalf("scan after the copy's last day = %+v, want 1 event", rep)
		}
		late := fmt.Sprintf("reconsideration.overdue reconsideration_case/%d %s", c.ID, *copyDue)
		e.wantNotes("fuyi-a", want, late)
		e.wantNotes("fuyi-b", want, late)
		e.wantNotes("fuyi-gone")
		e.wantNotes("lead-city")
		entries, err = db.Audit.ListAudit(context.Background(), sqlstore.AuditFilter{Action: "reconsideration.deemed_acceptance", Limit: 100})
		if err != nil || len(entries) != 1 {
			t.Fatalf("deemed-acceptance audit entries after the rescans = %d, %v; want 1", len(entries), err)
		}
	})
}

// TestScanDeemsAcceptanceAgainAfterMaterials: a deemed acceptance taken
// back (materials were asked for within the review, recorded late) and
// the review, restarted by the materials, running out again is a new
// deemed acceptance from a new day. The scan's report counts the events
// it wrote, and the staff are told of the second one too (the events are
// keyed by case and day).
func TestScanDeemsAcceptanceAgainAfterMaterials(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := newScanEnv(t, db)
		e.user("fuyi-a", jiefen.RoleReconsideration, "RZ-SFJ")
		c := e.apply(scanDay("2024-09-27"))
		if rep := e.scan(scanDay("2024-10-11")); rep != (sqlstore.ScanReport{Events: 1, Deemed: 1}) {
			t.Fatalf("first scan = %+v", rep)
		}
		// On 10-14 the staff record that they asked for materials on 10-09,
		// within the review, and that the materials came in on 10-14.
		today := scanDay("2024-10-14")
		e.on(today)
		for _, a := range []sqlstore.ReconAction{
			{Name: "review", Do: func(c *reconsideration.Case) error {
				return c.ReviewDecision(reconsideration.RequestMaterials, "缺少处罚决定书复印件", scanDay("2024-10-09"), today)
			}},
			{Name: "materials", Do: func(c *reconsideration.Case) error { return c.MaterialsReceived(today, today) }},
		} {
			if _, err := db.Reconsideration.ActOnReconsideration(scanFuyi, c.ID, a, e.recon(today)); err != nil {
				t.Fatal(err)
			}
		}
		got, err := db.Reconsideration.ReconsiderationCase(context.Background(), c.ID, e.recon(today))
		if err != nil {
			t.Fatal(err)
		}
		second := scanDay("2024-10-21") // 10-15, 16, 17, 18, 21
		if got.State != reconsideration.StateReceived || got.NextDue() == nil || *got.NextDue() != second {
			t.Fatalf("after the materials: state %s, next due %v; want received, due %s", got.State, got.NextDue(), second)
		}
		before := e.events()
		rep := e.scan(second.AddDays(1))
		written := e.events() - before
		if rep.Deemed != 1 {
			t.Fatalf("second scan = %+v, want 1 deemed", rep)
		}
		if rep.Events != written {
			t.Errorf("the second scan reports %d events but wrote %d", rep.Events, written)
		}
		e.wantNotes("fuyi-a",
			fmt.Sprintf("reconsideration.deemed_accepted reconsideration_case/%d 2024-10-10", c.ID),
			fmt.Sprintf("reconsideration.deemed_accepted reconsideration_case/%d %s", c.ID, second))
	})
}

// mediationCase registers a dispute in township, received on day, and
// has its mediator accept the case that day; it returns the case.
func (e *scanEnv) mediationCase(township, name, id string, day calendar.Date, org, mediator string) mediation.Case {
	e.t.Helper()
	e.on(day)
	set, err := configs.RoutingRules("")
	if err != nil {
		e.t.Fatal(err)
	}
	set.Version = 1
	router := routing.NewRouter(set, e.cal, e.rules)
	pol := sqlstore.IntakePolicy{Policy: routing.Policy{CodePrefix: "RZ", MediatorCapacity: 10, RepeatWindowDays: 180}, IdempotencyTTL: time.Hour}
	intake := jiefen.NewContextWithActor(context.Background(), jiefen.Actor{Username: "desk", Role: jiefen.RoleIntake})
	d, err := e.db.Disputes.RegisterDispute(intake, routing.Intake{Title: "邻里纠纷", Category: "neighbour", Source: "walk_in", Township: township,
		ReceivedOn: day, Parties: []jiefen.Party{{Role: jiefen.PartyApplicant, Name: name, IDType: jiefen.IDResident, IDNumber: id}}},
		router, pol)
	if err != nil {
		e.t.Fatal(err)
	}
	if d.Routing.CaseID == nil || d.Routing.OrgCode != org || d.Routing.Assignee != mediator {
		e.t.Fatalf("dispute routed to %+v, want a case of %s assigned to %s", d.Routing, org, mediator)
	}
	ctx := jiefen.NewContextWithActor(context.Background(), jiefen.Actor{Username: mediator, Role: jiefen.RoleMediator})
	c, err := e.db.Mediation.ActOnCase(ctx, *d.Routing.CaseID, sqlstore.CaseAction{Name: "accept",
		Do: func(c *mediation.Case) error { return c.Accept(day, day) }}, e.mediation(day))
	if err != nil {
		e.t.Fatal(err)
	}
	if c.State != mediation.StateAccepted || c.NextDue() == nil {
		e.t.Fatalf("accepted case: state %s, next due %v", c.State, c.NextDue())
	}
	return c
}

// TestScanEscalatesOverdueMediation: a mediation case whose clock ran out
// is told to its mediator and escalated to the leaders of its org, or to
// the city's leaders when its org has none; once.
func TestScanEscalatesOverdueMediation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := newScanEnv(t, db)
		e.user("med-zl", jiefen.RoleMediator, "RZ-ZL-TWH")
		e.user("med-ms", jiefen.RoleMediator, "RZ-MS-TWH")
		e.user("lead-zl", jiefen.RoleLeader, "RZ-ZL-TWH")
		e.user("lead-zl-gone", jiefen.RoleLeader, "RZ-ZL-TWH")
		e.deactivate("lead-zl-gone")
		e.user("lead-city", jiefen.RoleLeader, "")
		e.user("lead-city-2", jiefen.RoleLeader, "")
		e.user("lead-gaj", jiefen.RoleLeader, "RZ-GAJ")
		e.user("fuyi-a", jiefen.RoleReconsideration, "RZ-SFJ")

		accepted := scanDay("2025-01-06")
		zl := e.mediationCase("钟楼街道", scanPartyA, scanPartyAID, accepted, "RZ-ZL-TWH", "med-zl")
		ms := e.mediationCase("煤山街道", scanPartyB, scanPartyBID, accepted, "RZ-MS-TWH", "med-ms")
		due := *zl.NextDue()
		if due != scanDay("2025-02-06") || *ms.NextDue() != due { // one month (人民调解工作若干规定 第33条)
			t.Fatalf("due %s and %s, want 2025-02-06", due, *ms.NextDue())
		}

		if rep := e.scan(due); rep != (sqlstore.ScanReport{}) {
			t.Fatalf("scan on the due day = %+v, want nothing", rep)
		}
		if rep := e.scan(due.AddDays(1)); rep != (sqlstore.ScanReport{Events: 4}) {
			t.Fatalf("scan after the due day = %+v, want 4 events", rep)
		}
		overdue := func(c mediation.Case) string {
			return fmt.Sprintf("mediation.overdue mediation_case/%d %s", c.ID, due)
		}
		escalated := func(c mediation.Case) string {
			return fmt.Sprintf("mediation.escalated mediation_case/%d %s", c.ID, due)
		}
		check := func() {
			e.wantNotes("med-zl", overdue(zl))
			e.wantNotes("med-ms", overdue(ms))
			e.wantNotes("lead-zl", escalated(zl))
			e.wantNotes("lead-zl-gone")
			e.wantNotes("lead-city", escalated(ms))
			e.wantNotes("lead-city-2", escalated(ms))
			e.wantNotes("lead-gaj")
			e.wantNotes("fuyi-a")
		}
		check()
		for _, n := range e.notes("lead-zl") {
			if !strings.Contains(n.Title, zl.DisputeCode) || !strings.Contains(n.Title, "钟楼街道人民调解委员会的调解案件") || !strings.Contains(n.Title, "日届满") {
				t.Errorf("the escalation %q does not name the dispute %s, its org by name and the day in Chinese", n.Title, zl.DisputeCode)
			}
		}

		for _, d := range []calendar.Date{due.AddDays(1), due.AddDays(2)} {
			if rep := e.scan(d); rep != (sqlstore.ScanReport{}) {
				t.Fatalf("scan again on %s = %+v, want nothing new", d, rep)
			}
		}
		check()
	})
}

// TestScanRemindsDueSoon: a clock due within [today, until] is reminded,
// once; one due after until is not.
func TestScanRemindsDueSoon(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := newScanEnv(t, db)
		e.user("med-zl", jiefen.RoleMediator, "RZ-ZL-TWH")
		e.user("lead-city", jiefen.RoleLeader, "")
		e.user("fuyi-a", jiefen.RoleReconsideration, "RZ-SFJ")
		e.user("fuyi-b", jiefen.RoleReconsideration, "")

		soon := e.mediationCase("钟楼街道", scanPartyA, scanPartyAID, scanDay("2025-01-06"), "RZ-ZL-TWH", "med-zl")
		late := e.mediationCase("钟楼街道", scanPartyB, scanPartyBID, scanDay("2025-01-08"), "RZ-ZL-TWH", "med-zl")
		if *soon.NextDue() != scanDay("2025-02-06") || *late.NextDue() != scanDay("2025-02-08") {
			t.Fatalf("due %s and %s, want 2025-02-06 and 2025-02-08", *soon.NextDue(), *late.NextDue())
		}
		today, until := scanDay("2025-02-03"), scanDay("2025-02-07")
		e.on(today)
		n, err := db.Clocks.RemindDueSoon(scanSystem, today, until)
		if err != nil || n != 1 {
			t.Fatalf("RemindDueSoon(%s, %s) = %d, %v; want 1", today, until, n, err)
		}
		e.wantNotes("med-zl", fmt.Sprintf("mediation.due_soon mediation_case/%d 2025-02-06", soon.ID))
		e.wantNotes("lead-city")
		if n, err := db.Clocks.RemindDueSoon(scanSystem, today.AddDays(1), until.AddDays(1)); err != nil || n != 1 {
			t.Fatalf("RemindDueSoon a day later = %d, %v; want 1 (the later case only)", n, err)
		}
		e.wantNotes("med-zl", fmt.Sprintf("mediation.due_soon mediation_case/%d 2025-02-06", soon.ID),
			fmt.Sprintf("mediation.due_soon mediation_case/%d 2025-02-08", late.ID))

		// Reconsideration: review due 2024-10-10, and one received 10-08
		// whose review runs to 10-14 (10-12 is a make-up working day).
		first := e.apply(scanDay("2024-09-27"))
		second := e.apply(scanDay("2024-10-08"))
		if *second.NextDue() != scanDay("2024-10-14") {
			t.Fatalf("second application due %s, want 2024-10-14", *second.NextDue())
		}
		today, until = scanDay("2024-10-08"), scanDay("2024-10-10")
		e.on(today)
		if n, err := db.Clocks.RemindDueSoon(scanSystem, today, until); err != nil || n != 1 {
			t.Fatalf("RemindDueSoon(%s, %s) = %d, %v; want 1", today, until, n, err)
		}
		if n, err := db.Clocks.RemindDueSoon(scanSystem, today, until); err != nil || n != 0 {
			t.Fatalf("RemindDueSoon again = %d, %v; want 0", n, err)
		}
		want := fmt.Sprintf("reconsideration.due_soon reconsideration_case/%d 2024-10-10", first.ID)
		e.wantNotes("fuyi-a", want)
		e.wantNotes("fuyi-b", want)
		e.wantNotes("lead-city")
	})
}

// TestScanHearingAlerts: a key case with a hearing within the window and
// no head confirmed to appear alerts the defendant's staff and the city's
// leaders, once; a head confirmed, a case that is not key, or a hearing
// beyond the window alerts nobody.
func TestScanHearingAlerts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := newScanEnv(t, db)
		e.user("gaj-staff", jiefen.RoleAgencyStaff, "RZ-GAJ")
		e.user("gaj-staff-gone", jiefen.RoleAgencyStaff, "RZ-GAJ")
		e.deactivate("gaj-staff-gone")
		e.user("zrzy-staff", jiefen.RoleAgencyStaff, "RZ-ZRZYJ")
		e.user("rsj-staff", jiefen.RoleAgencyStaff, "RZ-RSJ")
		e.user("lead-city", jiefen.RoleLeader, "")
		e.user("lead-gaj", jiefen.RoleLeader, "RZ-GAJ")
		e.user("liaison", jiefen.RoleCourtLiaison, "RZ-SFJ")

		today := scanDay("2025-06-10")
		e.on(today)
		liaison := jiefen.NewContextWithActor(context.Background(), jiefen.Actor{Username: "liaison", Role: jiefen.RoleCourtLiaison})
		serial := 0
		file := func(agency string, key bool, held calendar.Date, appearer *litigation.Appearer) litigation.Case {
			t.Helper()
			serial++
			f := litigation.Filing{CaseNumber: fmt.Sprintf("（2025）豫0482行初%d号", serial), Defendant: agency, Plaintiff: scanPlaintiff,
				FiledOn: scanDay("2025-03-03")}
			if key {
				f.KeyFlags = []litigation.KeyFlag{litigation.PublicAttention}
			}
			n, err := f.Validate(today)
			if err != nil {
				t.Fatal(err)
			}
			c, err := db.Litigation.CreateLitigation(liaison, f, n)
			if err != nil {
				t.Fatal(err)
			}
			c, err = db.Litigation.ActOnLitigation(liaison, c.ID, sqlstore.LitAction{Name: "hearing", Do: func(c *litigation.Case) error {
				return c.AddHearing(litigation.Hearing{HeldOn: held, Appearer: appearer}, today)
			}})
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		alone := file("RZ-GAJ", true, scanDay("2025-06-12"), nil)
		file("RZ-GAJ", true, scanDay("2025-06-11"), &litigation.Appearer{Name: scanAppearer, Position: litigation.Principal})
		file("RZ-RSJ", true, scanDay("2025-06-13"), &litigation.Appearer{Name: scanAppearer, Position: litigation.Deputy})
		staffOnly := file("RZ-ZRZYJ", true, scanDay("2025-06-13"), &litigation.Appearer{Name: scanAppearer, Position: litigation.Staff})
		file("RZ-GAJ", false, scanDay("2025-06-11"), nil)
		file("RZ-GAJ", true, scanDay("2025-06-14"), nil) // beyond the window
		file("RZ-GAJ", true, scanDay("2025-06-09"), nil) // before today

		n, err := db.Clocks.RemindHearings(scanSystem, today, 3)
		if err != nil || n != 2 {
			t.Fatalf("RemindHearings = %d, %v; want 2", n, err)
		}
		alert := func(c litigation.Case, on string) string {
			return fmt.Sprintf("litigation.hearing_alert litigation_case/%d %s", c.ID, on)
		}
		check := func() {
			e.wantNotes("gaj-staff", alert(alone, "2025-06-12"))
			e.wantNotes("gaj-staff-gone")
			e.wantNotes("zrzy-staff", alert(staffOnly, "2025-06-13"))
			e.wantNotes("rsj-staff")
			e.wantNotes("lead-city", alert(alone, "2025-06-12"), alert(staffOnly, "2025-06-13"))
			e.wantNotes("lead-gaj")
			e.wantNotes("liaison")
		}
		check()
		for _, n := range e.notes("gaj-staff") {
			if !strings.Contains(n.Title, alone.CaseNumber.Canonical) || !strings.Contains(n.Title, "将于2025年6月12日开庭，汝州市公安局负责人") {
				t.Errorf("the alert %q does not name the case %s, the day and the defendant by name", n.Title, alone.CaseNumber.Canonical)
			}
		}
		if n, err := db.Clocks.RemindHearings(scanSystem, today, 3); err != nil || n != 0 {
			t.Fatalf("RemindHearings again = %d, %v; want 0", n, err)
		}
		check()
	})
}

// TestScanCalendarMissing: the admins are told once that a year's holiday
// table is missing.
func TestScanCalendarMissing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := newScanEnv(t, db)
		e.user("admin-a", jiefen.RoleAdmin, "")
		e.user("admin-b", jiefen.RoleAdmin, "")
		e.user("admin-gone", jiefen.RoleAdmin, "")
		e.deactivate("admin-gone")
		e.user("lead-city", jiefen.RoleLeader, "")
		e.on(scanDay("2026-12-01"))
		if n, err := db.Clocks.CalendarMissing(scanSystem, 2027); err != nil || n != 1 {
			t.Fatalf("CalendarMissing(2027) = %d, %v; want 1", n, err)
		}
		if n, err := db.Clocks.CalendarMissing(scanSystem, 2027); err != nil || n != 0 {
			t.Fatalf("CalendarMissing(2027) again = %d, %v; want 0", n, err)
		}
		want := "calendar.missing calendar/2027 -"
		e.wantNotes("admin-a", want)
		e.wantNotes("admin-b", want)
		e.wantNotes("admin-gone")
		e.wantNotes("lead-city")
		if ns := e.notes("admin-a"); !strings.Contains(ns[0].Title, "2027") {
			t.Errorf("title %q does not name the year", ns[0].Title)
		}
	})
}

// TestScansSeeDutiesOnly: a case that reached an agreement has only the
// parties' window to apply for 司法确认 left; when that lapses nobody is
// told and nothing counts overdue. An agreement reached after the
// mediation clock ran out is counted late (超期办结), once, in the year it
// happened; a closed case counts for nothing open.
func TestScansSeeDutiesOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := newScanEnv(t, db)
		e.user("med-zl", jiefen.RoleMediator, "RZ-ZL-TWH")
		e.user("med-ms", jiefen.RoleMediator, "RZ-MS-TWH")
		e.user("lead-city", jiefen.RoleLeader, "")
		accepted := scanDay("2025-01-06") // due 2025-02-06
		onTime := e.mediationCase("钟楼街道", scanPartyA, scanPartyAID, accepted, "RZ-ZL-TWH", "med-zl")
		late := e.mediationCase("煤山街道", scanPartyB, scanPartyBID, accepted, "RZ-MS-TWH", "med-ms")
		act := func(c mediation.Case, who, name string, do func(*mediation.Case) error, day calendar.Date) mediation.Case {
			t.Helper()
			e.on(day)
			ctx := jiefen.NewContextWithActor(context.Background(), jiefen.Actor{Username: who, Role: jiefen.RoleMediator})
			out, err := e.db.Mediation.ActOnCase(ctx, c.ID, sqlstore.CaseAction{Name: name, Do: do}, e.mediation(day))
			if err != nil {
				t.Fatal(err)
			}
			return out
		}
		agree := func(on calendar.Date) func(*mediation.Case) error {
			return func(c *mediation.Case) error {
				return c.Agree(mediation.Agreement{On: on, Terms: "赔偿", EffectiveOn: on}, mediation.TierGeneral, on)
			}
		}
		onTime = act(onTime, "med-zl", "agreement", agree(scanDay("2025-01-20")), scanDay("2025-01-20"))
		late = act(late, "med-ms", "agreement", agree(scanDay("2025-02-10")), scanDay("2025-02-10"))
		if onTime.NextDue() != nil || late.NextDue() != nil {
			t.Fatalf("after the agreements the queue keys are %v and %v, want none", onTime.NextDue(), late.NextDue())
		}
		if k := clockOfCase(late, "mediation.people"); k.State != calendar.Late || k.Done.String() != "2025-02-10" {
			t.Fatalf("the late agreement's clock %+v", k)
		}
		// Long after every window lapsed: no event at all.
		if rep := e.scan(scanDay("2025-06-02")); rep != (sqlstore.ScanReport{}) {
			t.Fatalf("scan = %+v, want nothing: the windows are the parties'", rep)
		}
		e.wantNotes("med-zl")
		e.wantNotes("lead-city")
		sum, err := db.Clocks.ClocksByTrack(context.Background(), scanDay("2025-06-02"), scanDay("2025-06-05"), scanDay("2025-01-01"))
		if err != nil {
			t.Fatal(err)
		}
		if len(sum) != 1 || sum[0] != (sqlstore.TrackClocks{Track: "people", Open: 2, Late: 1}) {
			t.Fatalf("summary %+v, want 2 open people's cases, none overdue, 1 late", sum)
		}
		// The next year counts its own.
		if sum, _ := db.Clocks.ClocksByTrack(context.Background(), scanDay("2026-03-02"), scanDay("2026-03-05"), scanDay("2026-01-01")); sum[0].Late != 0 {
			t.Fatalf("2026 summary %+v", sum)
		}
		// Recounting changes nothing that is right already.
		if n, err := db.Clocks.Recount(context.Background(), true, e.mediation(scanDay("2025-06-02")), e.recon(scanDay("2025-06-02"))); err != nil || n != 0 {
			t.Fatalf("recount changed %d (%v), want 0", n, err)
		}
	})
}

func clockOfCase(c mediation.Case, rule string) calendar.Reading {
	for _, k := range c.Clocks {
		if k.Rule == rule {
			return k
		}
	}
	return calendar.Reading{}
}

// TestRecountLeavesConcurrentWritesAlone: a recount computed from a row
// that an action on another replica then wrote does not put its older
// figures back; and a recount of all cases carries out the requests made
// before it began (the one the migration left, a notice loaded).
func TestRecountLeavesConcurrentWritesAlone(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := newScanEnv(t, db)
		e.user("med-zl", jiefen.RoleMediator, "RZ-ZL-TWH")
		c := e.mediationCase("钟楼街道", scanPartyA, scanPartyAID, scanDay("2025-01-06"), "RZ-ZL-TWH", "med-zl")
		ctx := context.Background()
		if reqs, err := db.Clocks.RecountRequests(ctx); err != nil || !slices.Equal(reqs, []string{"migration 0011"}) {
			t.Fatalf("requests after migrating: %v, %v", reqs, err)
		}
		// Make the stored day differ from what a recount counts, as a
		// notice loaded would.
		if _, err := db.SQL().Exec("UPDATE mediation_cases SET next_due = ? WHERE id = ?", "2025-02-07", c.ID); err != nil {
			t.Fatal(err)
		}
		today := scanDay("2025-01-20")
		e.on(today)
		once := false
		clocks := func(mc *mediation.Case) {
			e.mediation(today)(mc)
			if !once { // meanwhile, another replica records the agreement
				once = true
				act := jiefen.NewContextWithActor(ctx, jiefen.Actor{Username: "med-zl", Role: jiefen.RoleMediator})
				if _, err := db.Mediation.ActOnCase(act, c.ID, sqlstore.CaseAction{Name: "agreement", Do: func(x *mediation.Case) error {
					return x.Agree(mediation.Agreement{On: today, Terms: "赔偿", EffectiveOn: today}, mediation.TierGeneral, today)
				}}, e.mediation(today)); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := db.Clocks.RequestRecount(ctx, "calendar 2025 v1"); err != nil {
			t.Fatal(err)
		}
		if n, err := db.Clocks.Recount(ctx, true, clocks, e.recon(today)); err != nil || n != 0 {
			t.Fatalf("recount changed %d (%v): it wrote over the agreement", n, err)
		}
		var due *string
		var rank int
		if err := db.SQL().QueryRow("SELECT next_due, queue_rank FROM mediation_cases WHERE id = ?", c.ID).Scan(&due, &rank); err != nil {
			t.Fatal(err)
		}
		if due != nil || rank != 1 {
			t.Errorf("after the agreement and the recount: next_due %v, rank %d; want none, 1 (open, only the window left)", due, rank)
		}
		if reqs, err := db.Clocks.RecountRequests(ctx); err != nil || len(reqs) != 0 {
			t.Errorf("requests after a recount of all: %v, %v", reqs, err)
		}
		// A recount of the open cases only leaves a request for the job.
		if err := db.Clocks.RequestRecount(ctx, "calendar 2026 v2"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Clocks.Recount(ctx, false, e.mediation(today), e.recon(today)); err != nil {
			t.Fatal(err)
		}
		if reqs, _ := db.Clocks.RecountRequests(ctx); !slices.Equal(reqs, []string{"calendar 2026 v2"}) {
			t.Errorf("requests after a recount of open cases: %v", reqs)
		}
	})
}
