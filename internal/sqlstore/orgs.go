package sqlstore

import (
	"context"
	"strconv"
	"time"

	"gorm.io/gorm"

	"jiefen"
)

type orgRow struct {
	ID         int64 `gorm:"primaryKey"`
	Code       string
	Name       string
	Kind       string
	ParentCode string
	Version    int64
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

func (orgRow) TableName() string { return "orgs" }

type orgAliasRow struct {
	Alias    string `gorm:"primaryKey"`
	OrgCode  string
	Position int
}

func (orgAliasRow) TableName() string { return "org_aliases" }

func (r orgRow) org(aliases []string) jiefen.Org {
	if aliases == nil {
		aliases = []string{}
	}
	return jiefen.Org{Code: r.Code, Name: r.Name, Kind: jiefen.OrgKind(r.Kind), Aliases: aliases,
		ParentCode: r.ParentCode, Version: r.Version, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
}

// orgExists returns an invalid error on field when no org has the code.
func orgExists(tx *gorm.DB, code, field string) error {
	var n int64
	if err := tx.Model(&orgRow{}).Where("code = ?", code).Count(&n).Error; err != nil {
		return err
	}
	if n == 0 {
		var p jiefen.Problems
		p.Add(field, "no org has the code %q", code)
		return p.Err()
	}
	return nil
}

// CreateOrg stores a new org. The code must be free (conflict), the parent
// must exist and each alias must name no other org (invalid, by field).
func (db *DB) CreateOrg(ctx context.Context, o jiefen.Org) (jiefen.Org, error) {
	o.Normalize()
	if err := o.Validate(); err != nil {
		return jiefen.Org{}, err
	}
	now := db.Now()
	row := orgRow{Code: o.Code, Name: o.Name, Kind: string(o.Kind), ParentCode: o.ParentCode, Version: 1, CreatedAt: now, UpdatedAt: now}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(&row).Error; err != nil {
			if isDuplicate(err) {
				return &jiefen.Error{Code: jiefen.ECONFLICT, Message: "an org with this code exists",
					Fields: []jiefen.FieldError{{Field: "code", Message: "is taken"}}}
			}
			return err
		}
		if o.ParentCode != "" {
			if err := orgExists(tx, o.ParentCode, "parent_code"); err != nil {
				return err
			}
		}
		if err := db.putAliases(tx, o.Code, o.Name, o.Aliases); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, change{action: "org.create", targetType: "org", targetID: o.Code, after: row.org(o.Aliases)})
	})
	if err != nil {
		return jiefen.Org{}, err
	}
	return row.org(o.Aliases), nil
}

// putAliases replaces the aliases of org code. An alias that another org
// already carries as alias is a conflict naming its field.
func (db *DB) putAliases(tx *gorm.DB, code, name string, aliases []string) error {
	if err := tx.Where("org_code = ?", code).Delete(&orgAliasRow{}).Error; err != nil {
		return err
	}
	for i, a := range aliases {
		var owner orgAliasRow
		err := tx.Where("alias = ?", a).Take(&owner).Error
		if err == nil {
			return &jiefen.Error{Code: jiefen.ECONFLICT, Message: "an alias names another org",
				Fields: []jiefen.FieldError{{Field: "aliases[" + strconv.Itoa(i) + "]", Message: "is already an alias of org " + owner.OrgCode}}}
		}
		if err != gorm.ErrRecordNotFound {
			return err
		}
		if err := tx.Create(&orgAliasRow{Alias: a, OrgCode: code, Position: i}).Error; err != nil {
			return err
		}
	}
	return nil
}

func (db *DB) aliases(q *gorm.DB, codes ...string) (map[string][]string, error) {
	var rows []orgAliasRow
	if err := q.Where("org_code IN ?", codes).Order("org_code, position").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make(map[string][]string, len(codes))
	for _, r := range rows {
		out[r.OrgCode] = append(out[r.OrgCode], r.Alias)
	}
	return out, nil
}

// Org returns the org with the given code.
func (db *DB) Org(ctx context.Context, code string) (jiefen.Org, error) {
	q := db.read(ctx)
	var row orgRow
	if err := q.Where("code = ?", code).Take(&row).Error; err != nil {
		return jiefen.Org{}, translate(err)
	}
	as, err := db.aliases(q, code)
	if err != nil {
		return jiefen.Org{}, translate(err)
	}
	return row.org(as[code]), nil
}

// OrgNames maps each of the codes that is an org's to the org's name, for
// showing orgs by name; a code of no org is left out.
func (db *DB) OrgNames(ctx context.Context, codes []string) (map[string]string, error) {
	out := make(map[string]string, len(codes))
	if len(codes) == 0 {
		return out, nil
	}
	var rows []struct{ Code, Name string }
	if err := db.read(ctx).Raw("SELECT code, name FROM orgs WHERE code IN ?", codes).Scan(&rows).Error; err != nil {
		return nil, translate(err)
	}
	for _, r := range rows {
		out[r.Code] = r.Name
	}
	return out, nil
}

// OrgFilter selects orgs for a list.
type OrgFilter struct {
	Kind    jiefen.OrgKind
	AfterID int64
	Limit   int
}

// ListOrgs returns orgs ordered by creation, with the id of the last one for
// the next page's cursor.
func (db *DB) ListOrgs(ctx context.Context, f OrgFilter) ([]jiefen.Org, int64, error) {
	q := db.read(ctx)
	var rows []orgRow
	sel := q.Where("id > ?", f.AfterID).Order("id").Limit(f.Limit)
	if f.Kind != "" {
		sel = sel.Where("kind = ?", string(f.Kind))
	}
	if err := sel.Find(&rows).Error; err != nil {
		return nil, 0, translate(err)
	}
	codes := make([]string, len(rows))
	for i, r := range rows {
		codes[i] = r.Code
	}
	out := make([]jiefen.Org, len(rows))
	if len(rows) == 0 {
		return out, 0, nil
	}
	as, err := db.aliases(q, codes...)
	if err != nil {
		return nil, 0, translate(err)
	}
	for i, r := range rows {
		out[i] = r.org(as[r.Code])
	}
	return out, rows[len(rows)-1].ID, nil
}

// UpdateOrg applies u to the org with the given code if its version is
// still ifVersion (precondition otherwise). The parent must exist and must
// not make a cycle.
func (db *DB) UpdateOrg(ctx context.Context, code string, ifVersion int64, u jiefen.OrgUpdate) (jiefen.Org, error) {
	var out jiefen.Org
	err := db.tx(ctx, func(tx *gorm.DB) error {
		var row orgRow
		if err := tx.Raw("SELECT * FROM orgs WHERE code = ?"+db.forUpdate(), code).Scan(&row).Error; err != nil {
			return err
		}
		if row.ID == 0 {
			return jiefen.Errorf(jiefen.ENOTFOUND, "no org has the code %q", code)
		}
		if row.Version != ifVersion {
			return jiefen.Errorf(jiefen.EPRECONDITION, "the org has changed (version %d, If-Match %d); fetch it again", row.Version, ifVersion)
		}
		as, err := db.aliases(tx, code)
		if err != nil {
			return err
		}
		before := row.org(as[code])
		after := u.Apply(before)
		if err := after.Validate(); err != nil {
			return err
		}
		if after.ParentCode != "" && after.ParentCode != before.ParentCode {
			if err := orgExists(tx, after.ParentCode, "parent_code"); err != nil {
				return err
			}
			if err := noCycle(tx, code, after.ParentCode); err != nil {
				return err
			}
		}
		now := db.Now()
		res := tx.Model(&orgRow{}).Where("id = ? AND version = ?", row.ID, row.Version).Updates(map[string]any{
			"name": after.Name, "kind": string(after.Kind), "parent_code": after.ParentCode,
			"version": row.Version + 1, "updated_at": now,
		})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return jiefen.Errorf(jiefen.EPRECONDITION, "the org has changed; fetch it again")
		}
		if err := db.putAliases(tx, code, after.Name, after.Aliases); err != nil {
			return err
		}
		after.Version, after.UpdatedAt = row.Version+1, now
		out = after
		return db.appendAudit(ctx, tx, change{action: "org.update", targetType: "org", targetID: code, before: before, after: after})
	})
	return out, err
}

// noCycle refuses a parent that has code among its own ancestors.
func noCycle(tx *gorm.DB, code, parent string) error {
	for seen := 0; parent != "" && seen < 100; seen++ {
		if parent == code {
			var p jiefen.Problems
			p.Add("parent_code", "would make the org its own ancestor")
			return p.Err()
		}
		var row orgRow
		if err := tx.Select("parent_code").Where("code = ?", parent).Take(&row).Error; err != nil {
			return err
		}
		parent = row.ParentCode
	}
	return nil
}
