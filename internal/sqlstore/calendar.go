package sqlstore

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"jiefen"
	"jiefen/calendar"
)

type calendarYearRow struct {
	Year      int `gorm:"primaryKey;autoIncrement:false"`
	Notice    string
	Version   int64
	UpdatedAt time.Time
	UpdatedBy string
}

func (calendarYearRow) TableName() string { return "calendar_years" }

// StoredNotice is a holiday notice loaded at run time, with its version.
type StoredNotice struct {
	Notice    calendar.Notice
	Version   int64
	UpdatedAt time.Time
}

// CalendarNotices returns every holiday notice loaded at run time.
func (s Calendar) CalendarNotices(ctx context.Context) ([]StoredNotice, error) {
	var rows []calendarYearRow
	if err := s.read(ctx).Order("year").Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]StoredNotice, 0, len(rows))
	for _, r := range rows {
		n, err := calendar.ParseNotice([]byte(r.Notice), r.Year)
		if err != nil {
			return nil, jiefen.Wrap(jiefen.EINTERNAL, err, "a stored holiday table is unreadable")
		}
		out = append(out, StoredNotice{Notice: n, Version: r.Version, UpdatedAt: r.UpdatedAt.UTC()})
	}
	return out, nil
}

// CalendarStamp says which holiday notices are loaded at run time and at
// which versions ("2027:1;"), in one small read: a replica compares it
// with the stamp of the calendar it holds before reading the notices.
func (s Calendar) CalendarStamp(ctx context.Context) (string, error) {
	var rows []struct {
		Year    int
		Version int64
	}
	if err := s.read(ctx).Raw("SELECT year, version FROM calendar_years ORDER BY year").Scan(&rows).Error; err != nil {
		return "", translate(err)
	}
	var b strings.Builder
	for _, r := range rows {
		fmt.Fprintf(&b, "%d:%d;", r.Year, r.Version)
	}
	return b.String(), nil
}

// PutCalendarNotice stores (or replaces) the holiday notice of its year.
// When ifVersion is not nil the stored version must match it (0: none yet).
// The State Council publishes a year's notice in the autumn before it, so
// a notice of a year after next is refused (invalid on "year"): there is
// none, and a far year would only stretch every replica's calendar.
func (s Calendar) PutCalendarNotice(ctx context.Context, n calendar.Notice, ifVersion *int64) (StoredNotice, error) {
	if err := n.Validate(); err != nil {
		return StoredNotice{}, jiefen.Errorf(jiefen.EINVALID, "%v", err)
	}
	if next := calendar.DateOf(s.Now()).Year() + 1; n.Year > next {
		e := jiefen.Errorf(jiefen.EINVALID, "no holiday notice of %d is published yet", n.Year)
		e.Fields = []jiefen.FieldError{jiefen.Field("year", "must be %d or earlier: next year's notice is the latest there is", next)}
		return StoredNotice{}, e
	}
	actor, _ := jiefen.ActorFrom(ctx)
	now := s.Now()
	var out StoredNotice
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var cur calendarYearRow
		if err := tx.Raw("SELECT * FROM calendar_years WHERE year = ?"+s.forUpdate(), n.Year).Scan(&cur).Error; err != nil {
			return err
		}
		if ifVersion != nil && *ifVersion != cur.Version {
			return jiefen.Errorf(jiefen.EPRECONDITION, "the %d table has changed (version %d); fetch it again", n.Year, cur.Version)
		}
		row := calendarYearRow{Year: n.Year, Notice: string(n.JSON()), Version: cur.Version + 1, UpdatedAt: now, UpdatedBy: actor.Username}
		var before any
		if cur.Year != 0 {
			before = cur.Notice
			if err := tx.Model(&calendarYearRow{}).Where("year = ?", n.Year).Updates(map[string]any{
				"notice": row.Notice, "version": row.Version, "updated_at": now, "updated_by": row.UpdatedBy}).Error; err != nil {
				return err
			}
		} else if err := tx.Create(&row).Error; err != nil {
			return err
		}
		out = StoredNotice{Notice: n, Version: row.Version, UpdatedAt: now}
		return s.appendAudit(ctx, tx, change{action: "calendar.put", targetType: "calendar_year",
			targetID: strconv.Itoa(n.Year), before: before, after: row.Notice})
	})
	return out, err
}
