// Package calendar is the legal clock: the working-day calendar of the
// State Council's holiday notices (rest days and 调休 make-up working days),
// period arithmetic exactly as the procedure laws count it, and the
// catalogue of statutory clocks with their legal basis.
//
// Counting rules (民事诉讼法 第85条, applied by 行政诉讼法 第101条 and
// 行政复议法 第88条; 民法典 第200条至第204条):
//   - the day of the triggering event is not counted; counting starts the
//     next day;
//   - natural-day and month periods count the holidays inside them, and a
//     last day that is a rest day moves to the first working day after it;
//   - a month period ends on the same day-number of the target month, or on
//     that month's last day when it has none;
//   - 行政复议法 第88条: its periods of three, five, seven and ten days are
//     working days.
//
// The core does no I/O: notices are parsed from bytes the caller supplies.
package calendar

import (
	"fmt"
	"time"

	"jiefen"
)

// Date is a calendar date in Asia/Shanghai, counted in days since
// 1970-01-01 of the proleptic Gregorian calendar. Legal dates (filed on,
// served on, due on) are Dates, never instants at midnight.
type Date int32

// NewDate returns the date y-m-d; out-of-range days and months normalise
// as in time.Date.
func NewDate(y int, m time.Month, d int) Date {
	if m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
		y, m, d = t.Date()
	}
	return Date(daysFromCivil(y, int(m), d))
}

// ParseDate reads a strict YYYY-MM-DD date.
func ParseDate(s string) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, fmt.Errorf("%q is not a date of the form YYYY-MM-DD", s)
	}
	num := func(b string) (int, bool) {
		n := 0
		for i := 0; i < len(b); i++ {
			if b[i] < '0' || b[i] > '9' {
				return 0, false
			}
			n = n*10 + int(b[i]-'0')
		}
		return n, true
	}
	y, ok1 := num(s[:4])
	m, ok2 := num(s[5:7])
	d, ok3 := num(s[8:])
	if !ok1 || !ok2 || !ok3 || m < 1 || m > 12 || d < 1 || d > daysIn(y, time.Month(m)) {
		return 0, fmt.Errorf("%q is not a date of the form YYYY-MM-DD", s)
	}
	return Date(daysFromCivil(y, m, d)), nil
}

// shanghaiOffset is Asia/Shanghai's offset: China has kept UTC+8 without
// daylight saving since 1991, so no time-zone database is needed.
const shanghaiOffset = 8 * 3600

// DateOf returns the Asia/Shanghai calendar date of the instant t.
func DateOf(t time.Time) Date {
	secs := t.Unix() + shanghaiOffset
	days := secs / 86400
	if secs < 0 && secs%86400 != 0 {
		days--
	}
	return Date(days)
}

// YMD returns the year, month and day of d.
func (d Date) YMD() (year int, month time.Month, day int) {
	y, m, dd := civilFromDays(int64(d))
	return y, time.Month(m), dd
}

// Year returns the year of d.
func (d Date) Year() int { y, _, _ := d.YMD(); return y }

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday {
	// 1970-01-01 was a Thursday.
	w := (int64(d) + 4) % 7
	if w < 0 {
		w += 7
	}
	return time.Weekday(w)
}

// AddDays returns the date n days after d (before, for negative n).
func (d Date) AddDays(n int) Date { return d + Date(n) }

// AddMonths returns the day of the month n months after d with the same
// day-number, or that month's last day when it has none (民法典 第202条:
// 到期月的对应日为期间的最后一日；没有对应日的，月末日为期间的最后一日).
func (d Date) AddMonths(n int) Date {
	y, m, day := d.YMD()
	total := y*12 + int(m-1) + n
	ty, tm := total/12, time.Month(total%12+1)
	if total < 0 && total%12 != 0 {
		ty, tm = total/12-1, time.Month(total%12+13)
	}
	return Date(daysFromCivil(ty, int(tm), min(day, daysIn(ty, tm))))
}

// Label is d as a message in Chinese writes it, 2025年10月20日
// (jiefen.DateInFigures), where String gives 2025-10-20 for machines.
func (d Date) Label() string { return jiefen.DateInFigures(d.YMD()) }

// String returns d as YYYY-MM-DD.
func (d Date) String() string {
	y, m, day := d.YMD()
	if y < 0 || y > 9999 {
		return fmt.Sprintf("%04d-%02d-%02d", y, int(m), day)
	}
	b := [10]byte{byte('0' + y/1000), byte('0' + y/100%10), byte('0' + y/10%10), byte('0' + y%10), '-',
		byte('0' + int(m)/10), byte('0' + int(m)%10), '-', byte('0' + day/10), byte('0' + day%10)}
	return string(b[:])
}

// MarshalText writes d as YYYY-MM-DD (and so JSON writes a string).
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads a strict YYYY-MM-DD.
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func daysIn(y int, m time.Month) int {
	switch m {
	case time.February:
		if isLeap(y) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// daysFromCivil and civilFromDays are Howard Hinnant's algorithms for the
// proleptic Gregorian calendar: exact, branch-light, no tables.
func daysFromCivil(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := int64(y - era*400)
	mp := int64((m + 9) % 12)
	doy := (153*mp+2)/5 + int64(d) - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era)*146097 + doe - 719468
}

func civilFromDays(z int64) (int, int, int) {
	z += 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era--
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return int(y), int(m), int(d)
}

// CheckEventDay records in p what is wrong with the day on which an event
// happened (entered after the fact): it is not after today, and not before
// the day of the event it follows (after, described by afterWhat).
func CheckEventDay(p *jiefen.Problems, field string, on, today, after Date, afterWhat string) {
	switch {
	case on > today:
		p.Add(field, "%s is in the future", on)
	case on < after:
		p.Add(field, "%s is before %s (%s)", on, jiefen.Textf(afterWhat), after)
	}
}
