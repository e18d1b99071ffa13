package main

import (
	"time"

	"jiefen/internal/httpapi"
	"jiefen/internal/sqlstore"
)

// apiStores wires the API's stores: each handler file and middleware of
// httpapi names the small interface it uses, and the store serves them
// all. The clock is read through db.Now at each call, so that replacing
// it (as tests do) moves the API's time too.
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
