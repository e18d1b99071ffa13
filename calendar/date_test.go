package calendar

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"jiefen"
)

func d(s string) Date {
	v, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return v
}

func TestDateAgreesWithTime(t *testing.T) {
	start := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 200*366; i += 1 {
		tm := start.AddDate(0, 0, i)
		dt := NewDate(tm.Year(), tm.Month(), tm.Day())
		y, m, day := dt.YMD()
		if y != tm.Year() || m != tm.Month() || day != tm.Day() || dt.Weekday() != tm.Weekday() || dt.String() != tm.Format(time.DateOnly) {
			t.Fatalf("%v: got %d-%d-%d %v %s", tm, y, m, day, dt.Weekday(), dt)
		}
		if DateOf(tm.Add(-8*time.Hour)) != dt || DateOf(tm.Add(16*time.Hour-time.Nanosecond)) != dt {
			t.Fatalf("DateOf around %v", tm)
		}
	}
}

func TestParseDateIsStrict(t *testing.T) {
	for _, bad := range []string{"2024-2-29", "2023-02-29", "2024-13-01", "2024-00-10", "24-01-01", "2024/01/01", "2024-01-01T00:00:00Z", "２０２４-01-01", ""} {
		if _, err := ParseDate(bad); err == nil {
			t.Errorf("ParseDate(%q) accepted", bad)
		}
	}
	if d("2024-02-29").String() != "2024-02-29" {
		t.Fatal("leap day")
	}
}

func TestAddMonthsClampsToMonthEnd(t *testing.T) {
	for _, tc := range []struct {
		from string
		n    int
		want string
	}{
		{"2024-01-31", 1, "2024-02-29"}, // leap year
		{"2023-01-31", 1, "2023-02-28"},
		{"2024-02-29", 12, "2025-02-28"},
		{"2024-02-29", 48, "2028-02-29"},
		{"2024-03-31", 6, "2024-09-30"},
		{"2024-08-31", 6, "2025-02-28"},
		{"2024-03-15", 1, "2024-04-15"},
		{"2024-02-29", 1, "2024-03-29"}, // the corresponding day, not the month's end
		{"2024-11-30", 3, "2025-02-28"},
		{"2024-12-15", 1, "2025-01-15"},
		{"2025-01-31", -2, "2024-11-30"},
	} {
		if got := d(tc.from).AddMonths(tc.n).String(); got != tc.want {
			t.Errorf("%s + %d months = %s, want %s", tc.from, tc.n, got, tc.want)
		}
	}
}

func TestDateJSON(t *testing.T) {
	var v struct{ On Date }
	if err := json.Unmarshal([]byte(`{"On":"2025-10-09"}`), &v); err != nil || v.On != d("2025-10-09") {
		t.Fatalf("unmarshal %v %v", v, err)
	}
	b, _ := json.Marshal(v)
	if string(b) != `{"On":"2025-10-09"}` {
		t.Fatalf("marshal %s", b)
	}
	if err := json.Unmarshal([]byte(`{"On":"2025-02-30"}`), &v); err == nil {
		t.Fatal("accepted 2025-02-30")
	}
}

// A date in a message a person reads is written in Chinese, 2025年10月20日;
// in English it stays 2025-10-20.
func TestDateInMessages(t *testing.T) {
	msg := jiefen.Textf("the rectification opened on %s by a rating of %d is still open", d("2025-10-20"), 2)
	if got := msg.In(jiefen.Chinese); !strings.Contains(got, "2025年10月20日") || strings.Contains(got, "2025-10-20") {
		t.Errorf("Chinese: %q", got)
	}
	if got := msg.In(jiefen.English); !strings.Contains(got, "2025-10-20") {
		t.Errorf("English: %q", got)
	}
}
