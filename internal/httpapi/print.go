package httpapi

import (
	"bytes"
	"errors"
	"html/template"
	"strconv"

	"jiefen"
	"jiefen/calendar"
	"jiefen/mediation"
	"jiefen/routing"
)

// agreementTemplate is the page of a mediation agreement. html/template
// escapes every value put into it.
const agreementTemplate = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{{.Title}} {{.Code}}</title>
<style>
@page { size: A4; margin: 25mm 20mm; }
body { font-family: "SimSun", "Songti SC", serif; font-size: 14pt; line-height: 1.8; color: #000; max-width: 170mm; margin: 2em auto; }
h1 { text-align: center; font-size: 22pt; letter-spacing: 0.3em; margin: 0.2em 0; }
.meta { display: flex; justify-content: space-between; font-size: 12pt; }
h2 { font-size: 14pt; margin: 1em 0 0.3em; }
table { width: 100%; border-collapse: collapse; }
th, td { border: 1px solid #000; padding: 0.2em 0.5em; text-align: left; vertical-align: top; }
.text { white-space: pre-wrap; word-break: break-all; }
.signatures p { margin: 1.2em 0; }
.line { display: inline-block; min-width: 12em; border-bottom: 1px solid #000; }
nav { border: 1px dashed #888; padding: 0.5em; font-size: 11pt; }
@media print {
  nav, .no-print { display: none !important; }
  body { margin: 0; max-width: none; }
  table, .signatures { page-break-inside: avoid; break-inside: avoid; }
}
</style>
</head>
<body>
<nav class="no-print">使用浏览器的打印功能（Ctrl+P）打印本协议书，纸张 A4。</nav>
<h1>{{.Title}}</h1>
<div class="meta"><span>案件编号：{{.Code}}</span><span>调解组织：{{with .OrgName}}<span class="org-name">{{.}}</span>{{else}}<span class="line"></span>{{end}}</span></div>

<h2>当事人</h2>
<table class="parties">
<thead><tr><th>身份</th><th>姓名（名称）</th><th>证件号码／统一社会信用代码</th><th>联系电话</th><th>住址（住所）</th></tr></thead>
<tbody>
{{- range .Parties}}
<tr><td>{{.Role}}</td><td>{{.Name}}</td><td>{{.IDNumber}}</td><td>{{.Phone}}</td><td>{{.Address}}</td></tr>
{{- end}}
</tbody>
</table>

<h2>纠纷事实</h2>
<p class="dispute-title">{{.DisputeTitle}}</p>
<div class="text facts">{{.Description}}</div>

<h2>协议内容</h2>
<p>经调解，当事人于{{.AgreedOn}}自愿达成如下协议：</p>
<div class="text terms">{{.Terms}}</div>
<p>协议金额：<span class="amount-words">{{.AmountInWords}}</span>（<span class="amount">{{.Amount}}</span>）</p>
<p>履行期限：{{.PerformanceDue}}</p>
<p>生效日期：{{.EffectiveOn}}</p>
<p>本协议经当事人签名（盖章）、调解员签名并加盖调解组织印章后生效，当事人各执一份，调解组织留存一份。</p>

<div class="signatures">
<h2>签名</h2>
{{- range .Parties}}
<p>当事人签名（{{.Role}} {{.Name}}）：<span class="line"></span></p>
{{- end}}
<p>调解员签名{{with .Mediator}}（{{.}}）{{end}}：<span class="line"></span></p>
<p>{{.Seal}}</p>
<p class="date">{{.Date}}</p>
</div>
</body>
</html>
`

// agreementPage is what the agreement template prints, every value already
// formatted.
type agreementPage struct {
	Title, Code, OrgName        string
	Parties                     []agreementParty
	DisputeTitle, Description   string
	AgreedOn, Terms             string
	Amount, AmountInWords       string
	PerformanceDue, EffectiveOn string
	Mediator, Seal, Date        string
}

// agreementParty is one party as the agreement prints it.
type agreementParty struct {
	Role, Name, IDNumber, Phone, Address string
}

// agreementHTML renders the mediation agreement (调解协议书) of a case as a
// page fit to print on A4: the case code, the mediating org by its name
// (orgName; a blank line to fill in by hand when it is empty, never its
// code), the parties (role, name, ID number or an organisation's credit
// code, phone, address), the facts of the dispute, the agreed terms with
// their line breaks, the amount in 人民币大写 with its figures beside it,
// the performance and effective dates, and a block for the signatures and
// the seal: a line for each party under their name, a line for the
// mediator under their display name (mediator, the 姓名 of the account;
// no name at all when it is empty, never a username), and the day the
// agreement was reached (落款). Every date, the 落款's too, is written
// 2026年5月12日 (printDate). The parties are printed as d holds them, so
// the caller masks their ID numbers, phones and addresses as the reader's
// role requires. A case without an agreement is an error.
func agreementHTML(c mediation.Case, d routing.Dispute, orgName, mediator string) ([]byte, error) {
	a := c.Agreement
	if a == nil {
		return nil, errors.New("the case has no mediation agreement to print")
	}
	tmpl, err := template.New("agreement").Parse(agreementTemplate)
	if err != nil {
		return nil, err
	}
	code := c.DisputeCode
	if code == "" {
		code = d.Code
	}
	page := agreementPage{
		Title:          "调解协议书",
		Code:           code,
		OrgName:        orgName,
		DisputeTitle:   d.Title,
		Description:    d.Description,
		AgreedOn:       printDate(a.On),
		Terms:          a.Terms,
		Amount:         "¥" + yuanText(a.AmountFen),
		AmountInWords:  jiefen.AmountInWords(a.AmountFen),
		PerformanceDue: "未约定",
		EffectiveOn:    printDate(a.EffectiveOn),
		Mediator:       mediator,
		Seal:           "调解组织（印章）",
		Date:           printDate(a.On),
	}
	if routing.Track(c.Track) == routing.TrackPeople {
		page.Title, page.Seal = "人民调解协议书", "人民调解委员会（印章）"
	}
	if a.PerformanceDue != nil {
		page.PerformanceDue = printDate(*a.PerformanceDue)
	}
	for _, p := range d.Parties {
		number := p.IDNumber
		if p.Organisation() {
			number = p.CreditCode
		}
		page.Parties = append(page.Parties, agreementParty{Role: partyRoleLabel(p.Role), Name: p.Name, IDNumber: number, Phone: p.Phone, Address: p.Address})
	}
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, page); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// partyRoleLabel is the Chinese name of a party's role in an agreement:
// 申请人, 被申请人 or 第三人, or the role itself when it is none of these.
func partyRoleLabel(r jiefen.PartyRole) string {
	switch r {
	case jiefen.PartyApplicant:
		return "申请人"
	case jiefen.PartyRespondent:
		return "被申请人"
	case jiefen.PartyThirdParty:
		return "第三人"
	}
	return string(r)
}

// printDate writes d the way a printed document does, in the body and
// under the seal (落款, the 成文日期) alike: in Arabic figures, the year in
// full, the month and the day without leading zeros, 2026年5月12日
// (GB/T 9704-2012 党政机关公文格式 7.3.5.1; the 1999 edition's Chinese
// numerals, 二〇二六年五月十二日, are no longer the rule).
func printDate(d calendar.Date) string { return jiefen.DateInFigures(d.YMD()) }

// yuanText writes an amount in fen as yuan with two decimals and its
// thousands grouped, such as 1,200.00.
func yuanText(fen int64) string {
	sign := ""
	u := uint64(fen)
	if fen < 0 {
		sign, u = "-", uint64(-fen) // -MinInt64 wraps to itself, which as uint64 is its magnitude
	}
	whole := strconv.FormatUint(u/100, 10)
	var b []byte
	for i := range len(whole) {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b = append(b, ',')
		}
		b = append(b, whole[i])
	}
	cents := strconv.FormatUint(u%100, 10)
	if len(cents) == 1 {
		cents = "0" + cents
	}
	return sign + string(b) + "." + cents
}
