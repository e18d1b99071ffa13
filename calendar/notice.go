package calendar

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Notice is one year's State Council holiday arrangement (国务院办公厅关于
// YYYY年部分节假日安排的通知): the rest days it declares and the weekend days
// it declares working days (调休上班). A notice may list days of the
// adjacent years (the 2023 notice gives 2022-12-31).
type Notice struct {
	Year   int    `json:"year"`
	Title  string `json:"title,omitempty"`
	DocNo  string `json:"doc_no,omitempty"`
	Issued string `json:"issued,omitempty"`
	URL    string `json:"url,omitempty"`
	Days   []Day  `json:"days"`
}

// Day is one day a notice names: a rest day (Off) or a make-up working day.
type Day struct {
	Date Date   `json:"date"`
	Name string `json:"name"`
	Off  bool   `json:"is_off_day"`
}

// ParseNotice reads a notice in either published machine form: the
// holiday-cn form ({"year", "papers", "days":[{"date","name","isOffDay"}]})
// that configs/holidays ships, or the cross-checked form of
// holidays-cn.json's years ({"holidays":[…], "adjusted_workdays":[…]}, with
// dates as strings or {"date","name"} objects). year, when not 0, must
// match the notice's own year (and is used when the notice has none).
func ParseNotice(b []byte, year int) (Notice, error) {
	var raw struct {
		Year   int             `json:"year"`
		Papers []string        `json:"papers"`
		Notice json.RawMessage `json:"notice"`
		Days   []struct {
			Date     string `json:"date"`
			Name     string `json:"name"`
			IsOffDay *bool  `json:"isOffDay"`
			Off      *bool  `json:"is_off_day"`
		} `json:"days"`
		Holidays         []json.RawMessage `json:"holidays"`
		AdjustedWorkdays []json.RawMessage `json:"adjusted_workdays"`
		Title            string            `json:"title"`
		DocNo            string            `json:"doc_no"`
		Issued           string            `json:"issued"`
		URL              string            `json:"url"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return Notice{}, fmt.Errorf("the notice is not valid JSON: %v", err)
	}
	n := Notice{Year: raw.Year, Title: raw.Title, DocNo: raw.DocNo, Issued: raw.Issued, URL: raw.URL}
	if len(raw.Notice) > 0 && raw.Notice[0] == '{' {
		var meta struct{ Title, DocNo, Issued, URL, GovURL string }
		var m map[string]any
		if json.Unmarshal(raw.Notice, &m) == nil {
			meta.Title, _ = m["title"].(string)
			meta.DocNo, _ = m["doc_no"].(string)
			meta.Issued, _ = m["issued"].(string)
			meta.URL, _ = m["url"].(string)
			meta.GovURL, _ = m["gov_url"].(string)
		}
		n.Title, n.DocNo, n.Issued = firstOf(n.Title, meta.Title), firstOf(n.DocNo, meta.DocNo), firstOf(n.Issued, meta.Issued)
		n.URL = firstOf(n.URL, meta.URL, meta.GovURL)
	}
	if n.URL == "" && len(raw.Papers) > 0 {
		n.URL = raw.Papers[0]
	}
	switch {
	case year != 0 && n.Year != 0 && n.Year != year:
		return Notice{}, fmt.Errorf("the notice is for %d, not %d", n.Year, year)
	case n.Year == 0:
		n.Year = year
	}
	if n.Year < 1949 || n.Year > 2200 {
		return Notice{}, fmt.Errorf("the notice has no plausible year")
	}
	for i, rd := range raw.Days {
		date, err := ParseDate(rd.Date)
		if err != nil {
			return Notice{}, fmt.Errorf("days[%d].date: %v", i, err)
		}
		off := rd.IsOffDay
		if off == nil {
			off = rd.Off
		}
		if off == nil {
			return Notice{}, fmt.Errorf("days[%d]: isOffDay is required", i)
		}
		n.Days = append(n.Days, Day{Date: date, Name: rd.Name, Off: *off})
	}
	for _, list := range []struct {
		items []json.RawMessage
		off   bool
		field string
	}{{raw.Holidays, true, "holidays"}, {raw.AdjustedWorkdays, false, "adjusted_workdays"}} {
		for i, item := range list.items {
			var obj struct{ Date, Name string }
			if err := json.Unmarshal(item, &obj.Date); err != nil {
				if err := json.Unmarshal(item, &obj); err != nil {
					return Notice{}, fmt.Errorf("%s[%d]: want a date or {\"date\",\"name\"}", list.field, i)
				}
			}
			date, err := ParseDate(obj.Date)
			if err != nil {
				return Notice{}, fmt.Errorf("%s[%d]: %v", list.field, i, err)
			}
			n.Days = append(n.Days, Day{Date: date, Name: obj.Name, Off: list.off})
		}
	}
	return n, n.Validate()
}

func firstOf(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// Validate checks that a notice is one a State Council notice could be:
// every day within its year (or the last days of the year before and the
// first of the year after), and no day listed twice. A working day on a
// weekday is allowed: the 2020 notice that extended the Spring Festival
// names 2020-02-03, a Monday, as the day work resumed.
func (n Notice) Validate() error {
	if len(n.Days) == 0 {
		return fmt.Errorf("the notice for %d lists no days", n.Year)
	}
	lo, hi := NewDate(n.Year-1, time.December, 1), NewDate(n.Year+1, time.January, 31)
	seen := map[Date]bool{}
	for i, day := range n.Days {
		switch {
		case day.Date < lo || day.Date > hi:
			return fmt.Errorf("days[%d]: %s is not in or next to %d", i, day.Date, n.Year)
		case seen[day.Date]:
			return fmt.Errorf("days[%d]: %s is listed twice", i, day.Date)
		}
		seen[day.Date] = true
	}
	return nil
}

// JSON returns the notice in the holiday-cn form that ParseNotice reads and
// configs/holidays ships.
func (n Notice) JSON() []byte {
	type day struct {
		Name     string `json:"name"`
		Date     string `json:"date"`
		IsOffDay bool   `json:"isOffDay"`
	}
	out := struct {
		Year   int    `json:"year"`
		Title  string `json:"title,omitempty"`
		DocNo  string `json:"doc_no,omitempty"`
		Issued string `json:"issued,omitempty"`
		URL    string `json:"url,omitempty"`
		Days   []day  `json:"days"`
	}{Year: n.Year, Title: n.Title, DocNo: n.DocNo, Issued: n.Issued, URL: n.URL}
	days := slices.Clone(n.Days)
	slices.SortFunc(days, func(a, b Day) int { return int(a.Date - b.Date) })
	for _, d := range days {
		out.Days = append(out.Days, day{Name: d.Name, Date: d.Date.String(), IsOffDay: d.Off})
	}
	b, _ := json.MarshalIndent(out, "", "  ")
	return append([]byte(strings.TrimSpace(string(b))), '\n')
}

func isWeekend(d Date) bool {
	w := d.Weekday()
	return w == time.Saturday || w == time.Sunday
}
