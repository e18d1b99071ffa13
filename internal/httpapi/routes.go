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
// that may use it, and builds each handler type on its store.
func (s *Server) routes(st Stores) {
	accounts := &authAPI{Server: s, store: st.Auth}
	orgs := &orgsAPI{Server: s, store: st.Orgs}
	disputes := &disputeAPI{Server: s, store: st.Disputes}
	cases := &mediationAPI{Server: s, store: st.Mediation}
	recon := &reconsiderationAPI{Server: s, store: st.Reconsideration}
	lit := &litigationAPI{Server: s, store: st.Litigation}
	court := &courtSyncAPI{Server: s, store: st.CourtSync}
	ledger := &liaisonAPI{Server: s, store: st.Liaison}
	cal := &calendarAPI{Server: s, store: st.Calendar}
	jobs := &jobsAPI{Server: s, store: st.Jobs}
	audit := &auditAPI{Server: s, store: st.Audit}
	reports := &reportAPI{Server: s, store: st.Report}

	e := s.engine
	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/metrics", s.metricsHandler())
	e.GET("/openapi.json", s.openAPI)
	web.Register(e) // the dashboard's pages and assets

	v1 := e.Group("/api/v1")
	v1.POST("/auth/login", accounts.login)

	a := v1.Group("", s.authenticate)
	a.POST("/auth/logout", accounts.logout)
	a.GET("/auth/me", accounts.me)
	a.POST("/auth/password", accounts.changePassword)
	a.GET("/auth/password-policy", accounts.getPasswordPolicy) // every user: the 修改密码 page shows the rules
	a.PUT("/auth/password-policy", s.allow(jiefen.RoleSecurity), accounts.putPasswordPolicy)

	a.GET("/users", s.allow(accountManagers...), accounts.listUsers)
	a.POST("/users", s.allow(accountManagers...), s.idempotent, accounts.createUser)
	a.GET("/users/:username", s.allow(accountManagers...), accounts.getUser)
	a.POST("/users/:username/reset-password", s.allow(accountManagers...), accounts.resetPassword)
	a.POST("/users/:username/unlock", s.allow(accountManagers...), accounts.unlockUser)
	a.POST("/users/:username/disable", s.allow(accountManagers...), accounts.disableUser)
	a.POST("/users/:username/enable", s.allow(accountManagers...), accounts.enableUser)

	a.GET("/orgs", s.allow(everyoneButAuditor...), orgs.listOrgs)
	a.POST("/orgs", s.allow(onlyAdmin...), s.idempotent, orgs.createOrg)
	a.GET("/orgs/:code", s.allow(everyoneButAuditor...), orgs.getOrg)
	a.PATCH("/orgs/:code", s.allow(onlyAdmin...), orgs.patchOrg)

	a.POST("/disputes", s.allow(jiefen.RoleIntake), disputes.createDispute) // idempotency inside the intake transaction
	a.GET("/disputes", s.allow(disputeReaders...), disputes.listDisputes)
	a.GET("/disputes/:id", s.allow(disputeReaders...), disputes.getDispute)
	a.POST("/disputes/:id/transfers", s.allow(jiefen.RoleIntake), disputes.transferDispute)
	a.POST("/routing/preview", s.allow(jiefen.RoleIntake, jiefen.RoleAdmin), disputes.previewRouting)
	a.GET("/routing/rules", s.allow(onlyAdmin...), disputes.routingRules)
	a.PUT("/routing/rules", s.allow(onlyAdmin...), disputes.putRoutingRules)
	a.GET("/mediation/cases", s.allow(disputeReaders...), cases.listCases)
	a.GET("/mediation/cases/:id", s.allow(disputeReaders...), cases.getCase)
	a.GET("/mediation/cases/:id/agreement", s.allow(disputeReaders...), cases.printAgreement)
	a.POST("/mediation/cases/:id/assign", s.allow(jiefen.RoleIntake), disputes.assignCase)
	m := a.Group("/mediation/cases/:id", s.allow(jiefen.RoleMediator)) // the case's own mediator
	m.POST("/accept", cases.acceptCase())
	m.POST("/sessions", cases.addSession())
	m.POST("/agreement", cases.agree())
	m.POST("/failure", cases.failCase)
	m.POST("/confirmation", cases.confirmation())
	m.POST("/followups", cases.followUp())
	m.POST("/rectification", cases.rectify())
	m.POST("/close", cases.closeCase())
	reconReaders := []jiefen.Role{jiefen.RoleReconsideration, jiefen.RoleAgencyStaff, jiefen.RoleLeader}
	a.POST("/reconsideration/cases", s.allow(jiefen.RoleReconsideration), recon.createReconsideration)
	a.GET("/reconsideration/cases", s.allow(reconReaders...), recon.listReconsideration)
	a.GET("/reconsideration/cases/:id", s.allow(reconReaders...), recon.getReconsideration)
	a.GET("/reconsideration/cases/:id/documents/:doc", s.allow(reconReaders...), recon.reconDocument)
	a.GET("/reconsideration/stats", s.allow(jiefen.RoleReconsideration, jiefen.RoleLeader), recon.reconStats)
	a.GET("/reconsideration/stats/cases", s.allow(jiefen.RoleReconsideration, jiefen.RoleLeader), recon.reconStatsCases)
	a.POST("/reconsideration/cases/:id/reply", s.allow(jiefen.RoleReconsideration, jiefen.RoleAgencyStaff), recon.reconReply())
	r := a.Group("/reconsideration/cases/:id", s.allow(jiefen.RoleReconsideration))
	r.POST("/acceptance", recon.reconAcceptance())
	r.POST("/materials", recon.reconMaterials())
	r.POST("/copy", recon.reconCopy())
	r.POST("/hearings", recon.reconHearing())
	r.POST("/committee_reviews", recon.reconCommittee())
	r.POST("/suspensions", recon.reconSuspend())
	r.POST("/resumptions", recon.reconResume())
	r.POST("/extension", recon.reconExtend())
	r.POST("/decision", recon.reconDecide())
	litWriters := []jiefen.Role{jiefen.RoleCourtLiaison, jiefen.RoleAgencyStaff}
	litReaders := []jiefen.Role{jiefen.RoleCourtLiaison, jiefen.RoleAgencyStaff, jiefen.RoleLeader}
	a.POST("/litigation/cases", s.allow(litWriters...), lit.createLitigation)
	a.GET("/litigation/cases", s.allow(litReaders...), lit.listLitigation)
	a.GET("/litigation/cases/:id", s.allow(litReaders...), lit.getLitigation)
	a.PATCH("/litigation/cases/:id", s.allow(litWriters...), lit.patchLitigation)
	a.POST("/litigation/cases/:id/hearings", s.allow(litWriters...), lit.addLitigationHearing)
	a.POST("/litigation/cases/:id/outcome", s.allow(litWriters...), lit.concludeLitigation)
	a.GET("/litigation/stats", s.allow(litReaders...), lit.litigationStats)
	a.GET("/litigation/stats/cases", s.allow(litReaders...), lit.statsCases)
	a.GET("/litigation/stats/snapshots", s.allow(litReaders...), lit.litigationSnapshots)
	a.GET("/reports/annual", s.allow(jiefen.RoleLeader, jiefen.RoleAdmin), reports.annual)
	a.GET("/litigation/double-decline", s.allow(jiefen.RoleCourtLiaison, jiefen.RoleLeader), lit.doubleDecline)
	a.GET("/litigation/interviews/candidates", s.allow(jiefen.RoleCourtLiaison, jiefen.RoleLeader), lit.interviewCandidates)
	a.GET("/litigation/interviews", s.allow(jiefen.RoleCourtLiaison, jiefen.RoleLeader), lit.listInterviews)
	a.POST("/litigation/interviews", s.allow(jiefen.RoleLeader), lit.createInterview)
	a.GET("/litigation/interviews/:id", s.allow(jiefen.RoleCourtLiaison, jiefen.RoleLeader), lit.getInterview)
	a.POST("/litigation/interviews/:id/follow-up", s.allow(jiefen.RoleLeader), lit.followUpInterview)
	a.POST("/litigation/imports", s.allow(jiefen.RoleCourtLiaison), court.importCaseload)
	a.GET("/litigation/reconciliation", s.allow(jiefen.RoleCourtLiaison, jiefen.RoleLeader), court.reconciliation)
	a.GET("/litigation/alerts", s.allow(litReaders...), lit.appearanceAlerts)
	ledgerReaders := []jiefen.Role{jiefen.RoleCourtLiaison, jiefen.RoleAgencyStaff, jiefen.RoleLeader}
	a.POST("/ledger/issues", s.allow(jiefen.RoleCourtLiaison), ledger.createIssue)
	a.GET("/ledger/issues", s.allow(ledgerReaders...), ledger.listIssues)
	a.GET("/ledger/stats", s.allow(jiefen.RoleCourtLiaison, jiefen.RoleLeader), ledger.ledgerStats)
	a.GET("/ledger/issues/:id", s.allow(ledgerReaders...), ledger.getIssue)
	a.POST("/ledger/issues/:id/reports", s.allow(jiefen.RoleCourtLiaison, jiefen.RoleAgencyStaff), ledger.issueReport())
	a.POST("/ledger/issues/:id/advance", s.allow(jiefen.RoleCourtLiaison), ledger.issueAdvance())
	a.POST("/ledger/issues/:id/comments", s.allow(jiefen.RoleCourtLiaison, jiefen.RoleLeader), ledger.issueComment())
	a.POST("/judicial-suggestions", s.allow(jiefen.RoleCourtLiaison), ledger.createSuggestion)
	a.GET("/judicial-suggestions", s.allow(ledgerReaders...), ledger.listSuggestions)
	a.POST("/judicial-suggestions/:id/reply", s.allow(jiefen.RoleCourtLiaison, jiefen.RoleAgencyStaff), ledger.replySuggestion)
	a.GET("/mediation/subsidies", s.allow(jiefen.RoleMediator, jiefen.RoleLeader), cases.subsidies)
	a.GET("/mediation/ratings", s.allow(jiefen.RoleLeader), cases.ratings)
	a.GET("/mediation/outcomes", s.allow(jiefen.RoleLeader), cases.outcomes)
	a.GET("/mediation/outcomes/cases", s.allow(jiefen.RoleLeader), cases.outcomeCases)

	a.GET("/deadlines", s.allow(everyoneButAuditor...), cal.deadline)
	a.GET("/deadlines/rules", s.allow(everyoneButAuditor...), cal.deadlineRules)
	a.GET("/calendar", s.allow(everyoneButAuditor...), cal.calendarYears)
	a.GET("/calendar/:year", s.allow(everyoneButAuditor...), cal.calendarYear)
	a.PUT("/calendar/:year", s.allow(onlyAdmin...), cal.putCalendarYear)

	a.GET("/clocks/summary", s.allow(jiefen.RoleLeader), jobs.clocksSummary)
	a.GET("/jobs", s.allow(onlyAdmin...), jobs.listJobs)
	a.GET("/jobs/runs", s.allow(onlyAdmin...), jobs.jobRuns)
	a.GET("/notifications", s.allow(everyoneButAuditor...), jobs.listNotifications)
	a.POST("/notifications/:id/read", s.allow(everyoneButAuditor...), jobs.readNotification)
	a.POST("/notifications/read-all", s.allow(everyoneButAuditor...), jobs.readAllNotifications)
	a.GET("/notifications/deliveries", s.allow(onlyAdmin...), jobs.listDeliveries)

	a.GET("/audit", s.allow(onlyAuditor...), audit.listAudit)
	a.GET("/audit/verify", s.allow(onlyAuditor...), audit.verifyAudit)
}
