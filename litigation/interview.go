package litigation

import (
	"time"

	"jiefen/calendar"
)

// Interview is a record of 约谈: an agency head interviewed over its
// litigation record, the causes, the rectification and its follow-up.
type Interview struct {
	ID            int64          `json:"id"`
	Agency        string         `json:"agency_code"`
	AgencyName    string         `json:"agency_name"` // the org's name, "" when the code is not in the org table
	Year          int            `json:"year"`
	HeldOn        calendar.Date  `json:"held_on"`
	Interviewee   string         `json:"interviewee"`
	Interviewer   string         `json:"interviewer"`
	Causes        []LossCause    `json:"causes"`
	Rectification string         `json:"rectification"`
	FollowUp      string         `json:"follow_up"`
	FollowUpOn    *calendar.Date `json:"follow_up_on"`
	Version       int64          `json:"version"`
	CreatedBy     string         `json:"created_by"`
	CreatedAt     time.Time      `json:"created_at"`
}
