package sqlstore_test

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"jiefen"
	"jiefen/internal/auth"
	"jiefen/internal/sqlstore"
	"jiefen/internal/sqlstore/storetest"
)

var cheap = auth.Hasher{MemoryKiB: 64, Time: 1}

func ctxAs(role jiefen.Role) context.Context {
	return jiefen.NewContextWithActor(context.Background(), jiefen.Actor{UserID: 1, Username: "tester", Role: role})
}

func wantCode(t *testing.T, err error, code jiefen.ErrorCode) {
	t.Helper()
	if got := jiefen.ErrorCodeOf(err); got != code {
		t.Fatalf("error = %v (code %q), want code %q", err, got, code)
	}
}

func TestMigrateIsIdempotentAndRecorded(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		n, err := db.Migrate(ctx)
		if err != nil || n != 0 {
			t.Fatalf("second Migrate = %d, %v; want 0, nil", n, err)
		}
		v, err := db.SchemaVersion(ctx)
		if err != nil || v != db.LatestVersion() || v < 1 {
			t.Fatalf("SchemaVersion = %d, %v; want %d", v, err, db.LatestVersion())
		}
		if err := db.CheckSchema(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

func TestRefusesNewerSchema(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		if _, err := db.SQL().ExecContext(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'future', ?)",
			db.LatestVersion()+1, time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
		if err := db.CheckSchema(ctx); err == nil {
			t.Fatal("CheckSchema accepted a newer schema")
		}
		if _, err := db.Migrate(ctx); err == nil {
			t.Fatal("Migrate accepted a newer schema")
		}
	})
}

func TestOrgs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := ctxAs(jiefen.RoleAdmin)
		city, err := db.Orgs.CreateOrg(ctx, jiefen.Org{Code: "RZ", Name: "汝州市人民政府", Kind: jiefen.OrgOffice})
		if err != nil {
			t.Fatal(err)
		}
		if city.Version != 1 || len(city.Aliases) != 0 {
			t.Fatalf("created %+v", city)
		}
		sfj, err := db.Orgs.CreateOrg(ctx, jiefen.Org{Code: "RZ-SFJ", Name: " 汝州市司法局 ", Kind: jiefen.OrgAgency,
			Aliases: []string{"司法局", "司法局", " ", "汝州市司法局"}, ParentCode: "RZ"})
		if err != nil {
			t.Fatal(err)
		}
		if sfj.Name != "汝州市司法局" || len(sfj.Aliases) != 1 || sfj.Aliases[0] != "司法局" {
			t.Fatalf("normalised = %+v", sfj)
		}
		_, err = db.Orgs.CreateOrg(ctx, jiefen.Org{Code: "RZ-SFJ", Name: "x", Kind: jiefen.OrgAgency})
		wantCode(t, err, jiefen.ECONFLICT)
		_, err = db.Orgs.CreateOrg(ctx, jiefen.Org{Code: "RZ-GA", Name: "汝州市公安局", Kind: jiefen.OrgAgency, Aliases: []string{"司法局"}})
		wantCode(t, err, jiefen.ECONFLICT)
		if _, err := db.Orgs.Org(ctx, "RZ-GA"); jiefen.ErrorCodeOf(err) != jiefen.ENOTFOUND {
			t.Fatalf("half-written org after a failed create: %v", err)
		}
		_, err = db.Orgs.CreateOrg(ctx, jiefen.Org{Code: "RZ-GA", Name: "汝州市公安局", Kind: jiefen.OrgAgency, ParentCode: "NOPE"})
		wantCode(t, err, jiefen.EINVALID)
		_, err = db.Orgs.CreateOrg(ctx, jiefen.Org{Code: "bad code", Name: "", Kind: "club"})
		if e, ok := err.(*jiefen.Error); !ok || e.Code != jiefen.EINVALID || len(e.Fields) != 3 {
			t.Fatalf("invalid org: %v", err)
		}

		name := "汝州市司法局（行政复议局）"
		aliases := []string{"复议局"}
		up, err := db.Orgs.UpdateOrg(ctx, "RZ-SFJ", 1, jiefen.OrgUpdate{Name: &name, Aliases: &aliases})
		if err != nil {
			t.Fatal(err)
		}
		if up.Version != 2 || up.Name != name || len(up.Aliases) != 1 || up.Aliases[0] != "复议局" || up.ParentCode != "RZ" {
			t.Fatalf("updated = %+v", up)
		}
		_, err = db.Orgs.UpdateOrg(ctx, "RZ-SFJ", 1, jiefen.OrgUpdate{Name: &name})
		wantCode(t, err, jiefen.EPRECONDITION)
		_, err = db.Orgs.UpdateOrg(ctx, "NOPE", 1, jiefen.OrgUpdate{Name: &name})
		wantCode(t, err, jiefen.ENOTFOUND)
		cycle := "RZ-SFJ"
		_, err = db.Orgs.UpdateOrg(ctx, "RZ", 1, jiefen.OrgUpdate{ParentCode: &cycle})
		wantCode(t, err, jiefen.EINVALID)

		got, err := db.Orgs.Org(ctx, "RZ-SFJ")
		if err != nil || got.Version != 2 || got.Aliases[0] != "复议局" {
			t.Fatalf("Org = %+v, %v", got, err)
		}
		page, last, err := db.Orgs.ListOrgs(ctx, sqlstore.OrgFilter{Limit: 1})
		if err != nil || len(page) != 1 || page[0].Code != "RZ" {
			t.Fatalf("ListOrgs page 1 = %+v, %v", page, err)
		}
		page, _, err = db.Orgs.ListOrgs(ctx, sqlstore.OrgFilter{Limit: 10, AfterID: last})
		if err != nil || len(page) != 1 || page[0].Code != "RZ-SFJ" {
			t.Fatalf("ListOrgs page 2 = %+v, %v", page, err)
		}
		agencies, _, _ := db.Orgs.ListOrgs(ctx, sqlstore.OrgFilter{Limit: 10, Kind: jiefen.OrgAgency})
		if len(agencies) != 1 {
			t.Fatalf("agencies = %+v", agencies)
		}

		entries, err := db.Audit.ListAudit(ctx, sqlstore.AuditFilter{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range entries {
			actions = append(actions, e.Action)
		}
		if len(actions) != 3 || actions[0] != "org.create" || actions[2] != "org.update" {
			t.Fatalf("audit actions = %v (failed writes must leave none)", actions)
		}
		if entries[2].Before == "" || entries[2].After == "" || entries[2].Actor != "tester" {
			t.Fatalf("update entry = %+v", entries[2])
		}
	})
}

func TestLoginLockoutAndSessions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		hash, _ := cheap.Hash("Correct-Horse-1")
		if _, err := db.Users.CreateUser(ctx, jiefen.User{Username: "li", Role: jiefen.RoleMediator}, hash); err != nil {
			t.Fatal(err)
		}
		_, err := db.Users.CreateUser(ctx, jiefen.User{Username: "li", Role: jiefen.RoleMediator}, hash)
		wantCode(t, err, jiefen.ECONFLICT)
		_, err = db.Users.CreateUser(ctx, jiefen.User{Username: "wang", Role: jiefen.RoleAgencyStaff, OrgCode: "NOPE"}, hash)
		wantCode(t, err, jiefen.EINVALID)

		lock := auth.Lockout{Failures: 5, Window: 15 * time.Minute, Duration: 30 * time.Minute}
		policy := auth.SessionPolicy{Idle: 30 * time.Minute, Absolute: 12 * time.Hour}
		_, h := mustToken(t)
		if _, err := db.Users.Login(ctx, "li", "Correct-Horse-1", h, lock); err != nil {
			t.Fatal(err)
		}
		a, _, err := db.Users.Authenticate(ctx, h, policy)
		if err != nil || a.Username != "li" || a.Role != jiefen.RoleMediator {
			t.Fatalf("Authenticate = %+v, %v", a, err)
		}
		now = now.Add(29 * time.Minute)
		if _, _, err := db.Users.Authenticate(ctx, h, policy); err != nil {
			t.Fatalf("within idle timeout: %v", err)
		}
		now = now.Add(29 * time.Minute)
		if _, _, err := db.Users.Authenticate(ctx, h, policy); err != nil {
			t.Fatalf("idle timer was not extended: %v", err)
		}
		now = now.Add(31 * time.Minute)
		_, _, err = db.Users.Authenticate(ctx, h, policy)
		wantCode(t, err, jiefen.EUNAUTHORIZED)

		// Absolute timeout: active every 20 minutes, still ends after 12 h.
		_, h2 := mustToken(t)
		if _, err := db.Users.Login(ctx, "li", "Correct-Horse-1", h2, lock); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 35; i++ {
			now = now.Add(20 * time.Minute)
			if _, _, err := db.Users.Authenticate(ctx, h2, policy); err != nil {
				t.Fatalf("after %d min: %v", (i+1)*20, err)
			}
		}
		now = now.Add(20 * time.Minute) // 12 h after login
		_, _, err = db.Users.Authenticate(ctx, h2, policy)
		wantCode(t, err, jiefen.EUNAUTHORIZED)

		// Lock-out: four failures, then a right password clears them.
		for i := 0; i < 4; i++ {
			_, err := db.Users.Login(ctx, "li", "wrong-password-1", "x", lock)
			wantCode(t, err, jiefen.EUNAUTHORIZED)
		}
		_, h3 := mustToken(t)
		if _, err := db.Users.Login(ctx, "li", "Correct-Horse-1", h3, lock); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 5; i++ {
			_, err := db.Users.Login(ctx, "li", "wrong-password-1", "x", lock)
			wantCode(t, err, jiefen.EUNAUTHORIZED)
		}
		_, h4 := mustToken(t)
		_, err = db.Users.Login(ctx, "li", "Correct-Horse-1", h4, lock)
		wantCode(t, err, jiefen.ELOCKED)
		now = now.Add(29 * time.Minute)
		_, err = db.Users.Login(ctx, "li", "Correct-Horse-1", h4, lock)
		wantCode(t, err, jiefen.ELOCKED)
		now = now.Add(2 * time.Minute)
		if _, err := db.Users.Login(ctx, "li", "Correct-Horse-1", h4, lock); err != nil {
			t.Fatalf("after the lock: %v", err)
		}
		// Failures spread wider than the window do not lock.
		for i := 0; i < 6; i++ {
			now = now.Add(4 * time.Minute)
			_, err := db.Users.Login(ctx, "li", "wrong-password-1", "x", lock)
			wantCode(t, err, jiefen.EUNAUTHORIZED)
		}
		if err := db.Users.Logout(ctx, h4); err != nil {
			t.Fatal(err)
		}
		_, _, err = db.Users.Authenticate(ctx, h4, policy)
		wantCode(t, err, jiefen.EUNAUTHORIZED)
		_, err = db.Users.Login(ctx, "nobody", "Correct-Horse-1", "y", lock)
		wantCode(t, err, jiefen.EUNAUTHORIZED)
	})
}

func mustToken(t *testing.T) (string, string) {
	t.Helper()
	tok, h, err := auth.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	return tok, h
}

func TestAuditChainUnderConcurrentWriters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := ctxAs(jiefen.RoleAdmin)
		var wg sync.WaitGroup
		errs := make(chan error, 40)
		for i := 0; i < 40; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				_, err := db.Orgs.CreateOrg(ctx, jiefen.Org{Code: "ORG-" + string(rune('A'+i%26)) + string(rune('a'+i/26)), Name: "org " + strconv.Itoa(i), Kind: jiefen.OrgOffice})
				errs <- err
			}(i)
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		check, err := db.Audit.VerifyAudit(ctx)
		if err != nil || check.Checked != 40 || check.FirstBroken != 0 {
			t.Fatalf("VerifyAudit = %+v, %v; want 40 checked, none broken", check, err)
		}
		if _, err := db.SQL().Exec("UPDATE audit_log SET action = 'org.delete' WHERE seq = 17"); err != nil {
			t.Fatal(err)
		}
		if check, _ := db.Audit.VerifyAudit(ctx); check.FirstBroken != 17 {
			t.Fatalf("tampered seq 17: first broken = %d", check.FirstBroken)
		}
		if _, err := db.SQL().Exec("DELETE FROM audit_log WHERE seq >= 17"); err != nil {
			t.Fatal(err)
		}
		if check, _ := db.Audit.VerifyAudit(ctx); check.FirstBroken != 17 {
			t.Fatalf("truncated at 17: first broken = %d", check.FirstBroken)
		}
	})
}

func TestIdempotencyKeys(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		prev, err := db.Idempotency.ClaimIdempotencyKey(ctx, 7, "k1", "h1", 24*time.Hour)
		if err != nil || prev != nil {
			t.Fatalf("first claim = %+v, %v", prev, err)
		}
		prev, err = db.Idempotency.ClaimIdempotencyKey(ctx, 7, "k1", "h1", 24*time.Hour)
		if err != nil || prev == nil || prev.Done {
			t.Fatalf("claim while running = %+v, %v", prev, err)
		}
		if err := db.Idempotency.FinishIdempotencyKey(ctx, 7, "k1", 201, "/x/1", []byte(`{"a":1}`)); err != nil {
			t.Fatal(err)
		}
		prev, _ = db.Idempotency.ClaimIdempotencyKey(ctx, 7, "k1", "h2", 24*time.Hour)
		if prev == nil || !prev.Done || prev.Status != 201 || string(prev.Body) != `{"a":1}` || prev.RequestHash != "h1" {
			t.Fatalf("replay = %+v", prev)
		}
		if prev, _ := db.Idempotency.ClaimIdempotencyKey(ctx, 8, "k1", "h1", 24*time.Hour); prev != nil {
			t.Fatal("keys must be per user")
		}
		now = now.Add(24*time.Hour + time.Second)
		if prev, _ := db.Idempotency.ClaimIdempotencyKey(ctx, 7, "k1", "h3", 24*time.Hour); prev != nil {
			t.Fatal("an expired key must be claimable again")
		}
	})
}

func TestUnavailableWhenClosed(t *testing.T) {
	db := storetest.SQLite(t)
	db.Close()
	wantCode(t, db.Ping(context.Background()), jiefen.EUNAVAILABLE)
	_, err := db.Orgs.Org(context.Background(), "RZ")
	wantCode(t, err, jiefen.EUNAVAILABLE)
}
