package calendar_test

import (
	"errors"
	"math/rand"
	"testing"

	"jiefen/calendar"
	"jiefen/configs"
)

// official builds the calendar from the notices shipped in configs/holidays.
func official(t testing.TB) *calendar.Calendar {
	t.Helper()
	ns, err := configs.Holidays()
	if err != nil {
		t.Fatal(err)
	}
	c, err := calendar.New(calendar.Options{}, ns...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func date(s string) calendar.Date {
	d, err := calendar.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func due(t *testing.T, c *calendar.Calendar, from string, unit calendar.Unit, n int) string {
	t.Helper()
	d, err := c.Due(calendar.Clock{From: date(from), Period: calendar.Period{Unit: unit, N: n}}, date(from))
	if err != nil {
		t.Fatalf("%s + %d %s: %v", from, n, unit, err)
	}
	return d.String()
}

// TestWorkedExamples are DOMAIN.md's two examples from the official 2024
// and 2025 calendars.
func TestWorkedExamples(t *testing.T) {
	c := official(t)
	// Application received Fri 2024-09-27; 5 working days: 9/29 (make-up
	// Sunday) #1, 9/30 #2, 10/1–10/7 holiday, 10/8 #3, 10/9 #4, 10/10 #5.
	if got := due(t, c, "2024-09-27", calendar.Workdays, 5); got != "2024-10-10" {
		t.Errorf("acceptance review = %s, want 2024-10-10", got)
	}
	// Judgment served Wed 2025-09-17; 15 days end 10/2, inside 10/1–10/8.
	if got := due(t, c, "2025-09-17", calendar.Days, 15); got != "2025-10-09" {
		t.Errorf("appeal = %s, want 2025-10-09", got)
	}
}

func TestPausesAndExtensions(t *testing.T) {
	c := official(t)
	// Accepted 2024-03-01; 60 days → 2024-04-30 (Tue, a working day).
	k := calendar.Clock{From: date("2024-03-01"), Period: calendar.Period{Unit: calendar.Days, N: 60}}
	if d, _ := c.Due(k, date("2024-03-01")); d.String() != "2024-04-30" {
		t.Fatalf("plain = %s", d)
	}
	// Suspended 3/10, resumed 3/20: +10 days → 5/10 (Fri).
	r := date("2024-03-20")
	k.Pauses = []calendar.Pause{{From: date("2024-03-10"), Resumed: &r}}
	if d, _ := c.Due(k, date("2024-03-25")); d.String() != "2024-05-10" {
		t.Fatalf("paused = %s", d)
	}
	// Extended 30 days → raw 6/9 (Sun), and 6/10 is 端午节 → 6/11.
	k.Extensions = []int{30}
	if d, _ := c.Due(k, date("2024-03-25")); d.String() != "2024-06-11" {
		t.Fatalf("extended = %s", d)
	}
	// An ongoing pause runs to asOf.
	k = calendar.Clock{From: date("2024-03-01"), Period: calendar.Period{Unit: calendar.Days, N: 60},
		Pauses: []calendar.Pause{{From: date("2024-03-10")}}}
	if d, _ := c.Due(k, date("2024-03-15")); d.String() != "2024-05-06" {
		t.Fatalf("ongoing pause = %s", d) // raw 4/30 + 5 = 5/5 (Sun, 劳动节) → 5/6
	}
}

func TestNotLoadedNamesTheYear(t *testing.T) {
	c := official(t)
	var nl *calendar.NotLoadedError
	// 2027's notice is not shipped: counted provisionally, up to ten years
	// after the last notice (2036); 2037 has no calendar.
	if _, err := c.Due(calendar.Clock{From: date("2026-12-20"), Period: calendar.Period{Unit: calendar.Days, N: 30}}, date("2026-12-20")); err != nil {
		t.Fatalf("into 2027: %v", err)
	}
	_, err := c.Due(calendar.Clock{From: date("2036-12-25"), Period: calendar.Period{Unit: calendar.Workdays, N: 10}}, date("2036-12-25"))
	if !errors.As(err, &nl) || nl.Year != 2037 {
		t.Fatalf("workdays into 2037: %v", err)
	}
	_, err = c.Due(calendar.Clock{From: date("2036-12-20"), Period: calendar.Period{Unit: calendar.Days, N: 30}}, date("2036-12-20"))
	if !errors.As(err, &nl) || nl.Year != 2037 {
		t.Fatalf("days into 2037: %v", err)
	}
	_, err = c.IsWorkday(date("2006-06-01"))
	if !errors.As(err, &nl) || nl.Year != 2006 {
		t.Fatalf("2006: %v", err)
	}
	if d := due(t, c, "2026-12-01", calendar.Days, 30); d != "2026-12-31" {
		t.Fatalf("to 2026-12-31 = %s", d)
	}
}

// TestProperties checks, over random dates of every loaded year: a rolled
// last day is never a rest day; n working days forward then back returns
// to the start (when the start is a working day); month periods end on the
// corresponding day or the month's end.
func TestProperties(t *testing.T) {
	c := official(t)
	rng := rand.New(rand.NewSource(1))
	lo, hi := date("2007-01-01"), date("2026-08-31")
	for i := 0; i < 20000; i++ {
		from := lo + calendar.Date(rng.Intn(int(hi-lo)))
		n := 1 + rng.Intn(60)
		for _, u := range []calendar.Unit{calendar.Days, calendar.Workdays} {
			d, err := c.Due(calendar.Clock{From: from, Period: calendar.Period{Unit: u, N: n}}, from)
			if err != nil {
				t.Fatalf("%s + %d %s: %v", from, n, u, err)
			}
			if ok, _ := c.IsWorkday(d); !ok {
				t.Fatalf("%s + %d %s = %s, a rest day", from, n, u, d)
			}
			if d <= from {
				t.Fatalf("%s + %d %s = %s, not after the trigger", from, n, u, d)
			}
		}
		if ok, _ := c.IsWorkday(from); ok {
			fwd, _ := c.AddWorkdays(from, n)
			back, err := c.AddWorkdays(fwd, -n)
			if err != nil || back != from {
				t.Fatalf("%s +%d −%d working days = %s (%v)", from, n, n, back, err)
			}
			if k, _ := c.WorkdaysBetween(from, fwd); k != n {
				t.Fatalf("WorkdaysBetween(%s, %s) = %d, want %d", from, fwd, k, n)
			}
		}
		m := 1 + rng.Intn(12)
		raw := from.AddMonths(m)
		_, fm, fd := from.YMD()
		_, rm, rd := raw.YMD()
		if int(rm) != (int(fm)-1+m)%12+1 || (rd != fd && dayOf(raw.AddDays(1)) != 1) {
			t.Fatalf("%s + %d months = %s", from, m, raw)
		}
	}
}

func dayOf(d calendar.Date) int { _, _, day := d.YMD(); return day }

func TestExplain(t *testing.T) {
	c := official(t)
	k := calendar.Clock{From: date("2024-09-27"), Period: calendar.Period{Unit: calendar.Workdays, N: 5}}
	d, _ := c.Due(k, k.From)
	got := c.Explain(k, d)
	want := "自2024-09-28起算5个工作日；2024-09-29（星期日）调休上班，为工作日；2024-10-01至2024-10-07为国庆节假期，不计入；末日为2024-10-10"
	if got != want {
		t.Errorf("workdays:\n got %s\nwant %s", got, want)
	}
	k = calendar.Clock{From: date("2025-09-17"), Period: calendar.Period{Unit: calendar.Days, N: 15}}
	d, _ = c.Due(k, k.From)
	if got := c.Explain(k, d); got != "自2025-09-18起算15日；2025-09-28（星期日）调休上班，为工作日；2025-10-01至2025-10-02为国庆节、中秋节假期，期间内计入；届满日2025-10-02为休息日（国庆节、中秋节），顺延至2025-10-09" {
		t.Errorf("days: %s", got)
	}
}
