package litigation

import (
	"fmt"
	"strings"

	"jiefen/calendar"
)

// HearingAlertTitle tells the defendants' staff and the leaders that a key
// case is heard on day and no head has been confirmed to appear: in a key
// case the head must appear (行政机关负责人出庭应诉若干问题的规定 第4条; see
// Case.AppearanceAlert). defendants are the defendants' names.
func HearingAlertTitle(caseNumber string, day calendar.Date, defendants []string) string {
	return fmt.Sprintf("重点案件 %s 将于%s开庭，%s负责人尚未确认出庭", caseNumber, day.Label(), strings.Join(defendants, "、"))
}
