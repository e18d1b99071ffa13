package main

import (
	"time"

	"jiefen/internal/httpapi"
	"jiefen/internal/sqlstore"
)

// apiStores wires the API's stores as cmd/jiefen does: the store serves
// every interface httpapi names, and the clock is read through db.Now at
// each call.
func apiStores(db *sqlstore.DB) httpapi.Stores {
	return httpapi.Stores{
		Database:        db,
		Sessions:        db,
		Idempotency:     db,
		Auth:            db,
		Orgs:            db,
		Disputes:        db,
		Mediation:       db,
		Reconsideration: db,
		Litigation:      db,
		CourtSync:       db,
		Liaison:         db,
		Calendar:        db,
		Jobs:            db,
		Audit:           db,
		Now:             func() time.Time { return db.Now() },
	}
}
