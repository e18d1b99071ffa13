package litigation

import (
	"strings"
	"unicode"
)

// resultNames are the court's words for the results (API.md, "Court
// caseload sync"): the words its caseload spreadsheet uses and every
// export writes.
var resultNames = map[Result]string{DismissedClaims: "驳回诉讼请求", DismissedSuit: "驳回起诉", Annulled: "撤销",
	PartiallyAnnulled: "部分撤销", Varied: "变更", ConfirmedUnlawful: "确认违法", ConfirmedVoid: "确认无效",
	OrderedPerformance: "责令履行", Compensation: "行政赔偿", Withdrawn: "撤诉", WithdrawnAfterChange: "改变行为后撤诉", Mediated: "调解"}

// Name is the court's word for the result, such as 驳回诉讼请求; an unknown
// result is its own name.
func (r Result) Name() string { return nameOr(resultNames, r) }

// resultOf reads the court's word for a result (Result.Name), also as
// judgments and court statistics spell it: with 判决 or 裁定 in front
// (判决驳回诉讼请求, 裁定驳回起诉), 原告 in it (驳回原告诉讼请求), or a
// synonym (准予撤诉, 责令履行法定职责).
func resultOf(word string) (Result, bool) {
	w := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, word)
	if r, ok := resultSynonyms[w]; ok {
		return r, true
	}
	w = strings.ReplaceAll(w, "原告", "")
	for _, prefix := range []string{"判决", "裁定", "判令"} {
		w = strings.TrimPrefix(w, prefix)
	}
	for r, name := range resultNames {
		if name == w {
			return r, true
		}
	}
	if r, ok := resultSynonyms[w]; ok {
		return r, true
	}
	return "", false
}

// resultSynonyms are other words courts write for a result.
var resultSynonyms = map[string]Result{
	"准予撤诉": Withdrawn, "撤回起诉": Withdrawn, "准许撤诉": Withdrawn, "按撤诉处理": Withdrawn,
	"被告改变行政行为后撤诉": WithdrawnAfterChange, "改变行政行为后撤诉": WithdrawnAfterChange, "改变后撤诉": WithdrawnAfterChange,
	"驳回诉请": DismissedClaims, "维持": DismissedClaims,
	"责令履行法定职责": OrderedPerformance, "履行法定职责": OrderedPerformance, "责令履责": OrderedPerformance,
	"赔偿": Compensation, "判决赔偿": Compensation, "撤销行政行为": Annulled, "全部撤销": Annulled,
	"确认违法": ConfirmedUnlawful, "确认无效": ConfirmedVoid, "调解结案": Mediated, "调解撤诉": Withdrawn,
}

// positionNames are the court's words for who appeared.
var positionNames = map[Position]string{Principal: "正职", Deputy: "副职", InCharge: "分管负责人", Staff: "工作人员"}

// Name is the court's word for the position, such as 分管负责人; an unknown
// position is its own name.
func (p Position) Name() string { return nameOr(positionNames, p) }

// figureNames are the Chinese names of the figures of the statistics.
var figureNames = map[Figure]string{Filed: "收案", Concluded: "结案", Lost: "败诉", Heard: "开庭", HeadAppeared: "负责人出庭",
	KeyHeard: "重点案件开庭", KeyHeadAppeared: "重点案件负责人出庭"}

// Name is the Chinese name of the figure, such as 收案; an unknown figure
// is its own name.
func (f Figure) Name() string { return nameOr(figureNames, f) }

func nameOr[K ~string](names map[K]string, k K) string {
	if n, ok := names[k]; ok {
		return n
	}
	return string(k)
}
