package httpapi

import (
	_ "embed"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

//go:embed openapi.json
var openAPI []byte

func (s *Server) healthz(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}

// readyz answers 200 when the database answers and its schema is the one
// this binary was built for, 503 with the failing checks otherwise.
func (s *Server) readyz(c *gin.Context) {
	checks := gin.H{"database": "ok", "schema": "ok"}
	ready := true
	if err := s.db.Ping(c.Request.Context()); err != nil {
		checks["database"], checks["schema"], ready = "unreachable", "unknown", false
	} else if err := s.db.CheckSchema(c.Request.Context()); err != nil {
		checks["schema"], ready = err.Error(), false
	}
	if !ready {
		c.Header("Retry-After", strconv.Itoa(s.opts.RetryAfter))
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "unavailable", "checks": checks})
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ok", "checks": checks})
}

func (s *Server) metricsHandler() gin.HandlerFunc {
	h := promhttp.HandlerFor(s.metrics.registry, promhttp.HandlerOpts{})
	return func(c *gin.Context) { h.ServeHTTP(c.Writer, c.Request) }
}

func (s *Server) openAPI(c *gin.Context) {
	c.Data(http.StatusOK, "application/json; charset=utf-8", openAPI)
}
