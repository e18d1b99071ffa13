package jiefen

import (
	"testing"
	"time"
)

func TestDateInFigures(t *testing.T) {
	for _, tc := range []struct {
		y    int
		m    time.Month
		d    int
		want string
	}{
		{2026, time.December, 2, "2026年12月2日"},
		{2027, time.January, 1, "2027年1月1日"},
		{2030, time.October, 10, "2030年10月10日"},
		{2000, time.January, 1, "2000年1月1日"},
		{2024, time.February, 29, "2024年2月29日"},
		{2025, time.November, 20, "2025年11月20日"},
		{2025, time.December, 31, "2025年12月31日"},
	} {
		if got := DateInFigures(tc.y, tc.m, tc.d); got != tc.want {
			t.Errorf("DateInFigures(%d, %d, %d) = %q, want %q", tc.y, tc.m, tc.d, got, tc.want)
		}
	}
}

func TestDateInChineseNumerals(t *testing.T) {
	for _, tc := range []struct {
		y    int
		m    time.Month
		d    int
		want string
	}{
		{2026, time.December, 2, "二〇二六年十二月二日"},
		{2027, time.January, 1, "二〇二七年一月一日"},
		{2030, time.October, 10, "二〇三〇年十月十日"},
		{2000, time.January, 1, "二〇〇〇年一月一日"},
		// Every shape of month and day: units, ten, teens, tens, tens and units.
		{2025, time.November, 20, "二〇二五年十一月二十日"},
		{2025, time.December, 31, "二〇二五年十二月三十一日"},
		{2024, time.February, 29, "二〇二四年二月二十九日"},
		{2019, time.September, 11, "二〇一九年九月十一日"},
		{2025, time.March, 30, "二〇二五年三月三十日"},
		{1999, time.July, 19, "一九九九年七月十九日"},
	} {
		if got := DateInChineseNumerals(tc.y, tc.m, tc.d); got != tc.want {
			t.Errorf("DateInChineseNumerals(%d, %d, %d) = %q, want %q", tc.y, tc.m, tc.d, got, tc.want)
		}
	}
}

// The functions take what time.Time.Date returns, so a time is written
// in one call.
func TestDateInChineseOfTime(t *testing.T) {
	at := time.Date(2026, time.December, 2, 9, 30, 0, 0, time.UTC)
	if got, want := DateInFigures(at.Date()), "2026年12月2日"; got != want {
		t.Errorf("DateInFigures(at.Date()) = %q, want %q", got, want)
	}
	if got, want := DateInChineseNumerals(at.Date()), "二〇二六年十二月二日"; got != want {
		t.Errorf("DateInChineseNumerals(at.Date()) = %q, want %q", got, want)
	}
}

// Every day of every month of a year is written with Chinese numerals
// only: no figure is left over.
func TestDateInChineseNumeralsNoFigures(t *testing.T) {
	for d := time.Date(2028, time.January, 1, 0, 0, 0, 0, time.UTC); d.Year() == 2028; d = d.AddDate(0, 0, 1) {
		s := DateInChineseNumerals(d.Date())
		for _, r := range s {
			if r >= '0' && r <= '9' {
				t.Fatalf("DateInChineseNumerals(%s) = %q holds a figure", d.Format(time.DateOnly), s)
			}
		}
	}
}
