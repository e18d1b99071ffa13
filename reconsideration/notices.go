package reconsideration

import (
	"fmt"

	"jiefen/calendar"
)

// DeemedAcceptedTitle tells the reconsideration staff that an application
// is deemed accepted from day: the five workdays of review (行政复议法
// 第30条) ran out without a decision.
func DeemedAcceptedTitle(id int64, day calendar.Date) string {
	return fmt.Sprintf("行政复议申请 第%d号 审查期限届满未作决定，自%s起视为受理（行政复议法第30条）", id, day.Label())
}

// DueTitle tells the reconsideration staff that a duty of the case falls
// due on due, or, when overdue, fell due then and the case is still open.
func DueTitle(id int64, due calendar.Date, overdue bool) string {
	if overdue {
		return fmt.Sprintf("行政复议案件 第%d号 有期限已于%s届满，尚未办结", id, due.Label())
	}
	return fmt.Sprintf("行政复议案件 第%d号 有期限将于%s届满", id, due.Label())
}
