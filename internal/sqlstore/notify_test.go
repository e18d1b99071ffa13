package sqlstore_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"jiefen"
	"jiefen/calendar"
	"jiefen/internal/sqlstore"
	"jiefen/internal/sqlstore/storetest"
)

// clockAt makes db's clock stand at t until moved; the returned function
// moves it.
func clockAt(db *sqlstore.DB, t time.Time) func(time.Duration) {
	now := t
	db.Now = func() time.Time { return now }
	return func(d time.Duration) { now = now.Add(d) }
}

func dueSoon(key string, to ...string) sqlstore.Event {
	return sqlstore.Event{Key: key, Kind: "mediation.due_soon", SubjectType: "mediation_case", SubjectID: 42,
		Title: "调解案件 TJ-2025-0042 将于 3 月 14 日到期", DueOn: calendar.NewDate(2025, 3, 14), To: to}
}

func TestEmitWritesAnEventOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		db.Webhooks = []string{"a", "a"} // a name listed twice delivers once
		n, err := db.Notifications.Emit(ctx, []sqlstore.Event{dueSoon("k1", "li", "li", ""), dueSoon("k1", "li")})
		if err != nil || n != 1 {
			t.Fatalf("first Emit = %d, %v; want 1, nil", n, err)
		}
		n, err = db.Notifications.Emit(ctx, []sqlstore.Event{dueSoon("k1", "li", "wang"), dueSoon("k2", "li")})
		if err != nil || n != 1 {
			t.Fatalf("second Emit = %d, %v; want 1 (k2 only), nil", n, err)
		}
		if n, err := db.Notifications.Emit(ctx, nil); err != nil || n != 0 {
			t.Fatalf("Emit(nil) = %d, %v; want 0, nil", n, err)
		}
		li, err := db.Notifications.ListNotifications(ctx, "li", false, 0, 0)
		if err != nil || len(li) != 2 {
			t.Fatalf("li's notifications = %d, %v; want 2 (k2, k1)", len(li), err)
		}
		if wang, err := db.Notifications.ListNotifications(ctx, "wang", false, 0, 0); err != nil || len(wang) != 0 {
			t.Fatalf("wang's notifications = %+v, %v; want none (k1 was emitted before him)", wang, err)
		}
		ds, err := db.Notifications.Deliveries(ctx, "", 0)
		if err != nil || len(ds) != 2 {
			t.Fatalf("deliveries = %+v, %v; want 2", ds, err)
		}
	})
}

func TestEmitRefusesWhatTheOutboxCannotKeep(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		for name, e := range map[string]sqlstore.Event{
			"no key":    {Kind: "k"},
			"long key":  {Key: strings.Repeat("k", 192), Kind: "k"},
			"no kind":   {Key: "k"},
			"not UTF-8": {Key: "k\xff", Kind: "k"},
		} {
			if _, err := db.Notifications.Emit(ctx, []sqlstore.Event{e}); err == nil {
				t.Errorf("%s: Emit = nil error", name)
			}
		}
		long := dueSoon("long-title", "li")
		long.Title = strings.Repeat("长", 600)
		if _, err := db.Notifications.Emit(ctx, []sqlstore.Event{long}); err != nil {
			t.Fatalf("Emit with a long title = %v, want it cut", err)
		}
		ns, err := db.Notifications.ListNotifications(ctx, "li", false, 0, 0)
		if err != nil || len(ns) != 1 || ns[0].Title != strings.Repeat("长", 500) {
			t.Fatalf("notifications = %d, %v; want one with the title cut to 500 characters", len(ns), err)
		}
	})
}

func TestNotificationsPerUser(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		t0 := time.Date(2025, 3, 10, 1, 2, 3, 0, time.UTC)
		clockAt(db, t0)
		events := []sqlstore.Event{dueSoon("e1", "li"), dueSoon("e2", "li", "wang"), dueSoon("e3", "li")}
		events[2].DueOn = 0
		if _, err := db.Notifications.Emit(ctx, events); err != nil {
			t.Fatal(err)
		}
		all, err := db.Notifications.ListNotifications(ctx, "li", false, 0, 10)
		if err != nil || len(all) != 3 {
			t.Fatalf("li's notifications = %d, %v; want 3", len(all), err)
		}
		if !(all[0].ID > all[1].ID && all[1].ID > all[2].ID) {
			t.Fatalf("ids %d, %d, %d; want newest first", all[0].ID, all[1].ID, all[2].ID)
		}
		n := all[2] // e1
		if n.Kind != "mediation.due_soon" || n.SubjectType != "mediation_case" || n.SubjectID != 42 ||
			n.DueOn == nil || *n.DueOn != "2025-03-14" || !n.CreatedAt.Equal(t0) || n.ReadAt != nil {
			t.Fatalf("notification = %+v", n)
		}
		if all[0].DueOn != nil {
			t.Fatalf("e3's due_on = %q, want null", *all[0].DueOn)
		}
		b, _ := json.Marshal(all[0])
		for _, field := range []string{`"id":`, `"kind":`, `"subject_type":`, `"subject_id":`, `"title":`, `"due_on":null`, `"created_at":`, `"read_at":null`} {
			if !strings.Contains(string(b), field) {
				t.Errorf("JSON %s lacks %s", b, field)
			}
		}

		page, err := db.Notifications.ListNotifications(ctx, "li", false, all[0].ID, 1)
		if err != nil || len(page) != 1 || page[0].ID != all[1].ID {
			t.Fatalf("page after %d = %+v, %v; want %d", all[0].ID, page, err, all[1].ID)
		}

		if err := db.Notifications.MarkNotificationRead(ctx, "li", all[1].ID); err != nil {
			t.Fatal(err)
		}
		if err := db.Notifications.MarkNotificationRead(ctx, "li", all[1].ID); err != nil {
			t.Fatalf("marking again = %v, want nil", err)
		}
		unread, err := db.Notifications.ListNotifications(ctx, "li", true, 0, 10)
		if err != nil || len(unread) != 2 || unread[0].ID != all[0].ID || unread[1].ID != all[2].ID {
			t.Fatalf("unread = %+v, %v; want e3 and e1", unread, err)
		}
		read, err := db.Notifications.ListNotifications(ctx, "li", false, 0, 10)
		if err != nil || read[1].ReadAt == nil || !read[1].ReadAt.Equal(t0) {
			t.Fatalf("read notification = %+v, %v; want read_at %v", read[1], err, t0)
		}

		wang, err := db.Notifications.ListNotifications(ctx, "wang", false, 0, 10)
		if err != nil || len(wang) != 1 {
			t.Fatalf("wang's notifications = %d, %v; want 1", len(wang), err)
		}
		wantCode(t, db.Notifications.MarkNotificationRead(ctx, "wang", all[0].ID), jiefen.ENOTFOUND)
		wantCode(t, db.Notifications.MarkNotificationRead(ctx, "li", wang[0].ID), jiefen.ENOTFOUND)
		wantCode(t, db.Notifications.MarkNotificationRead(ctx, "li", 999999), jiefen.ENOTFOUND)
		if err := db.Notifications.MarkNotificationRead(ctx, "wang", wang[0].ID); err != nil {
			t.Fatal(err)
		}
		if n, err := db.Notifications.MarkAllNotificationsRead(ctx, "li"); err != nil || n != 2 {
			t.Fatalf("marking all of li's = %d, %v; want the 2 unread", n, err)
		}
		if unread, err := db.Notifications.ListNotifications(ctx, "li", true, 0, 10); err != nil || len(unread) != 0 {
			t.Fatalf("unread after marking all = %+v, %v", unread, err)
		}
		if n, err := db.Notifications.MarkAllNotificationsRead(ctx, "li"); err != nil || n != 0 {
			t.Fatalf("marking all again = %d, %v; want 0", n, err)
		}
	})
}

func TestDeliveriesFollowTheClock(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		t0 := time.Date(2025, 3, 10, 1, 2, 3, 0, time.UTC)
		move := clockAt(db, t0)
		db.Webhooks = []string{"a", "b"}
		if _, err := db.Notifications.Emit(ctx, []sqlstore.Event{dueSoon("e1"), dueSoon("e2")}); err != nil {
			t.Fatal(err)
		}
		due, err := db.Notifications.DueDeliveries(ctx, 10)
		if err != nil || len(due) != 4 {
			t.Fatalf("due = %d, %v; want 4 (2 events × 2 webhooks)", len(due), err)
		}
		d := due[0]
		if d.Webhook != "a" || d.Attempts != 0 || d.Kind != "mediation.due_soon" {
			t.Fatalf("first due = %+v", d)
		}
		var p map[string]any
		if err := json.Unmarshal(d.Payload, &p); err != nil {
			t.Fatal(err)
		}
		want := map[string]any{"id": float64(d.EventID), "key": "e1", "kind": "mediation.due_soon", "subject_type": "mediation_case",
			"subject_id": float64(42), "title": "调解案件 TJ-2025-0042 将于 3 月 14 日到期", "due_on": "2025-03-14",
			"created_at": "2025-03-10T01:02:03Z"}
		for k, v := range want {
			if p[k] != v {
				t.Errorf("payload[%s] = %v, want %v", k, p[k], v)
			}
		}
		if len(p) != len(want) {
			t.Errorf("payload %s has %d fields, want %d", d.Payload, len(p), len(want))
		}

		backoff := func(attempt int) time.Duration { return time.Duration(attempt) * time.Minute }
		fail := errors.New("status 503 Service Unavailable: " + strings.Repeat("坏", 400))
		// e1 → a fails: due again a minute later, not before.
		if err := db.Notifications.DeliveryDone(ctx, d.EventID, "a", fail, 3, backoff); err != nil {
			t.Fatal(err)
		}
		// e1 → b succeeds: never due again.
		if err := db.Notifications.DeliveryDone(ctx, d.EventID, "b", nil, 3, backoff); err != nil {
			t.Fatal(err)
		}
		due, err = db.Notifications.DueDeliveries(ctx, 10)
		if err != nil || len(due) != 2 || due[0].EventID == d.EventID || due[1].EventID == d.EventID {
			t.Fatalf("due after the outcomes = %+v, %v; want only e2's two", due, err)
		}
		move(59 * time.Second)
		if due, _ := db.Notifications.DueDeliveries(ctx, 10); len(due) != 2 {
			t.Fatalf("due at 59s = %d, want 2", len(due))
		}
		move(time.Second)
		due, err = db.Notifications.DueDeliveries(ctx, 10)
		if err != nil || len(due) != 3 || due[2].EventID != d.EventID || due[2].Webhook != "a" || due[2].Attempts != 1 {
			t.Fatalf("due at 60s = %+v, %v; want e1→a last (it waited least), after 1 attempt", due, err)
		}

		// The second failure waits 2 minutes; the third is the last.
		if err := db.Notifications.DeliveryDone(ctx, d.EventID, "a", fail, 3, backoff); err != nil {
			t.Fatal(err)
		}
		move(time.Minute)
		if due, _ := db.Notifications.DueDeliveries(ctx, 10); len(due) != 2 {
			t.Fatalf("due 1m after the 2nd failure = %d, want 2 (e1→a waits 2m)", len(due))
		}
		move(time.Minute)
		if due, _ := db.Notifications.DueDeliveries(ctx, 10); len(due) != 3 {
			t.Fatalf("due 2m after the 2nd failure = %d, want 3", len(due))
		}
		if err := db.Notifications.DeliveryDone(ctx, d.EventID, "a", fail, 3, backoff); err != nil {
			t.Fatal(err)
		}
		move(time.Hour)
		if due, _ := db.Notifications.DueDeliveries(ctx, 10); len(due) != 2 {
			t.Fatalf("due after the last failure = %d, want 2 (e1→a is dead)", len(due))
		}
		// Recorded again (another replica): counts nothing.
		if err := db.Notifications.DeliveryDone(ctx, d.EventID, "a", fail, 3, backoff); err != nil {
			t.Fatal(err)
		}

		dead, err := db.Notifications.Deliveries(ctx, "dead", 0)
		if err != nil || len(dead) != 1 {
			t.Fatalf("dead = %+v, %v; want 1", dead, err)
		}
		if x := dead[0]; x.EventID != d.EventID || x.Webhook != "a" || x.Attempts != 3 || x.Key != "e1" ||
			x.Kind != "mediation.due_soon" || x.DeliveredAt != nil || len(x.LastError) > 1000 ||
			!strings.HasPrefix(x.LastError, "status 503") {
			t.Fatalf("dead letter = %+v", x)
		}
		delivered, err := db.Notifications.Deliveries(ctx, "delivered", 0)
		if err != nil || len(delivered) != 1 || delivered[0].Webhook != "b" || delivered[0].DeliveredAt == nil ||
			!delivered[0].DeliveredAt.Equal(t0) || delivered[0].Attempts != 1 {
			t.Fatalf("delivered = %+v, %v", delivered, err)
		}
		if pending, err := db.Notifications.Deliveries(ctx, "pending", 0); err != nil || len(pending) != 2 {
			t.Fatalf("pending = %d, %v; want 2", len(pending), err)
		}
		_, err = db.Notifications.Deliveries(ctx, "lost", 0)
		wantCode(t, err, jiefen.EINVALID)
		wantCode(t, db.Notifications.DeliveryDone(ctx, 999999, "a", nil, 3, backoff), jiefen.ENOTFOUND)
	})
}

func TestConcurrentEmitWritesOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		db.Webhooks = []string{"a", "b"}
		const n = 8
		var wg sync.WaitGroup
		added := make([]int, n)
		errs := make([]error, n)
		for i := range n {
			wg.Go(func() {
				added[i], errs[i] = db.Notifications.Emit(ctx, []sqlstore.Event{dueSoon("race", "li", "wang")})
			})
		}
		wg.Wait()
		total := 0
		for i := range n {
			if errs[i] != nil {
				t.Fatalf("Emit %d = %v", i, errs[i])
			}
			total += added[i]
		}
		if total != 1 {
			t.Fatalf("new events = %d, want 1", total)
		}
		for _, u := range []string{"li", "wang"} {
			if ns, err := db.Notifications.ListNotifications(ctx, u, false, 0, 0); err != nil || len(ns) != 1 {
				t.Fatalf("%s's notifications = %d, %v; want 1", u, len(ns), err)
			}
		}
		if ds, err := db.Notifications.DueDeliveries(ctx, 0); err != nil || len(ds) != 2 {
			t.Fatalf("due deliveries = %d, %v; want 2", len(ds), err)
		}
	})
}
