package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"gorm.io/gorm"

	"jiefen"
	"jiefen/calendar"
	"jiefen/litigation"
	"jiefen/mediation"
	"jiefen/reconsideration"
)

// scanPage is how many records a scan reads and notifies per transaction.
const scanPage = 500

// ScanReport is what a scan of the clocks found and did.
type ScanReport struct {
	// Events is how many new events the scan wrote (a clock already
	// notified is not notified again).
	Events int `json:"events"`
	// Deemed is how many reconsideration applications became deemed
	// accepted.
	Deemed int `json:"deemed"`
}

// dueCase is a case whose earliest unmet clock falls on Due.
type dueCase struct {
	ID       int64
	Code     string
	Track    string
	OrgCode  string
	Assignee string
	State    string
	Due      sqlDate
}

// ScanOverdue acts on the clocks that ran out before today:
//   - a reconsideration application whose acceptance review ended with no
//     decision is deemed accepted from the review's last day (行政复议法
//     第30条), and the case is saved so, audited, with its decision clock;
//   - every mediation case past its due date is notified to its mediator
//     and escalated to the leaders of its org (the city's leaders when the
//     org has none);
//   - every reconsideration case past a due date is notified to the
//     reconsideration staff.
//
// Each clock is notified once: the events are keyed by case and due date.
func (s Clocks) ScanOverdue(ctx context.Context, today calendar.Date, clocks ReconClocks) (ScanReport, error) {
	var rep ScanReport
	deemed, events, err := s.deemAccepted(ctx, today, clocks)
	rep.Deemed, rep.Events = deemed, events
	if err != nil {
		return rep, err
	}
	n, err := s.notifyDue(ctx, "mediation", today, "< ?", dateOf(today))
	rep.Events += n
	if err != nil {
		return rep, err
	}
	n, err = s.notifyDue(ctx, "reconsideration", today, "< ?", dateOf(today))
	rep.Events += n
	return rep, err
}

// RemindDueSoon notifies the clocks due from today to until (inclusive):
// a mediation case to its mediator, a reconsideration case to the
// reconsideration staff, once per case and due date.
func (s Clocks) RemindDueSoon(ctx context.Context, today, until calendar.Date) (int, error) {
	n, err := s.notifyDue(ctx, "mediation", today, "BETWEEN ? AND ?", dateOf(today), dateOf(until))
	if err != nil {
		return n, err
	}
	m, err := s.notifyDue(ctx, "reconsideration", today, "BETWEEN ? AND ?", dateOf(today), dateOf(until))
	return n + m, err
}

var errNotDeemed = errors.New("sqlstore: the application is not deemed accepted")

// deemAccepted saves the deemed acceptance of every application whose
// review ran out (the domain's Settle, applied when the case is read).
func (s Clocks) deemAccepted(ctx context.Context, today calendar.Date, clocks ReconClocks) (deemed, events int, err error) {
	var after int64
	for {
		var ids []int64
		if err := s.read(ctx).Model(&reconRow{}).Where("state = ? AND next_due < ? AND id > ?", string(reconsideration.StateReceived),
			dateOf(today), after).Order("id").Limit(scanPage).Pluck("id", &ids).Error; err != nil {
			return deemed, events, translate(err)
		}
		if len(ids) == 0 {
			return deemed, events, nil
		}
		staff, err := recipients(s.read(ctx), jiefen.RoleReconsideration, "")
		if err != nil {
			return deemed, events, translate(err)
		}
		for _, id := range ids {
			after = id
			_, err := Reconsideration(s).ActOnReconsideration(ctx, id, ReconAction{Name: "deemed_acceptance",
				Do: func(c *reconsideration.Case) error {
					if !c.Deemed || c.State != reconsideration.StateAccepted {
						return errNotDeemed
					}
					return nil
				},
				Notify: func(c reconsideration.Case) []Event {
					// Keyed by the day too: a deemed acceptance taken back by a
					// late review decision and deemed again after the restarted
					// review is told again. Two replicas cannot both save it
					// (the version check), so the event of a saved one is new;
					// it is counted once saved, below, for this may run again
					// (see tx).
					return []Event{{Key: fmt.Sprintf("reconsideration.deemed_accepted:%d:%s", c.ID, *c.AcceptedOn), Kind: "reconsideration.deemed_accepted",
						SubjectType: "reconsideration_case", SubjectID: c.ID, To: staff, DueOn: *c.AcceptedOn,
						Title: reconsideration.DeemedAcceptedTitle(c.ID, *c.AcceptedOn)}}
				}}, clocks)
			switch {
			case errors.Is(err, errNotDeemed):
			case err != nil:
				return deemed, events, err
			default:
				deemed++
				events++
			}
		}
		if len(ids) < scanPage {
			return deemed, events, nil
		}
	}
}

// notifyDue writes the events of the cases of one kind ("mediation" or
// "reconsideration") whose earliest unmet clock is due in the range
// (cond over next_due), a page per transaction. Before today they are
// overdue, otherwise due soon.
func (s Clocks) notifyDue(ctx context.Context, kind string, today calendar.Date, cond string, args ...any) (int, error) {
	written := 0
	var after int64
	for {
		var page []dueCase
		q := s.read(ctx)
		var err error
		switch kind {
		case "mediation":
			err = q.Raw("SELECT m.id, d.code, m.track, m.org_code, m.assignee, m.state, m.next_due AS due FROM mediation_cases m JOIN disputes d ON d.id = m.dispute_id"+
				" WHERE m.next_due "+cond+" AND m.closed_on IS NULL AND m.state NOT IN ('closed', 'transferred') AND m.id > ? ORDER BY m.id LIMIT ?",
				append(append([]any{}, args...), after, scanPage)...).Scan(&page).Error
		default:
			err = q.Raw("SELECT id, respondent AS org_code, state, next_due AS due FROM reconsideration_cases"+
				" WHERE next_due "+cond+" AND state NOT IN ('decided', 'rejected') AND id > ? ORDER BY id LIMIT ?",
				append(append([]any{}, args...), after, scanPage)...).Scan(&page).Error
		}
		if err != nil {
			return written, translate(err)
		}
		if len(page) == 0 {
			return written, nil
		}
		after = page[len(page)-1].ID
		var n int
		err = s.tx(ctx, func(tx *gorm.DB) error {
			events, err := dueEvents(tx, kind, page, today)
			if err != nil {
				return err
			}
			n, err = s.emit(tx, events)
			return err
		})
		if err != nil {
			return written, translate(err)
		}
		written += n // once committed: a rerun (see tx) emits again
		if len(page) < scanPage {
			return written, nil
		}
	}
}

// dueEvents are the events of cases whose clocks are overdue (due before
// today) or due soon.
func dueEvents(tx *gorm.DB, kind string, page []dueCase, today calendar.Date) ([]Event, error) {
	leaders := map[string][]string{}
	staff, err := recipients(tx, jiefen.RoleReconsideration, "")
	if err != nil {
		return nil, err
	}
	codes := make([]string, len(page))
	for i, c := range page {
		codes[i] = c.OrgCode
	}
	names, err := orgNamesIn(tx, codes)
	if err != nil {
		return nil, err
	}
	var out []Event
	for _, c := range page {
		due := c.Due.Date
		overdue := due < today
		if kind == "reconsideration" {
			what := "due_soon"
			if overdue {
				what = "overdue"
			}
			out = append(out, Event{Key: fmt.Sprintf("reconsideration.%s:%d:%s", what, c.ID, due), Kind: "reconsideration." + what,
				SubjectType: "reconsideration_case", SubjectID: c.ID, Title: reconsideration.DueTitle(c.ID, due, overdue), DueOn: due, To: staff})
			continue
		}
		if !overdue {
			out = append(out, Event{Key: fmt.Sprintf("mediation.due_soon:%d:%s", c.ID, due), Kind: "mediation.due_soon",
				SubjectType: "mediation_case", SubjectID: c.ID, DueOn: due, To: []string{c.Assignee},
				Title: mediation.DueSoonTitle(c.Code, due)})
			continue
		}
		heads, ok := leaders[c.OrgCode]
		if !ok {
			if heads, err = recipients(tx, jiefen.RoleLeader, c.OrgCode); err != nil {
				return nil, err
			}
			if len(heads) == 0 {
				if heads, err = recipients(tx, jiefen.RoleLeader, ""); err != nil {
					return nil, err
				}
			}
			leaders[c.OrgCode] = heads
		}
		out = append(out,
			Event{Key: fmt.Sprintf("mediation.overdue:%d:%s", c.ID, due), Kind: "mediation.overdue",
				SubjectType: "mediation_case", SubjectID: c.ID, DueOn: due, To: []string{c.Assignee},
				Title: mediation.OverdueTitle(c.Code, due)},
			Event{Key: fmt.Sprintf("mediation.escalated:%d:%s", c.ID, due), Kind: "mediation.escalated",
				SubjectType: "mediation_case", SubjectID: c.ID, DueOn: due, To: heads,
				Title: mediation.EscalatedTitle(names.of(c.OrgCode), c.Code, due)})
	}
	return out, nil
}

// RemindHearings alerts, once per hearing, the staff of every defendant and the
// city's leaders to every key case whose hearing falls within days of
// today with no head confirmed to appear (the court notifies three days
// ahead, 行政机关负责人出庭应诉若干问题的规定 第5条; see
// litigation.Case.AppearanceAlert).
func (s Clocks) RemindHearings(ctx context.Context, today calendar.Date, days int) (int, error) {
	cs, err := Litigation(s).AlertCases(ctx, today, today.AddDays(days))
	if err != nil {
		return 0, err
	}
	written := 0
	err = s.tx(ctx, func(tx *gorm.DB) error {
		leaders, err := recipients(tx, jiefen.RoleLeader, "")
		if err != nil {
			return err
		}
		staff := map[string][]string{}
		var codes []string
		for _, c := range cs {
			codes = append(codes, c.Defendants...)
		}
		names, err := orgNamesIn(tx, codes)
		if err != nil {
			return err
		}
		var events []Event
		for _, c := range cs {
			h := c.AppearanceAlert(today, days)
			if h == nil {
				continue
			}
			var to []string
			for _, d := range c.Defendants {
				if _, ok := staff[d]; !ok {
					if staff[d], err = recipients(tx, jiefen.RoleAgencyStaff, d); err != nil {
						return err
					}
				}
				to = append(to, staff[d]...)
			}
			events = append(events, Event{Key: fmt.Sprintf("litigation.hearing_alert:%d:%s", c.ID, h.HeldOn), Kind: "litigation.hearing_alert",
				SubjectType: "litigation_case", SubjectID: c.ID, DueOn: h.HeldOn, To: append(to, leaders...),
				Title: litigation.HearingAlertTitle(c.CaseNumber.Canonical, h.HeldOn, names.each(c.Defendants))})
		}
		written, err = s.emit(tx, events)
		return err
	})
	return written, translate(err)
}

// CalendarMissing tells the admins, once, that the holiday table of year
// is not loaded: clocks that reach into it are counted provisionally until
// it is.
func (s Clocks) CalendarMissing(ctx context.Context, year int) (int, error) {
	var n int
	err := s.tx(ctx, func(tx *gorm.DB) error {
		admins, err := recipients(tx, jiefen.RoleAdmin, "")
		if err != nil {
			return err
		}
		n, err = s.emit(tx, []Event{{Key: fmt.Sprintf("calendar.missing:%d", year), Kind: "calendar.missing", SubjectType: "calendar",
			SubjectID: int64(year), To: admins,
			Title: fmt.Sprintf("%d 年节假日安排尚未导入：跨入该年的期限暂按法定节日计算，请在国务院办公厅通知公布后导入（PUT /api/v1/calendar/%d）", year, year)}})
		return err
	})
	return n, translate(err)
}

// recipients are the active users of a role; of one org when org is not
// "", of any org otherwise (the admins and the staff of the
// reconsideration body are not limited to one). Leaders asked for with
// org "" are the city's: those of no org.
func recipients(q *gorm.DB, role jiefen.Role, org string) ([]string, error) {
	sel := q.Table("users").Where("role = ? AND active = ?", string(role), true)
	if org != "" || role == jiefen.RoleLeader {
		sel = sel.Where("org_code = ?", org)
	}
	var names []string
	err := sel.Order("username").Pluck("username", &names).Error
	return names, err
}

// TrackClocks counts a track's open cases by their earliest live duty:
// overdue (due before today) and due soon (due from today to the end of
// the reminder window); and its cases, open or not, that did a duty after
// its due day (超期办结) within the period asked for.
type TrackClocks struct {
	Track   string `json:"track"`
	Open    int    `json:"open"`
	Overdue int    `json:"overdue"`
	DueSoon int    `json:"due_soon"`
	Late    int    `json:"late"`
}

// ClocksByTrack counts the open cases of every mediation track and of
// reconsideration (track "reconsideration") by their duties, and the cases
// finished late from lateFrom to today.
func (s Clocks) ClocksByTrack(ctx context.Context, today, until, lateFrom calendar.Date) ([]TrackClocks, error) {
	q := s.read(ctx)
	counts := func(open string) string {
		return "SUM(CASE WHEN " + open + " THEN 1 ELSE 0 END) AS open, " +
			"SUM(CASE WHEN " + open + " AND next_due < ? THEN 1 ELSE 0 END) AS overdue, " +
			"SUM(CASE WHEN " + open + " AND next_due >= ? AND next_due <= ? THEN 1 ELSE 0 END) AS due_soon, " +
			"SUM(CASE WHEN late_on >= ? AND late_on <= ? THEN 1 ELSE 0 END) AS late"
	}
	args := []any{dateOf(today), dateOf(today), dateOf(until), dateOf(lateFrom), dateOf(today)}
	var out []TrackClocks
	if err := q.Raw("SELECT track, "+counts("closed_on IS NULL AND state NOT IN ('closed', 'transferred')")+
		" FROM mediation_cases WHERE (closed_on IS NULL AND state NOT IN ('closed', 'transferred')) OR late_on >= ? GROUP BY track ORDER BY track",
		append(args, dateOf(lateFrom))...).Scan(&out).Error; err != nil {
		return nil, translate(err)
	}
	var recon []TrackClocks
	if err := q.Raw("SELECT 'reconsideration' AS track, "+counts("state NOT IN ('decided', 'rejected')")+
		" FROM reconsideration_cases WHERE state NOT IN ('decided', 'rejected') OR late_on >= ?", append(args, dateOf(lateFrom))...).Scan(&recon).Error; err != nil {
		return nil, translate(err)
	}
	for _, r := range recon {
		if r.Open > 0 || r.Late > 0 {
			out = append(out, r)
		}
	}
	if out == nil {
		out = []TrackClocks{}
	}
	return out, nil
}

// Recount counts again, on the calendar that the clocks functions fill in
// with, what is stored of the cases' clocks: next_due (the key of queues
// and scans, the earliest live duty), late_on (超期办结) and queue_rank. After a year's
// holiday notice is loaded its provisional days become official, and a
// paused clock's day moves on, so the open cases are recounted daily and
// whenever a notice is loaded; all cases when every case may have changed
// (a migration). A page of cases is read and written per transaction; only
// what changed is written, and the cases' versions stay (these are derived
// from their records, not records). A reconsideration case the law would
// deem accepted is left to the overdue scan, which saves it so. A recount
// of all cases carries out the requests made before it began
// (RequestRecount). It returns how many cases changed.
func (s Clocks) Recount(ctx context.Context, all bool, mediationClocks CaseClocks, reconClocks ReconClocks) (int, error) {
	mediationOpen, reconOpen := "closed_on IS NULL AND state NOT IN ('closed', 'transferred')", "state NOT IN ('decided', 'rejected')"
	var requests []string
	if all {
		mediationOpen, reconOpen = "1 = 1", "1 = 1"
		var err error
		if requests, err = s.RecountRequests(ctx); err != nil {
			return 0, err
		}
	}
	changed := 0
	for after := int64(0); ; {
		var rows []mediationCaseRow
		if err := s.read(ctx).Where("id > ? AND "+mediationOpen, after).Order("id").Limit(scanPage).Find(&rows).Error; err != nil {
			return changed, translate(err)
		}
		if len(rows) == 0 {
			break
		}
		after = rows[len(rows)-1].ID
		var counted []recount
		for _, r := range rows {
			c, err := Mediation(s).caseOfRow(r)
			if err != nil {
				return changed, err
			}
			mediationClocks(&c)
			counted = append(counted, recount{id: c.ID, version: r.Version, was: stored{r.NextDue, r.LateOn, r.QueueRank},
				is: stored{dateOfPtr(c.NextDue()), dateOfPtr(c.LateOn()), queueRank(c.NextDue(), c.Ended())}})
		}
		n, err := s.writeRecount(ctx, "mediation_cases", counted)
		if changed += n; err != nil {
			return changed, err
		}
	}
	for after := int64(0); ; {
		var rows []reconRow
		if err := s.read(ctx).Where("id > ? AND "+reconOpen, after).Order("id").Limit(scanPage).Find(&rows).Error; err != nil {
			return changed, translate(err)
		}
		if len(rows) == 0 {
			break
		}
		after = rows[len(rows)-1].ID
		cs, err := Reconsideration(s).reconCases(s.read(ctx), rows, reconClocks)
		if err != nil {
			return changed, translate(err)
		}
		var counted []recount
		for i, c := range cs {
			if r := rows[i]; string(c.State) == r.State {
				counted = append(counted, recount{id: c.ID, version: r.Version, was: stored{r.NextDue, r.LateOn, r.QueueRank},
					is: stored{dateOfPtr(c.NextDue()), dateOfPtr(c.LateOn()), queueRank(c.NextDue(), c.Ended())}})
			}
		}
		n, err := s.writeRecount(ctx, "reconsideration_cases", counted)
		if changed += n; err != nil {
			return changed, err
		}
	}
	if len(requests) > 0 {
		if err := s.read(ctx).Exec("DELETE FROM clock_recounts WHERE reason IN ?", requests).Error; err != nil {
			return changed, translate(err)
		}
	}
	return changed, nil
}

// RequestRecount asks for every case's clocks to be counted again, for a
// reason that names what changed ("calendar 2027 v1"): the next Recount of
// all cases carries it out (the clock_refresh job, or a start). A request
// already made stands.
func (s Clocks) RequestRecount(ctx context.Context, reason string) error {
	ignore := "INSERT OR IGNORE"
	if s.dialect == "mysql" {
		ignore = "INSERT IGNORE"
	}
	return translate(s.read(ctx).Exec(ignore+" INTO clock_recounts (reason, requested_at) VALUES (?, ?)", reason, s.Now()).Error)
}

// RecountRequests returns the reasons of the recounts asked for and not
// carried out yet.
func (s Clocks) RecountRequests(ctx context.Context) ([]string, error) {
	var reasons []string
	err := s.read(ctx).Table("clock_recounts").Order("requested_at").Pluck("reason", &reasons).Error
	return reasons, translate(err)
}

// stored is what a case keeps of its clocks.
type stored struct {
	nextDue, lateOn sqlDate
	queueRank       int
}

// recount is what a case of a version keeps of its clocks, and the same
// counted again.
type recount struct {
	id, version int64
	was, is     stored
}

// writeRecount writes, in one transaction, what changed of the recounts of
// cases of table, and says how many changed. A case changed meanwhile (its
// version moved on: an action on another replica wrote it, with what it
// counted) is left as it is.
func (s Clocks) writeRecount(ctx context.Context, table string, rs []recount) (int, error) {
	rs = slices.DeleteFunc(rs, func(r recount) bool { return r.was == r.is })
	if len(rs) == 0 {
		return 0, nil
	}
	n := 0
	err := s.tx(ctx, func(tx *gorm.DB) error {
		n = 0 // a rerun (see tx) counts again
		for _, r := range rs {
			res := tx.Table(table).Where("id = ? AND version = ?", r.id, r.version).Updates(map[string]any{"next_due": r.is.nextDue,
				"late_on": r.is.lateOn, "queue_rank": r.is.queueRank})
			if res.Error != nil {
				return res.Error
			}
			n += int(res.RowsAffected)
		}
		return nil
	})
	if err != nil {
		return 0, translate(err)
	}
	return n, nil
}
