package litigation

import (
	"strings"
	"unicode"
)

// Titles reads 出庭人职务 as court files write it: a job title, not a
// category (DOMAIN.md, "Litigation monitoring"). Each position lists the
// titles, or the endings of titles, that make it: 局长 and 公安局局长 are the
// principal head (正职), 副局长 a deputy (副职), 分管负责人 the leader in
// charge of the matter, 科员 or 律师 no head at all (2020 规定 第2条; 行诉法解释
// 第128条). The longest matching ending wins, so 副局长 is a deputy although
// it ends with 局长. The mapping is configuration (configs/config.yaml,
// litigation.appearer_titles); DefaultTitles holds the defaults.
type Titles map[Position][]string

// DefaultTitles are the job titles of the city's agencies, townships and
// government as court files write them.
func DefaultTitles() Titles {
	return Titles{
		Principal: {"正职", "主要负责人", "局长", "主任", "市长", "县长", "区长", "镇长", "乡长", "书记", "党组书记", "党委书记",
			"院长", "所长", "队长", "大队长", "支队长", "站长", "处长", "厅长", "主席", "行长", "社长", "部长", "署长", "委员长", "总经理"},
		Deputy: {"副职", "副局长", "副主任", "副市长", "副县长", "副区长", "副镇长", "副乡长", "副书记", "副院长", "副所长",
			"副队长", "副大队长", "副支队长", "副站长", "副处长", "副厅长", "副主席", "副行长", "副社长", "副部长", "副署长",
			"副总经理", "政委", "教导员"},
		InCharge: {"分管负责人", "分管领导", "分管副职", "分管负责同志"},
		Staff: {"工作人员", "科员", "办事员", "干部", "职员", "科长", "副科长", "股长", "副股长", "中队长", "副中队长",
			"律师", "法律顾问", "顾问", "代理人", "委托代理人", "诉讼代理人", "公职律师",
			// Heads of a unit inside the body are not the body's head.
			"办公室主任", "办公室副主任", "科室主任", "派出所所长", "派出所副所长", "纪委书记", "纪检组长", "法制科长"},
	}
}

// positionCodes are the positions' own names, which an API client or an
// export from another system may write instead of a title.
var positionCodes = map[string]Position{"principal": Principal, "deputy": Deputy, "in_charge": InCharge, "staff": Staff}

// PositionOf returns the position a title names, or false when no listed
// title or ending matches. Spaces and a note in brackets (副局长（主持工作）,
// 局长(兼)) are ignored; a title with 分管 in it (分管副局长) is the leader in
// charge.
func (t Titles) PositionOf(title string) (Position, bool) {
	w := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, title)
	if i := strings.IndexAny(w, "（("); i > 0 {
		w = w[:i]
	}
	if p, ok := positionCodes[strings.ToLower(w)]; ok {
		return p, true
	}
	var best Position
	longest := 0
	for _, p := range []Position{Principal, Deputy, InCharge, Staff} {
		for _, ending := range t[p] {
			if len(ending) > longest && strings.HasSuffix(w, ending) {
				best, longest = p, len(ending)
			}
		}
	}
	if best != "" && best != Staff && strings.Contains(w, "分管") {
		return InCharge, true
	}
	return best, best != ""
}
