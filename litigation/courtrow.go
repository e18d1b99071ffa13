package litigation

import (
	"strings"
	"time"

	"jiefen"
	"jiefen/calendar"
)

// The columns of the court's caseload spreadsheet (API.md, "Court caseload
// sync"), in the court's words.
const (
	ColCaseNumber   = "案号"
	ColPlaintiff    = "原告"
	ColDefendant    = "被告"
	ColCause        = "案由"
	ColFiledOn      = "立案日期"
	ColHeldOn       = "开庭日期"
	ColHeadAppeared = "负责人出庭"
	ColPosition     = "出庭人职务"
	ColConcludedOn  = "结案日期"
	ColResult       = "结案方式"
)

// Columns lists the columns in the court's order.
var Columns = []string{ColCaseNumber, ColPlaintiff, ColDefendant, ColCause, ColFiledOn, ColHeldOn, ColHeadAppeared, ColPosition, ColConcludedOn, ColResult}

// columnAliases maps the English headers (and a few spellings courts use)
// to the court's words.
var columnAliases = map[string]string{
	"case_number": ColCaseNumber, "plaintiff": ColPlaintiff, "defendant": ColDefendant, "cause": ColCause,
	"filed_on": ColFiledOn, "held_on": ColHeldOn, "hearing_date": ColHeldOn, "head_appeared": ColHeadAppeared,
	"position": ColPosition, "appearer_position": ColPosition, "concluded_on": ColConcludedOn, "result": ColResult,
	"收案日期": ColFiledOn, "结案类型": ColResult, "负责人是否出庭": ColHeadAppeared, "出庭人员职务": ColPosition,
}

// Column returns the court's word for a header as found in a file (the
// court's own, an English alias, or a known variant; spaces and case
// ignored), or "" when it is none of them.
func Column(header string) string {
	h := strings.TrimSpace(strings.TrimPrefix(header, "\uFEFF"))
	for _, c := range Columns {
		if h == c {
			return c
		}
	}
	return columnAliases[strings.ToLower(strings.ReplaceAll(h, " ", "_"))]
}

// positionWords are the court's words for who appeared.
var positionWords = map[string]Position{"正职": Principal, "副职": Deputy, "分管负责人": InCharge, "工作人员": Staff,
	"principal": Principal, "deputy": Deputy, "in_charge": InCharge, "staff": Staff}

// resultWords are the court's words for how a case was concluded.
var resultWords = map[string]Result{"驳回诉讼请求": DismissedClaims, "驳回起诉": DismissedSuit, "撤销": Annulled, "部分撤销": PartiallyAnnulled,
	"变更": Varied, "确认违法": ConfirmedUnlawful, "确认无效": ConfirmedVoid, "责令履行": OrderedPerformance, "行政赔偿": Compensation,
	"撤诉": Withdrawn, "改变行为后撤诉": WithdrawnAfterChange, "调解": Mediated}

// CourtRow is one row of the court's caseload as read from a spreadsheet:
// a case, its latest hearing and its outcome, in the court's words.
type CourtRow struct {
	Line   int // the spreadsheet's row number (the header is row 1)
	Values map[string]string
}

// CourtCase is a validated court row.
type CourtCase struct {
	Filing  Filing
	Number  CaseNumber
	Hearing *Hearing
	Outcome *Outcome
}

// Parse validates the row and returns the case it describes. Problems name
// the court's column as the field: a case number by the 2016 rules, dates
// as YYYY-MM-DD (also YYYY/MM/DD, YYYY.MM.DD, YYYY年M月D日, and Excel's
// serial day numbers), 是/否 for the head appearing, the court's words for
// the position and the result. The defendant is matched to an agency later,
// by the store.
func (r CourtRow) Parse(today calendar.Date) (CourtCase, error) {
	var p jiefen.Problems
	v := func(col string) string { return strings.TrimSpace(r.Values[col]) }
	date := func(col string, required bool) *calendar.Date {
		s := v(col)
		if s == "" {
			if required {
				p.Add(col, "is required")
			}
			return nil
		}
		d, ok := SpreadsheetDate(s)
		switch {
		case !ok:
			p.Add(col, "%q is not a date (YYYY-MM-DD)", s)
			return nil
		case d > today:
			p.Add(col, "%s is in the future", d)
		}
		return &d
	}
	var out CourtCase
	n, err := ParseCaseNumber(v(ColCaseNumber))
	if err != nil {
		for _, f := range fieldsOf(err) {
			p.Add(ColCaseNumber, "%s", f.Message)
		}
	}
	out.Number = n
	f := Filing{CaseNumber: v(ColCaseNumber), Defendant: v(ColDefendant), Plaintiff: v(ColPlaintiff), Cause: v(ColCause)}
	if f.Defendant == "" {
		p.Add(ColDefendant, "is required")
	}
	if f.Plaintiff == "" {
		p.Add(ColPlaintiff, "is required")
	}
	if d := date(ColFiledOn, true); d != nil {
		f.FiledOn = *d
	}
	out.Filing = f
	if held := date(ColHeldOn, false); held != nil {
		h := &Hearing{HeldOn: *held}
		if w := v(ColPosition); w != "" {
			pos, ok := positionWords[w]
			if !ok {
				p.Add(ColPosition, "%q is not one of 正职, 副职, 分管负责人, 工作人员", w)
			}
			h.Appearer = &Appearer{Name: w, Position: pos}
		}
		switch w := v(ColHeadAppeared); w {
		case "是", "Y", "y", "yes", "true", "1":
			h.HeadAppeared = true
			if h.Appearer != nil && !h.Appearer.Position.IsHead() {
				p.Add(ColHeadAppeared, "是 with %s: a staff member appearing is not the head appearing", v(ColPosition))
			}
		case "否", "N", "n", "no", "false", "0", "":
		default:
			p.Add(ColHeadAppeared, "%q is not 是 or 否", w)
		}
		if h.HeldOn < f.FiledOn {
			p.Add(ColHeldOn, "%s is before the filing (%s)", h.HeldOn, f.FiledOn)
		}
		out.Hearing = h
	} else if v(ColHeadAppeared) == "是" {
		p.Add(ColHeldOn, "is required when 负责人出庭 is 是")
	}
	concluded := date(ColConcludedOn, false)
	switch w := v(ColResult); {
	case w == "" && concluded != nil:
		p.Add(ColResult, "is required with 结案日期")
	case w != "" && concluded == nil:
		p.Add(ColConcludedOn, "is required with 结案方式")
	case w != "":
		res, ok := resultWords[w]
		if !ok {
			p.Add(ColResult, "%q is not one of 驳回诉讼请求, 驳回起诉, 撤销, 部分撤销, 变更, 确认违法, 确认无效, 责令履行, 行政赔偿, 撤诉, 改变行为后撤诉, 调解", w)
		}
		if *concluded < f.FiledOn {
			p.Add(ColConcludedOn, "%s is before the filing (%s)", *concluded, f.FiledOn)
		}
		out.Outcome = &Outcome{Result: res, ConcludedOn: *concluded, LossCauses: []LossCause{}}
	}
	if err == nil && f.FiledOn != 0 && f.FiledOn.Year() < n.Year {
		p.Add(ColFiledOn, "%s is before the case number's year %d", f.FiledOn, n.Year)
	}
	return out, p.Err()
}

// SpreadsheetDate reads a date as spreadsheets write it: 2024-03-05,
// 2024/3/5, 2024.3.5, 2024年3月5日, or Excel's serial day number (days since
// 1899-12-30).
func SpreadsheetDate(s string) (calendar.Date, bool) {
	s = strings.TrimSpace(s)
	if d, err := calendar.ParseDate(s); err == nil {
		return d, true
	}
	if n, ok := number(s); ok && n > 20000 && n < 80000 {
		return calendar.NewDate(1899, 12, 30).AddDays(n), true
	}
	r := strings.NewReplacer("/", "-", ".", "-", "年", "-", "月", "-", "日", "")
	parts := strings.Split(r.Replace(s), "-")
	if len(parts) != 3 {
		return 0, false
	}
	y, ok1 := number(parts[0])
	m, ok2 := number(parts[1])
	d, ok3 := number(parts[2])
	if !ok1 || !ok2 || !ok3 || y < 1000 || m < 1 || m > 12 || d < 1 || d > 31 {
		return 0, false
	}
	date := calendar.NewDate(y, time.Month(m), d)
	if yy, mm, dd := date.YMD(); yy != y || int(mm) != m || dd != d {
		return 0, false // 2月30日
	}
	return date, true
}

// number reads a non-negative whole number of at most nine digits.
func number(s string) (int, bool) {
	if s == "" || len(s) > 9 {
		return 0, false
	}
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}
