package audit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Change is one field an audited action changed: its path in the record's
// JSON form (defendant, defendants, parties[1].phone) and its value before
// and after. A side with no value (a creation's old, a field emptied) is
// left out; both are left out for a field whose values are withheld (see
// Withheld), so that the entry says the field changed without saying from
// what to what. The last change of a long list may be the marker
// {"field":"…","more":N}: N further changes not kept.
type Change struct {
	Field string          `json:"field"`
	Old   json.RawMessage `json:"old,omitempty"`
	New   json.RawMessage `json:"new,omitempty"`
	More  int             `json:"more,omitempty"`
}

// The bounds of what an entry keeps of a change, so that one action cannot
// bloat the log: values are cut to MaxValueRunes characters (a longer one
// ends in "…"), and at most MaxChanges changes are kept before the marker.
const (
	MaxValueRunes = 200
	MaxChanges    = 50
)

// personKeys are the fields that hold a person, wholly: a party of a
// dispute, the applicant of a reconsideration, the plaintiff of a suit
// (its name, and the person behind an organisation), third parties, the
// official who appeared at a hearing.
var personKeys = []string{"parties", "party", "applicant", "applicants", "plaintiff", "plaintiffs",
	"third_parties", "third_party", "appearer", "agent", "agents", "contact", "contacts", "person", "persons"}

// personAttributes are the fields of a person that say what kind of party
// it is, not who: shown with their values.
var personAttributes = []string{"role", "kind", "id_type", "position"}

// personalKeys hold personal data wherever they appear (a key that ends in
// "_" and one of them, such as plaintiff_credit_code, too), and freeText
// keys hold what people wrote, which may name or describe anyone; secrets
// are never copied anywhere.
var (
	personalKeys = []string{"name", "id_number", "phone", "mobile", "address", "credit_code", "email"}
	freeText     = []string{"description", "summary", "facts", "claims", "request", "requests", "reason",
		"note", "notes", "remark", "remarks", "comment", "comments", "text", "content", "body", "message",
		"reply", "opinion", "title", "agreement", "record"}
	secrets = []string{"password", "password_hash", "token", "secret"}
)

// Withheld reports whether the values of the field at path (a field path
// as in Change, in a record of targetType) are kept out of the audit log,
// only the field's name being recorded. The rule is conservative (个人信息
// 保护法 第6条, 第51条: no more personal data than the purpose needs; the
// log keeps who did what, which needs no party's data):
//
//   - everything under a person (parties, applicant, plaintiff,
//     third_parties, appearer, …) but the fields that say what kind of
//     party it is (role, kind, id_type, position): names, ID numbers,
//     phones, addresses, credit codes, and any field unknown here;
//   - names, ID numbers, phones, mobiles, addresses, credit codes and
//     e-mail addresses anywhere (a key equal to one of them, or ending in
//     "_" and one of them), but an organisation's own name (the name at
//     the top of an org record), which is public;
//   - free text anywhere (description, facts, claims, reason, notes,
//     comments, reply, title, …), which may name or describe anyone;
//   - passwords, tokens and secrets.
//
// Everything else (codes, states, roles, org codes, dates, versions,
// counts, flags) is kept with its values.
func Withheld(targetType, path string) bool {
	keys := pathKeys(path)
	for i, k := range keys {
		if slices.Contains(personKeys, k) {
			// The person itself (a plaintiff's name as a string), or a
			// field of it that is not a known attribute.
			return i == len(keys)-1 || !slices.Contains(personAttributes, keys[len(keys)-1])
		}
	}
	for _, k := range keys {
		if slices.Contains(freeText, k) || slices.Contains(secrets, k) {
			return true
		}
		for _, p := range personalKeys {
			if k == p || strings.HasSuffix(k, "_"+p) {
				return !(targetType == "org" && path == "name")
			}
		}
	}
	return false
}

// pathKeys are the object keys of a field path, without array indexes:
// "parties[1].phone" → parties, phone.
func pathKeys(path string) []string {
	var keys []string
	for _, part := range strings.Split(path, ".") {
		if i := strings.IndexByte(part, '['); i >= 0 {
			part = part[:i]
		}
		if part != "" {
			keys = append(keys, part)
		}
	}
	return keys
}

// Changes returns what changed from before to after (records of
// targetType, compared in their JSON form; nil for a creation's before or
// a deletion's after): one Change per field path whose value differs,
// objects compared field by field and lists of objects element by element
// (parties[1].phone), lists of plain values as one field (defendants). A
// field that is null, "", [] or {} has no value. A creation thus lists the
// fields it set. Values are withheld as Withheld says and bounded as
// MaxValueRunes and MaxChanges say.
func Changes(targetType string, before, after any) ([]Change, error) {
	b, err := decode(before)
	if err != nil {
		return nil, err
	}
	a, err := decode(after)
	if err != nil {
		return nil, err
	}
	d := differ{targetType: targetType}
	d.walk("", b, a)
	if n := len(d.out); n > MaxChanges {
		d.out = append(d.out[:MaxChanges], Change{Field: "…", More: n - MaxChanges})
	}
	return d.out, nil
}

func decode(v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("audit: changes: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber() // numbers as written, never rounded through float64
	var out any
	if err := dec.Decode(&out); err != nil {
		return nil, fmt.Errorf("audit: changes: %w", err)
	}
	return out, nil
}

type differ struct {
	targetType string
	out        []Change
}

func (d *differ) walk(path string, old, new any) {
	old, new = valued(old), valued(new)
	om, oIsMap := old.(map[string]any)
	nm, nIsMap := new.(map[string]any)
	if (oIsMap || old == nil) && (nIsMap || new == nil) && (oIsMap || nIsMap) {
		keys := make([]string, 0, len(om)+len(nm))
		for k := range om {
			keys = append(keys, k)
		}
		for k := range nm {
			if _, ok := om[k]; !ok {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		for _, k := range keys {
			d.walk(join(path, k), om[k], nm[k])
		}
		return
	}
	ol, oIsList := old.([]any)
	nl, nIsList := new.([]any)
	if (oIsList || old == nil) && (nIsList || new == nil) && (hasObject(ol) || hasObject(nl)) {
		for i := range max(len(ol), len(nl)) {
			var o, n any
			if i < len(ol) {
				o = ol[i]
			}
			if i < len(nl) {
				n = nl[i]
			}
			d.walk(path+"["+strconv.Itoa(i)+"]", o, n)
		}
		return
	}
	if equal(old, new) {
		return
	}
	c := Change{Field: path}
	if !Withheld(d.targetType, path) {
		c.Old, c.New = bounded(old), bounded(new)
	}
	d.out = append(d.out, c)
}

// valued is v, or nil when v is null, "", [] or {}: no value.
func valued(v any) any {
	switch x := v.(type) {
	case string:
		if x == "" {
			return nil
		}
	case []any:
		if len(x) == 0 {
			return nil
		}
	case map[string]any:
		if len(x) == 0 {
			return nil
		}
	}
	return v
}

func hasObject(l []any) bool {
	for _, v := range l {
		if _, ok := v.(map[string]any); ok {
			return true
		}
	}
	return false
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func equal(a, b any) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return bytes.Equal(ja, jb)
}

// bounded is v's JSON, nil for no value; a string longer than
// MaxValueRunes, or another value whose JSON is, becomes a string cut to
// that many characters and "…".
func bounded(v any) json.RawMessage {
	if v == nil {
		return nil
	}
	s, isString := v.(string)
	raw, _ := json.Marshal(v)
	if !isString {
		if utf8.RuneCount(raw) <= MaxValueRunes {
			return raw
		}
		s = string(raw)
	}
	if utf8.RuneCountInString(s) > MaxValueRunes {
		s = string([]rune(s)[:MaxValueRunes]) + "…"
		raw, _ = json.Marshal(s)
	}
	return raw
}
