package sqlstore

import (
	"database/sql/driver"
	"fmt"
	"time"

	"jiefen/calendar"
)

// sqlDate stores a calendar.Date as a DATE (MySQL) or YYYY-MM-DD text
// (SQLite): legal dates are never midnight instants (DESIGN.md, "Time").
type sqlDate struct {
	Date  calendar.Date
	Valid bool
}

func dateOf(d calendar.Date) sqlDate { return sqlDate{Date: d, Valid: true} }

func dateOfPtr(d *calendar.Date) sqlDate {
	if d == nil {
		return sqlDate{}
	}
	return dateOf(*d)
}

func (d sqlDate) ptr() *calendar.Date {
	if !d.Valid {
		return nil
	}
	v := d.Date
	return &v
}

// Value writes the date as YYYY-MM-DD, which both databases read as a date.
func (d sqlDate) Value() (driver.Value, error) {
	if !d.Valid {
		return nil, nil
	}
	return d.Date.String(), nil
}

// Scan reads a DATE column: a time.Time from MySQL with parseTime, or text.
func (d *sqlDate) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*d = sqlDate{}
		return nil
	case time.Time:
		*d = dateOf(calendar.NewDate(x.Year(), x.Month(), x.Day()))
		return nil
	case string:
		return d.parse(x)
	case []byte:
		return d.parse(string(x))
	}
	return fmt.Errorf("sqlstore: cannot read %T as a date", v)
}

func (d *sqlDate) parse(s string) error {
	if len(s) > 10 {
		s = s[:10]
	}
	v, err := calendar.ParseDate(s)
	if err != nil {
		return err
	}
	*d = dateOf(v)
	return nil
}

// anyTime reads an instant that an aggregate (MAX) returns: a time.Time
// from MySQL, text from SQLite, which loses the column's type there.
type anyTime struct {
	Time  time.Time
	Valid bool
}

// Scan reads a time.Time or SQLite's text forms.
func (t *anyTime) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*t = anyTime{}
		return nil
	case time.Time:
		*t = anyTime{Time: x, Valid: true}
		return nil
	case []byte:
		v = string(x)
	}
	s, ok := v.(string)
	if !ok {
		return fmt.Errorf("sqlstore: cannot read %T as an instant", v)
	}
	for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano, "2006-01-02 15:04:05.999999999", "2006-01-02 15:04:05"} {
		if p, err := time.Parse(layout, s); err == nil {
			*t = anyTime{Time: p, Valid: true}
			return nil
		}
	}
	return fmt.Errorf("sqlstore: cannot read %q as an instant", s)
}

// Value writes the instant (gorm wants a Valuer beside a Scanner).
func (t anyTime) Value() (driver.Value, error) {
	if !t.Valid {
		return nil, nil
	}
	return t.Time, nil
}

// String is the date as YYYY-MM-DD, or "" when there is none.
func (d sqlDate) String() string {
	if !d.Valid {
		return ""
	}
	return d.Date.String()
}

// since is the instant from which a record changed on or after day d
// (Asia/Shanghai) may have been written: midnight UTC of the day before,
// which is earlier than d's midnight in any zone of China.
func since(d calendar.Date) time.Time {
	y, m, day := d.AddDays(-1).YMD()
	return time.Date(y, m, day, 0, 0, 0, 0, time.UTC)
}
