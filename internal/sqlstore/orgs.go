package sqlstore

import (
	"context"
	"slices"
	"strconv"
	"strings"
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

// orgNameRow is one name or alias of an org in the index that keeps them
// unique across orgs (its primary key).
type orgNameRow struct {
	Name    string `gorm:"primaryKey"`
	OrgCode string
}

func (orgNameRow) TableName() string { return "org_names" }

// loadOrgs reads every org with its aliases, in the order they were made.
func loadOrgs(q *gorm.DB) ([]jiefen.Org, error) {
	var rows []orgRow
	if err := q.Order("id").Find(&rows).Error; err != nil {
		return nil, err
	}
	var aliases []orgAliasRow
	if err := q.Order("org_code, position").Find(&aliases).Error; err != nil {
		return nil, err
	}
	byOrg := map[string][]string{}
	for _, a := range aliases {
		byOrg[a.OrgCode] = append(byOrg[a.OrgCode], a.Alias)
	}
	out := make([]jiefen.Org, len(rows))
	for i, r := range rows {
		out[i] = r.org(byOrg[r.Code])
	}
	return out, nil
}

// lockOrgNames serialises the changes of orgs' names and returns every org
// as it stands: the first statement of the transaction locks the names'
// index, so that a replica changing names at the same time waits, and the
// check of jiefen.NameClashes sees its names. (The index's primary key
// alone keeps names and aliases as written unique, also on a cluster where
// every node writes.)
func (s Orgs) lockOrgNames(tx *gorm.DB) ([]jiefen.Org, error) {
	if s.dialect == "mysql" {
		var n int64
		if err := tx.Raw("SELECT COUNT(*) FROM org_names FOR UPDATE").Scan(&n).Error; err != nil {
			return nil, err
		}
	}
	return loadOrgs(tx)
}

// nameConflict is the 409 of names that other orgs already answer to,
// naming each field and the org that holds it.
func nameConflict(clashes []jiefen.NameClash) error {
	e := &jiefen.Error{Code: jiefen.ECONFLICT, Message: clashes[0].Message()}
	for _, c := range clashes {
		e.Fields = append(e.Fields, jiefen.FieldError{Field: c.Field, Message: c.Message()})
	}
	return e
}

// CreateOrg stores a new org. The code must be free (conflict), the parent
// must exist (invalid), and no name or alias may be one another org
// answers to, as written or but for what jiefen.NameKey drops (conflict,
// naming the field and the org: jiefen.NameClashes).
func (s Orgs) CreateOrg(ctx context.Context, o jiefen.Org) (jiefen.Org, error) {
	o.Normalize()
	if err := o.Validate(); err != nil {
		return jiefen.Org{}, err
	}
	now := s.Now()
	var row orgRow
	err := s.txReadCommitted(ctx, func(tx *gorm.DB) error {
		// Built here: a rerun (see tx) inserts anew, with no id of the
		// attempt that failed.
		row = orgRow{Code: o.Code, Name: o.Name, Kind: string(o.Kind), ParentCode: o.ParentCode, Version: 1, CreatedAt: now, UpdatedAt: now}
		orgs, err := s.lockOrgNames(tx)
		if err != nil {
			return err
		}
		if slices.ContainsFunc(orgs, func(x jiefen.Org) bool { return x.Code == o.Code }) {
			return codeTaken()
		}
		if clashes := jiefen.NameClashes(orgs, o); len(clashes) > 0 {
			return nameConflict(clashes)
		}
		if err := tx.Create(&row).Error; err != nil {
			if isDuplicate(err) {
				return codeTaken()
			}
			return err
		}
		if o.ParentCode != "" {
			if err := orgExists(tx, o.ParentCode, "parent_code"); err != nil {
				return err
			}
		}
		if err := putNames(tx, o); err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, change{action: "org.create", targetType: "org", targetID: o.Code, after: row.org(o.Aliases)})
	})
	if err != nil {
		return jiefen.Org{}, err
	}
	return row.org(o.Aliases), nil
}

// administrativeKinds are the kinds of the bodies resolveAgency finds.
func administrativeKinds() []string {
	var out []string
	for _, k := range jiefen.OrgKinds() {
		if k.Administrative() {
			out = append(out, string(k))
		}
	}
	return out
}

// resolveAgency returns the code of the administrative body that ref names
// (an agency, the city government or its offices, a township government or
// 街道办事处; the figures call them all agencies): in one query when ref is
// the code, name or an alias of exactly one; otherwise as
// jiefen.OrgDirectory.Administrative finds it, by the name without the
// city's name or 人民政府/办事处. When ref names none, or several, it records
// the problem on field in p (in Chinese, listing the candidates by name)
// and returns "".
func resolveAgency(q *gorm.DB, ref, field string, p *jiefen.Problems) (string, error) {
	ref = strings.TrimSpace(ref)
	var codes []string
	if err := q.Raw(`SELECT code FROM orgs WHERE kind IN ? AND (code = ? OR name = ?
		OR code IN (SELECT org_code FROM org_aliases WHERE alias = ?))`, administrativeKinds(), ref, ref, ref).Scan(&codes).Error; err != nil {
		return "", err
	}
	if len(codes) == 1 {
		return codes[0], nil
	}
	orgs, err := loadOrgs(q)
	if err != nil {
		return "", err
	}
	o, err := jiefen.NewOrgDirectory(orgs).Administrative(ref)
	if err != nil {
		p.Add(field, "%v", err)
		return "", nil
	}
	return o.Code, nil
}

// OrgNames returns the names of the orgs with the given codes; unknown
// codes are absent.
func (s Orgs) OrgNames(ctx context.Context, codes []string) (map[string]string, error) {
	names, err := orgNamesIn(s.read(ctx), codes)
	return names, translate(err)
}

// orgNames are the names of some orgs by code, for the titles people read.
type orgNames map[string]string

// orgNamesIn reads the names of the orgs with the codes.
func orgNamesIn(tx *gorm.DB, codes []string) (orgNames, error) {
	names := orgNames{}
	if len(codes) == 0 {
		return names, nil
	}
	var rows []struct{ Code, Name string }
	if err := tx.Raw("SELECT code, name FROM orgs WHERE code IN ?", codes).Scan(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		names[r.Code] = r.Name
	}
	return names, nil
}

// of is the org's name, its code when the org is not in the table.
func (n orgNames) of(code string) string {
	if name, ok := n[code]; ok {
		return name
	}
	return code
}

// each names the orgs.
func (n orgNames) each(codes []string) []string {
	out := make([]string, len(codes))
	for i, c := range codes {
		out[i] = n.of(c)
	}
	return out
}

func codeTaken() error {
	return &jiefen.Error{Code: jiefen.ECONFLICT, Message: "an org with this code exists",
		Fields: []jiefen.FieldError{{Field: "code", Message: "is taken"}}}
}

// putNames replaces the aliases of o and its entries in the names' index.
// A name or alias that another org took meanwhile (possible only on a
// cluster where every node writes) is a conflict naming its field.
func putNames(tx *gorm.DB, o jiefen.Org) error {
	if err := tx.Where("org_code = ?", o.Code).Delete(&orgAliasRow{}).Error; err != nil {
		return err
	}
	if err := tx.Where("org_code = ?", o.Code).Delete(&orgNameRow{}).Error; err != nil {
		return err
	}
	names := make([]orgNameRow, 0, len(o.Aliases)+1)
	for _, n := range o.Names() {
		names = append(names, orgNameRow{Name: n, OrgCode: o.Code})
	}
	if err := tx.Create(&names).Error; err != nil {
		if !isDuplicate(err) {
			return err
		}
		var holders []struct{ Name, Code, OrgName string }
		if err := tx.Raw("SELECT n.name, o.code, o.name AS org_name FROM org_names n JOIN orgs o ON o.code = n.org_code WHERE n.name IN ? AND n.org_code <> ?",
			o.Names(), o.Code).Scan(&holders).Error; err != nil {
			return err
		}
		var clashes []jiefen.NameClash
		for i, n := range o.Names() {
			for _, h := range holders {
				if h.Name == n {
					field := "name"
					if i > 0 {
						field = "aliases[" + strconv.Itoa(i-1) + "]"
					}
					clashes = append(clashes, jiefen.NameClash{Field: field, Name: n, Holder: jiefen.Org{Code: h.Code, Name: h.OrgName}, Exact: true})
				}
			}
		}
		if len(clashes) == 0 {
			return err
		}
		return nameConflict(clashes)
	}
	if len(o.Aliases) == 0 {
		return nil
	}
	aliases := make([]orgAliasRow, len(o.Aliases))
	for i, a := range o.Aliases {
		aliases[i] = orgAliasRow{Alias: a, OrgCode: o.Code, Position: i}
	}
	return tx.Create(&aliases).Error
}

func (s Orgs) aliases(q *gorm.DB, codes ...string) (map[string][]string, error) {
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
func (s Orgs) Org(ctx context.Context, code string) (jiefen.Org, error) {
	q := s.read(ctx)
	var row orgRow
	if err := q.Where("code = ?", code).Take(&row).Error; err != nil {
		return jiefen.Org{}, translate(err)
	}
	as, err := s.aliases(q, code)
	if err != nil {
		return jiefen.Org{}, translate(err)
	}
	return row.org(as[code]), nil
}

// OrgFilter selects orgs for a list.
type OrgFilter struct {
	Kind    jiefen.OrgKind
	AfterID int64
	Limit   int
}

// ListOrgs returns orgs ordered by creation, with the id of the last one for
// the next page's cursor.
func (s Orgs) ListOrgs(ctx context.Context, f OrgFilter) ([]jiefen.Org, int64, error) {
	q := s.read(ctx)
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
	as, err := s.aliases(q, codes...)
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
// not make a cycle; names and aliases stay unique as CreateOrg says.
func (s Orgs) UpdateOrg(ctx context.Context, code string, ifVersion int64, u jiefen.OrgUpdate) (jiefen.Org, error) {
	var out jiefen.Org
	err := s.txReadCommitted(ctx, func(tx *gorm.DB) error {
		orgs, err := s.lockOrgNames(tx)
		if err != nil {
			return err
		}
		var row orgRow
		if err := tx.Raw("SELECT * FROM orgs WHERE code = ?"+s.forUpdate(), code).Scan(&row).Error; err != nil {
			return err
		}
		if row.ID == 0 {
			return jiefen.Errorf(jiefen.ENOTFOUND, "no org has the code %q", code)
		}
		if row.Version != ifVersion {
			return jiefen.Errorf(jiefen.EPRECONDITION, "the org has changed (version %d, If-Match %d); fetch it again", row.Version, ifVersion)
		}
		as, err := s.aliases(tx, code)
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
		if clashes := jiefen.NameClashes(orgs, after); len(clashes) > 0 {
			return nameConflict(clashes)
		}
		now := s.Now()
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
		if err := putNames(tx, after); err != nil {
			return err
		}
		after.Version, after.UpdatedAt = row.Version+1, now
		out = after
		return s.appendAudit(ctx, tx, change{action: "org.update", targetType: "org", targetID: code, before: before, after: after})
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
