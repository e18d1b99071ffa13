package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"maps"
	"math"
	mrand "math/rand"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"jiefen"
	"jiefen/calendar"
	"jiefen/configs"
	"jiefen/internal/auth"
	"jiefen/internal/httpapi"
	"jiefen/internal/live"
	"jiefen/internal/sqlstore"
	"jiefen/liaison"
	"jiefen/litigation"
	"jiefen/mediation"
	"jiefen/reconsideration"
	"jiefen/routing"
)

// The demo's yearly volumes besides the disputes: a county-level city's
// reconsideration applications and administrative lawsuits (applications
// rising since the 2023 revision made reconsideration the main channel,
// first-instance suits falling).
const (
	demoReconPerYear   = 100
	demoLawsuitPerYear = 110 // besides the suits that follow a reconsideration decision
)

// demoCmd loads a realistic data set of the model city into the database:
// its organisations, a user for every duty (with a Chinese display name;
// every password in a file readable by its owner only, beside the
// database, and the key accounts' also printed once), and
// disputes, reconsideration cases and lawsuits over three years, each
// routed and worked as its staff would have: every event on a working day
// of the official calendar and none after today, most work done within its
// statutory period, a few duties done late (超期办结) and a few percent of
// the open cases overdue.
func demoCmd(ctx context.Context, args []string, e env) error {
	fs, cfgPath := newFlags("demo")
	n := fs.Int("disputes", 3000, "登记的纠纷件数 `N`")
	seed := fs.Int64("seed", 1, "随机数种子 `S`（同一种子在同一天生成同样的数据）")
	accountsFile := fs.String("accounts-file", "", "写入全部演示账号及其密码的文件 `FILE`（不填则为 SQLite 数据库旁的 demo-accounts.txt，MySQL 时为工作目录下的该文件）")
	if err := parseFlags(fs, args, e); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef(fs, "多余的参数 %s", strings.Join(fs.Args(), " "))
	}
	c, db, err := openMigrated(ctx, *cfgPath, e, true)
	if err != nil {
		return err
	}
	if *accountsFile == "" {
		*accountsFile = "demo-accounts.txt"
		if beside := besideDatabase(c, "", "demo-accounts.txt"); beside != "" {
			*accountsFile = beside
		}
	}
	defer db.Close()
	if _, err := db.Users.User(ctx, "demo-admin"); err == nil {
		return errors.New("演示数据已载入过（账号 demo-admin 已存在）")
	}
	clocks, err := configs.Rules(c.Calendar.RulesFile)
	if err != nil {
		return err
	}
	if err := prepareRouting(ctx, db, c, clocks); err != nil {
		return err
	}
	shipped, err := configs.Holidays()
	if err != nil {
		return err
	}
	cal := live.NewCalendar(db, shipped, c.Calendar.Options(), time.Minute)
	router, err := live.NewRouting(db, cal, clocks, time.Minute).Router(ctx)
	if err != nil {
		return err
	}
	sys := cliContext(ctx, "demo")
	rng := mrand.New(mrand.NewSource(*seed))

	set, err := db.Routing.RoutingRules(ctx)
	if err != nil {
		return err
	}
	type account struct {
		name string
		role jiefen.Role
		org  string
	}
	accounts := []account{{"demo-admin", jiefen.RoleAdmin, ""}, {"demo-security", jiefen.RoleSecurity, ""}, {"demo-auditor", jiefen.RoleAuditor, ""},
		{"demo-intake", jiefen.RoleIntake, ""}, {"demo-leader", jiefen.RoleLeader, ""},
		{"demo-fuyi", jiefen.RoleReconsideration, "RZ-SFJ"}, {"demo-liaison", jiefen.RoleCourtLiaison, "RZ-SFJ"},
		{"demo-gaj-legal", jiefen.RoleAgencyStaff, "RZ-GAJ"}, {"demo-zrzy-legal", jiefen.RoleAgencyStaff, "RZ-ZRZYJ"}}
	mediatorOrgs := []string{"RZ-FY", "RZ-SCJGJ", "RZ-RSJ", "RZ-JJDD", "RZ-YLJF-TWH", "RZ-WYJF-TWH"}
	mediatorOrgs = append(mediatorOrgs, slices.Sorted(maps.Values(set.Townships))...)
	for _, org := range mediatorOrgs {
		for i := 1; i <= 2; i++ {
			accounts = append(accounts, account{fmt.Sprintf("demo-%s-%d", strings.ToLower(org), i), jiefen.RoleMediator, org})
		}
	}
	// The passwords are hashed on every CPU at once: hashing is most of
	// the time a small demo takes.
	type made struct {
		user jiefen.User
		pw   string
		hash string
		err  error
	}
	users := make([]made, len(accounts))
	var wg sync.WaitGroup
	free := make(chan struct{}, runtime.NumCPU())
	for i, a := range accounts {
		wg.Add(1)
		free <- struct{}{}
		go func() {
			defer func() { <-free; wg.Done() }()
			m := &users[i]
			m.pw = demoPassword()
			m.user, m.hash, m.err = httpapi.NewUser(auth.DefaultHasher(), auth.DefaultPasswordPolicy(), a.name, m.pw, a.role, a.org, demoStaffName(i))
		}()
	}
	wg.Wait()
	var list strings.Builder
	fmt.Fprintf(&list, "# jiefen 演示账号：登录名、角色、单位、姓名、密码（生成于 %s）\n", db.Now().Format(time.RFC3339))
	for i, a := range accounts {
		m := users[i]
		if m.err != nil {
			return m.err
		}
		if _, err := db.Users.CreateUser(sys, m.user, m.hash); err != nil {
			return fmt.Errorf("%s: %v", a.name, err.(*jiefen.Error).Unwrap())
		}
		fmt.Fprintf(&list, "%-24s %-16s %-12s %s\t%s\n", a.name, a.role, orDash(a.org), m.user.Name, m.pw)
	}
	if err := writePrivate(*accountsFile, list.String()); err != nil {
		return fmt.Errorf("无法写入演示账号文件 %s：%w", *accountsFile, err)
	}
	fmt.Fprintln(e.stdout, "演示账号（请记下，密码不再显示）：")
	for i, a := range accounts {
		if a.role != jiefen.RoleMediator || strings.HasSuffix(a.name, "-1") && (a.org == "RZ-ZL-TWH" || a.org == "RZ-FY") {
			fmt.Fprintf(e.stdout, "  %-24s %-16s %-10s %s\n", a.name, a.role, a.org, users[i].pw)
		}
	}
	fmt.Fprintf(e.stdout, "全部 %d 个演示账号及其姓名、密码已写入 %s（仅本人可读）\n", len(accounts), *accountsFile)

	var towns []string
	for _, t := range slices.Sorted(maps.Keys(set.Townships)) { // a map's order is random; the seed's data must not be
		towns = append(towns, "汝州市"+t)
	}
	start := calendar.NewDate(2024, time.January, 2)
	today := calendar.DateOf(db.Now())
	intakeCtx := jiefen.NewContextWithActor(sys, jiefen.Actor{Username: "demo-intake", Role: jiefen.RoleIntake})
	pol := intakePolicy(c)
	days, err := cal.Get(ctx)
	if err != nil {
		return err
	}
	w := &demoDays{cal: days, today: today}
	mpol := mediationPolicy(c)
	caseClocks := func(mc *mediation.Case) { mpol.Clocks(mc, days, clocks, today) }
	// The disputes come in at a pace that grew as more desks joined the
	// platform, registered in the order they came in, so that each
	// mediator's load is what it was on the day. A county leaves a few
	// cases overdue: about one for every 25 disputes of the last month; the
	// other cases planned to finish late finished on time.
	intakes := w.spread(rng, *n, start, today, 0.8)
	overdue := 0
	for _, on := range intakes {
		if on > today.AddDays(-30) {
			overdue++
		}
	}
	overdue /= 25
	for i, on := range intakes {
		in, kind := demoDispute(rng, towns, on, db.Now())
		d, err := db.Disputes.RegisterDispute(intakeCtx, in, router, pol)
		if err != nil {
			return fmt.Errorf("dispute %d: %w", i+1, err)
		}
		if d.Routing.CaseID != nil && d.Routing.Assignee != "" {
			if err := demoMediation(sys, db, rng, w, d, in.Parties, kind, &overdue, caseClocks); err != nil {
				return fmt.Errorf("dispute %d, case %d: %w", i+1, *d.Routing.CaseID, err)
			}
		}
		if (i+1)%500 == 0 {
			fmt.Fprintf(e.stdout, "已登记纠纷 %d 件\n", i+1)
		}
	}
	if w.err != nil {
		return w.err
	}
	fmt.Fprintf(e.stdout, "已载入 %s 至 %s 的纠纷 %d 件\n", start, today, *n)
	liaisonCtx := jiefen.NewContextWithActor(sys, jiefen.Actor{Username: "demo-liaison", Role: jiefen.RoleCourtLiaison})
	fuyiCtx := jiefen.NewContextWithActor(sys, jiefen.Actor{Username: "demo-fuyi", Role: jiefen.RoleReconsideration})
	recon := func(c *reconsideration.Case) { c.ComputeClocks(days, clocks, today) }
	agencies, err := demoChallenged(ctx, db)
	if err != nil {
		return err
	}
	recons, decided, err := demoReconsideration(fuyiCtx, db, rng, w, agencies, clocks, start, recon)
	if err != nil {
		return err
	}
	lits, err := demoLitigation(liaisonCtx, db, rng, w, agencies, start, decided)
	if err != nil {
		return err
	}
	if err := demoLedger(liaisonCtx, db, rng, w); err != nil {
		return err
	}
	if err := demoSuggestions(liaisonCtx, db, rng, w); err != nil {
		return err
	}
	if w.err != nil {
		return w.err
	}
	fmt.Fprintf(e.stdout, "已载入复议案件 %d 件、行政诉讼案件 %d 件，以及台账和司法建议\n", recons, lits)
	return nil
}

// demoDays finds the days of the demo's events on the city's calendar:
// every event of the demo happens on a working day (调休 make-up working
// days included) and none after today. It keeps the first error of the
// calendar (a year it cannot count), which the demo reports at the end.
type demoDays struct {
	cal   *calendar.Calendar
	today calendar.Date
	err   error
}

// keep records the first error.
func (w *demoDays) keep(d calendar.Date, err error) calendar.Date {
	if err != nil && w.err == nil {
		w.err = err
	}
	return d
}

// on returns d when it is a working day, else the first working day after
// it.
func (w *demoDays) on(d calendar.Date) calendar.Date {
	x, err := w.cal.NextWorkday(d)
	return w.keep(x, err)
}

// after returns the n-th working day after d; for n = 0, the working day
// of d (d, or the first working day after it).
func (w *demoDays) after(d calendar.Date, n int) calendar.Date {
	if n <= 0 {
		return w.on(d)
	}
	x, err := w.cal.AddWorkdays(d, n)
	return w.keep(x, err)
}

// upTo returns d when it is a working day, else the last working day
// before it.
func (w *demoDays) upTo(d calendar.Date) calendar.Date {
	if ok, err := w.cal.IsWorkday(d); err != nil || ok {
		return w.keep(d, err)
	}
	x, err := w.cal.AddWorkdays(d, -1)
	return w.keep(x, err)
}

// before returns the n-th working day before d.
func (w *demoDays) before(d calendar.Date, n int) calendar.Date {
	x, err := w.cal.AddWorkdays(d, -n)
	return w.keep(x, err)
}

// within returns a working day from lo to hi, inclusive, drawn evenly
// among them; lo when there is none after it.
func (w *demoDays) within(rng *mrand.Rand, lo, hi calendar.Date) calendar.Date {
	lo = w.on(lo)
	if hi <= lo {
		return lo
	}
	n, err := w.cal.WorkdaysBetween(lo, hi)
	if w.keep(0, err); err != nil || n == 0 {
		return lo
	}
	return w.after(lo, rng.Intn(n+1))
}

// spread draws n working days from lo to hi, in order, one in each n-th
// part of the span, so that every month has its share: g = 0 keeps an even
// pace; g in (-2, 2) makes the pace grow evenly (fall, when negative) from
// 1-g/2 times the mean at lo to 1+g/2 times it at hi.
func (w *demoDays) spread(rng *mrand.Rand, n int, lo, hi calendar.Date, g float64) []calendar.Date {
	var all []calendar.Date
	for d := w.on(lo); d <= hi && w.err == nil; d = w.after(d, 1) {
		all = append(all, d)
	}
	out := make([]calendar.Date, 0, n)
	for i := 0; i < n && len(all) > 0; i++ {
		u := (float64(i) + rng.Float64()) / float64(n)
		x := u // the inverse of the distribution whose density is 1 + g(x - 1/2) on [0, 1)
		if g != 0 {
			b := 1 - g/2
			x = (-b + math.Sqrt(b*b+2*g*u)) / g
		}
		out = append(out, all[min(int(x*float64(len(all))), len(all)-1)])
	}
	return out
}

// duty returns the day a duty due on due is done, lo to hi working days
// after from: on time (by the last working day up to due) unless it is
// one of the latePct percent done late, one to eight working days after
// due. A late duty that would still be undone today, and so overdue, is
// done on time instead: the demo leaves its few overdue cases by plan, not
// by chance.
func (w *demoDays) duty(rng *mrand.Rand, from calendar.Date, lo, hi int, due calendar.Date, latePct int) calendar.Date {
	on := w.after(from, lo+rng.Intn(hi-lo+1))
	if rng.Intn(100) < latePct {
		late := w.after(due, 1+rng.Intn(8))
		if late <= w.today || due >= w.today {
			return late
		}
	}
	return max(from, min(on, w.upTo(due)))
}

// demoRun records a case's planned events in order, as its staff would
// have, up to today: the first event after today, and every one after it,
// has not happened yet.
type demoRun struct {
	today   calendar.Date
	stopped bool
	err     error
}

// at records the event of day on with do, and reports whether it was
// recorded.
func (r *demoRun) at(on calendar.Date, do func() error) bool {
	if r.stopped || r.err != nil || on > r.today {
		r.stopped = true
		return false
	}
	r.err = do()
	return r.err == nil
}

// demoPick returns one of items, each as likely as its weight.
func demoPick[T any](rng *mrand.Rand, items []T, weight func(T) int) T {
	total := 0
	for _, it := range items {
		total += weight(it)
	}
	k := rng.Intn(total)
	for _, it := range items {
		if k -= weight(it); k < 0 {
			return it
		}
	}
	return items[len(items)-1]
}

// demoWeighted is a value and how often it comes up.
type demoWeighted[T any] struct {
	v T
	n int
}

// demoOne returns one of the values, each as likely as its weight.
func demoOne[T any](rng *mrand.Rand, items ...demoWeighted[T]) T {
	return demoPick(rng, items, func(x demoWeighted[T]) int { return x.n }).v
}

// demoAct is an administrative act that applicants and plaintiffs
// challenge: firm is the percent of challengers that are organisations,
// lossy marks an act that reconsideration bodies and courts correct more
// often (强拆, 征收, 信息公开), major one whose cases are often major
// (重大、疑难, the committee must be consulted) or carry a risk of mass
// incidents.
type demoAct struct {
	name  string
	firm  int
	lossy bool
	major bool
}

// demoAgency is an administrative body whose acts are challenged: how
// often, relative to the others, it is sued and asked to reconsider, and
// the acts of its own that are. The city government is sued (征收,
// 信息公开, and as the reconsideration body) but is never the respondent of
// the city's own reconsideration: its acts go to 平顶山市人民政府.
type demoAgency struct {
	code  string
	sued  int
	recon int
	acts  []demoAct
}

// demoAgencies are the bodies the demo's cases challenge, each with the
// acts of its own duties (交警大队 is not challenged over 征收补偿).
func demoAgencies() []demoAgency {
	demolition := []demoAct{{"强制拆除", 10, true, true}, {"政府信息公开答复", 0, true, false}, {"责令限期拆除决定", 10, false, false}}
	return []demoAgency{
		{"RZ-GAJ", 14, 26, []demoAct{{"治安管理处罚决定", 0, false, false}, {"行政拘留", 0, false, false}, {"不予立案决定", 0, false, false}}},
		{"RZ-JJDD", 5, 9, []demoAct{{"道路交通安全违法行为处罚决定", 5, false, false}, {"交通事故认定", 0, false, false}, {"扣留机动车", 10, false, false}}},
		{"RZ-ZRZYJ", 14, 14, []demoAct{{"不动产登记", 20, false, false}, {"土地违法行政处罚", 35, false, false},
			{"征收土地补偿安置", 5, true, true}, {"土地权属争议处理决定", 10, false, false}}},
		{"RZ-SCJGJ", 6, 10, []demoAct{{"行政处罚决定", 60, false, false}, {"企业登记", 70, false, false}, {"投诉举报处理", 10, false, false}}},
		{"RZ-RSJ", 9, 12, []demoAct{{"工伤认定", 30, false, false}, {"劳动保障监察处理决定", 50, false, false}}},
		{"RZ-ZJJ", 6, 6, []demoAct{{"房屋征收补偿协议", 5, true, true}, {"商品房预售许可", 40, false, false}, {"物业服务监管投诉处理", 10, false, false}}},
		{"RZ-CGJ", 6, 6, []demoAct{{"违法建设限期拆除决定", 15, false, false}, {"城市管理行政处罚决定", 30, false, false}, {"强制拆除", 10, true, true}}},
		{"RZ", 14, 0, []demoAct{{"房屋征收补偿决定", 5, true, true}, {"政府信息公开答复", 0, true, false}, {"行政复议决定", 15, false, false},
			{"征收土地补偿安置", 5, true, true}}},
		{"RZ-ZL", 5, 4, demolition},
		{"RZ-MS", 4, 3, demolition},
		{"RZ-FXL", 3, 3, demolition},
		{"RZ-RN", 2, 2, demolition},
	}
}

// demoJoined names, for an act, the body a suit over it often names beside
// its defendant (共同被告): a 街道's forced demolition is carried out with
// the 城管局, and the land bureau's 征地补偿安置 rests on the city
// government's approval (土地管理法 第47条). Both bodies have the act among
// their own (demoAgencies).
func demoJoined() map[string]string {
	return map[string]string{"强制拆除": "RZ-CGJ", "征收土地补偿安置": "RZ"}
}

// demoChallenged returns the bodies of demoAgencies that the store takes
// as a respondent or defendant: those of the city's org table (which a
// city may replace) of a kind that can be challenged.
func demoChallenged(ctx context.Context, db *sqlstore.DB) ([]demoAgency, error) {
	var out []demoAgency
	for _, a := range demoAgencies() {
		code, err := db.Litigation.ResolveAgency(ctx, a.code, "defendant")
		var je *jiefen.Error
		switch {
		case err == nil && code == a.code:
			out = append(out, a)
		case err != nil && !(errors.As(err, &je) && je.Code == jiefen.EINVALID):
			return nil, err
		}
	}
	if !slices.ContainsFunc(out, func(a demoAgency) bool { return a.recon > 0 }) || !slices.ContainsFunc(out, func(a demoAgency) bool { return a.sued > 0 }) {
		return nil, errors.New("the org table lacks the agencies whose acts the demo's cases challenge")
	}
	return out, nil
}

// demoDecided is a reconsideration decision its applicant may take to
// court: the case, who applied, against whom, over what, and when.
type demoDecided struct {
	id         int64
	applicant  jiefen.Party
	respondent string
	act        demoAct
	on         calendar.Date
}

// demoReconsideration loads the reconsideration applications of three
// years, rising year on year, each worked as far as it has come by today
// (see demoReconCase). One application received some six weeks ago still
// waits for the respondent's reply, which is overdue: the overdue work a
// county has at any time. It returns how many it loaded and the decisions
// that left the applicant able to sue.
func demoReconsideration(ctx context.Context, db *sqlstore.DB, rng *mrand.Rand, w *demoDays, agencies []demoAgency, rules *calendar.Rules,
	start calendar.Date, clocks sqlstore.ReconClocks) (int, []demoDecided, error) {
	received := w.spread(rng, int(w.today-start)*demoReconPerYear/365, start, w.today, 1)
	stuck := -1
	for i, d := range received {
		if d <= w.today.AddDays(-42) {
			stuck = i
		}
	}
	var decided []demoDecided
	for i, on := range received {
		ag := demoPick(rng, agencies, func(a demoAgency) int { return a.recon })
		act := ag.acts[rng.Intn(len(ag.acts))]
		a := reconsideration.Application{Applicant: demoChallenger(rng, act, jiefen.PartyApplicant), Respondent: ag.code, Act: act.name,
			ReceivedOn: on, Procedure: reconsideration.Ordinary}
		switch {
		case i == stuck:
		case act.major && rng.Intn(3) == 0 || rng.Intn(25) == 0:
			a.Major = true
		case rng.Intn(5) == 0:
			a.Procedure = reconsideration.Simplified
		}
		if err := a.Validate(db.Now()); err != nil {
			return 0, nil, err
		}
		rc, err := db.Reconsideration.CreateReconsideration(ctx, a, clocks)
		if err != nil {
			return 0, nil, err
		}
		on, lost, err := demoReconCase(ctx, db, rng, w, rules, clocks, rc, i == stuck)
		if err != nil {
			return 0, nil, fmt.Errorf("reconsideration case %d: %w", rc.ID, err)
		}
		if lost {
			decided = append(decided, demoDecided{id: rc.ID, applicant: a.Applicant, respondent: ag.code, act: act, on: on})
		}
	}
	return len(received), decided, nil
}

// demoReconCase works a reconsideration case as far as it has come by
// today: the acceptance review within five working days (some applicants
// asked for materials, a few refused, a few applications deemed accepted
// by the law), the copy to the respondent and its reply, a hearing and
// the committee for some (always for a major case), a suspension or an
// extension for a few, and the decision within its period, a few late.
// When stuck, the respondent never replies. It returns the day of the
// decision and whether the applicant lost it (维持, 驳回) and may sue.
func demoReconCase(ctx context.Context, db *sqlstore.DB, rng *mrand.Rand, w *demoDays, rules *calendar.Rules, clocks sqlstore.ReconClocks,
	rc reconsideration.Case, stuck bool) (calendar.Date, bool, error) {
	run := demoRun{today: w.today}
	record := func(name string, do func(c *reconsideration.Case) error) func() error {
		return func() error {
			_, err := db.Reconsideration.ActOnReconsideration(ctx, rc.ID, sqlstore.ReconAction{Name: name, Do: do}, clocks)
			return err
		}
	}
	// The acceptance review: five working days from receipt, or from the
	// receipt of the materials asked for (第30–31条).
	review := rc.ReceivedOn
	fate := rng.Intn(100)
	if stuck {
		fate = 99
	}
	if fate < 8 {
		asked := w.after(review, 1+rng.Intn(4))
		if !run.at(asked, record("acceptance", func(c *reconsideration.Case) error {
			return c.ReviewDecision(reconsideration.RequestMaterials, "申请材料不齐全，请补正身份证明及原行政行为相关材料", asked, w.today)
		})) {
			return 0, false, run.err
		}
		review = w.after(asked, 2+rng.Intn(7))
		if !run.at(review, record("materials", func(c *reconsideration.Case) error { return c.MaterialsReceived(review, w.today) })) {
			return 0, false, run.err
		}
	}
	var accepted calendar.Date
	switch {
	case fate >= 8 && fate < 14: // refused (不予受理)
		on := w.after(review, 1+rng.Intn(5))
		run.at(on, record("acceptance", func(c *reconsideration.Case) error {
			return c.ReviewDecision(reconsideration.Reject, "申请超过法定申请期限，且无正当理由", on, w.today)
		}))
		return 0, false, run.err
	case fate >= 14 && fate < 16: // no decision in time: deemed accepted from the review's last day (第30条)
		accepted = w.after(review, 5)
	default:
		accepted = w.after(review, 1+rng.Intn(4))
		if !run.at(accepted, record("acceptance", func(c *reconsideration.Case) error {
			return c.ReviewDecision(reconsideration.Accept, "", accepted, w.today)
		})) {
			return 0, false, run.err
		}
	}
	// The copy to the respondent and its reply (第48条; 第54条 under the
	// simplified procedure).
	copyDays, replyDays := 7, 10
	if rc.Procedure == reconsideration.Simplified {
		copyDays, replyDays = 3, 5
	}
	copied := w.duty(rng, accepted, 1, copyDays-2, w.after(accepted, copyDays), 1)
	if !run.at(copied, record("copy", func(c *reconsideration.Case) error { return c.Copy(copied, w.today) })) || stuck {
		return 0, false, run.err
	}
	replied := w.duty(rng, copied, 2, replyDays-1, w.after(copied, replyDays), 3)
	if !run.at(replied, record("reply", func(c *reconsideration.Case) error {
		return c.Answer(reconsideration.Reply{On: replied, Text: "被申请人认为原行政行为认定事实清楚，证据确凿，程序合法，请求予以维持",
			Evidence: []string{"原行政行为决定书", "调查笔录", "送达回证"}}, w.today)
	})) {
		return 0, false, run.err
	}
	// What remains happens in the order of its days.
	last := replied
	var events []demoEvent
	var pauses []calendar.Pause
	var extension []int
	if rc.Procedure == reconsideration.Ordinary {
		if rc.Major || rng.Intn(8) == 0 { // a hearing (第50条), noticed five working days ahead (第51条)
			heard := w.after(last, 5+rng.Intn(8))
			noticed := w.before(heard, 5+rng.Intn(4))
			events = append(events, demoEvent{heard, "hearing", func(c *reconsideration.Case) error {
				return c.Hear(reconsideration.Hearing{On: heard, NoticedOn: &noticed, Place: "汝州市行政复议听证室"}, w.today)
			}})
			last = heard
		}
		if rc.Major || rng.Intn(25) == 0 { // the committee's opinion (第52条)
			on := w.after(last, 3+rng.Intn(8))
			events = append(events, demoEvent{on, "committee_review", func(c *reconsideration.Case) error {
				return c.Consult(reconsideration.Opinion{On: on, Opinion: "委员会经咨询认为，原行政行为认定事实基本清楚，建议结合听证情况依法作出决定"}, w.today)
			}})
			last = on
		}
		if rng.Intn(16) == 0 { // suspended (第39条) until the other matter is settled
			from := w.after(last, 2+rng.Intn(5))
			resumed := w.on(from.AddDays(15 + rng.Intn(45)))
			events = append(events, demoEvent{from, "suspension", func(c *reconsideration.Case) error {
				return c.Suspend("案件审理需要以其他案件的审理结果为依据，而其他案件尚未审结", from, w.today)
			}}, demoEvent{resumed, "resumption", func(c *reconsideration.Case) error { return c.Resume(resumed, w.today) }})
			pauses = append(pauses, calendar.Pause{From: from, Resumed: &resumed})
			last = resumed
		}
	}
	rule := reconsideration.RuleDecision
	if rc.Procedure == reconsideration.Simplified {
		rule = reconsideration.RuleDecisionSimplified
	}
	r, _ := rules.Rule(rule)
	due := func() calendar.Date {
		d, err := w.cal.Due(calendar.Clock{From: accepted, Period: r.Period(), Pauses: pauses, Extensions: extension}, w.today)
		return w.keep(d, err)
	}
	earliest := w.after(last, 1)
	if rc.Procedure == reconsideration.Ordinary {
		earliest = max(earliest, w.on(accepted.AddDays(20)))
		// A case that cannot be decided well within sixty days is extended
		// by thirty with approval before the period runs out (第62条).
		if d := due(); w.after(last, 3) > d || rng.Intn(12) == 0 {
			on := max(w.before(d, 2+rng.Intn(5)), accepted)
			extension = []int{reconsideration.MaxExtensionDays}
			events = append(events, demoEvent{on, "extension", func(c *reconsideration.Case) error {
				return c.Extend(reconsideration.Extension{On: on, Days: reconsideration.MaxExtensionDays, Reason: "案情重大、复杂，需要延长审理期限"}, w.today)
			}})
			earliest = max(earliest, w.after(on, 1))
		}
	}
	d := due()
	decided := w.within(rng, earliest, w.upTo(d))
	if late := w.after(d, 1+rng.Intn(6)); rng.Intn(100) < 2 && (late <= w.today || d >= w.today) {
		decided = late
	}
	result := demoOne(rng, []demoWeighted[reconsideration.Result]{{reconsideration.Upheld, 40}, {reconsideration.Dismissed, 12},
		{reconsideration.Annulled, 8}, {reconsideration.ConfirmedUnlawful, 7}, {reconsideration.OrderedPerformance, 4},
		{reconsideration.Varied, 2}, {reconsideration.ConfirmedVoid, 1}, {reconsideration.Mediated, 10},
		{reconsideration.Settled, 9}, {reconsideration.Terminated, 7}}...)
	events = append(events, demoEvent{decided, "decision", func(c *reconsideration.Case) error {
		return c.Decide(reconsideration.Decision{On: decided, Result: result}, w.today)
	}})
	slices.SortStableFunc(events, func(x, y demoEvent) int { return int(x.on - y.on) })
	for _, ev := range events {
		if !run.at(ev.on, record(ev.name, ev.do)) {
			return 0, false, run.err
		}
	}
	return decided, result == reconsideration.Upheld || result == reconsideration.Dismissed, nil
}

// demoEvent is a planned event of a reconsideration case: its day, its
// name in the audit log and what it records.
type demoEvent struct {
	on   calendar.Date
	name string
	do   func(c *reconsideration.Case) error
}

// demoLitigation loads three years of first-instance administrative suits
// against the city's agencies, townships and government, fewer each year
// (双下降), each numbered in the order the court filed it: a share of them
// follow a reconsideration decision on the same act (filed within the 15
// days of 行政诉讼法 第45条), the rest are brought directly, a third of
// those over an act of demoJoined naming its second body as co-defendant. Each is heard
// one to three months after filing, with the head or a deputy appearing in
// most and always in key cases, and concluded within the six months of
// first instance; a few are withdrawn or dismissed without a hearing. It
// returns how many it loaded.
func demoLitigation(ctx context.Context, db *sqlstore.DB, rng *mrand.Rand, w *demoDays, agencies []demoAgency, start calendar.Date,
	decided []demoDecided) (int, error) {
	type suit struct {
		filed     calendar.Date
		defendant string
		co        string // a co-defendant (共同被告), or ""
		plaintiff jiefen.Party
		act       demoAct
		reconID   *int64
	}
	var suits []suit
	for _, on := range w.spread(rng, int(w.today-start)*demoLawsuitPerYear/365, start, w.today, -0.8) {
		ag := demoPick(rng, agencies, func(a demoAgency) int { return a.sued })
		act := ag.acts[rng.Intn(len(ag.acts))]
		s := suit{filed: on, defendant: ag.code, plaintiff: demoChallenger(rng, act, jiefen.PartyApplicant), act: act}
		if co, ok := demoJoined()[act.name]; ok && co != ag.code && rng.Intn(3) == 0 &&
			slices.ContainsFunc(agencies, func(a demoAgency) bool { return a.code == co }) {
			s.co = co
		}
		suits = append(suits, s)
	}
	for _, d := range decided {
		if rng.Intn(3) != 0 {
			continue
		}
		if filed := w.after(d.on, 2+rng.Intn(8)); filed <= w.today {
			id := d.id
			suits = append(suits, suit{filed: filed, defendant: d.respondent, plaintiff: d.applicant, act: d.act, reconID: &id})
		}
	}
	slices.SortStableFunc(suits, func(a, b suit) int { return int(a.filed - b.filed) })
	lost := []demoWeighted[litigation.Result]{{litigation.Annulled, 35}, {litigation.ConfirmedUnlawful, 30}, {litigation.OrderedPerformance, 15},
		{litigation.PartiallyAnnulled, 8}, {litigation.Compensation, 5}, {litigation.Varied, 4}, {litigation.ConfirmedVoid, 3}}
	won := []demoWeighted[litigation.Result]{{litigation.DismissedClaims, 55}, {litigation.DismissedSuit, 20}, {litigation.Withdrawn, 15},
		{litigation.WithdrawnAfterChange, 5}, {litigation.Mediated, 5}}
	heads := []demoWeighted[litigation.Position]{{litigation.Principal, 25}, {litigation.Deputy, 40}, {litigation.InCharge, 35}}
	serial := map[int]int{}
	for _, s := range suits {
		serial[s.filed.Year()]++
		f := litigation.Filing{CaseNumber: fmt.Sprintf("（%d）豫0482行初%d号", s.filed.Year(), serial[s.filed.Year()]), Defendant: s.defendant,
			Plaintiff: s.plaintiff.Name, PlaintiffKind: s.plaintiff.Kind, PlaintiffCreditCode: s.plaintiff.CreditCode, Cause: s.act.name,
			FiledOn: s.filed, ReconsiderationID: s.reconID}
		if s.co != "" {
			f.Defendants = []string{s.defendant, s.co}
		}
		if s.act.major && rng.Intn(4) == 0 || rng.Intn(25) == 0 {
			f.KeyFlags = []litigation.KeyFlag{litigation.MassIncidentRisk}
			if !s.act.major {
				f.KeyFlags = []litigation.KeyFlag{demoOne(rng, demoWeighted[litigation.KeyFlag]{litigation.PublicAttention, 3},
					demoWeighted[litigation.KeyFlag]{litigation.PublicInterest, 2}, demoWeighted[litigation.KeyFlag]{litigation.Procuratorate, 1})}
			}
		}
		n, err := f.Validate(w.today)
		if err != nil {
			return 0, err
		}
		lc, err := db.Litigation.CreateLitigation(ctx, f, n)
		if err != nil {
			return 0, err
		}
		// The outcome: losses fall year on year as the agencies learn (双下降).
		chance := 0.16 * (1 - 0.2*float64(s.filed.Year()-start.Year()))
		if s.act.lossy {
			chance *= 2
		}
		result := demoOne(rng, won...)
		if rng.Float64() < chance {
			result = demoOne(rng, lost...)
		}
		run := demoRun{today: w.today}
		held := w.after(s.filed, 20+rng.Intn(40))
		concluded := w.after(held, 5+rng.Intn(40))
		if (result == litigation.Withdrawn || result == litigation.DismissedSuit) && rng.Intn(2) == 0 {
			concluded = w.after(s.filed, 10+rng.Intn(30)) // withdrawn, or the suit dismissed by a ruling, before any hearing
		} else {
			// Ever fewer agencies send only staff (出庭应诉 improves year on year).
			p := demoOne(rng, append(heads, demoWeighted[litigation.Position]{litigation.Staff, max(14-5*(s.filed.Year()-start.Year()), 3)})...)
			if f.KeyFlags != nil {
				p = demoOne(rng, heads...)
			}
			noticed := w.before(held, 3+rng.Intn(4))
			appearer := litigation.Appearer{Name: demoPerson(rng), Position: p}
			run.at(held, func() error {
				_, err := db.Litigation.ActOnLitigation(ctx, lc.ID, sqlstore.LitAction{Name: "hearing", Do: func(c *litigation.Case) error {
					return c.AddHearing(litigation.Hearing{HeldOn: held, HeadAppeared: p.IsHead(), NoticeOn: &noticed, Appearer: &appearer}, w.today)
				}})
				return err
			})
		}
		o := litigation.Outcome{Result: result, ConcludedOn: concluded}
		if result.Lost() {
			o.LossCauses = []litigation.LossCause{demoOne(rng, demoWeighted[litigation.LossCause]{litigation.ProcedureViolation, 35},
				demoWeighted[litigation.LossCause]{litigation.UnclearFacts, 25}, demoWeighted[litigation.LossCause]{litigation.WrongLaw, 15},
				demoWeighted[litigation.LossCause]{litigation.Inaction, 12}, demoWeighted[litigation.LossCause]{litigation.UltraVires, 8},
				demoWeighted[litigation.LossCause]{litigation.OtherCause, 5})}
		}
		run.at(concluded, func() error {
			_, err := db.Litigation.ActOnLitigation(ctx, lc.ID, sqlstore.LitAction{Name: "outcome", Do: func(c *litigation.Case) error {
				return c.Conclude(o, w.today)
			}})
			return err
		})
		if run.err != nil {
			return 0, run.err
		}
	}
	return len(suits), nil
}

// demoLedger loads the nine key issues of the joint meeting held some ten
// months ago, each led by the unit it concerns: most were rectified,
// reviewed and closed (销号) by their deadline, two are behind it, and
// those whose deadline is still ahead are in progress.
func demoLedger(ctx context.Context, db *sqlstore.DB, rng *mrand.Rand, w *demoDays) error {
	issues := []struct{ title, lead string }{{"行政机关负责人出庭应诉率偏低", "RZ-SFJ"}, {"征收补偿案件败诉率高", "RZ-ZJJ"},
		{"政府信息公开答复不规范", "RZ"}, {"行政处罚程序瑕疵", "RZ-SCJGJ"}, {"非诉执行审查衔接不畅", "RZ-ZRZYJ"},
		{"行政协议纠纷增多", "RZ-ZJJ"}, {"工伤认定时限把握不严", "RZ-RSJ"}, {"不动产登记历史遗留问题", "RZ-ZRZYJ"},
		{"治安管理处罚案件证据收集不规范", "RZ-GAJ"}}
	raised := w.on(w.today.AddDays(-280))
	meeting := fmt.Sprintf("%d年第一次府院联席会议", raised.Year())
	for i, is := range issues {
		deadline := w.on(raised.AddDays(60 + 30*i))
		co := []string{"RZ-SFJ"}
		if is.lead == "RZ-SFJ" {
			co = []string{"RZ-FY"}
		}
		iss, err := liaison.NewIssue(meeting, is.title, is.lead, co, deadline, raised, "demo-liaison")
		if err != nil {
			return err
		}
		created, err := db.Liaison.CreateIssue(ctx, iss)
		if err != nil {
			return err
		}
		closed := w.before(deadline, rng.Intn(10))
		switch i {
		case 2, 5: // behind its deadline
			closed = w.after(deadline, 15+rng.Intn(60))
		case len(issues) - 1: // its deadline is ahead: in progress
			closed = deadline
		}
		rectifying := w.after(raised, 5+rng.Intn(10))
		reviewing := max(w.before(closed, 5+rng.Intn(6)), rectifying)
		reported := max(w.before(reviewing, 1+rng.Intn(5)), rectifying)
		advance := func(to liaison.State, on calendar.Date, report bool) func() error {
			return func() error {
				_, err := db.Liaison.ActOnIssue(ctx, created.ID, 0, "", "advance", func(x *liaison.Issue) error {
					if report {
						if err := x.AddReport(liaison.Report{On: reported, Text: "牵头单位报送整改情况：已制定整改方案并逐项落实"}, w.today); err != nil {
							return err
						}
					}
					return x.Advance(to, "", on, w.today, "demo-liaison")
				})
				return err
			}
		}
		run := demoRun{today: w.today}
		if run.at(rectifying, advance(liaison.Rectifying, rectifying, false)) && run.at(reviewing, advance(liaison.Reviewing, reviewing, true)) {
			run.at(closed, advance(liaison.Closed, closed, false))
		}
		if run.err != nil {
			return run.err
		}
	}
	return nil
}

// demoSuggestions loads the court's judicial suggestions of the last ten
// months, each to the body whose work it concerns: the older ones replied
// to within the 60 days of 行诉法解释 第149条, the two most recent (to the
// public security bureau) awaiting the reply.
func demoSuggestions(ctx context.Context, db *sqlstore.DB, rng *mrand.Rand, w *demoDays) error {
	list := []struct{ to, subject string }{{"RZ-GAJ", "行政拘留决定送达程序不规范"}, {"RZ-GAJ", "治安管理处罚证据收集不规范"},
		{"RZ-ZRZYJ", "不动产登记历史遗留问题"}, {"RZ-ZJJ", "房屋征收补偿协议履行不到位"}, {"RZ-RSJ", "工伤认定时限把握不严"},
		{"RZ-CGJ", "强制拆除前未依法催告和公告"}}
	for i, s := range list {
		received := w.upTo(w.today.AddDays(-12 - 40*i))
		sg := liaison.Suggestion{Court: "汝州市人民法院", Number: fmt.Sprintf("（%d）豫0482司建%d号", received.Year(), 6-i), Addressee: s.to,
			Subject: s.subject, Content: "建议规范执法程序，加强证据收集和法律文书送达工作", ReceivedOn: received}
		created, err := db.Liaison.CreateSuggestion(ctx, sg)
		if err != nil {
			return err
		}
		if i < 2 {
			continue
		}
		on := w.after(received, 15+rng.Intn(20))
		if on > w.today {
			continue
		}
		if _, err := db.Liaison.AnswerSuggestion(ctx, created.ID, "", func(x *liaison.Suggestion) error {
			return x.Answer("已召开专题会议研究整改，完善相关工作制度", on, w.today)
		}); err != nil {
			return err
		}
	}
	return nil
}

// demoKind is a kind of dispute: its category and title, what its
// respondent usually is (in firmPct percent of them the organisation firm,
// named as judgments anonymise organisations), and how its mediation ends.
type demoKind struct {
	cat     routing.Category
	title   string
	firm    string
	firmPct int
	terms   string
	failure string
}

// demoKinds are the disputes a county's desks see.
func demoKinds() []demoKind {
	return []demoKind{
		{"neighbour", "宅基地排水邻里纠纷", "", 0, "双方同意共同出资疏通排水沟，被申请人于十日内拆除堵塞物", "双方对宅基地界线各执一词，调解不成，告知可向人民法院起诉"},
		{"family", "赡养老人家庭纠纷", "", 0, "子女三人轮流赡养，每人每月支付赡养费五百元", "被申请人拒不承担赡养义务，调解不成，告知诉讼途径"},
		{"debt", "民间借贷纠纷", "", 0, "被申请人分三期偿还借款本金，申请人放弃利息", "被申请人否认借款事实，调解不成，告知诉讼途径"},
		{"contract", "农资买卖合同纠纷", "汝州市某某农资有限公司", 50, "被申请人退还部分货款并赔偿减产损失", "双方对质量问题分歧较大，调解不成，告知可申请鉴定或起诉"},
		{"labour", "拖欠农民工工资纠纷", "河南某某建筑工程有限公司", 80, "用人单位于十五日内一次性支付拖欠工资", "用人单位不认可欠薪数额，调解不成，告知可申请劳动仲裁"},
		{"consumer", "预付卡退费消费纠纷", "汝州市某某教育培训学校", 90, "经营者退还预付卡余额", "经营者拒绝退费，调解不成，告知可向人民法院起诉"},
		{"property_management", "物业费收取纠纷", "汝州市某某物业服务有限公司", 100, "业主补缴物业费，物业公司于一个月内维修公共设施", "双方对服务质量分歧较大，调解不成，告知诉讼途径"},
		{"traffic_accident", "道路交通事故赔偿纠纷", "汝州市某某汽车运输有限公司", 30, "被申请人一次性赔偿医疗费、误工费、护理费", "双方对责任比例分歧较大，调解不成，告知可向人民法院起诉"},
		{"medical", "医疗损害赔偿纠纷", "汝州市某某医院", 100, "医院一次性补偿申请人医疗费及护理费", "双方对医疗过错分歧较大，调解不成，告知可申请医疗损害鉴定"},
		{"land_ownership", "林地权属争议", "", 0, "双方确认以原林权证四至为界，互不越界", "双方对林地四至分歧较大，调解不成，告知可申请权属争议处理"},
		{"land_requisition", "征地补偿款分配纠纷", "", 0, "按村民会议决定的方案补发补偿款", "双方对分配方案分歧较大，调解不成，告知诉讼途径"},
		{"environment", "养殖场异味环境纠纷", "汝州市某某养殖专业合作社", 60, "养殖场限期加装除臭设施并调整粪污清运时间", "被申请人拒绝整改，调解不成，告知可向生态环境部门投诉"},
		{"other", "其他民间纠纷", "", 0, "双方达成和解，互不追究", "双方分歧较大，调解不成，告知诉讼途径"},
	}
}

// demoPeople are surnames common in 汝州, the most common first and more
// often.
func demoPeople() []rune {
	return []rune("王王王李李李张张张刘刘陈杨杨赵郭郭马孙宋朱高韩杜牛娄黄周吴徐胡何罗许冯范潘")
}

// demoPerson is a person named as published judgments anonymise people: a
// surname and 某某 or 某 (张某某, 李某).
func demoPerson(rng *mrand.Rand) string {
	names := demoPeople()
	return string(names[rng.Intn(len(names))]) + []string{"某某", "某某", "某"}[rng.Intn(3)]
}

// demoChallenger is who challenges an act: an organisation with its
// credit code as often as the act's firm percent says, else a person with
// an ID number and a phone.
func demoChallenger(rng *mrand.Rand, act demoAct, role jiefen.PartyRole) jiefen.Party {
	if rng.Intn(100) < act.firm {
		name := demoOne(rng, demoWeighted[string]{"汝州市某某建材有限公司", 3}, demoWeighted[string]{"河南某某置业有限公司", 2},
			demoWeighted[string]{"汝州市某某商贸有限公司", 3}, demoWeighted[string]{"汝州市某某食品店", 1},
			demoWeighted[string]{"汝州市某某种植专业合作社", 1})
		return demoOrganisation(role, name)
	}
	return jiefen.Party{Role: role, Kind: jiefen.PartyPerson, Name: demoPerson(rng), IDNumber: demoID(rng), Phone: demoPhone(rng)}
}

// demoOrganisation is an organisation party with its credit code.
func demoOrganisation(role jiefen.PartyRole, name string) jiefen.Party {
	return jiefen.Party{Role: role, Kind: jiefen.PartyOrganisation, Name: name, CreditCode: demoCreditCode(name)}
}

// demoCreditCode makes a valid 统一社会信用代码 (GB 32100-2015) for a demo
// organisation, the same for the same name, of the kind issued since 2015:
// registered by the market regulator (9) as a company (1), a 个体工商户 (2)
// or a farmers' cooperative (3), a private school by the civil affairs
// bureau (52, 民办非企业单位), a hospital by the staffing office (12,
// 事业单位); in 汝州市 (410482), or in 河南省 (410000) for a company named
// after the province; then an organisation code (GB 11714) of the
// registrar's two letters (MA, MJ, MB), six characters drawn from the name
// and their mod-11 check character, and the check character.
func demoCreditCode(name string) string {
	kind, registrar := "91", "MA"
	switch {
	case strings.HasSuffix(name, "店"):
		kind = "92"
	case strings.HasSuffix(name, "合作社"):
		kind = "93"
	case strings.HasSuffix(name, "学校"):
		kind, registrar = "52", "MJ"
	case strings.HasSuffix(name, "医院"):
		kind, registrar = "12", "MB"
	}
	division := "410482"
	if strings.HasPrefix(name, "河南") {
		division = "410000"
	}
	const alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	h := uint64(14695981039346656037) // FNV-1a of the name
	for _, b := range []byte(name) {
		h = (h ^ uint64(b)) * 1099511628211
	}
	org := []byte(registrar)
	for range 6 {
		org = append(org, alphabet[h%31])
		h /= 31
	}
	sum := 0
	for i, w := range []int{3, 7, 9, 10, 5, 8, 4, 2} {
		v := int(org[i] - '0')
		if org[i] >= 'A' {
			v = int(org[i]-'A') + 10
		}
		sum += v * w
	}
	body := kind + division + string(org) + string("0123456789X0"[11-sum%11])
	return body + string(jiefen.CreditCodeCheck(body))
}

// demoPhone is a mobile number.
func demoPhone(rng *mrand.Rand) string {
	return fmt.Sprintf("13%d%08d", 5+rng.Intn(5), rng.Intn(100000000))
}

// demoMediation carries a mediation case through its life as its mediator
// would have, on working days up to today: accepted within two working
// days, one to three sessions, then an agreement (most) or a failure
// within the track's period (a few late, 超期办结), a follow-up visit (回访)
// with the parties' rating, sometimes judicial confirmation (司法确认), and
// the close. A case planned to finish late that would still be open today,
// overdue, finishes on time unless *overdue allows one more such case.
func demoMediation(ctx context.Context, db *sqlstore.DB, rng *mrand.Rand, w *demoDays, d routing.Dispute, parties []jiefen.Party,
	kind demoKind, overdue *int, clocks sqlstore.CaseClocks) error {
	ctx = jiefen.NewContextWithActor(ctx, jiefen.Actor{Username: d.Routing.Assignee, Role: jiefen.RoleMediator})
	id := *d.Routing.CaseID
	run := demoRun{today: w.today}
	var mc mediation.Case
	act := func(name string, do func(mc *mediation.Case) error) func() error {
		return func() error {
			var err error
			mc, err = db.Mediation.ActOnCase(ctx, id, sqlstore.CaseAction{Name: name, Do: do}, clocks)
			return err
		}
	}
	accepted := w.after(d.ReceivedOn, rng.Intn(3))
	if !run.at(accepted, act("accept", func(mc *mediation.Case) error { return mc.Accept(accepted, w.today) })) {
		return run.err
	}
	due := accepted.AddDays(30)
	for _, k := range mc.Clocks {
		if k.Rule == mc.ClockRule && k.Due != nil {
			due = *k.Due
		}
	}
	// The sessions, and the day mediation ends.
	sessions := []calendar.Date{w.after(accepted, 3+rng.Intn(6))}
	for range rng.Intn(3) {
		sessions = append(sessions, w.after(sessions[len(sessions)-1], 3+rng.Intn(6)))
	}
	ended := w.after(sessions[len(sessions)-1], rng.Intn(3))
	if rng.Intn(100) < 5 { // finished late (超期办结), or still open and overdue
		ended = w.after(w.upTo(due), 3+rng.Intn(20))
		if ended > w.today && due < w.today {
			if *overdue > 0 {
				*overdue--
			} else {
				ended = w.upTo(due)
			}
		}
	} else {
		ended = min(ended, w.upTo(due))
	}
	names := make([]string, 0, len(parties))
	for _, p := range parties {
		names = append(names, p.Name)
	}
	place := map[string]string{"people": "人民调解委员会调解室", "administrative": "行政调解室", "judicial": "人民法院诉前调解室"}[string(d.Routing.Track)]
	for _, on := range sessions {
		on = min(on, ended)
		if !run.at(on, act("session", func(mc *mediation.Case) error {
			return mc.AddSession(mediation.Session{On: on, Place: place, Attendees: names, Record: "双方陈述事实，调解员释法说理，引导双方互谅互让"}, w.today)
		})) {
			return run.err
		}
	}
	last := ended
	if rng.Intn(100) < 14 {
		if !run.at(ended, act("failure", func(mc *mediation.Case) error {
			return mc.Fail(mediation.Failure{On: ended, Reason: kind.failure}, w.today)
		})) {
			return run.err
		}
	} else {
		tier := demoOne(rng, demoWeighted[mediation.Tier]{mediation.TierGeneral, 70}, demoWeighted[mediation.Tier]{mediation.TierDifficult, 22},
			demoWeighted[mediation.Tier]{mediation.TierMajor, 8})
		amount := d.AmountFen * int64(30+rng.Intn(70)) / 100
		if !run.at(ended, act("agreement", func(mc *mediation.Case) error {
			return mc.Agree(mediation.Agreement{On: ended, Terms: kind.terms, AmountFen: amount, EffectiveOn: ended}, tier, w.today)
		})) {
			return run.err
		}
		if d.Routing.Track == routing.TrackPeople && rng.Intn(10) == 0 { // 司法确认, within 30 days (人民调解法 第33条)
			applied := w.after(ended, 2+rng.Intn(10))
			answered := w.after(applied, 3+rng.Intn(8))
			result := mediation.Confirmed
			if rng.Intn(12) == 0 {
				result = mediation.Rejected
			}
			if !run.at(applied, act("confirmation", func(mc *mediation.Case) error { return mc.ApplyConfirmation(applied, w.today) })) ||
				!run.at(answered, act("confirmation", func(mc *mediation.Case) error { return mc.ConfirmationResult(result, answered, w.today) })) {
				return run.err
			}
			last = answered
		}
	}
	if mc.State != mediation.StateFailed || rng.Intn(3) == 0 { // 回访: every agreement, some failures
		rating := demoOne(rng, demoWeighted[int]{5, 55}, demoWeighted[int]{4, 30}, demoWeighted[int]{3, 11}, demoWeighted[int]{2, 3}, demoWeighted[int]{1, 1})
		visited := w.after(last, 5+rng.Intn(12))
		performed := mc.Agreement != nil && rng.Intn(12) > 0
		if !run.at(visited, act("followup", func(mc *mediation.Case) error {
			return mc.FollowUp(mediation.FollowUp{On: visited, Rating: rating, Comment: "电话回访当事人，了解协议履行情况", Performed: performed}, w.today)
		})) {
			return run.err
		}
		last = visited
		if rating <= mediation.LowRating {
			last = w.after(visited, 1+rng.Intn(5))
			on := last
			if !run.at(on, act("rectification", func(mc *mediation.Case) error {
				return mc.Rectify("调解员复盘并向当事人说明", on, w.today)
			})) {
				return run.err
			}
		}
	}
	closed := w.after(last, 1+rng.Intn(5))
	run.at(closed, act("close", func(mc *mediation.Case) error { return mc.Close(closed, w.today) }))
	return run.err
}

// demoPassword is a random password of a demo user, printed once.
// demoStaffName is the display name (姓名) of the i-th demo account: a
// common surname and given name, the same on every run.
func demoStaffName(i int) string {
	surnames := []rune("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧")
	given := []string{"芳", "伟", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "霞", "平",
		"刚", "桂英", "建国", "志强", "海燕", "红梅", "国庆", "丽华", "文博", "晓东", "春生"}
	return string(surnames[i%len(surnames)]) + given[(i*7)%len(given)]
}

// orDash is s, or "-" when s is empty, so that a column of a list is
// never blank.
func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// writePrivate writes text to path readable and writable by its owner
// only (mode 0600), also when the file exists already.
func writePrivate(path, text string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return err
	}
	if _, err := f.WriteString(text); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func demoPassword() string {
	b := make([]byte, 9)
	rand.Read(b)
	return "Jf-" + base64.RawURLEncoding.EncodeToString(b)
}

// demoDispute is a dispute received on day on: its kind, parties named as
// judgments anonymise them (the applicant a person with an ID number and a
// phone; the respondent a person or, as the kind has it, an organisation),
// and the reference of the desk or docking mechanism it came from.
func demoDispute(rng *mrand.Rand, towns []string, on calendar.Date, now time.Time) (routing.Intake, demoKind) {
	kinds := demoKinds()
	k := kinds[rng.Intn(len(kinds))]
	sources := routing.Sources()
	src := sources[rng.Intn(len(sources))]
	if rng.Intn(3) == 0 {
		src = routing.SourceWalkIn
	}
	y, m, day := on.YMD()
	ref := map[routing.Source]string{routing.SourcePolice: fmt.Sprintf("110-%04d%02d%02d-%04d", y, m, day, 1+rng.Intn(300)),
		routing.SourceHotline:  fmt.Sprintf("12345-%04d%02d%02d-%04d", y, m, day, 1+rng.Intn(800)),
		routing.SourcePetition: fmt.Sprintf("汝信转〔%d〕%d号", y, 1+rng.Intn(400)),
		routing.SourceCourt:    fmt.Sprintf("（%d）豫0482民诉前调%d号", y, 1+rng.Intn(3000)),
		routing.SourceGrid:     fmt.Sprintf("WG-%04d%02d%02d-%03d", y, m, day, 1+rng.Intn(200)),
		routing.SourceOnline:   fmt.Sprintf("WS-%04d%02d%02d-%04d", y, m, day, 1+rng.Intn(500))}[src]
	respondent := jiefen.Party{Role: jiefen.PartyRespondent, Kind: jiefen.PartyPerson, Name: demoPerson(rng)}
	if rng.Intn(100) < k.firmPct {
		respondent = demoOrganisation(jiefen.PartyRespondent, k.firm)
	}
	occurred := on.AddDays(-rng.Intn(20))
	town, amount := towns[rng.Intn(len(towns))], int64(rng.Intn(50000))*100
	applicant := jiefen.Party{Role: jiefen.PartyApplicant, Name: demoPerson(rng), IDNumber: demoID(rng), Phone: demoPhone(rng)}
	// The desk writes the applicant's number into the description too, as
	// desks do; it is kept and shown masked as the field is.
	in := routing.Intake{Title: k.title, Description: "演示数据：" + k.title + "。申请人" + applicant.Name + "，联系电话" + applicant.Phone + "。",
		Category: k.cat, Source: src, SourceRef: ref, Township: town, AmountFen: amount, OccurredOn: &occurred, ReceivedOn: on,
		Parties: []jiefen.Party{applicant, respondent}}
	if rng.Intn(40) == 0 {
		in.Flags = append(in.Flags, routing.FlagMass)
	}
	if rng.Intn(60) == 0 {
		in.Flags = append(in.Flags, routing.FlagEscalationRisk)
	}
	in.Normalize(calendar.DateOf(now), now)
	return in, k
}

// demoID makes a valid GB 11643 number of 汝州市 (410482) for a demo party.
func demoID(rng *mrand.Rand) string {
	body := fmt.Sprintf("410482%04d%02d%02d%03d", 1950+rng.Intn(50), 1+rng.Intn(12), 1+rng.Intn(28), rng.Intn(1000))
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(body[i]-'0') * w
	}
	return body + string("10X98765432"[sum%11])
}
