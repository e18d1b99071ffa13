package sqlstore

import (
	"context"

	"gorm.io/gorm"

	"jiefen"
	"jiefen/mediation"
)

// MediationCase returns a mediation case.
func (db *DB) MediationCase(ctx context.Context, id int64) (mediation.Case, error) {
	return db.mediationCase(db.read(ctx), id)
}

func (db *DB) mediationCase(q *gorm.DB, id int64) (mediation.Case, error) {
	var r mediationCaseRow
	if err := q.Where("id = ?", id).Take(&r).Error; err != nil {
		return mediation.Case{}, translate(err)
	}
	var code string
	if err := q.Raw("SELECT code FROM disputes WHERE id = ?", r.DisputeID).Scan(&code).Error; err != nil {
		return mediation.Case{}, translate(err)
	}
	return mediation.Case{ID: r.ID, DisputeID: r.DisputeID, DisputeCode: code, Track: r.Track, OrgCode: r.OrgCode,
		Assignee: r.Assignee, AssignReason: r.AssignReason, State: mediation.State(r.State), OpenedOn: r.OpenedOn.Date, ClockRule: r.ClockRule,
		Clocks: []mediation.Clock{}, Version: r.Version, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}, nil
}

// AssignMediationCase hands a case to a mediator on the intake desk's word:
// the assignee must be an active mediator of the case's org and not
// recused; a closed or transferred case cannot be assigned. The assignment
// is recorded with its reason, and the dispute follows.
func (db *DB) AssignMediationCase(ctx context.Context, id int64, a mediation.Assignment) (mediation.Case, error) {
	actor, _ := jiefen.ActorFrom(ctx)
	now := db.Now()
	err := db.tx(ctx, func(tx *gorm.DB) error {
		var r mediationCaseRow
		if err := tx.Raw("SELECT * FROM mediation_cases WHERE id = ?"+db.forUpdate(), id).Scan(&r).Error; err != nil {
			return err
		}
		if r.ID == 0 {
			return jiefen.Errorf(jiefen.ENOTFOUND, "no mediation case %d", id)
		}
		for _, s := range closedCaseStates {
			if r.State == s {
				return jiefen.Errorf(jiefen.ECONFLICT, "the case is %s; it cannot be assigned", r.State)
			}
		}
		var u userRow
		err := tx.Where("username = ? AND role = ? AND org_code = ? AND active = ?", a.Assignee,
			string(jiefen.RoleMediator), r.OrgCode, true).Take(&u).Error
		if err == gorm.ErrRecordNotFound {
			var p jiefen.Problems
			p.Add("assignee", "%q is not an active mediator of org %s", a.Assignee, r.OrgCode)
			return p.Err()
		} else if err != nil {
			return err
		}
		var recused string
		if err := tx.Raw("SELECT recused FROM disputes WHERE id = ?", r.DisputeID).Scan(&recused).Error; err != nil {
			return err
		}
		for _, n := range splitList(recused) {
			if n == a.Assignee {
				var p jiefen.Problems
				p.Add("assignee", "%q is recused from this dispute (回避)", a.Assignee)
				return p.Err()
			}
		}
		state := r.State
		if state == string(mediation.StateWaiting) {
			state = string(mediation.StateAssigned)
		}
		if err := tx.Model(&mediationCaseRow{}).Where("id = ?", id).Updates(map[string]any{"assignee": a.Assignee,
			"assign_reason": "assigned by the intake desk", "state": state, "assigned_at": now, "version": r.Version + 1, "updated_at": now}).Error; err != nil {
			return err
		}
		if err := tx.Create(&assignmentRow{CaseID: id, Assignee: a.Assignee, Reason: "assigned by the intake desk",
			At: now, ByUser: actor.Username}).Error; err != nil {
			return err
		}
		if err := tx.Exec("UPDATE users SET last_assigned_at = ? WHERE username = ?", now, a.Assignee).Error; err != nil {
			return err
		}
		if err := tx.Model(&disputeRow{}).Where("id = ? AND track = ? AND org_code = ?", r.DisputeID, r.Track, r.OrgCode).Updates(map[string]any{
			"assignee": a.Assignee, "status": "routed", "version": gorm.Expr("version + 1"), "updated_at": now}).Error; err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, change{action: "mediation.assign", targetType: "mediation_case",
			targetID: itoa(id), before: map[string]any{"assignee": r.Assignee, "state": r.State},
			after: map[string]any{"assignee": a.Assignee, "state": state}})
	})
	if err != nil {
		return mediation.Case{}, err
	}
	return db.MediationCase(ctx, id)
}
