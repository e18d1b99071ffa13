// Package wiring joins the database's stores to the API's interfaces: cmd/jiefen
// wires the service through it, and the API tests and the benchmarks wire
// theirs the same way, so there is one wiring to read.
package wiring

import (
	"time"

	"jiefen/internal/httpapi"
	"jiefen/internal/sqlstore"
)

// API wires the API to the database: each handler file and
// middleware of httpapi names the small interface it uses, and one or more
// of the database's stores serve it. A handler that shows names or reads
// across domains (a dispute's mediation case, an org's name) is served by
// the stores of those domains together. The clock is read through db.Now
// at each call, so that replacing it (as tests do) moves the API's time
// too.
func API(db *sqlstore.DB) httpapi.Stores {
	type (
		orgs  = sqlstore.Orgs
		users = sqlstore.Users
	)
	return httpapi.Stores{
		Database:    db,
		Sessions:    db.Users,
		Idempotency: db.Idempotency,
		Auth: struct {
			users
			orgs
		}{db.Users, db.Orgs},
		Orgs: db.Orgs,
		Disputes: struct {
			sqlstore.Disputes
			sqlstore.Mediation
			sqlstore.Reconsideration
			sqlstore.Routing
		}{db.Disputes, db.Mediation, db.Reconsideration, db.Routing},
		Mediation: struct {
			sqlstore.Mediation
			sqlstore.Disputes
			orgs
			users
		}{db.Mediation, db.Disputes, db.Orgs, db.Users},
		Reconsideration: struct {
			sqlstore.Reconsideration
			orgs
		}{db.Reconsideration, db.Orgs},
		Litigation: struct {
			sqlstore.Litigation
			orgs
		}{db.Litigation, db.Orgs},
		CourtSync: struct {
			sqlstore.CourtSync
			orgs
		}{db.CourtSync, db.Orgs},
		Liaison: struct {
			sqlstore.Liaison
			orgs
		}{db.Liaison, db.Orgs},
		Calendar: struct {
			sqlstore.Calendar
			sqlstore.Clocks
		}{db.Calendar, db.Clocks},
		Jobs: struct {
			sqlstore.Jobs
			sqlstore.Clocks
			sqlstore.Notifications
		}{db.Jobs, db.Clocks, db.Notifications},
		Audit: db.Audit,
		Report: struct {
			sqlstore.Disputes
			sqlstore.Mediation
			sqlstore.Reconsideration
			sqlstore.Litigation
			sqlstore.Liaison
			sqlstore.Audit
			orgs
		}{db.Disputes, db.Mediation, db.Reconsideration, db.Litigation, db.Liaison, db.Audit, db.Orgs},
		Now: func() time.Time { return db.Now() },
	}
}
