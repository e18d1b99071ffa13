package jiefen

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// IDType is the kind of identity document a party shows.
type IDType string

// The identity documents a party may show (DOMAIN.md, "Personal data").
const (
	IDResident         IDType = "resident_id"                // 居民身份证, GB 11643-1999, 18 characters
	IDPassport         IDType = "passport"                   // 护照
	IDHKMacao          IDType = "hk_macao_permit"            // 港澳居民来往内地通行证 / 居住证
	IDTaiwan           IDType = "taiwan_permit"              // 台湾居民来往大陆通行证
	IDForeignPermanent IDType = "foreign_permanent_resident" // 外国人永久居留身份证
	IDOther            IDType = "other"
)

// IDTypes lists every identity document type.
func IDTypes() []IDType {
	return []IDType{IDResident, IDPassport, IDHKMacao, IDTaiwan, IDForeignPermanent, IDOther}
}

// Valid reports whether t is one of the known document types.
func (t IDType) Valid() bool {
	for _, v := range IDTypes() {
		if t == v {
			return true
		}
	}
	return false
}

// PartyRole is the side a party takes in a case.
type PartyRole string

// The roles of a party.
const (
	PartyApplicant  PartyRole = "applicant"   // 申请人 / 原告
	PartyRespondent PartyRole = "respondent"  // 被申请人 / 被告
	PartyThirdParty PartyRole = "third_party" // 第三人
)

// Valid reports whether r is applicant, respondent or third_party.
func (r PartyRole) Valid() bool {
	switch r {
	case PartyApplicant, PartyRespondent, PartyThirdParty:
		return true
	}
	return false
}

// PartyKind says whether a party is a natural person or an organisation.
type PartyKind string

// The kinds of party (DOMAIN.md, "Personal data").
const (
	// PartyPerson is a natural person (个人), identified by an identity
	// document. A party of no stated kind is a person.
	PartyPerson PartyKind = "person"
	// PartyOrganisation is an organisation (单位): a company, a
	// 个体工商户, a social organisation, an office; it is identified by its
	// 统一社会信用代码 and has no identity document.
	PartyOrganisation PartyKind = "organisation"
)

// Valid reports whether k is person or organisation.
func (k PartyKind) Valid() bool { return k == PartyPerson || k == PartyOrganisation }

// Party is a person or organisation in a case. ID numbers, phones and
// addresses are personal information under PIPL, and ID numbers are
// sensitive: they are shown masked (Mask) unless the caller's role needs
// them, and they never appear in logs or error messages. An
// organisation's credit code is not personal data: it is kept and shown
// as it is, as is its name.
type Party struct {
	Role       PartyRole `json:"role"`
	Kind       PartyKind `json:"kind"` // empty means person
	Name       string    `json:"name"`
	IDType     IDType    `json:"id_type,omitempty"` // empty means resident_id when IDNumber is set
	IDNumber   string    `json:"id_number,omitempty"`
	CreditCode string    `json:"credit_code,omitempty"` // an organisation's 统一社会信用代码
	Phone      string    `json:"phone,omitempty"`
	Address    string    `json:"address,omitempty"`
}

// Organisation reports whether p is an organisation.
func (p Party) Organisation() bool { return p.Kind == PartyOrganisation }

// Limits of the free-text fields of a party, in characters (runes).
const (
	maxPartyName    = 100
	maxPartyAddress = 200
)

// Normalize trims the name and address, puts the ID number, credit code
// and phone into their canonical forms, and records every bad field in
// problems under path (for example "parties[0]"), so that
// "parties[0].id_number" names the field. A party of no kind is a person
// (Kind is set to person). An ID number without a type is a resident ID
// number, and IDType is set to resident_id. An organisation has a credit
// code (NormalizeCreditCode) and no identity document; a person has no
// credit code. A field that cannot be normalised keeps its trimmed value.
// ID number, credit code and phone are optional; name and role are
// required.
func (p *Party) Normalize(today time.Time, path string, problems *Problems) {
	p.Name = strings.TrimSpace(p.Name)
	p.Address = strings.TrimSpace(p.Address)
	p.IDNumber = strings.TrimSpace(p.IDNumber)
	p.Phone = strings.TrimSpace(p.Phone)

	if !p.Role.Valid() {
		problems.Add(path+".role", "must be applicant, respondent or third_party")
	}
	switch n := utf8.RuneCountInString(p.Name); {
	case n == 0:
		problems.Add(path+".name", "is required")
	case n > maxPartyName:
		problems.Add(path+".name", "must be at most %d characters", maxPartyName)
	}
	NormalizeKind(&p.Kind, &p.CreditCode, path+".kind", path+".credit_code", problems)
	if p.Organisation() {
		if p.IDType != "" {
			problems.Add(path+".id_type", "单位当事人没有身份证件，请删去证件类型")
		}
		if p.IDNumber != "" {
			problems.Add(path+".id_number", "单位当事人没有身份证件号码，请填写统一社会信用代码")
		}
	} else {
		p.normalizeDocument(today, path, problems)
	}
	if p.Phone != "" {
		if n, err := NormalizePhone(p.Phone); err != nil {
			problems.Add(path+".phone", "%v", err)
		} else {
			p.Phone = n
		}
	}
	if utf8.RuneCountInString(p.Address) > maxPartyAddress {
		problems.Add(path+".address", "must be at most %d characters", maxPartyAddress)
	}
}

// normalizeDocument checks a person's identity document: an ID number
// without a type is a resident ID number (IDType is set to resident_id),
// and the number is checked as its type requires.
func (p *Party) normalizeDocument(today time.Time, path string, problems *Problems) {
	if p.IDType == "" && p.IDNumber != "" {
		p.IDType = IDResident
	}
	typeOK := p.IDType == "" || p.IDType.Valid()
	if !typeOK {
		problems.Add(path+".id_type", "must be one of resident_id, passport, hk_macao_permit, taiwan_permit, foreign_permanent_resident, other")
	}
	if p.IDNumber != "" && typeOK {
		var (
			n   string
			err error
		)
		if p.IDType == IDResident {
			n, err = NormalizeIDNumber(p.IDNumber, today)
		} else {
			n, err = NormalizeDocumentNumber(p.IDType, p.IDNumber)
		}
		if err != nil {
			problems.Add(path+".id_number", "%v", err)
		} else {
			p.IDNumber = n
		}
	}
}

// NormalizeKind checks the kind of a party and its credit code wherever a
// party is entered, naming the fields kindField and codeField: no kind
// means a person (*kind is set to person); only an organisation has a
// credit code, which is put into its canonical form (NormalizeCreditCode).
// The code is optional: a small organisation may not know it.
func NormalizeKind(kind *PartyKind, code *string, kindField, codeField string, problems *Problems) {
	*code = strings.TrimSpace(*code)
	if *kind == "" {
		*kind = PartyPerson
	}
	if !kind.Valid() {
		problems.Add(kindField, "must be person or organisation")
		return
	}
	if *code == "" {
		return
	}
	if *kind != PartyOrganisation {
		problems.Add(codeField, "只有单位有统一社会信用代码；个人请填写身份证件号码")
		return
	}
	n, err := NormalizeCreditCode(*code)
	if err != nil {
		problems.Add(codeField, "%v", err)
		return
	}
	*code = n
}

// invalid returns an EINVALID *Error whose message says what is wrong with
// an input value. Messages never repeat the value: it is personal data.
func invalid(format string, args ...any) error {
	return Errorf(EINVALID, format, args...)
}

// idWeights are the GB 11643-1999 weights of the first 17 characters; the
// weighted sum mod 11 indexes idCheckChars.
var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

const idCheckChars = "10X98765432"

// provinceCode reports whether the first two digits of a resident ID number
// name a province-level region: the mainland provinces, 71 Taiwan, 81 Hong
// Kong, 82 Macao, and 83, which residence permits of Taiwan residents use.
func provinceCode(c int) bool {
	switch {
	case c >= 11 && c <= 15, c >= 21 && c <= 23, c >= 31 && c <= 37, c >= 41 && c <= 46,
		c >= 50 && c <= 54, c >= 61 && c <= 65, c == 71, c == 81, c == 82, c == 83:
		return true
	}
	return false
}

// NormalizeIDNumber returns the canonical form of a resident ID number
// (居民身份证号码) under GB 11643-1999: full-width digits and letters become
// ASCII, spaces (U+3000 too) and hyphens are dropped, and a lower-case x
// becomes X. The number must then have 18 characters, 17 digits and a check
// character (a digit or X); its first two digits must name a
// province-level region; characters 7–14 must be a real date of birth, not
// before 1900-01-01 and not after today (compared as calendar dates in
// today's location); and the check character must match the weighted sum
// of the first 17 digits. A 15-digit number of before 1999 is refused: it
// must be converted first. The error is an EINVALID *Error whose message
// says in plain English what is wrong without repeating the number.
func NormalizeIDNumber(s string, today time.Time) (string, error) {
	s = strings.ToUpper(strip(foldWidth(s), isSpaceOrHyphen))
	r := []rune(s)
	switch {
	case len(r) == 0:
		return "", invalid("is required")
	case len(r) == 15 && allDigits(s):
		return "", invalid("must be 18 characters (15-digit numbers from before 1999 must be converted)")
	case len(r) != 18:
		return "", invalid("must be 18 characters, not %d", len(r))
	}
	for i, c := range r[:17] {
		if c < '0' || c > '9' {
			return "", invalid("the first 17 characters must be digits (character %d is not)", i+1)
		}
	}
	if c := r[17]; !(c >= '0' && c <= '9' || c == 'X') {
		return "", invalid("the last character must be a digit or X")
	}
	if region, _ := strconv.Atoi(s[:2]); !provinceCode(region) {
		return "", invalid("the region code %s is not a province", s[:2])
	}
	if msg := birthProblem(s[6:14], today); !msg.IsZero() {
		return "", invalid("%v", msg)
	}
	sum := 0
	for i, w := range idWeights {
		sum += int(s[i]-'0') * w
	}
	if want := idCheckChars[sum%11]; s[17] != want {
		return "", invalid("the check character should be %c, not %c", want, s[17])
	}
	return s, nil
}

// birthProblem says what is wrong with the eight digits YYYYMMDD of a date
// of birth, or returns the zero Text. It names the bad part but not the date.
func birthProblem(ymd string, today time.Time) Text {
	y, _ := strconv.Atoi(ymd[:4])
	m, _ := strconv.Atoi(ymd[4:6])
	d, _ := strconv.Atoi(ymd[6:8])
	if m < 1 || m > 12 {
		return Textf("the date of birth (characters 7–14) is not a real date: there is no month %d", m)
	}
	if d < 1 || d > daysIn(y, m) {
		return Textf("the date of birth (characters 7–14) is not a real date: that month has no day %d", d)
	}
	if y < 1900 {
		return Textf("the date of birth is before 1900")
	}
	ty, tm, td := today.Date()
	if y*10000+m*100+d > ty*10000+int(tm)*100+td {
		return Textf("the date of birth is in the future")
	}
	return Text{}
}

// daysIn returns the number of days of month m of year y (Gregorian).
func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// NormalizeDocumentNumber returns the canonical form of the number of a
// document other than a resident ID card: trimmed, full-width characters
// made ASCII, spaces dropped and letters upper-cased. It must then be 5 to
// 30 characters of A–Z, 0–9 and '-'. A foreign permanent resident ID card
// number must be 15 (old format) or 18 (2023 format) letters and digits.
// Resident ID numbers need the date of the day and go through
// NormalizeIDNumber; given IDResident, empty or an unknown type, this
// returns an error. Errors are EINVALID *Errors as for NormalizeIDNumber.
func NormalizeDocumentNumber(t IDType, s string) (string, error) {
	if t == IDResident || t == "" {
		return "", invalid("a resident ID number is checked by NormalizeIDNumber")
	}
	if !t.Valid() {
		return "", invalid("unknown document type")
	}
	s = strings.ToUpper(strip(foldWidth(strings.TrimSpace(s)), isSpace))
	n := utf8.RuneCountInString(s)
	if n == 0 {
		return "", invalid("is required")
	}
	if t == IDForeignPermanent {
		if n != 15 && n != 18 {
			return "", invalid("must be 15 characters (old format) or 18 characters (2023 format), not %d", n)
		}
		for _, c := range s {
			if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
				return "", invalid("may hold only letters and digits")
			}
		}
		return s, nil
	}
	if n < 5 || n > 30 {
		return "", invalid("must be 5 to 30 characters, not %d", n)
	}
	for _, c := range s {
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			return "", invalid("may hold only letters A–Z, digits and '-'")
		}
	}
	return s, nil
}

// NormalizePhone returns the canonical form of a mainland Chinese phone
// number. Full-width digits become ASCII; spaces (U+3000 too), hyphens,
// dots and parentheses are dropped. A country prefix +86, 0086 or 86 is
// dropped when an 11-digit mobile number follows it; after +86 or 0086 a
// landline may also follow without the leading 0 of its area code
// (+86 375 1234567 is 0375-1234567). A mobile number is 1, then 3–9, then 9
// digits, and is returned as its 11 digits. A landline is an area code
// (three digits for 010 and 020–029, four for every other code starting
// with 0) and a local number of 7 or 8 digits not starting with 0, and is
// returned as "AREA-LOCAL", such as "0375-1234567"; 7 or 8 digits without
// an area code are refused, as the area code cannot be guessed. The error is an
// EINVALID *Error whose message says what is wrong without repeating the
// number.
func NormalizePhone(s string) (string, error) {
	s = strip(foldWidth(s), func(r rune) bool {
		return isSpaceOrHyphen(r) || r == '.' || r == '(' || r == ')'
	})
	if s == "" {
		return "", invalid("is required")
	}
	intl := false // the number came with +86 or 0086, so a landline may lack its 0
	switch {
	case strings.HasPrefix(s, "+86"):
		s, intl = s[3:], true
	case strings.HasPrefix(s, "0086"):
		s, intl = s[4:], true
	case strings.HasPrefix(s, "+"), strings.HasPrefix(s, "00"):
		return "", invalid("only mainland Chinese numbers (+86) are accepted")
	case strings.HasPrefix(s, "86") && len(s) == 13 && isMobile(s[2:]):
		s = s[2:]
	}
	if s == "" || !allDigits(s) {
		return "", invalid("may hold only digits, spaces, hyphens, dots, parentheses and a leading +86")
	}
	if intl && s[0] != '0' && (s[0] != '1' || strings.HasPrefix(s, "10")) {
		s = "0" + s // +86 375 1234567: the area code loses its 0 after the country code
	}
	switch s[0] {
	case '1':
		if len(s) == 7 || len(s) == 8 {
			return "", invalid("a landline needs its area code, e.g. 0375-1234567")
		}
		if !isMobile(s) {
			return "", invalid("a mobile number has 11 digits starting 13–19")
		}
		return s, nil
	case '0':
		return landline(s)
	}
	return "", invalid("a landline needs its area code, e.g. 0375-1234567")
}

// isMobile reports whether s is a mainland mobile number: 1, then 3–9, then
// nine digits.
func isMobile(s string) bool {
	return len(s) == 11 && s[0] == '1' && s[1] >= '3' && s[1] <= '9' && allDigits(s)
}

// landline splits the digits of a landline number into area code and local
// number, and checks both.
func landline(s string) (string, error) {
	area := 4
	if strings.HasPrefix(s, "01") || strings.HasPrefix(s, "02") {
		area = 3
	}
	if len(s) < area {
		return "", invalid("a landline needs its area code, e.g. 0375-1234567")
	}
	code, local := s[:area], s[area:]
	if s[1] == '0' || (s[1] == '1' && code != "010") {
		return "", invalid("the area code %s does not exist", code)
	}
	if len(local) != 7 && len(local) != 8 {
		return "", invalid("a landline has 7 or 8 digits after the area code %s", code)
	}
	if local[0] == '0' {
		return "", invalid("a landline's local number cannot start with 0")
	}
	return code + "-" + local, nil
}

// MaskIDNumber hides most of a document number: an ID number of 18 or more
// characters keeps its first 3 and last 4 ("410***********1234"); a shorter
// one keeps its first 2 and last 2; one of 4 characters or fewer becomes all
// stars. Characters are counted as runes.
func MaskIDNumber(s string) string {
	r := []rune(s)
	switch n := len(r); {
	case n >= 18:
		return maskRunes(r, 3, 4)
	case n > 4:
		return maskRunes(r, 2, 2)
	default:
		return maskRunes(r, 0, 0)
	}
}

// MaskPhone hides most of a phone number: a mobile keeps its first 3 and
// last 4 digits ("138****5678"); a landline "AREA-LOCAL" keeps its area
// code and the last 4 digits of the local number ("0375-***4567"). Any
// other text keeps only its last 4 characters, and none when shorter than 8.
func MaskPhone(s string) string {
	if isMobile(s) {
		return maskRunes([]rune(s), 3, 4)
	}
	if code, local, ok := strings.Cut(s, "-"); ok && code != "" && len(local) > 4 && allDigits(code) && allDigits(local) {
		return code + "-" + maskRunes([]rune(local), 0, 4)
	}
	r := []rune(s)
	if len(r) < 8 {
		return maskRunes(r, 0, 0)
	}
	return maskRunes(r, 0, 4)
}

// maskRunes returns r with every rune but the first keep and the last tail
// replaced by '*'.
func maskRunes(r []rune, keep, tail int) string {
	out := make([]rune, len(r))
	for i, c := range r {
		if i < keep || i >= len(r)-tail {
			out[i] = c
		} else {
			out[i] = '*'
		}
	}
	return string(out)
}

// maxMaskedAddress is how many characters of an address stay visible.
const maxMaskedAddress = 6

// Mask returns p as a role without access to personal data sees it: the ID
// number and phone masked, and the address cut to its first 6 characters
// followed by "…" when it is longer. Name, role, kind and an
// organisation's credit code are shown as they are.
func Mask(p Party) Party {
	if p.IDNumber != "" {
		p.IDNumber = MaskIDNumber(p.IDNumber)
	}
	if p.Phone != "" {
		p.Phone = MaskPhone(p.Phone)
	}
	if r := []rune(p.Address); len(r) > maxMaskedAddress {
		p.Address = string(r[:maxMaskedAddress]) + "…"
	}
	return p
}

// foldWidth turns full-width ASCII forms (U+FF01–U+FF5E, such as ０-９, Ａ-Ｚ,
// （ and －) into ASCII and the ideographic space U+3000 into a space, as
// Chinese input methods often type them.
func foldWidth(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			return r - 0xFEE0
		case r == 0x3000:
			return ' '
		}
		return r
	}, s)
}

// strip returns s without the runes for which drop is true.
func strip(s string, drop func(rune) bool) string {
	return strings.Map(func(r rune) rune {
		if drop(r) {
			return -1
		}
		return r
	}, s)
}

// isSpace reports whether r is white space or an invisible character that
// copy and paste brings along (zero-width space, byte-order mark).
func isSpace(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\r', '\v', '\f', 0x85, 0xA0, 0x3000, 0x200B, 0xFEFF:
		return true
	}
	return r >= 0x2000 && r <= 0x200A
}

// isSpaceOrHyphen reports whether r is a space or a hyphen or dash.
func isSpaceOrHyphen(r rune) bool {
	return isSpace(r) || r == '-' || r >= 0x2010 && r <= 0x2015 || r == 0x2212
}

// allDigits reports whether s is non-empty and holds only ASCII digits.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
