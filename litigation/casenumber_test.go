package litigation_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"jiefen"
	"jiefen/litigation"
)

func TestParseCaseNumberSpellings(t *testing.T) {
	want := litigation.CaseNumber{Canonical: "（2023）豫0482行初12号", Year: 2023, CourtCode: "豫0482", TypeCode: "行初", Serial: 12}
	for _, in := range []string{
		"（2023）豫0482行初12号",
		"(2023)豫0482行初12号",
		"〔2023〕豫0482行初12号",
		"( 2023 ) 豫 0482 行初 12 号",
		"（２０２３）豫０４８２行初１２号",
		"[2023]豫0482行初12号",
		"【2023】豫0482行初12号",
		"［2023］豫0482行初12号",
		"﹝2023﹞豫0482行初12号",
		"(2023）豫0482行初12号",
		"  （2023）豫0482行初12号\n",
		"\t（2023）\u3000豫0482\u00a0行初\u200b12号",
		"（ ２０２３ ）豫 ０４８２ 行 初 １２ 号",
	} {
		got, err := litigation.ParseCaseNumber(in)
		if err != nil {
			t.Errorf("ParseCaseNumber(%q): %v", in, err)
			continue
		}
		if got.AsEntered != in {
			t.Errorf("ParseCaseNumber(%q).AsEntered = %q, want the input", in, got.AsEntered)
		}
		got.AsEntered = ""
		if got != want {
			t.Errorf("ParseCaseNumber(%q) = %+v, want %+v", in, got, want)
		}
	}
}

func TestParseCaseNumberKinds(t *testing.T) {
	tests := []struct {
		in, canonical, court, typ string
		year, serial              int
		admin                     bool
		instance                  litigation.Instance
	}{
		{"（2024）豫04行终88号", "（2024）豫04行终88号", "豫04", "行终", 2024, 88, true, litigation.InstanceSecond},
		{"（2022）豫行再5号", "（2022）豫行再5号", "豫", "行再", 2022, 5, true, litigation.InstanceRetrial},
		{"（2018）最高法行申2971号", "（2018）最高法行申2971号", "最高法", "行申", 2018, 2971, true, litigation.InstanceRetrialReview},
		{"(2023)豫0482行赔初3号", "（2023）豫0482行赔初3号", "豫0482", "行赔初", 2023, 3, true, litigation.InstanceFirst},
		{"（2018）陕0122行审6号", "（2018）陕0122行审6号", "陕0122", "行审", 2018, 6, true, litigation.InstanceOther},
		{"（2020）琼0105行审复1号", "（2020）琼0105行审复1号", "琼0105", "行审复", 2020, 1, true, litigation.InstanceOther},
		{"（2016）豫01行辖终769号", "（2016）豫01行辖终769号", "豫01", "行辖终", 2016, 769, true, litigation.InstanceOther},
		{"（2023）豫0482民特301号", "（2023）豫0482民特301号", "豫0482", "民特", 2023, 301, false, litigation.InstanceOther},
		{"（2023）豫04民辖终7号", "（2023）豫04民辖终7号", "豫04", "民辖终", 2023, 7, false, litigation.InstanceOther},
		{"（2019）黔0102执恢47号", "（2019）黔0102执恢47号", "黔0102", "执恢", 2019, 47, false, litigation.InstanceOther},
		{"（2019）黔0102执47号", "（2019）黔0102执47号", "黔0102", "执", 2019, 47, false, litigation.InstanceOther},
		{"（2020）兵08刑终44号", "（2020）兵08刑终44号", "兵08", "刑终", 2020, 44, false, litigation.InstanceSecond},
		{"（2016）内0123民初1166号", "（2016）内0123民初1166号", "内0123", "民初", 2016, 1166, false, litigation.InstanceFirst},
		{"（2020）最高法知行终197号", "（2020）最高法知行终197号", "最高法", "知行终", 2020, 197, true, litigation.InstanceSecond},
		{"（2021）京73行初1号", "（2021）京73行初1号", "京73", "行初", 2021, 1, true, litigation.InstanceFirst},
		{"（2021）陕01知民初3078号", "（2021）陕01知民初3078号", "陕01", "知民初", 2021, 3078, false, litigation.InstanceFirst},
		{"（2021）苏05知行初9号", "（2021）苏05知行初9号", "苏05", "知行初", 2021, 9, true, litigation.InstanceFirst},
		{"（2021）川0104民诉前调801号", "（2021）川0104民诉前调801号", "川0104", "民诉前调", 2021, 801, false, litigation.InstanceOther},
		{"（2019）粤03破123号", "（2019）粤03破123号", "粤03", "破", 2019, 123, false, litigation.InstanceOther},
		{"（2019）粤03行保2号", "（2019）粤03行保2号", "粤03", "行保", 2019, 2, false, litigation.InstanceOther},
	}
	for _, tc := range tests {
		got, err := litigation.ParseCaseNumber(tc.in)
		if err != nil {
			t.Errorf("ParseCaseNumber(%q): %v", tc.in, err)
			continue
		}
		if got.Canonical != tc.canonical || got.CourtCode != tc.court || got.TypeCode != tc.typ ||
			got.Year != tc.year || got.Serial != tc.serial {
			t.Errorf("ParseCaseNumber(%q) = %+v", tc.in, got)
		}
		ct, ok := litigation.CaseTypeOf(got.TypeCode)
		if !ok {
			t.Errorf("CaseTypeOf(%q) unknown after it parsed", got.TypeCode)
			continue
		}
		if ct.Administrative != tc.admin || ct.Instance != tc.instance {
			t.Errorf("CaseTypeOf(%q) = %+v, want administrative %v, instance %s", got.TypeCode, ct, tc.admin, tc.instance)
		}
	}
}

// TestLongestMatch parses a number with every known code, so that no code
// is ever read as a shorter one (行赔初 as 行初, 执恢 as 执, 民辖终 as 民辖).
func TestLongestMatch(t *testing.T) {
	for _, ct := range litigation.CaseTypes() {
		codes := []string{ct.Code}
		if ct.Standard {
			codes = append(codes, "知"+ct.Code) // the special-trial code of IP cases, 2018 revision
		}
		for _, code := range codes {
			in := "（2023）豫0482" + code + "7号"
			got, err := litigation.ParseCaseNumber(in)
			if err != nil {
				t.Errorf("ParseCaseNumber(%q): %v", in, err)
				continue
			}
			if got.TypeCode != code || got.CourtCode != "豫0482" || got.Serial != 7 {
				t.Errorf("ParseCaseNumber(%q) = %+v, want type code %s", in, got, code)
			}
		}
	}
}

func TestParseCaseNumberRefusals(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"empty", "", "不能为空：请填写法院的案号，如（2023）豫0482行初12号"},
		{"only spaces", " \u3000\t", "不能为空"},
		{"no brackets", "2023豫0482行初12号", "“2023豫0482行初12号”不是以括号中的年份开头"},
		{"no year", "豫0482行初12号", "不是以括号中的年份开头：案号以法院收案年度开头，如（2023）豫0482行初12号"},
		{"long input cut", "2023豫0482行初12号汝州市人民法院行政判决书", "“2023豫0482行初12号汝州…”不是以括号中的年份开头"},
		{"unclosed bracket", "（2023豫0482行初12号", "“（2023豫0482行初12号”的年份后面缺少右括号"},
		{"empty brackets", "（）豫0482行初12号", "括号中没有年份"},
		{"two-digit year", "（23）豫0482行初12号", "“（23）”是两位年份：年份应写四位，如（2023）"},
		{"two-digit year 19", "（19）豫0482行初12号", "如（2019）"},
		{"three-digit year", "（202）豫0482行初12号", "“（202）”不是四位年份"},
		{"Chinese year", "（二〇二三）豫0482行初12号", "括号中的“二〇二三”不是年份：年份应写四位阿拉伯数字"},
		{"year before 2016", "（2015）豫0482行初12号", "年份2015不在2016–2100之间：《关于人民法院案件案号的若干规定》自2016年起施行，这种格式的案号始于2016年"},
		{"year far ahead", "（3023）豫0482行初12号", "年份3023不在2016–2100之间"},
		{"old form", "（2015）汝行初字第12号", "“（2015）汝行初字第12号”是2016年以前带“字第”的旧式案号"},
		{"old form padded", "(2015)汝行初字第00012号", "不符合2016年起施行的《关于人民法院案件案号的若干规定》"},
		{"nothing after year", "（2023）", "只有年份（2023）：年份后面还应有法院代字、类型代字和案件编号"},
		{"unknown court", "（2023）汝行初12号", "“汝”不是法院代字：法院代字是“最高法”，或省级行政区简称"},
		{"court in full", "（2023）汝州市人民法院行初12号", "“汝”不是法院代字"},
		{"贵 for 黔", "（2023）贵01行初12号", "“贵01”不是法院代字：贵州的法院代字用“黔”，不用“贵”，如黔01"},
		{"蒙 for 内", "（2023）蒙0102行初12号", "“蒙0102”不是法院代字：内蒙古的法院代字用“内”"},
		{"滇 for 云", "（2023）滇01行初12号", "云南的法院代字用“云”"},
		{"three court digits", "（2023）豫048行初12号", "“豫048”不是法院代字：省级行政区简称后面不加数字，或加2位、4位数字"},
		{"six court digits", "（2023）豫048212号", "“豫048212”不是法院代字：省级行政区简称后面不加数字，或加2位、4位数字，如豫、豫04、豫0482（是否漏写了类型代字"},
		{"digits after 最高法", "（2023）最高法01行申1号", "“最高法01”不是法院代字：最高人民法院的代字“最高法”后面不带数字"},
		{"no type code", "（2023）豫0482号", "法院代字豫0482后面缺少类型代字：其后应是案件类型代字，如豫0482行初12号中的“行初”"},
		{"unknown type code", "（2023）豫0482行X12号", "“行X”不是类型代字：《人民法院案件类型及其代字标准》中没有这个代字"},
		{"unknown type code 行催", "（2023）豫0482行催12号", "“行催”不是类型代字"},
		{"知 alone", "（2023）京73知12号", "“知”不是类型代字"},
		{"知 twice", "（2023）京73知知行初12号", "“知知行初”不是类型代字"},
		{"type code with 第", "（2023）豫0482行初第12号", "“行初第”不是类型代字：《人民法院案件类型及其代字标准》中没有这个代字；现行格式的案号不带“第”"},
		{"missing serial", "（2023）豫0482行初号", "类型代字行初后面缺少案件编号：其后应是案件编号和“号”，如豫0482行初12号"},
		{"missing serial and 号", "（2023）豫0482行初", "类型代字行初后面缺少案件编号"},
		{"zero-padded serial", "（2023）豫0482行初012号", "案件编号012前面补了0：应去掉开头的0，写作12"},
		{"serial 0", "（2023）豫0482行初0号", "案件编号0无效：行初后面的案件编号是从1开始的正整数"},
		{"serial 000", "（2023）豫0482行初000号", "案件编号000无效"},
		{"serial too long", "（2023）豫0482行初1234567890号", "案件编号“1234567890”太长：最多9位数字"},
		{"missing 号", "（2023）豫0482行初12", "案件编号12后面缺少“号”：案号以“号”结尾，如行初12号"},
		{"junk before 号", "（2023）豫0482行初12a号", "案件编号12后面应是“号”，而不是“a号”"},
		{"control character before 号", "（2023）豫0482行初12\x01号", `而不是“\x01号”`},
		{"trailing garbage", "（2023）豫0482行初12号判决书", "“号”后面多了“判决书”：案号到“号”为止"},
		{"document suffix", "（2023）豫0482行初12号之一", "“号”后面多了“之一”：案号到“号”为止（“之一”这类文书后缀不属于案号）"},
		{"two numbers", "（2023）豫0482行初12号（2023）豫0482行初13号", "“号”后面多了“（2023）豫0482行初13号”"},
		{"too long", strings.Repeat("行", 100), "太长：共100个字符，案号最多64个字符"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n, err := litigation.ParseCaseNumber(tc.in)
			if err == nil {
				t.Fatalf("ParseCaseNumber(%q) = %+v, want an error", tc.in, n)
			}
			if n != (litigation.CaseNumber{}) {
				t.Errorf("ParseCaseNumber(%q) returned %+v with its error, want the zero value", tc.in, n)
			}
			msg := checkInvalid(t, err)
			if !strings.Contains(msg, tc.want) {
				t.Errorf("ParseCaseNumber(%q) says %q, want it to mention %q", tc.in, msg, tc.want)
			}
			// The message is Chinese: outside the quoted input it has no Latin letters.
			if outside := quoted.ReplaceAllString(msg, ""); strings.ContainsFunc(outside, func(c rune) bool {
				return c <= unicode.MaxASCII && unicode.IsLetter(c)
			}) {
				t.Errorf("ParseCaseNumber(%q) says %q, which is not all Chinese", tc.in, msg)
			}
		})
	}
}

// quoted matches the input quoted in a message, “…”.
var quoted = regexp.MustCompile(`“[^”]*”`)

// checkInvalid checks that err is EINVALID with exactly one field error on
// case_number, and returns its message.
func checkInvalid(t *testing.T, err error) string {
	t.Helper()
	var e *jiefen.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not a *jiefen.Error", err, err)
	}
	if e.Code != jiefen.EINVALID {
		t.Errorf("error code %s, want %s", e.Code, jiefen.EINVALID)
	}
	if len(e.Fields) != 1 || e.Fields[0].Field != "case_number" || e.Fields[0].Message == "" {
		t.Fatalf("fields %+v, want one message on case_number", e.Fields)
	}
	return e.Fields[0].Message
}

func TestCaseTypeTable(t *testing.T) {
	all := litigation.CaseTypes()
	if len(all) < 129 {
		t.Errorf("the table has %d codes, want the standard's 129 and more", len(all))
	}
	seen := map[string]bool{}
	for _, ct := range all {
		if seen[ct.Code] {
			t.Errorf("code %s appears twice", ct.Code)
		}
		seen[ct.Code] = true
		if ct.Code == "" || ct.Name == "" || ct.Category == "" || ct.Instance == "" {
			t.Errorf("incomplete entry %+v", ct)
		}
		for _, c := range ct.Code {
			if !unicode.Is(unicode.Han, c) {
				t.Errorf("code %q has the non-Chinese character %q", ct.Code, c)
			}
		}
		if got, ok := litigation.CaseTypeOf(ct.Code); !ok || got != ct {
			t.Errorf("CaseTypeOf(%q) = %+v, %v; want %+v", ct.Code, got, ok, ct)
		}
		// Every 行 code but 行为保全 is administrative litigation.
		isXing := strings.HasPrefix(ct.Code, "行") || strings.HasPrefix(ct.Code, "知行")
		if want := isXing && ct.Code != "行保" && ct.Code != "行保复" ||
			ct.Code == "赔辖" || ct.Code == "赔辖终"; ct.Administrative != want {
			t.Errorf("%s (%s): administrative %v, want %v", ct.Code, ct.Name, ct.Administrative, want)
		}
	}
	for _, code := range []string{"行初", "行终", "行监", "行申", "行抗", "行再", "行辖", "行辖终", "行他", "行审", "行审复",
		"行赔初", "行赔终", "行赔申", "行赔抗", "行赔再", "行赔监", "行赔他",
		"民初", "民终", "民再", "民申", "民监", "民抗", "民辖", "民辖终", "民特", "民催", "民督", "民破", "民他",
		"刑初", "刑终", "刑再", "刑申", "刑监", "刑抗", "刑更", "刑医", "执", "执恢", "执异", "执复", "执监", "执协",
		"执他", "执保", "司惩", "司惩复", "委赔", "法赔", "协外认", "认台", "破", "破申", "强清"} {
		if _, ok := litigation.CaseTypeOf(code); !ok {
			t.Errorf("CaseTypeOf(%q) is unknown", code)
		}
	}
	for _, code := range []string{"", "行", "行初12", " 行初", "行催", "赔复", "刑赔", "知", "知知行初", "知民诉前调", "行初知"} {
		if ct, ok := litigation.CaseTypeOf(code); ok {
			t.Errorf("CaseTypeOf(%q) = %+v, want unknown", code, ct)
		}
	}
	if ct, _ := litigation.CaseTypeOf("行初"); ct.Name != "行政一审案件" || ct.Category != litigation.CategoryAdministrative ||
		ct.Instance != litigation.InstanceFirst || !ct.Standard {
		t.Errorf("CaseTypeOf(行初) = %+v", ct)
	}
	if ct, _ := litigation.CaseTypeOf("知行初"); ct.Code != "知行初" || ct.SpecialTrial != "知" || !ct.Administrative ||
		!ct.Standard || ct.Instance != litigation.InstanceFirst || ct.Category != litigation.CategoryAdministrative {
		t.Errorf("CaseTypeOf(知行初) = %+v", ct)
	}
	if ct, _ := litigation.CaseTypeOf("行初"); ct.SpecialTrial != "" {
		t.Errorf("CaseTypeOf(行初) has the special-trial code %q", ct.SpecialTrial)
	}

	// CaseTypes hands out a copy: changing it changes nothing.
	all[0].Name, all[0].Administrative = "changed", !all[0].Administrative
	if again := litigation.CaseTypes(); again[0].Name == "changed" {
		t.Error("CaseTypes returned the table itself")
	}
	if ct, _ := litigation.CaseTypeOf(all[0].Code); ct.Name == "changed" {
		t.Error("changing CaseTypes' result changed CaseTypeOf")
	}
}

func TestCaseNumberJSON(t *testing.T) {
	n, err := litigation.ParseCaseNumber("(2023)豫0482行初12号")
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(n)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"canonical":"（2023）豫0482行初12号","as_entered":"(2023)豫0482行初12号","year":2023,"court_code":"豫0482","type_code":"行初","serial":12}`
	if string(b) != want {
		t.Errorf("JSON %s, want %s", b, want)
	}
	if n.String() != n.Canonical {
		t.Errorf("String() = %q, want %q", n.String(), n.Canonical)
	}
}

func FuzzParseCaseNumber(f *testing.F) {
	for _, s := range []string{
		"（2023）豫0482行初12号", "(2023)豫0482行初12号", "〔2023〕豫0482行初12号", "( 2023 ) 豫 0482 行初 12 号",
		"（２０２３）豫０４８２行初１２号", "[2023]豫0482行初12号", "（2018）最高法行申2971号", "（2023）豫0482行赔初3号",
		"（2020）最高法知行终197号", "（2019）黔0102执恢47号", "（2015）汝行初字第12号", "（23）豫0482行初12号",
		"（2023）豫0482行初012号", "（2023）豫0482行初0号", "（2023）豫0482行初12", "（2023）豫0482行初12号之一",
		"（2023）豫048行初12号", "（2023）豫0482行X12号", "", "（", "）", "（2023）", "（2023）最高法", "号",
		"\xff（2023）豫0482行初12号", "（2023）豫0482行初99999999999999999999号",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := litigation.ParseCaseNumber(s)
		if err != nil {
			checkInvalid(t, err)
			return
		}
		if n.AsEntered != s {
			t.Errorf("AsEntered = %q, want %q", n.AsEntered, s)
		}
		if want := fmt.Sprintf("（%d）%s%s%d号", n.Year, n.CourtCode, n.TypeCode, n.Serial); n.Canonical != want {
			t.Errorf("Canonical %q, want %q", n.Canonical, want)
		}
		if strings.ContainsFunc(n.Canonical, func(c rune) bool {
			return unicode.IsSpace(c) || strings.ContainsRune("()[]〔〕【】０１２３４５６７８９", c)
		}) {
			t.Errorf("Canonical %q has a space, a half-width bracket or a full-width digit", n.Canonical)
		}
		if n.Year < litigation.MinCaseYear || n.Year > litigation.MaxCaseYear || n.Serial < 1 {
			t.Errorf("parts out of range: %+v", n)
		}
		if _, ok := litigation.CaseTypeOf(n.TypeCode); !ok {
			t.Errorf("type code %q is unknown to CaseTypeOf", n.TypeCode)
		}
		again, err := litigation.ParseCaseNumber(n.Canonical)
		if err != nil {
			t.Fatalf("re-parsing the canonical %q of %q: %v", n.Canonical, s, err)
		}
		again.AsEntered, n.AsEntered = "", ""
		if again != n {
			t.Errorf("re-parsing %q gives %+v, want %+v", n.Canonical, again, n)
		}
	})
}
