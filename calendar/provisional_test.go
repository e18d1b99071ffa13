package calendar_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	lunar "github.com/6tail/lunar-go/calendar"

	"jiefen/calendar"
)

// restDays returns the rest days (holidays) a notice declares, as strings.
func restDays(n calendar.Notice) []string {
	var out []string
	for _, d := range n.Days {
		if d.Off {
			out = append(out, d.Date.String())
		}
	}
	slices.Sort(out)
	return out
}

// TestProvisional2027 is DOMAIN.md's list: 2027 counted on 《全国年节及纪念日
// 放假办法》 (2024 revision) before the State Council's notice is out.
//
//	元旦 1/1 (Fri)
//	春节 除夕 2/5 (Fri), 初一–初三 2/6–2/8 (Sat–Mon); 2/6 and 2/7 fall on the
//	     weekend: 补假 2/9, 2/10
//	清明 4/5 (Mon)
//	劳动节 5/1–5/2 (Sat, Sun): 补假 5/3, 5/4
//	端午 6/9 (Wed)
//	中秋 9/15 (Wed)
//	国庆 10/1–10/3 (Fri–Sun): 补假 10/4, 10/5
func TestProvisional2027(t *testing.T) {
	want := []string{
		"2027-01-01",
		"2027-02-05", "2027-02-06", "2027-02-07", "2027-02-08", "2027-02-09", "2027-02-10",
		"2027-04-05",
		"2027-05-01", "2027-05-02", "2027-05-03", "2027-05-04",
		"2027-06-09",
		"2027-09-15",
		"2027-10-01", "2027-10-02", "2027-10-03", "2027-10-04", "2027-10-05",
	}
	n := calendar.Provisional(2027, calendar.ProvisionalPolicy{})
	if got := restDays(n); !slices.Equal(got, want) {
		t.Fatalf("2027 rest days\n got %v\nwant %v", got, want)
	}
	for _, d := range n.Days {
		if !d.Off {
			t.Errorf("%s: a make-up working day was guessed", d.Date)
		}
	}
	names := map[string]string{"2027-02-10": "春节", "2027-04-05": "清明节", "2027-05-04": "劳动节", "2027-06-09": "端午节",
		"2027-09-15": "中秋节", "2027-10-05": "国庆节", "2027-01-01": "元旦"}
	for _, d := range n.Days {
		if w, ok := names[d.Date.String()]; ok && d.Name != w {
			t.Errorf("%s is named %q, want %q", d.Date, d.Name, w)
		}
	}

	// On the calendar every other day is what its weekday says: no 调休.
	c := official(t)
	if !c.Provisional(2027) || c.Loaded(2027) {
		t.Fatalf("2027: provisional %v, loaded %v", c.Provisional(2027), c.Loaded(2027))
	}
	for d := date("2027-01-01"); d <= date("2027-12-31"); d++ {
		k, err := c.Kind(d)
		if err != nil {
			t.Fatal(err)
		}
		wantKind := calendar.Workday
		switch {
		case slices.Contains(want, d.String()):
			wantKind = calendar.Holiday
		case d.Weekday() == time.Saturday || d.Weekday() == time.Sunday:
			wantKind = calendar.Weekend
		}
		if k != wantKind {
			t.Errorf("Kind(%s) = %s, want %s", d, k, wantKind)
		}
	}
}

// TestProvisional2028And2030 checks two more years by hand and against
// lunar-go read day by day, independently of how Provisional asks it.
//
//	2028: 元旦 1/1 (Sat) → 补 1/3; 春节 1/25–1/28 (Tue–Fri, 初一 1/26);
//	      清明 4/4; 劳动节 5/1–5/2 (Mon, Tue); 端午 5/28 (Sun) → 补 5/29;
//	      中秋 10/3 (Tue) falls on 国庆; 国庆 10/1–10/3 (Sun–Tue) → 补 10/4.
//	2030: 元旦 1/1 (Tue); 春节 2/2–2/5 (Sat–Tue, 初一 2/3) → 补 2/6, 2/7;
//	      清明 4/5 (Fri); 劳动节 5/1–5/2; 端午 6/5; 中秋 9/12; 国庆 10/1–10/3.
func TestProvisional2028And2030(t *testing.T) {
	for _, tc := range []struct {
		year int
		want []string
	}{
		{2028, []string{"2028-01-01", "2028-01-03", "2028-01-25", "2028-01-26", "2028-01-27", "2028-01-28", "2028-04-04",
			"2028-05-01", "2028-05-02", "2028-05-28", "2028-05-29", "2028-10-01", "2028-10-02", "2028-10-03", "2028-10-04"}},
		{2030, []string{"2030-01-01", "2030-02-02", "2030-02-03", "2030-02-04", "2030-02-05", "2030-02-06", "2030-02-07",
			"2030-04-05", "2030-05-01", "2030-05-02", "2030-06-05", "2030-09-12", "2030-10-01", "2030-10-02", "2030-10-03"}},
	} {
		got := restDays(calendar.Provisional(tc.year, calendar.ProvisionalPolicy{}))
		if !slices.Equal(got, tc.want) {
			t.Errorf("%d by hand\n got %v\nwant %v", tc.year, got, tc.want)
		}
		if lib := fromLibrary(tc.year); !slices.Equal(got, lib) {
			t.Errorf("%d against lunar-go\n got %v\nwant %v", tc.year, got, lib)
		}
	}
	// A city that gives back a holiday falling on another: 中秋 on 国庆
	// day three (2028) adds a second make-up day.
	got := restDays(calendar.Provisional(2028, calendar.ProvisionalPolicy{MakeUpCoincident: true}))
	if !slices.Contains(got, "2028-10-05") || len(got) != 16 {
		t.Errorf("2028 with coincident make-up: %v", got)
	}
}

// TestProvisionalAgreesWithTheLibrary checks every year the calendar counts
// provisionally by default, 2027–2036, against lunar-go read day by day.
func TestProvisionalAgreesWithTheLibrary(t *testing.T) {
	for y := 2027; y <= 2036; y++ {
		if got, want := restDays(calendar.Provisional(y, calendar.ProvisionalPolicy{})), fromLibrary(y); !slices.Equal(got, want) {
			t.Errorf("%d\n got %v\nwant %v", y, got, want)
		}
	}
}

// fromLibrary derives the statutory rest days of year y by walking the year
// (and the last days of the lunar year before 春节) in lunar-go: 除夕 is the
// day whose next day is 正月初一, 清明 the day lunar-go names so. A holiday
// on a weekend is made up on the next weekday that is not a rest day,
// after the holiday, in the order the holidays end.
func fromLibrary(y int) []string {
	type holiday struct{ days []calendar.Date }
	var spring, qm, dw, zq []calendar.Date
	for d := calendar.NewDate(y, time.January, 1); d.Year() == y; d++ {
		yy, mm, dd := d.YMD()
		l := lunar.NewSolarFromYmd(yy, int(mm), dd).GetLunar()
		switch {
		case l.GetMonth() == 1 && l.GetDay() <= 3:
			spring = append(spring, d)
		case l.GetMonth() == 5 && l.GetDay() == 5:
			dw = append(dw, d)
		case l.GetMonth() == 8 && l.GetDay() == 15:
			zq = append(zq, d)
		}
		if l.GetJieQi() == "清明" {
			qm = append(qm, d)
		}
		next := d + 1
		ny, nm, nd := next.YMD()
		if nl := lunar.NewSolarFromYmd(ny, int(nm), nd).GetLunar(); nl.GetMonth() == 1 && nl.GetDay() == 1 {
			spring = append([]calendar.Date{d}, spring...)
		}
	}
	hs := []holiday{
		{[]calendar.Date{calendar.NewDate(y, 1, 1)}}, {spring}, {qm},
		{[]calendar.Date{calendar.NewDate(y, 5, 1), calendar.NewDate(y, 5, 2)}}, {dw}, {zq},
		{[]calendar.Date{calendar.NewDate(y, 10, 1), calendar.NewDate(y, 10, 2), calendar.NewDate(y, 10, 3)}},
	}
	off := map[calendar.Date]bool{}
	weekend := func(d calendar.Date) bool { return d.Weekday() == time.Saturday || d.Weekday() == time.Sunday }
	for _, h := range hs {
		for _, d := range h.days {
			off[d] = true
		}
	}
	slices.SortStableFunc(hs, func(a, b holiday) int { return int(slices.Max(a.days) - slices.Max(b.days)) })
	for _, h := range hs {
		d := slices.Max(h.days)
		for _, x := range h.days {
			if weekend(x) {
				for d++; weekend(d) || off[d]; d++ {
				}
				off[d] = true
			}
		}
	}
	var out []string
	for d := range off {
		out = append(out, d.String())
	}
	slices.Sort(out)
	return out
}

// TestProvisionalDeadlines counts clocks from dates around today
// (December 2026) into 2027, which has no notice yet.
func TestProvisionalDeadlines(t *testing.T) {
	c := official(t)
	for _, tc := range []struct {
		from  string
		unit  calendar.Unit
		n     int
		want  string
		years []int
	}{
		// One month from 2026-12-02: raw Sat 2027-01-02, Sun 1/3 → Mon 1/4.
		{"2026-12-02", calendar.Months, 1, "2027-01-04", []int{2027}},
		// 30 days from 2026-12-02: raw Fri 2027-01-01, 元旦 → Mon 1/4.
		{"2026-12-02", calendar.Days, 30, "2027-01-04", []int{2027}},
		// 60 days from 2026-12-02 (a reconsideration decision): raw Sun
		// 2027-01-31 → Mon 2/1.
		{"2026-12-02", calendar.Days, 60, "2027-02-01", []int{2027}},
		// 5 working days from Fri 2026-12-18 end in 2026: final.
		{"2026-12-18", calendar.Workdays, 5, "2026-12-25", nil},
		// 30 days from 2026-12-01 end on Thu 12/31: final.
		{"2026-12-01", calendar.Days, 30, "2026-12-31", nil},
		// 10 working days from Fri 2026-12-25: 12/28–12/31 (4), 元旦 off,
		// 1/4–1/8 (9), Mon 1/11 (10).
		{"2026-12-25", calendar.Workdays, 10, "2027-01-11", []int{2027}},
		// 15 days from 2027-01-26: raw Wed 2/10, a 补假 day of 春节 → Thu 2/11.
		{"2027-01-26", calendar.Days, 15, "2027-02-11", []int{2027}},
		// 5 working days from Thu 2027-02-04: 2/5–2/10 off, 2/11 #1, 2/12
		// #2, 2/15 #3, 2/16 #4, 2/17 #5 (no make-up Sunday is guessed).
		{"2027-02-04", calendar.Workdays, 5, "2027-02-17", []int{2027}},
		// 7 working days from Wed 2027-09-29: 9/30 #1, 10/1–10/5 off,
		// 10/6–10/8 #2–#4, 10/11–10/13 #5–#7.
		{"2027-09-29", calendar.Workdays, 7, "2027-10-13", []int{2027}},
		// Six months from 2026-11-15: raw Sat 2027-05-15 → Mon 5/17.
		{"2026-11-15", calendar.Months, 6, "2027-05-17", []int{2027}},
		// 15 days from 2027-12-20: raw Tue 2028-01-04, a working day after
		// 元旦's 补假 (Mon 1/3).
		{"2027-12-20", calendar.Days, 15, "2028-01-04", []int{2027, 2028}},
	} {
		k := calendar.Clock{From: date(tc.from), Period: calendar.Period{Unit: tc.unit, N: tc.n}}
		d, err := c.Deadline(k, k.From)
		if err != nil {
			t.Errorf("%s + %d %s: %v", tc.from, tc.n, tc.unit, err)
			continue
		}
		if d.Due.String() != tc.want || !slices.Equal(d.Provisional, tc.years) {
			t.Errorf("%s + %d %s = %s provisional %v, want %s %v", tc.from, tc.n, tc.unit, d.Due, d.Provisional, tc.want, tc.years)
		}
		if x := c.Explain(k, d.Due); (len(tc.years) > 0) != strings.Contains(x, "暂计") {
			t.Errorf("%s + %d %s: explanation %q", tc.from, tc.n, tc.unit, x)
		}
	}
}

// TestLoadingTheNoticeMakesClocksOfficial: the same clock counted before and
// after 2027's notice is loaded. The notice here is a stand-in shaped like
// the State Council's (春节 2/5–2/12 with make-up Sundays 1/31 and 2/20);
// the real one will differ.
func TestLoadingTheNoticeMakesClocksOfficial(t *testing.T) {
	notice := calendar.Notice{Year: 2027}
	for d := date("2027-02-05"); d <= date("2027-02-12"); d++ {
		notice.Days = append(notice.Days, calendar.Day{Date: d, Name: "春节", Off: true})
	}
	notice.Days = append(notice.Days, calendar.Day{Date: date("2027-01-31"), Name: "春节", Off: false},
		calendar.Day{Date: date("2027-02-20"), Name: "春节", Off: false})
	before := official(t)
	after := withNotice(t, notice)
	k := calendar.Clock{From: date("2027-01-28"), Period: calendar.Period{Unit: calendar.Workdays, N: 5}}
	// Provisional: 1/29 #1, 2/1–2/4 #2–#5.
	if d, _ := before.Deadline(k, k.From); d.Due.String() != "2027-02-04" || len(d.Provisional) != 1 {
		t.Fatalf("before the notice: %+v", d)
	}
	// Official: 1/29 #1, Sun 1/31 (上班) #2, 2/1–2/3 #3–#5.
	if d, _ := after.Deadline(k, k.From); d.Due.String() != "2027-02-03" || len(d.Provisional) != 0 {
		t.Fatalf("after the notice: %+v", d)
	}
	if !after.Loaded(2027) || after.Provisional(2027) || !after.Provisional(2028) {
		t.Fatalf("after: loaded %v, provisional 2027 %v, 2028 %v", after.Loaded(2027), after.Provisional(2027), after.Provisional(2028))
	}
}

func withNotice(t *testing.T, extra calendar.Notice) *calendar.Calendar {
	t.Helper()
	c := official(t)
	c2, err := calendar.New(calendar.Options{}, append(c.Notices(), extra)...)
	if err != nil {
		t.Fatal(err)
	}
	return c2
}

// TestReadingStates checks the states of duties and windows (API.md).
func TestReadingStates(t *testing.T) {
	c := official(t)
	duty := calendar.Rule{ID: "x.duty", Name: "d", Kind: calendar.Duty, Unit: calendar.Days, N: 30, Basis: "某法 第1条"}
	window := calendar.Rule{ID: "x.window", Name: "w", Kind: calendar.Window, Unit: calendar.Days, N: 30, Basis: "某法 第2条"}
	from := date("2026-10-09") // due Sun 11/8 → Mon 11/9
	on := func(s string) *calendar.Date { d := date(s); return &d }
	for _, tc := range []struct {
		rule  calendar.Rule
		today string
		p     calendar.Progress
		want  calendar.State
	}{
		{duty, "2026-11-09", calendar.Progress{}, calendar.Running},
		{duty, "2026-11-10", calendar.Progress{}, calendar.Overdue},
		{duty, "2026-11-10", calendar.Progress{Paused: true}, calendar.Paused},
		{duty, "2026-11-20", calendar.Progress{Done: on("2026-11-09")}, calendar.Met},
		{duty, "2026-11-20", calendar.Progress{Done: on("2026-11-10")}, calendar.Late},
		{duty, "2026-11-20", calendar.Progress{Ended: true}, calendar.Cancelled},
		{duty, "2026-11-20", calendar.Progress{Ended: true, Done: on("2026-11-12")}, calendar.Late},
		{window, "2026-11-09", calendar.Progress{}, calendar.Open},
		{window, "2026-11-10", calendar.Progress{}, calendar.Lapsed},
		{window, "2026-11-10", calendar.Progress{Ended: true}, calendar.Lapsed},
		{window, "2026-11-20", calendar.Progress{Done: on("2026-11-02")}, calendar.Used},
	} {
		r := c.Read(tc.rule, calendar.Clock{From: from}, date(tc.today), tc.p)
		if r.State != tc.want || r.Due.String() != "2026-11-09" || r.Kind != tc.rule.Kind || r.Provisional {
			t.Errorf("%s on %s with %+v: %+v, want %s", tc.rule.Kind, tc.today, tc.p, r, tc.want)
		}
	}
	// Into 2027: provisional, and the basis says why.
	r := c.Read(duty, calendar.Clock{From: date("2026-12-02")}, date("2026-12-02"), calendar.Progress{})
	if !r.Provisional || r.Due.String() != "2027-01-04" || !strings.HasPrefix(r.Basis, "某法 第1条（2027年节假日安排国务院尚未公布") {
		t.Errorf("into 2027: %+v", r)
	}
	// Only live duties order a queue.
	clocks := []calendar.Reading{
		c.Read(window, calendar.Clock{From: date("2026-09-01")}, date("2026-12-02"), calendar.Progress{}),
		c.Read(duty, calendar.Clock{From: date("2026-09-01")}, date("2026-12-02"), calendar.Progress{Ended: true}),
		c.Read(duty, calendar.Clock{From: date("2026-11-20")}, date("2026-12-02"), calendar.Progress{}),
		c.Read(duty, calendar.Clock{From: date("2026-11-25")}, date("2026-12-02"), calendar.Progress{}),
	}
	if next := calendar.NextDue(clocks); next == nil || next.String() != "2026-12-21" {
		t.Errorf("next due %v, want 2026-12-21", next)
	}
	if next := calendar.NextDue(clocks[:2]); next != nil {
		t.Errorf("a lapsed window and a cancelled duty: next due %v", next)
	}
	// A paused duty keeps no due day for the scans (it moves each day the
	// pause lasts), though it is the case's current duty.
	paused := []calendar.Reading{c.Read(duty, calendar.Clock{From: date("2026-09-01")}, date("2026-12-02"), calendar.Progress{Paused: true})}
	if next, cur := calendar.NextDue(paused), calendar.Current(paused); next != nil || cur == nil || cur.State != calendar.Paused {
		t.Errorf("a paused duty: next due %v, current %+v", next, cur)
	}
	// Backward natural-day clocks depend on no day's kind: never provisional.
	back := calendar.Rule{ID: "x.notice", Name: "n", Kind: calendar.Duty, Unit: calendar.Days, N: 3, Before: true, Basis: "某法 第3条"}
	if r := c.Read(back, calendar.Clock{From: date("2027-01-03")}, date("2026-12-02"), calendar.Progress{}); r.Provisional || r.Due.String() != "2026-12-31" {
		t.Errorf("three days before 2027-01-03: %+v", r)
	}
}
