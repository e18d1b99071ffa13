package sqlstore

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"jiefen"
	"jiefen/calendar"
)

// Event is something worth telling people about: a deadline coming up, a
// case assigned, a suggestion overdue. It is written to the outbox (table
// events) in the same transaction as what it reports, once under its Key,
// and carried to the users in To as in-app notifications and to every
// configured webhook.
type Event struct {
	// Key makes the event happen once: emitting a Key again, from this
	// replica or another, writes nothing. Callers build it from what the
	// event is about, for example "mediation.due_soon:42:2025-03-14".
	Key string
	// Kind names what happened ("mediation.due_soon"); webhooks receive it
	// as the X-Jiefen-Event header.
	Kind string
	// SubjectType and SubjectID name the record the event is about
	// ("mediation_case", 42).
	SubjectType string
	SubjectID   int64
	// Title is the one line shown to people. It never holds personal data:
	// callers write case codes and ids, never names, ID numbers or phones,
	// because it leaves the platform through webhooks.
	Title string
	// DueOn is the legal date the event is about, or the zero Date when
	// there is none.
	DueOn calendar.Date
	// To lists the usernames who get an in-app notification; duplicates
	// and "" are ignored.
	To []string
}

// The widths of the columns an event is kept in (migration 0009); the same
// limits hold on SQLite so that both databases accept the same events.
const (
	maxEventKey     = 191
	maxEventKind    = 64
	maxSubjectType  = 32
	maxEventTitle   = 500 // characters; a longer title is cut
	maxUsername     = 64
	maxWebhookName  = 100
	maxLastError    = 1000 // bytes
	defaultListSize = 50
	maxListSize     = 500
)

type notificationRow struct {
	ID        int64 `gorm:"primaryKey"`
	EventID   int64
	Username  string
	CreatedAt time.Time
	ReadAt    *time.Time
}

func (notificationRow) TableName() string { return "notifications" }

type deliveryRow struct {
	EventID     int64  `gorm:"primaryKey;autoIncrement:false"`
	Webhook     string `gorm:"primaryKey"`
	State       string
	Attempts    int
	NextAt      time.Time
	LastError   string
	DeliveredAt *time.Time
}

func (deliveryRow) TableName() string { return "webhook_deliveries" }

// The states of a webhook delivery.
const (
	DeliveryPending   = "pending"   // to be sent at next_at
	DeliveryDelivered = "delivered" // the receiver answered 2xx
	DeliveryDead      = "dead"      // gave up after the last attempt; a dead letter for an administrator
)

// check refuses an event that the outbox cannot keep as it is. Such an
// event is a bug of its caller, not a mistake of the user, so the error is
// a plain one (internal once translated).
func (e Event) check() error {
	valid := utf8.ValidString(e.Key) && utf8.ValidString(e.Kind) && utf8.ValidString(e.SubjectType)
	for _, u := range e.To {
		valid = valid && utf8.ValidString(u)
	}
	switch {
	case !valid:
		return fmt.Errorf("sqlstore: event %q: not valid UTF-8", e.Key)
	case e.Key == "" || len(e.Key) > maxEventKey:
		return fmt.Errorf("sqlstore: event key %q is empty or longer than %d bytes", e.Key, maxEventKey)
	case e.Kind == "" || utf8.RuneCountInString(e.Kind) > maxEventKind:
		return fmt.Errorf("sqlstore: event %q: kind is empty or longer than %d characters", e.Key, maxEventKind)
	case utf8.RuneCountInString(e.SubjectType) > maxSubjectType:
		return fmt.Errorf("sqlstore: event %q: subject type longer than %d characters", e.Key, maxSubjectType)
	}
	for _, u := range e.To {
		if utf8.RuneCountInString(u) > maxUsername {
			return fmt.Errorf("sqlstore: event %q: username longer than %d characters", e.Key, maxUsername)
		}
	}
	return nil
}

// emit writes events to the outbox inside the caller's transaction tx, so
// that an event exists exactly when what it reports was committed. Each is
// written once under its Key: a key already present (emitted earlier, or
// concurrently by another replica that commits first) is skipped without
// error. For each new event it writes one notification per distinct
// username in To and one pending delivery, due now, per distinct webhook
// in db.Webhooks. Events are written in the order of their keys, so that two
// transactions emitting overlapping sets lock them in the same order. It
// returns how many events were new.
func (c *conn) emit(tx *gorm.DB, events []Event) (int, error) {
	if len(events) == 0 {
		return 0, nil
	}
	for _, e := range events {
		if err := e.check(); err != nil {
			return 0, err
		}
	}
	var webhooks []string
	for _, w := range c.Webhooks {
		if w == "" || !utf8.ValidString(w) || utf8.RuneCountInString(w) > maxWebhookName {
			return 0, fmt.Errorf("sqlstore: webhook name %q is empty, not UTF-8 or longer than %d characters", w, maxWebhookName)
		}
		if !slices.Contains(webhooks, w) {
			webhooks = append(webhooks, w)
		}
	}
	sorted := slices.Clone(events)
	slices.SortStableFunc(sorted, func(a, b Event) int { return cmp.Compare(a.Key, b.Key) })

	insert := "INSERT INTO events (event_key, kind, subject_type, subject_id, title, due_on, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
	if c.dialect == "mysql" {
		// IGNORE only turns the duplicate key into a warning here: every
		// other value was checked against the columns above.
		insert = "INSERT IGNORE" + strings.TrimPrefix(insert, "INSERT")
	} else {
		insert += " ON CONFLICT(event_key) DO NOTHING"
	}
	now := instant(c.Now())
	var notes []notificationRow
	var deliveries []deliveryRow
	n := 0
	for _, e := range sorted {
		due := sqlDate{}
		if e.DueOn != 0 {
			due = dateOf(e.DueOn)
		}
		res, err := tx.Statement.ConnPool.ExecContext(tx.Statement.Context, insert,
			e.Key, e.Kind, e.SubjectType, e.SubjectID, clipRunes(e.Title, maxEventTitle), due, now)
		if err != nil {
			return 0, err
		}
		if added, err := res.RowsAffected(); err != nil {
			return 0, err
		} else if added == 0 {
			continue // emitted before
		}
		id, err := res.LastInsertId()
		if err != nil {
			return 0, err
		}
		n++
		seen := map[string]bool{}
		for _, u := range e.To {
			if u != "" && !seen[u] {
				seen[u] = true
				notes = append(notes, notificationRow{EventID: id, Username: u, CreatedAt: now})
			}
		}
		for _, w := range webhooks {
			deliveries = append(deliveries, deliveryRow{EventID: id, Webhook: w, State: DeliveryPending, NextAt: now})
		}
	}
	if len(notes) > 0 {
		if err := tx.CreateInBatches(&notes, 500).Error; err != nil {
			return 0, err
		}
	}
	if len(deliveries) > 0 {
		if err := tx.CreateInBatches(&deliveries, 500).Error; err != nil {
			return 0, err
		}
	}
	return n, nil
}

// Emit writes events in a transaction of their own (see emit), for events
// that report nothing written with them, such as a deadline coming near.
// It returns how many events were new.
func (s Notifications) Emit(ctx context.Context, events []Event) (int, error) {
	var n int
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var err error
		n, err = s.emit(tx, events)
		return err
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// Notification is an in-app notification of one user, as the API shows it.
type Notification struct {
	ID          int64      `json:"id"`
	Kind        string     `json:"kind"`
	SubjectType string     `json:"subject_type"`
	SubjectID   int64      `json:"subject_id"`
	Title       string     `json:"title"`
	DueOn       *string    `json:"due_on"` // YYYY-MM-DD, or null
	CreatedAt   time.Time  `json:"created_at"`
	ReadAt      *time.Time `json:"read_at"`
}

type notificationView struct {
	ID          int64
	Kind        string
	SubjectType string
	SubjectID   int64
	Title       string
	DueOn       sqlDate
	CreatedAt   time.Time
	ReadAt      *time.Time
}

// listSize is limit within [1, maxListSize], defaultListSize when unset.
func listSize(limit int) int {
	if limit <= 0 {
		return defaultListSize
	}
	return min(limit, maxListSize)
}

// Notifications lists username's notifications, newest first; unreadOnly
// keeps those not yet read. A page starts after beforeID (0: from the
// newest); limit is capped at 500, and 0 means 50.
func (s Notifications) ListNotifications(ctx context.Context, username string, unreadOnly bool, beforeID int64, limit int) ([]Notification, error) {
	q := "SELECT n.id, e.kind, e.subject_type, e.subject_id, e.title, e.due_on, n.created_at, n.read_at" +
		" FROM notifications n JOIN events e ON e.id = n.event_id WHERE n.username = ?"
	args := []any{username}
	if unreadOnly {
		q += " AND n.read_at IS NULL"
	}
	if beforeID > 0 {
		q += " AND n.id < ?"
		args = append(args, beforeID)
	}
	q += " ORDER BY n.id DESC LIMIT ?"
	args = append(args, listSize(limit))
	var rows []notificationView
	if err := s.read(ctx).Raw(q, args...).Scan(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]Notification, len(rows))
	for i, r := range rows {
		out[i] = Notification{ID: r.ID, Kind: r.Kind, SubjectType: r.SubjectType, SubjectID: r.SubjectID, Title: r.Title,
			CreatedAt: r.CreatedAt.UTC()}
		if r.DueOn.Valid {
			s := r.DueOn.String()
			out[i].DueOn = &s
		}
		if r.ReadAt != nil {
			t := r.ReadAt.UTC()
			out[i].ReadAt = &t
		}
	}
	return out, nil
}

// MarkNotificationRead records that username read notification id. Marking
// it again changes nothing. It returns not_found when the notification is
// not username's, so that one user cannot learn of another's.
func (s Notifications) MarkNotificationRead(ctx context.Context, username string, id int64) error {
	res := s.read(ctx).Model(&notificationRow{}).Where("id = ? AND username = ? AND read_at IS NULL", id, username).
		Update("read_at", instant(s.Now()))
	if res.Error != nil {
		return translate(res.Error)
	}
	if res.RowsAffected > 0 {
		return nil
	}
	var n int64
	if err := s.read(ctx).Model(&notificationRow{}).Where("id = ? AND username = ?", id, username).Count(&n).Error; err != nil {
		return translate(err)
	}
	if n == 0 {
		return jiefen.Errorf(jiefen.ENOTFOUND, "no notification %d", id)
	}
	return nil
}

// MarkAllNotificationsRead marks every unread notification of username
// read, in one statement, and returns how many it marked: the 全部标为已读
// of the notifications page.
func (s Notifications) MarkAllNotificationsRead(ctx context.Context, username string) (int64, error) {
	res := s.read(ctx).Model(&notificationRow{}).Where("username = ? AND read_at IS NULL", username).
		Update("read_at", instant(s.Now()))
	if res.Error != nil {
		return 0, translate(res.Error)
	}
	return res.RowsAffected, nil
}

// Delivery is an event due to be sent to one webhook.
type Delivery struct {
	EventID int64
	Webhook string // the webhook's name, as in DB.Webhooks
	// Kind is the event's kind, for the X-Jiefen-Event header.
	Kind string
	// Attempts counts the attempts made so far.
	Attempts int
	// Payload is the JSON body to send: {"id", "key", "kind",
	// "subject_type", "subject_id", "title", "due_on" (YYYY-MM-DD or null),
	// "created_at" (RFC 3339)}. It is the same on every attempt, so that a
	// receiver can recognise a retry by its id.
	Payload []byte
}

// payload is the body of a webhook delivery.
type payload struct {
	ID          int64   `json:"id"`
	Key         string  `json:"key"`
	Kind        string  `json:"kind"`
	SubjectType string  `json:"subject_type"`
	SubjectID   int64   `json:"subject_id"`
	Title       string  `json:"title"`
	DueOn       *string `json:"due_on"`
	CreatedAt   string  `json:"created_at"`
}

type dueRow struct {
	EventID     int64
	Webhook     string
	Attempts    int
	EventKey    string
	Kind        string
	SubjectType string
	SubjectID   int64
	Title       string
	DueOn       sqlDate
	CreatedAt   time.Time
}

// DueDeliveries returns up to limit pending deliveries whose time has come
// (next_at at or before now), the longest waiting first, with their
// payloads. It claims nothing: the caller runs as one scheduled job, which
// never overlaps itself across replicas, and records each outcome with
// DeliveryDone. A delivery to a webhook no longer configured stays due
// until DeliveryDone records its failure.
func (s Notifications) DueDeliveries(ctx context.Context, limit int) ([]Delivery, error) {
	var rows []dueRow
	err := s.read(ctx).Raw("SELECT d.event_id, d.webhook, d.attempts, e.event_key, e.kind, e.subject_type, e.subject_id, e.title,"+
		" e.due_on, e.created_at FROM webhook_deliveries d JOIN events e ON e.id = d.event_id"+
		" WHERE d.state = ? AND d.next_at <= ? ORDER BY d.next_at, d.event_id, d.webhook LIMIT ?",
		DeliveryPending, instant(s.Now()), listSize(limit)).Scan(&rows).Error
	if err != nil {
		return nil, translate(err)
	}
	out := make([]Delivery, len(rows))
	for i, r := range rows {
		p := payload{ID: r.EventID, Key: r.EventKey, Kind: r.Kind, SubjectType: r.SubjectType, SubjectID: r.SubjectID,
			Title: r.Title, CreatedAt: r.CreatedAt.UTC().Format(time.RFC3339)}
		if r.DueOn.Valid {
			s := r.DueOn.String()
			p.DueOn = &s
		}
		body, err := json.Marshal(p)
		if err != nil {
			return nil, err
		}
		out[i] = Delivery{EventID: r.EventID, Webhook: r.Webhook, Kind: r.Kind, Attempts: r.Attempts, Payload: body}
	}
	return out, nil
}

// DeliveryDone records the outcome of an attempt to deliver event eventID
// to webhook; either way the attempt is counted. When sendErr is nil the
// delivery is delivered (the last error, if any, is kept). Otherwise
// sendErr's text is kept (cut to 1000 bytes) and the next attempt is set
// backoff(attempts) after now, attempts being the count including this one
// (a nil backoff retries at once); at maxAttempts (below 1 counts as 1) the
// delivery is dead instead, a dead letter for an administrator. Only a
// pending delivery changes, and only from the attempt count it was read
// with, so that an outcome recorded twice (by two replicas) counts once:
// the second is ignored. It returns not_found when there is no such
// delivery.
func (s Notifications) DeliveryDone(ctx context.Context, eventID int64, webhook string, sendErr error, maxAttempts int, backoff func(attempt int) time.Duration) error {
	now := instant(s.Now())
	var cur deliveryRow
	if err := s.read(ctx).Where("event_id = ? AND webhook = ?", eventID, webhook).Take(&cur).Error; err != nil {
		if jiefen.ErrorCodeOf(translate(err)) == jiefen.ENOTFOUND {
			return jiefen.Errorf(jiefen.ENOTFOUND, "no delivery of event %d to webhook %q", eventID, webhook)
		}
		return translate(err)
	}
	if cur.State != DeliveryPending {
		return nil
	}
	attempts := cur.Attempts + 1
	set := map[string]any{"attempts": attempts}
	if sendErr == nil {
		set["state"], set["delivered_at"] = DeliveryDelivered, now
	} else {
		set["last_error"] = clipUTF8(sendErr.Error(), maxLastError)
		if attempts >= max(maxAttempts, 1) {
			set["state"], set["next_at"] = DeliveryDead, now
		} else if backoff != nil {
			set["next_at"] = now.Add(backoff(attempts))
		} else {
			set["next_at"] = now
		}
	}
	err := s.read(ctx).Model(&deliveryRow{}).
		Where("event_id = ? AND webhook = ? AND state = ? AND attempts = ?", eventID, webhook, DeliveryPending, cur.Attempts).
		Updates(set).Error
	return translate(err)
}

// DeliveryInfo is a webhook delivery as an administrator sees it, to find
// dead letters and why they died.
type DeliveryInfo struct {
	EventID     int64      `json:"event_id"`
	Webhook     string     `json:"webhook"`
	State       string     `json:"state"`
	Attempts    int        `json:"attempts"`
	NextAt      time.Time  `json:"next_at"`
	LastError   string     `json:"last_error"`
	DeliveredAt *time.Time `json:"delivered_at"`
	Kind        string     `json:"kind"`
	Key         string     `json:"key"`
}

// Deliveries lists webhook deliveries in state ("pending", "delivered",
// "dead"; "" for all), newest event first; limit is capped at 500, and 0
// means 50. An unknown state is invalid.
func (s Notifications) Deliveries(ctx context.Context, state string, limit int) ([]DeliveryInfo, error) {
	q := "SELECT d.event_id, d.webhook, d.state, d.attempts, d.next_at, d.last_error, d.delivered_at, e.kind, e.event_key AS `key`" +
		" FROM webhook_deliveries d JOIN events e ON e.id = d.event_id"
	var args []any
	switch state {
	case "":
	case DeliveryPending, DeliveryDelivered, DeliveryDead:
		q += " WHERE d.state = ?"
		args = append(args, state)
	default:
		var p jiefen.Problems
		p.Add("state", "is %q; want pending, delivered or dead", state)
		return nil, p.Err()
	}
	q += " ORDER BY d.event_id DESC, d.webhook LIMIT ?"
	args = append(args, listSize(limit))
	var rows []DeliveryInfo
	if err := s.read(ctx).Raw(q, args...).Scan(&rows).Error; err != nil {
		return nil, translate(err)
	}
	for i := range rows {
		rows[i].NextAt = rows[i].NextAt.UTC()
		if t := rows[i].DeliveredAt; t != nil {
			u := t.UTC()
			rows[i].DeliveredAt = &u
		}
	}
	if rows == nil {
		rows = []DeliveryInfo{}
	}
	return rows, nil
}

// clipUTF8 makes s valid UTF-8 and cuts it to at most n bytes without
// splitting a character, so that MySQL's utf8mb4 columns accept it.
func clipUTF8(s string, n int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// clipRunes cuts s to at most n characters.
func clipRunes(s string, n int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}
