package sqlstore

import (
	"context"
	"time"

	"gorm.io/gorm"

	"jiefen"
	"jiefen/internal/auth"
)

type passwordPolicyRow struct {
	ID                   int `gorm:"primaryKey"`
	MinLength            int
	MinClasses           int
	MaxAgeDays           int
	LockoutFailures      int
	LockoutWindowMinutes int
	LockoutMinutes       int
	Version              int64
	UpdatedAt            time.Time
	UpdatedBy            string
}

func (passwordPolicyRow) TableName() string { return "password_policy" }

func (r passwordPolicyRow) policy() auth.PasswordPolicy {
	return auth.PasswordPolicy{MinLength: r.MinLength, MinClasses: r.MinClasses, MaxAgeDays: r.MaxAgeDays,
		LockoutFailures: r.LockoutFailures, LockoutWindowMinutes: r.LockoutWindowMinutes, LockoutMinutes: r.LockoutMinutes,
		Version: r.Version}
}

// set copies p's rules (not its version) into r.
func (r *passwordPolicyRow) set(p auth.PasswordPolicy) {
	r.MinLength, r.MinClasses, r.MaxAgeDays = p.MinLength, p.MinClasses, p.MaxAgeDays
	r.LockoutFailures, r.LockoutWindowMinutes, r.LockoutMinutes = p.LockoutFailures, p.LockoutWindowMinutes, p.LockoutMinutes
}

// passwordPolicyID is the id of the policy's one row.
const passwordPolicyID = 1

// PasswordPolicy returns the stored password policy, which every replica
// applies. When none is stored yet, seed (the configured policy) is stored
// as version 1, by the actor "system" and audited as auth.password_policy;
// a replica that loses the race to store it reads the winner's.
func (s Users) PasswordPolicy(ctx context.Context, seed auth.PasswordPolicy) (auth.PasswordPolicy, error) {
	var rows []passwordPolicyRow
	if err := s.read(ctx).Where("id = ?", passwordPolicyID).Find(&rows).Error; err != nil {
		return auth.PasswordPolicy{}, translate(err)
	}
	if len(rows) == 1 {
		return rows[0].policy(), nil
	}
	row := passwordPolicyRow{ID: passwordPolicyID, Version: 1, UpdatedAt: s.Now(), UpdatedBy: "system"}
	row.set(seed)
	sys := jiefen.NewContextWithActor(ctx, jiefen.Actor{Username: "system"})
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		return s.appendAudit(sys, tx, change{action: "auth.password_policy", targetType: "password_policy",
			targetID: "1", after: row.policy()})
	})
	if jiefen.ErrorCodeOf(err) == jiefen.ECONFLICT {
		if err := s.read(ctx).Where("id = ?", passwordPolicyID).Take(&row).Error; err != nil {
			return auth.PasswordPolicy{}, translate(err)
		}
		return row.policy(), nil
	}
	if err != nil {
		return auth.PasswordPolicy{}, err
	}
	return row.policy(), nil
}

// PutPasswordPolicy replaces the stored policy with p's rules, audited as
// auth.password_policy with the old and new values. ifVersion must be the
// stored version (412 otherwise); the caller has validated p.
func (s Users) PutPasswordPolicy(ctx context.Context, p auth.PasswordPolicy, ifVersion int64) (auth.PasswordPolicy, error) {
	actor, _ := jiefen.ActorFrom(ctx)
	var row passwordPolicyRow
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var rows []passwordPolicyRow
		if err := tx.Raw("SELECT * FROM password_policy WHERE id = ?"+s.forUpdate(), passwordPolicyID).Scan(&rows).Error; err != nil {
			return err
		}
		if len(rows) == 0 || rows[0].Version != ifVersion {
			return jiefen.Errorf(jiefen.EPRECONDITION, "密码策略已被修改，请刷新后再保存")
		}
		row = rows[0]
		before := row.policy()
		row.set(p)
		row.Version, row.UpdatedAt, row.UpdatedBy = row.Version+1, s.Now(), actor.Username
		if err := tx.Save(&row).Error; err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, change{action: "auth.password_policy", targetType: "password_policy",
			targetID: "1", before: before, after: row.policy()})
	})
	if err != nil {
		return auth.PasswordPolicy{}, err
	}
	return row.policy(), nil
}
