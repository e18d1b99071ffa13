package auth_test

import (
	"testing"

	"jiefen"
	"jiefen/internal/auth"
)

func TestScopeOf(t *testing.T) {
	for _, tc := range []struct {
		actor jiefen.Actor
		want  auth.Scope
	}{
		{jiefen.Actor{Username: "lead", Role: jiefen.RoleLeader}, auth.Scope{AllDisputes: true}},
		{jiefen.Actor{Username: "desk", Role: jiefen.RoleIntake}, auth.Scope{AllDisputes: true}},
		{jiefen.Actor{Username: "desk-zl", Role: jiefen.RoleIntake, OrgCode: "RZ-ZL"}, auth.Scope{IntakeOrg: "RZ-ZL"}},
		{jiefen.Actor{Username: "med", Role: jiefen.RoleMediator, OrgCode: "RZ-ZL-TWH"}, auth.Scope{Mediator: "med"}},
		{jiefen.Actor{Username: "gaj", Role: jiefen.RoleAgencyStaff, OrgCode: "RZ-GAJ"}, auth.Scope{Agency: "RZ-GAJ"}},
		{jiefen.Actor{Username: "lost", Role: jiefen.RoleAgencyStaff}, auth.Scope{Agency: auth.NoAgency}},
		{jiefen.Actor{Username: "liaison", Role: jiefen.RoleCourtLiaison, OrgCode: "RZ-SFJ"}, auth.Scope{}},
		{jiefen.Actor{Username: "fuyi", Role: jiefen.RoleReconsideration, OrgCode: "RZ-SFJ"}, auth.Scope{}},
	} {
		if got := auth.ScopeOf(tc.actor); got != tc.want {
			t.Errorf("ScopeOf(%s as %s) = %+v, want %+v", tc.actor.Username, tc.actor.Role, got, tc.want)
		}
	}
}
