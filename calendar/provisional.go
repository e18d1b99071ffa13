package calendar

import (
	"fmt"
	"slices"
	"strings"
	"time"

	lunar "github.com/6tail/lunar-go/calendar"
)

// StatutoryFrom is the first year the holidays of 《全国年节及纪念日放假办法》
// as revised in 2024 (国务院令第795号, in force 2025-01-01) apply to. A year
// from then on whose State Council notice is not loaded yet is counted on
// those holidays (Provisional); an earlier year without a notice has no
// calendar at all.
const StatutoryFrom = 2025

// ProvisionalPolicy is how a year whose State Council notice is not out yet
// is counted (DOMAIN.md, "Provisional calendar").
type ProvisionalPolicy struct {
	// Years is how many years after the last loaded notice are counted
	// provisionally; a date later than that has no calendar (0: 10 years,
	// enough for the longest period API.md allows from a date of the last
	// loaded year).
	Years int
	// MakeUpCoincident also makes up (补假) a holiday that falls on another
	// holiday (中秋 on a 国庆 day, as in 2028 and 2031). 《办法》 第六条 makes
	// up only a holiday that falls on a Saturday or Sunday, and the default
	// (false) reads it so; the State Council has in practice given the day
	// back (2020), which a city may choose to expect.
	MakeUpCoincident bool
}

func (p ProvisionalPolicy) years() int {
	if p.Years <= 0 {
		return 10
	}
	return p.Years
}

// ProvisionalBasis is why a clock counted on the provisional calendar of
// the given years is not final, in the words shown beside it.
func ProvisionalBasis(years []int) string {
	ys := make([]string, len(years))
	for i, y := range years {
		ys[i] = fmt.Sprintf("%d年", y)
	}
	return strings.Join(ys, "、") + "节假日安排国务院尚未公布，按《全国年节及纪念日放假办法》规定的节日及周末补假暂计，通知公布后自动按正式安排重算"
}

// holidayRule is one holiday of 《全国年节及纪念日放假办法》 第二条 (2024
// revision): its name and the days it gives in a year.
type holidayRule struct {
	name string
	days func(year int) []Date
}

// statutoryHolidays are the holidays of 全体公民 (第二条): 元旦 1 day, 春节
// 4 days (农历除夕、正月初一至初三), 清明 1 day (the day of the 清明 solar
// term), 劳动节 2 days (5月1日、2日), 端午 1 day (农历五月初五), 中秋 1 day
// (农历八月十五), 国庆 3 days (10月1日至3日). Lunar dates and the solar
// term come from lunar-go, a maintained implementation of the Chinese
// calendar (寿星万年历 algorithms), never from a hand table.
func statutoryHolidays() []holidayRule {
	fixed := func(m time.Month, ds ...int) func(int) []Date {
		return func(y int) []Date {
			out := make([]Date, len(ds))
			for i, d := range ds {
				out[i] = NewDate(y, m, d)
			}
			return out
		}
	}
	return []holidayRule{
		{"元旦", fixed(time.January, 1)},
		{"春节", func(y int) []Date {
			first := lunarDay(y, 1, 1) // 正月初一; 除夕 is the day before, 腊月廿九 or 三十
			return []Date{first - 1, first, first + 1, first + 2}
		}},
		{"清明节", func(y int) []Date { return []Date{qingming(y)} }},
		{"劳动节", fixed(time.May, 1, 2)},
		{"端午节", func(y int) []Date { return []Date{lunarDay(y, 5, 5)} }},
		{"中秋节", func(y int) []Date { return []Date{lunarDay(y, 8, 15)} }},
		{"国庆节", fixed(time.October, 1, 2, 3)},
	}
}

// lunarDay is the Gregorian date of day d of month m of the lunar year that
// begins in Gregorian year y.
func lunarDay(y, m, d int) Date {
	s := lunar.NewLunarFromYmd(y, m, d).GetSolar()
	return NewDate(s.GetYear(), time.Month(s.GetMonth()), s.GetDay())
}

// qingming is the day of the 清明 solar term of year y (4 or 5 April).
func qingming(y int) Date {
	for d := 3; d <= 6; d++ {
		if lunar.NewSolarFromYmd(y, 4, d).GetLunar().GetJieQi() == "清明" {
			return NewDate(y, time.April, d)
		}
	}
	panic(fmt.Sprintf("calendar: lunar-go gives no 清明 between 3 and 6 April %d", y))
}

// Provisional returns the rest days that 《全国年节及纪念日放假办法》 itself
// gives year y, for counting before the State Council's notice of that year
// is out: the holidays of 第二条, and for each day of a holiday that falls
// on a Saturday or Sunday a make-up rest day (补假, 第六条) on the next
// working day after that holiday, in the order of the holidays. Nothing is
// guessed beyond that: the notice's own swaps of working days (调休) cannot
// be foreseen, so no weekend day is made a working day.
func Provisional(y int, policy ProvisionalPolicy) Notice {
	n := Notice{Year: y, Title: fmt.Sprintf("%d年节假日（按《全国年节及纪念日放假办法》暂计，国务院通知尚未公布）", y)}
	off := map[Date]string{}
	type block struct {
		name   string
		last   Date
		makeUp int
	}
	var blocks []block
	for _, h := range statutoryHolidays() {
		b := block{name: h.name}
		for _, d := range h.days(y) {
			// Every holiday that falls on a weekend is made up, even on a
			// day another holiday also falls on; one that falls on another
			// holiday on a weekday only as the policy says.
			if isWeekend(d) || off[d] != "" && policy.MakeUpCoincident {
				b.makeUp++
			}
			if off[d] != "" {
				off[d] += "、" + h.name
			} else {
				off[d] = h.name
			}
			b.last = max(b.last, d)
		}
		blocks = append(blocks, b)
	}
	slices.SortStableFunc(blocks, func(a, b block) int { return int(a.last - b.last) })
	for _, b := range blocks {
		d := b.last
		for range b.makeUp {
			for d++; isWeekend(d) || off[d] != ""; d++ {
			}
			off[d] = b.name
		}
	}
	for d, name := range off {
		n.Days = append(n.Days, Day{Date: d, Name: name, Off: true})
	}
	slices.SortFunc(n.Days, func(a, b Day) int { return int(a.Date - b.Date) })
	return n
}
