package jiefen

import (
	"strconv"
	"strings"
)

// MaskText returns a free text (a dispute's description, a session's
// record, an agreement's terms…) with the ID numbers and phone numbers
// typed into it masked as the parties' fields are (MaskIDNumber,
// MaskPhone): staff write "申请人张三，身份证号410482199003071234，电话
// 13812345678" as readily as they fill in the fields, and the text is then
// personal information as much as the fields are (个人信息保护法 第28条: an
// ID number is sensitive).
//
// What counts, each standing alone (no digit or Latin letter right before
// or after it, so that a longer number, a case number such as
// （2024）豫0482行初12号, an amount, a date or a 统一社会信用代码 is left as
// it is):
//   - an 18-character resident ID number (GB 11643-1999): a province-level
//     region, four more digits of area, a real date of birth from 1900 to
//     2099, three digits of sequence and a check character (a digit, X or
//     x, half- or full-width). A wrong check character is still masked —
//     it is someone's number mistyped — unless the 18 characters are a
//     valid 统一社会信用代码;
//   - a 15-digit ID number of before 1999 (region and a real date of birth
//     YYMMDD);
//   - a mainland mobile, 1[3-9] and nine more digits, optionally after
//     +86 (or ＋86), 0086 or 86 and grouped 3-4-4 by single separators
//     (138 1234 5678, 138-1234-5678, １３８－１２３４－５６７８);
//   - a landline with its area code set apart: 0375-1234567, 0375 12345678,
//     (0375)1234567, 010-12345678, ０３７５－１２３４５６７.
//
// A separator is a space or a hyphen, half- or full-width (the ideographic
// space U+3000, U+FF0D), or a single en or em dash, as input methods type
// them; a doubled dash (——) is punctuation and sets nothing apart.
//
// Latin letters right before a number do not hide it when they label it —
// tel, phone, mobile, mob, cell, id, idno in any case (tel13812345678,
// ID410482199003071234) — or when the number is an 18-character ID number
// whose check character is right (GB 11643-1999), which a code does
// not happen to be. Other letters before a number are taken for a code's
// (a parcel's SF13812345678, an order's): it is left as it is. A
// 统一社会信用代码 (GB 32100-2015) is never taken for such a run: its
// letters stand in its first two characters or after its eighth, so the
// digits after its last letter are 16, 17 or fewer than 10 — never a
// mobile or an ID number.
//
// Digits may be full-width (０-９), as Chinese input methods type them.
// Grouping, prefixes and everything else are kept; only digits turn into
// '*'. Landlines without an area code, or written as one run of digits,
// are not recognised: such runs are as likely amounts or serial numbers.
func MaskText(text string) string {
	r := []rune(text)
	changed := false
	for i := 0; i < len(r); {
		if !isDigitRune(r[i]) && r[i] != '+' && r[i] != '＋' && r[i] != '(' && r[i] != '（' {
			i++
			continue
		}
		n := 0
		switch {
		case i == 0 || !isWordRune(r[i-1]):
			n = maskNumberAt(r, i)
		case !isDigitRune(r[i-1]):
			n = maskAfterLetters(r, i)
		}
		if n > 0 {
			changed = true
			i += n
			continue
		}
		// Not a number of a person: skip the whole run of digits and
		// letters, so that no match starts inside it.
		inRun := isDigitRune(r[i])
		i++
		for inRun && i < len(r) && isWordRune(r[i]) {
			i++
		}
	}
	if !changed {
		return text
	}
	return string(r)
}

// MaskTextIn returns a copy of records with the free text that text points
// to in each masked (MaskText), leaving records as they were; nil stays
// nil.
func MaskTextIn[T any](records []T, text func(*T) *string) []T {
	if records == nil {
		return nil
	}
	out := append([]T{}, records...)
	for i := range out {
		t := text(&out[i])
		*t = MaskText(*t)
	}
	return out
}

// MaskTextOf is MaskTextIn for one record held by pointer: a copy with its
// text masked; nil stays nil.
func MaskTextOf[T any](record *T, text func(*T) *string) *T {
	if record == nil {
		return nil
	}
	return &MaskTextIn([]T{*record}, text)[0]
}

// maskNumberAt masks the ID number or phone that starts at r[i] in place
// and returns how many runes it spans, or 0 when none starts there.
func maskNumberAt(r []rune, i int) int {
	if n := idNumberAt(r, i); n > 0 {
		masked := []rune(MaskIDNumber(string(r[i : i+n])))
		copy(r[i:], masked)
		return n
	}
	if n, digits := mobileAt(r, i); n > 0 {
		maskDigits(r, digits, 3, 4)
		return n
	}
	if n, local := landlineAt(r, i); n > 0 {
		maskDigits(r, local, 0, 4)
		return n
	}
	return 0
}

// maskAfterLetters is maskNumberAt for a number that Latin letters touch:
// it masks the number when the letters, the whole run of them before r[i],
// label it, or when it is an 18-character ID number with the right check
// character.
func maskAfterLetters(r []rune, i int) int {
	start := i
	for start > 0 && isWordRune(r[start-1]) {
		start--
	}
	if numberLabel(r[start:i]) {
		return maskNumberAt(r, i)
	}
	if idNumberAt(r, i) == 18 && idCheckRight(asciiDigits(r[i:i+18])) {
		return maskNumberAt(r, i)
	}
	return 0
}

// numberLabel reports whether letters are a label staff write right before
// a phone or ID number (tel13812345678): tel, phone, mobile, mob, cell, id
// or idno, in any case and width.
func numberLabel(letters []rune) bool {
	switch strings.ToLower(foldWidth(string(letters))) {
	case "tel", "phone", "mobile", "mob", "cell", "id", "idno":
		return true
	}
	return false
}

// idNumberAt returns the length of the resident ID number (18 or 15
// characters) that starts at r[i] and stands alone, or 0.
func idNumberAt(r []rune, i int) int {
	run := 0
	for i+run < len(r) && isDigitRune(r[i+run]) {
		run++
	}
	switch {
	case (run == 18 || run == 17 && i+17 < len(r) && isCheckX(r[i+17])) && !(i+18 < len(r) && isWordRune(r[i+18])):
		if idNumberShape(asciiDigits(r[i : i+18])) {
			return 18
		}
	case run == 15 && !(i+15 < len(r) && isWordRune(r[i+15])):
		s := asciiDigits(r[i : i+15])
		if region, _ := strconv.Atoi(s[:2]); provinceCode(region) && realDate("19"+s[6:12]) {
			return 15
		}
	}
	return 0
}

// idNumberShape reports whether s (17 digits and a digit or X) has the
// shape of an 18-character ID number. A wrong check character is accepted,
// unless s is then a valid 统一社会信用代码 instead.
func idNumberShape(s string) bool {
	if region, _ := strconv.Atoi(s[:2]); !provinceCode(region) || !realDate(s[6:14]) {
		return false
	}
	if y, _ := strconv.Atoi(s[6:10]); y < 1900 || y > 2099 {
		return false
	}
	return idCheckRight(s) || s[17] != CreditCodeCheck(s[:17])
}

// idCheckRight reports whether the check character of s (17 digits and a
// digit or X) is the one GB 11643-1999 computes from the 17 digits.
func idCheckRight(s string) bool {
	sum := 0
	for i, w := range idWeights {
		sum += int(s[i]-'0') * w
	}
	return s[17] == idCheckChars[sum%11]
}

// mobileAt returns the span of the mobile number that starts at r[i] (its
// prefix included) and stands alone, and the positions of its eleven
// digits; 0 when there is none.
func mobileAt(r []rune, i int) (int, []int) {
	start := i
	for _, prefix := range []string{"+86", "0086", "86"} {
		if hasPrefixAt(r, i, prefix) {
			j := i + len(prefix)
			if j < len(r) && isSeparator(r[j]) {
				j++
			}
			if n, digits := mobileAt(r, j); n > 0 {
				return j - start + n, digits
			}
		}
	}
	var digits []int
	j := i
	for _, group := range []int{3, 4, 4} {
		if len(digits) > 0 && j < len(r) && isSeparator(r[j]) && j+1 < len(r) && isDigitRune(r[j+1]) {
			j++
		}
		for range group {
			if j >= len(r) || !isDigitRune(r[j]) {
				return 0, nil
			}
			digits = append(digits, j)
			j++
		}
	}
	if j < len(r) && isWordRune(r[j]) {
		return 0, nil
	}
	if digitOf(r[digits[0]]) != 1 || digitOf(r[digits[1]]) < 3 {
		return 0, nil
	}
	return j - start, digits
}

// landlineAt returns the span of the landline that starts at r[i] — an
// area code (010, 02X or a four-digit 0XXX, as NormalizePhone accepts),
// set apart by a separator or parentheses, and a local number of 7
// or 8 digits not starting with 0 — and the positions of the local
// number's digits; 0 when there is none.
func landlineAt(r []rune, i int) (int, []int) {
	j := i
	paren := r[j] == '(' || r[j] == '（'
	if paren {
		j++
	}
	var area []rune
	for j < len(r) && isDigitRune(r[j]) {
		area = append(area, rune('0'+digitOf(r[j])))
		j++
	}
	want := 4
	if len(area) > 1 && (area[1] == '1' || area[1] == '2') {
		want = 3
	}
	if len(area) != want || area[0] != '0' {
		return 0, nil
	}
	if _, err := landline(string(area) + "1234567"); err != nil {
		return 0, nil
	}
	switch {
	case paren && j < len(r) && (r[j] == ')' || r[j] == '）'):
		j++
	case !paren && j < len(r) && isSeparator(r[j]):
		j++
	default:
		return 0, nil
	}
	var local []int
	for j < len(r) && isDigitRune(r[j]) {
		local = append(local, j)
		j++
	}
	if len(local) != 7 && len(local) != 8 || digitOf(r[local[0]]) == 0 || j < len(r) && isWordRune(r[j]) {
		return 0, nil
	}
	return j - i, local
}

// maskDigits turns the digits at the given positions into '*', all but the
// first keep and the last tail.
func maskDigits(r []rune, positions []int, keep, tail int) {
	for k, p := range positions {
		if k >= keep && k < len(positions)-tail {
			r[p] = '*'
		}
	}
}

// realDate reports whether the eight digits YYYYMMDD are a date of the
// Gregorian calendar.
func realDate(ymd string) bool {
	y, _ := strconv.Atoi(ymd[:4])
	m, _ := strconv.Atoi(ymd[4:6])
	d, _ := strconv.Atoi(ymd[6:8])
	return m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, m)
}

func hasPrefixAt(r []rune, i int, prefix string) bool {
	if i+len(prefix) > len(r) {
		return false
	}
	for k := range len(prefix) {
		c := r[i+k]
		switch {
		case isDigitRune(c):
			c = rune('0' + digitOf(c))
		case c == '＋':
			c = '+'
		}
		if c != rune(prefix[k]) {
			return false
		}
	}
	return true
}

// isSeparator reports whether c may set apart the groups of a phone number
// or its area code: a space or hyphen, half- or full-width, or an en or em
// dash.
func isSeparator(c rune) bool {
	switch c {
	case ' ', '-', '\u3000', '－', '–', '—':
		return true
	}
	return false
}

// isCheckX reports whether c is the check character X of an ID number as
// it may be typed: upper or lower case, half- or full-width.
func isCheckX(c rune) bool { return c == 'X' || c == 'x' || c == 'Ｘ' || c == 'ｘ' }

// asciiDigits returns r with full-width digits made ASCII and every form of
// the check character X made X.
func asciiDigits(r []rune) string {
	b := make([]byte, len(r))
	for k, c := range r {
		switch {
		case isDigitRune(c):
			b[k] = byte('0' + digitOf(c))
		case isCheckX(c):
			b[k] = 'X'
		default:
			b[k] = '?'
		}
	}
	return string(b)
}

func isDigitRune(c rune) bool { return c >= '0' && c <= '9' || c >= '０' && c <= '９' }

func digitOf(c rune) int {
	if c >= '０' {
		return int(c - '０')
	}
	return int(c - '0')
}

// isWordRune reports whether c continues a run of digits and Latin letters
// (a code, a longer number), which an ID number or phone must not touch.
func isWordRune(c rune) bool {
	return isDigitRune(c) || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 'ａ' && c <= 'ｚ' || c >= 'Ａ' && c <= 'Ｚ'
}
