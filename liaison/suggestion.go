package liaison

import (
	"strings"
	"time"

	"jiefen"
	"jiefen/calendar"
)

// RuleSuggestionReply is the clock of a reply to a judicial suggestion:
// 60 days from receipt (行诉法解释 第149条).
const RuleSuggestionReply = "liaison.judicial_suggestion_reply"

// Suggestion is a judicial suggestion (司法建议) the court sent an agency,
// and the agency's reply.
type Suggestion struct {
	ID         int64             `json:"id"`
	Court      string            `json:"court"`
	Number     string            `json:"number"` // the court's document number
	Addressee  string            `json:"addressee"`
	Subject    string            `json:"subject"`
	Content    string            `json:"content"`
	ReceivedOn calendar.Date     `json:"received_on"`
	RepliedOn  *calendar.Date    `json:"replied_on"`
	Reply      string            `json:"reply"`
	Clock      *calendar.Reading `json:"clock"`
	Version    int64             `json:"version"`
	CreatedAt  time.Time         `json:"created_at"`
}

// Validate names every bad field of a suggestion received.
func (s *Suggestion) Validate(today calendar.Date) error {
	var p jiefen.Problems
	s.Court, s.Number, s.Addressee = strings.TrimSpace(s.Court), strings.TrimSpace(s.Number), strings.TrimSpace(s.Addressee)
	s.Subject, s.Content = strings.TrimSpace(s.Subject), strings.TrimSpace(s.Content)
	if s.Court == "" {
		p.Add("court", "is required")
	}
	if s.Addressee == "" {
		p.Add("addressee", "is required: the agency the suggestion is addressed to")
	}
	if s.Subject == "" {
		p.Add("subject", "is required")
	}
	atMost(&p, "court", s.Court, maxCourt)
	atMost(&p, "number", s.Number, maxNumber)
	atMost(&p, "subject", s.Subject, maxSubject)
	switch {
	case s.ReceivedOn == 0:
		p.Add("received_on", "is required")
	case s.ReceivedOn > today:
		p.Add("received_on", "%s is in the future", s.ReceivedOn)
	}
	return p.Err()
}

// Answer records the agency's reply.
func (s *Suggestion) Answer(text string, on, today calendar.Date) error {
	if s.RepliedOn != nil {
		return jiefen.Errorf(jiefen.ECONFLICT, "the suggestion was answered on %s", *s.RepliedOn)
	}
	var p jiefen.Problems
	switch {
	case on > today:
		p.Add("on", "%s is in the future", on)
	case on < s.ReceivedOn:
		p.Add("on", "%s is before the suggestion was received (%s)", on, s.ReceivedOn)
	}
	if text = strings.TrimSpace(text); text == "" {
		p.Add("reply", "is required")
	}
	if err := p.Err(); err != nil {
		return err
	}
	s.RepliedOn, s.Reply = &on, text
	return nil
}

// ComputeClock sets the reply clock: a duty of the addressed agency, 60
// days from receipt, met by the reply (行诉法解释 第149条).
func (s *Suggestion) ComputeClock(cal *calendar.Calendar, rules *calendar.Rules, today calendar.Date) {
	r, ok := rules.Rule(RuleSuggestionReply)
	if !ok {
		return
	}
	k := cal.Read(r, r.Clock(s.ReceivedOn), today, calendar.Progress{Done: s.RepliedOn})
	s.Clock = &k
}
