package litigation

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"jiefen"
)

// CaseNumber is a court case number (案号) split into its parts, following
// 最高人民法院《关于人民法院案件案号的若干规定》 (in force 1 January 2016,
// revised in 2018), whose article 3 fixes the layout
// “（”+收案年度+“）”+法院代字+类型代字+案件编号+“号”, as in （2023）豫0482行初12号.
type CaseNumber struct {
	// Canonical is the number in its one stored spelling: full-width
	// brackets （）, ASCII digits, no spaces. Two spellings of one number
	// have the same Canonical, so it is the key that finds a case.
	Canonical string `json:"canonical"`
	// AsEntered is the text exactly as it was given to ParseCaseNumber.
	AsEntered string `json:"as_entered"`
	// Year is the year the court received the case (收案年度).
	Year int `json:"year"`
	// CourtCode is the code of the court (法院代字): 最高法, or a
	// province-level abbreviation such as 豫 followed by 0, 2 or 4 digits.
	CourtCode string `json:"court_code"`
	// TypeCode is the case-type code (类型代字), such as 行初, with the
	// special-trial code (专门审判代字) 知 in front for intellectual-property
	// cases, as in 知行终; CaseTypeOf describes it.
	TypeCode string `json:"type_code"`
	// Serial is the case's running number in its court, type and year
	// (案件编号).
	Serial int `json:"serial"`
}

// String returns the canonical spelling.
func (n CaseNumber) String() string { return n.Canonical }

// The years a case number may carry. Case numbers in the form of the 2016
// rules exist only for cases received from 1 January 2016, when the rules
// took effect; earlier cases keep their old 字第 numbers, which
// ParseCaseNumber refuses. The upper bound only keeps typing mistakes such
// as 3023 out.
const (
	MinCaseYear = 2016
	MaxCaseYear = 2100
)

const (
	caseNumberField  = "case_number"
	supremeCourtCode = "最高法"
	yearOpen         = '（'
	yearEnd          = '）'
	maxSerialDigits  = 9  // 999999999 cases of one type in one court and year is plenty
	maxCaseNumberLen = 64 // runes after normalisation; the longest real numbers have about 20
	maxQuotedLen     = 16 // runes of the input quoted in an error message
)

// provinces are the characters that open a court code other than 最高法.
// Under articles 4 and 5 of the rules a high court's code is the short name
// of its province-level region (豫 for Henan), and the code of a court below
// it adds two digits for an intermediate court (豫04) or four for a basic
// court (豫0482); special courts have their own numbers, as in 豫71 or 京73.
// The short names are those of the court-code table: 黔 (not 贵) for
// Guizhou, and by article 4 内 for Inner Mongolia, 军 for the military courts
// and 兵 for the Production and Construction Corps branch of the Xinjiang
// High People's Court and the courts below it, as in 兵08.
const provinces = "京津冀晋内辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川黔云藏陕甘青宁新兵军"

// provinceMistake explains, for an abbreviation that people write by habit,
// the one that court codes use instead.
func provinceMistake(r rune) (string, bool) {
	switch r {
	case '贵':
		return "贵州的法院代字用“黔”，不用“贵”，如黔01", true
	case '蒙':
		return "内蒙古的法院代字用“内”，不用“蒙”，如内01", true
	case '滇':
		return "云南的法院代字用“云”，不用“滇”，如云01", true
	}
	return "", false
}

// ParseCaseNumber reads a court case number in the form of
// 《关于人民法院案件案号的若干规定》 (2016): （收案年度）法院代字 类型代字
// 案件编号 号, as in （2023）豫0482行初12号.
//
// Before it reads the number it normalises the spelling people and PDF
// copies produce: it removes every space anywhere (ASCII spaces, tabs,
// U+3000, no-break and zero-width spaces), turns full-width digits ０–９
// into ASCII, and turns every kind of bracket around the year — ( ), 〔 〕,
// [ ], ［ ］, 【 】, ﹝ ﹞, 〖 〗 — into the full-width （ ）. So
// "( 2023 ) 豫 0482 行初 12 号", "〔2023〕豫0482行初12号" and
// "（２０２３）豫０４８２行初１２号" are one number, whose Canonical is
// （2023）豫0482行初12号.
//
// The year is four digits from MinCaseYear to MaxCaseYear. The court code
// is 最高法 or a province-level abbreviation followed by 0, 2 or 4 digits.
// The type code starts at the first Chinese character after the court
// code and is matched against the table of 《人民法院案件类型及其代字标准》
// by the longest code (行赔初 before 行初, 执恢 before 执); see CaseTypeOf.
// The special-trial code 知 that the 2018 revision of the rules puts in
// front of the type code of intellectual-property cases is kept as part of
// TypeCode: （2020）最高法知行终197号 has the type code 知行终.
// The serial is a positive integer without leading zeros, and 号 ends the
// number: nothing may follow it, not even a document suffix such as 之一.
// Numbers in the pre-2016 form with 字第, such as （2015）汝行初字第12号, are
// not case numbers under the 2016 rules and are refused.
//
// Every refusal is an EINVALID *jiefen.Error with one field error on
// "case_number" that says in Chinese what is wrong and shows the right form,
// for court liaisons and agency staff to read.
func ParseCaseNumber(s string) (CaseNumber, error) {
	n, msg := parseCaseNumber(s)
	if msg != "" {
		var p jiefen.Problems
		p.Add(caseNumberField, "%s", msg)
		return CaseNumber{}, p.Err()
	}
	return n, nil
}

// parseCaseNumber returns the number, or the reason it is refused.
func parseCaseNumber(s string) (CaseNumber, string) {
	norm := normalizeCaseNumber(s)
	r := []rune(norm)
	switch {
	case len(r) == 0:
		return CaseNumber{}, "不能为空：请填写法院的案号，如（2023）豫0482行初12号"
	case len(r) > maxCaseNumberLen:
		return CaseNumber{}, fmt.Sprintf("太长：共%d个字符，案号最多%d个字符", len(r), maxCaseNumberLen)
	case strings.Contains(norm, "字第"):
		return CaseNumber{}, fmt.Sprintf("%s是2016年以前带“字第”的旧式案号，不符合2016年起施行的"+
			"《关于人民法院案件案号的若干规定》：请按现行格式填写，如（2023）豫0482行初12号", quote(r))
	}

	// （收案年度）
	if r[0] != yearOpen {
		return CaseNumber{}, fmt.Sprintf("%s不是以括号中的年份开头：案号以法院收案年度开头，"+
			"如（2023）豫0482行初12号", quote(r))
	}
	end := indexRune(r, yearEnd)
	if end < 0 {
		return CaseNumber{}, fmt.Sprintf("%s的年份后面缺少右括号：年份应写在括号中，如（2023）", quote(r))
	}
	year, msg := parseYear(r[1:end])
	if msg != "" {
		return CaseNumber{}, msg
	}
	rest := r[end+1:]

	// 法院代字
	court, rest, msg := parseCourt(rest, year)
	if msg != "" {
		return CaseNumber{}, msg
	}

	// 类型代字
	typeCode, rest, msg := parseType(rest, court)
	if msg != "" {
		return CaseNumber{}, msg
	}

	// 案件编号 + 号
	serial, msg := parseSerial(rest, typeCode)
	if msg != "" {
		return CaseNumber{}, msg
	}

	return CaseNumber{
		Canonical: fmt.Sprintf("（%d）%s%s%d号", year, court, typeCode, serial),
		AsEntered: s,
		Year:      year,
		CourtCode: court,
		TypeCode:  typeCode,
		Serial:    serial,
	}, ""
}

// normalizeCaseNumber removes every space, turns full-width digits into
// ASCII and every bracket into the full-width （ or ）.
func normalizeCaseNumber(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, c := range s {
		switch {
		case unicode.IsSpace(c), c == '\u200b', c == '\u200c', c == '\u200d', c == '\u2060', c == '\ufeff':
			// ASCII spaces, tabs, U+3000, NBSP and the zero-width characters of copied text.
		case c >= '０' && c <= '９':
			b.WriteRune('0' + (c - '０'))
		case strings.ContainsRune("(（〔[［【﹝﹙〖", c):
			b.WriteRune(yearOpen)
		case strings.ContainsRune(")）〕]］】﹞﹚〗", c):
			b.WriteRune(yearEnd)
		default:
			b.WriteRune(c)
		}
	}
	return b.String()
}

// parseYear reads the text between the brackets.
func parseYear(r []rune) (int, string) {
	text := string(r)
	switch {
	case len(r) == 0:
		return 0, "括号中没有年份：括号中应填写法院收案年度，如（2023）"
	case !allDigits(r):
		return 0, fmt.Sprintf("括号中的%s不是年份：年份应写四位阿拉伯数字，如（2023）", quote(r))
	case len(r) == 2:
		return 0, fmt.Sprintf("“（%s）”是两位年份：年份应写四位，如（20%s）", text, text)
	case len(r) != 4:
		return 0, fmt.Sprintf("“（%s）”不是四位年份：年份应写四位，如（2023）", text)
	}
	year := atoi(r)
	if year < MinCaseYear || year > MaxCaseYear {
		return 0, fmt.Sprintf("年份%d不在%d–%d之间：《关于人民法院案件案号的若干规定》自%d年起施行，"+
			"这种格式的案号始于%d年", year, MinCaseYear, MaxCaseYear, MinCaseYear, MinCaseYear)
	}
	return year, ""
}

// parseCourt reads the court code at the start of r.
func parseCourt(r []rune, year int) (string, []rune, string) {
	if len(r) == 0 {
		return "", nil, fmt.Sprintf("只有年份（%d）：年份后面还应有法院代字、类型代字和案件编号，"+
			"如（%d）豫0482行初12号", year, year)
	}
	if hasPrefix(r, supremeCourtCode) {
		n := len([]rune(supremeCourtCode))
		if d := countDigits(r[n:]); d > 0 {
			return "", nil, fmt.Sprintf("%s不是法院代字：最高人民法院的代字“最高法”后面不带数字", quote(r[:n+d]))
		}
		return supremeCourtCode, r[n:], ""
	}
	if !strings.ContainsRune(provinces, r[0]) {
		if hint, ok := provinceMistake(r[0]); ok {
			return "", nil, fmt.Sprintf("%s不是法院代字：%s", quote(r[:1+countDigits(r[1:])]), hint)
		}
		return "", nil, fmt.Sprintf("%s不是法院代字：法院代字是“最高法”，或省级行政区简称（如“豫”），"+
			"简称后面可加2位或4位数字，如豫04、豫0482", quote(r[:1]))
	}
	d := countDigits(r[1:])
	if d != 0 && d != 2 && d != 4 {
		return "", nil, fmt.Sprintf("%s不是法院代字：省级行政区简称后面不加数字，或加2位、4位数字，"+
			"如豫、豫04、豫0482（是否漏写了类型代字，如行初？）", quote(r[:1+d]))
	}
	return string(r[:1+d]), r[1+d:], ""
}

// parseType reads the type code at the start of r by the longest match,
// with the special-trial code 知 in front if there is one.
func parseType(r []rune, court string) (string, []rune, string) {
	special, base := "", r
	if len(r) > 0 && string(r[:1]) == specialTrialIP {
		special, base = specialTrialIP, r[1:]
	}
	for n := min(maxTypeCodeLen, len(base)); n > 0; n-- {
		code := special + string(base[:n])
		if _, ok := CaseTypeOf(code); !ok {
			continue
		}
		switch {
		case n < len(base) && isDigit(base[n]):
			return code, base[n:], ""
		case n == len(base) || base[n] == '号':
			return "", nil, fmt.Sprintf("类型代字%s后面缺少案件编号：其后应是案件编号和“号”，如%s%s12号",
				code, court, code)
		}
		break // a known code followed by more text: the whole run is an unknown code
	}
	seg := r
	for i, c := range r {
		if isDigit(c) || c == '号' {
			seg = r[:i]
			break
		}
	}
	if len(seg) == 0 {
		return "", nil, fmt.Sprintf("法院代字%s后面缺少类型代字：其后应是案件类型代字，如%s行初12号中的“行初”",
			court, court)
	}
	msg := fmt.Sprintf("%s不是类型代字：《人民法院案件类型及其代字标准》中没有这个代字", quote(seg))
	if indexRune(seg, '第') >= 0 {
		msg += "；现行格式的案号不带“第”，如行初12号"
	}
	return "", nil, msg
}

// parseSerial reads the serial number and the closing 号.
func parseSerial(r []rune, typeCode string) (int, string) {
	d := countDigits(r)
	digits := r[:d]
	switch {
	case d == 0: // parseType returns a code only before a digit; kept for safety
		return 0, fmt.Sprintf("类型代字%s后面缺少案件编号", typeCode)
	case allZeros(digits):
		return 0, fmt.Sprintf("案件编号%s无效：%s后面的案件编号是从1开始的正整数", string(digits), typeCode)
	case digits[0] == '0':
		return 0, fmt.Sprintf("案件编号%s前面补了0：应去掉开头的0，写作%s",
			string(digits), strings.TrimLeft(string(digits), "0"))
	case d > maxSerialDigits:
		return 0, fmt.Sprintf("案件编号%s太长：最多%d位数字", quote(digits), maxSerialDigits)
	}
	serial := atoi(digits)
	rest := r[d:]
	switch {
	case len(rest) == 0:
		return 0, fmt.Sprintf("案件编号%d后面缺少“号”：案号以“号”结尾，如%s%d号", serial, typeCode, serial)
	case rest[0] != '号':
		return 0, fmt.Sprintf("案件编号%d后面应是“号”，而不是%s", serial, quote(rest))
	case len(rest) > 1:
		msg := fmt.Sprintf("“号”后面多了%s：案号到“号”为止", quote(rest[1:]))
		if rest[1] == '之' {
			msg += "（“之一”这类文书后缀不属于案号）"
		}
		return 0, msg
	}
	return serial, ""
}

// quote returns r in Chinese quotation marks “…” for an error message, cut
// short with … when long. A character that does not print, such as a
// control character, is shown escaped (\x01) so that the message shows
// what was entered.
func quote(r []rune) string {
	cut := ""
	if len(r) > maxQuotedLen {
		r, cut = r[:maxQuotedLen], "…"
	}
	var b strings.Builder
	b.WriteString("“")
	for _, c := range r {
		if unicode.IsPrint(c) {
			b.WriteRune(c)
		} else {
			q := strconv.QuoteRune(c)
			b.WriteString(q[1 : len(q)-1])
		}
	}
	b.WriteString(cut + "”")
	return b.String()
}

func isDigit(c rune) bool { return c >= '0' && c <= '9' }

func countDigits(r []rune) int {
	for i, c := range r {
		if !isDigit(c) {
			return i
		}
	}
	return len(r)
}

func allDigits(r []rune) bool { return countDigits(r) == len(r) }

func allZeros(r []rune) bool {
	for _, c := range r {
		if c != '0' {
			return false
		}
	}
	return true
}

// atoi reads ASCII digits that the caller has checked are few enough for an int.
func atoi(r []rune) int {
	v := 0
	for _, c := range r {
		v = v*10 + int(c-'0')
	}
	return v
}

func indexRune(r []rune, c rune) int {
	for i, x := range r {
		if x == c {
			return i
		}
	}
	return -1
}

func hasPrefix(r []rune, prefix string) bool {
	return strings.HasPrefix(string(r[:min(len(r), utf8.RuneCountInString(prefix))]), prefix)
}

// Instance is where a case on the merits stands: first instance (一审),
// second instance (二审), review of an application or protest for retrial
// (再审审查: 监, 申, 抗) or retrial (再审).
type Instance string

// The instances. Only the trial codes of criminal, civil, administrative and
// administrative-compensation suits (刑, 民, 行, 行赔 with 初, 终, 监, 申,
// 抗, 再, with or without 知, and 民撤 and 商初) have one; every other code —
// jurisdiction, non-litigation review, enforcement, state compensation
// decisions, insolvency and the rest — is InstanceOther.
const (
	InstanceFirst         Instance = "first"          // 一审: 行初, 行赔初, 民初, 刑初 …
	InstanceSecond        Instance = "second"         // 二审: 行终, 行赔终 …
	InstanceRetrialReview Instance = "retrial_review" // 再审审查: 行监, 行申, 行抗 …
	InstanceRetrial       Instance = "retrial"        // 再审: 行再, 行赔再 …
	InstanceOther         Instance = "other"
)

// CaseCategory is the group a case type belongs to in
// 《人民法院案件类型及其代字标准》.
type CaseCategory string

// The groups of the standard.
const (
	CategoryJurisdiction   CaseCategory = "jurisdiction"             // 管辖案件
	CategoryCriminal       CaseCategory = "criminal"                 // 刑事案件
	CategoryCivil          CaseCategory = "civil"                    // 民事案件
	CategoryAdministrative CaseCategory = "administrative"           // 行政案件
	CategoryCompensation   CaseCategory = "state_compensation"       // 国家赔偿案件 (行政赔偿, 司法赔偿)
	CategoryJudicialAid    CaseCategory = "judicial_aid"             // 司法救助案件
	CategoryInterregional  CaseCategory = "interregional_assistance" // 区际司法协助案件
	CategoryInternational  CaseCategory = "international_assistance" // 国际司法协助案件
	CategorySanction       CaseCategory = "judicial_sanction"        // 司法制裁案件
	CategoryPreservation   CaseCategory = "preservation"             // 非诉保全审查案件
	CategoryEnforcement    CaseCategory = "enforcement"              // 执行案件
	CategoryInsolvency     CaseCategory = "insolvency"               // 强制清算与破产案件
)

// CaseType describes a case-type code (类型代字).
type CaseType struct {
	Code     string       `json:"code"`     // 类型代字, such as 行初
	Name     string       `json:"name"`     // the case type it stands for, in the words of the standard
	Category CaseCategory `json:"category"` // its group in the standard
	Instance Instance     `json:"instance"`
	// Administrative is true for administrative litigation and the cases
	// that arise in it: the 行 codes of 行政案件 (行初 … 行他, including the
	// non-litigation enforcement review 行审 and 行审复), administrative
	// compensation (行赔初 … 行赔他), administrative jurisdiction (行辖,
	// 行辖终, and 赔辖, 赔辖终 for administrative compensation) and the
	// intellectual-property forms 知行初 …. It is false for 行保 and 行保复,
	// which are preservation of conduct (行为保全) in civil matters despite
	// the 行, and for 司救行, judicial aid.
	Administrative bool `json:"administrative"`
	// Standard is true for the codes of the standard's table; false for the
	// two that courts use beyond it (民诉前调, 商初).
	Standard bool `json:"standard"`
	// SpecialTrial is the special-trial code (专门审判代字) in front of the
	// code, 知 for patent and other intellectual-property cases (知行初), or
	// empty.
	SpecialTrial string `json:"special_trial,omitempty"`
}

// caseTypes is the table of 《人民法院案件类型及其代字标准》, the appendix
// of 《关于人民法院案件案号的若干规定》 (2015, in force 2016), with the
// 2016 insolvency codes (破, 破申, 强清 …) and the codes added by its later
// revisions (民保令, 民保更, 刑教 …), followed by the few codes courts use
// beyond it. A code that several case types share (民特 for all special
// procedures, 刑核 for all reviews) appears once, with the group's name.
// It is read-only: nothing may change it after initialisation.
//
// The table was compiled from public transcriptions of the standard, not
// from the official gazette text; the codes agree with the case numbers
// courts publish. 民破 and 民算 are the insolvency codes of the 2015 text,
// replaced in 2016 but kept so that numbers issued under them still parse.
var caseTypes = []CaseType{
	// 管辖案件
	{"刑辖", "刑事管辖案件（提级管辖、指定管辖）", CategoryJurisdiction, InstanceOther, false, true, ""},
	{"民辖", "民事管辖案件（提级管辖、指定管辖、移交管辖审批、管辖协商）", CategoryJurisdiction, InstanceOther, false, true, ""},
	{"民辖终", "民事管辖上诉案件", CategoryJurisdiction, InstanceOther, false, true, ""},
	{"民辖监", "民事管辖监督案件", CategoryJurisdiction, InstanceOther, false, true, ""},
	{"行辖", "行政管辖案件（提级管辖、指定管辖）", CategoryJurisdiction, InstanceOther, true, true, ""},
	{"行辖终", "行政管辖上诉案件", CategoryJurisdiction, InstanceOther, true, true, ""},
	{"赔辖", "行政赔偿管辖案件（提级管辖、指定管辖、管辖协商）", CategoryJurisdiction, InstanceOther, true, true, ""},
	{"赔辖终", "行政赔偿管辖上诉案件", CategoryJurisdiction, InstanceOther, true, true, ""},

	// 刑事案件
	{"刑初", "刑事一审案件", CategoryCriminal, InstanceFirst, false, true, ""},
	{"刑终", "刑事二审案件", CategoryCriminal, InstanceSecond, false, true, ""},
	{"刑监", "刑事依职权再审审查案件", CategoryCriminal, InstanceRetrialReview, false, true, ""},
	{"刑申", "刑事申诉再审审查案件", CategoryCriminal, InstanceRetrialReview, false, true, ""},
	{"刑抗", "刑事抗诉再审审查案件", CategoryCriminal, InstanceRetrialReview, false, true, ""},
	{"刑再", "刑事再审案件", CategoryCriminal, InstanceRetrial, false, true, ""},
	{"刑没", "申请没收违法所得案件", CategoryCriminal, InstanceOther, false, true, ""},
	{"刑核", "刑事复核案件（死刑复核、法定刑以下判处刑罚复核、特殊假释复核）", CategoryCriminal, InstanceOther, false, true, ""},
	{"刑医", "申请强制医疗审查案件", CategoryCriminal, InstanceOther, false, true, ""},
	{"刑医解", "解除强制医疗审查案件", CategoryCriminal, InstanceOther, false, true, ""},
	{"刑医复", "强制医疗复议案件", CategoryCriminal, InstanceOther, false, true, ""},
	{"刑医监", "强制医疗监督案件", CategoryCriminal, InstanceOther, false, true, ""},
	{"刑止", "停止执行死刑案件（停止执行死刑请求审查、依职权停止执行死刑）", CategoryCriminal, InstanceOther, false, true, ""},
	{"刑止调", "停止执行死刑调查案件", CategoryCriminal, InstanceOther, false, true, ""},
	{"刑止核", "停止执行死刑调查审核案件", CategoryCriminal, InstanceOther, false, true, ""},
	{"刑更", "刑罚与执行变更审查案件", CategoryCriminal, InstanceOther, false, true, ""},
	{"刑更监", "刑罚与执行变更监督案件", CategoryCriminal, InstanceOther, false, true, ""},
	{"刑更备", "刑罚与执行变更备案案件", CategoryCriminal, InstanceOther, false, true, ""},
	{"刑他", "其他刑事案件", CategoryCriminal, InstanceOther, false, true, ""},
	{"刑教", "申请安置教育审查案件", CategoryCriminal, InstanceOther, false, true, ""},
	{"刑教解", "解除安置教育审查案件", CategoryCriminal, InstanceOther, false, true, ""},
	{"刑教复", "安置教育复议案件", CategoryCriminal, InstanceOther, false, true, ""},
	{"刑教监", "安置教育监督案件", CategoryCriminal, InstanceOther, false, true, ""},

	// 民事案件
	{"民初", "民事一审案件", CategoryCivil, InstanceFirst, false, true, ""},
	{"民终", "民事二审案件", CategoryCivil, InstanceSecond, false, true, ""},
	{"民监", "民事依职权再审审查案件", CategoryCivil, InstanceRetrialReview, false, true, ""},
	{"民申", "民事申请再审审查案件", CategoryCivil, InstanceRetrialReview, false, true, ""},
	{"民抗", "民事抗诉再审审查案件", CategoryCivil, InstanceRetrialReview, false, true, ""},
	{"民再", "民事再审案件", CategoryCivil, InstanceRetrial, false, true, ""},
	{"民撤", "第三人撤销之诉案件", CategoryCivil, InstanceFirst, false, true, ""},
	{"民特", "特别程序案件（含调解协议司法确认、实现担保物权、撤销仲裁裁决、确认仲裁协议效力、宣告失踪死亡、认定财产无主、选民资格等）", CategoryCivil, InstanceOther, false, true, ""},
	{"民特监", "民事特别程序监督案件", CategoryCivil, InstanceOther, false, true, ""},
	{"民催", "催告案件（公示催告、船舶优先权催告）", CategoryCivil, InstanceOther, false, true, ""},
	{"民督", "申请支付令审查案件", CategoryCivil, InstanceOther, false, true, ""},
	{"民督监", "支付令监督案件", CategoryCivil, InstanceOther, false, true, ""},
	{"民他", "其他民事案件", CategoryCivil, InstanceOther, false, true, ""},
	{"民保令", "人身安全保护令申请审查案件", CategoryCivil, InstanceOther, false, true, ""},
	{"民保更", "人身安全保护令变更案件", CategoryCivil, InstanceOther, false, true, ""},

	// 行政案件
	{"行初", "行政一审案件", CategoryAdministrative, InstanceFirst, true, true, ""},
	{"行终", "行政二审案件", CategoryAdministrative, InstanceSecond, true, true, ""},
	{"行监", "行政依职权再审审查案件", CategoryAdministrative, InstanceRetrialReview, true, true, ""},
	{"行申", "行政申请再审审查案件", CategoryAdministrative, InstanceRetrialReview, true, true, ""},
	{"行抗", "行政抗诉再审审查案件", CategoryAdministrative, InstanceRetrialReview, true, true, ""},
	{"行再", "行政再审案件", CategoryAdministrative, InstanceRetrial, true, true, ""},
	{"行审", "非诉行政行为申请执行审查案件", CategoryAdministrative, InstanceOther, true, true, ""},
	{"行审复", "非诉行政行为申请执行审查复议案件", CategoryAdministrative, InstanceOther, true, true, ""},
	{"行他", "其他行政案件", CategoryAdministrative, InstanceOther, true, true, ""},

	// 国家赔偿案件: 行政赔偿
	{"行赔初", "行政赔偿一审案件", CategoryCompensation, InstanceFirst, true, true, ""},
	{"行赔终", "行政赔偿二审案件", CategoryCompensation, InstanceSecond, true, true, ""},
	{"行赔监", "行政赔偿依职权再审审查案件", CategoryCompensation, InstanceRetrialReview, true, true, ""},
	{"行赔申", "行政赔偿申请再审审查案件", CategoryCompensation, InstanceRetrialReview, true, true, ""},
	{"行赔抗", "行政赔偿抗诉再审审查案件", CategoryCompensation, InstanceRetrialReview, true, true, ""},
	{"行赔再", "行政赔偿再审案件", CategoryCompensation, InstanceRetrial, true, true, ""},
	{"行赔他", "其他行政赔偿案件", CategoryCompensation, InstanceOther, true, true, ""},
	// 国家赔偿案件: 司法赔偿
	{"法赔", "法院作为赔偿义务机关自赔案件", CategoryCompensation, InstanceOther, false, true, ""},
	{"委赔", "赔偿委员会审理赔偿案件", CategoryCompensation, InstanceOther, false, true, ""},
	{"委赔监", "司法赔偿监督审查案件", CategoryCompensation, InstanceOther, false, true, ""},
	{"赔确监", "赔偿确认申诉审查案件", CategoryCompensation, InstanceOther, false, true, ""},
	{"委赔提", "司法赔偿监督上级法院赔偿委员会重审案件", CategoryCompensation, InstanceOther, false, true, ""},
	{"委赔再", "司法赔偿监督本院赔偿委员会重审案件", CategoryCompensation, InstanceOther, false, true, ""},
	{"赔他", "其他赔偿案件", CategoryCompensation, InstanceOther, false, true, ""},

	// 司法救助案件
	{"司救刑", "刑事司法救助案件", CategoryJudicialAid, InstanceOther, false, true, ""},
	{"司救民", "民事司法救助案件", CategoryJudicialAid, InstanceOther, false, true, ""},
	{"司救行", "行政司法救助案件", CategoryJudicialAid, InstanceOther, false, true, ""},
	{"司救赔", "国家赔偿司法救助案件", CategoryJudicialAid, InstanceOther, false, true, ""},
	{"司救执", "执行司法救助案件", CategoryJudicialAid, InstanceOther, false, true, ""},
	{"司救访", "涉诉信访司法救助案件", CategoryJudicialAid, InstanceOther, false, true, ""},
	{"司救他", "其他司法救助案件", CategoryJudicialAid, InstanceOther, false, true, ""},

	// 区际司法协助案件
	{"认台", "认可与执行台湾地区法院裁判、仲裁裁决审查案件", CategoryInterregional, InstanceOther, false, true, ""},
	{"认港", "认可与执行香港特别行政区法院裁判、仲裁裁决审查案件", CategoryInterregional, InstanceOther, false, true, ""},
	{"认澳", "认可与执行澳门特别行政区法院裁判、仲裁裁决审查案件", CategoryInterregional, InstanceOther, false, true, ""},
	{"认复", "认可与执行审查复议案件", CategoryInterregional, InstanceOther, false, true, ""},
	{"认他", "认可与执行审查其他案件", CategoryInterregional, InstanceOther, false, true, ""},
	{"请台送", "请求台湾地区送达文书审查案件", CategoryInterregional, InstanceOther, false, true, ""},
	{"请港送", "请求香港特别行政区法院送达文书审查案件", CategoryInterregional, InstanceOther, false, true, ""},
	{"请澳送", "请求澳门特别行政区法院送达文书审查案件", CategoryInterregional, InstanceOther, false, true, ""},
	{"台请送", "台湾地区请求送达文书审查案件、协助台湾地区送达文书案件", CategoryInterregional, InstanceOther, false, true, ""},
	{"港请送", "香港特别行政区法院请求送达文书审查案件、协助送达文书案件", CategoryInterregional, InstanceOther, false, true, ""},
	{"澳请送", "澳门特别行政区法院请求送达文书审查案件、协助送达文书案件", CategoryInterregional, InstanceOther, false, true, ""},
	{"请台调", "请求台湾地区调查取证审查案件", CategoryInterregional, InstanceOther, false, true, ""},
	{"请港调", "请求香港特别行政区调查取证审查案件", CategoryInterregional, InstanceOther, false, true, ""},
	{"请澳调", "请求澳门特别行政区法院调查取证审查案件", CategoryInterregional, InstanceOther, false, true, ""},
	{"台请调", "台湾地区请求调查取证审查案件、协助台湾地区调查取证案件", CategoryInterregional, InstanceOther, false, true, ""},
	{"港请调", "香港特别行政区请求调查取证审查案件、协助调查取证案件", CategoryInterregional, InstanceOther, false, true, ""},
	{"澳请调", "澳门特别行政区法院请求调查取证审查案件、协助调查取证案件", CategoryInterregional, InstanceOther, false, true, ""},
	{"请移管", "接收在台湾地区被判刑人案件", CategoryInterregional, InstanceOther, false, true, ""},
	{"助移管", "向台湾地区移管被判刑人案件", CategoryInterregional, InstanceOther, false, true, ""},
	{"请移赃", "接收台湾地区移交罪赃案件", CategoryInterregional, InstanceOther, false, true, ""},
	{"助移赃", "向台湾地区移交罪赃案件", CategoryInterregional, InstanceOther, false, true, ""},

	// 国际司法协助案件
	{"协外认", "承认与执行外国法院裁判、国外仲裁裁决审查案件", CategoryInternational, InstanceOther, false, true, ""},
	{"协他", "承认与执行审查其他案件", CategoryInternational, InstanceOther, false, true, ""},
	{"协外送", "外国法院请求送达文书审查案件、送达外国法院文书案件", CategoryInternational, InstanceOther, false, true, ""},
	{"请外送", "请求外国法院送达文书审查案件", CategoryInternational, InstanceOther, false, true, ""},
	{"协外调", "外国法院请求调查取证审查、实施案件", CategoryInternational, InstanceOther, false, true, ""},
	{"请外调", "请求外国法院调查取证审查案件", CategoryInternational, InstanceOther, false, true, ""},
	{"请外移", "接收在外国被判刑人案件", CategoryInternational, InstanceOther, false, true, ""},
	{"协外移", "向外国移管被判刑人案件", CategoryInternational, InstanceOther, false, true, ""},
	{"请外引", "请求外国引渡案件", CategoryInternational, InstanceOther, false, true, ""},
	{"协外引", "协助外国引渡案件", CategoryInternational, InstanceOther, false, true, ""},

	// 司法制裁案件
	{"司惩", "司法制裁审查案件（司法拘留、司法罚款）", CategorySanction, InstanceOther, false, true, ""},
	{"司惩复", "司法制裁复议案件", CategorySanction, InstanceOther, false, true, ""},

	// 非诉保全审查案件
	{"财保", "非诉财产保全审查案件", CategoryPreservation, InstanceOther, false, true, ""},
	{"行保", "非诉行为保全审查案件", CategoryPreservation, InstanceOther, false, true, ""},
	{"行保复", "非诉行为保全复议案件", CategoryPreservation, InstanceOther, false, true, ""},
	{"证保", "非诉证据保全审查案件", CategoryPreservation, InstanceOther, false, true, ""},

	// 执行案件
	{"执", "首次执行案件", CategoryEnforcement, InstanceOther, false, true, ""},
	{"执恢", "恢复执行案件", CategoryEnforcement, InstanceOther, false, true, ""},
	{"执保", "财产保全执行案件", CategoryEnforcement, InstanceOther, false, true, ""},
	{"执异", "执行异议案件", CategoryEnforcement, InstanceOther, false, true, ""},
	{"执复", "执行复议案件", CategoryEnforcement, InstanceOther, false, true, ""},
	{"执监", "执行监督案件", CategoryEnforcement, InstanceOther, false, true, ""},
	{"执协", "执行协调案件", CategoryEnforcement, InstanceOther, false, true, ""},
	{"执他", "其他执行案件", CategoryEnforcement, InstanceOther, false, true, ""},

	// 强制清算与破产案件
	{"清申", "强制清算申请审查案件", CategoryInsolvency, InstanceOther, false, true, ""},
	{"破申", "破产申请审查案件", CategoryInsolvency, InstanceOther, false, true, ""},
	{"清终", "强制清算上诉案件", CategoryInsolvency, InstanceOther, false, true, ""},
	{"破终", "破产上诉案件", CategoryInsolvency, InstanceOther, false, true, ""},
	{"清监", "强制清算监督案件", CategoryInsolvency, InstanceOther, false, true, ""},
	{"破监", "破产监督案件", CategoryInsolvency, InstanceOther, false, true, ""},
	{"强清", "强制清算案件", CategoryInsolvency, InstanceOther, false, true, ""},
	{"破", "破产案件（破产清算、破产重整、破产和解）", CategoryInsolvency, InstanceOther, false, true, ""},
	{"民破", "破产案件（2015年标准的代字，2016年起为破）", CategoryInsolvency, InstanceOther, false, true, ""},
	{"民算", "强制清算案件（2015年标准的代字，2016年起为强清）", CategoryInsolvency, InstanceOther, false, true, ""},

	// Codes courts use beyond the standard.
	{"民诉前调", "诉前调解案件", CategoryCivil, InstanceOther, false, false, ""},
	{"商初", "国际商事法庭第一审案件（最高法）", CategoryCivil, InstanceFirst, false, false, ""},
}

// specialTrialIP is the special-trial code (专门审判代字) of patent and other
// intellectual-property cases. The 2018 revision of the rules
// (《关于修改〈关于人民法院案件案号的若干规定〉的决定》, 法〔2018〕335号) added
// the special-trial code, one Chinese character between the court code and
// the type code, as in （2020）最高法知行终197号 or （2021）陕01知民初3078号.
// 知 is the only one this package knows.
const specialTrialIP = "知"

// caseTypeIndex finds a case type by its code. Like caseTypes it is
// read-only after initialisation.
var caseTypeIndex = indexCaseTypes()

// maxTypeCodeLen is the length in runes of the longest code, where the
// longest match starts.
var maxTypeCodeLen = func() int {
	n := 0
	for code := range caseTypeIndex {
		n = max(n, utf8.RuneCountInString(code))
	}
	return n
}()

func indexCaseTypes() map[string]CaseType {
	m := make(map[string]CaseType, len(caseTypes))
	for _, t := range caseTypes {
		if _, dup := m[t.Code]; dup {
			panic("litigation: duplicate case-type code " + t.Code)
		}
		m[t.Code] = t
	}
	return m
}

// CaseTypeOf returns the case type of a type code (类型代字) of
// 《人民法院案件类型及其代字标准》, such as 行初, ok false for a code it does
// not know. A code of the standard may carry the special-trial code 知 in
// front (知行初, 知民终), as the 2018 revision of the rules provides for
// patent and other intellectual-property cases; its SpecialTrial is then
// 知. The code must be exact: no spaces, no serial.
func CaseTypeOf(code string) (t CaseType, ok bool) {
	if t, ok = caseTypeIndex[code]; ok {
		return t, true
	}
	base, found := strings.CutPrefix(code, specialTrialIP)
	if !found {
		return CaseType{}, false
	}
	if t, ok = caseTypeIndex[base]; !ok || !t.Standard {
		return CaseType{}, false
	}
	t.Code, t.Name, t.SpecialTrial = code, "知识产权"+t.Name, specialTrialIP
	return t, true
}

// CaseTypes returns every case type of the table, in the order of the
// standard, as a fresh copy for lists and filters. The 知 forms that
// CaseTypeOf also knows are not listed.
func CaseTypes() []CaseType {
	return append([]CaseType(nil), caseTypes...)
}
