package jiefen

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// OrgKind says what an organisation is. A litigation defendant is an org of
// kind agency; mediation committees are of kind committee.
type OrgKind string

// The kinds of API.md, "Orgs".
const (
	OrgCommittee OrgKind = "committee" // people's mediation committee
	OrgAgency    OrgKind = "agency"    // a government agency (a possible defendant)
	OrgCourt     OrgKind = "court"
	OrgTownship  OrgKind = "township"
	OrgOffice    OrgKind = "office"
)

// Valid reports whether k is a known kind.
func (k OrgKind) Valid() bool {
	switch k {
	case OrgCommittee, OrgAgency, OrgCourt, OrgTownship, OrgOffice:
		return true
	}
	return false
}

// Org is an organisation: a committee, agency, court, township or office.
// It is found by its code, its name, or any of its aliases.
type Org struct {
	Code       string    `json:"code"`
	Name       string    `json:"name"`
	Kind       OrgKind   `json:"kind"`
	Aliases    []string  `json:"aliases"`
	ParentCode string    `json:"parent_code"`
	Version    int64     `json:"version"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// OrgUpdate holds the fields of a PATCH; nil fields are left unchanged.
type OrgUpdate struct {
	Name       *string
	Kind       *OrgKind
	Aliases    *[]string
	ParentCode *string
}

// Apply returns o with u applied and normalised.
func (u OrgUpdate) Apply(o Org) Org {
	if u.Name != nil {
		o.Name = *u.Name
	}
	if u.Kind != nil {
		o.Kind = *u.Kind
	}
	if u.Aliases != nil {
		o.Aliases = append([]string(nil), (*u.Aliases)...)
	}
	if u.ParentCode != nil {
		o.ParentCode = *u.ParentCode
	}
	o.Normalize()
	return o
}

// Normalize trims names and codes, and drops empty and repeated aliases and
// aliases equal to the name.
func (o *Org) Normalize() {
	o.Code = strings.TrimSpace(o.Code)
	o.Name = strings.TrimSpace(o.Name)
	o.ParentCode = strings.TrimSpace(o.ParentCode)
	seen := map[string]bool{o.Name: true}
	aliases := make([]string, 0, len(o.Aliases))
	for _, a := range o.Aliases {
		a = strings.TrimSpace(a)
		if a == "" || seen[a] {
			continue
		}
		seen[a] = true
		aliases = append(aliases, a)
	}
	o.Aliases = aliases
}

// Validate checks a normalised org and names every bad field.
func (o Org) Validate() error {
	var p Problems
	if msg := codeProblem(o.Code); msg != "" {
		p.Add("code", "%s", msg)
	}
	switch n := utf8.RuneCountInString(o.Name); {
	case n == 0:
		p.Add("name", "is required")
	case n > 200:
		p.Add("name", "must be at most 200 characters")
	}
	if !o.Kind.Valid() {
		p.Add("kind", "must be one of committee, agency, court, township, office")
	}
	for i, a := range o.Aliases {
		if utf8.RuneCountInString(a) > 200 {
			p.Add("aliases["+strconv.Itoa(i)+"]", "must be at most 200 characters")
		}
	}
	if len(o.Aliases) > 50 {
		p.Add("aliases", "at most 50 aliases")
	}
	if o.ParentCode != "" {
		if msg := codeProblem(o.ParentCode); msg != "" {
			p.Add("parent_code", "%s", msg)
		} else if o.ParentCode == o.Code {
			p.Add("parent_code", "an org cannot be its own parent")
		}
	}
	return p.Err()
}

// codeProblem says what is wrong with an org code: 1 to 64 letters, digits,
// '-', '_' or '.', so that it can stand in a URL path.
func codeProblem(code string) string {
	if code == "" {
		return "is required"
	}
	if utf8.RuneCountInString(code) > 64 {
		return "must be at most 64 characters"
	}
	for _, r := range code {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_' || r == '.') {
			return "may hold only letters, digits, '-', '_' and '.'"
		}
	}
	return ""
}
