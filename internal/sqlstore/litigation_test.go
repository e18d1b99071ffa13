package sqlstore_test

import (
	"context"
	"fmt"
	"math/rand"
	"reflect"
	"slices"
	"testing"

	"jiefen"
	"jiefen/calendar"
	"jiefen/configs"
	"jiefen/internal/sqlstore"
	"jiefen/internal/sqlstore/storetest"
	"jiefen/litigation"
)

// TestLitigationStatsAgreeWithTheDefinition enters random cases, some
// against co-defendants, then changes some (hearings, outcomes, a new
// defendant, new co-defendants, new flags), and checks that every grouping
// over whole-month and arbitrary windows equals the reference count of
// litigation.Count over the cases as they stand (a case in each of its
// defendants' figures, once in the city's), and so do the first-instance
// suits of 双下降: the rollups never drift from the cases.
func TestLitigationStatsAgreeWithTheDefinition(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx, sys := liaisonFixture(t, db)
		rng := rand.New(rand.NewSource(7))
		agencies := []string{"RZ-GAJ", "RZ-ZRZYJ", "RZ-SCJGJ", "RZ-RSJ", "RZ", "RZ-ZL"}
		someDefendants := func() []string {
			ds := []string{agencies[rng.Intn(len(agencies))]}
			if co := agencies[rng.Intn(len(agencies))]; rng.Intn(3) == 0 && co != ds[0] {
				ds = append(ds, co)
			}
			return ds
		}
		start := calendar.NewDate(2024, 1, 1)
		today := calendar.NewDate(2026, 7, 1)
		day := func(from calendar.Date, span int) calendar.Date { return from.AddDays(rng.Intn(span)) }
		var ids []int64
		for i := 0; i < 40; i++ {
			filed := day(start, 600)
			f := litigation.Filing{CaseNumber: fmt.Sprintf("（%d）豫0482行初%d号", filed.Year(), i+1), Defendants: someDefendants(),
				Plaintiff: "原告", FiledOn: filed}
			if rng.Intn(4) == 0 {
				f.KeyFlags = []litigation.KeyFlag{litigation.PublicAttention}
			}
			n, err := f.Validate(today)
			if err != nil {
				t.Fatal(err)
			}
			c, err := db.Litigation.CreateLitigation(sys, f, n)
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, c.ID)
		}
		positions := []litigation.Position{litigation.Principal, litigation.Deputy, litigation.InCharge, litigation.Staff}
		for round := 0; round < 3; round++ {
			for _, id := range ids {
				if rng.Intn(2) == 0 {
					continue
				}
				_, err := db.Litigation.ActOnLitigation(sys, id, sqlstore.LitAction{Name: "t", Do: func(c *litigation.Case) error {
					switch rng.Intn(6) {
					case 0, 1:
						// Half the hearings within 25 days of filing, so that
						// cases are heard more than once in a month.
						p, span := positions[rng.Intn(len(positions))], []int{200, 25}[rng.Intn(2)]
						return c.AddHearing(litigation.Hearing{HeldOn: day(c.FiledOn, span), HeadAppeared: p.IsHead(),
							Appearer: &litigation.Appearer{Name: "x", Position: p}}, today)
					case 2:
						if c.Outcome == nil {
							r := litigation.Results[rng.Intn(len(litigation.Results))]
							return c.Conclude(litigation.Outcome{Result: r, ConcludedOn: day(c.FiledOn, 300)}, today)
						}
					case 3:
						c.Defendant = agencies[rng.Intn(len(agencies))]
					case 5:
						c.Defendants = someDefendants()
						c.Defendant = c.Defendants[0]
					case 4:
						if c.Key() {
							c.KeyFlags = nil
						} else {
							c.KeyFlags = []litigation.KeyFlag{litigation.Procuratorate}
						}
					}
					return nil
				}})
				if err != nil {
					t.Fatalf("%v %+v", err, err.(*jiefen.Error).Fields)
				}
			}
		}
		var all []litigation.Case
		for _, id := range ids {
			c, err := db.Litigation.LitigationCase(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, c)
		}
		windows := [][2]calendar.Date{
			{calendar.NewDate(2024, 1, 1), calendar.NewDate(2024, 12, 31)},
			{calendar.NewDate(2024, 3, 1), calendar.NewDate(2025, 2, 28)},
			{calendar.NewDate(2024, 2, 10), calendar.NewDate(2025, 7, 19)},
			{calendar.NewDate(2024, 1, 1), calendar.NewDate(2026, 1, 1)},
		}
		// Random windows besides: year to date, the last twelve months and
		// any other span, starting and ending mid-month or not.
		for range 24 {
			a := day(start, 900)
			windows = append(windows, [2]calendar.Date{a, a.AddDays(rng.Intn(500))})
		}
		for _, w := range windows {
			for _, g := range []litigation.Grouping{{}, {Agency: true}, {Month: true}, {Agency: true, Month: true}} {
				got, err := db.Litigation.LitigationStats(ctx, w[0], w[1], g, "")
				if err != nil {
					t.Fatal(err)
				}
				want := litigation.Count(all, w[0], w[1], g)
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("%s–%s %+v:\n got %s\nwant %s", w[0], w[1], g, rowsString(got), rowsString(want))
				}
			}
			// One agency's months, as its staff ask for them.
			g := litigation.Grouping{Month: true}
			got, err := db.Litigation.LitigationStats(ctx, w[0], w[1], g, "RZ-GAJ")
			if err != nil {
				t.Fatal(err)
			}
			var mine []litigation.Case
			for _, c := range all {
				if slices.Contains(c.Defendants, "RZ-GAJ") {
					mine = append(mine, c)
				}
			}
			if want := litigation.Count(mine, w[0], w[1], g); !reflect.DeepEqual(got, want) {
				t.Fatalf("%s–%s RZ-GAJ by month:\n got %s\nwant %s", w[0], w[1], rowsString(got), rowsString(want))
			}
			byAgency, city, err := db.Litigation.FirstInstanceFiled(ctx, w[0], w[1])
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]int{}
			wantCity := 0
			for _, c := range all {
				if c.FiledOn >= w[0] && c.FiledOn <= w[1] {
					wantCity++
					for _, d := range c.Defendants {
						want[d]++
					}
				}
			}
			if city != wantCity || !reflect.DeepEqual(byAgency, want) {
				t.Errorf("%s–%s first-instance suits: city %d by agency %v, want %d %v", w[0], w[1], city, byAgency, wantCity, want)
			}
		}
		co := 0
		for _, c := range all {
			if len(c.Defendants) > 1 {
				co++
			}
		}
		if co < 5 {
			t.Fatalf("only %d cases with co-defendants; the test proves little", co)
		}
	})
}

func rowsString(rows []litigation.Row) string {
	s := ""
	for _, r := range rows {
		a, m := "", ""
		if r.AgencyCode != nil {
			a = *r.AgencyCode
		}
		if r.Month != nil {
			m = *r.Month
		}
		s += fmt.Sprintf("\n  %s %s f%d c%d l%d h%d a%d kh%d ka%d", a, m, r.Filed, r.Concluded, r.Lost, r.Heard, r.HeadAppeared, r.KeyHeard, r.KeyHeadAppeared)
	}
	return s
}

// TestStatsCountACaseHeardTwiceInAPartialMonth: a case heard on 5 and 25
// March (and 2 April) counts once in March's heard whether the window
// starts or ends between the hearings, and not at all when the window
// holds neither, and once in a window of both months; the day rollups that
// answer partial months and windows without months agree with the
// reference count, and rebuilt from the facts (migrations 0021 to 0023)
// they hold what the changes left in them.
func TestStatsCountACaseHeardTwiceInAPartialMonth(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx, sys := liaisonFixture(t, db)
		today := calendar.NewDate(2026, 1, 1)
		f := litigation.Filing{CaseNumber: "（2025）豫0482行初7号", Defendants: []string{"RZ-GAJ"}, Plaintiff: "原告", FiledOn: calendar.NewDate(2025, 3, 3)}
		n, err := f.Validate(today)
		if err != nil {
			t.Fatal(err)
		}
		c, err := db.Litigation.CreateLitigation(sys, f, n)
		if err != nil {
			t.Fatal(err)
		}
		for _, on := range []calendar.Date{calendar.NewDate(2025, 3, 5), calendar.NewDate(2025, 3, 25), calendar.NewDate(2025, 4, 2)} {
			if _, err := db.Litigation.ActOnLitigation(sys, c.ID, sqlstore.LitAction{Name: "t", Do: func(c *litigation.Case) error {
				return c.AddHearing(litigation.Hearing{HeldOn: on, HeadAppeared: true,
					Appearer: &litigation.Appearer{Name: "x", Position: litigation.Principal}}, today)
			}}); err != nil {
				t.Fatal(err)
			}
		}
		// Another, heard on the first day of June and in July.
		f.CaseNumber, f.FiledOn = "（2025）豫0482行初8号", calendar.NewDate(2025, 5, 12)
		if n, err = f.Validate(today); err != nil {
			t.Fatal(err)
		}
		other, err := db.Litigation.CreateLitigation(sys, f, n)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Litigation.ActOnLitigation(sys, other.ID, sqlstore.LitAction{Name: "t", Do: func(c *litigation.Case) error {
			for _, on := range []calendar.Date{calendar.NewDate(2025, 6, 1), calendar.NewDate(2025, 7, 3)} {
				if err := c.AddHearing(litigation.Hearing{HeldOn: on, HeadAppeared: true,
					Appearer: &litigation.Appearer{Name: "x", Position: litigation.Principal}}, today); err != nil {
					return err
				}
			}
			return nil
		}}); err != nil {
			t.Fatal(err)
		}
		var stored []litigation.Case
		for _, id := range []int64{c.ID, other.ID} {
			c, err := db.Litigation.LitigationCase(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			stored = append(stored, c)
		}
		for _, w := range []struct {
			from, to calendar.Date
			heard    int
		}{
			{calendar.NewDate(2025, 3, 10), calendar.NewDate(2025, 5, 20), 1}, // from between the hearings
			{calendar.NewDate(2025, 1, 15), calendar.NewDate(2025, 3, 15), 1}, // to between them
			{calendar.NewDate(2025, 3, 26), calendar.NewDate(2025, 4, 20), 0}, // after both
			{calendar.NewDate(2025, 2, 10), calendar.NewDate(2025, 3, 4), 0},  // before both
			{calendar.NewDate(2025, 2, 10), calendar.NewDate(2025, 3, 5), 1},  // to on the first
			{calendar.NewDate(2025, 3, 25), calendar.NewDate(2025, 4, 5), 1},  // from on the last
			{calendar.NewDate(2025, 2, 10), calendar.NewDate(2025, 4, 2), 1},  // to on April's, from a whole March
			{calendar.NewDate(2025, 3, 25), calendar.NewDate(2025, 4, 2), 1},  // from on March's last, to on April's
			{calendar.NewDate(2025, 3, 1), calendar.NewDate(2025, 4, 30), 1},  // whole months
			{calendar.NewDate(2025, 5, 20), calendar.NewDate(2025, 7, 3), 0},  // the other's, from June's first day to July's
		} {
			for _, g := range []litigation.Grouping{{Month: true}, {Agency: true, Month: true}, {}, {Agency: true}} {
				got, err := db.Litigation.LitigationStats(ctx, w.from, w.to, g, "")
				if err != nil {
					t.Fatal(err)
				}
				want := litigation.Count(stored, w.from, w.to, g)
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s–%s %+v:\n got %s\nwant %s", w.from, w.to, g, rowsString(got), rowsString(want))
				}
				heard := 0
				for _, r := range got {
					if r.Month != nil && *r.Month == "2025-03" {
						heard = r.Heard
					}
				}
				if g.Month && heard != w.heard {
					t.Errorf("%s–%s %+v: heard in March %d, want %d", w.from, w.to, g, heard, w.heard)
				}
			}
		}
		// The day rollups rebuilt from the facts, as migrations 0021 to
		// 0023 fill them, hold what the case's changes left in them.
		before := edgeRows(t, db)
		// Migration 0024 folds litigation_rollup into litigation_months:
		// the monthly rows stand aside while it runs on an empty one.
		for _, q := range []string{"DROP TABLE litigation_edges", "DROP TABLE litigation_rollup_pending", "DROP TABLE litigation_links",
			"DROP TABLE litigation_link_months", "ALTER TABLE litigation_months RENAME TO litigation_months_kept",
			"CREATE TABLE litigation_rollup (agency VARCHAR(100) NOT NULL, month CHAR(7) NOT NULL, figure VARCHAR(24) NOT NULL, n INT NOT NULL, PRIMARY KEY (month, agency, figure))",
			"DELETE FROM schema_migrations WHERE version >= 21"} {
			if _, err := db.SQL().Exec(q); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{"DROP TABLE litigation_months", "ALTER TABLE litigation_months_kept RENAME TO litigation_months"} {
			if _, err := db.SQL().Exec(q); err != nil {
				t.Fatal(err)
			}
		}
		if after := edgeRows(t, db); !slices.Equal(before, after) || len(before) == 0 {
			t.Errorf("the day rollups rebuilt from the facts:\n%q\nkept by the changes:\n%q", after, before)
		}
	})
}

// edgeRows lists the rows of litigation_edges, litigation_links and
// litigation_link_months with a count, in key order.
func edgeRows(t *testing.T, db *sqlstore.DB) []string {
	t.Helper()
	var out []string
	for _, q := range []string{
		"SELECT edge, on_day, agency, filed, concluded, lost, heard, head_appeared, key_heard, key_head_appeared FROM litigation_edges ORDER BY edge, on_day, agency",
		"SELECT from_day, to_day, agency, filed, concluded, lost, heard, head_appeared, key_heard, key_head_appeared FROM litigation_links ORDER BY from_day, to_day, agency",
		"SELECT from_month, to_month, agency, filed, concluded, lost, heard, head_appeared, key_heard, key_head_appeared FROM litigation_link_months ORDER BY from_month, to_month, agency",
	} {
		rows, err := db.SQL().Query(q)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var a, b any
			var agency string
			n := make([]int, 7)
			if err := rows.Scan(&a, &b, &agency, &n[0], &n[1], &n[2], &n[3], &n[4], &n[5], &n[6]); err != nil {
				t.Fatal(err)
			}
			if slices.Max(n) == 0 && slices.Min(n) == 0 {
				continue // a count that went back to zero; the rebuild has no row
			}
			out = append(out, fmt.Sprintf("%s %s %s %v", a, b, agency, n))
		}
		rows.Close()
	}
	return out
}

// liaisonFixture seeds the model city's orgs into db and returns a plain
// context and a court liaison's.
func liaisonFixture(t *testing.T, db *sqlstore.DB) (context.Context, context.Context) {
	t.Helper()
	ctx := context.Background()
	sys := jiefen.NewContextWithActor(ctx, jiefen.Actor{Username: "t", Role: jiefen.RoleCourtLiaison})
	orgs, _ := configs.SeedOrgs("")
	if _, err := db.Orgs.EnsureOrgs(sys, orgs); err != nil {
		t.Fatal(err)
	}
	return ctx, sys
}
