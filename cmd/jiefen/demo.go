package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	mrand "math/rand"
	"strings"
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

// demoCmd loads a realistic data set of the model city into the database:
// its organisations, a user for every duty (passwords printed once), and a
// few thousand disputes over three years, each routed and assigned by the
// rules as a live intake would be.
func demoCmd(ctx context.Context, args []string, e env) error {
	fs, cfgPath := newFlags("demo", e)
	n := fs.Int("disputes", 3000, "how many disputes to register")
	seed := fs.Int64("seed", 1, "random seed (the same seed gives the same data)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	c, db, err := openMigrated(ctx, *cfgPath, e)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.User(ctx, "demo-admin"); err == nil {
		return errors.New("the demo data is already loaded (user demo-admin exists)")
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

	set, err := db.RoutingRules(ctx)
	if err != nil {
		return err
	}
	type account struct {
		name string
		role jiefen.Role
		org  string
	}
	accounts := []account{{"demo-admin", jiefen.RoleAdmin, ""}, {"demo-auditor", jiefen.RoleAuditor, ""},
		{"demo-intake", jiefen.RoleIntake, ""}, {"demo-leader", jiefen.RoleLeader, ""},
		{"demo-fuyi", jiefen.RoleReconsideration, "RZ-SFJ"}, {"demo-liaison", jiefen.RoleCourtLiaison, "RZ-SFJ"},
		{"demo-gaj-legal", jiefen.RoleAgencyStaff, "RZ-GAJ"}, {"demo-zrzy-legal", jiefen.RoleAgencyStaff, "RZ-ZRZYJ"}}
	mediatorOrgs := []string{"RZ-FY", "RZ-SCJGJ", "RZ-RSJ", "RZ-JJDD", "RZ-YLJF-TWH", "RZ-WYJF-TWH"}
	for _, org := range set.Townships {
		mediatorOrgs = append(mediatorOrgs, org)
	}
	for _, org := range mediatorOrgs {
		for i := 1; i <= 2; i++ {
			accounts = append(accounts, account{fmt.Sprintf("demo-%s-%d", strings.ToLower(org), i), jiefen.RoleMediator, org})
		}
	}
	fmt.Fprintln(e.stdout, "demo users (write these down; passwords are not shown again):")
	for _, a := range accounts {
		pw := demoPassword()
		u, hash, err := httpapi.NewUser(auth.DefaultHasher(), a.name, pw, a.role, a.org)
		if err != nil {
			return err
		}
		if _, err := db.CreateUser(sys, u, hash); err != nil {
			return fmt.Errorf("%s: %v", a.name, err.(*jiefen.Error).Unwrap())
		}
		if a.role != jiefen.RoleMediator || strings.HasSuffix(a.name, "-1") && (a.org == "RZ-ZL-TWH" || a.org == "RZ-FY") {
			fmt.Fprintf(e.stdout, "  %-24s %-16s %-10s %s\n", a.name, a.role, a.org, pw)
		}
	}
	fmt.Fprintf(e.stdout, "  … and %d more mediators (demo-<org>-1, -2), passwords in the same form; reset them with jiefen user create\n",
		len(accounts)-10)

	towns := make([]string, 0, len(set.Townships))
	for t := range set.Townships {
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
	mpol := mediationPolicy(c)
	caseClocks := func(mc *mediation.Case) { mpol.Clocks(mc, days, clocks, today) }
	for i := 0; i < *n; i++ {
		in := demoDispute(rng, towns, start.AddDays(rng.Intn(int(today-start)+1)), db.Now())
		d, err := db.RegisterDispute(intakeCtx, in, router, pol)
		if err != nil {
			return fmt.Errorf("dispute %d: %w", i+1, err)
		}
		if d.Routing.CaseID != nil && d.Routing.Assignee != "" {
			if err := demoMediation(sys, db, rng, *d.Routing.CaseID, d.Routing.Assignee, in.ReceivedOn, today, caseClocks); err != nil {
				return fmt.Errorf("dispute %d, case %d: %w", i+1, *d.Routing.CaseID, err)
			}
		}
		if (i+1)%500 == 0 {
			fmt.Fprintf(e.stdout, "registered %d disputes\n", i+1)
		}
	}
	fmt.Fprintf(e.stdout, "loaded %d disputes from %s to %s\n", *n, start, today)
	liaisonCtx := jiefen.NewContextWithActor(sys, jiefen.Actor{Username: "demo-liaison", Role: jiefen.RoleCourtLiaison})
	fuyiCtx := jiefen.NewContextWithActor(sys, jiefen.Actor{Username: "demo-fuyi", Role: jiefen.RoleReconsideration})
	recon := func(c *reconsideration.Case) { c.ComputeClocks(days, clocks, today) }
	lits, recons, err := demoLitigation(liaisonCtx, fuyiCtx, db, rng, start, today, recon)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "loaded %d reconsideration cases and %d lawsuits, the ledger and judicial suggestions\n", recons, lits)
	return nil
}

// demoLitigation loads reconsideration cases, the lawsuits that followed
// some of them and others, with hearings and outcomes, the joint meeting's
// nine key issues and a few judicial suggestions.
func demoLitigation(liaisonCtx, fuyiCtx context.Context, db *sqlstore.DB, rng *mrand.Rand, start, today calendar.Date, recon sqlstore.ReconClocks) (int, int, error) {
	// The agencies sued, some far more often than others.
	demoAgencies := []string{"RZ-GAJ", "RZ-GAJ", "RZ-GAJ", "RZ-ZRZYJ", "RZ-ZRZYJ", "RZ-SCJGJ", "RZ-RSJ", "RZ-JJDD"}
	day := func(from calendar.Date, span int) calendar.Date { return min(from.AddDays(rng.Intn(span)), today) }
	acts := []string{"行政处罚决定", "不予登记决定", "征收补偿决定", "工伤认定结论", "政府信息公开答复"}
	recons := 0
	var reconIDs []int64
	for i := 0; i < 150; i++ {
		received := day(start, int(today-start))
		a := reconsideration.Application{Applicant: jiefen.Party{Role: "applicant", Name: fmt.Sprintf("申请人%d", i+1)},
			Respondent: demoAgencies[rng.Intn(len(demoAgencies))], Act: acts[rng.Intn(len(acts))], ReceivedOn: received, Procedure: reconsideration.Ordinary}
		if rng.Intn(5) == 0 {
			a.Procedure = reconsideration.Simplified
		}
		rc, err := db.CreateReconsideration(fuyiCtx, a, recon)
		if err != nil {
			return 0, 0, err
		}
		recons++
		act := func(name string, do func(c *reconsideration.Case) error) error {
			_, err := db.ActOnReconsideration(fuyiCtx, rc.ID, sqlstore.ReconAction{Name: name, Do: do}, recon)
			return err
		}
		accepted := day(received, 4)
		if err := act("acceptance", func(c *reconsideration.Case) error {
			return c.ReviewDecision(reconsideration.Accept, "", accepted, today)
		}); err != nil {
			continue // deemed accepted meanwhile, or too recent: leave it as it stands
		}
		decided := day(accepted, 55)
		if decided >= today {
			continue
		}
		results := []reconsideration.Result{reconsideration.Upheld, reconsideration.Upheld, reconsideration.Dismissed, reconsideration.Annulled,
			reconsideration.ConfirmedUnlawful, reconsideration.Mediated, reconsideration.Settled}
		if err := act("decision", func(c *reconsideration.Case) error {
			return c.Decide(reconsideration.Decision{On: decided, Result: results[rng.Intn(len(results))]}, today)
		}); err != nil {
			return 0, 0, err
		}
		reconIDs = append(reconIDs, rc.ID)
	}
	lits := 0
	serial := map[int]int{}
	results := []litigation.Result{litigation.DismissedClaims, litigation.DismissedClaims, litigation.DismissedSuit, litigation.Annulled,
		litigation.ConfirmedUnlawful, litigation.Withdrawn, litigation.WithdrawnAfterChange, litigation.OrderedPerformance}
	positions := []litigation.Position{litigation.Principal, litigation.Deputy, litigation.InCharge, litigation.InCharge, litigation.Staff}
	for i := 0; i < 400; i++ {
		filed := day(start, int(today-start))
		serial[filed.Year()]++
		f := litigation.Filing{CaseNumber: fmt.Sprintf("（%d）豫0482行初%d号", filed.Year(), serial[filed.Year()]), Defendant: demoAgencies[rng.Intn(len(demoAgencies))],
			Plaintiff: fmt.Sprintf("原告%d", i+1), Cause: acts[rng.Intn(len(acts))], FiledOn: filed}
		if rng.Intn(8) == 0 {
			f.KeyFlags = []litigation.KeyFlag{litigation.KeyFlags[rng.Intn(len(litigation.KeyFlags))]}
		}
		if len(reconIDs) > 0 && rng.Intn(6) == 0 {
			id := reconIDs[rng.Intn(len(reconIDs))]
			f.ReconsiderationID = &id
		}
		n, err := f.Validate(today)
		if err != nil {
			return 0, 0, err
		}
		lc, err := db.CreateLitigation(liaisonCtx, f, n)
		if err != nil {
			return 0, 0, err
		}
		lits++
		held := day(filed, 60)
		if held < today {
			p := positions[rng.Intn(len(positions))]
			if _, err := db.ActOnLitigation(liaisonCtx, lc.ID, sqlstore.LitAction{Name: "hearing", Do: func(c *litigation.Case) error {
				return c.AddHearing(litigation.Hearing{HeldOn: held, HeadAppeared: p.IsHead(), Appearer: &litigation.Appearer{Name: "出庭人", Position: p}}, today)
			}}); err != nil {
				return 0, 0, err
			}
		}
		concluded := day(held, 90)
		if concluded < today && held < today {
			r := results[rng.Intn(len(results))]
			o := litigation.Outcome{Result: r, ConcludedOn: concluded}
			if r.Lost() {
				o.LossCauses = []litigation.LossCause{litigation.LossCauses[rng.Intn(len(litigation.LossCauses))]}
			}
			if _, err := db.ActOnLitigation(liaisonCtx, lc.ID, sqlstore.LitAction{Name: "outcome", Do: func(c *litigation.Case) error {
				return c.Conclude(o, today)
			}}); err != nil {
				return 0, 0, err
			}
		}
	}
	titles := []string{"行政机关负责人出庭应诉率偏低", "征收补偿案件败诉率高", "政府信息公开答复不规范", "行政处罚程序瑕疵", "非诉执行审查衔接不畅",
		"行政协议纠纷增多", "工伤认定时限把握不严", "不动产登记历史遗留问题", "司法建议回复不及时"}
	for i, title := range titles {
		raised := calendar.NewDate(today.Year(), 1, 15)
		iss, err := liaison.NewIssue(fmt.Sprintf("%d年第一次府院联席会议", today.Year()), title, demoAgencies[i%len(demoAgencies)], []string{"RZ-SFJ"},
			raised.AddDays(90+30*i), raised, "demo-liaison")
		if err != nil {
			return 0, 0, err
		}
		created, err := db.CreateIssue(liaisonCtx, iss)
		if err != nil {
			return 0, 0, err
		}
		for step, to := range []liaison.State{liaison.Rectifying, liaison.Reviewing, liaison.Closed}[:i%4] {
			on := raised.AddDays(20 * (step + 1))
			if _, err := db.ActOnIssue(liaisonCtx, created.ID, 0, "", "advance", func(x *liaison.Issue) error {
				if to == liaison.Reviewing {
					if err := x.AddReport(liaison.Report{On: on, Text: "牵头单位报送整改情况"}, today); err != nil {
						return err
					}
				}
				return x.Advance(to, "", on, today, "demo-liaison")
			}); err != nil {
				return 0, 0, err
			}
		}
	}
	for i := 0; i < 6; i++ {
		sg := liaison.Suggestion{Court: "汝州市人民法院", Number: fmt.Sprintf("（%d）豫0482司建%d号", today.Year(), i+1), Addressee: demoAgencies[i%len(demoAgencies)],
			Subject: titles[i], ReceivedOn: today.AddDays(-20 * (i + 1))}
		if _, err := db.CreateSuggestion(liaisonCtx, sg); err != nil {
			return 0, 0, err
		}
	}
	return lits, recons, nil
}

// demoStep is one action of a demo case: its name, the most days after the
// previous step it happens, and what it does.
type demoStep struct {
	name string
	gap  int
	do   func(mc *mediation.Case, on calendar.Date) error
}

// demoMediation carries a case some way through its life, as its mediator
// would have, on plausible days up to today: most cases reach an agreement
// and a follow-up, some fail, some are still open.
func demoMediation(ctx context.Context, db *sqlstore.DB, rng *mrand.Rand, id int64, mediator string, received, today calendar.Date, clocks sqlstore.CaseClocks) error {
	ctx = jiefen.NewContextWithActor(ctx, jiefen.Actor{Username: mediator, Role: jiefen.RoleMediator})
	on := received
	step := func(name string, gap int, do func(mc *mediation.Case, on calendar.Date) error) (bool, error) {
		on = on.AddDays(1 + rng.Intn(gap))
		if on > today {
			return false, nil
		}
		at := on
		_, err := db.ActOnCase(ctx, id, sqlstore.CaseAction{Name: name, Do: func(mc *mediation.Case) error { return do(mc, at) }}, clocks)
		return err == nil, err
	}
	fate := rng.Intn(10)
	steps := []demoStep{
		{"accept", 3, func(mc *mediation.Case, on calendar.Date) error { return mc.Accept(on, today) }},
		{"session", 10, func(mc *mediation.Case, on calendar.Date) error {
			return mc.AddSession(mediation.Session{On: on, Place: "调委会调解室", Attendees: []string{"申请人", "被申请人"}, Record: "双方陈述事实，调解员释法说理"}, today)
		}},
	}
	switch {
	case fate < 2: // still waiting to be accepted
		steps = nil
	case fate == 2: // failed
		steps = append(steps, demoStep{"failure", 15, func(mc *mediation.Case, on calendar.Date) error {
			return mc.Fail(mediation.Failure{On: on, Reason: "双方分歧较大，调解不成，告知诉讼途径"}, today)
		}})
	case fate > 3: // agreed, followed up, mostly closed
		tiers := []mediation.Tier{mediation.TierGeneral, mediation.TierGeneral, mediation.TierGeneral, mediation.TierDifficult, mediation.TierMajor}
		rating := 3 + rng.Intn(3)
		if rng.Intn(20) == 0 {
			rating = 2
		}
		steps = append(steps, []demoStep{
			{"agreement", 15, func(mc *mediation.Case, on calendar.Date) error {
				return mc.Agree(mediation.Agreement{On: on, Terms: "双方自愿达成协议，被申请人于约定期限内履行", AmountFen: int64(rng.Intn(50)) * 10000, EffectiveOn: on}, tiers[rng.Intn(len(tiers))], today)
			}},
			{"followup", 30, func(mc *mediation.Case, on calendar.Date) error {
				return mc.FollowUp(mediation.FollowUp{On: on, Rating: rating, Comment: "回访当事人", Performed: rng.Intn(10) > 0}, today)
			}},
		}...)
		if rating <= mediation.LowRating {
			steps = append(steps, demoStep{"rectification", 7, func(mc *mediation.Case, on calendar.Date) error {
				return mc.Rectify("调解员复盘并向当事人说明", on, today)
			}})
		}
		if rng.Intn(10) < 7 {
			steps = append(steps, demoStep{"close", 5, func(mc *mediation.Case, on calendar.Date) error { return mc.Close(on, today) }})
		}
	}
	for _, s := range steps {
		if ok, err := step(s.name, s.gap, s.do); !ok || err != nil {
			return err
		}
	}
	return nil
}

func demoPassword() string {
	b := make([]byte, 9)
	rand.Read(b)
	return "Jf-" + base64.RawURLEncoding.EncodeToString(b)
}

var demoSurnames = []rune("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗")

func demoDispute(rng *mrand.Rand, towns []string, on calendar.Date, now time.Time) routing.Intake {
	kinds := []struct {
		cat   routing.Category
		title string
	}{{"neighbour", "宅基地排水邻里纠纷"}, {"family", "赡养老人家庭纠纷"}, {"debt", "民间借贷纠纷"}, {"contract", "农资买卖合同纠纷"},
		{"labour", "拖欠农民工工资纠纷"}, {"consumer", "预付卡退费消费纠纷"}, {"property_management", "物业费收取纠纷"},
		{"traffic_accident", "道路交通事故赔偿纠纷"}, {"medical", "医疗损害赔偿纠纷"}, {"land_ownership", "林地权属争议"},
		{"land_requisition", "征地补偿纠纷"}, {"environment", "养殖场异味环境纠纷"}, {"other", "其他民间纠纷"}}
	k := kinds[rng.Intn(len(kinds))]
	sources := routing.Sources()
	src := sources[rng.Intn(len(sources))]
	if rng.Intn(3) == 0 {
		src = routing.SourceWalkIn
	}
	name := func() string {
		return string(demoSurnames[rng.Intn(len(demoSurnames))]) + []string{"建国", "秀英", "桂兰", "志强", "红梅", "海涛", "丽娟"}[rng.Intn(7)]
	}
	occurred := on.AddDays(-rng.Intn(20))
	in := routing.Intake{Title: k.title, Description: "演示数据：" + k.title, Category: k.cat, Source: src,
		SourceRef: fmt.Sprintf("DEMO-%06d", rng.Intn(1000000)), Township: towns[rng.Intn(len(towns))],
		AmountFen: int64(rng.Intn(50000)) * 100, OccurredOn: &occurred, ReceivedOn: on,
		Parties: []jiefen.Party{{Role: jiefen.PartyApplicant, Name: name(), IDNumber: demoID(rng), Phone: fmt.Sprintf("13%d%08d", 5+rng.Intn(5), rng.Intn(100000000))},
			{Role: jiefen.PartyRespondent, Name: name()}}}
	if rng.Intn(40) == 0 {
		in.Flags = append(in.Flags, routing.FlagMass)
	}
	if rng.Intn(60) == 0 {
		in.Flags = append(in.Flags, routing.FlagEscalationRisk)
	}
	in.Normalize(calendar.DateOf(now), now)
	return in
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
