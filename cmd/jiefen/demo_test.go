package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"jiefen"
	"jiefen/calendar"
	"jiefen/configs"
	"jiefen/internal/auth"
	"jiefen/internal/live"
	"jiefen/internal/sqlstore"
	"jiefen/liaison"
	"jiefen/litigation"
	"jiefen/mediation"
	"jiefen/reconsideration"
	"jiefen/routing"
)

// Issue 18's point 5: `jiefen demo` looks like a real county-level city.
// The tests read the SQLite database that `jiefen demo --disputes 200`
// loaded (sqliteDemo), with the clocks counted as the service counts them.

// demoCity is everything the demo loaded, read back through the store.
type demoCity struct {
	cal         *calendar.Calendar
	rules       *calendar.Rules
	today       calendar.Date
	disputes    []routing.Dispute
	mediation   []mediation.Case
	duties      map[int64]*calendar.Reading // each mediation case's live duty, as queues read it
	recon       []reconsideration.Case
	lawsuits    []litigation.Case
	issues      []liaison.Issue
	suggestions []liaison.Suggestion
}

// loadDemoCity reads the demo database of sqliteDemo.
func loadDemoCity(t *testing.T) demoCity {
	t.Helper()
	dir, _ := sqliteDemo(t)
	return readDemoCity(t, dir, 200, nil)
}

// readDemoCity reads a demo database of the given number of disputes in
// dir, as of now (nil: the clock's now).
func readDemoCity(t *testing.T, dir string, disputes int, now func() time.Time) demoCity {
	t.Helper()
	ctx := context.Background()
	db := openDemo(t, dir)
	t.Cleanup(func() { db.Close() })
	if now != nil {
		db.Now = now
	}
	e, _, _ := testEnv("", demoVars(dir))
	c, err := configs.Load("", e.lookup)
	if err != nil {
		t.Fatal(err)
	}
	rules, err := configs.Rules(c.Calendar.RulesFile)
	if err != nil {
		t.Fatal(err)
	}
	shipped, err := configs.Holidays()
	if err != nil {
		t.Fatal(err)
	}
	cal, err := live.NewCalendar(db, shipped, c.Calendar.Options(), time.Minute).Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	city := demoCity{cal: cal, rules: rules, today: calendar.DateOf(db.Now()), duties: map[int64]*calendar.Reading{}}
	mpol := mediationPolicy(c)
	if city.disputes, err = db.Disputes.ListDisputes(ctx, sqlstore.DisputeFilter{Limit: 100000, Scope: auth.Scope{AllDisputes: true}}); err != nil {
		t.Fatal(err)
	}
	if city.mediation, _, err = db.Mediation.ListMediationCases(ctx, mediation.Filter{Limit: 100000},
		func(mc *mediation.Case) { mpol.Clocks(mc, cal, rules, city.today) }); err != nil {
		t.Fatal(err)
	}
	for i := range city.mediation {
		mc := &city.mediation[i]
		city.duties[mc.ID] = mc.Duty(cal, rules, city.today)
	}
	if city.recon, _, err = db.Reconsideration.ListReconsideration(ctx, reconsideration.Filter{Limit: 100000},
		func(rc *reconsideration.Case) { rc.ComputeClocks(cal, rules, city.today) }); err != nil {
		t.Fatal(err)
	}
	if city.lawsuits, err = db.Litigation.ListLitigation(ctx, litigation.Filter{Limit: 100000}); err != nil {
		t.Fatal(err)
	}
	if city.issues, err = db.Liaison.ListIssues(ctx, liaison.IssueFilter{Limit: 1000}); err != nil {
		t.Fatal(err)
	}
	if city.suggestions, err = db.Liaison.ListSuggestions(ctx, "", false, 1000, 0); err != nil {
		t.Fatal(err)
	}
	if len(city.disputes) != disputes || len(city.mediation)*100 < disputes*75 || len(city.recon) < 100 || len(city.lawsuits) < 100 ||
		len(city.issues) == 0 || len(city.suggestions) == 0 {
		t.Fatalf("the demo loaded %d disputes, %d mediation cases, %d reconsideration cases, %d lawsuits, %d ledger issues, %d suggestions",
			len(city.disputes), len(city.mediation), len(city.recon), len(city.lawsuits), len(city.issues), len(city.suggestions))
	}
	return city
}

// demoProblems are what a check of the demo's data found out of place.
type demoProblems []string

func (p *demoProblems) add(format string, args ...any) { *p = append(*p, fmt.Sprintf(format, args...)) }

// report fails t with the problems found, the first ten in full.
func (p demoProblems) report(t *testing.T, what string) {
	t.Helper()
	if len(p) > 0 {
		t.Errorf("%s: %d problems, the first:\n%s", what, len(p), strings.Join(p[:min(len(p), 10)], "\n"))
	}
}

// TestDemoEventsOnWorkingDays: every day the demo recorded an event on
// (intake, acceptance, sessions, agreement or failure, judicial
// confirmation, follow-up, rectification, close; every step of a
// reconsideration case; filing, hearing, notice and conclusion of a
// lawsuit; the ledger's steps and reports; judicial suggestions received
// and answered) is a working day of the official calendar, and none is
// after today. The day a dispute occurred is the parties' and may be any
// day.
func TestDemoEventsOnWorkingDays(t *testing.T) {
	p, n := loadDemoCity(t).eventDays()
	p.report(t, "event days not working days up to today")
	t.Logf("%d event days checked", n)
}

// eventDays checks the days of every event, and counts them.
func (city demoCity) eventDays() (demoProblems, int) {
	var bad demoProblems
	n := 0
	at := func(what string, d *calendar.Date) {
		if d == nil {
			return
		}
		n++
		ok, err := city.cal.IsWorkday(*d)
		switch {
		case err != nil:
			bad.add("%s on %s: %v", what, *d, err)
		case *d > city.today:
			bad.add("%s on %s, after today %s", what, *d, city.today)
		case !ok:
			bad.add("%s on %s, a %s rest day", what, *d, d.Weekday())
		}
	}
	for _, d := range city.disputes {
		at("dispute "+d.Code+" received", &d.ReceivedOn)
	}
	for _, mc := range city.mediation {
		what := fmt.Sprintf("mediation case %d: ", mc.ID)
		at(what+"opened", &mc.OpenedOn)
		at(what+"accepted", mc.AcceptedOn)
		for i := range mc.Sessions {
			at(what+"session", &mc.Sessions[i].On)
		}
		if a := mc.Agreement; a != nil {
			at(what+"agreement", &a.On)
			at(what+"agreement effective", &a.EffectiveOn)
		}
		if f := mc.Failure; f != nil {
			at(what+"failure", &f.On)
		}
		if cf := mc.Confirmation; cf != nil {
			at(what+"judicial confirmation applied", &cf.AppliedOn)
			at(what+"judicial confirmation answered", cf.ResultOn)
		}
		for i := range mc.FollowUps {
			at(what+"follow-up", &mc.FollowUps[i].On)
		}
		for i := range mc.Rectifications {
			at(what+"rectification opened", &mc.Rectifications[i].OpenedOn)
			at(what+"rectification closed", mc.Rectifications[i].ClosedOn)
		}
		at(what+"closed", mc.ClosedOn)
	}
	for _, rc := range city.recon {
		what := fmt.Sprintf("reconsideration case %d: ", rc.ID)
		at(what+"received", &rc.ReceivedOn)
		for i := range rc.Review {
			at(what+"review "+rc.Review[i].Decision, &rc.Review[i].On)
		}
		at(what+"accepted", rc.AcceptedOn)
		at(what+"copied", rc.CopiedOn)
		if rc.Reply != nil {
			at(what+"reply", &rc.Reply.On)
		}
		for i := range rc.Hearings {
			at(what+"hearing", &rc.Hearings[i].On)
			at(what+"hearing noticed", rc.Hearings[i].NoticedOn)
		}
		for i := range rc.Committee {
			at(what+"committee", &rc.Committee[i].On)
		}
		for i := range rc.Suspensions {
			at(what+"suspended", &rc.Suspensions[i].On)
			at(what+"resumed", rc.Suspensions[i].Resumed)
		}
		if rc.Extension != nil {
			at(what+"extension", &rc.Extension.On)
		}
		if rc.Decision != nil {
			at(what+"decision", &rc.Decision.On)
		}
	}
	for _, lc := range city.lawsuits {
		what := lc.CaseNumber.String() + ": "
		at(what+"filed", &lc.FiledOn)
		for i := range lc.Hearings {
			at(what+"hearing", &lc.Hearings[i].HeldOn)
			at(what+"appearance notice", lc.Hearings[i].NoticeOn)
		}
		if lc.Outcome != nil {
			at(what+"concluded", &lc.Outcome.ConcludedOn)
		}
	}
	for _, is := range city.issues {
		for i := range is.Steps {
			at("ledger issue "+is.Title+" "+string(is.Steps[i].State), &is.Steps[i].On)
		}
		for i := range is.Reports {
			at("ledger issue "+is.Title+" report", &is.Reports[i].On)
		}
		at("ledger issue "+is.Title+" closed", is.ClosedOn)
	}
	for _, s := range city.suggestions {
		at("judicial suggestion "+s.Number+" received", &s.ReceivedOn)
		at("judicial suggestion "+s.Number+" answered", s.RepliedOn)
	}
	return bad, n
}

// TestDemoPartiesHaveOrdinaryNames: the demo's parties (disputes'
// applicants and respondents, reconsideration applicants, plaintiffs) and
// the officials who appeared in court carry names as published judgments
// anonymise them: people 张某某 or 李某, organisations 汝州市某某建材有限公司,
// never a numbered placeholder (申请人12, 原告3); some are organisations.
func TestDemoPartiesHaveOrdinaryNames(t *testing.T) {
	p, info := loadDemoCity(t).names()
	p.report(t, "names")
	t.Log(info)
}

// names checks the names of parties and appearers: a person's is a
// surname (one or two characters) and 某某 or 某; an organisation's holds
// 某某 and ends in what it is; neither is what the demo once called its
// parties. A party, applicant or plaintiff named as an organisation is
// one, with a valid credit code; one named as a person is a person,
// without.
func (city demoCity) names() (demoProblems, string) {
	person := regexp.MustCompile(`^\p{Han}{1,2}某{1,2}$`)
	firm := regexp.MustCompile(`^\p{Han}*某某\p{Han}*(公司|合作社|医院|学校|店)$`)
	placeholder := regexp.MustCompile(`^(申请人|被申请人|原告|被告|第三人|出庭人)\d*$`)
	var bad demoProblems
	firms, people := map[string]int{}, 0
	check := func(what, name string, mustBePerson bool) {
		switch {
		case placeholder.MatchString(name):
			bad.add("%s %q is a placeholder", what, name)
		case person.MatchString(name):
			people++
		case mustBePerson:
			bad.add("%s %q is not a person's anonymised name", what, name)
		case firm.MatchString(name):
			firms[what]++
		default:
			bad.add("%s %q is neither a person's nor an organisation's anonymised name", what, name)
		}
	}
	kind := func(what, name string, k jiefen.PartyKind, code string) {
		switch org := firm.MatchString(name); {
		case org && k != jiefen.PartyOrganisation, !org && k != jiefen.PartyPerson:
			bad.add("%s %q is of kind %q", what, name, k)
		case org:
			if got, err := jiefen.NormalizeCreditCode(code); err != nil || got != code {
				bad.add("%s %q has the credit code %q: %v", what, name, code, err)
			}
		case code != "":
			bad.add("%s %q, a person, has a credit code", what, name)
		}
	}
	for _, d := range city.disputes {
		for _, p := range d.Parties {
			check("dispute party", p.Name, p.Role == jiefen.PartyApplicant)
			kind("dispute party", p.Name, p.Kind, p.CreditCode)
		}
	}
	for _, rc := range city.recon {
		check("reconsideration applicant", rc.Applicant.Name, false)
		kind("reconsideration applicant", rc.Applicant.Name, rc.Applicant.Kind, rc.Applicant.CreditCode)
	}
	for _, lc := range city.lawsuits {
		check("plaintiff", lc.Plaintiff, false)
		kind("plaintiff", lc.Plaintiff, lc.PlaintiffKind, lc.PlaintiffCreditCode)
		for _, h := range lc.Hearings {
			if h.Appearer != nil {
				check("appearer", h.Appearer.Name, true)
			}
		}
	}
	for _, what := range []string{"dispute party", "reconsideration applicant", "plaintiff"} {
		if firms[what] == 0 {
			bad.add("no %s is an organisation", what)
		}
	}
	if people == 0 {
		bad.add("no party is a person")
	}
	return bad, fmt.Sprintf("%d people, organisations: %v", people, firms)
}

// demoActsOf are the acts demoAgencies lets each body be challenged over.
func demoActsOf() map[string][]string {
	acts := map[string][]string{}
	for _, a := range demoAgencies() {
		for _, x := range a.acts {
			acts[a.code] = append(acts[a.code], x.name)
		}
	}
	return acts
}

// demoCompetent says, for words of an act, which bodies can have done it:
// a check of demoAgencies' table from outside it.
func demoCompetent() map[string][]string {
	demolition := []string{"RZ-CGJ", "RZ-ZL", "RZ-MS", "RZ-FXL", "RZ-RN", "RZ-XEH", "RZ-ZYL"}
	return map[string][]string{
		"征收":   {"RZ", "RZ-ZRZYJ", "RZ-ZJJ"},
		"交通":   {"RZ-JJDD"},
		"机动车":  {"RZ-JJDD"},
		"治安":   {"RZ-GAJ"},
		"拘留":   {"RZ-GAJ"},
		"立案":   {"RZ-GAJ"},
		"工伤":   {"RZ-RSJ"},
		"劳动保障": {"RZ-RSJ"},
		"不动产":  {"RZ-ZRZYJ"},
		"土地":   {"RZ-ZRZYJ", "RZ"},
		"企业登记": {"RZ-SCJGJ"},
		"投诉举报": {"RZ-SCJGJ"},
		"拆除":   demolition,
		"复议决定": {"RZ"},
		"预售":   {"RZ-ZJJ"},
		"物业":   {"RZ-ZJJ"},
	}
}

// TestDemoCausesFitTheAgency: every lawsuit's cause and every
// reconsideration's act is one its defendants or respondent do (交警大队 is
// not sued over 征收补偿); the city government is never the respondent of
// its own reconsideration; the suits spread over many bodies, the public
// security bureau and the land bureau among the most sued, the city
// government (over 征收 and 信息公开) and 街道办事处 among them, and some
// name co-defendants.
func TestDemoCausesFitTheAgency(t *testing.T) {
	p, info := loadDemoCity(t).causes()
	p.report(t, "causes")
	t.Log(info)
}

// causes checks the acts challenged against their bodies.
func (city demoCity) causes() (demoProblems, string) {
	acts, competent := demoActsOf(), demoCompetent()
	var bad demoProblems
	check := func(what, body, act string) {
		if !slices.Contains(acts[body], act) {
			bad.add("%s: %s is not challenged over %q", what, body, act)
		}
		for word, bodies := range competent {
			if strings.Contains(act, word) && !slices.Contains(bodies, body) {
				bad.add("%s: %q is not an act of %s", what, act, body)
			}
		}
	}
	sued := map[string]int{}
	joint, rzCauses := 0, map[string]bool{}
	for _, lc := range city.lawsuits {
		for _, d := range lc.Defendants {
			check(lc.CaseNumber.String(), d, lc.Cause)
		}
		sued[lc.Defendant]++
		if len(lc.Defendants) > 1 {
			joint++
		}
		if lc.HasDefendant("RZ") {
			rzCauses[lc.Cause] = true
		}
	}
	if joint == 0 || joint*10 > len(city.lawsuits) {
		bad.add("%d of %d suits name co-defendants, want a few", joint, len(city.lawsuits))
	}
	if !rzCauses["房屋征收补偿决定"] || !rzCauses["政府信息公开答复"] {
		bad.add("the city government is sued over %v, want 征收 and 信息公开 among them", rzCauses)
	}
	if sued["RZ-ZL"]+sued["RZ-MS"]+sued["RZ-FXL"]+sued["RZ-RN"] == 0 {
		bad.add("no 街道办事处 is sued")
	}
	for _, rc := range city.recon {
		check(fmt.Sprintf("reconsideration case %d", rc.ID), rc.Respondent, rc.Act)
		if rc.Respondent == "RZ" {
			bad.add("reconsideration case %d: the city government reviews its own act", rc.ID)
		}
	}
	if len(sued) < 6 {
		bad.add("the suits name %d defendants, want many: %v", len(sued), sued)
	}
	for _, code := range []string{"RZ-GAJ", "RZ-ZRZYJ"} {
		if sued[code]*100 < len(city.lawsuits)*8 {
			bad.add("%s is the defendant of %d of %d suits, want one of the most sued", code, sued[code], len(city.lawsuits))
		}
	}
	return bad, fmt.Sprintf("defendants: %v; %d suits with co-defendants", sued, joint)
}

// demoStage is where a reconsideration case stands: its state and, for an
// accepted case, its latest step.
func demoStage(rc reconsideration.Case) string {
	if rc.State != reconsideration.StateAccepted {
		return string(rc.State)
	}
	switch {
	case rc.Extension != nil:
		return "accepted: extended"
	case len(rc.Suspensions) > 0:
		return "accepted: resumed"
	case len(rc.Committee) > 0:
		return "accepted: committee consulted"
	case len(rc.Hearings) > 0:
		return "accepted: heard"
	case rc.Reply != nil:
		return "accepted: replied"
	case rc.CopiedOn != nil:
		return "accepted: copied"
	case rc.Deemed:
		return "accepted: deemed"
	}
	return "accepted"
}

// TestDemoReconsiderationSpreadsOverItsLife: the reconsideration cases
// stand at many steps (received, materials asked for, accepted and copied,
// replied, heard, committee consulted, suspended, extended, decided,
// rejected), recent ones still running and old ones decided; the major
// ones were put to the committee before their decision.
func TestDemoReconsiderationSpreadsOverItsLife(t *testing.T) {
	p, info := loadDemoCity(t).reconStages()
	p.report(t, "reconsideration")
	t.Log(info)
}

// reconStages checks where the reconsideration cases stand.
func (city demoCity) reconStages() (demoProblems, string) {
	var bad demoProblems
	stages, open := map[string]int{}, map[string]int{}
	for _, rc := range city.recon {
		s := demoStage(rc)
		stages[s]++
		if !rc.Ended() {
			open[s]++
		}
		if rc.Major && rc.Decision != nil && len(rc.Committee) == 0 && rc.Decision.Result != reconsideration.Terminated &&
			rc.Decision.Result != reconsideration.Settled {
			bad.add("reconsideration case %d is major and was decided without the committee", rc.ID)
		}
		if k := calendar.Current(rc.Clocks); k != nil && rc.ReceivedOn < city.today.AddDays(-200) {
			bad.add("reconsideration case %d, received %s, still has a live duty (%s due %v)", rc.ID, rc.ReceivedOn, k.Rule, k.Due)
		}
	}
	if len(stages) < 5 {
		bad.add("the reconsideration cases stand at %d steps, want at least 5: %v", len(stages), stages)
	}
	if len(open) < 3 {
		bad.add("the open reconsideration cases stand at %d steps, want at least 3: %v", len(open), open)
	}
	for _, s := range []string{"decided", "rejected"} {
		if stages[s] == 0 {
			bad.add("no reconsideration case is %s", s)
		}
	}
	if stages["decided"]*2 < len(city.recon) {
		bad.add("%d of %d reconsideration cases decided, want most (three years of them)", stages["decided"], len(city.recon))
	}
	return bad, fmt.Sprintf("stages: %v", stages)
}

// demoShare counts the live duties (running, paused or overdue) of a kind
// of case and the overdue ones, with the rules of these.
type demoShare struct {
	live, overdue int
	rules         map[string]int
}

func (s *demoShare) add(k *calendar.Reading) {
	if k == nil || k.Kind != calendar.Duty || !k.State.Live() {
		return
	}
	s.live++
	if k.State == calendar.Overdue {
		s.overdue++
		if s.rules == nil {
			s.rules = map[string]int{}
		}
		s.rules[k.Rule]++
	}
}

func (s demoShare) String() string {
	if s.live == 0 {
		return "no live duty"
	}
	return fmt.Sprintf("%d of %d live duties overdue (%.1f%%) %v", s.overdue, s.live, 100*float64(s.overdue)/float64(s.live), s.rules)
}

// TestDemoOverdueShareOfACounty: of the open cases with a live duty, only
// a few percent are overdue today, in mediation and in reconsideration
// alike (the old demo left 38%); a county has a few, and the
// reconsideration page shows at least one in red. Old cases are finished:
// no mediation case waits more than five working days to be accepted, and
// none opened more than four months ago has a live duty. A few duties
// were done late (超期办结), not many.
func TestDemoOverdueShareOfACounty(t *testing.T) {
	p, info := loadDemoCity(t).overdue()
	p.report(t, "overdue")
	t.Log(info)
}

// overdue checks the live duties of the mediation and reconsideration
// cases.
func (city demoCity) overdue() (demoProblems, string) {
	var bad demoProblems
	var med, rec demoShare
	late, done := 0, 0
	for _, mc := range city.mediation {
		k := city.duties[mc.ID]
		med.add(k)
		if mc.AcceptedOn == nil && (mc.State == mediation.StateAssigned || mc.State == mediation.StateWaiting) {
			if n, err := city.cal.WorkdaysBetween(mc.OpenedOn, city.today); err != nil || n > 5 {
				bad.add("mediation case %d, opened %s, is not accepted yet (%d working days)", mc.ID, mc.OpenedOn, n)
			}
		}
		if k != nil && k.State.Live() && mc.OpenedOn < city.today.AddDays(-120) {
			bad.add("mediation case %d, opened %s, still has a live duty (%s due %v)", mc.ID, mc.OpenedOn, k.Rule, k.Due)
		}
		for _, c := range mc.Clocks {
			if c.Kind == calendar.Duty && (c.State == calendar.Met || c.State == calendar.Late) {
				done++
				if c.State == calendar.Late {
					late++
				}
			}
		}
	}
	for _, rc := range city.recon {
		rec.add(calendar.Current(rc.Clocks))
	}
	for _, x := range []struct {
		name  string
		share demoShare
	}{{"mediation", med}, {"reconsideration", rec}} {
		if x.share.live == 0 {
			bad.add("%s: no case has a live duty", x.name)
		} else if x.share.overdue*10 >= x.share.live {
			bad.add("%s: %s, want under 10%%", x.name, x.share)
		}
	}
	if rec.overdue == 0 {
		bad.add("reconsideration: none overdue; a county has a few, and the reconsideration page shows them in red")
	}
	if done == 0 || late*10 >= done {
		bad.add("mediation: %d of %d duties done late, want a few", late, done)
	}
	return bad, fmt.Sprintf("mediation: %s; %d of %d duties done late (超期办结). reconsideration: %s", med, late, done, rec)
}

// fingerprint is what the demo loaded, without the instants it was
// written at: the same seed on the same day must give the same one.
func (city demoCity) fingerprint(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	enc := json.NewEncoder(&b)
	var zero time.Time
	put := func(v any) {
		if err := enc.Encode(v); err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range city.disputes {
		d.CreatedAt, d.UpdatedAt, d.History = zero, zero, slices.Clone(d.History)
		for i := range d.History {
			d.History[i].At = zero
		}
		put(d)
	}
	for _, mc := range city.mediation {
		mc.CreatedAt, mc.UpdatedAt = zero, zero
		put(mc)
	}
	for _, rc := range city.recon {
		rc.CreatedAt, rc.UpdatedAt = zero, zero
		put(rc)
	}
	for _, lc := range city.lawsuits {
		lc.CreatedAt, lc.UpdatedAt = zero, zero
		put(lc)
	}
	for _, is := range city.issues {
		is.Created, is.Updated = zero, zero
		put(is)
	}
	for _, s := range city.suggestions {
		s.CreatedAt = zero
		put(s)
	}
	return b.String()
}

// TestDemoSameSeedSameData: `jiefen demo` run again with the same seed on
// the same day loads the same data (the townships once came in a map's
// random order).
func TestDemoSameSeedSameData(t *testing.T) {
	first := loadDemoCity(t).fingerprint(t)
	dir := t.TempDir()
	e, _, errb := testEnv("", demoVars(dir))
	if code := run(context.Background(), []string{"demo", "--disputes", "200", "--seed", "1"}, e); code != 0 {
		t.Fatalf("demo: exit %d: %s", code, errb)
	}
	again := readDemoCity(t, dir, 200, nil).fingerprint(t)
	if again != first {
		a, b := strings.Split(first, "\n"), strings.Split(again, "\n")
		for i := range min(len(a), len(b)) {
			if a[i] != b[i] {
				t.Errorf("the same seed loaded other data; the first difference:\n%s\n%s", a[i], b[i])
				return
			}
		}
		t.Errorf("the same seed loaded other data: %d lines, then %d", len(a), len(b))
	}
}

// TestDemoAccountsAreUsable: `jiefen demo` writes every account it made,
// with its role, org, Chinese display name and password, to a file beside
// the database that only its owner may read, and says where; every one of
// them logs in, the security administrator's among them.
func TestDemoAccountsAreUsable(t *testing.T) {
	dir, stdout := sqliteDemo(t)
	if st, err := os.Stat(filepath.Join(demo.dir, "demo-accounts.txt")); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("the demo accounts file: %v (mode %v), want mode 0600", err, st)
	}
	if !strings.Contains(stdout, filepath.Join(demo.dir, "demo-accounts.txt")) || !strings.Contains(stdout, "demo-security") {
		t.Errorf("the demo's output names neither the accounts file nor the security administrator:\n%s", stdout)
	}
	b, err := os.ReadFile(filepath.Join(dir, "demo-accounts.txt"))
	if err != nil {
		t.Fatal(err)
	}
	db := openDemo(t, dir)
	defer db.Close()
	ctx := context.Background()
	han := regexp.MustCompile(`^\p{Han}{2,3}$`)
	roles := map[jiefen.Role]int{}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if len(f) != 5 {
			t.Fatalf("line %q: want username, role, org, name and password", line)
		}
		u, err := db.Users.Login(ctx, f[0], f[4], "token-of-"+f[0], auth.Lockout{Failures: 5, Window: time.Minute, Duration: time.Minute})
		if err != nil {
			t.Errorf("%s cannot log in with the password of the file: %v", f[0], err)
			continue
		}
		if string(u.Role) != f[1] || u.Name != f[3] || !han.MatchString(u.Name) || u.MustChangePassword {
			t.Errorf("%s: %+v, the file says %v", f[0], u, f)
		}
		roles[u.Role]++
	}
	if len(roles) != len(jiefen.Roles()) || roles[jiefen.RoleMediator] < 40 {
		t.Errorf("the demo accounts by role: %v", roles)
	}
}
