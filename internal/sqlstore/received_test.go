package sqlstore_test

import (
	"context"
	"testing"

	"jiefen"
	"jiefen/calendar"
	"jiefen/internal/sqlstore"
	"jiefen/internal/sqlstore/storetest"
	"jiefen/routing"
)

// The disputes received in a year are counted by source and by track,
// on the day received: the last day of the year in, the first of the
// next out.
func TestCountReceived(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		sys, router, pol := intakeFixture(t, db)
		register := func(i int, on string, source routing.Source, category routing.Category) {
			d, _ := calendar.ParseDate(on)
			_, err := db.Disputes.RegisterDispute(sys, routing.Intake{Title: "t", Category: category, Source: source, Township: "钟楼街道",
				ReceivedOn: d, Parties: []jiefen.Party{{Role: "applicant", Name: "甲", IDType: jiefen.IDResident, IDNumber: testIDNumber(i)}}}, router, pol)
			if err != nil {
				t.Fatal(err)
			}
		}
		register(1, "2024-12-31", routing.SourcePolice, "neighbour")
		register(2, "2025-01-01", routing.SourcePolice, "neighbour")
		register(3, "2025-06-30", routing.SourcePetition, "neighbour")
		register(4, "2025-12-31", routing.SourceWalkIn, "neighbour")
		register(5, "2026-01-01", routing.SourceCourt, "neighbour")
		from, _ := calendar.ParseDate("2025-01-01")
		to, _ := calendar.ParseDate("2025-12-31")
		got, err := db.Disputes.CountReceived(context.Background(), from, to)
		if err != nil {
			t.Fatal(err)
		}
		if got.Total != 3 || got.BySource[routing.SourcePolice] != 1 || got.BySource[routing.SourcePetition] != 1 ||
			got.BySource[routing.SourceWalkIn] != 1 || got.BySource[routing.SourceCourt] != 0 {
			t.Errorf("received %+v, want 3: one each from police, petition and walk-in", got)
		}
		if got.ByTrack[routing.TrackPeople] != 3 {
			t.Errorf("by track %v, want the three neighbour disputes on the people's track", got.ByTrack)
		}
	})
}
