package sqlstore_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"jiefen"
	"jiefen/calendar"
	"jiefen/internal/sqlstore"
	"jiefen/internal/sqlstore/storetest"
	"jiefen/litigation"
	"jiefen/routing"
)

const orgCredit = "91410482MA47BQ8J76"

// TestOrganisationPartyStored: an organisation's credit code is kept in
// clear beside the sealed personal data of the same dispute, and read
// back with its kind; a party stored before parties had a kind reads as a
// person.
func TestOrganisationPartyStored(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		e := newPIIEnv(t, db)
		intake := jiefen.NewContextWithActor(ctx, jiefen.Actor{Username: "desk", Role: jiefen.RoleIntake})
		d, err := db.Disputes.RegisterDispute(intake, routing.Intake{Title: "物业费纠纷", Category: "property_management", Source: "walk_in",
			Township: "钟楼街道", ReceivedOn: calendar.DateOf(time.Now()), Parties: []jiefen.Party{
				{Role: jiefen.PartyApplicant, Kind: jiefen.PartyPerson, Name: "赵铁柱", IDType: jiefen.IDResident, IDNumber: piiID, Phone: piiPhone},
				{Role: jiefen.PartyRespondent, Kind: jiefen.PartyOrganisation, Name: "汝州市某某物业服务有限公司", CreditCode: orgCredit}}},
			e.router, e.pol)
		if err != nil {
			t.Fatal(err)
		}
		stored := rawParties(t, db, d.ID)
		if !strings.Contains(stored, `"credit_code":"`+orgCredit+`"`) || !strings.Contains(stored, `"kind":"organisation"`) {
			t.Errorf("the credit code is not kept in clear: %s", stored)
		}
		if strings.Contains(stored, piiID) || strings.Contains(stored, piiPhone) {
			t.Errorf("personal data in clear: %s", stored)
		}
		got, err := db.Disputes.Dispute(ctx, d.Code)
		if err != nil {
			t.Fatal(err)
		}
		if p := got.Parties[1]; p.Kind != jiefen.PartyOrganisation || p.CreditCode != orgCredit || p.Name != "汝州市某某物业服务有限公司" {
			t.Errorf("organisation read back as %+v", p)
		}
		if p := got.Parties[0]; p.Kind != jiefen.PartyPerson || p.IDNumber != piiID {
			t.Errorf("person read back as %+v", p)
		}

		// A row of a version before kinds: both parties are people.
		mustExec(t, db, "UPDATE disputes SET parties = ? WHERE id = ?",
			`[{"role":"applicant","name":"赵铁柱"},{"role":"respondent","name":"钱多多"}]`, d.ID)
		if got, err = db.Disputes.Dispute(ctx, d.Code); err != nil {
			t.Fatal(err)
		}
		for _, p := range got.Parties {
			if p.Kind != jiefen.PartyPerson {
				t.Errorf("a party of an older row read back as %+v, want a person", p)
			}
		}
	})
}

// TestMigrationToPartyKind holds a lawsuit written under schema 12 and
// migrates it: its plaintiff is a person with no credit code; a suit
// filed after holds its organisation's code.
func TestMigrationToPartyKind(t *testing.T) {
	unmigrated(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		if _, err := db.MigrateTo(ctx, 12); err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC()
		mustExec(t, db, "INSERT INTO litigation_cases (id, canonical, as_entered, year, court_code, type_code, serial, defendant, plaintiff,"+
			" cause, filed_on, key_flags, hearings, result, loss_causes, version, created_by, created_at, updated_at)"+
			" VALUES (1, '（2025）豫0482行初1号', '（2025）豫0482行初1号', 2025, '豫0482', '行初', 1, 'RZ-GAJ', '张某某', '行政处罚', '2025-03-01',"+
			" '', '[]', '', '', 1, 'liaison', ?, ?)", now, now)
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		old, err := db.Litigation.LitigationCase(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		if old.PlaintiffKind != jiefen.PartyPerson || old.PlaintiffCreditCode != "" || old.Plaintiff != "张某某" {
			t.Errorf("a plaintiff of schema 12 reads as %q, %q, %q", old.Plaintiff, old.PlaintiffKind, old.PlaintiffCreditCode)
		}

		seedAgencies(t, db)
		f := litigation.Filing{CaseNumber: "（2025）豫0482行初2号", Defendant: "RZ-GAJ", Plaintiff: "汝州市某某建材有限公司",
			PlaintiffKind: jiefen.PartyOrganisation, PlaintiffCreditCode: strings.ToLower(orgCredit), Cause: "行政处罚",
			FiledOn: calendar.NewDate(2025, time.March, 2)}
		n, err := f.Validate(calendar.DateOf(time.Now()))
		if err != nil {
			t.Fatal(err)
		}
		liaison := jiefen.NewContextWithActor(ctx, jiefen.Actor{Username: "liaison", Role: jiefen.RoleCourtLiaison})
		c, err := db.Litigation.CreateLitigation(liaison, f, n)
		if err != nil {
			t.Fatal(err)
		}
		if c.PlaintiffKind != jiefen.PartyOrganisation || c.PlaintiffCreditCode != orgCredit {
			t.Errorf("an organisation plaintiff reads as %q, %q", c.PlaintiffKind, c.PlaintiffCreditCode)
		}
		if got := raw(t, db, "SELECT plaintiff_credit_code FROM litigation_cases WHERE id = ?", c.ID); got != orgCredit {
			t.Errorf("stored credit code %q", got)
		}
	})
}
