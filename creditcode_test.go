package jiefen

import (
	"slices"
	"strings"
	"testing"
)

// creditCheck computes the GB 32100-2015 check character of 17 characters
// independently of creditcode.go: the weights are 3^i mod 31, the value of
// a character is its place in the alphabet of the code, and the check
// character is the one whose value makes the weighted sum of all 18 a
// multiple of 31 (weight of the 18th: 1).
func creditCheck(t *testing.T, body string) string {
	t.Helper()
	const alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	if len(body) != 17 {
		t.Fatalf("creditCheck(%q): need 17 characters", body)
	}
	sum, w := 0, 1
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(alphabet, body[i])
		if v < 0 {
			t.Fatalf("creditCheck(%q): %q is not in the alphabet", body, body[i])
		}
		sum += v * w
		w = w * 3 % 31
	}
	for c := 0; c < 31; c++ {
		if (sum+c)%31 == 0 {
			return body + string(alphabet[c])
		}
	}
	panic("unreachable")
}

// validCreditCodes are codes whose check characters were computed by the
// algorithm (creditCheck, and by hand in Python), one per registration
// authority and kind of organisation, and a few published ones.
var validCreditCodes = []string{
	"91410482MA47BQ8J76", // 工商: a company of 汝州市 with a new-style organisation code
	"92410482MA4AAAAA0B", // 工商: 个体工商户
	"93410482MA44CR1X18", // 工商: 农民专业合作社
	"914104820000000000", // a weighted sum that is a multiple of 31: the check character is 0
	"52410482MJY123456L", // 民政: 民办非企业单位
	"51100000500000011B", // 民政: a national 社会团体 (division 100000)
	"124104824160000033", // 机构编制: 事业单位
	"114104820051845203", // 机构编制: 机关
	"31410000MD01234568", // 司法行政: 律师事务所
	"81410482MC00000008", // 工会
	"Y1410482000000001D", // 其他
	"N2410482MF0000000W", // 农业: 村级集体经济组织
	"A1100000MB0000000E", // 中央军委改革和编制办公室
	// Published codes, from the companies' own business licences.
	"9144030071526726XG", // 腾讯科技（深圳）有限公司
	"914403001922038216", // 华为技术有限公司
	"91110108551385082Q", // 小米科技有限责任公司
	"91100000100003962T", // 中国工商银行股份有限公司
}

func TestCreditCheckAgreesWithTheList(t *testing.T) {
	for _, code := range validCreditCodes {
		if got := creditCheck(t, code[:17]); got != code {
			t.Errorf("creditCheck(%s) = %s, want %s", code[:17], got, code)
		}
		if got := CreditCodeCheck(code[:17]); got != code[17] {
			t.Errorf("CreditCodeCheck(%s) = %q, want %q", code[:17], got, code[17])
		}
	}
	for _, bad := range []string{"", "9141048200000000", "914104820000000000", "9141048200000000I", "914104820000000年"} {
		if got := CreditCodeCheck(bad); got != 0 {
			t.Errorf("CreditCodeCheck(%q) = %q, want 0", bad, got)
		}
	}
}

func TestNormalizeCreditCodeAccepts(t *testing.T) {
	for _, code := range validCreditCodes {
		got, err := NormalizeCreditCode(code)
		if err != nil || got != code {
			t.Errorf("NormalizeCreditCode(%s) = %q, %v; want it unchanged", code, got, err)
		}
	}
	tests := []struct{ in, want string }{
		{"9144030071526726xg", "9144030071526726XG"},
		{"91410482ma47bq8j76", "91410482MA47BQ8J76"},
		{"  9144 0300 7152 6726 XG\u3000", "9144030071526726XG"},
		{fullWidth("9144030071526726xg"), "9144030071526726XG"},
		{"\u200b91110108551385082Q\ufeff", "91110108551385082Q"},
	}
	for _, tt := range tests {
		got, err := NormalizeCreditCode(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("NormalizeCreditCode(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestNormalizeCreditCodeRejects(t *testing.T) {
	good := "91410482MA47BQ8J76"
	at := func(i int, c string) string { return good[:i] + c + good[i+1:] }
	tests := []struct{ name, in, want string }{
		{"empty", "", "请填写统一社会信用代码"},
		{"only spaces", " \u3000 ", "请填写统一社会信用代码"},
		{"17 characters", good[:17], "统一社会信用代码应为18位，现为17位"},
		{"19 characters", good + "1", "统一社会信用代码应为18位，现为19位"},
		{"15-digit registration number", "410482000012345", "统一社会信用代码应为18位，现为15位"},
		{"9-character organisation code", "MA47BQ8J7", "统一社会信用代码应为18位，现为9位"},
		{"a hyphen", "91410482-MA47BQ8J7", "第9位“-”不是统一社会信用代码的字符"},
		{"a Chinese character counts as one", "91410482MA47BQ8J7号", "第18位“号”不是统一社会信用代码的字符"},
		{"I", at(9, "I"), "第10位“I”不是统一社会信用代码的字符：只用数字和除I、O、S、V、Z以外的大写字母"},
		{"O", at(10, "O"), "第11位“O”不是"},
		{"S", at(11, "S"), "第12位“S”不是"},
		{"V", at(12, "V"), "第13位“V”不是"},
		{"Z", at(13, "Z"), "第14位“Z”不是"},
		{"lower-case i is I", at(9, "i"), "第10位“I”不是"},
		{"punctuation", at(17, "*"), "第18位“*”不是"},
		{"authority 0", at(0, "0"), "第1位“0”不是登记管理部门代码（应为1–9、A、N或Y）"},
		{"authority B", at(0, "B"), "第1位“B”不是登记管理部门代码"},
		{"a letter in the division code", at(4, "A"), "第3–8位是登记管理机关的行政区划码，应为6位数字，第5位“A”不是数字"},
		{"a letter at the end of the division code", at(7, "X"), "第8位“X”不是数字"},
		{"check character", at(17, "7"), "校验码（第18位）应为“6”，不是“7”"},
		{"Tencent's with X and G swapped", "9144030071526726GX", "校验码（第18位）应为"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NormalizeCreditCode(tt.in)
			if err == nil {
				t.Fatalf("NormalizeCreditCode(%q) = %q, want an error containing %q", tt.in, got, tt.want)
			}
			if ErrorCodeOf(err) != EINVALID {
				t.Errorf("code = %q, want %q", ErrorCodeOf(err), EINVALID)
			}
			if msg := err.(*Error).Message; !strings.Contains(msg, tt.want) {
				t.Errorf("message %q does not contain %q", msg, tt.want)
			}
		})
	}
}

// Every wrong check character is refused with the right one named, and
// every change of one character of the first 17 to another character of
// the alphabet is caught: the weights are units mod 31, a prime.
func TestNormalizeCreditCodeCatchesEverySingleError(t *testing.T) {
	const alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	for _, code := range validCreditCodes {
		for _, c := range alphabet {
			if byte(c) == code[17] {
				continue
			}
			_, err := NormalizeCreditCode(code[:17] + string(c))
			want := "校验码（第18位）应为“" + code[17:] + "”，不是“" + string(c) + "”"
			if err == nil || !strings.Contains(err.(*Error).Message, want) {
				t.Errorf("%s with check %c: %v, want %q", code, c, err, want)
			}
		}
		for i := 0; i < 17; i++ {
			for _, c := range alphabet {
				if byte(c) == code[i] {
					continue
				}
				bad := code[:i] + string(c) + code[i+1:]
				if got, err := NormalizeCreditCode(bad); err == nil {
					t.Errorf("NormalizeCreditCode(%s) (character %d of %s changed) = %q, want an error", bad, i+1, code, got)
				}
			}
		}
	}
}

func TestPartyNormalizeOrganisation(t *testing.T) {
	p := Party{Role: PartyRespondent, Kind: PartyOrganisation, Name: " 汝州市某某物业服务有限公司 ", CreditCode: " 91410482ma47bq8j76 ",
		Phone: "0375-1234567", Address: "汝州市钟楼街道某某路1号"}
	var problems Problems
	p.Normalize(testToday, "parties[1]", &problems)
	if len(problems) != 0 {
		t.Fatalf("problems = %+v, want none", problems)
	}
	want := Party{Role: PartyRespondent, Kind: PartyOrganisation, Name: "汝州市某某物业服务有限公司", CreditCode: "91410482MA47BQ8J76",
		Phone: "0375-1234567", Address: "汝州市钟楼街道某某路1号"}
	if p != want {
		t.Errorf("Normalize = %+v, want %+v", p, want)
	}

	// The credit code is optional, as a person's ID number is.
	bare := Party{Role: PartyRespondent, Kind: PartyOrganisation, Name: "汝州市某某食品店"}
	problems = nil
	if bare.Normalize(testToday, "parties[1]", &problems); len(problems) != 0 || bare.CreditCode != "" || bare.IDType != "" {
		t.Errorf("an organisation without a credit code = %+v, problems %+v", bare, problems)
	}

	// No kind is a person, as before organisations were known.
	person := Party{Role: PartyApplicant, Name: "张某某"}
	problems = nil
	if person.Normalize(testToday, "parties[0]", &problems); len(problems) != 0 || person.Kind != PartyPerson {
		t.Errorf("a party of no kind = %+v, problems %+v; want a person", person, problems)
	}
}

func TestPartyNormalizeOrganisationNamesEveryBadField(t *testing.T) {
	id := withCheck(t, "41048219900101123")
	tests := []struct {
		name  string
		party Party
		want  map[string]string // field → a part of its message
	}{
		{"an organisation with an ID number",
			Party{Role: PartyApplicant, Kind: PartyOrganisation, Name: "某某公司", IDNumber: id},
			map[string]string{"parties[0].id_number": "单位当事人没有身份证件号码，请填写统一社会信用代码"}},
		{"an organisation with a document type",
			Party{Role: PartyApplicant, Kind: PartyOrganisation, Name: "某某公司", IDType: IDPassport},
			map[string]string{"parties[0].id_type": "单位当事人没有身份证件"}},
		{"an organisation with an ID number and a bad credit code",
			Party{Role: PartyApplicant, Kind: PartyOrganisation, Name: "某某公司", IDNumber: id, CreditCode: "91410482MA47BQ8J7"},
			map[string]string{"parties[0].id_number": "单位当事人没有身份证件号码", "parties[0].credit_code": "应为18位，现为17位"}},
		{"a bad check character",
			Party{Role: PartyApplicant, Kind: PartyOrganisation, Name: "某某公司", CreditCode: "91410482MA47BQ8J77"},
			map[string]string{"parties[0].credit_code": "校验码（第18位）应为“6”，不是“7”"}},
		{"a person with a credit code",
			Party{Role: PartyApplicant, Name: "张某某", CreditCode: "91410482MA47BQ8J76"},
			map[string]string{"parties[0].credit_code": "只有单位有统一社会信用代码"}},
		{"an unknown kind",
			Party{Role: PartyApplicant, Kind: "company", Name: "某某公司", CreditCode: "91410482MA47BQ8J76"},
			map[string]string{"parties[0].kind": "must be person or organisation"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var problems Problems
			p := tt.party
			p.Normalize(testToday, "parties[0]", &problems)
			var want []string
			for f := range tt.want {
				want = append(want, f)
			}
			slices.Sort(want)
			if got := fields(problems); !slices.Equal(got, want) {
				t.Fatalf("fields = %v, want %v (%+v)", got, want, problems)
			}
			for _, e := range problems {
				if !strings.Contains(e.Message, tt.want[e.Field]) {
					t.Errorf("%s: message %q does not contain %q", e.Field, e.Message, tt.want[e.Field])
				}
				if strings.Contains(e.Message, id) || strings.Contains(e.Message, id[6:14]) {
					t.Errorf("%s: message %q repeats the ID number", e.Field, e.Message)
				}
			}
		})
	}
}

func TestMaskShowsAnOrganisationsCreditCode(t *testing.T) {
	p := Party{Role: PartyRespondent, Kind: PartyOrganisation, Name: "汝州市某某物业服务有限公司", CreditCode: "91410482MA47BQ8J76",
		Phone: "13812345678"}
	got := Mask(p)
	if got.CreditCode != p.CreditCode || got.Name != p.Name || got.Kind != PartyOrganisation {
		t.Errorf("Mask = %+v: the credit code, name and kind must stay as they are", got)
	}
	if got.Phone != "138****5678" {
		t.Errorf("Mask phone = %q: a contact's phone stays masked", got.Phone)
	}
}

func TestPartyKindValid(t *testing.T) {
	for _, k := range []PartyKind{PartyPerson, PartyOrganisation} {
		if !k.Valid() {
			t.Errorf("%s not valid", k)
		}
	}
	for _, k := range []PartyKind{"", "Person", "company", "individual"} {
		if k.Valid() {
			t.Errorf("%q valid", k)
		}
	}
}

// FuzzNormalizeCreditCode checks that the normaliser never panics, that
// its canonical form is a fixed point, and that what it accepts has the
// check character CreditCodeCheck computes.
func FuzzNormalizeCreditCode(f *testing.F) {
	for _, s := range append(slices.Clone(validCreditCodes), "", "9144030071526726xg", "ｉ", "91410482-MA47BQ8J7", "年年年年年年年年年年年年年年年年年年") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		code, err := NormalizeCreditCode(s)
		if err != nil {
			return
		}
		if again, err := NormalizeCreditCode(code); err != nil || again != code {
			t.Errorf("NormalizeCreditCode(%q) = %q, but again gives %q, %v", s, code, again, err)
		}
		if len(code) != 18 || CreditCodeCheck(code[:17]) != code[17] {
			t.Errorf("NormalizeCreditCode(%q) = %q, whose check character is not %q", s, code, CreditCodeCheck(code[:17]))
		}
	})
}
