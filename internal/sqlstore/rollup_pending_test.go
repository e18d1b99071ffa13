package sqlstore_test

import (
	"context"
	"fmt"
	"math/rand"
	"reflect"
	"testing"

	"jiefen/calendar"
	"jiefen/internal/sqlstore"
	"jiefen/internal/sqlstore/storetest"
	"jiefen/litigation"
)

// TestImportedRollupsFoldOnRead: batches of a court file in random order,
// some rows changing cases of an earlier batch, leave their rollup changes
// pending (a row per batch, the rollups untouched); the next read of the
// statistics folds them, once, and answers for every grouping and window
// what the reference count of the stored cases gives.
func TestImportedRollupsFoldOnRead(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx, sys := liaisonFixture(t, db)
		agencies, err := db.CourtSync.AgencyIndex(ctx)
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewSource(25))
		today := calendar.NewDate(2026, 12, 3)
		defendants := []string{"汝州市公安局", "自然资源局", "RZ-RSJ", "汝州市人民政府", "汝州市公安局、汝州市人民政府"}
		results := []string{"驳回诉讼请求", "撤销", "确认违法", "撤诉"}
		row := func(serial int, filed calendar.Date, heard, concluded bool) sqlstore.ImportRow {
			v := map[string]string{litigation.ColCaseNumber: fmt.Sprintf("（%d）豫0482行初%d号", filed.Year(), serial),
				litigation.ColPlaintiff: "原告", litigation.ColDefendant: defendants[serial%len(defendants)], litigation.ColCause: "行政处罚",
				litigation.ColFiledOn: filed.String()}
			if heard {
				v[litigation.ColHeldOn] = filed.AddDays(10 + serial%20).String()
				v[litigation.ColHeadAppeared], v[litigation.ColPosition] = "是", "正职"
			}
			if concluded {
				v[litigation.ColConcludedOn], v[litigation.ColResult] = filed.AddDays(40+serial%30).String(), results[serial%len(results)]
			}
			r := sqlstore.ImportRow{Row: litigation.CourtRow{Line: serial + 1, Values: v}}
			r.Case, r.Problem = r.Row.Parse(today, litigation.DefaultTitles())
			return r
		}
		var first, second []sqlstore.ImportRow
		filed := map[int]calendar.Date{}
		for serial := 1; serial <= 60; serial++ {
			filed[serial] = calendar.NewDate(2024, 1, 1).AddDays(rng.Intn(700))
			first = append(first, row(serial, filed[serial], rng.Intn(2) == 0, false))
		}
		rng.Shuffle(len(first), func(i, j int) { first[i], first[j] = first[j], first[i] })
		// The second batch hears and concludes half of the first's cases.
		for serial := 1; serial <= 60; serial += 2 {
			second = append(second, row(serial, filed[serial], true, true))
		}
		rep, err := db.CourtSync.StartImport(sys, "random.csv")
		if err != nil {
			t.Fatal(err)
		}
		for _, batch := range [][]sqlstore.ImportRow{first, second} {
			if err := db.CourtSync.ImportBatch(sys, &rep, batch, agencies); err != nil {
				t.Fatal(err)
			}
		}
		if len(rep.Rejected) > 0 || rep.Created != 60 || rep.Updated != 30 {
			t.Fatalf("import: %d created, %d updated, rejected %+v", rep.Created, rep.Updated, rep.Rejected)
		}
		count := func(table string) int {
			var n int
			if err := db.SQL().QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		if p, r := count("litigation_rollup_pending"), count("litigation_months"); p != 2 || r != 0 {
			t.Fatalf("before a read: %d pending, %d rollup rows; want 2 and none", p, r)
		}
		var all []litigation.Case
		page, err := db.Litigation.ListLitigation(ctx, litigation.Filter{Limit: 200})
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, page...)
		if len(all) != 60 {
			t.Fatalf("%d cases stored", len(all))
		}
		statsAgree(t, db, all, [][2]calendar.Date{
			{calendar.NewDate(2024, 1, 1), calendar.NewDate(2025, 12, 31)},
			{calendar.NewDate(2024, 2, 17), calendar.NewDate(2025, 3, 9)},
			{calendar.NewDate(2024, 6, 3), calendar.NewDate(2024, 6, 21)},
		})
		if p := count("litigation_rollup_pending"); p != 0 {
			t.Errorf("after a read: %d pending, want none", p)
		}
	})
}

// statsAgree checks that the statistics of each window, by every
// grouping, equal the reference count of the stored cases all.
func statsAgree(t *testing.T, db *sqlstore.DB, all []litigation.Case, windows [][2]calendar.Date) {
	t.Helper()
	for _, w := range windows {
		for _, g := range []litigation.Grouping{{Month: true}, {Agency: true, Month: true}, {}, {Agency: true}} {
			got, err := db.Litigation.LitigationStats(context.Background(), w[0], w[1], g, "")
			if err != nil {
				t.Fatal(err)
			}
			if want := litigation.Count(all, w[0], w[1], g); !reflect.DeepEqual(got, want) {
				t.Fatalf("%s–%s %+v:\n got %s\nwant %s", w[0], w[1], g, rowsString(got), rowsString(want))
			}
		}
	}
}
