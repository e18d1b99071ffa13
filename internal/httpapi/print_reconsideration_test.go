package httpapi

import (
	"strings"
	"testing"
	"time"

	"jiefen"
	"jiefen/calendar"
	"jiefen/configs"
	"jiefen/reconsideration"
)

// reconsiderationPrintFixture is an accepted case of the ordinary
// procedure with a hearing and a committee consultation, masked as a
// role without access to personal data sees it.
func reconsiderationPrintFixture() reconsideration.Case {
	received := calendar.NewDate(2024, time.September, 30)
	accepted := calendar.NewDate(2024, time.October, 8)
	noticed := calendar.NewDate(2024, time.October, 25)
	resumed := calendar.NewDate(2024, time.November, 11)
	c := reconsideration.Case{
		ID: 12,
		Applicant: jiefen.Party{Role: jiefen.PartyApplicant, Name: "张三", IDNumber: "410105199001011234",
			Phone: "13812345678", Address: "河南省汝州市某街道某小区3号楼"},
		Respondent: "RZ-GA",
		Act:        "汝公（交）行罚决字〔2024〕第123号行政处罚决定",
		ReceivedOn: received,
		Procedure:  reconsideration.Ordinary,
		State:      reconsideration.StateAccepted,
		AcceptedOn: &accepted,
		Reply:      &reconsideration.Reply{On: calendar.NewDate(2024, time.October, 18), Text: "答复", By: "gaj-legal"},
		Hearings: []reconsideration.Hearing{
			{On: calendar.NewDate(2024, time.November, 1), NoticedOn: &noticed, Place: "第一听证室", RecordedBy: "fuyi-clerk"},
		},
		Committee: []reconsideration.Opinion{
			{On: calendar.NewDate(2024, time.November, 20), Opinion: "不公开的咨询意见"},
		},
		Suspensions: []reconsideration.Suspension{
			{On: calendar.NewDate(2024, time.November, 4), Reason: "等待鉴定", Resumed: &resumed},
		},
	}
	return c.Masked()
}

func reconsiderationPageHas(t *testing.T, page string, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

func reconsiderationPageLacks(t *testing.T, page string, leaks ...string) {
	t.Helper()
	for _, leak := range leaks {
		if strings.Contains(page, leak) {
			t.Errorf("page holds %q", leak)
		}
	}
}

// decisionRule is the shipped catalogue's decision clock of c's procedure.
func decisionRule(t *testing.T, c reconsideration.Case) calendar.Rule {
	t.Helper()
	rules, err := configs.Rules("")
	if err != nil {
		t.Fatal(err)
	}
	r, ok := rules.Rule(c.Procedure.DecisionRule())
	if !ok {
		t.Fatalf("no rule %s", c.Procedure.DecisionRule())
	}
	return r
}

// TestAcceptanceNoticePeriodsFromTheCatalogue: the periods printed are the
// catalogue's, so a city's rules file that changed them would print its own.
func TestAcceptanceNoticePeriodsFromTheCatalogue(t *testing.T) {
	c := reconsiderationPrintFixture()
	rule := calendar.Rule{ID: "reconsideration.decision", Unit: calendar.Days, N: 45, MaxExtensionDays: 15}
	b, err := acceptanceNoticeHTML(c, rule, "汝州市人民政府", "汝州市公安局")
	if err != nil {
		t.Fatal(err)
	}
	reconsiderationPageHas(t, string(b), "自受理申请之日起四十五日内作出行政复议决定", "延长期限最多不超过十五日")
	rule.Unit = calendar.Workdays
	if _, err := acceptanceNoticeHTML(c, rule, "汝州市人民政府", "汝州市公安局"); err == nil {
		t.Error("a period in workdays printed as days")
	}
	for n, want := range map[int]string{5: "五日", 10: "十日", 15: "十五日", 30: "三十日", 60: "六十日", 99: "九十九日"} {
		if got := daysInChinese(n); got != want {
			t.Errorf("daysInChinese(%d) = %s, want %s", n, got, want)
		}
	}
}

func TestAcceptanceNoticeHTML(t *testing.T) {
	c := reconsiderationPrintFixture()
	b, err := acceptanceNoticeHTML(c, decisionRule(t, c), "汝州市人民政府", "汝州市公安局")
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	reconsiderationPageHas(t, page,
		"<!doctype html>",
		`<html lang="zh-CN">`,
		"@media print",
		"size: A4",
		"<h1>行政复议受理通知书</h1>",
		"复受〔2024〕第12号",
		"张三：",
		"本机关于2024年9月30日收到你（单位）对汝州市公安局作出的",
		"汝公（交）行罚决字〔2024〕第123号行政处罚决定",
		"本机关决定自2024年10月8日起予以受理",
		"第三十条",
		"本案适用普通程序审理",
		"第六十二条",
		"自受理申请之日起六十日内作出行政复议决定",
		"延长期限最多不超过三十日",
		`<p class="body-name">汝州市人民政府</p>`,
		// The 落款 is dated in figures (GB/T 9704-2012 7.3.5.1).
		`<p class="date">2024年10月8日</p>`,
		"（行政复议机关印章）",
	)
	reconsiderationPageLacks(t, page, "视为受理", "简易程序", "<script", "410105199001011234", "13812345678", "2024-10-08")
}

func TestAcceptanceNoticeHTMLDeemedSimplified(t *testing.T) {
	c := reconsiderationPrintFixture()
	c.Deemed = true
	c.Procedure = reconsideration.Simplified
	c.Applicant.Name = "<b>x</b>"
	b, err := acceptanceNoticeHTML(c, decisionRule(t, c), "汝州市人民政府", "")
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	reconsiderationPageHas(t, page,
		"复受〔2024〕第12号",
		"&lt;b&gt;x&lt;/b&gt;：",
		// Without a respondent's name a line is left to fill in by hand,
		// never the org code.
		`对<span class="line"></span>作出的`,
		"审查期限已经届满",
		"依照《中华人民共和国行政复议法》第三十条的规定，该申请自2024年10月8日起视为受理",
		"本案适用简易程序审理",
		"自受理申请之日起三十日内作出行政复议决定",
	)
	reconsiderationPageLacks(t, page, "<b>x</b>", "予以受理", "六十日", "RZ-GA")
}

func TestAcceptanceNoticeHTMLNumberYear(t *testing.T) {
	// The number takes the year of acceptance, not of receipt.
	c := reconsiderationPrintFixture()
	c.ReceivedOn = calendar.NewDate(2024, time.December, 30)
	accepted := calendar.NewDate(2025, time.January, 3)
	c.AcceptedOn = &accepted
	b, err := acceptanceNoticeHTML(c, decisionRule(t, c), "汝州市人民政府", "汝州市公安局")
	if err != nil {
		t.Fatal(err)
	}
	reconsiderationPageHas(t, string(b), "复受〔2025〕第12号", "2024年12月30日", "2025年1月3日")
}

func TestAcceptanceNoticeHTMLWithoutAcceptance(t *testing.T) {
	c := reconsiderationPrintFixture()
	c.AcceptedOn = nil
	if b, err := acceptanceNoticeHTML(c, decisionRule(t, c), "汝州市人民政府", "汝州市公安局"); err == nil {
		t.Fatalf("want an error for a case not accepted, got %d bytes", len(b))
	}
}

func TestDecisionHTMLAnnulled(t *testing.T) {
	c := reconsiderationPrintFixture()
	c.Major = true
	c.State = reconsideration.StateDecided
	c.Extension = &reconsideration.Extension{On: calendar.NewDate(2024, time.December, 2), Days: 30, Reason: "案情复杂"}
	c.Decision = &reconsideration.Decision{On: calendar.NewDate(2025, time.January, 6), Result: reconsideration.Annulled,
		Reason: "被申请人认定事实不清，证据不足。\n适用依据错误。"}
	c.Applicant.Name = "<b>x</b>"
	b, err := decisionHTML(c, "汝州市人民政府", "汝州市公安局")
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	reconsiderationPageHas(t, page,
		"<!doctype html>",
		"@media print",
		"size: A4",
		"white-space: pre-wrap",
		"<h1>行政复议决定书</h1>",
		// The number takes the year of the decision.
		"复决〔2025〕第12号",
		"申请人：&lt;b&gt;x&lt;/b&gt;",
		"证件号码：410***********1234",
		"被申请人：汝州市公安局",
		"汝公（交）行罚决字〔2024〕第123号行政处罚决定",
		"本机关于2024年9月30日收到行政复议申请，于2024年10月8日依法受理，适用普通程序审理。",
		"被申请人于2024年10月18日提交了书面答复",
		"本机关于2024年11月1日在第一听证室组织听证。",
		"本案经行政复议委员会咨询，委员会于2024年11月20日提出咨询意见。",
		"本案于2024年11月4日中止审理，于2024年11月11日恢复审理。",
		"本案审理期限延长30日",
		// The reason keeps its line breaks.
		`<div class="text reason">被申请人认定事实不清，证据不足。`+"\n适用依据错误。</div>",
		"依照《中华人民共和国行政复议法》第六十四条的规定，本机关决定：<strong>撤销</strong>。",
		"自收到本决定书之日起十五日内",
		"《中华人民共和国行政诉讼法》第四十五条",
		"提起行政诉讼",
		`<p class="body-name">汝州市人民政府</p>`,
		`<p class="date">2025年1月6日</p>`,
		"（行政复议机关印章）",
	)
	reconsiderationPageLacks(t, page, "<b>x</b>", "410105199001011234", "13812345678", "不公开的咨询意见", "视为受理", "某小区")
}

func TestDecisionHTMLUpheldDeemed(t *testing.T) {
	c := reconsiderationPrintFixture()
	c.Deemed = true
	c.Hearings, c.Committee, c.Suspensions, c.Reply = nil, nil, nil, nil
	c.Applicant.IDNumber = ""
	c.Decision = &reconsideration.Decision{On: calendar.NewDate(2024, time.December, 2), Result: reconsideration.Upheld}
	b, err := decisionHTML(c, "汝州市人民政府", "汝州市公安局")
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	reconsiderationPageHas(t, page,
		"复决〔2024〕第12号",
		"该申请自2024年10月8日起视为受理",
		"第三十条",
		"依照《中华人民共和国行政复议法》第六十八条的规定，本机关决定：<strong>维持</strong>。",
		"十五日内",
		"第四十五条",
		`<p class="date">2024年12月2日</p>`,
	)
	// No hearing, no committee, no reason, no ID number: none is printed.
	reconsiderationPageLacks(t, page, "组织听证", "行政复议委员会", "本机关认为", "证件号码", "依法受理")
}

// An organisation that applied is printed with its credit code, as it
// is, and no 证件号码.
func TestDecisionHTMLOrganisation(t *testing.T) {
	c := reconsiderationPrintFixture()
	c.Applicant = jiefen.Mask(jiefen.Party{Role: jiefen.PartyApplicant, Kind: jiefen.PartyOrganisation, Name: "汝州市某某建材有限公司",
		CreditCode: "91410482MA47BQ8J76"})
	c.Decision = &reconsideration.Decision{On: calendar.NewDate(2024, time.December, 2), Result: reconsideration.Upheld}
	b, err := decisionHTML(c, "汝州市人民政府", "汝州市公安局")
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	reconsiderationPageHas(t, page, "申请人：汝州市某某建材有限公司", `<p class="credit-code" style="text-indent: 0">统一社会信用代码：91410482MA47BQ8J76</p>`)
	reconsiderationPageLacks(t, page, "证件号码")
}

func TestDecisionHTMLResults(t *testing.T) {
	cases := []struct {
		result         reconsideration.Result
		label, article string
		merits         bool
	}{
		{reconsideration.Varied, "变更", "第六十三条", true},
		{reconsideration.Annulled, "撤销", "第六十四条", true},
		{reconsideration.ConfirmedUnlawful, "确认违法", "第六十五条", true},
		{reconsideration.OrderedPerformance, "责令履行", "第六十六条", true},
		{reconsideration.ConfirmedVoid, "确认无效", "第六十七条", true},
		{reconsideration.Upheld, "维持", "第六十八条", true},
		{reconsideration.Dismissed, "驳回行政复议请求", "第六十九条", true},
		{reconsideration.Mediated, "调解结案", "第七十三条", false},
		{reconsideration.Settled, "和解结案", "第七十四条", false},
		{reconsideration.Terminated, "终止行政复议", "第四十一条", false},
	}
	if len(cases) != len(reconsideration.Results) {
		t.Fatalf("%d results tested, %d known", len(cases), len(reconsideration.Results))
	}
	for _, tc := range cases {
		c := reconsiderationPrintFixture()
		c.Decision = &reconsideration.Decision{On: calendar.NewDate(2024, time.December, 2), Result: tc.result}
		b, err := decisionHTML(c, "汝州市人民政府", "汝州市公安局")
		if err != nil {
			t.Fatalf("%s: %v", tc.result, err)
		}
		page := string(b)
		if want := "《中华人民共和国行政复议法》" + tc.article + "的规定，本机关决定：<strong>" + tc.label + "</strong>。"; !strings.Contains(page, want) {
			t.Errorf("%s: page lacks %q", tc.result, want)
		}
		if got := strings.Contains(page, "十五日内"); got != tc.merits {
			t.Errorf("%s: notice of the right to sue printed = %v, want %v", tc.result, got, tc.merits)
		}
	}
}

func TestDecisionHTMLWithoutDecision(t *testing.T) {
	c := reconsiderationPrintFixture()
	if b, err := decisionHTML(c, "汝州市人民政府", "汝州市公安局"); err == nil {
		t.Fatalf("want an error for a case without a decision, got %d bytes", len(b))
	}
	c.Decision = &reconsideration.Decision{On: calendar.NewDate(2024, time.December, 2), Result: "overturned"}
	if _, err := decisionHTML(c, "汝州市人民政府", "汝州市公安局"); err == nil {
		t.Fatal("want an error for an unknown result")
	}
}
