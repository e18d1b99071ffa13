package report

import (
	"fmt"
	"math"
	"strings"
	"text/template"

	"jiefen/litigation"
)

// Drafter writes the draft paragraph of each section from a text/template
// the city can change (configs/report_annual.tmpl): the template named
// after a section's key ({{define "disputes"}} …) writes that section; a
// section without one has no draft. The templates read .Year, .Previous
// (the year before) and .DoubleDecline (litigation.DoubleDecline, city-wide),
// and the figures through these functions, each taking a figure's key:
//
//	n "disputes.received"       the year's value: 1234 for a count, 12.5% for a
//	                            ratio, 3.45万元 or 850.00元 for an amount
//	prev "disputes.received"    the year before's, the same way
//	change "disputes.received"  增加12件, 减少3件, 持平; 上升1.2个百分点 for a
//	                            ratio; 无上年可比数据 when either is missing
//	has "disputes.received"     whether the year's value is above zero
//
// A key the report does not have is an error, found when the template is
// loaded (NewDrafter drafts an empty report). White space in the output is
// dropped, so that a paragraph may be wrapped in the template: Chinese
// prose has none.
type Drafter struct {
	t *template.Template
}

// draftData is what a section's template reads besides the figures.
type draftData struct {
	Year, Previous int
	DoubleDecline  litigation.DoubleDecline
	// DoubleDeclineKnown: both years have a loss rate; DoubleDeclined:
	// both the suits and the loss rate fell.
	DoubleDeclineKnown, DoubleDeclined bool
}

// NewDrafter parses the templates of text and tries them on an empty
// report, so that a key misspelt or a function misused is refused at
// start rather than when a leader asks for the report.
func NewDrafter(text string) (*Drafter, error) {
	t, err := template.New("annual").Option("missingkey=error").Funcs(figureFuncs(Annual{})).Parse(text)
	if err != nil {
		return nil, fmt.Errorf("the annual report's template: %w", err)
	}
	d := &Drafter{t: t}
	empty := Build(Year{Year: 2000}, Year{Year: 1999}, litigation.DoubleDecline{}, nil)
	if err := d.Draft(&empty); err != nil {
		return nil, err
	}
	return d, nil
}

// Draft writes the draft of every section of a that has a template.
func (d *Drafter) Draft(a *Annual) error {
	t, err := d.t.Clone()
	if err != nil {
		return err
	}
	t.Funcs(figureFuncs(*a))
	for i, s := range a.Sections {
		if t.Lookup(s.Key) == nil {
			continue
		}
		var b strings.Builder
		data := draftData{Year: a.Year, Previous: a.Year - 1, DoubleDecline: a.DoubleDecline}
		if a.DoubleDecline.Achieved != nil {
			data.DoubleDeclineKnown, data.DoubleDeclined = true, *a.DoubleDecline.Achieved
		}
		if err := t.ExecuteTemplate(&b, s.Key, data); err != nil {
			return fmt.Errorf("the annual report's template, section %s: %w", s.Key, err)
		}
		a.Sections[i].Draft = strings.Join(strings.Fields(b.String()), "")
	}
	return nil
}

// figureFuncs are the template's functions over the figures of a.
func figureFuncs(a Annual) template.FuncMap {
	figure := func(key string) (Figure, error) {
		f, ok := a.Figure(key)
		if !ok && len(a.Sections) > 0 {
			return f, fmt.Errorf("the report has no figure %q", key)
		}
		return f, nil
	}
	return template.FuncMap{
		"n": func(key string) (string, error) {
			f, err := figure(key)
			return f.Text, err
		},
		"prev": func(key string) (string, error) {
			f, err := figure(key)
			return f.PreviousText, err
		},
		"change": func(key string) (string, error) {
			f, err := figure(key)
			return f.ChangeText, err
		},
		"has": func(key string) (bool, error) {
			f, err := figure(key)
			return f.Value != nil && *f.Value > 0, err
		},
	}
}

// Format writes a value as the report prints it: 1234, 12.5%, 3.45万元 or
// 850.00元; "—" when there is none.
func Format(u Unit, v *float64) string {
	if v == nil {
		return "—"
	}
	switch u {
	case UnitRatio:
		return trimZero(fmt.Sprintf("%.1f", *v*100)) + "%"
	case UnitFen:
		yuan := *v / 100
		if math.Abs(yuan) >= 10000 {
			return fmt.Sprintf("%.2f万元", yuan/10000)
		}
		return fmt.Sprintf("%.2f元", yuan)
	}
	return fmt.Sprintf("%.0f", *v)
}

// describeChange writes the change on the year before as the report
// writes it: 增加12件, 减少3件, 持平, 上升1.2个百分点, 无上年可比数据.
func describeChange(f Figure) string {
	if f.Change == nil {
		return "无上年可比数据"
	}
	d := *f.Change
	if f.Unit == UnitRatio {
		points := math.Round(d*1000) / 10
		switch {
		case points > 0:
			return "上升" + trimZero(fmt.Sprintf("%.1f", points)) + "个百分点"
		case points < 0:
			return "下降" + trimZero(fmt.Sprintf("%.1f", -points)) + "个百分点"
		}
		return "持平"
	}
	abs := math.Abs(d)
	var amount string
	if f.Unit == UnitFen {
		amount = Format(UnitFen, &abs)
	} else {
		amount = fmt.Sprintf("%.0f件", abs)
	}
	switch {
	case d > 0:
		return "增加" + amount
	case d < 0:
		return "减少" + amount
	}
	return "持平"
}

// trimZero drops a trailing ".0".
func trimZero(s string) string { return strings.TrimSuffix(s, ".0") }
