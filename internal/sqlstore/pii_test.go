package sqlstore_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"jiefen"
	"jiefen/calendar"
	"jiefen/configs"
	"jiefen/internal/auth"
	"jiefen/internal/pii"
	"jiefen/internal/sqlstore"
	"jiefen/internal/sqlstore/storetest"
	"jiefen/reconsideration"
	"jiefen/routing"
)

// The personal data of the tests below: none of it may be found in clear
// in a stored row.
const (
	piiID      = "110101199003074477"
	piiPhone   = "13812345678"
	piiAddress = "汝州市钟楼街道幸福路8号"
	piiOtherID = "11010519491231002X"
	piiOther   = "13998765432"
)

// The test keys of storetest.Keys, and a second data key for rotation.
var (
	piiKey1     = []byte("0123456789abcdef")
	piiKey2     = []byte("fedcba9876543210")
	piiIndexKey = []byte("jiefen-test-blind-index-key-0001")
	blindHex    = regexp.MustCompile(`^[0-9a-f]{64}$`)
)

// piiEnv registers disputes and reconsideration applications on a store.
type piiEnv struct {
	t      *testing.T
	db     *sqlstore.DB
	router *routing.Router
	pol    sqlstore.IntakePolicy
	recon  sqlstore.ReconClocks
}

func newPIIEnv(t *testing.T, db *sqlstore.DB) *piiEnv {
	t.Helper()
	seedAgencies(t, db)
	set, err := configs.RoutingRules("")
	if err != nil {
		t.Fatal(err)
	}
	set.Version = 1
	clocks, err := configs.Rules("")
	if err != nil {
		t.Fatal(err)
	}
	ns, err := configs.Holidays()
	if err != nil {
		t.Fatal(err)
	}
	cal, err := calendar.New(calendar.Options{}, ns...)
	if err != nil {
		t.Fatal(err)
	}
	today := calendar.DateOf(time.Now())
	return &piiEnv{t: t, db: db, router: routing.NewRouter(set, cal, clocks),
		pol:   sqlstore.IntakePolicy{Policy: routing.Policy{CodePrefix: "RZ", MediatorCapacity: 10, RepeatWindowDays: 180}, IdempotencyTTL: time.Hour},
		recon: func(c *reconsideration.Case) { c.ComputeClocks(cal, clocks, today) }}
}

// with is the env on another store of the same database.
func (e *piiEnv) with(db *sqlstore.DB) *piiEnv {
	c := *e
	c.db = db
	return &c
}

// register registers a neighbour dispute received on day whose applicant
// has the given ID number, phone and address; the respondent has the ID
// number resp and the phone piiOther.
func (e *piiEnv) register(day, id, phone, address, resp string) routing.Dispute {
	e.t.Helper()
	on, err := calendar.ParseDate(day)
	if err != nil {
		e.t.Fatal(err)
	}
	intake := jiefen.NewContextWithActor(context.Background(), jiefen.Actor{Username: "desk", Role: jiefen.RoleIntake})
	d, err := e.db.Disputes.RegisterDispute(intake, routing.Intake{Title: "宅基地排水邻里纠纷", Category: "neighbour", Source: "walk_in",
		Township: "钟楼街道", ReceivedOn: on, Parties: []jiefen.Party{
			{Role: jiefen.PartyApplicant, Name: "赵铁柱", IDType: jiefen.IDResident, IDNumber: id, Phone: phone, Address: address},
			{Role: jiefen.PartyRespondent, Name: "钱多多", IDNumber: resp, Phone: piiOther}}},
		e.router, e.pol)
	if err != nil {
		e.t.Fatal(err)
	}
	return d
}

// apply opens a reconsideration case whose applicant has piiID and
// piiPhone.
func (e *piiEnv) apply() reconsideration.Case {
	e.t.Helper()
	fuyi := jiefen.NewContextWithActor(context.Background(), jiefen.Actor{Username: "fuyi", Role: jiefen.RoleReconsideration})
	c, err := e.db.Reconsideration.CreateReconsideration(fuyi, reconsideration.Application{
		Applicant:  jiefen.Party{Role: jiefen.PartyApplicant, Name: "赵铁柱", IDType: jiefen.IDResident, IDNumber: piiID, Phone: piiPhone, Address: piiAddress},
		Respondent: "RZ-GAJ", Act: "行政处罚决定", ReceivedOn: calendar.DateOf(time.Now()), Procedure: reconsideration.Ordinary}, e.recon)
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

// raw returns a column of a row as stored.
func raw(t *testing.T, db *sqlstore.DB, query string, args ...any) string {
	t.Helper()
	var s string
	if err := db.SQL().QueryRow(query, args...).Scan(&s); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return s
}

func rawParties(t *testing.T, db *sqlstore.DB, id int64) string {
	return raw(t, db, "SELECT parties FROM disputes WHERE id = ?", id)
}

func rawApplicant(t *testing.T, db *sqlstore.DB, id int64) string {
	return raw(t, db, "SELECT applicant FROM reconsideration_cases WHERE id = ?", id)
}

// partyIDs lists the id_number column of a dispute's rows of
// dispute_party_ids, sorted.
func partyIDs(t *testing.T, db *sqlstore.DB, disputeID int64) []string {
	t.Helper()
	rows, err := db.SQL().Query("SELECT id_number FROM dispute_party_ids WHERE dispute_id = ?", disputeID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// sealedValues returns every id_number, phone and address of stored party
// JSON (one party or a list) that is not empty.
func sealedValues(t *testing.T, text string) map[string]string {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(text), &v); err != nil {
		t.Fatalf("stored parties %q: %v", text, err)
	}
	parties, ok := v.([]any)
	if !ok {
		parties = []any{v}
	}
	out := map[string]string{}
	for i, p := range parties {
		m := p.(map[string]any)
		for _, f := range []string{"id_number", "phone", "address"} {
			if s, _ := m[f].(string); s != "" {
				out[f+"#"+string(rune('0'+i))] = s
			}
		}
	}
	return out
}

// wantSealed checks that stored party JSON holds none of the values in
// clear and that each of its personal values is sealed under key; it
// returns how many there are.
func wantSealed(t *testing.T, what, text, key string, clear ...string) int {
	t.Helper()
	for _, c := range clear {
		if strings.Contains(text, c) {
			t.Errorf("%s holds %q in clear: %s", what, c, text)
		}
	}
	vals := sealedValues(t, text)
	for f, s := range vals {
		if !pii.Sealed(s) || pii.KeyOf(s) != key {
			t.Errorf("%s: %s is %q, want a value sealed under %s", what, f, s, key)
		}
	}
	if !strings.Contains(text, "sm4gcm:"+key+":") {
		t.Errorf("%s holds no value sealed under %s: %s", what, key, text)
	}
	return len(vals)
}

func wantApplicant(t *testing.T, what string, p jiefen.Party) {
	t.Helper()
	if p.IDNumber != piiID || p.Phone != piiPhone || p.Address != piiAddress {
		t.Errorf("%s: applicant %+v, want the ID number, phone and address in clear", what, p)
	}
}

func wantRepeatOf(t *testing.T, d routing.Dispute, code string) {
	t.Helper()
	if d.RepeatOf == nil || *d.RepeatOf != code || !slices.Contains(d.Flags, routing.FlagRepeat) {
		got := "nothing"
		if d.RepeatOf != nil {
			got = *d.RepeatOf
		}
		t.Errorf("dispute %s: repeat of %s (flags %v), want a repeat of %s", d.Code, got, d.Flags, code)
	}
}

func blind(id string) string { return storetest.Keys().Blind(pii.IDNumber, id) }

// TestPIISealedAtRest: a dispute's ID numbers, phones and address are
// stored sealed and the ID numbers indexed blind; the store reads them
// back in clear, and a second dispute of the party is found through the
// blind index.
func TestPIISealedAtRest(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		e := newPIIEnv(t, db)
		first := e.register("2025-03-01", piiID, piiPhone, piiAddress, piiOtherID)
		if n := wantSealed(t, "disputes.parties", rawParties(t, db, first.ID), "test1", piiID, piiPhone, piiAddress, piiOtherID, piiOther); n != 5 {
			t.Errorf("%d personal values stored, want 5", n)
		}
		ids := partyIDs(t, db, first.ID)
		want := []string{blind(piiID), blind(piiOtherID)}
		slices.Sort(want)
		if !slices.Equal(ids, want) {
			t.Errorf("dispute_party_ids = %q, want the blind indexes %q", ids, want)
		}
		for _, id := range ids {
			if !blindHex.MatchString(id) || strings.Contains(id, piiID) || strings.Contains(id, piiOtherID) {
				t.Errorf("dispute_party_ids holds %q, want 64 hex characters", id)
			}
		}

		stored, err := db.Disputes.Dispute(ctx, first.Code)
		if err != nil {
			t.Fatal(err)
		}
		wantApplicant(t, "read back", stored.Parties[0])
		if p := stored.Parties[1]; p.IDNumber != piiOtherID || p.Phone != piiOther || p.Address != "" {
			t.Errorf("respondent read back as %+v", p)
		}
		wantApplicant(t, "as registered", first.Parties[0])
		list, err := db.Disputes.ListDisputes(ctx, sqlstore.DisputeFilter{Limit: 10, Scope: auth.Scope{AllDisputes: true}})
		if err != nil || len(list) != 1 {
			t.Fatalf("list: %d disputes, %v", len(list), err)
		}
		wantApplicant(t, "listed", list[0].Parties[0])

		// The same party's second dispute of the category is a repeat; one of
		// another party is not.
		second := e.register("2025-04-01", piiID, "", "", "")
		wantRepeatOf(t, second, first.Code)
		again, err := db.Disputes.Dispute(ctx, second.Code)
		if err != nil {
			t.Fatal(err)
		}
		wantRepeatOf(t, again, first.Code)
		var repeatOf int64
		if err := db.SQL().QueryRow("SELECT repeat_of FROM disputes WHERE id = ?", second.ID).Scan(&repeatOf); err != nil || repeatOf != first.ID {
			t.Errorf("stored repeat_of = %d (%v), want %d", repeatOf, err, first.ID)
		}
		// Blank values stay blank: nothing sealed for a missing phone.
		for f, s := range sealedValues(t, rawParties(t, db, second.ID)) {
			if f == "phone#0" || f == "address#0" {
				t.Errorf("the applicant's blank %s is stored as %q", f, s)
			}
		}
	})
}

// TestPIIReconsiderationApplicantSealed: a reconsideration applicant's ID
// number, phone and address are stored sealed and read back in clear.
func TestPIIReconsiderationApplicantSealed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := newPIIEnv(t, db)
		c := e.apply()
		wantApplicant(t, "as created", c.Applicant)
		if n := wantSealed(t, "reconsideration_cases.applicant", rawApplicant(t, db, c.ID), "test1", piiID, piiPhone, piiAddress); n != 3 {
			t.Errorf("%d personal values stored, want 3", n)
		}
		got, err := db.Reconsideration.ReconsiderationCase(context.Background(), c.ID, e.recon)
		if err != nil {
			t.Fatal(err)
		}
		wantApplicant(t, "read back", got.Applicant)
		if got.Applicant.Name != "赵铁柱" {
			t.Errorf("name read back as %q", got.Applicant.Name)
		}
	})
}

// clearParties is the parties JSON an older version stored: in clear.
func clearParties(t *testing.T, id, phone, address, resp string) string {
	t.Helper()
	b, err := json.Marshal([]jiefen.Party{
		{Role: jiefen.PartyApplicant, Name: "赵铁柱", IDType: jiefen.IDResident, IDNumber: id, Phone: phone, Address: address},
		{Role: jiefen.PartyRespondent, Name: "钱多多", IDNumber: resp, Phone: piiOther}})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// makeLegacy turns a registered dispute into a row of an older version:
// parties and party ids in clear (with the category and day of receipt
// that migration 0020 copied beside them).
func makeLegacy(t *testing.T, db *sqlstore.DB, d routing.Dispute, id, phone, address string) {
	t.Helper()
	mustExec(t, db, "UPDATE disputes SET parties = ? WHERE id = ?", clearParties(t, id, phone, address, piiOtherID), d.ID)
	mustExec(t, db, "DELETE FROM dispute_party_ids WHERE dispute_id = ?", d.ID)
	for _, n := range []string{id, piiOtherID} {
		mustExec(t, db, "INSERT INTO dispute_party_ids (id_number, dispute_id, category, received_on) SELECT ?, id, category, received_on FROM disputes WHERE id = ?", n, d.ID)
	}
}

// TestSealPersonalDataSealsLegacyRows: rows stored in clear before sealing
// are sealed and their party ids blinded by SealPersonalData, which
// reports them and leaves sealed rows alone; a second run does nothing;
// the party's next dispute is a repeat of the legacy one.
func TestSealPersonalDataSealsLegacyRows(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		e := newPIIEnv(t, db)
		legacy := e.register("2025-03-01", piiID, piiPhone, piiAddress, piiOtherID)
		half := e.register("2025-03-02", "410482199001011234", "", "", "")
		sealed := e.register("2025-03-03", "440524188001010014", "13700000001", "", "")
		c := e.apply()
		makeLegacy(t, db, legacy, piiID, piiPhone, piiAddress)
		// half was caught halfway: parties in clear, its applicant's id both
		// in clear and blind, the respondent's blind only.
		mustExec(t, db, "UPDATE disputes SET parties = ? WHERE id = ?", clearParties(t, "410482199001011234", "", "", ""), half.ID)
		mustExec(t, db, "INSERT INTO dispute_party_ids (id_number, dispute_id, category, received_on) SELECT ?, id, category, received_on FROM disputes WHERE id = ?", "410482199001011234", half.ID)
		applicant, _ := json.Marshal(jiefen.Party{Role: jiefen.PartyApplicant, Name: "赵铁柱", IDType: jiefen.IDResident, IDNumber: piiID, Phone: piiPhone, Address: piiAddress})
		mustExec(t, db, "UPDATE reconsideration_cases SET applicant = ? WHERE id = ?", string(applicant), c.ID)
		mustExec(t, db, "DELETE FROM pii_state")
		sealedBefore := rawParties(t, db, sealed.ID)

		// Before sealing, legacy rows read as they are.
		if d, err := db.Disputes.Dispute(ctx, legacy.Code); err != nil {
			t.Fatal(err)
		} else {
			wantApplicant(t, "legacy row before sealing", d.Parties[0])
		}

		rep, err := db.SealPersonalData(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if want := (sqlstore.PersonalDataReport{Key: "test1", Disputes: 2, Reconsideration: 1, PartyIDs: 3}); rep != want {
			t.Errorf("report %+v, want %+v", rep, want)
		}
		wantSealed(t, "legacy disputes.parties", rawParties(t, db, legacy.ID), "test1", piiID, piiPhone, piiAddress, piiOtherID, piiOther)
		wantSealed(t, "half-sealed disputes.parties", rawParties(t, db, half.ID), "test1", "410482199001011234", piiOther)
		wantSealed(t, "legacy reconsideration_cases.applicant", rawApplicant(t, db, c.ID), "test1", piiID, piiPhone, piiAddress)
		if got := rawParties(t, db, sealed.ID); got != sealedBefore {
			t.Errorf("a row sealed already was rewritten:\n%s\n%s", sealedBefore, got)
		}
		for _, tc := range []struct {
			d   routing.Dispute
			ids []string
		}{{legacy, []string{blind(piiID), blind(piiOtherID)}}, {half, []string{blind("410482199001011234")}}} {
			slices.Sort(tc.ids)
			if got := partyIDs(t, db, tc.d.ID); !slices.Equal(got, tc.ids) {
				t.Errorf("dispute_party_ids of %s = %q, want %q", tc.d.Code, got, tc.ids)
			}
		}
		var clearIDs int
		if err := db.SQL().QueryRow("SELECT COUNT(*) FROM dispute_party_ids WHERE LENGTH(id_number) <> 64").Scan(&clearIDs); err != nil || clearIDs != 0 {
			t.Errorf("%d party ids left unblinded (%v)", clearIDs, err)
		}
		if got := raw(t, db, "SELECT key_id FROM pii_state WHERE id = 1"); got != "test1" {
			t.Errorf("pii_state remembers %q, want test1", got)
		}
		d, err := db.Disputes.Dispute(ctx, legacy.Code)
		if err != nil {
			t.Fatal(err)
		}
		wantApplicant(t, "legacy row after sealing", d.Parties[0])
		rc, err := db.Reconsideration.ReconsiderationCase(ctx, c.ID, e.recon)
		if err != nil {
			t.Fatal(err)
		}
		wantApplicant(t, "legacy applicant after sealing", rc.Applicant)

		// A second run finds the key recorded and does nothing.
		legacySealed := rawParties(t, db, legacy.ID)
		rep, err = db.SealPersonalData(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if want := (sqlstore.PersonalDataReport{Key: "test1"}); rep != want {
			t.Errorf("second run: report %+v, want %+v", rep, want)
		}
		if got := rawParties(t, db, legacy.ID); got != legacySealed {
			t.Error("the second run resealed a row")
		}

		// The party's next dispute is a repeat of the legacy one.
		next := e.register("2025-05-01", piiID, "", "", "")
		wantRepeatOf(t, next, legacy.Code)
	})
}

// eachDatabase runs fn once per available database with the options of
// a fresh, empty database (no keys), so that stores with different keys
// can be opened on it.
func eachDatabase(t *testing.T, fn func(t *testing.T, o sqlstore.Options)) {
	t.Run("sqlite", func(t *testing.T) {
		fn(t, sqlstore.Options{Driver: "sqlite", DSN: filepath.Join(t.TempDir(), "jiefen.db")})
	})
	if base := os.Getenv("JIEFEN_TEST_MYSQL_DSN"); base != "" {
		t.Run("mysql", func(t *testing.T) {
			dsn, drop := storetest.NewMySQLDatabase(t, base)
			t.Cleanup(drop)
			fn(t, sqlstore.Options{Driver: "mysql", DSN: dsn, MaxOpenConns: 8, MaxIdleConns: 8,
				ConnMaxLifetime: time.Minute, ConnMaxIdleTime: time.Minute})
		})
	}
}

// openWith opens and migrates a store on o's database with the given
// data keys (by id) and the test index key.
func openWith(t *testing.T, o sqlstore.Options, current string, keys map[string][]byte) *sqlstore.DB {
	t.Helper()
	ring, err := pii.NewKeyring(current, keys, piiIndexKey)
	if err != nil {
		t.Fatal(err)
	}
	o.Keys = ring
	db, err := sqlstore.Open(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db
}

// TestPIIRotation: a store whose current key is a new one reseals every
// stored value under it, reads them in clear, keeps the blind indexes (so
// that repeats are still found), and a keyring without the new key can
// no longer open them while one without the old key can.
func TestPIIRotation(t *testing.T) {
	eachDatabase(t, func(t *testing.T, o sqlstore.Options) {
		ctx := context.Background()
		old := openWith(t, o, "test1", map[string][]byte{"test1": piiKey1})
		e := newPIIEnv(t, old)
		first := e.register("2025-03-01", piiID, piiPhone, piiAddress, piiOtherID)
		other := e.register("2025-03-02", "410482199001011234", "13700000001", "汝州市风穴路街道", "")
		c := e.apply()
		if _, err := old.SealPersonalData(ctx); err != nil {
			t.Fatal(err)
		}
		indexes := map[int64][]string{first.ID: partyIDs(t, old, first.ID), other.ID: partyIDs(t, old, other.ID)}

		rot := openWith(t, o, "test2", map[string][]byte{"test1": piiKey1, "test2": piiKey2})
		rep, err := rot.SealPersonalData(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if want := (sqlstore.PersonalDataReport{Key: "test2", Disputes: 2, Reconsideration: 1}); rep != want {
			t.Errorf("report %+v, want %+v", rep, want)
		}
		wantSealed(t, "rotated disputes.parties", rawParties(t, rot, first.ID), "test2", piiID, piiPhone, piiAddress, piiOtherID, piiOther)
		wantSealed(t, "rotated disputes.parties", rawParties(t, rot, other.ID), "test2", "410482199001011234", "13700000001")
		wantSealed(t, "rotated reconsideration_cases.applicant", rawApplicant(t, rot, c.ID), "test2", piiID, piiPhone, piiAddress)
		var n int
		if err := rot.SQL().QueryRow("SELECT COUNT(*) FROM disputes WHERE parties LIKE ?", "%sm4gcm:test1:%").Scan(&n); err != nil || n != 0 {
			t.Errorf("%d disputes still hold values sealed under test1 (%v)", n, err)
		}
		if got := raw(t, rot, "SELECT key_id FROM pii_state WHERE id = 1"); got != "test2" {
			t.Errorf("pii_state remembers %q, want test2", got)
		}
		for id, want := range indexes {
			if got := partyIDs(t, rot, id); !slices.Equal(got, want) {
				t.Errorf("the blind indexes of dispute %d changed: %q, were %q", id, got, want)
			}
		}

		d, err := rot.Disputes.Dispute(ctx, first.Code)
		if err != nil {
			t.Fatal(err)
		}
		wantApplicant(t, "read through the new keyring", d.Parties[0])
		rc, err := rot.Reconsideration.ReconsiderationCase(ctx, c.ID, e.recon)
		if err != nil {
			t.Fatal(err)
		}
		wantApplicant(t, "applicant read through the new keyring", rc.Applicant)
		next := e.with(rot).register("2025-04-01", piiID, "", "", "")
		wantRepeatOf(t, next, first.Code)
		wantSealed(t, "a dispute registered after rotation", rawParties(t, rot, next.ID), "test2", piiID, piiOther)

		// A second run with the new key has nothing to do.
		if rep, err := rot.SealPersonalData(ctx); err != nil || rep != (sqlstore.PersonalDataReport{Key: "test2"}) {
			t.Errorf("second run: %+v, %v", rep, err)
		}

		// The old keyring cannot open what was resealed, and says so
		// without the value.
		for _, read := range []func() error{
			func() error { _, err := old.Disputes.Dispute(ctx, first.Code); return err },
			func() error { _, err := old.Reconsideration.ReconsiderationCase(ctx, c.ID, e.recon); return err },
		} {
			err := read()
			if err == nil {
				t.Fatal("a keyring with only test1 opened values resealed under test2")
			}
			if msg := err.Error(); strings.Contains(msg, piiID) || strings.Contains(msg, "sm4gcm:") {
				t.Errorf("the error quotes personal data: %s", msg)
			}
		}
		// The old key can be retired: a keyring with test2 alone opens all.
		retired := openWith(t, o, "test2", map[string][]byte{"test2": piiKey2})
		if d, err := retired.Disputes.Dispute(ctx, first.Code); err != nil {
			t.Fatal(err)
		} else {
			wantApplicant(t, "read without the old key", d.Parties[0])
		}
		if rc, err := retired.Reconsideration.ReconsiderationCase(ctx, c.ID, e.recon); err != nil {
			t.Fatal(err)
		} else {
			wantApplicant(t, "applicant read without the old key", rc.Applicant)
		}
	})
}

// TestPIITamperedValueIsAnError: a sealed value changed in the database
// (one character, or moved to another field, or under an unknown key)
// makes the read fail with an error that quotes no personal data.
func TestPIITamperedValueIsAnError(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		e := newPIIEnv(t, db)
		d := e.register("2025-03-01", piiID, piiPhone, piiAddress, piiOtherID)
		stored := rawParties(t, db, d.ID)
		var parties []map[string]any
		if err := json.Unmarshal([]byte(stored), &parties); err != nil {
			t.Fatal(err)
		}
		idSealed, phoneSealed := parties[0]["id_number"].(string), parties[0]["phone"].(string)
		flip := func(s string) string {
			i := len("sm4gcm:test1:") + (len(s)-len("sm4gcm:test1:"))/2
			b := []byte(s)
			if b[i] == 'A' {
				b[i] = 'B'
			} else {
				b[i] = 'A'
			}
			return string(b)
		}
		for _, tc := range []struct {
			name  string
			field string
			value string
		}{
			{"one character changed", "id_number", flip(idSealed)},
			{"the phone's seal as the ID number", "id_number", phoneSealed},
			{"an unknown key", "id_number", strings.Replace(idSealed, "sm4gcm:test1:", "sm4gcm:test9:", 1)},
			{"one character of the phone changed", "phone", flip(phoneSealed)},
			{"truncated", "id_number", idSealed[:len(idSealed)-10]},
		} {
			t.Run(tc.name, func(t *testing.T) {
				parties[0]["id_number"], parties[0]["phone"] = idSealed, phoneSealed
				parties[0][tc.field] = tc.value
				b, _ := json.Marshal(parties)
				mustExec(t, db, "UPDATE disputes SET parties = ? WHERE id = ?", string(b), d.ID)
				_, err := db.Disputes.Dispute(ctx, d.Code)
				if err == nil {
					t.Fatal("a tampered value was read without an error")
				}
				if code := jiefen.ErrorCodeOf(err); code != jiefen.EINTERNAL {
					t.Errorf("error code %q, want %q", code, jiefen.EINTERNAL)
				}
				msg := err.Error()
				for _, s := range []string{piiID, piiPhone, piiAddress, tc.value, idSealed} {
					if strings.Contains(msg, s) {
						t.Errorf("the error quotes %q: %s", s, msg)
					}
				}
				if _, err := db.Disputes.ListDisputes(ctx, sqlstore.DisputeFilter{Limit: 10, Scope: auth.Scope{AllDisputes: true}}); err == nil {
					t.Error("the list read a tampered value without an error")
				}
			})
		}
		// Put back, the row reads again.
		mustExec(t, db, "UPDATE disputes SET parties = ? WHERE id = ?", stored, d.ID)
		got, err := db.Disputes.Dispute(ctx, d.Code)
		if err != nil {
			t.Fatal(err)
		}
		wantApplicant(t, "restored row", got.Parties[0])
	})
}

// TestSealPersonalDataOnTwoReplicasAtOnce: two replicas starting together
// on a database of legacy rows both seal without an error, each row once.
func TestSealPersonalDataOnTwoReplicasAtOnce(t *testing.T) {
	storetest.EachReplicas(t, 2, func(t *testing.T, dbs []*sqlstore.DB) {
		ctx := context.Background()
		e := newPIIEnv(t, dbs[0])
		const n = 40
		var ds []routing.Dispute
		for i := range n {
			id := fmt.Sprintf("4104821960%02d%02d%03d", 1+i%12, 1+i%28, i)
			id += checkChar(id)
			d := e.register("2025-03-01", id, piiPhone, piiAddress, piiOtherID)
			makeLegacy(t, dbs[0], d, id, piiPhone, piiAddress)
			ds = append(ds, d)
		}
		mustExec(t, dbs[0], "DELETE FROM pii_state")
		reps := make([]sqlstore.PersonalDataReport, 2)
		errs := make([]error, 2)
		var wg sync.WaitGroup
		for i, db := range dbs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				reps[i], errs[i] = db.SealPersonalData(ctx)
			}()
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("replica %d: %v", i, err)
			}
		}
		if got := reps[0].Disputes + reps[1].Disputes; got != n {
			t.Errorf("the replicas sealed %d + %d disputes, want %d in all", reps[0].Disputes, reps[1].Disputes, n)
		}
		for _, d := range ds {
			wantSealed(t, "disputes.parties", rawParties(t, dbs[1], d.ID), "test1", piiPhone, piiAddress, piiOtherID)
			want := []string{blind(d.Parties[0].IDNumber), blind(piiOtherID)}
			slices.Sort(want)
			if got := partyIDs(t, dbs[1], d.ID); !slices.Equal(got, want) {
				t.Errorf("dispute_party_ids of %s = %q, want %q", d.Code, got, want)
			}
		}
	})
}

// TestSealPersonalDataInBatches: more legacy rows than one batch holds are
// all sealed and their party ids all blinded.
func TestSealPersonalDataInBatches(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		e := newPIIEnv(t, db)
		const n = 1100
		on, _ := calendar.ParseDate("2025-03-01")
		intake := jiefen.NewContextWithActor(ctx, jiefen.Actor{Username: "desk", Role: jiefen.RoleIntake})
		var jobs []*sqlstore.IntakeJob
		for range n {
			jobs = append(jobs, &sqlstore.IntakeJob{Ctx: intake, Intake: routing.Intake{Title: "t", Category: "neighbour", Source: "walk_in",
				Township: "钟楼街道", ReceivedOn: on, Parties: []jiefen.Party{{Role: jiefen.PartyApplicant, Name: "甲"}}}})
		}
		for _, r := range db.RegisterBatch(jobs, e.router, e.pol) {
			if r.Err != nil {
				t.Fatal(r.Err)
			}
		}
		mustExec(t, db, "UPDATE disputes SET parties = ?", clearParties(t, piiID, piiPhone, piiAddress, ""))
		mustExec(t, db, "INSERT INTO dispute_party_ids (id_number, dispute_id, category, received_on) SELECT ?, id, category, received_on FROM disputes", piiID)
		mustExec(t, db, "DELETE FROM pii_state")
		rep, err := db.SealPersonalData(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if want := (sqlstore.PersonalDataReport{Key: "test1", Disputes: n, PartyIDs: n}); rep != want {
			t.Errorf("report %+v, want %+v", rep, want)
		}
		var clear, sealed int
		if err := db.SQL().QueryRow("SELECT COUNT(*) FROM disputes WHERE parties LIKE ?", "%"+piiID+"%").Scan(&clear); err != nil || clear != 0 {
			t.Errorf("%d disputes left in clear (%v)", clear, err)
		}
		if err := db.SQL().QueryRow("SELECT COUNT(*) FROM dispute_party_ids WHERE id_number = ?", blind(piiID)).Scan(&sealed); err != nil || sealed != n {
			t.Errorf("%d blind party ids, want %d (%v)", sealed, n, err)
		}
		next := e.register("2025-04-01", piiID, "", "", "")
		if next.RepeatOf == nil || !slices.Contains(next.Flags, routing.FlagRepeat) {
			t.Error("the party's next dispute is not a repeat of the legacy ones")
		}
		wantSealed(t, "the last legacy row", rawParties(t, db, next.ID-1), "test1", piiID, piiPhone, piiAddress)
	})
}
