// Package report builds the leaders' year: the figures that the
// 法治政府建设年度报告 of a county-level government gives in its sections
// on resolving disputes (七 社会矛盾纠纷依法有效化解) and on the link
// between the government and the court (八 府院联动), each beside the year
// before, with its definition, the statistics it equals and the list of
// the cases behind it; and the draft paragraphs of those sections, written
// from a template the city can change (see Drafter).
//
// Every figure is one the statistics of its domain already count, under
// the same definition: the report gathers, it does not count again.
package report

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"jiefen/calendar"
	"jiefen/liaison"
	"jiefen/litigation"
	"jiefen/mediation"
	"jiefen/reconsideration"
	"jiefen/routing"
)

// Definition names and versions what the report's own figures count (the
// disputes received); a figure taken from a domain's statistics carries
// that domain's definition.
const Definition = "jiefen-annual/1"

// Unit says how a figure's value reads: a count of cases (or of ratings,
// interviews), an amount in fen, or a ratio between 0 and 1.
type Unit string

// The units of the report.
const (
	UnitCount Unit = "count"
	UnitFen   Unit = "fen"
	UnitRatio Unit = "ratio"
)

// Figure is one figure of the year, beside the year before.
type Figure struct {
	Key   string `json:"key"`   // e.g. "disputes.received.police"
	Label string `json:"label"` // what it is, in the report's words
	Unit  Unit   `json:"unit"`
	// Value and Previous are the year's and the year before's; nil for a
	// ratio over nothing. Change is Value − Previous, nil when either is.
	Value    *float64 `json:"value"`
	Previous *float64 `json:"previous"`
	Change   *float64 `json:"change"`
	// Text, PreviousText and ChangeText are the same as the report prints
	// them: 1234, 12.5%, 3.45万元; 增加12件, 上升1.2个百分点 (see Format).
	Text         string `json:"text"`
	PreviousText string `json:"previous_text"`
	ChangeText   string `json:"change_text"`
	// Definition is the named, versioned definition the figure is
	// counted under.
	Definition string `json:"definition"`
	// Source is the statistics request (a path under /api/v1 with its
	// query) that answers the same figure for the year; Cases the request
	// that lists the cases behind it, "" where the statistics list them
	// inline (Source then).
	Source string `json:"source"`
	Cases  string `json:"cases"`
}

// Section is one section of the report: its figures and its draft text.
type Section struct {
	Key     string   `json:"key"`    // "disputes", "liaison"
	Number  string   `json:"number"` // the report's section number: 七, 八
	Title   string   `json:"title"`
	Figures []Figure `json:"figures"`
	// Draft is the section's paragraph, written from the template (see
	// Drafter) for the leader to edit.
	Draft string `json:"draft"`
}

// Annual is the report of a year.
type Annual struct {
	Year       int       `json:"year"`
	Definition string    `json:"definition"`
	Sections   []Section `json:"sections"`
	// DoubleDecline is 双下降 city-wide and Agencies per agency, as
	// GET /litigation/double-decline answers them.
	DoubleDecline litigation.DoubleDecline   `json:"double_decline"`
	Agencies      []litigation.DoubleDecline `json:"agencies"`
}

// Year is what the statistics of one calendar year answer, the inputs of
// Build.
type Year struct {
	Year     int
	Received routing.Received
	// Subsidies are the 以案定补 lines of the year's months.
	Subsidies []mediation.SubsidyLine
	Ratings   mediation.RatingReport
	// Outcomes are how the year's mediations ended and its judicial
	// confirmations.
	Outcomes mediation.Outcomes
	// Reconsideration are the year's figures under Basis.
	Reconsideration reconsideration.Figures
	Basis           reconsideration.RateBasis
	// Litigation is the city-wide row of the year's lawsuit statistics,
	// FirstInstance the first-instance suits filed (双下降's count).
	Litigation    litigation.Row
	FirstInstance int
	Interviews    int // 约谈 held
	// Ledger are the 府院联动 ledger's figures and the judicial
	// suggestions of the year.
	Ledger liaison.Figures
}

// window is the year's first and last day, as the statistics take them.
func (y Year) window() (string, string) {
	return strconv.Itoa(y.Year) + "-01-01", strconv.Itoa(y.Year) + "-12-31"
}

// Build lays out the figures of cur beside those of prev (the year
// before), with 双下降 city-wide and per agency as litigation.DoubleDeclines
// gives them. The drafts are left empty: see Drafter.Draft.
func Build(cur, prev Year, city litigation.DoubleDecline, agencies []litigation.DoubleDecline) Annual {
	from, to := cur.window()
	period := url.Values{"from": {from}, "to": {to}}.Encode()
	b := builder{}

	// 七: disputes, mediation and reconsideration.
	received := Definition + " disputes.received: 登记受理日期（received_on）在当年的纠纷，按来源与当前所在轨道分列"
	b.add(Figure{Key: "disputes.received", Label: "受理矛盾纠纷", Unit: UnitCount, Definition: received,
		Cases: "/disputes?" + period}, count(cur.Received.Total), count(prev.Received.Total))
	for _, s := range routing.Sources() {
		b.add(Figure{Key: "disputes.received." + string(s), Label: "其中" + s.Label(), Unit: UnitCount, Definition: received,
			Cases: "/disputes?" + period + "&source=" + string(s)}, count(cur.Received.BySource[s]), count(prev.Received.BySource[s]))
	}
	for _, t := range routing.Tracks() {
		b.add(Figure{Key: "disputes.track." + string(t), Label: t.Label() + "受理", Unit: UnitCount, Definition: received,
			Cases: "/disputes?" + period + "&track=" + string(t)}, count(cur.Received.ByTrack[t]), count(prev.Received.ByTrack[t]))
	}
	subsidy := "mediation.subsidy/1: 以案定补：人民调解案件调解达成协议、有笔录、回访确认履行，在当年取得补贴资格（mediation.Case.SubsidyEarnedOn）"
	cn, cf := subsidies(cur.Subsidies)
	pn, pf := subsidies(prev.Subsidies)
	b.add(Figure{Key: "mediation.subsidy.cases", Label: "以案定补案件", Unit: UnitCount, Definition: subsidy,
		Source: "/mediation/subsidies?" + period}, count(cn), count(pn))
	b.add(Figure{Key: "mediation.subsidy.amount", Label: "以案定补补贴金额", Unit: UnitFen, Definition: subsidy,
		Source: "/mediation/subsidies?" + period}, fen(cf), fen(pf))
	ratings := fmt.Sprintf("mediation.rating/1: 当年回访评价（好差评），评分不高于%d分为差评，整改率为已整改差评数÷差评数，回访整改率为整改后又经回访的差评数÷差评数", mediation.LowRating)
	for _, f := range []struct {
		key, label string
		unit       Unit
		cur, prev  *float64
	}{
		{"mediation.ratings.rated", "回访评价", UnitCount, count(cur.Ratings.Rated), count(prev.Ratings.Rated)},
		{"mediation.ratings.low", "差评", UnitCount, count(cur.Ratings.Low), count(prev.Ratings.Low)},
		{"mediation.ratings.rectified", "差评已整改", UnitCount, count(cur.Ratings.Rectified), count(prev.Ratings.Rectified)},
		{"mediation.ratings.rectified_share", "差评整改率", UnitRatio, cur.Ratings.RectifiedShare, prev.Ratings.RectifiedShare},
		{"mediation.ratings.revisited", "差评整改后回访", UnitCount, count(cur.Ratings.Revisited), count(prev.Ratings.Revisited)},
		{"mediation.ratings.revisited_share", "实名差评回访整改率", UnitRatio, cur.Ratings.RevisitedShare, prev.Ratings.RevisitedShare},
	} {
		b.add(Figure{Key: f.key, Label: f.label, Unit: f.unit, Definition: ratings, Source: "/mediation/ratings?" + period}, f.cur, f.prev)
	}
	oc, op := cur.Outcomes, prev.Outcomes
	for _, f := range []struct {
		key, label string
		unit       Unit
		cur, prev  *float64
	}{
		{"mediation.agreed", "调解成功（达成协议）", UnitCount, count(oc.Agreed), count(op.Agreed)},
		{"mediation.failed", "调解不成", UnitCount, count(oc.Failed), count(op.Failed)},
		{"mediation.success_rate", "调解成功率", UnitRatio, oc.SuccessRate, op.SuccessRate},
		{"mediation.confirmation_applied", "申请司法确认", UnitCount, count(oc.ConfirmationApplied), count(op.ConfirmationApplied)},
		{"mediation.confirmed", "司法确认有效", UnitCount, count(oc.Confirmed), count(op.Confirmed)},
	} {
		figure := strings.TrimPrefix(f.key, "mediation.")
		if figure == "success_rate" {
			figure = "agreed"
		}
		b.add(Figure{Key: f.key, Label: f.label, Unit: f.unit, Definition: mediation.OutcomesDefinition, Source: "/mediation/outcomes?" + period,
			Cases: "/mediation/outcomes/cases?" + period + "&figure=" + figure}, f.cur, f.prev)
	}
	recon := fmt.Sprintf("reconsideration/1: 各项以其事件（收到申请、受理、审结、期限届满）发生在当年的案件计；纠错率=纠错÷%s", basisLabel(cur.Basis))
	rc, rp := cur.Reconsideration, prev.Reconsideration
	for _, f := range []struct {
		key, label string
		unit       Unit
		cur, prev  *float64
		cases      string // the figure whose cases to list
	}{
		{"reconsideration.received", "收到行政复议申请", UnitCount, count(rc.Received), count(rp.Received), "received"},
		{"reconsideration.accepted", "受理行政复议案件", UnitCount, count(rc.Accepted), count(rp.Accepted), "accepted"},
		{"reconsideration.decided", "审结行政复议案件", UnitCount, count(rc.Decided), count(rp.Decided), "decided"},
		{"reconsideration.corrected", "纠错", UnitCount, count(rc.Corrected), count(rp.Corrected), "corrected"},
		{"reconsideration.correction_rate", "纠错率", UnitRatio, rc.CorrectionRate, rp.CorrectionRate, "corrected"},
		{"reconsideration.resolved_by_mediation", "调解、和解实质性化解", UnitCount, count(rc.ResolvedByMediation), count(rp.ResolvedByMediation), "resolved_by_mediation"},
		{"reconsideration.overdue", "逾期未审结", UnitCount, count(rc.Overdue), count(rp.Overdue), "overdue"},
		{"reconsideration.late", "超期审结", UnitCount, count(rc.Late), count(rp.Late), "late"},
		{"reconsideration.committee_consulted", "行政复议委员会咨询", UnitCount, count(rc.CommitteeConsulted), count(rp.CommitteeConsulted), "committee_consulted"},
	} {
		b.add(Figure{Key: f.key, Label: f.label, Unit: f.unit, Definition: recon, Source: "/reconsideration/stats?" + period,
			Cases: "/reconsideration/stats/cases?" + period + "&figure=" + f.cases}, f.cur, f.prev)
	}
	disputes := b.take()

	// 八: lawsuits against the city's agencies, 双下降, 约谈.
	stats := "/litigation/stats?" + period
	cases := func(fig litigation.Figure, extra string) string {
		return "/litigation/stats/cases?" + period + "&figure=" + string(fig) + extra
	}
	lc, lp := cur.Litigation, prev.Litigation
	for _, f := range []struct {
		key, label string
		unit       Unit
		cur, prev  *float64
		source     string
		cases      string
	}{
		{"litigation.filed_first_instance", "一审行政诉讼案件新收", UnitCount, count(cur.FirstInstance), count(prev.FirstInstance),
			"/litigation/double-decline?year=" + strconv.Itoa(cur.Year), cases(litigation.Filed, "&instance=first")},
		{"litigation.concluded", "审结", UnitCount, count(lc.Concluded), count(lp.Concluded), stats, cases(litigation.Concluded, "")},
		{"litigation.lost", "败诉", UnitCount, count(lc.Lost), count(lp.Lost), stats, cases(litigation.Lost, "")},
		{"litigation.loss_rate", "败诉率", UnitRatio, lc.LossRate, lp.LossRate, stats, cases(litigation.Lost, "")},
		{"litigation.heard", "开庭审理", UnitCount, count(lc.Heard), count(lp.Heard), stats, cases(litigation.Heard, "")},
		{"litigation.appearance_rate", "行政机关负责人出庭应诉率", UnitRatio, lc.AppearanceRate, lp.AppearanceRate, stats, cases(litigation.HeadAppeared, "")},
		{"litigation.key_appearance_rate", "重点案件负责人出庭应诉率", UnitRatio, ratio(lc.KeyHeadAppeared, lc.KeyHeard), ratio(lp.KeyHeadAppeared, lp.KeyHeard),
			stats, cases(litigation.KeyHeadAppeared, "")},
	} {
		b.add(Figure{Key: f.key, Label: f.label, Unit: f.unit, Definition: litigation.Definition, Source: f.source, Cases: f.cases}, f.cur, f.prev)
	}
	b.add(Figure{Key: "litigation.interviews", Label: "约谈行政机关负责人", Unit: UnitCount, Definition: litigation.Definition,
		Source: "/litigation/interviews?year=" + strconv.Itoa(cur.Year)}, count(cur.Interviews), count(prev.Interviews))
	lg, lgp := cur.Ledger, prev.Ledger
	for _, f := range []struct {
		key, label string
		cur, prev  int
	}{
		{"ledger.issues_raised", "府院联席会议议定事项", lg.IssuesRaised, lgp.IssuesRaised},
		{"ledger.issues_closed", "议定事项已办结", lg.IssuesClosed, lgp.IssuesClosed},
		{"ledger.issues_overdue", "议定事项逾期", lg.IssuesOverdue, lgp.IssuesOverdue},
		{"ledger.suggestions", "收到司法建议", lg.Suggestions, lgp.Suggestions},
		{"ledger.suggestions_replied", "司法建议已回复", lg.SuggestionsReplied, lgp.SuggestionsReplied},
		{"ledger.suggestions_in_time", "司法建议按期回复", lg.SuggestionsInTime, lgp.SuggestionsInTime},
	} {
		b.add(Figure{Key: f.key, Label: f.label, Unit: UnitCount, Definition: liaison.FiguresDefinition, Source: "/ledger/stats?" + period}, count(f.cur), count(f.prev))
	}
	linked := b.take()

	if agencies == nil {
		agencies = []litigation.DoubleDecline{}
	}
	return Annual{Year: cur.Year, Definition: Definition, DoubleDecline: city, Agencies: agencies, Sections: []Section{
		{Key: "disputes", Number: "七", Title: "社会矛盾纠纷依法有效化解", Figures: disputes},
		{Key: "liaison", Number: "八", Title: "府院联动", Figures: linked},
	}}
}

// Figure returns the figure of key, and whether the report has it.
func (a Annual) Figure(key string) (Figure, bool) {
	for _, s := range a.Sections {
		for _, f := range s.Figures {
			if f.Key == key {
				return f, true
			}
		}
	}
	return Figure{}, false
}

// builder collects the figures of a section, prefixing the statistics
// paths with /api/v1.
type builder struct{ figures []Figure }

func (b *builder) add(f Figure, cur, prev *float64) {
	f.Value, f.Previous = cur, prev
	if cur != nil && prev != nil {
		d := *cur - *prev
		f.Change = &d
	}
	f.Text, f.PreviousText, f.ChangeText = Format(f.Unit, cur), Format(f.Unit, prev), describeChange(f)
	if f.Source != "" {
		f.Source = "/api/v1" + f.Source
	}
	if f.Cases != "" {
		f.Cases = "/api/v1" + f.Cases
	}
	b.figures = append(b.figures, f)
}

func (b *builder) take() []Figure {
	out := b.figures
	b.figures = nil
	return out
}

func count(n int) *float64 {
	v := float64(n)
	return &v
}

func fen(n int64) *float64 {
	v := float64(n)
	return &v
}

// ratio is n ÷ of, nil when of is 0.
func ratio(n, of int) *float64 {
	if of == 0 {
		return nil
	}
	v := float64(n) / float64(of)
	return &v
}

// subsidies totals the lines: the cases and the amount in fen.
func subsidies(lines []mediation.SubsidyLine) (cases int, amount int64) {
	for _, l := range lines {
		cases += len(l.Cases)
		amount += l.AmountFen
	}
	return cases, amount
}

func basisLabel(b reconsideration.RateBasis) string {
	if b == reconsideration.BasisDecisions {
		return "作出复议决定的案件数"
	}
	return "审结案件数"
}

// Window is the first and last day of year, as the statistics read them.
func Window(year int) (calendar.Date, calendar.Date) {
	from, _ := calendar.ParseDate(strconv.Itoa(year) + "-01-01")
	to, _ := calendar.ParseDate(strconv.Itoa(year) + "-12-31")
	return from, to
}
