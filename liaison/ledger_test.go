package liaison_test

import (
	"testing"
	"time"

	"jiefen"
	"jiefen/calendar"
	"jiefen/configs"
	"jiefen/liaison"
)

func day(s string) calendar.Date { d, _ := calendar.ParseDate(s); return d }

// TestIssueClosedLoop moves an issue through 发现问题 → 反馈整改 → 跟踪复核 →
// 销号, overdue on the way.
func TestIssueClosedLoop(t *testing.T) {
	today := day("2025-12-31")
	i, err := liaison.NewIssue("2025年第一次府院联席会议", "行政机关负责人出庭率偏低", "RZ-GAJ", []string{"RZ-SFJ"}, day("2025-06-30"), day("2025-03-01"), "liaison")
	if err != nil {
		t.Fatal(err)
	}
	i.Settle(day("2025-05-01"))
	if i.Overdue {
		t.Fatal("overdue before the deadline")
	}
	if err := i.Advance(liaison.Reviewing, "", day("2025-03-10"), today, "liaison"); jiefen.ErrorCodeOf(err) != jiefen.ECONFLICT {
		t.Fatalf("skipping a state: %v", err)
	}
	if err := i.Advance(liaison.Rectifying, "交办公安局", day("2025-03-10"), today, "liaison"); err != nil {
		t.Fatal(err)
	}
	if err := i.Advance(liaison.Reviewing, "", day("2025-04-10"), today, "liaison"); jiefen.ErrorCodeOf(err) != jiefen.EINVALID {
		t.Fatalf("review without a report: %v", err)
	}
	if err := i.AddReport(liaison.Report{On: day("2025-06-20"), Text: "已制定负责人出庭工作规则", Attachments: []string{"汝公〔2025〕12号"}}, today); err != nil {
		t.Fatal(err)
	}
	i.Settle(day("2025-07-15"))
	if !i.Overdue {
		t.Fatal("not overdue past the deadline")
	}
	if err := i.Advance(liaison.Reviewing, "复核", day("2025-07-01"), today, "liaison"); err != nil {
		t.Fatal(err)
	}
	if err := i.Advance(liaison.Closed, "销号", day("2025-07-20"), today, "liaison"); err != nil {
		t.Fatal(err)
	}
	i.Settle(today)
	if i.State != liaison.Closed || !i.Overdue || i.ClosedOn.String() != "2025-07-20" {
		t.Fatalf("closed %+v", i)
	}
	if err := i.AddComment("  ", time.Now(), "leader"); jiefen.ErrorCodeOf(err) != jiefen.EINVALID {
		t.Fatal("an empty comment")
	}
}

// TestSuggestionClock: 60 days from 2025-08-03 is 10/02, inside National
// Day: the reply is due Thu 10/09.
func TestSuggestionClock(t *testing.T) {
	ns, _ := configs.Holidays()
	cal, _ := calendar.New(calendar.Options{}, ns...)
	rules, _ := configs.Rules("")
	s := liaison.Suggestion{Court: "汝州市人民法院", Addressee: "RZ-GAJ", Subject: "规范行政处罚程序", ReceivedOn: day("2025-08-03")}
	if err := s.Validate(day("2025-12-31")); err != nil {
		t.Fatal(err)
	}
	s.ComputeClock(cal, rules, day("2025-12-31"))
	if s.Clock.Due.String() != "2025-10-09" || s.Clock.State != calendar.Overdue {
		t.Fatalf("clock %+v", s.Clock)
	}
	if err := s.Answer("已整改", day("2025-10-08"), day("2025-12-31")); err != nil {
		t.Fatal(err)
	}
	s.ComputeClock(cal, rules, day("2025-12-31"))
	if s.Clock.State != calendar.Met {
		t.Fatalf("after the reply %+v", s.Clock)
	}
}
