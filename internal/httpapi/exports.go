package httpapi

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"jiefen/calendar"
	"jiefen/liaison"
	"jiefen/litigation"
	"jiefen/mediation"
)

// orgNames maps org codes to the orgs' names, for exports that show orgs
// by name.
type orgNames map[string]string

// of is the name of the org with the code, or the code itself when no org
// has it.
func (n orgNames) of(code string) string {
	if name, ok := n[code]; ok {
		return name
	}
	return code
}

// list names each org of a list of codes joined by 、 (a suit's
// co-defendants as a reconciliation difference gives them).
func (n orgNames) list(codes string) string {
	parts := strings.Split(codes, "、")
	for i, c := range parts {
		parts[i] = n.of(c)
	}
	return strings.Join(parts, "、")
}

// orgNamer reads org names; the stores of the handlers whose exports show
// orgs by name have it.
type orgNamer interface {
	OrgNames(ctx context.Context, codes []string) (map[string]string, error)
}

// readOrgNames reads the names of the orgs with the codes.
func readOrgNames(ctx context.Context, store orgNamer, codes []string) (orgNames, error) {
	slices.Sort(codes)
	names, err := store.OrgNames(ctx, slices.Compact(codes))
	return orgNames(names), err
}

// casesWorkbook is the court's caseload spreadsheet of a list of cases:
// the import's columns in the court's order and words, so that the
// workbook imports back changing nothing. A case's hearing is its latest
// held by today (the court's sheet records hearings held); 负责人出庭 is
// 是 or 否, 出庭人职务 and 结案方式 the court's words.
func casesWorkbook(cs []litigation.Case, names orgNames, today calendar.Date) ([]byte, error) {
	t := newTable("行政诉讼案件", "行政诉讼案件",
		column{header: litigation.ColCaseNumber, width: 24},
		column{header: litigation.ColPlaintiff, width: 10},
		column{header: litigation.ColDefendant, width: 16},
		column{header: litigation.ColCause, width: 10},
		column{header: litigation.ColFiledOn, kind: dateCell},
		column{header: litigation.ColHeldOn, kind: dateCell},
		column{header: litigation.ColHeadAppeared},
		column{header: litigation.ColPosition},
		column{header: litigation.ColConcludedOn, kind: dateCell},
		column{header: litigation.ColResult})
	for _, lc := range cs {
		var held, concluded calendar.Date
		var head, position, result string
		for _, h := range lc.Hearings {
			if h.HeldOn > today || h.HeldOn < held {
				continue
			}
			held, head, position = h.HeldOn, "否", ""
			if h.HeadAppeared {
				head = "是"
			}
			if h.Appearer != nil {
				position = h.Appearer.Position.Name()
			}
		}
		if lc.Outcome != nil {
			concluded, result = lc.Outcome.ConcludedOn, lc.Outcome.Result.Name()
		}
		defendants := make([]string, 0, 1)
		for _, code := range caseDefendants(lc) {
			defendants = append(defendants, names.of(code))
		}
		t.add(lc.CaseNumber.Canonical, lc.Plaintiff, strings.Join(defendants, "、"), lc.Cause, lc.FiledOn, held, head, position, concluded, result)
	}
	return t.workbook()
}

// caseDefendants are the codes of the bodies a case is brought against,
// the first defendant first (共同被告 after it).
func caseDefendants(lc litigation.Case) []string {
	if len(lc.Defendants) > 0 {
		return lc.Defendants
	}
	return []string{lc.Defendant}
}

// caseAgencies are the codes of the agencies the cases are brought
// against.
func caseAgencies(cs []litigation.Case) []string {
	var codes []string
	for _, lc := range cs {
		codes = append(codes, caseDefendants(lc)...)
	}
	return codes
}

// statsWorkbook is the statistics table: a row per group, the agency by
// name (all agencies, or the one asked for, when not grouped by agency)
// and the month when grouped by month; rates as percentages.
func statsWorkbook(rows []litigation.Row, names orgNames, from, to calendar.Date, g litigation.Grouping, agency string) ([]byte, error) {
	title := "行政应诉统计（" + from.String() + "至" + to.String() + "）"
	cols := []column{{header: "机关", width: 16}}
	if g.Month {
		cols = append(cols, column{header: "月份"})
	}
	count := func(f litigation.Figure) column { return column{header: f.Name(), kind: intCell} }
	cols = append(cols, count(litigation.Filed), count(litigation.Concluded), count(litigation.Lost), column{header: "败诉率", kind: fractionCell},
		count(litigation.Heard), count(litigation.HeadAppeared), column{header: "负责人出庭率", kind: fractionCell},
		count(litigation.KeyHeard), count(litigation.KeyHeadAppeared))
	t := newTable("行政应诉统计", title, cols...)
	everyAgency := "全部机关"
	if agency != "" {
		everyAgency = names.of(agency)
	}
	for _, r := range rows {
		cells := []any{everyAgency}
		if r.AgencyCode != nil {
			cells[0] = names.of(*r.AgencyCode)
		}
		if g.Month {
			cells = append(cells, monthName(r.Month))
		}
		t.add(append(cells, r.Filed, r.Concluded, r.Lost, r.LossRate, r.Heard, r.HeadAppeared, r.AppearanceRate, r.KeyHeard, r.KeyHeadAppeared)...)
	}
	return t.workbook()
}

// statsAgencies are the codes of the agencies of the rows, and of the one
// asked for ("" for none).
func statsAgencies(rows []litigation.Row, agency string) []string {
	var codes []string
	if agency != "" {
		codes = append(codes, agency)
	}
	for _, r := range rows {
		if r.AgencyCode != nil {
			codes = append(codes, *r.AgencyCode)
		}
	}
	return codes
}

// monthName writes a YYYY-MM month as 2025年03月 (nil: "").
func monthName(m *string) any {
	if m == nil {
		return nil
	}
	y, mm, ok := strings.Cut(*m, "-")
	if !ok {
		return *m
	}
	return y + "年" + mm + "月"
}

// differenceNames are the Chinese names of the kinds of reconciliation
// differences (litigation.Difference).
var differenceNames = map[string]string{"missing_on_platform": "平台未登记", "missing_in_court": "法院无此案", "defendant": "被告不一致",
	"filed_on": "立案日期不一致", "result": "结案方式不一致", "concluded_on": "结案日期不一致", "hearing": "开庭未登记"}

// reconciliationWorkbook lists the differences between the court's rows
// and the platform's cases: agencies by name, dates as dates, results in
// the court's words.
func reconciliationWorkbook(diffs []litigation.Difference, names orgNames, from, to calendar.Date) ([]byte, error) {
	t := newTable("对账差异", "法院案件对账差异（"+from.String()+"至"+to.String()+"）",
		column{header: "案号", width: 24}, column{header: "差异", width: 14}, column{header: "法院记载", width: 16}, column{header: "平台记载", width: 16})
	value := func(kind, v string) any {
		if v == "" {
			return nil
		}
		switch kind {
		case "missing_on_platform", "missing_in_court", "defendant":
			return names.list(v)
		case "result":
			return litigation.Result(v).Name()
		case "filed_on", "concluded_on", "hearing":
			if d, err := calendar.ParseDate(v); err == nil {
				return d
			}
		}
		return v
	}
	for _, d := range diffs {
		kind := d.Kind
		if n, ok := differenceNames[kind]; ok {
			kind = n
		}
		t.add(d.CaseNumber, kind, value(d.Kind, d.Court), value(d.Kind, d.Platform))
	}
	return t.workbook()
}

// differenceAgencies are the agency codes the differences name.
func differenceAgencies(diffs []litigation.Difference) []string {
	var codes []string
	for _, d := range diffs {
		switch d.Kind {
		case "missing_on_platform", "missing_in_court", "defendant":
			codes = append(codes, strings.Split(d.Court, "、")...)
			codes = append(codes, strings.Split(d.Platform, "、")...)
		}
	}
	return codes
}

// ledgerWorkbook is the joint meeting's ledger (台账): an issue a row, the
// units by name, the state in Chinese, the latest progress report and the
// latest leader's comment.
func ledgerWorkbook(is []liaison.Issue, names orgNames) ([]byte, error) {
	t := newTable("府院联动台账", "府院联动工作台账",
		column{header: "会议", width: 16}, column{header: "事项", width: 24}, column{header: "牵头单位", width: 14},
		column{header: "配合单位", width: 14}, column{header: "提出日期", kind: dateCell}, column{header: "办理期限", kind: dateCell},
		column{header: "状态"}, column{header: "是否超期"}, column{header: "最新进展", width: 30}, column{header: "进展日期", kind: dateCell},
		column{header: "销号日期", kind: dateCell}, column{header: "领导批示", width: 20})
	for _, i := range is {
		var raised, reported calendar.Date
		if len(i.Steps) > 0 {
			raised = i.Steps[0].On
		}
		progress, comment := "", ""
		if n := len(i.Reports); n > 0 {
			progress, reported = i.Reports[n-1].Text, i.Reports[n-1].On
		}
		if n := len(i.Comments); n > 0 {
			comment = i.Comments[n-1].Text
		}
		co := make([]string, len(i.CoUnits))
		for k, u := range i.CoUnits {
			co[k] = names.of(u)
		}
		overdue := "否"
		if i.Overdue {
			overdue = "是"
		}
		t.add(i.Meeting, i.Title, names.of(i.LeadUnit), strings.Join(co, "、"), raised, i.Deadline, i.State.Label(), overdue,
			progress, reported, i.ClosedOn, comment)
	}
	return t.workbook()
}

// ledgerUnits are the org codes of the issues' lead and co-operating
// units.
func ledgerUnits(is []liaison.Issue) []string {
	var codes []string
	for _, i := range is {
		codes = append(append(codes, i.LeadUnit), i.CoUnits...)
	}
	return codes
}

// subsidyWorkbook is the month's 以案定补 report: a row per case, a
// subtotal per mediator and a grand total, organisations by name, the day
// each subsidy was earned as a date and amounts in yuan.
func subsidyWorkbook(month string, lines []mediation.SubsidyLine, names orgNames) ([]byte, error) {
	title := "以案定补（" + month + "）"
	if y, m, ok := strings.Cut(month, "-"); ok && len(month) == 7 {
		title = "以案定补（" + y + "年" + m + "月）"
	}
	t := newTable("以案定补", title,
		column{header: "调解员", width: 10}, column{header: "调解组织", width: 16}, column{header: "案件编号", width: 16},
		column{header: "纠纷", width: 30}, column{header: "难度"}, column{header: "补贴日期", kind: dateCell}, column{header: "金额（元）", kind: moneyCell})
	var totalFen int64
	cases := 0
	for _, l := range lines {
		org := names.of(l.OrgCode)
		for _, c := range l.Cases {
			t.add(l.Mediator, org, c.DisputeCode, c.Title, mediation.Tier(c.Tier).Name(), c.EarnedOn, c.AmountFen)
		}
		t.addTotal(l.Mediator, org, "小计", "共 "+strconv.Itoa(len(l.Cases))+" 件", nil, nil, l.AmountFen)
		totalFen += l.AmountFen
		cases += len(l.Cases)
	}
	t.addTotal("合计", nil, nil, "共 "+strconv.Itoa(cases)+" 件", nil, nil, totalFen)
	return t.workbook()
}

// subsidyOrgs are the org codes of the report's mediators.
func subsidyOrgs(lines []mediation.SubsidyLine) []string {
	codes := make([]string, len(lines))
	for i, l := range lines {
		codes[i] = l.OrgCode
	}
	return codes
}
