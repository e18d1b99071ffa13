package jiefen

import (
	"strconv"
	"strings"
	"time"
)

// DateInFigures writes a date the way the body of a printed document
// does, in Arabic figures with 年, 月 and 日 and no leading zeros:
// 2026年12月2日, never 2026-12-02 or 2026年12月02日. It takes the year, month
// and day as time.Time.Date and calendar.Date.YMD return them, so that
// DateInFigures(d.YMD()) writes a calendar date.
func DateInFigures(year int, month time.Month, day int) string {
	return strconv.Itoa(year) + "年" + strconv.Itoa(int(month)) + "月" + strconv.Itoa(day) + "日"
}

// DateInChineseNumerals writes a date in Chinese numerals, the way the
// date under the signature and the seal (落款) of an official document or
// a court's judgment is written: the year digit by digit with 〇 for zero,
// the month and the day as numbers are spoken. 2026-12-02 is
// 二〇二六年十二月二日, 2000-01-01 二〇〇〇年一月一日, 2030-10-10
// 二〇三〇年十月十日, the 20th 二十日 and the 31st 三十一日. It takes the year,
// month and day as time.Time.Date and calendar.Date.YMD return them.
func DateInChineseNumerals(year int, month time.Month, day int) string {
	return digitsInChinese(year) + "年" + chineseNumber(int(month)) + "月" + chineseNumber(day) + "日"
}

// chineseDigits are the digits 〇 to 九 in which dates are written, each of
// three bytes in UTF-8.
const chineseDigits = "〇一二三四五六七八九"

// chineseDigit is the Chinese numeral of the digit d, 0 to 9.
func chineseDigit(d int) string { return chineseDigits[3*d : 3*d+3] }

// chineseNumber writes n from 1 to 99 as it is spoken: 九, 十, 十一, 二十,
// 三十一. A number outside that range, which no month or day of a valid
// date is, is written digit by digit.
func chineseNumber(n int) string {
	if n < 1 || n > 99 {
		return digitsInChinese(n)
	}
	tens, units := n/10, n%10
	s := ""
	switch tens {
	case 0:
		return chineseDigit(units)
	case 1:
		s = "十"
	default:
		s = chineseDigit(tens) + "十"
	}
	if units != 0 {
		s += chineseDigit(units)
	}
	return s
}

// digitsInChinese writes n digit by digit in Chinese numerals, as a year
// is written: 2026 is 二〇二六. A negative number keeps its minus sign.
func digitsInChinese(n int) string {
	var b strings.Builder
	for _, r := range strconv.Itoa(n) {
		if r >= '0' && r <= '9' {
			b.WriteString(chineseDigit(int(r - '0')))
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}
