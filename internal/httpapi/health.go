package httpapi

import (
	"context"
	_ "embed"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"jiefen/calendar"
	"jiefen/internal/sqlstore"
)

//go:embed openapi.json
var openAPI []byte

func (s *Server) healthz(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}

// readyz answers 200 when the database answers and its schema is the one
// this binary was built for, 503 with the failing checks otherwise. A
// database that answers busy (a writer holds the lock the check's read
// needs) is ready: its check says "busy", and the schema is checked again
// by the next call.
func (s *Server) readyz(c *gin.Context) {
	checks := gin.H{"database": "ok", "schema": "ok"}
	ready := true
	// The whole check answers within 1.5 s, a hung database included.
	ctx, cancel := context.WithTimeout(c.Request.Context(), 1500*time.Millisecond)
	defer cancel()
	if s.health.down.Load() {
		checks["database"], checks["schema"], ready = "unreachable", "unknown", false
	} else if err := s.database.Ping(ctx); sqlstore.IsBusy(err) {
		checks["database"], checks["schema"] = "busy", "unknown"
	} else if err != nil {
		checks["database"], checks["schema"], ready = "unreachable", "unknown", false
	} else if err := s.database.CheckSchema(ctx); sqlstore.IsBusy(err) {
		checks["database"], checks["schema"] = "busy", "unknown"
	} else if err != nil {
		checks["schema"], ready = err.Error(), false
	}
	switch warning := ""; {
	case !ready:
		checks["calendar"] = "unknown"
	default:
		if warning = s.calendarWarning(ctx); warning != "" {
			checks["calendar"] = warning
		} else {
			checks["calendar"] = "ok"
		}
	}
	if !ready {
		c.Header("Retry-After", strconv.Itoa(s.opts.RetryAfter))
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "unavailable", "checks": checks})
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ok", "checks": checks})
}

// calendarWarning says, from 1 November, that next year's holiday table is
// missing (the State Council publishes it each autumn), and at any time that
// this year's is. It does not make the service unready: clocks that reach
// into such a year are counted on the provisional calendar and say so, and
// are counted again the moment the table is loaded, which ends the warning.
func (s *Server) calendarWarning(ctx context.Context) string {
	cal, err := s.opts.Holidays.Get(ctx)
	if err != nil {
		return "the holiday tables cannot be built: " + err.Error()
	}
	today := calendar.DateOf(s.now())
	y, m, _ := today.YMD()
	switch {
	case !cal.Loaded(y):
		return fmt.Sprintf("本年（%d年）节假日安排未导入，期限按法定节日暂计（provisional）；请导入国务院通知：PUT /api/v1/calendar/%d 或 jiefen calendar import", y, y)
	case m >= time.November && !cal.Loaded(y+1):
		return fmt.Sprintf("%d年节假日安排未导入，跨入该年的期限按法定节日暂计（provisional）；国务院通知公布后请导入：PUT /api/v1/calendar/%d 或 jiefen calendar import", y+1, y+1)
	}
	return ""
}

func (s *Server) metricsHandler() gin.HandlerFunc {
	h := promhttp.HandlerFor(s.metrics.registry, promhttp.HandlerOpts{})
	return func(c *gin.Context) { h.ServeHTTP(c.Writer, c.Request) }
}

func (s *Server) openAPI(c *gin.Context) {
	c.Data(http.StatusOK, "application/json; charset=utf-8", openAPI)
}
