package httpapi

import (
	"strings"
	"testing"
	"time"

	"jiefen"
	"jiefen/calendar"
	"jiefen/mediation"
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
			jiefen.Mask(jiefen.Party{Role: jiefen.PartyApplicant, Name: "张三", IDNumber: "410105199001011234", Phone: "13812345678"}),
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
		"某街道人民调解委员会",
		// The terms and the facts keep their line breaks.
		"一、被申请人向申请人赔偿人民币1200元；\n二、双方就本纠纷再无其他争议。",
		"邻里漏水纠纷",
		"楼上漏水浸泡楼下天花板。\n双方协商未果。",
		// The amount in 大写 with its figures beside it.
		`协议金额：<span class="amount-words">人民币壹仟贰佰元整</span>（<span class="amount">¥1,200.00</span>）`,
		"履行期限：2026年6月30日",
		"生效日期：2026年5月12日",
		// The parties are printed as given, masked here.
		"<td>申请人</td><td>张三</td><td>410***********1234</td><td>138****5678</td>",
		"<td>被申请人</td>",
		"410***********567X",
		"<td>第三人</td><td>某物业公司</td>",
		"当事人签名（申请人 张三）",
		"调解员签名（王芳）",
		"人民调解委员会（印章）",
		"日期：",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for _, leak := range []string{"<script>", "410105199001011234", "13812345678"} {
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
	b, err := agreementHTML(c, d, "某局", c.Assignee)
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	for _, want := range []string{"410105199001011234", "13812345678", "履行期限：未约定", "<h1>调解协议书</h1>", "调解组织（印章）",
		"人民币壹佰万零伍元整", "¥1,000,005.00"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

// An organisation is printed with its credit code where a person's ID
// number goes, as it is: a credit code is not personal data.
func TestAgreementHTMLOrganisation(t *testing.T) {
	c, d := agreementFixture()
	d.Parties[2] = jiefen.Mask(jiefen.Party{Role: jiefen.PartyThirdParty, Kind: jiefen.PartyOrganisation, Name: "汝州市某某物业服务有限公司",
		CreditCode: "91410482MA47BQ8J76", Phone: "13812345678"})
	b, err := agreementHTML(c, d, "某街道人民调解委员会", c.Assignee)
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	for _, want := range []string{"<th>证件号码／统一社会信用代码</th>",
		"<td>第三人</td><td>汝州市某某物业服务有限公司</td><td>91410482MA47BQ8J76</td><td>138****5678</td>"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

func TestAgreementHTMLWithoutAgreement(t *testing.T) {
	c, d := agreementFixture()
	c.Agreement = nil
	if b, err := agreementHTML(c, d, "某街道人民调解委员会", c.Assignee); err == nil {
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
