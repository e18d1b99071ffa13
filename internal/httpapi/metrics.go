package httpapi

import (
	"database/sql"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// metrics are the server's own Prometheus collectors, on a registry of its
// own (no global registry): requests by route and status, latency, the
// database pool, the Go runtime and the process.
type metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	// busyProbes counts the health probes the database answered busy.
	busyProbes prometheus.Counter
}

func newMetrics(db *sql.DB) *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "jiefen_http_requests_total", Help: "HTTP requests by method, route and status.",
		}, []string{"method", "route", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "jiefen_http_request_duration_seconds", Help: "HTTP request latency by method and route.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"method", "route"}),
		busyProbes: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "jiefen_database_busy_probes_total", Help: "Health probes the database answered busy (a lock held by a writer), which are not outages.",
		}),
	}
	m.registry.MustRegister(m.requests, m.latency, m.busyProbes,
		collectors.NewDBStatsCollector(db, "jiefen"),
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}
