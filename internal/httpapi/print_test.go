package httpapi

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"jiefen"
	"jiefen/calendar"
	"jiefen/mediation"
	"jiefen/reconsideration"
	"jiefen/routing"
)

func agreementFixture() (mediation.Case, routing.Dispute) {
	on := calendar.NewDate(2026, time.May, 12)
	due := calendar.NewDate(2026, time.June, 30)
	c := mediation.Case{
		ID: 7, DisputeCode: "JF-2026-000123", Track: string(routing.TrackPeople), OrgCode: "RMTJ-01", Assignee: "wangfang",
		Agreement: &mediation.Agreement{
			On:             on,
			Terms:          "一、被申请人向申请人赔偿人民币1200元；\n二、双方就本纠纷再无其他争议。",
			AmountFen:      120000,
			PerformanceDue: &due,
			EffectiveOn:    on,
		},
	}
	d := routing.Dispute{
		Code: "JF-2026-000123", Title: "邻里漏水纠纷", Description: "楼上漏水浸泡楼下天花板。\n双方协商未果。",
		Parties: []jiefen.Party{
			jiefen.Mask(jiefen.Party{Role: jiefen.PartyApplicant, Name: "张三", IDNumber: "410105199001011234", Phone: "13812345678",
				Address: "河南省汝州市煤山街道某小区3号楼"}),
			jiefen.Mask(jiefen.Party{Role: jiefen.PartyRespondent, Name: "<script>alert(1)</script>", IDNumber: "41010519850202567X", Phone: "13987654321"}),
			{Role: jiefen.PartyThirdParty, Name: "某物业公司"},
		},
	}
	return c, d
}

func TestAgreementHTML(t *testing.T) {
	c, d := agreementFixture()
	b, err := agreementHTML(c, d, "某街道人民调解委员会", "王芳")
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	for _, want := range []string{
		"<!doctype html>",
		`<html lang="zh-CN">`,
		"@media print",
		"size: A4",
		"white-space: pre-wrap",
		"<h1>人民调解协议书</h1>",
		"JF-2026-000123",
		`调解组织：<span class="org-name">某街道人民调解委员会</span>`,
		"经调解，当事人于2026年5月12日自愿达成如下协议：",
		// The terms and the facts keep their line breaks.
		"一、被申请人向申请人赔偿人民币1200元；\n二、双方就本纠纷再无其他争议。",
		"邻里漏水纠纷",
		"楼上漏水浸泡楼下天花板。\n双方协商未果。",
		// The amount in 大写 with its figures beside it.
		`协议金额：<span class="amount-words">人民币壹仟贰佰元整</span>（<span class="amount">¥1,200.00</span>）`,
		"履行期限：2026年6月30日",
		"生效日期：2026年5月12日",
		// The parties are printed as given, masked here.
		"<th>住址（住所）</th>",
		"<td>申请人</td><td>张三</td><td>410***********1234</td><td>138****5678</td><td>河南省汝州市…</td>",
		"<td>被申请人</td>",
		"410***********567X",
		"<td>第三人</td><td>某物业公司</td>",
		"当事人签名（申请人 张三）",
		"调解员签名（王芳）",
		"人民调解委员会（印章）",
		// The 落款 is dated in figures (GB/T 9704-2012 7.3.5.1).
		`<p class="date">2026年5月12日</p>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for _, leak := range []string{"<script>", "410105199001011234", "13812345678", "某小区", "wangfang", "RMTJ-01"} {
		if strings.Contains(page, leak) {
			t.Errorf("page holds %q", leak)
		}
	}
	if !strings.Contains(page, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("the party name is not escaped")
	}
}

func TestAgreementHTMLUnmasked(t *testing.T) {
	c, d := agreementFixture()
	d.Parties[0].IDNumber, d.Parties[0].Phone = "410105199001011234", "13812345678"
	c.Agreement.PerformanceDue = nil
	c.Agreement.AmountFen = 100_0005_00
	c.Track = string(routing.TrackAdministrative)
	d.Parties[0].Address = "河南省汝州市煤山街道某小区3号楼"
	b, err := agreementHTML(c, d, "某局", "王芳")
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	for _, want := range []string{"410105199001011234", "13812345678", "<td>河南省汝州市煤山街道某小区3号楼</td>", "履行期限：未约定",
		"<h1>调解协议书</h1>", "调解组织（印章）", "人民币壹佰万零伍元整", "¥1,000,005.00"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

// Without the org's name or the mediator's display name, the page leaves
// their lines to fill in by hand: it never prints a code or a username in
// their place.
func TestAgreementHTMLWithoutNames(t *testing.T) {
	c, d := agreementFixture()
	b, err := agreementHTML(c, d, "", "")
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	for _, want := range []string{`调解组织：<span class="line"></span>`, `调解员签名：<span class="line"></span>`} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for _, leak := range []string{"调解员签名（", "wangfang", "RMTJ-01"} {
		if strings.Contains(page, leak) {
			t.Errorf("page holds %q", leak)
		}
	}
}

// An organisation is printed with its credit code where a person's ID
// number goes, as it is: a credit code is not personal data.
func TestAgreementHTMLOrganisation(t *testing.T) {
	c, d := agreementFixture()
	d.Parties[2] = jiefen.Mask(jiefen.Party{Role: jiefen.PartyThirdParty, Kind: jiefen.PartyOrganisation, Name: "汝州市某某物业服务有限公司",
		CreditCode: "91410482MA47BQ8J76", Phone: "13812345678"})
	b, err := agreementHTML(c, d, "某街道人民调解委员会", "王芳")
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	for _, want := range []string{"<th>证件号码／统一社会信用代码</th>",
		"<td>第三人</td><td>汝州市某某物业服务有限公司</td><td>91410482MA47BQ8J76</td><td>138****5678</td><td></td>"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

func TestAgreementHTMLWithoutAgreement(t *testing.T) {
	c, d := agreementFixture()
	c.Agreement = nil
	if b, err := agreementHTML(c, d, "某街道人民调解委员会", "王芳"); err == nil {
		t.Fatalf("agreementHTML of a case without agreement = %d bytes, want an error", len(b))
	}
}

func TestAgreementYuanText(t *testing.T) {
	for _, tc := range []struct {
		fen  int64
		want string
	}{
		{0, "0.00"},
		{5, "0.05"},
		{99999, "999.99"},
		{100000, "1,000.00"},
		{120000, "1,200.00"},
		{123456789, "1,234,567.89"},
		{-12345, "-123.45"},
	} {
		if got := yuanText(tc.fen); got != tc.want {
			t.Errorf("yuanText(%d) = %q, want %q", tc.fen, got, tc.want)
		}
	}
}

// printedISODate and printedPaddedDate find a date written as 2026-05-12, or in Chinese
// with a leading zero (2026年05月12日), which no printed document holds.
var (
	printedISODate    = regexp.MustCompile(`\d{4}-\d{2}-\d{2}`)
	printedPaddedDate = regexp.MustCompile(`年0\d月|月0\d日`)
)

// printedDocumentChecks asserts what every printed document holds: the
// wanted names and dates, no date in figures with hyphens or leading
// zeros, and none of the usernames and org codes of leaks.
func printedDocumentChecks(t *testing.T, page string, wants, leaks []string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for _, leak := range leaks {
		if strings.Contains(page, leak) {
			t.Errorf("page holds %q", leak)
		}
	}
	if m := printedISODate.FindAllString(page, -1); m != nil {
		t.Errorf("page holds dates written %v, want 2026年5月12日", m)
	}
	if m := printedPaddedDate.FindAllString(page, -1); m != nil {
		t.Errorf("page holds dates with leading zeros %v", m)
	}
}

// TestPrintedDocuments prints every document type as the offices print
// it: the parties and the signing officials by name, the orgs by name,
// every date, the 落款's too, as 2026年5月12日;
// never a username, an org code or a date as 2026-05-12.
func TestPrintedDocuments(t *testing.T) {
	usernames := []string{"wangfang", "gaj-legal", "fuyi-clerk"}
	codes := []string{"RMTJ-01", "RZ-GA"}
	decided := func() reconsideration.Case {
		c := reconsiderationPrintFixture()
		c.Decision = &reconsideration.Decision{On: calendar.NewDate(2025, time.January, 6), Result: reconsideration.Annulled}
		return c
	}
	for _, tc := range []struct {
		name   string
		render func() ([]byte, error)
		wants  []string
	}{
		{"人民调解协议书", func() ([]byte, error) {
			c, d := agreementFixture()
			return agreementHTML(c, d, "某街道人民调解委员会", "王芳")
		}, []string{"<td>张三</td>", "&lt;script&gt;alert(1)&lt;/script&gt;", "<td>某物业公司</td>", "当事人签名（申请人 张三）",
			"当事人签名（第三人 某物业公司）", "调解员签名（王芳）", "某街道人民调解委员会",
			"当事人于2026年5月12日", "履行期限：2026年6月30日", "生效日期：2026年5月12日", "2026年5月12日",
			"人民币壹仟贰佰元整", "¥1,200.00"}},
		{"行政复议受理通知书", func() ([]byte, error) {
			c := reconsiderationPrintFixture()
			return acceptanceNoticeHTML(c, decisionRule(t, c), "汝州市人民政府", "汝州市公安局")
		}, []string{"张三：", "对汝州市公安局作出的", "汝州市人民政府", "本机关于2024年9月30日收到", "自2024年10月8日起予以受理",
			"2024年10月8日"}},
		{"行政复议决定书", func() ([]byte, error) {
			return decisionHTML(decided(), "汝州市人民政府", "汝州市公安局")
		}, []string{"申请人：张三", "被申请人：汝州市公安局", "汝州市人民政府", "于2024年10月8日依法受理", "被申请人于2024年10月18日",
			"本机关于2024年11月1日在第一听证室组织听证", "于2024年11月20日提出咨询意见", "本案于2024年11月4日中止审理，于2024年11月11日恢复审理",
			"2025年1月6日"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := tc.render()
			if err != nil {
				t.Fatal(err)
			}
			printedDocumentChecks(t, string(b), append(tc.wants, "<h1>"+tc.name+"</h1>"), append(usernames, codes...))
		})
	}
}
