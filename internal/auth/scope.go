package auth

import "jiefen"

// Scope is what a caller may see of the records (数据范围): one answer,
// from the caller's role and org, that every handler and query applies.
//
//   - Disputes and their mediation cases: a leader sees all, an intake desk
//     the disputes its org took in or was routed (all without an org), a
//     mediator those whose case they hold; anyone else none.
//   - Cases against an agency (lawsuits, reconsiderations, the ledger
//     issues it leads, the judicial suggestions addressed to it): agency
//     staff their own agency's only, everyone else the role allows
//     without limit.
type Scope struct {
	AllDisputes bool   // every dispute
	IntakeOrg   string // the disputes this org took in or was routed
	Mediator    string // the disputes whose case this mediator holds
	// Agency limits the cases against an agency to this one's; "" is no
	// limit, and NoAgency (staff without an agency) sees none.
	Agency string
}

// NoAgency is the Agency of agency staff without an agency: it matches no
// org, so they see no case.
const NoAgency = "-"

// ScopeOf is the scope of the actor.
func ScopeOf(a jiefen.Actor) Scope {
	switch a.Role {
	case jiefen.RoleLeader:
		return Scope{AllDisputes: true}
	case jiefen.RoleIntake:
		if a.OrgCode == "" {
			return Scope{AllDisputes: true}
		}
		return Scope{IntakeOrg: a.OrgCode}
	case jiefen.RoleMediator:
		return Scope{Mediator: a.Username}
	case jiefen.RoleAgencyStaff:
		if a.OrgCode == "" {
			return Scope{Agency: NoAgency}
		}
		return Scope{Agency: a.OrgCode}
	}
	return Scope{}
}
