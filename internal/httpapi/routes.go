package httpapi

import (
	"jiefen"
	"jiefen/internal/web"
)

// Role sets used by the routes (API.md, "Roles").
var (
	onlyAdmin   = []jiefen.Role{jiefen.RoleAdmin}
	onlyAuditor = []jiefen.Role{jiefen.RoleAuditor}
	// accountManagers manage accounts, each those of the roles
	// auth.Manages gives it (三员分立).
	accountManagers = []jiefen.Role{jiefen.RoleAdmin, jiefen.RoleSecurity}
	// everyoneButAuditor: the auditor reads the audit log and nothing else.
	// disputeReaders: intake desks (their org's), mediators (their cases'),
	// leaders (all).
	disputeReaders     = []jiefen.Role{jiefen.RoleIntake, jiefen.RoleMediator, jiefen.RoleLeader}
	everyoneButAuditor = []jiefen.Role{jiefen.RoleAdmin, jiefen.RoleIntake, jiefen.RoleMediator,
		jiefen.RoleReconsideration, jiefen.RoleAgencyStaff, jiefen.RoleCourtLiaison, jiefen.RoleLeader}
)

// routes registers every route of the API in one place, each with the roles
// that may use it.
func (s *Server) routes() {
	e := s.engine
	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/metrics", s.metricsHandler())
	e.GET("/openapi.json", s.openAPI)
	web.Register(e) // the dashboard's pages and assets

	v1 := e.Group("/api/v1")
	v1.POST("/auth/login", s.login)

	a := v1.Group("", s.authenticate)
	a.POST("/auth/logout", s.logout)
	a.GET("/auth/me", s.me)
	a.POST("/auth/password", s.changePassword)
	a.GET("/auth/password-policy", s.getPasswordPolicy) // every user: the 修改密码 page shows the rules
	a.PUT("/auth/password-policy", s.allow(jiefen.RoleSecurity), s.putPasswordPolicy)

	a.GET("/users", s.allow(accountManagers...), s.listUsers)
	a.POST("/users", s.allow(accountManagers...), s.idempotent, s.createUser)
	a.GET("/users/:username", s.allow(accountManagers...), s.getUser)
	a.POST("/users/:username/reset-password", s.allow(accountManagers...), s.resetPassword)
	a.POST("/users/:username/unlock", s.allow(accountManagers...), s.unlockUser)
	a.POST("/users/:username/disable", s.allow(accountManagers...), s.disableUser)
	a.POST("/users/:username/enable", s.allow(accountManagers...), s.enableUser)

	a.GET("/orgs", s.allow(everyoneButAuditor...), s.listOrgs)
	a.POST("/orgs", s.allow(onlyAdmin...), s.idempotent, s.createOrg)
	a.GET("/orgs/:code", s.allow(everyoneButAuditor...), s.getOrg)
	a.PATCH("/orgs/:code", s.allow(onlyAdmin...), s.patchOrg)

	a.POST("/disputes", s.allow(jiefen.RoleIntake), s.createDispute) // idempotency inside the intake transaction
	a.GET("/disputes", s.allow(disputeReaders...), s.listDisputes)
	a.GET("/disputes/:id", s.allow(disputeReaders...), s.getDispute)
	a.POST("/disputes/:id/transfers", s.allow(jiefen.RoleIntake), s.transferDispute)
	a.POST("/routing/preview", s.allow(jiefen.RoleIntake, jiefen.RoleAdmin), s.previewRouting)
	a.GET("/routing/rules", s.allow(onlyAdmin...), s.routingRules)
	a.PUT("/routing/rules", s.allow(onlyAdmin...), s.putRoutingRules)
	a.GET("/mediation/cases", s.allow(disputeReaders...), s.listCases)
	a.GET("/mediation/cases/:id", s.allow(disputeReaders...), s.getCase)
	a.GET("/mediation/cases/:id/agreement", s.allow(disputeReaders...), s.printAgreement)
	a.POST("/mediation/cases/:id/assign", s.allow(jiefen.RoleIntake), s.assignCase)
	m := a.Group("/mediation/cases/:id", s.allow(jiefen.RoleMediator)) // the case's own mediator
	m.POST("/accept", s.acceptCase())
	m.POST("/sessions", s.addSession())
	m.POST("/agreement", s.agree())
	m.POST("/failure", s.failCase)
	m.POST("/confirmation", s.confirmation())
	m.POST("/followups", s.followUp())
	m.POST("/rectification", s.rectify())
	m.POST("/close", s.closeCase())
	reconReaders := []jiefen.Role{jiefen.RoleReconsideration, jiefen.RoleAgencyStaff, jiefen.RoleLeader}
	a.POST("/reconsideration/cases", s.allow(jiefen.RoleReconsideration), s.createReconsideration)
	a.GET("/reconsideration/cases", s.allow(reconReaders...), s.listReconsideration)
	a.GET("/reconsideration/cases/:id", s.allow(reconReaders...), s.getReconsideration)
	a.GET("/reconsideration/cases/:id/documents/:doc", s.allow(reconReaders...), s.reconDocument)
	a.GET("/reconsideration/stats", s.allow(jiefen.RoleReconsideration, jiefen.RoleLeader), s.reconStats)
	a.POST("/reconsideration/cases/:id/reply", s.allow(jiefen.RoleReconsideration, jiefen.RoleAgencyStaff), s.reconReply())
	r := a.Group("/reconsideration/cases/:id", s.allow(jiefen.RoleReconsideration))
	r.POST("/acceptance", s.reconAcceptance())
	r.POST("/materials", s.reconMaterials())
	r.POST("/copy", s.reconCopy())
	r.POST("/hearings", s.reconHearing())
	r.POST("/committee_reviews", s.reconCommittee())
	r.POST("/suspensions", s.reconSuspend())
	r.POST("/resumptions", s.reconResume())
	r.POST("/extension", s.reconExtend())
	r.POST("/decision", s.reconDecide())
	litWriters := []jiefen.Role{jiefen.RoleCourtLiaison, jiefen.RoleAgencyStaff}
	litReaders := []jiefen.Role{jiefen.RoleCourtLiaison, jiefen.RoleAgencyStaff, jiefen.RoleLeader}
	a.POST("/litigation/cases", s.allow(litWriters...), s.createLitigation)
	a.GET("/litigation/cases", s.allow(litReaders...), s.listLitigation)
	a.GET("/litigation/cases/:id", s.allow(litReaders...), s.getLitigation)
	a.PATCH("/litigation/cases/:id", s.allow(litWriters...), s.patchLitigation)
	a.POST("/litigation/cases/:id/hearings", s.allow(litWriters...), s.addLitigationHearing)
	a.POST("/litigation/cases/:id/outcome", s.allow(litWriters...), s.concludeLitigation)
	a.GET("/litigation/stats", s.allow(litReaders...), s.litigationStats)
	a.GET("/litigation/stats/cases", s.allow(litReaders...), s.statsCases)
	a.GET("/litigation/stats/snapshots", s.allow(litReaders...), s.litigationSnapshots)
	a.GET("/litigation/double-decline", s.allow(jiefen.RoleCourtLiaison, jiefen.RoleLeader), s.doubleDecline)
	a.GET("/litigation/interviews/candidates", s.allow(jiefen.RoleCourtLiaison, jiefen.RoleLeader), s.interviewCandidates)
	a.GET("/litigation/interviews", s.allow(jiefen.RoleCourtLiaison, jiefen.RoleLeader), s.listInterviews)
	a.POST("/litigation/interviews", s.allow(jiefen.RoleLeader), s.createInterview)
	a.POST("/litigation/interviews/:id/follow-up", s.allow(jiefen.RoleLeader), s.followUpInterview)
	a.POST("/litigation/imports", s.allow(jiefen.RoleCourtLiaison), s.importCaseload)
	a.GET("/litigation/reconciliation", s.allow(jiefen.RoleCourtLiaison, jiefen.RoleLeader), s.reconciliation)
	a.GET("/litigation/alerts", s.allow(litReaders...), s.appearanceAlerts)
	ledgerReaders := []jiefen.Role{jiefen.RoleCourtLiaison, jiefen.RoleAgencyStaff, jiefen.RoleLeader}
	a.POST("/ledger/issues", s.allow(jiefen.RoleCourtLiaison), s.createIssue)
	a.GET("/ledger/issues", s.allow(ledgerReaders...), s.listIssues)
	a.GET("/ledger/issues/:id", s.allow(ledgerReaders...), s.getIssue)
	a.POST("/ledger/issues/:id/reports", s.allow(jiefen.RoleCourtLiaison, jiefen.RoleAgencyStaff), s.issueReport())
	a.POST("/ledger/issues/:id/advance", s.allow(jiefen.RoleCourtLiaison), s.issueAdvance())
	a.POST("/ledger/issues/:id/comments", s.allow(jiefen.RoleCourtLiaison, jiefen.RoleLeader), s.issueComment())
	a.POST("/judicial-suggestions", s.allow(jiefen.RoleCourtLiaison), s.createSuggestion)
	a.GET("/judicial-suggestions", s.allow(ledgerReaders...), s.listSuggestions)
	a.POST("/judicial-suggestions/:id/reply", s.allow(jiefen.RoleCourtLiaison, jiefen.RoleAgencyStaff), s.replySuggestion)
	a.GET("/mediation/subsidies", s.allow(jiefen.RoleMediator, jiefen.RoleLeader), s.subsidies)
	a.GET("/mediation/ratings", s.allow(jiefen.RoleLeader), s.ratings)

	a.GET("/deadlines", s.allow(everyoneButAuditor...), s.deadline)
	a.GET("/deadlines/rules", s.allow(everyoneButAuditor...), s.deadlineRules)
	a.GET("/calendar", s.allow(everyoneButAuditor...), s.calendarYears)
	a.GET("/calendar/:year", s.allow(everyoneButAuditor...), s.calendarYear)
	a.PUT("/calendar/:year", s.allow(onlyAdmin...), s.putCalendarYear)

	a.GET("/clocks/summary", s.allow(jiefen.RoleLeader), s.clocksSummary)
	a.GET("/jobs", s.allow(onlyAdmin...), s.listJobs)
	a.GET("/jobs/runs", s.allow(onlyAdmin...), s.jobRuns)
	a.GET("/notifications", s.allow(everyoneButAuditor...), s.listNotifications)
	a.POST("/notifications/:id/read", s.allow(everyoneButAuditor...), s.readNotification)
	a.POST("/notifications/read-all", s.allow(everyoneButAuditor...), s.readAllNotifications)
	a.GET("/notifications/deliveries", s.allow(onlyAdmin...), s.listDeliveries)

	a.GET("/audit", s.allow(onlyAuditor...), s.listAudit)
	a.GET("/audit/verify", s.allow(onlyAuditor...), s.verifyAudit)
}
