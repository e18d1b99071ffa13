package sqlstore_test

import (
	"cmp"
	"fmt"
	"math/rand"
	"reflect"
	"slices"
	"strings"
	"testing"

	"jiefen/calendar"
	"jiefen/internal/sqlstore"
	"jiefen/internal/sqlstore/storetest"
	"jiefen/litigation"
)

// TestImportInAnyOrder: a shuffled court file of three batches and more
// lands as its rows say in the file's order: a case's first row creates
// it and its filing date stands against a later row's other date; a later
// row with the hearing and the outcome fills them in; rows without a case
// number are rejected by sheet and row in the file's order; and the
// statistics equal the reference count of the stored cases.
func TestImportInAnyOrder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx, sys := liaisonFixture(t, db)
		rng := rand.New(rand.NewSource(25))
		defendants := []string{"汝州市公安局", "自然资源局", "RZ-RSJ", "汝州市人民政府", "汝州市公安局、汝州市人民政府"}
		filed := map[int]calendar.Date{}
		var file sqlstore.RowsFile
		serials := map[int]int{} // by line: the case's serial, 0 for none
		heard := map[int]bool{}  // by line: the row hears and concludes its case
		add := func(sheet string, serial int, v map[string]string) {
			line := len(file) + 2
			file = append(file, litigation.CourtRow{Sheet: sheet, Line: line, Values: v})
			serials[line] = serial
			heard[line] = v[litigation.ColHeldOn] != ""
		}
		filing := func(serial int, on calendar.Date) map[string]string {
			return map[string]string{litigation.ColCaseNumber: fmt.Sprintf("（%d）豫0482行初%d号", on.Year(), serial),
				litigation.ColPlaintiff: "原告", litigation.ColDefendant: defendants[serial%len(defendants)], litigation.ColCause: "行政处罚",
				litigation.ColFiledOn: on.String()}
		}
		const cases = 1100
		for serial := 1; serial <= cases; serial++ {
			filed[serial] = calendar.NewDate(2025, 1, 1).AddDays(rng.Intn(300))
			add("一审", serial, filing(serial, filed[serial]))
			if serial%50 == 0 {
				add("一审", 0, map[string]string{litigation.ColCaseNumber: "案号不详", litigation.ColPlaintiff: "原告"})
			}
		}
		// 40 cases heard and concluded, and one of them with another
		// filing date in one more row.
		for serial := 1; serial <= 40; serial++ {
			v := filing(serial, filed[serial])
			v[litigation.ColHeldOn] = filed[serial].AddDays(20).String()
			v[litigation.ColHeadAppeared], v[litigation.ColPosition] = "是", "正职"
			v[litigation.ColConcludedOn], v[litigation.ColResult] = filed[serial].AddDays(45).String(), "撤销"
			add("二审", serial, v)
		}
		other := filing(7, filed[7].AddDays(3))
		other[litigation.ColCaseNumber] = fmt.Sprintf("(%d)豫0482行初7号", filed[7].Year()) // the same case, spelt otherwise
		add("二审", 7, other)
		add("二审", 0, map[string]string{litigation.ColCaseNumber: "", litigation.ColPlaintiff: "原告"})
		rng.Shuffle(len(file), func(i, j int) { file[i], file[j] = file[j], file[i] })

		// What the shuffled file says, row after row.
		var wantRejected []string
		sheets := map[string]int{}
		wantFiled := map[int]string{}
		var updated, unchanged int
		for _, r := range file {
			serial := serials[r.Line]
			if _, ok := sheets[r.Sheet]; !ok {
				sheets[r.Sheet] = len(sheets)
			}
			switch {
			case serial == 0:
				wantRejected = append(wantRejected, fmt.Sprintf("%s%d", r.Sheet, r.Line))
			case wantFiled[serial] == "":
				wantFiled[serial] = r.Values[litigation.ColFiledOn]
			case heard[r.Line]:
				updated++
			default:
				unchanged++
			}
		}

		rep, err := db.CourtSync.ImportFile(sys, "shuffled.csv", file, litigation.DefaultTitles(), nil)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Rows != len(file) || rep.Created != cases || rep.Updated != updated || rep.Unchanged != unchanged || rep.RejectedRows != len(wantRejected) {
			t.Fatalf("report: %d rows, %d created, %d updated, %d unchanged, %d rejected; want %d, %d, %d, %d, %d",
				rep.Rows, rep.Created, rep.Updated, rep.Unchanged, rep.RejectedRows, len(file), cases, updated, unchanged, len(wantRejected))
		}
		var gotRejected []string
		for _, r := range rep.Rejected { // a row's fields one after another
			if at := fmt.Sprintf("%s%d", r.Sheet, r.Row); len(gotRejected) == 0 || gotRejected[len(gotRejected)-1] != at {
				gotRejected = append(gotRejected, at)
			}
		}
		lines := map[string]int{}
		for _, r := range file {
			lines[fmt.Sprintf("%s%d", r.Sheet, r.Line)] = r.Line
		}
		slices.SortFunc(wantRejected, func(a, b string) int { // by sheet in the file's order, then row
			return cmp.Or(cmp.Compare(sheets[strings.TrimRight(a, "0123456789")], sheets[strings.TrimRight(b, "0123456789")]), cmp.Compare(lines[a], lines[b]))
		})
		if !reflect.DeepEqual(gotRejected, wantRejected) {
			t.Fatalf("rejected in this order:\n got %v\nwant %v", gotRejected, wantRejected)
		}

		var all []litigation.Case
		for before := int64(0); ; {
			page, err := db.Litigation.ListLitigation(ctx, litigation.Filter{Limit: 200, BeforeID: before})
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, page...)
			if len(page) < 200 {
				break
			}
			before = page[len(page)-1].ID
		}
		if len(all) != cases {
			t.Fatalf("%d cases stored, want %d", len(all), cases)
		}
		for _, c := range all {
			serial := c.CaseNumber.Serial
			if c.FiledOn.String() != wantFiled[serial] {
				t.Errorf("%s filed on %s, want %s (its first row's date)", c.CaseNumber.Canonical, c.FiledOn, wantFiled[serial])
			}
			if done := c.Outcome != nil && len(c.Hearings) == 1; done != (serial <= 40) {
				t.Errorf("%s: heard and concluded %v, want %v", c.CaseNumber.Canonical, done, serial <= 40)
			}
		}
		statsAgree(t, db, all, [][2]calendar.Date{
			{calendar.NewDate(2025, 1, 1), calendar.NewDate(2025, 12, 31)},
			{calendar.NewDate(2025, 2, 17), calendar.NewDate(2025, 11, 9)},
		})
	})
}
