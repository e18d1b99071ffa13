package httpapi

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"jiefen/internal/docx"
	"jiefen/report"
)

// docxType is the media type of a Word document.
const docxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

// annualCharts are the figures of each section drawn year on year, by
// key: counts only, so that the bars share a scale.
var annualCharts = map[string][]string{
	"disputes": {"disputes.received", "disputes.track.people", "mediation.subsidy.cases", "mediation.ratings.rated", "reconsideration.received", "reconsideration.decided"},
	"liaison":  {"litigation.filed_first_instance", "litigation.concluded", "litigation.lost", "litigation.heard"},
}

// annualDocument is the annual report as a Word document in the layout of
// a government document (internal/docx): the title, and for each section
// its heading, its draft paragraph, the table of its figures (the year,
// the year before, the change; each figure's name links to its cases
// under base, the service's address), a year-on-year chart of its counts;
// for section 八 the 双下降 table per agency; and, last, the definitions
// the figures are counted under.
func annualDocument(a report.Annual, base, author string, now time.Time) ([]byte, error) {
	title := fmt.Sprintf("%d年法治政府建设年度报告（矛盾纠纷化解与府院联动部分·草稿）", a.Year)
	d := docx.New(title, author, now)
	d.Note(fmt.Sprintf("本稿由解纷系统依据业务记录于%s生成，数字与系统统计一致，正文为草稿，供修改。表中指标名称链接到其背后的案件清单。",
		now.In(shanghai()).Format("2006年1月2日15:04")))
	link := func(path string) string {
		if path == "" {
			return ""
		}
		return base + path
	}
	var definitions []string
	for _, s := range a.Sections {
		d.Heading(s.Number + "、" + s.Title)
		if s.Draft != "" {
			d.Paragraph(s.Draft)
		}
		rows := make([][]docx.Cell, 0, len(s.Figures))
		for _, f := range s.Figures {
			cases := f.Cases
			if cases == "" {
				cases = f.Source
			}
			rows = append(rows, []docx.Cell{{Text: f.Label, Link: link(cases)}, {Text: f.Text}, {Text: f.PreviousText}, {Text: f.ChangeText}})
			if !slices.Contains(definitions, f.Definition) {
				definitions = append(definitions, f.Definition)
			}
		}
		d.Table([]int{3545, 1700, 1700, 1900}, []string{"指标", fmt.Sprintf("%d年", a.Year), fmt.Sprintf("%d年", a.Year-1), "增减"}, rows)
		if err := chart(d, a, annualCharts[s.Key]); err != nil {
			return nil, err
		}
		if s.Key == "liaison" {
			if err := declineTable(d, a); err != nil {
				return nil, err
			}
		}
	}
	d.Heading("附：统计口径")
	for _, def := range definitions {
		d.Note(def)
	}
	return d.Bytes()
}

// chart draws the figures of keys year on year, numbered, with a caption
// naming each number.
func chart(d *docx.Document, a report.Annual, keys []string) error {
	var pairs []docx.Pair
	var names []string
	for _, k := range keys {
		f, ok := a.Figure(k)
		if !ok {
			continue
		}
		pairs = append(pairs, docx.Pair{Previous: value(f.Previous), Current: value(f.Value)})
		names = append(names, fmt.Sprintf("%d %s", len(names)+1, f.Label))
	}
	if len(pairs) == 0 {
		return nil
	}
	img, err := docx.YearOnYear(pairs, false, 900, 360)
	if err != nil {
		return err
	}
	d.Picture(img, 15, 6, fmt.Sprintf("%d年与%d年对比：%s", a.Year, a.Year-1, strings.Join(names, "，")))
	d.Note(fmt.Sprintf("图：灰色为%d年，红色为%d年。%s。", a.Year-1, a.Year, strings.Join(names, "；")))
	return nil
}

// declineTable is 双下降 per agency, and a chart of each agency's
// first-instance suits year on year.
func declineTable(d *docx.Document, a report.Annual) error {
	if len(a.Agencies) == 0 {
		return nil
	}
	d.Paragraph("各单位一审行政诉讼案件数量与败诉率“双下降”情况如下。")
	rate := func(v *float64) string { return report.Format(report.UnitRatio, v) }
	rows := make([][]docx.Cell, 0, len(a.Agencies)+1)
	var pairs []docx.Pair
	var names []string
	for i, ag := range a.Agencies {
		name := ""
		if ag.AgencyName != nil {
			name = *ag.AgencyName
		} else if ag.AgencyCode != nil {
			name = *ag.AgencyCode
		}
		rows = append(rows, []docx.Cell{{Text: name}, {Text: fmt.Sprint(ag.FiledPrev)}, {Text: fmt.Sprint(ag.Filed)},
			{Text: rate(ag.LossRatePrev)}, {Text: rate(ag.LossRate)}, {Text: achieved(ag.Achieved)}})
		pairs = append(pairs, docx.Pair{Previous: float64(ag.FiledPrev), Current: float64(ag.Filed)})
		names = append(names, fmt.Sprintf("%d %s", i+1, name))
	}
	c := a.DoubleDecline
	rows = append(rows, []docx.Cell{{Text: "全市"}, {Text: fmt.Sprint(c.FiledPrev)}, {Text: fmt.Sprint(c.Filed)},
		{Text: rate(c.LossRatePrev)}, {Text: rate(c.LossRate)}, {Text: achieved(c.Achieved)}})
	d.Table([]int{2845, 1100, 1100, 1300, 1300, 1200},
		[]string{"单位", fmt.Sprintf("%d年一审", a.Year-1), fmt.Sprintf("%d年一审", a.Year),
			fmt.Sprintf("%d年败诉率", a.Year-1), fmt.Sprintf("%d年败诉率", a.Year), "双下降"}, rows)
	img, err := docx.YearOnYear(pairs, false, 900, 360)
	if err != nil {
		return err
	}
	d.Picture(img, 15, 6, "各单位一审行政诉讼案件数量对比："+strings.Join(names, "，"))
	d.Note(fmt.Sprintf("图：各单位一审行政诉讼案件数量，灰色为%d年，红色为%d年。%s。", a.Year-1, a.Year, strings.Join(names, "；")))
	return nil
}

func achieved(b *bool) string {
	switch {
	case b == nil:
		return "无法比较"
	case *b:
		return "实现"
	}
	return "未实现"
}

func value(v *float64) float64 {
	if v == nil {
		return 0
	}
	return *v
}
