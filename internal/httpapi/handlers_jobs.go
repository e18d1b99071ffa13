package httpapi

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"jiefen"
	"jiefen/calendar"
	"jiefen/internal/schedule"
	"jiefen/internal/sqlstore"
)

// JobStore is what the jobs handlers need of the store: the runs of the
// scheduled jobs, the notifications and webhook deliveries, and the clocks
// counted by track.
type JobStore interface {
	ClocksByTrack(ctx context.Context, today, until, lateFrom calendar.Date) ([]sqlstore.TrackClocks, error)
	Deliveries(ctx context.Context, state string, limit int) ([]sqlstore.DeliveryInfo, error)
	JobRuns(ctx context.Context, job string, limit int) ([]sqlstore.JobRun, error)
	LastRun(ctx context.Context, job string) (*sqlstore.JobRun, error)
	MarkAllNotificationsRead(ctx context.Context, username string) (int64, error)
	MarkNotificationRead(ctx context.Context, username string, id int64) error
	ListNotifications(ctx context.Context, username string, unreadOnly bool, beforeID int64, limit int) ([]sqlstore.Notification, error)
}

// jobsAPI serves /jobs, /notifications and /clocks/summary.
type jobsAPI struct {
	*Server
	store JobStore
}

// Scheduler is what the API shows of the scheduler: its jobs, their specs
// and the next tick this replica waits for.
type Scheduler interface {
	Jobs() []schedule.Info
}

// jobView is a job as GET /api/v1/jobs lists it: its name (also as "job",
// the field name of the run history), schedule, next tick, and its last
// run with that run's outcome repeated at the top for a glance.
type jobView struct {
	Name     string           `json:"name"`
	Job      string           `json:"job"`
	Schedule string           `json:"schedule"`
	NextAt   *time.Time       `json:"next_at"`
	Outcome  *string          `json:"outcome"`
	LastRun  *sqlstore.JobRun `json:"last_run"`
}

// listJobs answers every job with its schedule, next tick and last run
// (API.md, "Scheduled jobs"). The last run may have been on any replica.
func (s *jobsAPI) listJobs(c *gin.Context) {
	ctx := c.Request.Context()
	out := []jobView{}
	if s.opts.Scheduler != nil {
		for _, j := range s.opts.Scheduler.Jobs() {
			v := jobView{Name: j.Name, Job: j.Name, Schedule: j.Spec}
			if !j.Next.IsZero() {
				next := j.Next.UTC()
				v.NextAt = &next
			}
			last, err := s.store.LastRun(ctx, j.Name)
			if err != nil {
				s.fail(c, err)
				return
			}
			v.LastRun = last
			if last != nil {
				v.Outcome = &last.Outcome
			}
			out = append(out, v)
		}
	}
	c.JSON(http.StatusOK, gin.H{"items": out})
}

// jobRuns answers the run history, newest tick first, of one job
// (?job=NAME) or of all.
func (s *jobsAPI) jobRuns(c *gin.Context) {
	var p jiefen.Problems
	limit := queryLimit(c, &p)
	job := c.Query("job")
	if job != "" && s.opts.Scheduler != nil {
		known := false
		for _, j := range s.opts.Scheduler.Jobs() {
			known = known || j.Name == job
		}
		if !known {
			p.Add("job", "is not a job of this service")
		}
	}
	if err := p.Err(); err != nil {
		s.fail(c, err)
		return
	}
	runs, err := s.store.JobRuns(c.Request.Context(), job, limit)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": runs})
}

// listNotifications answers the user's own notifications, newest first;
// ?unread=true keeps the unread ones.
func (s *jobsAPI) listNotifications(c *gin.Context) {
	limit, before, err := page(c)
	var p jiefen.Problems
	if err != nil {
		p = err.(*jiefen.Error).Fields
	}
	unread := false
	if v := c.Query("unread"); v != "" {
		if unread, err = strconv.ParseBool(v); err != nil {
			p.Add("unread", "must be true or false")
		}
	}
	if err := p.Err(); err != nil {
		s.fail(c, err)
		return
	}
	actor, _ := jiefen.ActorFrom(c.Request.Context())
	items, err := s.store.ListNotifications(c.Request.Context(), actor.Username, unread, before, limit)
	if err != nil {
		s.fail(c, err)
		return
	}
	out := list[sqlstore.Notification]{Items: items}
	if len(items) == limit {
		out.NextCursor = encodeCursor(items[len(items)-1].ID)
	}
	c.JSON(http.StatusOK, out)
}

// readNotification marks one of the user's notifications read (204); a
// notification of another user is not found.
func (s *jobsAPI) readNotification(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	actor, _ := jiefen.ActorFrom(c.Request.Context())
	if err := s.store.MarkNotificationRead(c.Request.Context(), actor.Username, id); err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// readAllNotifications marks every unread notification of the caller read
// and answers how many it marked ({"marked": n}).
func (s *jobsAPI) readAllNotifications(c *gin.Context) {
	actor, _ := jiefen.ActorFrom(c.Request.Context())
	n, err := s.store.MarkAllNotificationsRead(c.Request.Context(), actor.Username)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"marked": n})
}

// listDeliveries answers the webhook deliveries (admin), ?state=pending,
// delivered or dead: the dead letters are the ones to look at.
func (s *jobsAPI) listDeliveries(c *gin.Context) {
	var p jiefen.Problems
	limit := queryLimit(c, &p)
	state := c.Query("state")
	switch state {
	case "", sqlstore.DeliveryPending, sqlstore.DeliveryDelivered, sqlstore.DeliveryDead:
	default:
		p.Add("state", "must be pending, delivered or dead")
	}
	if err := p.Err(); err != nil {
		s.fail(c, err)
		return
	}
	items, err := s.store.Deliveries(c.Request.Context(), state, limit)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": items})
}

// clocksSummary answers the open cases of each track by their duties:
// overdue, and due within ?days= working days (default 3); and the cases
// that did a duty late (超期办结) since 1 January, for the leaders'
// dashboard. A window (the parties' option) never counts.
func (s *jobsAPI) clocksSummary(c *gin.Context) {
	var p jiefen.Problems
	days := 3
	if v := c.Query("days"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 30 {
			p.Add("days", "must be a whole number from 1 to 30")
		}
		days = n
	}
	if err := p.Err(); err != nil {
		s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	cal, err := s.opts.Holidays.Get(ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	today := calendar.DateOf(s.now())
	until, err := cal.AddWorkdays(today, days)
	if err != nil {
		s.fail(c, err)
		return
	}
	lateFrom := calendar.NewDate(today.Year(), time.January, 1)
	items, err := s.store.ClocksByTrack(ctx, today, until, lateFrom)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"as_of": today, "due_soon_until": until, "late_from": lateFrom, "items": items})
}
