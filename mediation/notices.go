package mediation

import (
	"fmt"

	"jiefen/calendar"
)

// The titles of the notifications about a mediation case's clock, as the
// mediator and the leaders read them. The clock is the duty of the case's
// clock rule (configs/rules.yaml; for people's mediation 人民调解工作若干规定
// 第33条, one month).

// DueSoonTitle tells the mediator that the case's duty falls due on due.
func DueSoonTitle(disputeCode string, due calendar.Date) string {
	return fmt.Sprintf("调解案件 %s 的期限将于%s届满", disputeCode, due.Label())
}

// OverdueTitle tells the mediator that the duty fell due on due.
func OverdueTitle(disputeCode string, due calendar.Date) string {
	return fmt.Sprintf("调解案件 %s 已超过办理期限（%s届满）", disputeCode, due.Label())
}

// EscalatedTitle tells the leaders that a case of the org (by name) is
// overdue, so that they supervise it (督办).
func EscalatedTitle(orgName, disputeCode string, due calendar.Date) string {
	return fmt.Sprintf("督办：%s的调解案件 %s 已超过办理期限（%s届满）", orgName, disputeCode, due.Label())
}
