package sqlstore_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"jiefen"
	"jiefen/calendar"
	"jiefen/internal/pii"
	"jiefen/internal/sqlstore"
	"jiefen/internal/sqlstore/storetest"
	"jiefen/mediation"
	"jiefen/reconsideration"
	"jiefen/routing"
)

// A description as intake staff type it, and how it is kept.
const (
	textWhole  = "申请人张三，身份证号410482199003071239，电话138 1234 5678，于2024年3月5日与邻居因排水发生纠纷，（2024）豫0482民初12号。"
	textMasked = "申请人张三，身份证号410***********1239，电话138 **** 5678，于2024年3月5日与邻居因排水发生纠纷，（2024）豫0482民初12号。"
)

// registerText registers a neighbour dispute with the given description;
// it opens a people's mediation case.
func (e *piiEnv) registerText(description string) routing.Dispute {
	e.t.Helper()
	return e.registerTitled("排水纠纷", description)
}

// registerTitled is registerText with the given title.
func (e *piiEnv) registerTitled(title, description string) routing.Dispute {
	e.t.Helper()
	intake := jiefen.NewContextWithActor(context.Background(), jiefen.Actor{Username: "desk", Role: jiefen.RoleIntake})
	d, err := e.db.Disputes.RegisterDispute(intake, routing.Intake{Title: title, Description: description, Category: "neighbour",
		Source: "walk_in", Township: "钟楼街道", ReceivedOn: calendar.DateOf(time.Now()),
		Parties: []jiefen.Party{{Role: jiefen.PartyApplicant, Name: "张三"}, {Role: jiefen.PartyRespondent, Name: "李四"}}},
		e.router, e.pol)
	if err != nil {
		e.t.Fatal(err)
	}
	return d
}

// rawText returns a column of free text and its companion as stored.
func rawText(t *testing.T, db *sqlstore.DB, table, column string, id int64) (string, sql.NullString) {
	t.Helper()
	var text, sealed sql.NullString
	q := "SELECT " + column + ", " + column + "_sealed FROM " + table + " WHERE id = ?"
	if err := db.SQL().QueryRow(q, id).Scan(&text, &sealed); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return text.String, sealed
}

// wantTextSealed checks that a column holds no number in clear and that
// its companion is sealed under key and opens to a text holding them.
func wantTextSealed(t *testing.T, db *sqlstore.DB, table, column string, id int64, key string, clear ...string) {
	t.Helper()
	text, sealed := rawText(t, db, table, column, id)
	for _, c := range clear {
		if strings.Contains(text, c) || strings.Contains(sealed.String, c) {
			t.Errorf("%s.%s of %d holds %q in clear: %s | %s", table, column, id, c, text, sealed.String)
		}
	}
	if !sealed.Valid || !pii.Sealed(sealed.String) || pii.KeyOf(sealed.String) != key {
		t.Fatalf("%s.%s_sealed of %d = %q, want a text sealed under %s", table, column, id, sealed.String, key)
	}
	// The companion is sealed as the column, bound to the masked text
	// beside it.
	whole, err := storetest.Keys().Open(pii.Field(table+"."+column).Beside(text), sealed.String)
	if key != "test1" {
		return // sealed under a key storetest does not hold
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range clear {
		if !strings.Contains(whole, c) {
			t.Errorf("%s.%s_sealed of %d opens to %q, which lacks %q", table, column, id, whole, c)
		}
	}
}

// TestFreeTextMaskedAtRest: a description with an ID number and a phone is
// stored masked, its whole text sealed beside it; the store reads it back
// whole. A description with neither is stored as it is, with no companion.
func TestFreeTextMaskedAtRest(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		e := newPIIEnv(t, db)
		d := e.registerText(textWhole)
		if d.Description != textWhole {
			t.Errorf("registered description %q, want it whole", d.Description)
		}
		if text, _ := rawText(t, db, "disputes", "description", d.ID); text != textMasked {
			t.Errorf("stored description %q, want %q", text, textMasked)
		}
		wantTextSealed(t, db, "disputes", "description", d.ID, "test1", "410482199003071239", "138 1234 5678")
		got, err := db.Disputes.Dispute(ctx, d.Code)
		if err != nil {
			t.Fatal(err)
		}
		if got.Description != textWhole {
			t.Errorf("read back %q, want %q", got.Description, textWhole)
		}
		if m := got.Masked().Description; m != textMasked {
			t.Errorf("masked %q, want %q", m, textMasked)
		}

		// A transfer's reason, as staff typed it, is kept the same way in the
		// dispute's routing and in its history.
		tr := routing.Transfer{ToTrack: routing.TrackJudicial, ToOrg: "RZ-FY", Reason: "当事人要求诉前调解，联系电话13812345678",
			On: calendar.DateOf(time.Now())}
		e.router.TransferClock(&tr)
		intake := jiefen.NewContextWithActor(ctx, jiefen.Actor{Username: "desk", Role: jiefen.RoleIntake})
		if _, err := db.Disputes.TransferDispute(intake, d.Code, tr, 0, 10, e.recon); err != nil {
			t.Fatal(err)
		}
		wantTextSealed(t, db, "disputes", "reason", d.ID, "test1", "13812345678")
		var step int64
		if err := db.SQL().QueryRow("SELECT MAX(id) FROM dispute_history WHERE dispute_id = ?", d.ID).Scan(&step); err != nil {
			t.Fatal(err)
		}
		wantTextSealed(t, db, "dispute_history", "reason", step, "test1", "13812345678")
		if got, err = db.Disputes.Dispute(ctx, d.Code); err != nil {
			t.Fatal(err)
		}
		if last := got.History[len(got.History)-1]; got.Routing.Reason != tr.Reason || last.Reason != tr.Reason {
			t.Errorf("read back reasons %q and %q, want %q", got.Routing.Reason, last.Reason, tr.Reason)
		}
		if m := got.Masked(); m.Routing.Reason != "当事人要求诉前调解，联系电话138****5678" || m.History[len(m.History)-1].Reason != m.Routing.Reason {
			t.Errorf("masked reasons %q and %q", m.Routing.Reason, m.History[len(m.History)-1].Reason)
		}

		plain := e.registerText("邻里排水纠纷，案号（2024）豫0482民初12号，赔偿120000元。")
		if text, sealed := rawText(t, db, "disputes", "description", plain.ID); text != plain.Description || sealed.Valid {
			t.Errorf("a description with no number stored as %q, companion %v", text, sealed)
		}
	})
}

// TestFreeTextOfCasesMaskedAtRest: the texts of a mediation case (a
// session's record, the agreement's terms, a follow-up's comment, a
// rectification's action) and of a reconsideration case (the act, a
// reason, the reply) are stored masked and sealed, and read back whole.
func TestFreeTextOfCasesMaskedAtRest(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := ctxAs(jiefen.RoleIntake)
		e := newPIIEnv(t, db)
		d := e.registerText("排水纠纷")
		if d.Routing.CaseID == nil {
			t.Fatalf("no mediation case opened (track %s)", d.Routing.Track)
		}
		id := *d.Routing.CaseID
		today := calendar.DateOf(time.Now())
		clocks := func(*mediation.Case) {}
		_, err := db.Mediation.ActOnCase(ctx, id, sqlstore.CaseAction{Name: "record", Do: func(c *mediation.Case) error {
			c.Sessions = append(c.Sessions, mediation.Session{On: today, Place: "调解室", Attendees: []string{"张三"},
				Record: "张三称其电话为13812345678"})
			c.Agreement = &mediation.Agreement{On: today, Terms: "李四向张三（身份证410482199003071239）支付1200元", EffectiveOn: today}
			c.FollowUps = append(c.FollowUps, mediation.FollowUp{On: today, Rating: 1, Comment: "回访电话0375-1234567无人接听"})
			c.Rectifications = append(c.Rectifications, mediation.Rectification{OpenedOn: today, Rating: 1, ClosedOn: &today,
				Action: "改拨13912345678"})
			return nil
		}}, clocks)
		if err != nil {
			t.Fatal(err)
		}
		wantTextSealed(t, db, "mediation_cases", "dossier", id, "test1", "13812345678", "410482199003071239")
		var followUp int64
		if err := db.SQL().QueryRow("SELECT id FROM mediation_followups WHERE case_id = ?", id).Scan(&followUp); err != nil {
			t.Fatal(err)
		}
		wantTextSealed(t, db, "mediation_followups", "comment", followUp, "test1", "0375-1234567")
		wantTextSealed(t, db, "mediation_followups", "rectify_action", followUp, "test1", "13912345678")
		c, err := db.Mediation.MediationCase(ctx, id, clocks)
		if err != nil {
			t.Fatal(err)
		}
		if c.Sessions[0].Record != "张三称其电话为13812345678" || c.Agreement.Terms != "李四向张三（身份证410482199003071239）支付1200元" ||
			c.FollowUps[0].Comment != "回访电话0375-1234567无人接听" || c.Rectifications[0].Action != "改拨13912345678" {
			t.Errorf("read back %+v %+v %+v %+v, want the texts whole", c.Sessions, c.Agreement, c.FollowUps, c.Rectifications)
		}
		if m := c.Masked(); m.Sessions[0].Record != "张三称其电话为138****5678" || c.Sessions[0].Record != "张三称其电话为13812345678" {
			t.Errorf("masked %q (and the case itself %q)", m.Sessions[0].Record, c.Sessions[0].Record)
		}

		fuyi := jiefen.NewContextWithActor(context.Background(), jiefen.Actor{Username: "fuyi", Role: jiefen.RoleReconsideration})
		rc, err := db.Reconsideration.CreateReconsideration(fuyi, reconsideration.Application{
			Applicant:  jiefen.Party{Role: jiefen.PartyApplicant, Name: "张三"},
			Respondent: "RZ-GAJ", Act: "对张三（身份证410482199003071239）的罚款决定", ReceivedOn: today, Procedure: reconsideration.Ordinary}, e.recon)
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.Reconsideration.ActOnReconsideration(fuyi, rc.ID, sqlstore.ReconAction{Name: "reply", Do: func(c *reconsideration.Case) error {
			c.Reply = &reconsideration.Reply{On: today, Text: "经核实，张三手机13812345678", Evidence: []string{}}
			return nil
		}}, e.recon)
		if err != nil {
			t.Fatal(err)
		}
		wantTextSealed(t, db, "reconsideration_cases", "act", rc.ID, "test1", "410482199003071239")
		wantTextSealed(t, db, "reconsideration_cases", "record", rc.ID, "test1", "13812345678")
		got, err := db.Reconsideration.ReconsiderationCase(ctx, rc.ID, e.recon)
		if err != nil {
			t.Fatal(err)
		}
		if got.Act != "对张三（身份证410482199003071239）的罚款决定" || got.Reply == nil || got.Reply.Text != "经核实，张三手机13812345678" {
			t.Errorf("read back act %q, reply %+v, want them whole", got.Act, got.Reply)
		}
	})
}

// TestTitleAndSessionMaskedAtRest: a dispute's title is kept masked and
// sealed as its description is, and a mediation session's place and
// attendees within the case's dossier; the store reads them back whole
// (the dispute, its mediation case), the masked forms mask them, and the
// subsidy ledger, which no one unmasks, lists the title masked.
func TestTitleAndSessionMaskedAtRest(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := ctxAs(jiefen.RoleIntake)
		e := newPIIEnv(t, db)
		const (
			title       = "张三（tel13812345678）排水纠纷"
			titleMasked = "张三（tel138****5678）排水纠纷"
		)
		d := e.registerTitled(title, "排水纠纷")
		if text, _ := rawText(t, db, "disputes", "title", d.ID); text != titleMasked {
			t.Errorf("stored title %q, want %q", text, titleMasked)
		}
		wantTextSealed(t, db, "disputes", "title", d.ID, "test1", "13812345678")
		got, err := db.Disputes.Dispute(ctx, d.Code)
		if err != nil {
			t.Fatal(err)
		}
		if got.Title != title || got.Masked().Title != titleMasked {
			t.Errorf("read back title %q, masked %q; want %q and %q", got.Title, got.Masked().Title, title, titleMasked)
		}

		id := *d.Routing.CaseID
		today := calendar.DateOf(time.Now())
		clocks := func(*mediation.Case) {}
		session := mediation.Session{On: today, Place: "张三家（座机０３７５－１２３４５６７）",
			Attendees: []string{"张三", "李四（身份证４１０４８２１９９００３０７１２３Ｘ）"}, Record: "双方陈述"}
		_, err = db.Mediation.ActOnCase(ctx, id, sqlstore.CaseAction{Name: "record", Do: func(c *mediation.Case) error {
			c.Sessions = append(c.Sessions, session)
			return nil
		}}, clocks)
		if err != nil {
			t.Fatal(err)
		}
		wantTextSealed(t, db, "mediation_cases", "dossier", id, "test1", "１２３４５６７", "４１０４８２１９９００３０７１２３Ｘ")
		c, err := db.Mediation.MediationCase(ctx, id, clocks)
		if err != nil {
			t.Fatal(err)
		}
		if s := c.Sessions[0]; c.Title != title || s.Place != session.Place || s.Attendees[1] != session.Attendees[1] {
			t.Errorf("read back title %q and session %+v, want them whole", c.Title, s)
		}
		m := c.Masked()
		if s := m.Sessions[0]; m.Title != titleMasked || s.Place != "张三家（座机０３７５－***４５６７）" ||
			s.Attendees[0] != "张三" || s.Attendees[1] != "李四（身份证４１０***********１２３Ｘ）" {
			t.Errorf("masked title %q and session %+v", m.Title, s)
		}
		if c.Sessions[0].Attendees[1] != session.Attendees[1] {
			t.Errorf("masking changed the case itself: %q", c.Sessions[0].Attendees[1])
		}

		mustExec(t, db, "UPDATE mediation_cases SET subsidy_on = ? WHERE id = ?", today.String(), id)
		lines, err := db.Mediation.Subsidies(ctx, today, today, mediation.Subsidies{}, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(lines) != 1 || len(lines[0].Cases) != 1 || lines[0].Cases[0].Title != titleMasked {
			t.Errorf("subsidy ledger %+v, want the one case titled %q", lines, titleMasked)
		}
	})
}

// TestSealPersonalDataMasksWhatMaskingNowFinds: the walk after migration
// 0018 masks and seals a title kept in clear, and masks anew a dossier
// sealed under the current key beside a masked form in which this
// version's masking finds more (a session's attendees kept in clear).
func TestSealPersonalDataMasksWhatMaskingNowFinds(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := ctxAs(jiefen.RoleIntake)
		e := newPIIEnv(t, db)
		d := e.registerText("排水纠纷")
		id := *d.Routing.CaseID
		const title = "张三13812345678排水纠纷"
		mustExec(t, db, "UPDATE disputes SET title = ? WHERE id = ?", title, d.ID)

		// The dossier as the previous version kept it: the record masked,
		// the attendee's phone left in clear, the whole sealed beside it.
		today := calendar.DateOf(time.Now()).String()
		whole := `{"sessions":[{"on":"` + today + `","place":"调解室","attendees":["张三13912345678"],"record":"电话13812345678"}]` +
			`}`
		old := strings.Replace(whole, "电话13812345678", "电话138****5678", 1)
		sealed, err := storetest.Keys().Seal(pii.Field("mediation_cases.dossier").Beside(old), whole)
		if err != nil {
			t.Fatal(err)
		}
		mustExec(t, db, "UPDATE mediation_cases SET dossier = ?, dossier_sealed = ? WHERE id = ?", old, sealed, id)
		mustExec(t, db, "UPDATE pii_state SET key_id = ''")

		rep, err := db.SealPersonalData(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Texts != 2 {
			t.Errorf("report %+v, want 2 texts (the title, the dossier)", rep)
		}
		wantTextSealed(t, db, "disputes", "title", d.ID, "test1", "13812345678")
		wantTextSealed(t, db, "mediation_cases", "dossier", id, "test1", "13912345678", "13812345678")
		c, err := db.Mediation.MediationCase(ctx, id, func(*mediation.Case) {})
		if err != nil {
			t.Fatal(err)
		}
		if c.Title != title || c.Sessions[0].Attendees[0] != "张三13912345678" || c.Sessions[0].Record != "电话13812345678" {
			t.Errorf("read back %q and %+v, want them whole", c.Title, c.Sessions[0])
		}
		mustExec(t, db, "UPDATE pii_state SET key_id = ''")
		if rep, err := db.SealPersonalData(ctx); err != nil || rep.Texts != 0 {
			t.Errorf("second run: %+v, %v", rep, err)
		}
	})
}

// TestSealPersonalDataMasksFreeTextInClear: a description kept in clear by
// an older version is masked and sealed by SealPersonalData, once; a
// description rewritten by a version that knew nothing of the companion
// wins over a stale companion.
func TestSealPersonalDataMasksFreeTextInClear(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		e := newPIIEnv(t, db)
		legacy := e.registerText("排水纠纷")
		mustExec(t, db, "UPDATE disputes SET description = ? WHERE id = ?", textWhole, legacy.ID)
		mustExec(t, db, "DELETE FROM pii_state")

		rep, err := db.SealPersonalData(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Texts != 1 {
			t.Errorf("report %+v, want 1 text", rep)
		}
		if text, _ := rawText(t, db, "disputes", "description", legacy.ID); text != textMasked {
			t.Errorf("stored description %q, want %q", text, textMasked)
		}
		wantTextSealed(t, db, "disputes", "description", legacy.ID, "test1", "410482199003071239", "138 1234 5678")
		if d, err := db.Disputes.Dispute(ctx, legacy.Code); err != nil || d.Description != textWhole {
			t.Errorf("read back %q (%v), want it whole", d.Description, err)
		}
		// The migration's forgetting of the key makes the next start walk
		// again; a walk over sealed rows changes nothing.
		mustExec(t, db, "UPDATE pii_state SET key_id = ''")
		if rep, err := db.SealPersonalData(ctx); err != nil || rep.Texts != 0 {
			t.Errorf("second run: %+v, %v", rep, err)
		}

		// An older replica writes the column alone, a phone in clear: the
		// companion, sealed beside another text, is stale and not believed;
		// the next walk masks the column and seals it anew.
		const rewritten = "排水纠纷已调处，回访电话13912345678"
		mustExec(t, db, "UPDATE disputes SET description = ? WHERE id = ?", rewritten, legacy.ID)
		if d, err := db.Disputes.Dispute(ctx, legacy.Code); err != nil || d.Description != rewritten {
			t.Errorf("read back %q (%v) after an older version wrote it, want what it wrote", d.Description, err)
		}
		mustExec(t, db, "UPDATE pii_state SET key_id = ''")
		if rep, err := db.SealPersonalData(ctx); err != nil || rep.Texts != 1 {
			t.Errorf("walk over a stale companion: %+v, %v", rep, err)
		}
		if text, _ := rawText(t, db, "disputes", "description", legacy.ID); text != "排水纠纷已调处，回访电话139****5678" {
			t.Errorf("stored description %q after the walk, want it masked", text)
		}
		wantTextSealed(t, db, "disputes", "description", legacy.ID, "test1", "13912345678")
		if d, err := db.Disputes.Dispute(ctx, legacy.Code); err != nil || d.Description != rewritten {
			t.Errorf("read back %q (%v) after the walk, want %q", d.Description, err, rewritten)
		}
	})
}

// TestFreeTextRotation: a new current key seals the companions again; the
// texts read back whole through a keyring without the old key.
func TestFreeTextRotation(t *testing.T) {
	eachDatabase(t, func(t *testing.T, o sqlstore.Options) {
		ctx := context.Background()
		old := openWith(t, o, "test1", map[string][]byte{"test1": piiKey1})
		d := newPIIEnv(t, old).registerText(textWhole)
		if _, err := old.SealPersonalData(ctx); err != nil {
			t.Fatal(err)
		}
		rot := openWith(t, o, "test2", map[string][]byte{"test1": piiKey1, "test2": piiKey2})
		rep, err := rot.SealPersonalData(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Texts != 1 {
			t.Errorf("report %+v, want 1 text sealed again", rep)
		}
		wantTextSealed(t, rot, "disputes", "description", d.ID, "test2", "410482199003071239")
		retired := openWith(t, o, "test2", map[string][]byte{"test2": piiKey2})
		if got, err := retired.Disputes.Dispute(ctx, d.Code); err != nil || got.Description != textWhole {
			t.Errorf("read without the old key: %q, %v", got.Description, err)
		}
	})
}
