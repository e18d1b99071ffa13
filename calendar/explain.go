package calendar

import (
	"fmt"
	"strings"
)

// Explain says, in the words a clerk would use, how the clock k reached due:
// where counting began, the holidays it passed over or counted, the make-up
// working days it counted, pauses and extensions, any rollover, and the
// years it counted provisionally.
func (c *Calendar) Explain(k Clock, due Date) string {
	text := c.explain(k, due)
	if ys := c.provisionalIn(k, due); len(ys) > 0 {
		text += "；" + ProvisionalBasis(ys)
	}
	return text
}

func (c *Calendar) explain(k Clock, due Date) string {
	var parts []string
	start := k.From.AddDays(1)
	switch {
	case k.Before:
		return fmt.Sprintf("%s前%d%s为%s（倒数，不顺延）", k.From, k.Period.N, unitWord(k.Period.Unit), due)
	case k.Period.Unit == Workdays:
		parts = append(parts, fmt.Sprintf("自%s起算%d个工作日", start, k.Period.N))
	case k.Period.Unit == Months:
		parts = append(parts, fmt.Sprintf("自%s起算%d个月，以到期月对应日为末日", start, k.Period.N))
	default:
		parts = append(parts, fmt.Sprintf("自%s起算%d日", start, k.Period.N))
	}
	end := due // natural-day periods count what lies inside them, up to the raw last day
	if k.Period.Unit == Days {
		end = min(due, k.From.AddDays(k.Period.N))
	} else if k.Period.Unit == Months {
		end = min(due, k.From.AddMonths(k.Period.N))
	}
	for _, run := range c.runs(k.From, end) {
		switch {
		case run.kind == Holiday && k.Period.Unit == Workdays:
			parts = append(parts, fmt.Sprintf("%s为%s假期，不计入", run.span(), run.name))
		case run.kind == Holiday:
			parts = append(parts, fmt.Sprintf("%s为%s假期，期间内计入", run.span(), run.name))
		case run.kind == MakeUpWorkday:
			parts = append(parts, fmt.Sprintf("%s（%s）调休上班，为工作日", run.span(), weekdayZH(run.from)))
		}
	}
	paused := 0
	for _, p := range k.Pauses {
		if p.Resumed != nil && *p.Resumed > p.From {
			paused += int(*p.Resumed - p.From)
		}
	}
	if paused > 0 {
		parts = append(parts, fmt.Sprintf("中止%d日不计入", paused))
	}
	ext := 0
	for _, e := range k.Extensions {
		ext += e
	}
	if ext > 0 {
		parts = append(parts, fmt.Sprintf("延长%d日", ext))
	}
	if k.Period.Unit != Workdays && paused == 0 && ext == 0 {
		raw := k.From.AddDays(k.Period.N)
		if k.Period.Unit == Months {
			raw = k.From.AddMonths(k.Period.N)
		}
		if raw != due {
			kind, _ := c.Kind(raw)
			why := "周末"
			if kind == Holiday {
				why = c.names[raw]
			}
			parts = append(parts, fmt.Sprintf("届满日%s为休息日（%s），顺延至%s", raw, why, due))
			return strings.Join(parts, "；")
		}
	}
	parts = append(parts, fmt.Sprintf("末日为%s", due))
	return strings.Join(parts, "；")
}

type run struct {
	from, to Date
	kind     Kind
	name     string
}

func (r run) span() string {
	if r.from == r.to {
		return r.from.String()
	}
	return r.from.String() + "至" + r.to.String()
}

// runs lists the holidays and make-up working days in (from, to], joined
// into runs of consecutive days of one kind and name.
func (c *Calendar) runs(from, to Date) []run {
	var out []run
	for d := from + 1; d <= to; d++ {
		k, err := c.Kind(d)
		if err != nil || (k != Holiday && k != MakeUpWorkday) {
			continue
		}
		name := c.names[d]
		if n := len(out); n > 0 && out[n-1].to == d-1 && out[n-1].kind == k && out[n-1].name == name {
			out[n-1].to = d
			continue
		}
		out = append(out, run{from: d, to: d, kind: k, name: name})
	}
	return out
}

func unitWord(u Unit) string {
	switch u {
	case Workdays:
		return "个工作日"
	case Months:
		return "个月"
	}
	return "日"
}

func weekdayZH(d Date) string {
	return [...]string{"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"}[d.Weekday()]
}
