package main

import (
	"reflect"
	"testing"

	"jiefen/litigation"
)

// TestSeededCasesAreValid keeps the generator honest: every case it makes
// could have been entered through the domain's rules (a parsable case
// number, hearings and an outcome that the service would accept), and
// comes out the same.
func TestSeededCasesAreValid(t *testing.T) {
	g := newLitGen(5000, 1)
	for i := range 5000 {
		c := g.next(i)
		f := litigation.Filing{CaseNumber: c.CaseNumber.Canonical, Defendant: c.Defendant, Plaintiff: c.Plaintiff, Cause: c.Cause,
			FiledOn: c.FiledOn, KeyFlags: c.KeyFlags}
		n, err := f.Validate(g.today)
		if err != nil {
			t.Fatalf("case %d: %v", c.ID, err)
		}
		if n.Canonical != c.CaseNumber.Canonical || n.Year != c.CaseNumber.Year || n.Serial != c.CaseNumber.Serial || n.TypeCode != c.CaseNumber.TypeCode {
			t.Fatalf("case %d: number %+v parses as %+v", c.ID, c.CaseNumber, n)
		}
		again := litigation.Case{ID: c.ID, CaseNumber: n, Defendant: c.Defendant, FiledOn: c.FiledOn, KeyFlags: c.KeyFlags}
		for _, h := range c.Hearings {
			if err := again.AddHearing(h, g.today); err != nil {
				t.Fatalf("case %d: hearing %+v: %v", c.ID, h, err)
			}
		}
		if c.Outcome != nil {
			if err := again.Conclude(*c.Outcome, g.today); err != nil {
				t.Fatalf("case %d: outcome %+v: %v", c.ID, c.Outcome, err)
			}
		}
		if !reflect.DeepEqual(again.Facts(), c.Facts()) {
			t.Fatalf("case %d: facts %v, through the domain %v", c.ID, c.Facts(), again.Facts())
		}
	}
}

// TestSeededRollupsMatchCount: the rollup cells the seed sums, read back
// over twelve months by agency and month (and the city's by month), are
// litigation.Count's answer straight from the definition.
func TestSeededRollupsMatchCount(t *testing.T) {
	g := newLitGen(20000, 2)
	cases := make([]litigation.Case, 20000)
	sum := map[litCell]int{}
	for i := range cases {
		cases[i] = g.next(i)
		litCells(&cases[i], cases[i].Facts(), sum)
	}
	read := func(city bool) []litigation.Row {
		type key struct{ agency, month string }
		rows := map[key]*litigation.Row{}
		for k, n := range sum {
			if k.month < litigation.Month(litFrom) || k.month > litigation.Month(litTo) || (k.agency == "") != city {
				continue
			}
			if rows[key{k.agency, k.month}] == nil {
				a, m := k.agency, k.month
				rows[key{k.agency, k.month}] = &litigation.Row{AgencyCode: &a, Month: &m}
				if city {
					rows[key{k.agency, k.month}].AgencyCode = nil
				}
			}
			rows[key{k.agency, k.month}].Add(k.figure, n)
		}
		var got []litigation.Row
		for _, r := range rows {
			r.Rates()
			got = append(got, *r)
		}
		litigation.SortRows(got)
		return got
	}
	want := litigation.Count(cases, litFrom, litTo, litigation.Grouping{Agency: true, Month: true})
	if len(want) < 400 {
		t.Fatalf("only %d rows: the generator spreads too little", len(want))
	}
	if err := litSameRows(read(false), want); err != nil {
		t.Fatal(err)
	}
	if err := litSameRows(read(true), litigation.Count(cases, litFrom, litTo, litigation.Grouping{Month: true})); err != nil {
		t.Fatalf("the city's cells: %v", err)
	}
}
