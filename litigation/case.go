package litigation

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"jiefen"
	"jiefen/calendar"
)

// KeyFlag marks a case in which the agency's head must appear (行政机关负责
// 人出庭应诉若干问题的规定 第4条): major public interest, high public
// attention, risk of mass incidents, procuratorate-initiated public-interest
// suits.
type KeyFlag string

// The key flags of API.md.
const (
	PublicInterest   KeyFlag = "public_interest"
	PublicAttention  KeyFlag = "public_attention"
	MassIncidentRisk KeyFlag = "mass_incident_risk"
	Procuratorate    KeyFlag = "procuratorate"
)

// KeyFlags lists every key flag.
var KeyFlags = []KeyFlag{PublicInterest, PublicAttention, MassIncidentRisk, Procuratorate}

// Position is who appeared for the agency. The principal head (正职), a
// deputy (副职) and the leader in charge of the matter (分管负责人) count as
// the head appearing (2020 规定 第2条; 行诉法解释 第128条); staff (工作人员)
// do not.
type Position string

// The positions.
const (
	Principal Position = "principal"
	Deputy    Position = "deputy"
	InCharge  Position = "in_charge"
	Staff     Position = "staff"
)

// IsHead reports whether the position counts as the head appearing.
func (p Position) IsHead() bool { return p == Principal || p == Deputy || p == InCharge }

// Result is how a case was concluded.
type Result string

// The results of API.md.
const (
	DismissedClaims      Result = "dismissed_claims"       // 驳回诉讼请求
	DismissedSuit        Result = "dismissed_suit"         // 驳回起诉
	Annulled             Result = "annulled"               // 撤销
	PartiallyAnnulled    Result = "partially_annulled"     // 部分撤销
	Varied               Result = "varied"                 // 变更
	ConfirmedUnlawful    Result = "confirmed_unlawful"     // 确认违法
	ConfirmedVoid        Result = "confirmed_void"         // 确认无效
	OrderedPerformance   Result = "ordered_performance"    // 责令履行
	Compensation         Result = "compensation"           // 行政赔偿
	Withdrawn            Result = "withdrawn"              // 撤诉
	WithdrawnAfterChange Result = "withdrawn_after_change" // 改变行为后撤诉
	Mediated             Result = "mediated"               // 调解
)

// Results lists every result.
var Results = []Result{DismissedClaims, DismissedSuit, Annulled, PartiallyAnnulled, Varied, ConfirmedUnlawful,
	ConfirmedVoid, OrderedPerformance, Compensation, Withdrawn, WithdrawnAfterChange, Mediated}

// Lost reports whether the agency lost (败诉): the judgment annuls, partly
// annuls, varies, declares unlawful or void, orders performance or
// compensation (DOMAIN.md, "Loss rate"). Dismissals are won; withdrawals
// and mediation are neither, though a withdrawal after the agency changed
// its act stays visible as its own result.
func (r Result) Lost() bool {
	switch r {
	case Annulled, PartiallyAnnulled, Varied, ConfirmedUnlawful, ConfirmedVoid, OrderedPerformance, Compensation:
		return true
	}
	return false
}

// LossCause is why a case was lost (败诉原因).
type LossCause string

// The loss causes.
const (
	ProcedureViolation LossCause = "procedure_violation" // 程序违法
	UnclearFacts       LossCause = "unclear_facts"       // 事实不清
	WrongLaw           LossCause = "wrong_law"           // 适用法律错误
	UltraVires         LossCause = "ultra_vires"         // 超越职权
	Inaction           LossCause = "inaction"            // 不作为
	OtherCause         LossCause = "other"               // 其他
)

// LossCauses lists every loss cause.
var LossCauses = []LossCause{ProcedureViolation, UnclearFacts, WrongLaw, UltraVires, Inaction, OtherCause}

// Case is an administrative lawsuit against the city's administrative
// bodies (agencies, the city government, township governments and 街道办事
// 处), one instance (一审, 二审, 再审) with its own case number.
type Case struct {
	ID         int64      `json:"id"`
	CaseNumber CaseNumber `json:"case_number"`
	Defendant  string     `json:"defendant"` // the org code of the (first) defendant
	// Defendants are the org codes of every defendant, Defendant first and
	// the co-defendants (共同被告) after it. The case counts in the figures
	// of each, and once in the city's.
	Defendants []string      `json:"defendants"`
	Plaintiff  string        `json:"plaintiff"`
	Cause      string        `json:"cause"` // 案由
	FiledOn    calendar.Date `json:"filed_on"`
	KeyFlags   []KeyFlag     `json:"key_flags"`
	// PlaintiffKind says whether the plaintiff is a person or an
	// organisation, and PlaintiffCreditCode is an organisation's
	// 统一社会信用代码, shown as it is (it is not personal data).
	PlaintiffKind       jiefen.PartyKind `json:"plaintiff_kind"`
	PlaintiffCreditCode string           `json:"plaintiff_credit_code,omitempty"`
	// PreviousID links an appeal or retrial to the instance before it.
	PreviousID *int64 `json:"previous_id"`
	// ReconsiderationID links a suit to the reconsideration case it follows.
	ReconsiderationID *int64    `json:"reconsideration_id"`
	Hearings          []Hearing `json:"hearings"`
	Outcome           *Outcome  `json:"outcome"`
	// Clocks are recomputed on every read (ComputeClocks), never stored.
	Clocks    []calendar.Reading `json:"clocks"`
	Version   int64              `json:"version"`
	CreatedAt time.Time          `json:"created_at"`
	UpdatedAt time.Time          `json:"updated_at"`
}

// HasDefendant reports whether the org with the code is one of the
// defendants: its staff may see and act on the case.
func (c *Case) HasDefendant(code string) bool { return slices.Contains(c.Defendants, code) }

// SetDefendant makes code the defendant in place of the first one,
// keeping the co-defendants (code leaves their list if it was there).
func (c *Case) SetDefendant(code string) {
	var rest []string
	if len(c.Defendants) > 0 {
		rest = slices.DeleteFunc(slices.Clone(c.Defendants[1:]), func(d string) bool { return d == code })
	}
	c.Defendant, c.Defendants = code, append([]string{code}, rest...)
}

// Key reports whether the case carries a key flag, so that its head must
// appear.
func (c *Case) Key() bool { return len(c.KeyFlags) > 0 }

// Hearing is a court hearing (开庭) and who appeared for the agency. A
// hearing after today is scheduled; its appearer, if named, is the head
// confirmed to appear.
type Hearing struct {
	HeldOn       calendar.Date  `json:"held_on"`
	HeadAppeared bool           `json:"head_appeared"`
	Appearer     *Appearer      `json:"appearer"`
	NoticeOn     *calendar.Date `json:"notice_on"` // the court's appearance notice (出庭通知)
}

// Appearer is who appeared for the agency.
type Appearer struct {
	Name     string   `json:"name"`
	Position Position `json:"position"`
}

// Outcome is how the case was concluded.
type Outcome struct {
	Result      Result        `json:"result"`
	ConcludedOn calendar.Date `json:"concluded_on"`
	LossCauses  []LossCause   `json:"loss_causes"`
}

// MaxDefendants is the most defendants a case names.
const MaxDefendants = 20

// Filing is a new case as a court liaison or an agency enters it, or as a
// court's row gives it.
type Filing struct {
	CaseNumber string
	// Defendant names the defendant (code, name or alias), as entered or as
	// the court's 被告 cell says (which may name several, see
	// SplitDefendants).
	Defendant string
	// Defendants, when given, name every defendant, the first being
	// Defendant (共同被告 after it).
	Defendants        []string
	Plaintiff         string
	Cause             string
	FiledOn           calendar.Date
	KeyFlags          []KeyFlag
	PreviousID        *int64
	ReconsiderationID *int64

	PlaintiffKind       jiefen.PartyKind // person when empty
	PlaintiffCreditCode string           // an organisation's 统一社会信用代码
}

// MaxTextLen is the most characters a plaintiff, a cause or a 被告 cell may
// have: several plaintiffs' names fit, and a cause is a few words.
const MaxTextLen = 500

// Validate parses the case number and names every bad field. A plaintiff
// of no kind is a person; only an organisation has a credit code
// (plaintiff_credit_code), checked as a party's is.
func (f *Filing) Validate(today calendar.Date) (CaseNumber, error) {
	var p jiefen.Problems
	n, err := ParseCaseNumber(f.CaseNumber)
	if err != nil {
		p = append(p, fieldsOf(err)...)
	}
	f.Defendant = strings.TrimSpace(f.Defendant)
	switch {
	case len(f.Defendants) > MaxDefendants:
		p.Add("defendants", "at most %d defendants", MaxDefendants)
	case len(f.Defendants) > 0:
		for i := range f.Defendants {
			if f.Defendants[i] = strings.TrimSpace(f.Defendants[i]); f.Defendants[i] == "" {
				p.Add(fmt.Sprintf("defendants[%d]", i), "is empty: name the body sued (code, name or alias)")
			}
		}
		if f.Defendant != "" && f.Defendant != f.Defendants[0] {
			p.Add("defendant", "must be the first of defendants (%s), or be left out", f.Defendants[0])
		}
	case f.Defendant == "":
		p.Add("defendant", "is required: the body sued (code, name or alias)")
	}
	f.Plaintiff = strings.TrimSpace(f.Plaintiff)
	jiefen.NormalizeKind(&f.PlaintiffKind, &f.PlaintiffCreditCode, "plaintiff_kind", "plaintiff_credit_code", &p)
	f.Cause = strings.TrimSpace(f.Cause)
	for _, t := range []struct{ field, v string }{{"plaintiff", f.Plaintiff}, {"cause", f.Cause}} {
		if n := utf8.RuneCountInString(t.v); n > MaxTextLen {
			p.Add(t.field, "超过 %d 个字（现为 %d 个）", MaxTextLen, n)
		}
	}
	switch {
	case f.FiledOn == 0:
		p.Add("filed_on", "is required")
	case f.FiledOn > today:
		p.Add("filed_on", "%s is in the future", f.FiledOn)
	case err == nil && f.FiledOn.Year() < n.Year:
		p.Add("filed_on", "%s is before the case number's year %d", f.FiledOn, n.Year)
	}
	checkFlags(&p, f.KeyFlags)
	return n, p.Err()
}

// Named returns the names of every defendant as entered: Defendants, or
// Defendant alone.
func (f *Filing) Named() []string {
	if len(f.Defendants) > 0 {
		return f.Defendants
	}
	return []string{f.Defendant}
}

// DefendantField is the field of the i-th name of Named, for its problems.
func (f *Filing) DefendantField(i int) string {
	if len(f.Defendants) > 0 {
		return fmt.Sprintf("defendants[%d]", i)
	}
	return "defendant"
}

// SplitDefendants returns the defendants a court's 被告 cell names: several
// are joined by 、 or ； (also ;, ，, a comma or a line break in the cell).
// Blank parts are dropped.
func SplitDefendants(cell string) []string {
	parts := strings.FieldsFunc(cell, func(r rune) bool {
		switch r {
		case '、', '；', ';', '，', ',', '\n', '\r':
			return true
		}
		return false
	})
	out := make([]string, 0, len(parts))
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func checkFlags(p *jiefen.Problems, flags []KeyFlag) {
	for i, k := range flags {
		if !slices.Contains(KeyFlags, k) {
			p.Add(fmt.Sprintf("key_flags[%d]", i), "must be one of public_interest, public_attention, mass_incident_risk, procuratorate")
		}
	}
}

// fieldsOf returns the field errors of err, or one on case_number.
func fieldsOf(err error) []jiefen.FieldError {
	if e, ok := err.(*jiefen.Error); ok && len(e.Fields) > 0 {
		return e.Fields
	}
	return []jiefen.FieldError{jiefen.Field("case_number", "%v", err)}
}

// AddHearing records a hearing. An appearer in a head's position is the
// head appearing; head_appeared with staff, or without an appearer, is
// refused. A hearing after today is scheduled and cannot yet say who
// appeared, only who is confirmed to.
func (c *Case) AddHearing(h Hearing, today calendar.Date) error {
	var p jiefen.Problems
	if h.HeldOn == 0 {
		p.Add("held_on", "is required")
	} else if h.HeldOn < c.FiledOn {
		p.Add("held_on", "%s is before the case was filed (%s)", h.HeldOn, c.FiledOn)
	}
	if h.Appearer != nil {
		h.Appearer.Name = strings.TrimSpace(h.Appearer.Name)
		if h.Appearer.Name == "" {
			p.Add("appearer.name", "is required")
		}
		switch h.Appearer.Position {
		case Principal, Deputy, InCharge, Staff:
		default:
			p.Add("appearer.position", "must be principal, deputy, in_charge or staff")
		}
	}
	if h.HeadAppeared {
		switch {
		case h.Appearer == nil:
			p.Add("appearer", "name who appeared when head_appeared is true")
		case h.Appearer.Position == Staff:
			p.Add("head_appeared", "a staff member appearing is not the head appearing (行政机关负责人出庭应诉若干问题的规定 第2条)")
		case h.HeldOn > today:
			p.Add("head_appeared", "the hearing of %s has not been held yet; name the confirmed appearer without head_appeared", h.HeldOn)
		}
	}
	if h.NoticeOn != nil && *h.NoticeOn > today {
		p.Add("notice_on", "%s is in the future", *h.NoticeOn)
	}
	if err := p.Err(); err != nil {
		return err
	}
	c.Hearings = append(c.Hearings, h)
	slices.SortStableFunc(c.Hearings, func(a, b Hearing) int { return int(a.HeldOn - b.HeldOn) })
	return nil
}

// Conclude records the outcome; a lost case names its loss causes, a case
// not lost names none. A concluded case cannot be concluded again (409).
func (c *Case) Conclude(o Outcome, today calendar.Date) error {
	if c.Outcome != nil {
		return jiefen.Errorf(jiefen.ECONFLICT, "the case was concluded on %s (%s)", c.Outcome.ConcludedOn, c.Outcome.Result)
	}
	var p jiefen.Problems
	if !slices.Contains(Results, o.Result) {
		p.Add("result", "must be one of dismissed_claims, dismissed_suit, annulled, partially_annulled, varied, confirmed_unlawful, confirmed_void, ordered_performance, compensation, withdrawn, withdrawn_after_change, mediated")
	}
	switch {
	case o.ConcludedOn == 0:
		p.Add("concluded_on", "is required")
	case o.ConcludedOn > today:
		p.Add("concluded_on", "%s is in the future", o.ConcludedOn)
	case o.ConcludedOn < c.FiledOn:
		p.Add("concluded_on", "%s is before the case was filed (%s)", o.ConcludedOn, c.FiledOn)
	}
	for i, lc := range o.LossCauses {
		if !slices.Contains(LossCauses, lc) {
			p.Add(fmt.Sprintf("loss_causes[%d]", i), "must be one of procedure_violation, unclear_facts, wrong_law, ultra_vires, inaction, other")
		}
	}
	if len(o.LossCauses) > 0 && !o.Result.Lost() {
		p.Add("loss_causes", "a case not lost has no loss causes")
	}
	if err := p.Err(); err != nil {
		return err
	}
	if o.LossCauses == nil {
		o.LossCauses = []LossCause{}
	}
	c.Outcome = &o
	return nil
}

// AppearanceAlert reports whether a key case has a hearing within the next
// days (today included) with no head confirmed to appear: the head must
// appear in such cases (2020 规定 第4条), and the court notifies three days
// ahead (第5条).
func (c *Case) AppearanceAlert(today calendar.Date, days int) *Hearing {
	if !c.Key() || c.Outcome != nil {
		return nil
	}
	for i := range c.Hearings {
		h := &c.Hearings[i]
		if h.HeldOn >= today && h.HeldOn <= today.AddDays(days) && (h.Appearer == nil || !h.Appearer.Position.IsHead()) {
			return h
		}
	}
	return nil
}
