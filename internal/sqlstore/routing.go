package sqlstore

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"gorm.io/gorm"

	"jiefen"
	"jiefen/routing"
)

type ruleSetRow struct {
	Version   int `gorm:"primaryKey;autoIncrement:false"`
	Doc       string
	CreatedAt time.Time
	CreatedBy string
}

func (ruleSetRow) TableName() string { return "routing_rule_sets" }

// RoutingRulesVersion returns the newest routing rules version, 0 for none.
func (s Routing) RoutingRulesVersion(ctx context.Context) (int, error) {
	var v int
	err := s.read(ctx).Raw("SELECT COALESCE(MAX(version), 0) FROM routing_rule_sets").Scan(&v).Error
	return v, translate(err)
}

// RoutingRules returns the newest routing rules.
func (s Routing) RoutingRules(ctx context.Context) (routing.RuleSet, error) {
	var r ruleSetRow
	if err := s.read(ctx).Order("version DESC").Limit(1).Take(&r).Error; err != nil {
		return routing.RuleSet{}, translate(err)
	}
	var set routing.RuleSet
	if err := json.Unmarshal([]byte(r.Doc), &set); err != nil {
		return routing.RuleSet{}, jiefen.Wrap(jiefen.EINTERNAL, err, "stored routing rules are unreadable")
	}
	set.Version = r.Version
	return set, nil
}

// PutRoutingRules stores set as the next version (audited). check validates
// it against the org directory inside the transaction; ifVersion, when not
// 0, must be the newest version.
func (s Routing) PutRoutingRules(ctx context.Context, set routing.RuleSet, ifVersion int, check func(orgExists func(string) bool) error) (routing.RuleSet, error) {
	return s.putRoutingRules(ctx, set, func(cur int) error {
		if ifVersion != 0 && ifVersion != cur {
			return jiefen.Errorf(jiefen.EPRECONDITION, "the routing rules have changed (version %d); fetch them again", cur)
		}
		return nil
	}, check)
}

// SeedRoutingRules stores set as version 1 when no rules are stored yet,
// and reports whether it did. Replicas started together on an empty
// database all seed: one stores the rules, the others find them stored
// (or lose the race on version 1's key) and store nothing.
func (s Routing) SeedRoutingRules(ctx context.Context, set routing.RuleSet, check func(orgExists func(string) bool) error) (bool, error) {
	errSeeded := errors.New("seeded already")
	_, err := s.putRoutingRules(ctx, set, func(cur int) error {
		if cur != 0 {
			return errSeeded
		}
		return nil
	}, check)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, errSeeded), jiefen.ErrorCodeOf(err) == jiefen.ECONFLICT:
		return false, nil
	}
	return false, err
}

// putRoutingRules stores set as the version after the newest, cur, if
// want(cur) lets it.
func (s Routing) putRoutingRules(ctx context.Context, set routing.RuleSet, want func(cur int) error, check func(orgExists func(string) bool) error) (routing.RuleSet, error) {
	actor, _ := jiefen.ActorFrom(ctx)
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var cur int
		if err := tx.Raw("SELECT COALESCE(MAX(version), 0) FROM routing_rule_sets").Scan(&cur).Error; err != nil {
			return err
		}
		if err := want(cur); err != nil {
			return err
		}
		var codes []string
		if err := tx.Model(&orgRow{}).Pluck("code", &codes).Error; err != nil {
			return err
		}
		known := map[string]bool{}
		for _, c := range codes {
			known[c] = true
		}
		if err := check(func(c string) bool { return known[c] }); err != nil {
			var p jiefen.Problems
			p.Add("rules", "%v", err)
			return p.Err()
		}
		set.Version = cur + 1
		doc, err := json.Marshal(set)
		if err != nil {
			return err
		}
		if err := tx.Create(&ruleSetRow{Version: set.Version, Doc: string(doc), CreatedAt: s.Now(), CreatedBy: actor.Username}).Error; err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, change{action: "routing.rules_put", targetType: "routing_rules",
			targetID: itoa(int64(set.Version)), after: set})
	})
	return set, err
}

// EnsureOrgs creates the orgs that do not exist yet, parents first, and
// leaves existing ones as they are. It returns how many it created.
func (s Orgs) EnsureOrgs(ctx context.Context, orgs []jiefen.Org) (int, error) {
	created := 0
	pending := orgs
	for len(pending) > 0 {
		var next []jiefen.Org
		progress := false
		for _, o := range pending {
			if _, err := s.Org(ctx, o.Code); err == nil {
				progress = true
				continue
			} else if jiefen.ErrorCodeOf(err) != jiefen.ENOTFOUND {
				return created, err
			}
			if o.ParentCode != "" {
				if _, err := s.Org(ctx, o.ParentCode); err != nil {
					next = append(next, o)
					continue
				}
			}
			if _, err := s.CreateOrg(ctx, o); err != nil && jiefen.ErrorCodeOf(err) != jiefen.ECONFLICT {
				return created, err
			} else if err == nil {
				created++
			}
			progress = true
		}
		if !progress {
			return created, jiefen.Errorf(jiefen.EINVALID, "org %s names a parent that does not exist", next[0].Code)
		}
		pending = next
	}
	return created, nil
}
