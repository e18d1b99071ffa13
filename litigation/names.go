package litigation

// resultNames are the court's words for the results (API.md, "Court
// caseload sync"): the words its caseload spreadsheet uses and every
// export writes.
var resultNames = map[Result]string{DismissedClaims: "驳回诉讼请求", DismissedSuit: "驳回起诉", Annulled: "撤销",
	PartiallyAnnulled: "部分撤销", Varied: "变更", ConfirmedUnlawful: "确认违法", ConfirmedVoid: "确认无效",
	OrderedPerformance: "责令履行", Compensation: "行政赔偿", Withdrawn: "撤诉", WithdrawnAfterChange: "改变行为后撤诉", Mediated: "调解"}

// Name is the court's word for the result, such as 驳回诉讼请求; an unknown
// result is its own name.
func (r Result) Name() string { return nameOr(resultNames, r) }

// resultOf reads the court's word for a result (Result.Name).
func resultOf(word string) (Result, bool) {
	for r, name := range resultNames {
		if name == word {
			return r, true
		}
	}
	return "", false
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
