package main

import (
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// loadSpec says how a server is loaded.
//
// Closed loop (rate 0): conns connections, each sending its next request
// when the last one is answered, for duration. Latency is measured from
// the moment a request is sent, so a server that stalls slows the load
// down and hides part of its stall (coordinated omission).
//
// Open loop (rate > 0): requests are scheduled on a fixed timetable, one
// every 1/rate seconds for duration, whatever the answers; at most conns
// are in flight, and a request waits for a free connection past its
// slot. Latency is measured from the scheduled start, so waiting for the
// server counts. Requests still not sent a whole duration after the
// timetable ended are counted as errors (the load was not absorbed).
type loadSpec struct {
	conns    int
	duration time.Duration
	rate     float64
	// total, when > 0, stops the load after that many requests (closed
	// loop only; seeding).
	total int64
}

// outcome is how one request ended.
type outcome uint8

const (
	answered outcome = iota // 2xx
	conflict                // 409 or 412: a lost race between writers, expected
	failed                  // any other status, or a transport error
)

// classify is the outcome of a status code when 409 and 412 are expected
// (optimistic concurrency between workers).
func classify(status int) outcome {
	switch {
	case status >= 200 && status < 300:
		return answered
	case status == http.StatusConflict || status == http.StatusPreconditionFailed:
		return conflict
	}
	return failed
}

// sender sends request number seq (0, 1, 2, … across all connections)
// over client and says how it ended.
type sender func(client *http.Client, seq int64) outcome

// result is one measured run.
type result struct {
	requests  int // answered 2xx, or a conflict: the server did its work
	conflicts int // of which 409/412
	errors    int
	elapsed   time.Duration
	// p50 and p99 are over every request sent (errors included).
	p50, p99 time.Duration
	// CPU time spent during the run by this process (servers in it and the
	// load generator) and by the database server, when it runs on this
	// machine (else 0).
	cpu, dbCPU time.Duration
}

// cpuPerRequest is the CPU time the run cost per request, in µs: this
// process and the database server.
func (r result) cpuPerRequest() (self, db float64) {
	n := float64(max(r.requests, 1))
	return float64(r.cpu.Microseconds()) / n, float64(r.dbCPU.Microseconds()) / n
}

func (r result) rps() float64 { return float64(r.requests) / r.elapsed.Seconds() }

// runLoad loads a server with send as spec says and measures it.
func runLoad(spec loadSpec, send sender) result {
	var (
		mu        sync.Mutex
		lat       []time.Duration
		ok, confl atomic.Int64
		errs      atomic.Int64
		seq       atomic.Int64
	)
	count := func(o outcome) {
		switch o {
		case answered:
			ok.Add(1)
		case conflict:
			confl.Add(1)
		default:
			errs.Add(1)
		}
	}
	start := time.Now()
	deadline := start.Add(spec.duration)
	cpu0, db0 := processCPU(), databaseCPU()
	var wg sync.WaitGroup
	if spec.rate <= 0 {
		for range spec.conns {
			wg.Add(1)
			go func() {
				defer wg.Done()
				client := &http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: 1, MaxConnsPerHost: 1}}
				defer client.CloseIdleConnections()
				var mine []time.Duration
				for time.Now().Before(deadline) || spec.total > 0 {
					n := seq.Add(1) - 1
					if spec.total > 0 && n >= spec.total {
						break
					}
					began := time.Now()
					count(send(client, n))
					mine = append(mine, time.Since(began))
				}
				mu.Lock()
				lat = append(lat, mine...)
				mu.Unlock()
			}()
		}
	} else {
		client := &http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: spec.conns, MaxConnsPerHost: spec.conns}}
		defer client.CloseIdleConnections()
		slots := make(chan struct{}, spec.conns)
		every := time.Duration(float64(time.Second) / spec.rate)
		giveUp := deadline.Add(spec.duration)
		for n := int64(0); ; n++ {
			at := start.Add(time.Duration(n) * every)
			if !at.Before(deadline) {
				break
			}
			if d := time.Until(at); d > 0 {
				time.Sleep(d)
			}
			slots <- struct{}{} // a free connection, possibly past the slot
			if time.Now().After(giveUp) {
				<-slots
				// Not sent in time: this and every later slot.
				errs.Add(int64(spec.rate*spec.duration.Seconds()) - n)
				break
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() { <-slots }()
				o := send(client, n)
				d := time.Since(at)
				count(o)
				mu.Lock()
				lat = append(lat, d)
				mu.Unlock()
			}()
		}
	}
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(lat)
	r := result{requests: int(ok.Load() + confl.Load()), conflicts: int(confl.Load()), errors: int(errs.Load()), elapsed: elapsed,
		cpu: processCPU() - cpu0, dbCPU: databaseCPU() - db0}
	if len(lat) > 0 {
		r.p50, r.p99 = lat[len(lat)/2], lat[len(lat)*99/100]
	}
	return r
}

// medianResult is the round with the median requests per second.
func medianResult(rs []result) result {
	s := slices.Clone(rs)
	slices.SortFunc(s, func(a, b result) int {
		switch {
		case a.rps() < b.rps():
			return -1
		case a.rps() > b.rps():
			return 1
		}
		return 0
	})
	return s[len(s)/2]
}

// medians is a result made of the medians of each figure across rounds
// (requests per second, p50, p99, errors, conflicts taken separately).
func medians(rs []result) result {
	pick := func(f func(result) float64) float64 {
		v := make([]float64, len(rs))
		for i, r := range rs {
			v[i] = f(r)
		}
		slices.Sort(v)
		return v[len(v)/2]
	}
	m := medianResult(rs)
	m.p50 = time.Duration(pick(func(r result) float64 { return float64(r.p50) }))
	m.p99 = time.Duration(pick(func(r result) float64 { return float64(r.p99) }))
	m.errors = int(pick(func(r result) float64 { return float64(r.errors) }))
	m.conflicts = int(pick(func(r result) float64 { return float64(r.conflicts) }))
	return m
}
