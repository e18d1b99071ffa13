package sqlstore

// The stores, one per domain. Each is a view of the one connection (conn)
// and runs its use cases in transactions through conn.tx; DB holds one of
// each. The file a store's methods live in is named after its records. A
// use case that needs another domain's step views the same connection as
// that store, by conversion: Litigation(s).AlertCases(…).

// Disputes registers disputes (intake.go: batched, routed, numbered),
// reads and lists them and transfers them (disputes_read.go), and picks
// their mediators (disputes.go).
type Disputes struct{ *conn }

// Mediation keeps the mediation cases: their actions, clocks, follow-ups,
// subsidies and ratings (mediation.go).
type Mediation struct{ *conn }

// Reconsideration keeps the administrative reconsideration cases
// (reconsideration.go).
type Reconsideration struct{ *conn }

// Litigation keeps the administrative lawsuits, their statistics, the
// interviews of agency heads (litigation.go) and the monthly snapshots of
// the loss rates (snapshot.go).
type Litigation struct{ *conn }

// CourtSync imports the court's caseload in bulk and reconciles it with
// the lawsuits kept (courtsync.go).
type CourtSync struct{ *conn }

// Liaison keeps the joint-meeting ledger: issues and judicial suggestions
// (liaison.go).
type Liaison struct{ *conn }

// Orgs keeps the organisations (orgs.go).
type Orgs struct{ *conn }

// Routing keeps the routing rules as the administrator last saved them
// (routing.go).
type Routing struct{ *conn }

// Calendar keeps the holiday notices imported at run time (calendar.go).
type Calendar struct{ *conn }

// Users keeps the accounts, sessions and the password policy (users.go,
// accounts.go, password_policy.go).
type Users struct{ *conn }

// Idempotency keeps the answers of requests sent with an Idempotency-Key
// (idempotency.go).
type Idempotency struct{ *conn }

// Notifications keeps the users' notifications and the webhook deliveries
// (notify.go).
type Notifications struct{ *conn }

// Audit reads, verifies, anchors and archives the audit chain (audit.go,
// audit_anchor.go, audit_archive.go).
type Audit struct{ *conn }

// Clocks runs the scans of the statutory clocks: overdue, due soon,
// hearings, deemed acceptance, and the recounts (scans.go).
type Clocks struct{ *conn }

// Jobs keeps the scheduled jobs' ticks and runs (jobs.go).
type Jobs struct{ *conn }
