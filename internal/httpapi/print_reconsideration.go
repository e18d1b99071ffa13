package httpapi

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"strconv"
	"strings"

	"jiefen/calendar"
	"jiefen/reconsideration"
)

// reconsiderationPrintHead is the head of the printed documents of a
// reconsideration case, up to and including <body>. Each page it heads has
// a Title and a Number.
const reconsiderationPrintHead = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{{.Title}} {{.Number}}</title>
<style>
@page { size: A4; margin: 25mm 20mm; }
body { font-family: "SimSun", "Songti SC", serif; font-size: 14pt; line-height: 1.8; color: #000; max-width: 170mm; margin: 2em auto; }
h1 { text-align: center; font-size: 22pt; letter-spacing: 0.3em; margin: 0.2em 0; }
.number { text-align: right; font-size: 12pt; margin: 0 0 1em; }
h2 { font-size: 14pt; margin: 1em 0 0.3em; }
p { margin: 0.4em 0; }
.body p { text-indent: 2em; }
.text { white-space: pre-wrap; word-break: break-all; text-indent: 0; }
.sign { margin-top: 3em; text-align: right; }
.sign p { text-indent: 0; margin: 0.6em 0; }
.line { display: inline-block; min-width: 8em; border-bottom: 1px solid #000; }
nav { border: 1px dashed #888; padding: 0.5em; font-size: 11pt; }
@media print {
  nav, .no-print { display: none !important; }
  body { margin: 0; max-width: none; }
  .sign { page-break-inside: avoid; break-inside: avoid; }
}
</style>
</head>
<body>
<nav class="no-print">使用浏览器的打印功能（Ctrl+P）打印本文书，纸张 A4。</nav>
`

// acceptanceNoticeTemplate is the page of an acceptance notice.
// html/template escapes every value put into it.
const acceptanceNoticeTemplate = reconsiderationPrintHead + `<h1>{{.Title}}</h1>
<p class="number">{{.Number}}</p>
<div class="body">
<p class="addressee" style="text-indent: 0">{{.Applicant}}：</p>
<p>本机关于{{.ReceivedOn}}收到你（单位）对{{with .Respondent}}{{.}}{{else}}<span class="line"></span>{{end}}作出的<span class="act">{{.Act}}</span>不服提出的行政复议申请。
{{- if .Deemed}}本机关在审查期限内未作出不予受理决定，审查期限已经届满，依照《中华人民共和国行政复议法》第三十条的规定，该申请自{{.AcceptedOn}}起视为受理。
{{- else}}经审查，该申请符合《中华人民共和国行政复议法》第三十条规定的受理条件，本机关决定自{{.AcceptedOn}}起予以受理。
{{- end}}</p>
<p class="procedure">本案适用{{.Procedure}}审理。依照《中华人民共和国行政复议法》第六十二条的规定，本机关将自受理申请之日起{{.Period}}内作出行政复议决定。
{{- with .Extension}}情况复杂，不能在规定期限内作出行政复议决定的，经本机关负责人批准，可以适当延长，并告知当事人，但延长期限最多不超过{{.}}。{{end}}</p>
<p>特此通知。</p>
</div>
<div class="sign">
<p class="body-name">{{.Body}}</p>
<p class="date">{{.Date}}</p>
<p class="seal">（行政复议机关印章）</p>
</div>
</body>
</html>
`

// acceptanceNoticePage is what the acceptance notice template prints,
// every value already formatted.
type acceptanceNoticePage struct {
	Title, Number         string
	Applicant, Respondent string
	Act, ReceivedOn       string
	AcceptedOn            string
	Deemed                bool
	Procedure, Period     string
	Extension             string // the longest extension, "" for none
	Body, Date            string
}

// acceptanceNoticeHTML renders the acceptance notice (行政复议受理通知书)
// of a case as a page fit to print on A4: the number 复受〔year of
// acceptance〕第ID号, the applicant it is addressed to, the day the
// application was received and the act of the respondent it contests, the
// day it was accepted from — or, when c.Deemed, the day it is deemed
// accepted from because the review period ran out (行政复议法 第30条) —
// the procedure and the period for the decision (第62条, from the
// catalogue's rule of the procedure: decision the rule's N days, extendable
// when it allows an extension), and the body's name, the date of acceptance
// (落款) and the seal line; every date is written 2024年10月8日
// (printDate). body names the reconsideration body (行政复议机关
// when empty) and respondent the respondent agency (a blank line to fill
// in by hand when empty, never its org code). The applicant is printed as
// c holds it, so the caller masks the case as the reader's role requires.
// A case not accepted is an error.
func acceptanceNoticeHTML(c reconsideration.Case, decision calendar.Rule, body, respondent string) ([]byte, error) {
	if c.AcceptedOn == nil {
		return nil, errors.New("the case has not been accepted: there is no acceptance notice to print")
	}
	tmpl, err := template.New("acceptance-notice").Parse(acceptanceNoticeTemplate)
	if err != nil {
		return nil, err
	}
	if decision.Unit != calendar.Days || decision.N < 1 || decision.N > 99 || decision.MaxExtensionDays > 99 {
		return nil, fmt.Errorf("the decision clock %s is %d %s (+%d): the notice prints periods of 1 to 99 days", decision.ID, decision.N, decision.Unit, decision.MaxExtensionDays)
	}
	extension := ""
	if decision.MaxExtensionDays > 0 {
		extension = daysInChinese(decision.MaxExtensionDays)
	}
	page := acceptanceNoticePage{
		Title:      "行政复议受理通知书",
		Number:     reconsiderationNumber("复受", c.AcceptedOn.Year(), c.ID),
		Applicant:  c.Applicant.Name,
		Respondent: strings.TrimSpace(respondent),
		Act:        c.Act,
		ReceivedOn: printDate(c.ReceivedOn),
		AcceptedOn: printDate(*c.AcceptedOn),
		Deemed:     c.Deemed,
		Procedure:  reconsiderationProcedureName(c.Procedure),
		Period:     daysInChinese(decision.N),
		Extension:  extension,
		Body:       reconsiderationBody(body),
		Date:       printDate(*c.AcceptedOn),
	}
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, page); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// reconsiderationDecisionTemplate is the page of a decision. html/template
// escapes every value put into it.
const reconsiderationDecisionTemplate = reconsiderationPrintHead + `<h1>{{.Title}}</h1>
<p class="number">{{.Number}}</p>
<div class="body">
<p class="applicant" style="text-indent: 0">申请人：{{.Applicant}}</p>
{{- if .IDNumber}}
<p class="id-number" style="text-indent: 0">证件号码：{{.IDNumber}}</p>
{{- end}}
{{- if .CreditCode}}
<p class="credit-code" style="text-indent: 0">统一社会信用代码：{{.CreditCode}}</p>
{{- end}}
<p class="respondent" style="text-indent: 0">被申请人：{{with .Respondent}}{{.}}{{else}}<span class="line"></span>{{end}}</p>
<p>申请人不服被申请人作出的<span class="act">{{.Act}}</span>，向本机关申请行政复议。</p>

<h2>审理经过</h2>
{{- range .History}}
<p>{{.}}</p>
{{- end}}
{{- if .Reason}}

<h2>本机关认为</h2>
<div class="text reason">{{.Reason}}</div>
{{- end}}

<h2>复议决定</h2>
<p class="result">依照《中华人民共和国行政复议法》{{.Article}}的规定，本机关决定：<strong>{{.Result}}</strong>。</p>
{{- if .Merits}}
<p class="effect">本决定书自送达之日起发生法律效力。</p>
<p class="appeal">申请人如不服本决定，可以自收到本决定书之日起十五日内，依照《中华人民共和国行政诉讼法》第四十五条的规定向人民法院提起行政诉讼。</p>
{{- end}}
</div>
<div class="sign">
<p class="body-name">{{.Body}}</p>
<p class="date">{{.Date}}</p>
<p class="seal">（行政复议机关印章）</p>
</div>
</body>
</html>
`

// reconsiderationDecisionPage is what the decision template prints, every
// value already formatted.
type reconsiderationDecisionPage struct {
	Title, Number       string
	Applicant, IDNumber string
	CreditCode          string
	Respondent, Act     string
	History             []string
	Reason              string
	Result, Article     string
	Merits              bool
	Body, Date          string
}

// decisionHTML renders the decision (行政复议决定书) of a case as a page
// fit to print on A4: the number 复决〔year of the decision〕第ID号, the
// applicant (name, and ID number or an organisation's credit code when
// there is one), the respondent, the contested act, the history of the
// procedure (received, accepted or deemed accepted, the respondent's
// reply, hearings, committee consultations, suspensions, extension), the
// reason with its line breaks, the result in Chinese with its article of
// 行政复议法, for a decision on the merits the notice of the right to sue
// within 15 days of receipt (行政诉讼法 第45条), and the body's name, the
// date of the decision (落款) and the seal line; every date is written
// 2024年10月8日 (printDate). body names the
// reconsideration body (行政复议机关 when empty) and respondent the
// respondent agency (a blank line to fill in by hand when empty, never its
// org code). The applicant is printed as c holds it, so the caller masks
// the case as the reader's role requires. A case without a decision, or
// with a result this does not know, is an error.
func decisionHTML(c reconsideration.Case, body, respondent string) ([]byte, error) {
	d := c.Decision
	if d == nil {
		return nil, errors.New("the case has no decision to print")
	}
	label, article, merits, ok := reconsiderationResultText(d.Result)
	if !ok {
		return nil, fmt.Errorf("unknown reconsideration result %q", d.Result)
	}
	tmpl, err := template.New("decision").Parse(reconsiderationDecisionTemplate)
	if err != nil {
		return nil, err
	}
	page := reconsiderationDecisionPage{
		Title:      "行政复议决定书",
		Number:     reconsiderationNumber("复决", d.On.Year(), c.ID),
		Applicant:  c.Applicant.Name,
		IDNumber:   c.Applicant.IDNumber,
		CreditCode: c.Applicant.CreditCode,
		Respondent: strings.TrimSpace(respondent),
		Act:        c.Act,
		History:    reconsiderationHistory(c),
		Reason:     d.Reason,
		Result:     label,
		Article:    article,
		Merits:     merits,
		Body:       reconsiderationBody(body),
		Date:       printDate(d.On),
	}
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, page); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// reconsiderationNumber is the number line of a document: the prefix
// (复受, 复决), then 〔year〕第ID号.
func reconsiderationNumber(prefix string, year int, id int64) string {
	return prefix + "〔" + strconv.Itoa(year) + "〕第" + strconv.FormatInt(id, 10) + "号"
}

// reconsiderationBody is the body's name as printed, 行政复议机关 when none
// is given.
func reconsiderationBody(name string) string {
	if name = strings.TrimSpace(name); name != "" {
		return name
	}
	return "行政复议机关"
}

// reconsiderationProcedureName is the Chinese name of a procedure. A
// procedure that is neither is ordinary, as Application.Validate defaults
// it.
func reconsiderationProcedureName(p reconsideration.Procedure) string {
	if p == reconsideration.Simplified {
		return "简易程序"
	}
	return "普通程序"
}

// daysInChinese writes 1 to 99 days as a document does: 五日, 十五日,
// 三十日, 六十日.
func daysInChinese(n int) string {
	digits := []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	switch {
	case n < 10:
		return digits[n] + "日"
	case n < 20:
		return "十" + digits[n%10] + "日"
	}
	return digits[n/10] + "十" + digits[n%10] + "日"
}

// reconsiderationResultText is the Chinese label of a result, its article
// of 行政复议法, and whether it decides the merits (so that the applicant
// may sue); ok is false for an unknown result.
func reconsiderationResultText(r reconsideration.Result) (label, article string, merits, ok bool) {
	switch r {
	case reconsideration.Varied:
		return "变更", "第六十三条", true, true
	case reconsideration.Annulled:
		return "撤销", "第六十四条", true, true
	case reconsideration.ConfirmedUnlawful:
		return "确认违法", "第六十五条", true, true
	case reconsideration.OrderedPerformance:
		return "责令履行", "第六十六条", true, true
	case reconsideration.ConfirmedVoid:
		return "确认无效", "第六十七条", true, true
	case reconsideration.Upheld:
		return "维持", "第六十八条", true, true
	case reconsideration.Dismissed:
		return "驳回行政复议请求", "第六十九条", true, true
	case reconsideration.Mediated:
		return "调解结案", "第七十三条", false, true
	case reconsideration.Settled:
		return "和解结案", "第七十四条", false, true
	case reconsideration.Terminated:
		return "终止行政复议", "第四十一条", false, true
	}
	return "", "", false, false
}

// reconsiderationHistory is the history of the procedure as a decision
// tells it, one paragraph a step.
func reconsiderationHistory(c reconsideration.Case) []string {
	procedure := reconsiderationProcedureName(c.Procedure)
	first := "本机关于" + printDate(c.ReceivedOn) + "收到行政复议申请"
	switch {
	case c.AcceptedOn != nil && c.Deemed:
		first += "，审查期限届满未作出不予受理决定，依照《中华人民共和国行政复议法》第三十条的规定，该申请自" + printDate(*c.AcceptedOn) + "起视为受理"
	case c.AcceptedOn != nil:
		first += "，于" + printDate(*c.AcceptedOn) + "依法受理"
	}
	out := []string{first + "，适用" + procedure + "审理。"}
	if c.Reply != nil {
		out = append(out, "被申请人于"+printDate(c.Reply.On)+"提交了书面答复和有关证据材料。")
	}
	for _, h := range c.Hearings {
		s := "本机关于" + printDate(h.On)
		if place := strings.TrimSpace(h.Place); place != "" {
			s += "在" + place
		}
		out = append(out, s+"组织听证。")
	}
	if len(c.Committee) > 0 {
		days := make([]string, len(c.Committee))
		for i, o := range c.Committee {
			days[i] = printDate(o.On)
		}
		out = append(out, "本案经行政复议委员会咨询，委员会于"+strings.Join(days, "、")+"提出咨询意见。")
	}
	for _, s := range c.Suspensions {
		t := "本案于" + printDate(s.On) + "中止审理"
		if s.Resumed != nil {
			t += "，于" + printDate(*s.Resumed) + "恢复审理"
		}
		out = append(out, t+"。")
	}
	if e := c.Extension; e != nil {
		out = append(out, "经本机关负责人批准，本案审理期限延长"+strconv.Itoa(e.Days)+"日。")
	}
	return append(out, "本案现已审理终结。")
}
