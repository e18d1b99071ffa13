package jiefen

import "strings"

// creditCodeChars are the characters of a 统一社会信用代码 (GB 32100-2015)
// in the order of their values 0–30: the digits and the capital letters
// but I, O, S, V and Z.
const creditCodeChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// creditWeights are the GB 32100-2015 weights of the first 17 characters
// (3^i mod 31).
var creditWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// creditAuthorities are the registration authority codes, the first
// character: 1 机构编制, 2 外交, 3 司法行政, 4 文化, 5 民政, 6 旅游, 7 宗教,
// 8 工会, 9 工商 (市场监管), A 中央军委改革和编制办公室, N 农业, Y 其他.
const creditAuthorities = "123456789ANY"

// CreditCodeCheck returns the check character of the first 17 characters
// of a credit code: the one whose value makes the weighted sum of all 18 a
// multiple of 31. It returns 0 when body is not 17 characters of the code's
// character set.
func CreditCodeCheck(body string) byte {
	if len(body) != 17 {
		return 0
	}
	sum := 0
	for i := range 17 {
		v := strings.IndexByte(creditCodeChars, body[i])
		if v < 0 {
			return 0
		}
		sum += v * creditWeights[i]
	}
	return creditCodeChars[(31-sum%31)%31]
}

// NormalizeCreditCode returns the canonical form of a 统一社会信用代码
// (unified social credit code, GB 32100-2015), which identifies a company,
// 个体工商户, social organisation or office. Full-width characters become
// ASCII, spaces are dropped and letters upper-cased. The code must then be
// 18 characters of digits and capital letters but I, O, S, V and Z: the
// registration authority (1–9, A, N or Y), the kind of organisation, six
// digits of the administrative division of the registering office, the
// nine characters of the organisation code, and the check character
// (CreditCodeCheck). A credit code is not personal data, so the error, an
// EINVALID *Error, says in Chinese what is wrong and names the characters
// (the expected check character too).
func NormalizeCreditCode(s string) (string, error) {
	s = strings.ToUpper(strip(foldWidth(s), isSpace))
	r := []rune(s)
	switch n := len(r); {
	case n == 0:
		return "", invalid("请填写统一社会信用代码")
	case n != 18:
		return "", invalid("统一社会信用代码应为18位，现为%d位", n)
	}
	for i, c := range r {
		if !strings.ContainsRune(creditCodeChars, c) {
			return "", invalid("第%d位“%c”不是统一社会信用代码的字符：只用数字和除I、O、S、V、Z以外的大写字母", i+1, c)
		}
	}
	if !strings.ContainsRune(creditAuthorities, r[0]) {
		return "", invalid("第1位“%c”不是登记管理部门代码（应为1–9、A、N或Y）", r[0])
	}
	for i := 2; i < 8; i++ {
		if r[i] < '0' || r[i] > '9' {
			return "", invalid("第3–8位是登记管理机关的行政区划码，应为6位数字，第%d位“%c”不是数字", i+1, r[i])
		}
	}
	if want := CreditCodeCheck(s[:17]); s[17] != want {
		return "", invalid("校验码（第18位）应为“%c”，不是“%c”：请核对代码", want, s[17])
	}
	return s, nil
}
