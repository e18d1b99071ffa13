package main

import (
	"fmt"
	"runtime"
	"strings"
	"time"
	"unicode/utf8"

	"jiefen/calendar"
)

// allRow is one line of the final table of `all`.
type allRow struct {
	scenario, jiefen, peer, ratio, target, verdict string
}

// verdict is "met", or "gap: " and what is missing.
func verdict(met bool, gap string) string {
	if met {
		return "met"
	}
	return "gap: " + gap
}

// runAll runs every scenario in turn (quick: small sizes) and prints one
// table of their targets at the end. A scenario that fails is reported in
// the table and the others still run.
func runAll(dsn string, quick bool) error {
	type sizes struct {
		deadlines, deadlineRounds int
		duration                  time.Duration
		rounds                    int
		preload                   []int
		cases, litRuns, rows      int
		disputes                  int
	}
	z := sizes{deadlines: 1_000_000, deadlineRounds: 5, duration: 10 * time.Second, rounds: 3, preload: []int{10_000, 1_000_000},
		cases: 1_000_000, litRuns: 50, rows: 1_000_000, disputes: 4000}
	if quick {
		z = sizes{deadlines: 1_000_000, deadlineRounds: 3, duration: 3 * time.Second, rounds: 1, preload: []int{10_000, 100_000},
			cases: 100_000, litRuns: 20, rows: 100_000, disputes: 2000}
	}
	began := time.Now()
	var rows []allRow
	failed := func(name string, err error) {
		fmt.Printf("%s failed: %v\n", name, err)
		rows = append(rows, allRow{scenario: name, jiefen: "—", peer: "—", ratio: "—", target: "—", verdict: "FAILED: " + firstLine(err.Error())})
	}
	section := func(name string) { fmt.Printf("\n=== %s (%.0f s in) ===\n", name, time.Since(began).Seconds()) }

	section("deadlines (one core)")
	procs := runtime.GOMAXPROCS(1)
	d, err := runDeadlines(z.deadlines, z.deadlineRounds)
	runtime.GOMAXPROCS(procs)
	if err != nil {
		failed("deadlines", err)
	} else {
		rows = append(rows, allRow{scenario: fmt.Sprintf("deadlines: %s on one core", count(d.n)),
			jiefen: fmt.Sprintf("%.3f s", d.fast.Seconds()), peer: fmt.Sprintf("%.3f s", d.naive.Seconds()),
			ratio: fmt.Sprintf("%.1f× faster", d.naive.Seconds()/d.fast.Seconds()), target: "< 1 s (1M)",
			verdict: verdict(d.fast < time.Second*time.Duration(d.n)/1_000_000, "slower than 1 s per million")})
	}

	section("intake")
	in, err := runIntake(intakeOptions{dsn: dsn, conns: 64, duration: z.duration, rounds: z.rounds, preload: z.preload, frequent: true})
	if err != nil {
		failed("intake", err)
	} else {
		f, n := in.jiefen, in.naive
		r := f.rps() / n.rps()
		rows = append(rows, allRow{scenario: "intake req/s, 64 conns", jiefen: fmt.Sprintf("%.0f", f.rps()), peer: fmt.Sprintf("%.0f", n.rps()),
			ratio: fmt.Sprintf("%.2f×", r), target: "≥ 2.00× (issue 12)", verdict: verdict(r >= 2, fmt.Sprintf("%.2f× of the 2×", r))})
		p := ms(f.p99) / ms(n.p99)
		rows = append(rows, allRow{scenario: "intake p99, 64 conns", jiefen: fmt.Sprintf("%.1f ms", ms(f.p99)), peer: fmt.Sprintf("%.1f ms", ms(n.p99)),
			ratio: fmt.Sprintf("%.2f×", p), target: "≤ 1.00×", verdict: verdict(p <= 1, fmt.Sprintf("%.0f%% worse", 100*(p-1)))})
		q := in.frequent.rps() / in.wages.rps()
		rows = append(rows, allRow{scenario: "intake req/s, one respondent in every intake", jiefen: fmt.Sprintf("%.0f", in.frequent.rps()),
			peer: fmt.Sprintf("%.0f (distinct respondents)", in.wages.rps()), ratio: fmt.Sprintf("%.2f×", q), target: "≥ 0.90×",
			verdict: verdict(q >= 0.9, fmt.Sprintf("%.0f%% slower", 100*(1-q)))})
		if len(in.levels) > 1 {
			a, b := in.levels[0], in.levels[len(in.levels)-1]
			g := ms(b.res.p99) / ms(a.res.p99)
			rows = append(rows, allRow{scenario: fmt.Sprintf("intake p99 at %s vs %s disputes", count(b.size), count(a.size)),
				jiefen: fmt.Sprintf("%.1f ms", ms(b.res.p99)), peer: fmt.Sprintf("%.1f ms (jiefen)", ms(a.res.p99)),
				ratio: fmt.Sprintf("%.2f×", g), target: "≤ 1.20×",
				verdict: verdict(g <= 1.2, fmt.Sprintf("%.0f%% slower; database CPU per request %.0f → %.0f µs", 100*(g-1), a.dbCPU, b.dbCPU))})
		}
	}

	section("litigation")
	// Whole months, then on the same cases the last 365 days (a partial
	// month at each end); by agency and month, then by agency alone (a
	// case heard in several months of the window counts once).
	windows := []struct {
		name       string
		from, to   calendar.Date
		agencyOnly bool
	}{{"twelve whole months", litFrom, litTo, false}, {"last 365 days", litPartialFrom, litPartialTo, false},
		{"twelve whole months, by agency", litFrom, litTo, true}, {"last 365 days, by agency", litPartialFrom, litPartialTo, true}}
	for i, w := range windows {
		l, err := runLitigation(litigationOptions{dsn: dsn, cases: z.cases, runs: z.litRuns, http: true, from: w.from, to: w.to,
			agencyOnly: w.agencyOnly, keep: i == 0, reuse: i > 0})
		if i == len(windows)-1 {
			dropDatabase(dsn, litDatabase)
		}
		if err != nil {
			failed("litigation, "+w.name, err)
			continue
		}
		r := l.naiveFacts.Seconds() / l.store.Seconds()
		rows = append(rows, allRow{scenario: fmt.Sprintf("litigation stats, %s cases, %d agencies, %s", count(l.cases), litAgencies, w.name),
			jiefen: fmt.Sprintf("%.2f ms", litMS(l.store)), peer: fmt.Sprintf("%.0f ms", litMS(l.naiveFacts)),
			ratio: fmt.Sprintf("%.0f× faster", r), target: "≤ 5 ms, ≥ 50×",
			verdict: verdict(l.store <= 5*time.Millisecond && r >= 50, fmt.Sprintf("%.2f ms, %.0f×", litMS(l.store), r))})
		if l.http > 0 {
			h := l.naiveFacts.Seconds() / l.http.Seconds()
			rows = append(rows, allRow{scenario: "  the same over HTTP", jiefen: fmt.Sprintf("%.2f ms", litMS(l.http)),
				peer: fmt.Sprintf("%.0f ms", litMS(l.naiveFacts)), ratio: fmt.Sprintf("%.0f× faster", h), target: "(shown)", verdict: "—"})
		}
	}

	for _, random := range []bool{false, true} {
		order := "court's order"
		if random {
			order = "random order"
		}
		section("import, " + order)
		im, err := runCourtImport(importOptions{dsn: dsn, rows: z.rows, random: random, agencies: 60})
		if err != nil {
			failed("import, "+order, err)
			continue
		}
		r := im.jiefen / im.rawBare
		rows = append(rows, allRow{scenario: fmt.Sprintf("import %s rows, %s, 60 agencies, rows/s", count(im.rows), order), jiefen: fmt.Sprintf("%.0f", im.jiefen),
			peer: fmt.Sprintf("%.0f (raw, bare)", im.rawBare), ratio: fmt.Sprintf("%.2f", r), target: "≥ 0.33",
			verdict: verdict(r >= 0.33, fmt.Sprintf("%.2f of the raw rate (%.2f of a raw INSERT into the table of cases)", r, im.jiefen/im.rawCase))})
		rows = append(rows, allRow{scenario: "  its peak RSS", jiefen: fmt.Sprintf("%.0f MB", mb(im.peakRSS)), peer: "—", ratio: "—",
			target: "< 200 MB", verdict: verdict(im.peakRSS < 200e6, fmt.Sprintf("%.0f MB", mb(im.peakRSS)))})
	}

	mixed := mixedOptions{dsn: dsn, conns: []int{64, 256}, duration: z.duration, rounds: z.rounds, replicas: 1,
		disputes: z.disputes, mediators: 4, overdueEvery: "@every 1s"}
	section("mixed, 1 process")
	one, err := runMixed(mixed)
	if err != nil {
		failed("mixed", err)
	} else {
		rows = append(rows, mixedRows(one, mixedSummary{})...)
	}
	section("mixed, 2 replicas")
	mixed.replicas = 2
	two, err := runMixed(mixed)
	if err != nil {
		failed("mixed, 2 replicas", err)
	} else {
		rows = append(rows, mixedRows(two, one)...)
		// Below saturation: the same two replicas in open loop at 70 % of
		// what they sustained closed-loop at 64 connections, where the
		// queueing of a saturated machine does not hide the service's own
		// latency (see BENCHMARKS.md, "Why intake is slow in the saturated mix").
		section("mixed, 2 replicas, open loop at 70 %")
		mixed.conns, mixed.rate = []int{64}, 0.7*two.levels[0].res.rps()
		if open, err := runMixed(mixed); err != nil {
			failed("mixed, 2 replicas, open loop", err)
		} else {
			lv := open.levels[0]
			rows = append(rows, allRow{scenario: "mixed, 2 replicas, open loop at 70 %",
				jiefen: fmt.Sprintf("%.0f req/s, p99 %.0f ms, intake p99 %.0f ms", lv.res.rps(), ms(lv.res.p99), ms(lv.intakeP99)),
				peer:   "—", ratio: "—", target: "0 errors (shown: latency below saturation)",
				verdict: verdict(lv.res.errors == 0, fmt.Sprintf("%d errors", lv.res.errors))})
		}
	}

	size := "full sizes"
	if quick {
		size = "-quick sizes"
	}
	pool := "buffer pool unknown"
	if n, err := setBufferPool(dsn, 0); err == nil {
		pool = fmt.Sprintf("InnoDB buffer pool %d MiB", n>>20)
	}
	fmt.Printf("\n=== summary (%s, %.0f s, GOMAXPROCS=%d, %s, %s) ===\n", size, time.Since(began).Seconds(), runtime.GOMAXPROCS(0), runtime.Version(), pool)
	printTable([]string{"scenario", "jiefen", "peer", "ratio", "target", "met or gap"}, rows)
	return nil
}

// mixedRows are the table's lines of a mixed run; one, when it has
// levels, is the single process run the replicas are compared with.
func mixedRows(s mixedSummary, one mixedSummary) []allRow {
	var rows []allRow
	for i, lv := range s.levels {
		var worst uint64
		for _, b := range lv.rss {
			worst = max(worst, b)
		}
		name := fmt.Sprintf("mixed, %d conns", lv.conns)
		if s.replicas > 1 {
			name = fmt.Sprintf("mixed, %d replicas, %d conns", s.replicas, lv.conns)
		}
		fig := fmt.Sprintf("%.0f req/s, p99 %.0f ms, %.0f MB", lv.res.rps(), ms(lv.res.p99), mb(worst))
		if lv.res.errors > 0 {
			fig += fmt.Sprintf(", %d errors", lv.res.errors)
		}
		row := allRow{scenario: name, jiefen: fig, peer: "—", ratio: "—", target: "RSS < 150 MB, 0 errors",
			verdict: verdict(worst < 150e6 && lv.res.errors == 0, fmt.Sprintf("%.0f MB, %d errors", mb(worst), lv.res.errors))}
		if lv.conns < 256 {
			row.target = "0 errors (RSS target at 256)"
			row.verdict = verdict(lv.res.errors == 0, fmt.Sprintf("%d errors", lv.res.errors))
		}
		if i < len(one.levels) && one.levels[i].conns == lv.conns {
			o := one.levels[i].res
			row.peer = fmt.Sprintf("%.0f req/s (1 process)", o.rps())
			row.ratio = fmt.Sprintf("%.2f×", lv.res.rps()/o.rps())
		}
		rows = append(rows, row)
	}
	if s.replicas > 1 {
		rows = append(rows, allRow{scenario: "replicas: dispute codes", jiefen: fmt.Sprintf("%d given twice", s.dupCodes), peer: "—", ratio: "—",
			target: "none twice", verdict: verdict(s.dupCodes == 0, fmt.Sprintf("%d duplicates", s.dupCodes))})
		rows = append(rows, allRow{scenario: "replicas: overdue_scan @every 1s",
			jiefen: fmt.Sprintf("%d ticks, %d missing, by %d replicas", s.ticks, s.missing, s.tickReplicas), peer: "—", ratio: "—",
			target:  "each tick once, contiguous, > 1 replica",
			verdict: verdict(s.ticks > 0 && s.missing == 0 && s.tickReplicas > 1, fmt.Sprintf("%d missing, %d replica(s)", s.missing, s.tickReplicas))})
	}
	return rows
}

// printTable prints rows in aligned columns (by runes, as the figures
// hold × and µ).
func printTable(head []string, rows []allRow) {
	cells := [][]string{head}
	for _, r := range rows {
		cells = append(cells, []string{r.scenario, r.jiefen, r.peer, r.ratio, r.target, r.verdict})
	}
	width := make([]int, len(head))
	for _, row := range cells {
		for i, c := range row {
			width[i] = max(width[i], utf8.RuneCountInString(c))
		}
	}
	for j, row := range cells {
		var b strings.Builder
		for i, c := range row {
			b.WriteString(c)
			if i < len(row)-1 {
				b.WriteString(strings.Repeat(" ", width[i]-utf8.RuneCountInString(c)+2))
			}
		}
		fmt.Println(b.String())
		if j == 0 {
			var sep []string
			for _, w := range width {
				sep = append(sep, strings.Repeat("-", w))
			}
			fmt.Println(strings.Join(sep, "  "))
		}
	}
}

// count writes n as 10k, 1M and so on when round.
func count(n int) string {
	switch {
	case n >= 1_000_000 && n%1_000_000 == 0:
		return fmt.Sprintf("%dM", n/1_000_000)
	case n >= 1000 && n%1000 == 0:
		return fmt.Sprintf("%dk", n/1000)
	}
	return fmt.Sprint(n)
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
