package sqlstore

import (
	"context"
	"fmt"
	"math/rand"
	"reflect"
	"testing"

	"jiefen/litigation"
)

// rowsFile is a court file of rows already read.
type rowsFile []litigation.CourtRow

func (f rowsFile) Each(ctx context.Context, fn func(litigation.CourtRow) error) error {
	for _, r := range f {
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

func (rowsFile) Skipped() int            { return 0 }
func (rowsFile) SkippedSheets() []string { return nil }

func fileRow(sheet string, line int, number string) litigation.CourtRow {
	return litigation.CourtRow{Sheet: sheet, Line: line, Values: map[string]string{litigation.ColCaseNumber: number, litigation.ColPlaintiff: "原告"}}
}

// TestRowsInCaseOrder: rows in the order of their case numbers pass
// straight through; from the first out of order on, the rest come by year
// and serial, a case's rows (in any spelling of its number) in the file's
// order, rows without a number first; the sheets keep the file's order.
func TestRowsInCaseOrder(t *testing.T) {
	in := rowsFile{
		fileRow("二审", 2, "（2023）豫04行终9号"),
		fileRow("二审", 3, "（2024）豫04行终1号"),
		fileRow("一审", 2, "（2024）豫0482行初7号"),
		fileRow("一审", 3, "(2024)豫0482行初3号"), // the first out of order
		fileRow("一审", 4, "没有案号"),
		fileRow("一审", 5, "（2022）豫0482行初5号"),
		fileRow("一审", 6, "（2024）豫0482行初3号"), // the same case as line 3, spelt otherwise
		fileRow("一审", 7, "（2024）豫04行终3号"),   // another case with the same year and serial
		fileRow("一审", 8, ""),
	}
	var got []string
	sheets, err := eachInCaseOrder(context.Background(), in, func(r litigation.CourtRow) error {
		got = append(got, fmt.Sprintf("%s%d", r.Sheet, r.Line))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"二审2", "二审3", "一审2", // in order as read
		"一审4", "一审8", "一审5", "一审3", "一审6", "一审7"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("order:\n got %v\nwant %v", got, want)
	}
	if want := map[string]int{"二审": 0, "一审": 1}; !reflect.DeepEqual(sheets, want) {
		t.Fatalf("sheets %v, want %v", sheets, want)
	}

	// A shuffled file of many rows comes out sorted, each row once, whole.
	var many rowsFile
	for i := range 5000 {
		r := fileRow("", i+2, fmt.Sprintf("（%d）豫0482行初%d号", 2016+i%10, i/10+1))
		r.Values[litigation.ColHeldOn] = fmt.Sprintf("2025-01-%02d", 1+i%28)
		r.Headers = map[string]string{litigation.ColFiledOn: "收案日期"}
		many = append(many, r)
	}
	rand.New(rand.NewSource(25)).Shuffle(len(many), func(i, j int) { many[i], many[j] = many[j], many[i] })
	byLine := map[int]litigation.CourtRow{}
	for _, r := range many {
		byLine[r.Line] = r
	}
	var last uint64
	seen := 0
	if _, err := eachInCaseOrder(context.Background(), many, func(r litigation.CourtRow) error {
		k := caseOrderKey(r)
		if seen > 1 && k < last { // the first row passes before the spill
			t.Fatalf("row %d (key %x) after key %x", r.Line, k, last)
		}
		last, seen = k, seen+1
		if !reflect.DeepEqual(r, byLine[r.Line]) {
			t.Fatalf("row %d came back as %+v, want %+v", r.Line, r, byLine[r.Line])
		}
		delete(byLine, r.Line)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if seen != len(many) || len(byLine) != 0 {
		t.Fatalf("%d rows came, %d never", seen, len(byLine))
	}
}

// TestSpilledRowsRefuseDamage: a spilled row cut short or with bytes
// after it is an error, never a row with fields missing.
func TestSpilledRowsRefuseDamage(t *testing.T) {
	r := fileRow("一审", 12, "（2024）豫0482行初3号")
	r.Headers = map[string]string{litigation.ColFiledOn: "收案日期"}
	b := encodeRow(nil, r)
	if got, err := decodeRow(b); err != nil || !reflect.DeepEqual(got, r) {
		t.Fatalf("round trip: %+v, %v", got, err)
	}
	for n := range len(b) {
		if _, err := decodeRow(b[:n]); err == nil {
			t.Fatalf("%d of %d bytes decoded", n, len(b))
		}
	}
	if _, err := decodeRow(append(b, 0)); err == nil {
		t.Fatal("a byte after the row decoded")
	}
}
