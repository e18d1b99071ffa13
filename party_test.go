package jiefen

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// testToday is the day the tests run on, in China Standard Time.
var testToday = time.Date(2025, 6, 15, 23, 30, 0, 0, time.FixedZone("CST", 8*3600))

// withCheck appends the GB 11643 check character to 17 digits. It computes
// the weights as 2^(17-i) mod 11 and the check as (12 - sum mod 11) mod 11,
// independently of the tables in party.go.
func withCheck(t *testing.T, digits17 string) string {
	t.Helper()
	if len(digits17) != 17 {
		t.Fatalf("withCheck(%q): need 17 digits", digits17)
	}
	sum := 0
	for i := 0; i < 17; i++ {
		w := 1
		for j := 0; j < 17-i; j++ {
			w = w * 2 % 11
		}
		sum += int(digits17[i]-'0') * w
	}
	c := (12 - sum%11) % 11
	if c == 10 {
		return digits17 + "X"
	}
	return digits17 + string(rune('0'+c))
}

// fullWidth turns ASCII digits and letters into their full-width forms, as a
// Chinese input method types them.
func fullWidth(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '!' && r <= '~' {
			return r + 0xFEE0
		}
		return r
	}, s)
}

// wrongCheck returns id with another check character.
func wrongCheck(id string) (string, byte) {
	w := byte('3')
	if id[17] == '3' {
		w = '4'
	}
	return id[:17] + string(w), w
}

func TestWithCheckMatchesPublishedExample(t *testing.T) {
	// The example of GB 11643-1999 itself.
	if got := withCheck(t, "11010519491231002"); got != "11010519491231002X" {
		t.Fatalf("withCheck = %s, want 11010519491231002X", got)
	}
}

func TestNormalizeIDNumberAccepts(t *testing.T) {
	base := withCheck(t, "41048219900101123")
	tests := []struct {
		name, in, want string
	}{
		{"published example", "11010519491231002X", "11010519491231002X"},
		{"lower-case x", "11010519491231002x", "11010519491231002X"},
		{"constructed", base, base},
		{"full width", fullWidth(base), base},
		{"full-width lower-case x", fullWidth("11010519491231002x"), "11010519491231002X"},
		{"spaces and hyphens", "410482 1990-0101 " + base[14:], base},
		{"ideographic space", "\u3000410482\u300019900101" + base[14:] + "\u3000", base},
		{"tab and newline", "\t" + base + "\n", base},
		{"leap day", withCheck(t, "41048220000229123"), withCheck(t, "41048220000229123")},
		{"born 1900-01-01", withCheck(t, "41048219000101123"), withCheck(t, "41048219000101123")},
		{"born today", withCheck(t, "41048220250615123"), withCheck(t, "41048220250615123")},
		{"Hong Kong 81", withCheck(t, "81000019900101123"), withCheck(t, "81000019900101123")},
		{"Macao 82", withCheck(t, "82000019900101123"), withCheck(t, "82000019900101123")},
		{"Taiwan 83", withCheck(t, "83000019900101123"), withCheck(t, "83000019900101123")},
		{"Taiwan 71", withCheck(t, "71000019900101123"), withCheck(t, "71000019900101123")},
		{"Xinjiang 65", withCheck(t, "65010219900101123"), withCheck(t, "65010219900101123")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NormalizeIDNumber(tt.in, testToday)
			if err != nil {
				t.Fatalf("NormalizeIDNumber(%q) error: %v", tt.in, err)
			}
			if got != tt.want {
				t.Fatalf("NormalizeIDNumber(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestNormalizeIDNumberRejects(t *testing.T) {
	good := withCheck(t, "41048219900101123")
	bad, w := wrongCheck(good)
	tests := []struct {
		name, in, want string // want is a part of the message
	}{
		{"wrong check", bad, "the check character should be " + good[17:] + ", not " + string(w)},
		{"wrong check X", "110105194912310021", "the check character should be X, not 1"},
		{"Feb 30", withCheck(t, "41048219900230123"), "is not a real date: that month has no day 30"},
		{"Feb 29 of 1900", withCheck(t, "41048219000229123"), "that month has no day 29"},
		{"Feb 29 of 2023", withCheck(t, "41048220230229123"), "that month has no day 29"},
		{"April 31", withCheck(t, "41048219900431123"), "that month has no day 31"},
		{"day 0", withCheck(t, "41048219900100123"), "that month has no day 0"},
		{"month 13", withCheck(t, "41048219901301123"), "is not a real date: there is no month 13"},
		{"month 0", withCheck(t, "41048219900001123"), "there is no month 0"},
		{"before 1900", withCheck(t, "41048218991231123"), "the date of birth is before 1900"},
		{"tomorrow", withCheck(t, "41048220250616123"), "the date of birth is in the future"},
		{"next year", withCheck(t, "41048220260101123"), "the date of birth is in the future"},
		{"region 99", withCheck(t, "99048219900101123"), "the region code 99 is not a province"},
		{"region 00", withCheck(t, "00048219900101123"), "the region code 00 is not a province"},
		{"region 16", withCheck(t, "16048219900101123"), "the region code 16 is not a province"},
		{"region 84", withCheck(t, "84048219900101123"), "the region code 84 is not a province"},
		{"17 characters", good[:17], "must be 18 characters, not 17"},
		{"19 characters", good + "1", "must be 18 characters, not 19"},
		{"15 digits", "410482900101123", "must be 18 characters (15-digit numbers from before 1999 must be converted)"},
		{"letter inside", good[:4] + "A" + good[5:], "the first 17 characters must be digits (character 5 is not)"},
		{"Chinese character inside", good[:10] + "年" + good[11:], "character 11 is not"},
		{"X not last", "11010519491231002X"[:16] + "X0", "character 17 is not"},
		{"bad last character", good[:17] + "Y", "the last character must be a digit or X"},
		{"empty", "", "is required"},
		{"only spaces", " \u3000 ", "is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NormalizeIDNumber(tt.in, testToday)
			if err == nil {
				t.Fatalf("NormalizeIDNumber(%q) = %q, want an error containing %q", tt.in, got, tt.want)
			}
			if ErrorCodeOf(err) != EINVALID {
				t.Errorf("code = %q, want %q", ErrorCodeOf(err), EINVALID)
			}
			msg := err.(*Error).Message
			if !strings.Contains(msg, tt.want) {
				t.Errorf("message %q does not contain %q", msg, tt.want)
			}
			if len(tt.in) >= 14 && strings.Contains(msg, tt.in[6:14]) {
				t.Errorf("message %q repeats the date of birth: personal data", msg)
			}
		})
	}
}

func TestNormalizeIDNumberComparesDatesInTodaysZone(t *testing.T) {
	// 2025-06-15 23:30 in Beijing is still 2025-06-15 15:30 in UTC, and
	// 2025-06-16 00:30 in Beijing is 2025-06-15 in UTC: the date of the
	// given time counts, not its instant in UTC.
	cst := time.FixedZone("CST", 8*3600)
	id := withCheck(t, "41048220250616123")
	if _, err := NormalizeIDNumber(id, time.Date(2025, 6, 16, 0, 30, 0, 0, cst)); err != nil {
		t.Errorf("born on the day of today: %v", err)
	}
	if _, err := NormalizeIDNumber(id, time.Date(2025, 6, 15, 23, 30, 0, 0, cst)); err == nil {
		t.Errorf("born tomorrow: no error")
	}
}

func TestNormalizeDocumentNumber(t *testing.T) {
	tests := []struct {
		name string
		typ  IDType
		in   string
		want string // canonical form, or a part of the message when bad
		bad  bool
	}{
		{"passport", IDPassport, "E12345678", "E12345678", false},
		{"passport lower case and full width", IDPassport, "ｅ１２３４５６７８", "E12345678", false},
		{"passport spaces", IDPassport, " E 1234 5678\u3000", "E12345678", false},
		{"hk macao permit", IDHKMacao, "h12345678", "H12345678", false},
		{"taiwan permit", IDTaiwan, "12345678", "12345678", false},
		{"other keeps hyphens", IDOther, "ab-12-34", "AB-12-34", false},
		{"full-width hyphen", IDOther, "AB－1234", "AB-1234", false},
		{"30 characters", IDOther, strings.Repeat("A", 30), strings.Repeat("A", 30), false},
		{"too short", IDPassport, "E123", "must be 5 to 30 characters, not 4", true},
		{"too long", IDOther, strings.Repeat("A", 31), "must be 5 to 30 characters, not 31", true},
		{"bad characters", IDPassport, "E1234#678", "may hold only letters A–Z, digits and '-'", true},
		{"Chinese characters", IDOther, "护照12345", "may hold only letters A–Z, digits and '-'", true},
		{"empty", IDPassport, "  ", "is required", true},
		{"foreign old format", IDForeignPermanent, "usa310099040001", "USA310099040001", false},
		{"foreign 2023 format", IDForeignPermanent, "911310202301011234", "911310202301011234", false},
		{"foreign 16 characters", IDForeignPermanent, "USA3100990400011", "must be 15 characters (old format) or 18 characters (2023 format), not 16", true},
		{"foreign hyphen", IDForeignPermanent, "USA-10099040001", "may hold only letters and digits", true},
		{"resident is not for this function", IDResident, "11010519491231002X", "NormalizeIDNumber", true},
		{"unknown type", IDType("visa"), "E12345678", "unknown document type", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NormalizeDocumentNumber(tt.typ, tt.in)
			if tt.bad {
				if err == nil {
					t.Fatalf("NormalizeDocumentNumber(%s, %q) = %q, want an error", tt.typ, tt.in, got)
				}
				if msg := err.(*Error).Message; !strings.Contains(msg, tt.want) {
					t.Errorf("message %q does not contain %q", msg, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatalf("NormalizeDocumentNumber(%s, %q) error: %v", tt.typ, tt.in, err)
			}
			if got != tt.want {
				t.Errorf("NormalizeDocumentNumber(%s, %q) = %q, want %q", tt.typ, tt.in, got, tt.want)
			}
		})
	}
}

func TestNormalizePhoneAccepts(t *testing.T) {
	tests := []struct{ in, want string }{
		{"13812345678", "13812345678"},
		{"+86 138-1234-5678", "13812345678"},
		{"+8613812345678", "13812345678"},
		{"008613812345678", "13812345678"},
		{"8613812345678", "13812345678"},
		{"８６13812345678", "13812345678"},
		{"＋８６　１３８１２３４５６７８", "13812345678"},
		{"138 1234 5678", "13812345678"},
		{"138.1234.5678", "13812345678"},
		{"19912345678", "19912345678"},
		{"(0375)1234567", "0375-1234567"},
		{"（０３７５）１２３４５６７", "0375-1234567"},
		{"0375-1234567", "0375-1234567"},
		{"0375 123 4567", "0375-1234567"},
		{"0375-12345678", "0375-12345678"},
		{"010-12345678", "010-12345678"},
		{"021 2345 6789", "021-23456789"},
		{"029-8765432", "029-8765432"},
		{"+86 375 1234567", "0375-1234567"},
		{"+86 10 12345678", "010-12345678"},
		{"0086 21 23456789", "021-23456789"},
		{"+86 (0)375 1234567", "0375-1234567"},
	}
	for _, tt := range tests {
		got, err := NormalizePhone(tt.in)
		if err != nil {
			t.Errorf("NormalizePhone(%q) error: %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("NormalizePhone(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNormalizePhoneRejects(t *testing.T) {
	tests := []struct{ in, want string }{
		{"1281234567", "a mobile number has 11 digits starting 13–19"},
		{"12812345678", "a mobile number has 11 digits starting 13–19"},
		{"1381234567", "a mobile number has 11 digits starting 13–19"},
		{"138123456789", "a mobile number has 11 digits starting 13–19"},
		{"+86 1381234567", "a mobile number has 11 digits starting 13–19"},
		{"1234567", "a landline needs its area code, e.g. 0375-1234567"},
		{"23456789", "a landline needs its area code, e.g. 0375-1234567"},
		{"", "is required"},
		{" - ", "is required"},
		{"0375-123456", "a landline has 7 or 8 digits after the area code 0375"},
		{"0375-123456789", "a landline has 7 or 8 digits after the area code 0375"},
		{"010-1234567890", "a landline has 7 or 8 digits after the area code 010"},
		{"0375-0123456", "a landline's local number cannot start with 0"},
		{"12345678", "a landline needs its area code, e.g. 0375-1234567"},
		{"013-81234567", "the area code 013 does not exist"},
		{"037", "a landline needs its area code"},
		{"+852 1234 5678", "only mainland Chinese numbers (+86) are accepted"},
		{"00852 1234 5678", "only mainland Chinese numbers (+86) are accepted"},
		{"138-1234-567a", "may hold only digits"},
		{"0375-1234567 转 8", "may hold only digits"},
		{"+86", "may hold only digits"},
	}
	for _, tt := range tests {
		got, err := NormalizePhone(tt.in)
		if err == nil {
			t.Errorf("NormalizePhone(%q) = %q, want an error containing %q", tt.in, got, tt.want)
			continue
		}
		if ErrorCodeOf(err) != EINVALID {
			t.Errorf("NormalizePhone(%q): code %q, want %q", tt.in, ErrorCodeOf(err), EINVALID)
		}
		if msg := err.(*Error).Message; !strings.Contains(msg, tt.want) {
			t.Errorf("NormalizePhone(%q): message %q does not contain %q", tt.in, msg, tt.want)
		}
	}
}

func TestMaskIDNumber(t *testing.T) {
	tests := []struct{ in, want string }{
		{"410482199001011234", "410***********1234"},
		{"11010519491231002X", "110***********002X"},
		{"E12345678", "E1*****78"},
		{"USA310099040001", "US***********01"},
		{"ABCDE", "AB*DE"},
		{"ABCD", "****"},
		{"A", "*"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := MaskIDNumber(tt.in); got != tt.want {
			t.Errorf("MaskIDNumber(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := MaskIDNumber("410482199001011234"); strings.Count(got, "*") != 11 {
		t.Errorf("MaskIDNumber of 18 characters has %d stars, want 11", strings.Count(got, "*"))
	}
}

func TestMaskPhone(t *testing.T) {
	tests := []struct{ in, want string }{
		{"13812345678", "138****5678"},
		{"0375-1234567", "0375-***4567"},
		{"0375-12345678", "0375-****5678"},
		{"010-12345678", "010-****5678"},
		{"1234567", "*******"},
		{"+85212345678", "********5678"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := MaskPhone(tt.in); got != tt.want {
			t.Errorf("MaskPhone(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMaskParty(t *testing.T) {
	p := Party{Role: PartyApplicant, Name: "张三", IDType: IDResident, IDNumber: "410482199001011234",
		Phone: "13812345678", Address: "河南省汝州市钟楼街道某某路1号"}
	got := Mask(p)
	want := Party{Role: PartyApplicant, Name: "张三", IDType: IDResident, IDNumber: "410***********1234",
		Phone: "138****5678", Address: "河南省汝州市…"}
	if got != want {
		t.Errorf("Mask = %+v, want %+v", got, want)
	}
	if p.IDNumber != "410482199001011234" {
		t.Errorf("Mask changed its argument")
	}
	short := Party{Role: PartyRespondent, Name: "李四", Address: "汝州市钟楼"}
	if got := Mask(short); got != short {
		t.Errorf("Mask of a party without ID or phone and a short address = %+v, want it unchanged", got)
	}
	six := Party{Address: "河南省汝州市"}
	if got := Mask(six).Address; got != "河南省汝州市" {
		t.Errorf("an address of exactly 6 characters masked to %q, want it unchanged", got)
	}
}

// fields returns the sorted field names of problems.
func fields(p Problems) []string {
	var f []string
	for _, e := range p {
		f = append(f, e.Field)
	}
	slices.Sort(f)
	return f
}

func TestPartyNormalize(t *testing.T) {
	id := withCheck(t, "41048219900101123")
	p := Party{Role: PartyApplicant, Name: "  张三\u3000", IDNumber: " " + fullWidth(id) + " ",
		Phone: "+86 138-1234-5678", Address: "  河南省汝州市  "}
	var problems Problems
	p.Normalize(testToday, "parties[0]", &problems)
	if len(problems) != 0 {
		t.Fatalf("problems = %+v, want none", problems)
	}
	want := Party{Role: PartyApplicant, Kind: PartyPerson, Name: "张三", IDType: IDResident, IDNumber: id,
		Phone: "13812345678", Address: "河南省汝州市"}
	if p != want {
		t.Errorf("Normalize = %+v, want %+v", p, want)
	}

	passport := Party{Role: PartyThirdParty, Name: "John Smith", IDType: IDPassport, IDNumber: "e 1234 5678"}
	problems = nil
	passport.Normalize(testToday, "parties[2]", &problems)
	if len(problems) != 0 || passport.IDNumber != "E12345678" || passport.IDType != IDPassport {
		t.Errorf("passport party = %+v, problems %+v", passport, problems)
	}

	bare := Party{Role: PartyRespondent, Name: "某某公司"}
	problems = nil
	bare.Normalize(testToday, "parties[3]", &problems)
	if len(problems) != 0 || bare.IDType != "" {
		t.Errorf("a party without ID and phone = %+v, problems %+v; want no problems and no ID type", bare, problems)
	}
}

func TestPartyNormalizeNamesEveryBadField(t *testing.T) {
	bad, _ := wrongCheck(withCheck(t, "41048219900101123"))
	tests := []struct {
		name  string
		party Party
		want  []string
	}{
		{"bad id, bad phone, no name",
			Party{Role: PartyRespondent, Name: "  ", IDNumber: bad, Phone: "12812345678"},
			[]string{"parties[1].id_number", "parties[1].name", "parties[1].phone"}},
		{"bad role and id type",
			Party{Role: "witness", Name: "王五", IDType: "driving_licence", IDNumber: "E12345678"},
			[]string{"parties[1].id_type", "parties[1].role"}},
		{"no role",
			Party{Name: "王五"},
			[]string{"parties[1].role"}},
		{"long name and address",
			Party{Role: PartyApplicant, Name: strings.Repeat("名", 101), Address: strings.Repeat("址", 201)},
			[]string{"parties[1].address", "parties[1].name"}},
		{"bad passport",
			Party{Role: PartyApplicant, Name: "王五", IDType: IDPassport, IDNumber: "E1"},
			[]string{"parties[1].id_number"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var problems Problems
			p := tt.party
			p.Normalize(testToday, "parties[1]", &problems)
			if got := fields(problems); !slices.Equal(got, tt.want) {
				t.Fatalf("fields = %v, want %v (%+v)", got, tt.want, problems)
			}
			for _, e := range problems {
				if e.Message == "" {
					t.Errorf("%s: empty message", e.Field)
				}
				if strings.HasPrefix(e.Message, string(EINVALID)) {
					t.Errorf("%s: message %q carries the error code", e.Field, e.Message)
				}
			}
		})
	}

	// The messages are those of the normalisers, and the bad values stay.
	var problems Problems
	p := Party{Role: PartyRespondent, IDNumber: bad, Phone: "12812345678"}
	p.Normalize(testToday, "parties[1]", &problems)
	msgs := map[string]string{}
	for _, e := range problems {
		msgs[e.Field] = e.Message
	}
	if m := msgs["parties[1].id_number"]; !strings.HasPrefix(m, "the check character should be ") {
		t.Errorf("id_number message = %q", m)
	}
	if m := msgs["parties[1].phone"]; m != "a mobile number has 11 digits starting 13–19" {
		t.Errorf("phone message = %q", m)
	}
	if m := msgs["parties[1].name"]; m != "is required" {
		t.Errorf("name message = %q", m)
	}
	if p.IDNumber != bad || p.Phone != "12812345678" {
		t.Errorf("bad values changed to %q, %q", p.IDNumber, p.Phone)
	}
	if err := problems.Err(); ErrorCodeOf(err) != EINVALID {
		t.Errorf("problems.Err() code = %q", ErrorCodeOf(err))
	}
}

func TestIDTypeAndPartyRoleValid(t *testing.T) {
	for _, v := range IDTypes() {
		if !v.Valid() {
			t.Errorf("%s not valid", v)
		}
	}
	for _, v := range []IDType{"", "Resident_ID", "visa"} {
		if v.Valid() {
			t.Errorf("%q valid", v)
		}
	}
	for _, v := range []PartyRole{PartyApplicant, PartyRespondent, PartyThirdParty} {
		if !v.Valid() {
			t.Errorf("%s not valid", v)
		}
	}
	for _, v := range []PartyRole{"", "Applicant", "witness"} {
		if v.Valid() {
			t.Errorf("%q valid", v)
		}
	}
}

// FuzzNormalizeIDNumberAndPhone checks that the normalisers never panic,
// that their canonical forms are fixed points, and that masking keeps the
// length of what it masks.
func FuzzNormalizeIDNumberAndPhone(f *testing.F) {
	for _, s := range []string{"11010519491231002x", "４１０４８２１９９００１０１１２３４", "+86 375 1234567",
		"(0375)1234567", "008613812345678", "+86", "0", "1", "", "\u3000", "+86 1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if id, err := NormalizeIDNumber(s, testToday); err == nil {
			if again, err := NormalizeIDNumber(id, testToday); err != nil || again != id {
				t.Errorf("NormalizeIDNumber(%q) = %q, but again gives %q, %v", s, id, again, err)
			}
			if m := MaskIDNumber(id); len(m) != len(id) || strings.Count(m, "*") != 11 {
				t.Errorf("MaskIDNumber(%q) = %q", id, m)
			}
		}
		if ph, err := NormalizePhone(s); err == nil {
			if again, err := NormalizePhone(ph); err != nil || again != ph {
				t.Errorf("NormalizePhone(%q) = %q, but again gives %q, %v", s, ph, again, err)
			}
			if m := MaskPhone(ph); len(m) != len(ph) || strings.Count(m, "*") < 3 {
				t.Errorf("MaskPhone(%q) = %q", ph, m)
			}
		}
		for _, typ := range IDTypes() {
			_, _ = NormalizeDocumentNumber(typ, s)
		}
		_ = Mask(Party{IDNumber: s, Phone: s, Address: s})
	})
}
