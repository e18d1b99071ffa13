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

// DateInFigures takes what time.Time.Date returns, so a time is written
// in one call.
func TestDateInChineseOfTime(t *testing.T) {
	at := time.Date(2026, time.December, 2, 9, 30, 0, 0, time.UTC)
	if got, want := DateInFigures(at.Date()), "2026年12月2日"; got != want {
		t.Errorf("DateInFigures(at.Date()) = %q, want %q", got, want)
	}
}
