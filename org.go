package jiefen

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// OrgKind says what an organisation is. A litigation defendant is an org of
// an administrative kind (see Administrative); mediation committees are of
// kind committee.
type OrgKind string

// The kinds of API.md, "Orgs".
const (
	OrgCommittee OrgKind = "committee" // people's mediation committee
	OrgAgency    OrgKind = "agency"    // a government agency (局, 委, 办)
	OrgCourt     OrgKind = "court"
	OrgTownship  OrgKind = "township" // a township government (乡镇人民政府) or 街道办事处
	OrgOffice    OrgKind = "office"   // the city government (汝州市人民政府) and its offices
)

// OrgKinds lists every kind.
func OrgKinds() []OrgKind {
	return []OrgKind{OrgCommittee, OrgAgency, OrgCourt, OrgTownship, OrgOffice}
}

// Valid reports whether k is a known kind.
func (k OrgKind) Valid() bool { return slices.Contains(OrgKinds(), k) }

// Administrative reports whether an org of kind k is an administrative
// body that can be sued, be the respondent of a reconsideration and be
// sent a judicial suggestion: an agency, the city government and its
// offices, or a township government or 街道办事处 (DOMAIN.md, "Litigation
// monitoring"). The statistics count all of them alike, as agencies.
func (k OrgKind) Administrative() bool {
	return k == OrgAgency || k == OrgOffice || k == OrgTownship
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

// Administrative reports whether o is an administrative body (see
// OrgKind.Administrative).
func (o Org) Administrative() bool { return o.Kind.Administrative() }

// Names returns the name and then the aliases of o: every name it answers
// to besides its code.
func (o Org) Names() []string { return append([]string{o.Name}, o.Aliases...) }

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
	if msg := codeProblem(o.Code); !msg.IsZero() {
		p.Add("code", "%v", msg)
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
		if msg := codeProblem(o.ParentCode); !msg.IsZero() {
			p.Add("parent_code", "%v", msg)
		} else if o.ParentCode == o.Code {
			p.Add("parent_code", "an org cannot be its own parent")
		}
	}
	return p.Err()
}

// codeProblem says what is wrong with an org code: 1 to 64 letters, digits,
// '-', '_' or '.', so that it can stand in a URL path. A good code has no
// problem: the zero Text.
func codeProblem(code string) Text {
	if code == "" {
		return Textf("is required")
	}
	if utf8.RuneCountInString(code) > 64 {
		return Textf("must be at most 64 characters")
	}
	for _, r := range code {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_' || r == '.') {
			return Textf("may hold only letters, digits, '-', '_' and '.'")
		}
	}
	return Text{}
}

// CityName is the city's own name, which court files and clerks put before
// the names of its bodies or leave out: the name of its government (the
// office without a parent whose name ends in 人民政府) without 人民政府, as
// 汝州市 for 汝州市人民政府. It is "" when orgs hold no such government.
func CityName(orgs []Org) string {
	for _, o := range orgs {
		if o.Kind == OrgOffice && o.ParentCode == "" {
			if city, ok := strings.CutSuffix(o.Name, "人民政府"); ok && city != "" {
				return city
			}
		}
	}
	return ""
}

// NameKey is what is left of an org's name (or alias) once the words that
// court files and clerks add or leave out are dropped, so that the ways of
// writing one body meet on one key:
//   - white space (full-width too) goes, and ASCII brackets become full-width;
//   - one trailing 人民政府, 政府 or 办事处 goes: a township or 街道 is
//     named by its place, so 临汝镇人民政府, 临汝镇政府 and 临汝镇 are one,
//     as are 钟楼街道办事处 and 钟楼街道;
//   - the city's own name in front goes (see CityName): 汝州市钟楼街道 is
//     钟楼街道, 汝州市司法局 is 司法局.
//
// A step that would leave nothing is not taken, so that 汝州市人民政府 and
// 汝州市政府 are 汝州市, the city itself.
func NameKey(name, city string) string {
	var b strings.Builder
	for _, r := range name {
		switch {
		case unicode.IsSpace(r):
			continue
		case r == '(':
			r = '（'
		case r == ')':
			r = '）'
		}
		b.WriteRune(r)
	}
	key := b.String()
	for _, suffix := range []string{"人民政府", "政府", "办事处"} {
		if rest, ok := strings.CutSuffix(key, suffix); ok {
			if rest != "" {
				key = rest
			}
			break
		}
	}
	if rest, ok := strings.CutPrefix(key, city); ok && city != "" && rest != "" {
		key = rest
	}
	return key
}

// OrgDirectory finds orgs by what people call them: code, name, alias, or
// a spelling that differs from a name or alias only in what NameKey drops.
type OrgDirectory struct {
	city   string
	orgs   []Org
	byCode map[string]int
	byName map[string][]int // names and aliases as written
	byKey  map[string][]int // their NameKey
}

// NewOrgDirectory indexes orgs; the city's name (for NameKey) is taken
// from its government among them (CityName).
func NewOrgDirectory(orgs []Org) *OrgDirectory {
	d := &OrgDirectory{city: CityName(orgs), orgs: orgs, byCode: make(map[string]int, len(orgs)),
		byName: map[string][]int{}, byKey: map[string][]int{}}
	for i, o := range orgs {
		d.byCode[o.Code] = i
		for _, n := range o.Names() {
			d.byName[n] = addOnce(d.byName[n], i)
			k := NameKey(n, d.city)
			d.byKey[k] = addOnce(d.byKey[k], i)
		}
	}
	return d
}

func addOnce(s []int, i int) []int {
	if len(s) > 0 && s[len(s)-1] == i {
		return s
	}
	return append(s, i)
}

// Administrative returns the administrative body (OrgKind.Administrative)
// that ref names: the one with ref as its code; else the one with ref as
// its name or an alias; else the one whose name or an alias has the same
// NameKey as ref. The first of these ways that finds any administrative
// body decides, and when it finds more than one, ref is ambiguous. The
// error is an *OrgLookupError: ambiguous (its Candidates), naming only
// bodies of other kinds (Others, a court or a committee), or naming none.
func (d *OrgDirectory) Administrative(ref string) (Org, error) {
	ref = strings.TrimSpace(ref)
	e := &OrgLookupError{Ref: ref}
	ways := [][]int{nil, d.byName[ref], d.byKey[NameKey(ref, d.city)]}
	if i, ok := d.byCode[ref]; ok {
		ways[0] = []int{i}
	}
	for _, found := range ways {
		var admitted []Org
		for _, i := range found {
			if o := d.orgs[i]; o.Administrative() {
				admitted = append(admitted, o)
			} else if len(e.Others) == 0 {
				e.Others = append(e.Others, o)
			}
		}
		switch len(admitted) {
		case 0:
			continue
		case 1:
			return admitted[0], nil
		}
		e.Candidates = admitted
		return Org{}, e
	}
	return Org{}, e
}

// OrgLookupError says why a name does not name one administrative body.
type OrgLookupError struct {
	Ref string
	// Candidates are the bodies an ambiguous Ref may mean.
	Candidates []Org
	// Others is an org of another kind (a court, a committee) that Ref
	// names, when it names no administrative body.
	Others []Org
}

func (e *OrgLookupError) Error() string {
	const bodies = "行政机关（局、委、市政府、乡镇人民政府或街道办事处）"
	switch {
	case len(e.Candidates) > 1:
		names := make([]string, len(e.Candidates))
		for i, o := range e.Candidates {
			names[i] = o.Name + "（" + o.Code + "）"
		}
		return fmt.Sprintf("「%s」可指%s，无法确定是哪一个；请写全称或代码", e.Ref, strings.Join(names, "、"))
	case len(e.Others) > 0 && e.Others[0].Name == e.Ref:
		return fmt.Sprintf("%s不是%s", e.Ref, bodies)
	case len(e.Others) > 0:
		return fmt.Sprintf("「%s」是%s，不是%s", e.Ref, e.Others[0].Name, bodies)
	case e.Ref == "":
		return "请写明" + bodies + "的名称或代码"
	}
	return fmt.Sprintf("没有名称、简称或代码为「%s」的%s", e.Ref, bodies)
}

// NameClash is a name of an org that another org already answers to.
type NameClash struct {
	Field  string // "name" or "aliases[i]"
	Name   string // the name or alias
	Holder Org    // the org that answers to it
	// Exact: Holder has this very name or alias; otherwise the two differ
	// only in what NameKey drops (钟楼街道 and 钟楼街道办事处).
	Exact bool
}

// Message says what clashes, in the words of the org table's keepers.
func (c NameClash) Message() string {
	if c.Exact {
		return fmt.Sprintf("「%s」已是%s（%s）的名称或简称", c.Name, c.Holder.Name, c.Holder.Code)
	}
	return fmt.Sprintf("「%s」与%s（%s）的名称或简称只差市名或“人民政府”“办事处”，会分不清是哪一个", c.Name, c.Holder.Name, c.Holder.Code)
}

// NameClashes returns the names of o (its name, then its aliases) that
// another of orgs already answers to. Names and aliases are unique across
// orgs (API.md, "Orgs"), and so are their NameKeys: were 钟楼街道 the alias
// of one org and 钟楼街道办事处 the name of another, a court file's
// 钟楼街道办事处 could mean either. orgs may hold o as it was; it is left
// out, and the city's name is taken with o as it will be.
func NameClashes(orgs []Org, o Org) []NameClash {
	all := make([]Org, 0, len(orgs)+1)
	for _, x := range orgs {
		if x.Code != o.Code {
			all = append(all, x)
		}
	}
	self := len(all)
	d := NewOrgDirectory(append(all, o))
	var out []NameClash
	for i, n := range o.Names() {
		field := "name"
		if i > 0 {
			field = "aliases[" + strconv.Itoa(i-1) + "]"
		}
		if j := other(d.byName[n], self); j >= 0 {
			out = append(out, NameClash{Field: field, Name: n, Holder: d.orgs[j], Exact: true})
		} else if j := other(d.byKey[NameKey(n, d.city)], self); j >= 0 {
			out = append(out, NameClash{Field: field, Name: n, Holder: d.orgs[j]})
		}
	}
	return out
}

// other returns the first index of is that is not self, or -1.
func other(is []int, self int) int {
	for _, i := range is {
		if i != self {
			return i
		}
	}
	return -1
}
