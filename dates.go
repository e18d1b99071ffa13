package jiefen

import (
	"strconv"
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
