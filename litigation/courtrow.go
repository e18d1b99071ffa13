package litigation

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

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
	"案件号": ColCaseNumber, "案件编号": ColCaseNumber, "一审案号": ColCaseNumber,
	"原告姓名": ColPlaintiff, "原告名称": ColPlaintiff, "起诉人": ColPlaintiff,
	"被告单位": ColDefendant, "被告机关": ColDefendant, "被诉行政机关": ColDefendant, "被诉机关": ColDefendant,
	"案由名称": ColCause,
	"收案日期": ColFiledOn, "立案时间": ColFiledOn, "收案时间": ColFiledOn,
	"开庭时间": ColHeldOn, "庭审日期": ColHeldOn, "庭审时间": ColHeldOn,
	"负责人是否出庭": ColHeadAppeared, "行政机关负责人出庭": ColHeadAppeared, "机关负责人出庭": ColHeadAppeared,
	"负责人出庭应诉": ColHeadAppeared, "行政机关负责人是否出庭": ColHeadAppeared, "是否出庭": ColHeadAppeared,
	"出庭人员职务": ColPosition, "出庭负责人职务": ColPosition, "出庭应诉人职务": ColPosition,
	"结案时间": ColConcludedOn, "审结日期": ColConcludedOn, "审结时间": ColConcludedOn, "裁判日期": ColConcludedOn,
	"结案类型": ColResult, "裁判结果": ColResult, "审理结果": ColResult, "判决结果": ColResult, "结案结果": ColResult,
}

// Column returns the court's word for a header as found in a file, or ""
// when it is none of them: the court's own word, an English alias or a
// known variant, written as clerks write headers, with spaces to align
// them (案  号) or a line break (立案\n日期), a required mark (*案号), or a
// note in brackets (立案日期（年月日）).
func Column(header string) string {
	h := strings.TrimPrefix(strings.TrimSpace(header), "\uFEFF")
	if c := columnAliases[strings.ToLower(strings.ReplaceAll(h, " ", "_"))]; c != "" {
		return c
	}
	h = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, h)
	h = strings.Trim(h, "*＊")
	if i := strings.IndexAny(h, "（("); i > 0 {
		h = h[:i]
	}
	for _, c := range Columns {
		if h == c {
			return c
		}
	}
	return columnAliases[strings.ToLower(h)]
}

// CourtRow is one row of the court's caseload as read from a spreadsheet:
// a case, its latest hearing and its outcome, in the court's words.
type CourtRow struct {
	Sheet  string // the sheet's name as the workbook shows it ("" in a CSV)
	Line   int    // the row number the spreadsheet shows
	Values map[string]string
	// Headers maps the court's word for a column to the header as this
	// file writes it (收案日期 for 立案日期), so that a problem names the
	// column the liaison sees; nil when the file writes the court's words.
	Headers map[string]string
}

// Header returns the header as the file writes it for the court's column.
func (r CourtRow) Header(col string) string {
	if h, ok := r.Headers[col]; ok && h != "" {
		return h
	}
	return col
}

// CourtCase is a validated court row.
type CourtCase struct {
	Filing  Filing
	Number  CaseNumber
	Hearing *Hearing
	Outcome *Outcome
}

// Parse validates the row and returns the case it describes, or every bad
// column with one Chinese message each, the field named by the header as
// the file writes it. A case number follows the 2016 rules
// (ParseCaseNumber); a date is any spelling SpreadsheetDate reads; 负责人出庭
// is 是 or 否; 出庭人职务 is a category or a job title, read by titles
// (DOMAIN.md, 行诉法解释 第128条); 结案方式 is the court's word. The defendant
// is matched to an org later, by the store.
func (r CourtRow) Parse(today calendar.Date, titles Titles) (CourtCase, error) {
	var p jiefen.Problems
	bad := map[string]bool{}
	add := func(col, format string, args ...any) {
		if !bad[col] { // one entry per column: the first problem found
			bad[col] = true
			p.Add(r.Header(col), format, args...)
		}
	}
	v := func(col string) string { return strings.TrimSpace(r.Values[col]) }
	date := func(col string, required bool) *calendar.Date {
		s := v(col)
		if s == "" {
			if required {
				add(col, "不能为空")
			}
			return nil
		}
		d, ok := SpreadsheetDate(s)
		switch {
		case !ok:
			add(col, "“%s”不是日期（应如 2024-03-05、2024/3/5 或 2024年3月5日）", clip(s))
			return nil
		case d > today:
			add(col, "%s 晚于今天", d)
		}
		return &d
	}
	var out CourtCase
	n, err := ParseCaseNumber(v(ColCaseNumber))
	if err != nil {
		for _, f := range fieldsOf(err) {
			add(ColCaseNumber, "%s", f.Message)
		}
	}
	out.Number = n
	f := Filing{CaseNumber: v(ColCaseNumber), Defendant: v(ColDefendant), Plaintiff: v(ColPlaintiff), Cause: v(ColCause)}
	for _, col := range []string{ColPlaintiff, ColDefendant, ColCause} {
		if n := utf8.RuneCountInString(v(col)); n > MaxTextLen {
			add(col, "超过 %d 个字（现为 %d 个）", MaxTextLen, n)
		}
	}
	if f.Defendant == "" {
		add(ColDefendant, "不能为空")
	}
	if f.Plaintiff == "" {
		add(ColPlaintiff, "不能为空")
	}
	if d := date(ColFiledOn, true); d != nil {
		f.FiledOn = *d
	}
	out.Filing = f
	if held := date(ColHeldOn, false); held != nil {
		h := &Hearing{HeldOn: *held}
		if w := v(ColPosition); w != "" {
			pos, ok := titles.PositionOf(w)
			if !ok {
				add(ColPosition, "“%s”不是已知的职务：填 正职、副职、分管负责人、工作人员，或局长、副局长、科员等职务名称", clip(w))
			}
			h.Appearer = &Appearer{Name: w, Position: pos}
		}
		switch w := strings.ToLower(v(ColHeadAppeared)); w {
		case "是", "y", "yes", "true", "1", "√", "出庭", "已出庭", "有":
			h.HeadAppeared = true
			if h.Appearer != nil && h.Appearer.Position != "" && !h.Appearer.Position.IsHead() {
				add(ColHeadAppeared, "填“是”，但出庭人“%s”不是机关负责人（正职、副职或分管负责人）", clip(v(ColPosition)))
			}
		case "否", "n", "no", "false", "0", "", "×", "未出庭", "无", "没有":
		default:
			add(ColHeadAppeared, "“%s”应为“是”或“否”", clip(v(ColHeadAppeared)))
		}
		if h.HeldOn < f.FiledOn {
			add(ColHeldOn, "%s 早于立案日期 %s", h.HeldOn, f.FiledOn)
		}
		out.Hearing = h
	} else if v(ColHeadAppeared) == "是" && !bad[ColHeldOn] {
		add(ColHeldOn, "负责人出庭为“是”时不能为空")
	}
	concluded := date(ColConcludedOn, false)
	switch w := v(ColResult); {
	case w == "" && concluded != nil:
		add(ColResult, "填了结案日期时不能为空")
	case w != "" && concluded == nil:
		if !bad[ColConcludedOn] {
			add(ColConcludedOn, "填了结案方式时不能为空")
		}
	case w != "":
		res, ok := resultOf(w)
		if !ok {
			add(ColResult, "“%s”不是结案方式：应为 驳回诉讼请求、驳回起诉、撤销、部分撤销、变更、确认违法、确认无效、责令履行、行政赔偿、撤诉、改变行为后撤诉 或 调解", clip(w))
		}
		if *concluded < f.FiledOn {
			add(ColConcludedOn, "%s 早于立案日期 %s", *concluded, f.FiledOn)
		}
		out.Outcome = &Outcome{Result: res, ConcludedOn: *concluded, LossCauses: []LossCause{}}
	}
	if err == nil && f.FiledOn != 0 && f.FiledOn.Year() < n.Year {
		add(ColFiledOn, "%s 早于案号的年份 %d 年", f.FiledOn, n.Year)
	}
	return out, p.Err()
}

// clip shortens what a file says for quoting in a message.
func clip(s string) string {
	if r := []rune(s); len(r) > 20 {
		return string(r[:20]) + "…"
	}
	return s
}

// SpreadsheetDate reads a date as spreadsheets and clerks write it as text
// (API.md, "Court caseload sync"): 2024-03-05, 2024/3/5, 2024.3.5 and its
// full-width form ２０２４．３．５, 2024年3月5日, 20240305, any of them with a
// time after them (2024-03-05 00:00:00, 2024-03-05T08:30); the two-digit
// years that a date cell shown as yy年m月d日 or m/d/yy leaves in a CSV saved
// "as shown" (24年1月26日, 01/26/24, 1/26/2024: years 2000–2099, month
// first as Excel's built-in short date writes it); and Excel's serial day
// number (days since 1899-12-30, between 1954 and 2119). A date cell of an
// XLSX is read by value before it comes here.
func SpreadsheetDate(s string) (calendar.Date, bool) {
	s = strings.TrimSpace(strings.Map(halfWidth, s))
	if i := strings.IndexAny(s, " T"); i > 0 { // a time after the date
		s = s[:i]
	}
	if d, err := calendar.ParseDate(s); err == nil {
		return d, true
	}
	if n, ok := number(s); ok {
		switch {
		case len(s) == 8: // 20240305
			return ymd(n/10000, n/100%100, n%100)
		case n > 20000 && n < 80000:
			return calendar.NewDate(1899, 12, 30).AddDays(n), true
		}
		return 0, false
	}
	r := strings.NewReplacer("/", "-", ".", "-", "年", "-", "月", "-", "日", "")
	parts := strings.Split(r.Replace(s), "-")
	if len(parts) != 3 {
		return 0, false
	}
	a, ok1 := number(parts[0])
	b, ok2 := number(parts[1])
	c, ok3 := number(parts[2])
	if !ok1 || !ok2 || !ok3 {
		return 0, false
	}
	switch {
	case len(parts[0]) == 4: // y-m-d
		return ymd(a, b, c)
	case strings.Contains(s, "年") && len(parts[0]) == 2: // 24年1月26日
		return ymd(2000+a, b, c)
	case len(parts[2]) == 4 && len(parts[0]) <= 2: // 1/26/2024
		return ymd(c, a, b)
	case len(parts[2]) == 2 && len(parts[0]) <= 2: // 01/26/24
		return ymd(2000+c, a, b)
	}
	return 0, false
}

// halfWidth folds a full-width character (２０２４．３．５, the ideographic
// space and full stop) into its ASCII form.
func halfWidth(r rune) rune {
	switch {
	case r >= '！' && r <= '～':
		return r - '！' + '!'
	case r == '\u3000':
		return ' '
	case r == '。':
		return '.'
	}
	return r
}

// ymd is the date of a year, month and day, if there is such a day.
func ymd(y, m, d int) (calendar.Date, bool) {
	if y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1 || d > 31 {
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

// MergeCourt fills in from the court's row what the case lacks, and never
// overwrites what the platform recorded (the liaison's record stands; a
// difference shows in the reconciliation): a hearing on a day the case has
// none, the outcome when it has none. It reports whether the case changed.
func (c *Case) MergeCourt(cc CourtCase, today calendar.Date) (bool, error) {
	touched := false
	if h := cc.Hearing; h != nil && !c.heardOn(h.HeldOn) {
		if err := c.AddHearing(*h, today); err != nil {
			return false, err
		}
		touched = true
	}
	if o := cc.Outcome; o != nil && c.Outcome == nil {
		if err := c.Conclude(*o, today); err != nil {
			return false, err
		}
		touched = true
	}
	return touched, nil
}

// heardOn reports whether the case has a hearing on day.
func (c *Case) heardOn(day calendar.Date) bool {
	for _, h := range c.Hearings {
		if h.HeldOn == day {
			return true
		}
	}
	return false
}

// Difference is one disagreement between the court's caseload and the
// platform's own records.
type Difference struct {
	CaseNumber string `json:"case_number"`
	// Kind: missing_on_platform, missing_in_court, defendant, filed_on,
	// result, concluded_on, hearing.
	Kind     string `json:"kind"`
	Court    string `json:"court"`
	Platform string `json:"platform"`
}
