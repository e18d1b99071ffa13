package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"math"
	"math/rand"
	"net/http"
	"os"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	mysqldriver "github.com/go-sql-driver/mysql"

	"jiefen"
	"jiefen/calendar"
	"jiefen/internal/auth"
	"jiefen/internal/httpapi"
	"jiefen/internal/live"
	"jiefen/internal/sqlstore"
	"jiefen/internal/wiring"
	"jiefen/litigation"
)

// litigationOptions configure the litigation statistics scenario.
type litigationOptions struct {
	dsn   string // MariaDB server DSN
	cases int
	runs  int
	http  bool // also measure GET /api/v1/litigation/stats end to end
	// from and to are the window measured: litFrom–litTo (whole months),
	// or with -window partial litPartialFrom–litPartialTo.
	from, to calendar.Date
	// keep leaves the seeded database in place; reuse measures an existing
	// one (from -keep) instead of seeding. Both are for tuning.
	keep, reuse bool
	// agencyOnly groups by agency alone (group_by=agency), where a case
	// heard in several months of the window counts once; otherwise by
	// agency and month.
	agencyOnly bool
}

// litDatabase is the database the scenario seeds.
const litDatabase = "jiefen_bench_litigation"

// litAgencies is how many agencies the generated cases are brought
// against: a county's, more than the model city's table holds.
const litAgencies = 60

// The windows measured: twelve whole months, which jiefen answers from
// the monthly rollups; and the last 365 days to a day in mid-December (a
// partial month at each end), which leaders ask for every day.
var (
	litFrom        = calendar.NewDate(2025, time.January, 1)
	litTo          = calendar.NewDate(2025, time.December, 31)
	litPartialFrom = calendar.NewDate(2024, time.December, 17)
	litPartialTo   = calendar.NewDate(2025, time.December, 16)
)

// litigationSummary are the key figures of the litigation scenario:
// medians of each way (http is 0 when not measured).
type litigationSummary struct {
	cases                   int
	store, http, naiveFacts time.Duration
}

func runLitigation(o litigationOptions) (litigationSummary, error) {
	var sum litigationSummary
	ctx := context.Background()
	var dsn string
	drop := func() {}
	if o.reuse {
		cfg, err := mysqldriver.ParseDSN(o.dsn)
		if err != nil {
			return sum, err
		}
		cfg.DBName = litDatabase
		dsn = cfg.FormatDSN()
	} else {
		var err error
		if dsn, drop, err = freshDatabase(o.dsn, litDatabase); err != nil {
			return sum, err
		}
	}
	if !o.keep {
		defer drop()
	}
	db, err := sqlstore.Open(ctx, sqlstore.Options{Driver: "mysql", DSN: dsn, MaxOpenConns: 8, MaxIdleConns: 8, ConnMaxLifetime: time.Hour, Keys: benchKeys()})
	if err != nil {
		return sum, err
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		return sum, err
	}
	var version string
	db.SQL().QueryRowContext(ctx, "SELECT VERSION()").Scan(&version)
	if o.reuse {
		if err := db.SQL().QueryRowContext(ctx, "SELECT COUNT(*) FROM litigation_cases").Scan(&o.cases); err != nil {
			return sum, err
		}
	}
	grouping, groupBy := litigation.Grouping{Agency: true, Month: !o.agencyOnly}, "agency,month"
	if o.agencyOnly {
		groupBy = "agency"
	}
	fmt.Printf("litigation: stats group_by=%s over %s..%s, %d cases, MariaDB %s at %s, %s\n",
		groupBy, o.from, o.to, o.cases, strings.SplitN(version, "-", 2)[0], hostOf(o.dsn), runtime.Version())

	if !o.reuse {
		start := time.Now()
		s, err := seedLitigation(ctx, db.SQL(), o.cases)
		if err != nil {
			return sum, err
		}
		seeded := time.Since(start)
		// Fresh statistics for the optimizer, as a server that has run
		// for a while has them.
		for _, t := range []string{"litigation_cases", "litigation_facts", "litigation_months"} {
			if _, err := db.SQL().ExecContext(ctx, "ANALYZE TABLE "+t); err != nil {
				return sum, err
			}
		}
		fmt.Printf("  seeded %d cases, %d facts, %d rollup cells in %.1f s (%.0f cases/s), then ANALYZE TABLE\n",
			s.cases, s.facts, s.cells, seeded.Seconds(), float64(s.cases)/seeded.Seconds())
	}

	// Once: the rollups answer exactly what the GROUP BY over the facts
	// answers, and the filed figures what the cases themselves say.
	fast, err := db.Litigation.LitigationStats(ctx, o.from, o.to, grouping, "")
	if err != nil {
		return sum, err
	}
	slow, err := litNaiveFacts(ctx, db.SQL(), o.from, o.to, grouping.Month)
	if err != nil {
		return sum, err
	}
	if err := litSameRows(fast, slow); err != nil {
		return sum, fmt.Errorf("the rollups and the facts disagree: %w", err)
	}
	filed, err := litNaiveCasesFiled(ctx, db.SQL(), o.from, o.to)
	if err != nil {
		return sum, err
	}
	for _, r := range fast {
		if r.Month == nil {
			break // filed by month only
		}
		if r.Filed != filed[[2]string{*r.AgencyCode, *r.Month}] {
			return sum, fmt.Errorf("filed of %s %s: rollups %d, cases %d", *r.AgencyCode, *r.Month, r.Filed, filed[[2]string{*r.AgencyCode, *r.Month}])
		}
	}
	var total litigation.Row
	for _, r := range fast {
		for _, f := range litigation.Figures {
			total.Add(f, litFigureOf(r, f))
		}
	}
	fmt.Printf("  checked: store = facts GROUP BY, row by row; filed = cases GROUP BY\n"+
		"           (%d rows: %d filed, %d concluded, %d lost, %d heard, %d head_appeared, %d key_heard, %d key_head_appeared)\n",
		len(fast), total.Filed, total.Concluded, total.Lost, total.Heard, total.HeadAppeared, total.KeyHeard, total.KeyHeadAppeared)

	var get func() (int, error)
	if o.http {
		var stop func()
		if get, stop, err = litStatsOverHTTP(ctx, db, o.from, o.to, groupBy); err != nil {
			return sum, err
		}
		defer stop()
	}
	type way struct {
		name string
		f    func() (int, error)
		lat  []time.Duration
		rows int
	}
	ways := []*way{
		{name: "jiefen rollups, store call", f: func() (int, error) {
			rs, err := db.Litigation.LitigationStats(ctx, o.from, o.to, grouping, "")
			return len(rs), err
		}},
	}
	if get != nil {
		ways = append(ways, &way{name: "jiefen rollups, HTTP GET", f: get})
	}
	ways = append(ways,
		&way{name: "naive GROUP BY over facts", f: func() (int, error) {
			rs, err := litNaiveFacts(ctx, db.SQL(), o.from, o.to, grouping.Month)
			return len(rs), err
		}},
		&way{name: "naive GROUP BY over cases (filed only)", f: func() (int, error) {
			m, err := litNaiveCasesFiled(ctx, db.SQL(), o.from, o.to)
			return len(m), err
		}})
	const warmup = 2
	for r := 0; r < warmup+o.runs; r++ {
		for _, w := range ways {
			start := time.Now()
			n, err := w.f()
			d := time.Since(start)
			if err != nil {
				return sum, fmt.Errorf("%s: %w", w.name, err)
			}
			if r >= warmup {
				w.lat, w.rows = append(w.lat, d), n
			}
		}
	}
	fmt.Printf("  %d runs of each, alternated, after %d warm-up runs:\n", o.runs, warmup)
	for _, w := range ways {
		fmt.Printf("  %-44s median %9.3f ms  p95 %9.3f ms  %4d rows\n", w.name, litMS(median(w.lat)), litMS(litPercentile(w.lat, 0.95)), w.rows)
	}
	n := median(ways[len(ways)-2].lat)
	fmt.Printf("  ratio  %.0f× faster (naive facts GROUP BY median / jiefen store median)\n", n.Seconds()/median(ways[0].lat).Seconds())
	if get != nil {
		fmt.Printf("         %.0f× over HTTP (naive facts GROUP BY median / jiefen HTTP median)\n", n.Seconds()/median(ways[1].lat).Seconds())
	}
	verdict := func(d time.Duration) string {
		if d <= 5*time.Millisecond && n >= 50*d {
			return "met"
		}
		return "NOT met"
	}
	fmt.Printf("  target (median ≤ 5 ms and ≥ 50×): store call %s\n", verdict(median(ways[0].lat)))
	if o.keep {
		fmt.Fprintf(os.Stderr, "kept database %s (measure it again with -reuse)\n", litDatabase)
	}
	sum.cases, sum.store, sum.naiveFacts = o.cases, median(ways[0].lat), n
	if get != nil {
		sum.http = median(ways[1].lat)
	}
	return sum, nil
}

func litMS(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e6 }

// litPercentile is the p-th quantile of ds, nearest rank.
func litPercentile(ds []time.Duration, p float64) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(math.Ceil(p*float64(len(s)))) - 1
	return s[max(i, 0)]
}

func litFigureOf(r litigation.Row, f litigation.Figure) int {
	switch f {
	case litigation.Filed:
		return r.Filed
	case litigation.Concluded:
		return r.Concluded
	case litigation.Lost:
		return r.Lost
	case litigation.Heard:
		return r.Heard
	case litigation.HeadAppeared:
		return r.HeadAppeared
	case litigation.KeyHeard:
		return r.KeyHeard
	case litigation.KeyHeadAppeared:
		return r.KeyHeadAppeared
	}
	return 0
}

// litNaiveFacts is the naive way: the GROUP BY over the raw facts (one
// row per case, figure and day), counting distinct cases, assembled into
// the same rows.
func litNaiveFacts(ctx context.Context, q *sql.DB, from, to calendar.Date, byMonth bool) ([]litigation.Row, error) {
	month := "''"
	if byMonth {
		month = "month"
	}
	rs, err := q.QueryContext(ctx, "SELECT agency, "+month+", figure, COUNT(DISTINCT case_id) FROM litigation_facts "+
		"WHERE on_day BETWEEN ? AND ? GROUP BY agency, "+month+", figure", from.String(), to.String())
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	type key struct{ agency, month string }
	rows := map[key]*litigation.Row{}
	for rs.Next() {
		var agency, month, figure string
		var n int
		if err := rs.Scan(&agency, &month, &figure, &n); err != nil {
			return nil, err
		}
		k := key{agency, month}
		if rows[k] == nil {
			rows[k] = &litigation.Row{AgencyCode: &agency, Month: &month}
			if !byMonth {
				rows[k].Month = nil
			}
		}
		rows[k].Add(litigation.Figure(figure), n)
	}
	if err := rs.Err(); err != nil {
		return nil, err
	}
	out := make([]litigation.Row, 0, len(rows))
	for _, r := range rows {
		r.Rates()
		out = append(out, *r)
	}
	litigation.SortRows(out)
	return out, nil
}

// litNaiveCasesFiled is the naive count of one figure straight over the
// cases: filed, by defendant and month.
func litNaiveCasesFiled(ctx context.Context, q *sql.DB, from, to calendar.Date) (map[[2]string]int, error) {
	rs, err := q.QueryContext(ctx, "SELECT defendant, DATE_FORMAT(filed_on, '%Y-%m'), COUNT(*) FROM litigation_cases "+
		"WHERE filed_on BETWEEN ? AND ? GROUP BY defendant, DATE_FORMAT(filed_on, '%Y-%m')", from.String(), to.String())
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	out := map[[2]string]int{}
	for rs.Next() {
		var agency, month string
		var n int
		if err := rs.Scan(&agency, &month, &n); err != nil {
			return nil, err
		}
		out[[2]string{agency, month}] = n
	}
	return out, rs.Err()
}

// litSameRows names the first difference between two answers.
func litSameRows(a, b []litigation.Row) error {
	if len(a) != len(b) {
		return fmt.Errorf("%d rows against %d", len(a), len(b))
	}
	for i := range a {
		if !reflect.DeepEqual(a[i], b[i]) {
			x, _ := json.Marshal(a[i])
			y, _ := json.Marshal(b[i])
			return fmt.Errorf("row %d: %s against %s", i, x, y)
		}
	}
	return nil
}

// litStatsOverHTTP serves the API on the store and logs a leader in; get
// asks GET /api/v1/litigation/stats and decodes the answer.
func litStatsOverHTTP(ctx context.Context, db *sqlstore.DB, from, to calendar.Date, groupBy string) (get func() (int, error), stop func(), err error) {
	gin.SetMode(gin.ReleaseMode)
	hasher := auth.Hasher{MemoryKiB: 64, Time: 1}
	sys := jiefen.NewContextWithActor(ctx, jiefen.Actor{Username: "bench"})
	u, h, err := httpapi.NewUser(hasher, auth.DefaultPasswordPolicy(), "leader", "Bench-Pass-1", jiefen.RoleLeader, "", "")
	if err != nil {
		return nil, nil, err
	}
	if _, err := db.Users.CreateUser(sys, u, h); err != nil && jiefen.ErrorCodeOf(err) != jiefen.ECONFLICT {
		return nil, nil, err
	}
	api, err := httpapi.New(wiring.API(db), httpapi.Options{BodyLimit: 1 << 20, RetryAfter: 5, Hasher: hasher,
		Sessions: auth.SessionPolicy{Idle: time.Hour, Absolute: 12 * time.Hour}, SessionCache: 5 * time.Second,
		PasswordPolicy: live.NewPasswordPolicy(db, auth.DefaultPasswordPolicy(), 5*time.Second), IdempotencyTTL: time.Hour,
	}, slog.New(slog.NewJSONHandler(io.Discard, nil)))
	if err != nil {
		return nil, nil, err
	}
	url, stop, err := serve(api.Handler())
	if err != nil {
		return nil, nil, err
	}
	res, err := http.Post(url+"/api/v1/auth/login", "application/json", bytes.NewReader([]byte(`{"username":"leader","password":"Bench-Pass-1"}`)))
	if err != nil {
		stop()
		return nil, nil, err
	}
	var login struct{ Token string }
	json.NewDecoder(res.Body).Decode(&login)
	res.Body.Close()
	if login.Token == "" {
		stop()
		return nil, nil, fmt.Errorf("login: %s", res.Status)
	}
	client := &http.Client{}
	target := url + "/api/v1/litigation/stats?from=" + from.String() + "&to=" + to.String() + "&group_by=" + groupBy
	return func() (int, error) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
		req.Header.Set("Authorization", "Bearer "+login.Token)
		res, err := client.Do(req)
		if err != nil {
			return 0, err
		}
		defer res.Body.Close()
		body, err := io.ReadAll(res.Body)
		if err != nil || res.StatusCode != http.StatusOK {
			return 0, fmt.Errorf("%s (%v)", res.Status, err)
		}
		// The answer as received; the rows are counted, not decoded.
		return bytes.Count(body, []byte(`"agency_code":`)), nil
	}, stop, nil
}

// litSeedStats says what was seeded.
type litSeedStats struct{ cases, facts, cells int }

// litCell is a cell of the monthly rollup, as the store keeps it.
type litCell struct {
	agency, month string
	figure        litigation.Figure
}

// litCells adds the cells a case counts in to sum, once each: a case
// counts once per (agency, month, figure) however many of its facts fall
// in it, in its defendant's cells and the city's (agency ""), as the
// store's refreshFacts keeps the rollup.
func litCells(c *litigation.Case, facts []litigation.Fact, sum map[litCell]int) {
	var seen []litCell
	for _, f := range facts {
		for _, agency := range []string{"", c.Defendant} {
			k := litCell{agency, litigation.Month(f.On), f.Figure}
			if !slices.Contains(seen, k) {
				seen = append(seen, k)
				sum[k]++
			}
		}
	}
}

// litEdge is a row of the day rollup litigation_edges, as the store keeps
// it: its counts are of litigation.Figures, in order.
type litEdge struct {
	edge, day, agency string
}

// litLink is a row of litigation_links, as the store keeps it: its counts
// are of litigation.Figures, in order.
type litLink struct {
	from, to, agency string
}

// litEdges adds the day rollups' counts of a case to sum and links: for
// each of its groups (the case's facts of one figure in one month, under
// its defendant and under the city, agency ""), one on the day of the
// first fact and one on the day of the last; for each two months in a row
// of a figure and agency, one on the last day of the earlier and the first
// of the later; as the store's refreshFacts keeps them.
func litEdges(c *litigation.Case, facts []litigation.Fact, sum map[litEdge][]int, links map[litLink][]int) {
	type group struct {
		agency, month string
		figure        litigation.Figure
	}
	first, last := map[group]calendar.Date{}, map[group]calendar.Date{}
	for _, f := range facts {
		for _, agency := range []string{"", c.Defendant} {
			g := group{agency, litigation.Month(f.On), f.Figure}
			if d, ok := first[g]; !ok || f.On < d {
				first[g] = f.On
			}
			if d, ok := last[g]; !ok || f.On > d {
				last[g] = f.On
			}
		}
	}
	for edge, days := range map[string]map[group]calendar.Date{"first": first, "last": last} {
		for g, d := range days {
			k := litEdge{edge, d.String(), g.agency}
			if sum[k] == nil {
				sum[k] = make([]int, len(litigation.Figures))
			}
			sum[k][slices.Index(litigation.Figures, g.figure)]++
		}
	}
	for g := range first {
		next := group{g.agency, "", g.figure}
		for h := range first {
			if h.agency == g.agency && h.figure == g.figure && h.month > g.month && (next.month == "" || h.month < next.month) {
				next = h
			}
		}
		if next.month == "" {
			continue
		}
		k := litLink{last[g].String(), first[next].String(), g.agency}
		if links[k] == nil {
			links[k] = make([]int, len(litigation.Figures))
		}
		links[k][slices.Index(litigation.Figures, g.figure)]++
	}
}

// litGen generates cases deterministically, filed in id order over
// 2016–2025.
type litGen struct {
	r        *rand.Rand
	days     []int32 // the filing days, ascending, as days since litFirst
	agencies []string
	weights  []float64 // cumulative, for a skewed choice of agency
	serials  map[string]int
	today    calendar.Date
	created  time.Time
}

var (
	litFirst      = calendar.NewDate(2016, time.January, 1)
	litLast       = calendar.NewDate(2025, time.December, 31)
	litSurnames   = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
	litGivenChars = []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文辉鹏飞宇浩然俊峰")
	litCauses     = []string{"行政处罚", "行政强制", "政府信息公开", "行政许可", "房屋征收补偿", "土地行政登记", "不履行法定职责", "工伤认定",
		"行政协议", "行政复议", "社会保障", "行政赔偿", "拆除违法建筑", "林业行政管理", "市场监管行政处罚"}
	litWonResults  = []litigation.Result{litigation.DismissedClaims, litigation.DismissedClaims, litigation.DismissedClaims, litigation.DismissedSuit, litigation.DismissedSuit, litigation.Withdrawn, litigation.Withdrawn, litigation.WithdrawnAfterChange, litigation.Mediated}
	litLostResults = []litigation.Result{litigation.Annulled, litigation.Annulled, litigation.PartiallyAnnulled, litigation.Varied, litigation.ConfirmedUnlawful, litigation.ConfirmedUnlawful, litigation.ConfirmedVoid, litigation.OrderedPerformance, litigation.Compensation}
	litPositions   = []litigation.Position{litigation.Principal, litigation.Deputy, litigation.Deputy, litigation.InCharge}
)

func newLitGen(n int, seed int64) *litGen {
	g := &litGen{r: rand.New(rand.NewSource(seed)), serials: map[string]int{},
		today: calendar.NewDate(2026, time.June, 30), created: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	span := int32(litLast - litFirst + 1)
	g.days = make([]int32, n)
	for i := range g.days {
		g.days[i] = g.r.Int31n(span)
	}
	slices.Sort(g.days)
	total := 0.0
	for i := 1; i <= litAgencies; i++ {
		g.agencies = append(g.agencies, fmt.Sprintf("RZ-A%02d", i))
		total += 1 / math.Sqrt(float64(i)) // a few agencies are sued far more than most
		g.weights = append(g.weights, total)
	}
	for i := range g.weights {
		g.weights[i] /= total
	}
	return g
}

func (g *litGen) name() string {
	s := string(litSurnames[g.r.Intn(len(litSurnames))]) + string(litGivenChars[g.r.Intn(len(litGivenChars))])
	if g.r.Intn(2) == 0 {
		s += string(litGivenChars[g.r.Intn(len(litGivenChars))])
	}
	return s
}

// between is a day in [a, b].
func (g *litGen) between(a, b calendar.Date) calendar.Date {
	return a.AddDays(g.r.Intn(int(b-a) + 1))
}

// next generates the case with id i+1.
func (g *litGen) next(i int) litigation.Case {
	r := g.r
	filed := litFirst.AddDays(int(g.days[i]))
	year := filed.Year()
	court, typ := "豫0482", "行初"
	if r.Intn(10) == 0 {
		court, typ = "豫04", "行终"
	}
	if r.Intn(50) == 0 { // filed in January on a number of the year before
		if _, m, _ := filed.YMD(); m == time.January && year > 2016 {
			year--
		}
	}
	k := fmt.Sprintf("%d%s%s", year, court, typ)
	g.serials[k]++
	serial := g.serials[k]
	canonical := fmt.Sprintf("（%d）%s%s%d号", year, court, typ, serial)
	c := litigation.Case{ID: int64(i + 1), CaseNumber: litigation.CaseNumber{Canonical: canonical, AsEntered: canonical, Year: year,
		CourtCode: court, TypeCode: typ, Serial: serial}, Plaintiff: g.name(), Cause: litCauses[r.Intn(len(litCauses))], FiledOn: filed,
		KeyFlags: []litigation.KeyFlag{}, Hearings: []litigation.Hearing{}, Version: 1}
	u := r.Float64()
	c.Defendant = g.agencies[min(litPick(g.weights, u), len(g.agencies)-1)]
	c.Defendants = []string{c.Defendant}
	switch x := r.Intn(100); {
	case x < 2:
		c.KeyFlags = append(c.KeyFlags, litigation.PublicAttention, litigation.MassIncidentRisk)
	case x < 10:
		c.KeyFlags = append(c.KeyFlags, litigation.KeyFlags[r.Intn(len(litigation.KeyFlags))])
	}
	end := filed.AddDays(300)
	if r.Intn(100) < 70 {
		on := filed.AddDays(45 + r.Intn(376))
		if on <= g.today {
			o := litigation.Outcome{ConcludedOn: on, LossCauses: []litigation.LossCause{}}
			if r.Intn(100) < 28 {
				o.Result = litLostResults[r.Intn(len(litLostResults))]
				o.LossCauses = append(o.LossCauses, litigation.LossCauses[r.Intn(len(litigation.LossCauses))])
			} else {
				o.Result = litWonResults[r.Intn(len(litWonResults))]
			}
			c.Outcome = &o
			end = on
		}
	}
	var hearings int
	switch x := r.Intn(100); {
	case x < 25:
	case x < 70:
		hearings = 1
	case x < 92:
		hearings = 2
	default:
		hearings = 3
	}
	for h := 0; h < hearings; h++ {
		held := g.between(filed.AddDays(min(15, int(end-filed))), end)
		hr := litigation.Hearing{HeldOn: held}
		notice := held.AddDays(-7)
		if notice <= g.today {
			hr.NoticeOn = &notice
		}
		head := r.Intn(100) < 35
		if c.Key() {
			head = r.Intn(100) < 80
		}
		switch {
		case held > g.today && head:
			hr.Appearer = &litigation.Appearer{Name: g.name(), Position: litPositions[r.Intn(len(litPositions))]}
		case head:
			hr.HeadAppeared = true
			hr.Appearer = &litigation.Appearer{Name: g.name(), Position: litPositions[r.Intn(len(litPositions))]}
		case held <= g.today:
			hr.Appearer = &litigation.Appearer{Name: g.name(), Position: litigation.Staff}
		}
		c.Hearings = append(c.Hearings, hr)
	}
	slices.SortStableFunc(c.Hearings, func(a, b litigation.Hearing) int { return int(a.HeldOn - b.HeldOn) })
	c.CreatedAt = g.created
	c.UpdatedAt = g.created
	return c
}

// litPick is the first index whose cumulative weight reaches u.
func litPick(cum []float64, u float64) int {
	i, _ := slices.BinarySearch(cum, u)
	return i
}

const litCaseColumns = "id, canonical, as_entered, year, court_code, type_code, serial, defendant, plaintiff, cause, filed_on, key_flags, " +
	"previous_id, reconsideration_id, hearings, result, concluded_on, loss_causes, version, created_by, created_at, updated_at"

// litCaseArgs appends the columns of litCaseColumns.
func litCaseArgs(args []any, c *litigation.Case) ([]any, error) {
	hs, err := json.Marshal(c.Hearings)
	if err != nil {
		return nil, err
	}
	flags := make([]string, len(c.KeyFlags))
	for i, k := range c.KeyFlags {
		flags[i] = string(k)
	}
	var result, causes string
	var concluded any
	if o := c.Outcome; o != nil {
		result, concluded = string(o.Result), o.ConcludedOn.String()
		cs := make([]string, len(o.LossCauses))
		for i, lc := range o.LossCauses {
			cs[i] = string(lc)
		}
		causes = strings.Join(cs, ",")
	}
	n := c.CaseNumber
	return append(args, c.ID, n.Canonical, n.AsEntered, n.Year, n.CourtCode, n.TypeCode, n.Serial, c.Defendant, c.Plaintiff, c.Cause,
		c.FiledOn.String(), strings.Join(flags, ","), nil, nil, string(hs), result, concluded, causes, c.Version, "bench",
		c.CreatedAt, c.UpdatedAt), nil
}

// litInsert is one multi-row INSERT.
type litInsert struct {
	table, columns string
	width, rows    int
	args           []any
	cases          int // cases generated so far, for progress
}

func (b litInsert) sql() string {
	row := "(" + strings.TrimSuffix(strings.Repeat("?,", b.width), ",") + ")"
	return "INSERT INTO " + b.table + " (" + b.columns + ") VALUES " + strings.TrimSuffix(strings.Repeat(row+",", b.rows), ",")
}

// seedLitigation writes n generated cases, their facts and the monthly
// rollups summed from them with multi-row INSERTs: the cases on one
// connection and the facts on another while this goroutine generates, in
// transactions of about 50,000 cases.
func seedLitigation(ctx context.Context, q *sql.DB, n int) (litSeedStats, error) {
	const casesPerInsert, factsPerInsert, casesPerTx = 1000, 4000, 50000
	g := newLitGen(n, 20250101)
	caseCh, factCh := make(chan litInsert, 4), make(chan litInsert, 4)
	errs := make(chan error, 2)
	start := time.Now()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	write := func(ch chan litInsert, progress bool) {
		err := func() error {
			conn, err := q.Conn(ctx)
			if err != nil {
				return err
			}
			defer conn.Close()
			if _, err := conn.ExecContext(ctx, "SET SESSION unique_checks = 0, foreign_key_checks = 0"); err != nil {
				return err
			}
			var tx *sql.Tx
			defer func() {
				if tx != nil {
					tx.Rollback()
				}
			}()
			last := 0
			for b := range ch {
				if tx == nil {
					if tx, err = conn.BeginTx(ctx, nil); err != nil {
						return err
					}
				}
				if _, err := tx.ExecContext(ctx, b.sql(), b.args...); err != nil {
					return fmt.Errorf("insert into %s: %w", b.table, err)
				}
				if b.cases/casesPerTx != last/casesPerTx || b.cases == n {
					err := tx.Commit()
					tx = nil
					if err != nil {
						return err
					}
					if progress && b.cases/100000 != last/100000 {
						fmt.Fprintf(os.Stderr, "  seeding: %d cases (%.0f s)\n", b.cases, time.Since(start).Seconds())
					}
				}
				last = b.cases
			}
			if tx != nil {
				err := tx.Commit()
				tx = nil
				return err
			}
			return nil
		}()
		if err != nil {
			cancel()
		}
		for range ch { // unblock the generator
		}
		errs <- err
	}
	go write(caseCh, false)
	go write(factCh, true)
	s := litSeedStats{cases: n}
	sum := map[litCell]int{}
	edges := map[litEdge][]int{}
	links := map[litLink][]int{}
	cb := litInsert{table: "litigation_cases", columns: litCaseColumns, width: 22}
	fb := litInsert{table: "litigation_facts", columns: "case_id, figure, on_day, month, agency", width: 5}
	var err error
	for i := 0; i < n && err == nil && ctx.Err() == nil; i++ {
		c := g.next(i)
		if cb.args, err = litCaseArgs(cb.args, &c); err != nil {
			break
		}
		cb.rows++
		facts := c.Facts()
		for _, f := range facts {
			fb.args = append(fb.args, c.ID, string(f.Figure), f.On.String(), litigation.Month(f.On), c.Defendant)
			fb.rows++
		}
		s.facts += len(facts)
		litCells(&c, facts, sum)
		litEdges(&c, facts, edges, links)
		last := i == n-1
		if cb.rows == casesPerInsert || last {
			cb.cases = i + 1
			caseCh <- cb
			cb.args, cb.rows = make([]any, 0, casesPerInsert*22), 0
		}
		if fb.rows >= factsPerInsert || last || (i+1)%casesPerTx == 0 {
			fb.cases = i + 1
			factCh <- fb
			fb.args, fb.rows = make([]any, 0, (factsPerInsert+16)*5), 0
		}
	}
	close(caseCh)
	close(factCh)
	for range 2 {
		if e := <-errs; e != nil && err == nil {
			err = e
		}
	}
	if err != nil {
		return s, err
	}
	// The rollups, as the store would have left them after creating and
	// changing the cases one by one: the monthly one a row per month and
	// agency, a column per figure.
	months := map[[2]string][]int{}
	for k, n := range sum {
		m := [2]string{k.month, k.agency}
		if months[m] == nil {
			months[m] = make([]int, len(litigation.Figures))
		}
		months[m][slices.Index(litigation.Figures, k.figure)] += n
	}
	s.cells = len(sum)
	tx, err := q.BeginTx(ctx, nil)
	if err != nil {
		return s, err
	}
	defer tx.Rollback()
	// Each case's one defendant, as the store records it.
	if _, err := tx.ExecContext(ctx, "INSERT INTO litigation_defendants (case_id, position, org_code) SELECT id, 0, defendant FROM litigation_cases"); err != nil {
		return s, fmt.Errorf("insert into litigation_defendants: %w", err)
	}
	counts := "filed, concluded, lost, heard, head_appeared, key_heard, key_head_appeared"
	if err := insertCounts(ctx, tx, "litigation_months", "month, agency, "+counts, months,
		func(k [2]string) string { return k[0] + k[1] }, func(k [2]string) []any { return []any{k[0], k[1]} }); err != nil {
		return s, err
	}
	if err := insertCounts(ctx, tx, "litigation_edges", "edge, on_day, agency, "+counts, edges,
		func(k litEdge) string { return k.edge + k.day + k.agency }, func(k litEdge) []any { return []any{k.edge, k.day, k.agency} }); err != nil {
		return s, err
	}
	if err := insertCounts(ctx, tx, "litigation_links", "from_day, to_day, agency, "+counts, links,
		func(k litLink) string { return k.from + k.to + k.agency }, func(k litLink) []any { return []any{k.from, k.to, k.agency} }); err != nil {
		return s, err
	}
	// The pairs by their months, as migration 0023 sums them.
	if _, err := tx.ExecContext(ctx, "INSERT INTO litigation_link_months (from_month, to_month, agency, "+counts+") "+
		"SELECT DATE_FORMAT(from_day, '%Y-%m'), DATE_FORMAT(to_day, '%Y-%m'), agency, SUM(filed), SUM(concluded), SUM(lost), SUM(heard), "+
		"SUM(head_appeared), SUM(key_heard), SUM(key_head_appeared) FROM litigation_links GROUP BY 1, 2, agency"); err != nil {
		return s, fmt.Errorf("insert into litigation_link_months: %w", err)
	}
	return s, tx.Commit()
}

// insertCounts inserts the rows of a rollup, table, in the order of
// order: each row's key and its counts, as columns names them.
func insertCounts[K comparable](ctx context.Context, tx *sql.Tx, table, columns string, rows map[K][]int, order func(K) string, key func(K) []any) error {
	b := litInsert{table: table, columns: columns, width: strings.Count(columns, ",") + 1}
	keys := slices.SortedFunc(maps.Keys(rows), func(a, b K) int { return strings.Compare(order(a), order(b)) })
	for i, k := range keys {
		b.args = append(b.args, key(k)...)
		for _, n := range rows[k] {
			b.args = append(b.args, n)
		}
		b.rows++
		if b.rows == 1000 || i == len(keys)-1 {
			if _, err := tx.ExecContext(ctx, b.sql(), b.args...); err != nil {
				return fmt.Errorf("insert into %s: %w", table, err)
			}
			b.args, b.rows = b.args[:0], 0
		}
	}
	return nil
}

// dropDatabase drops the database name on the server of dsn, if it is
// there.
func dropDatabase(dsn, name string) {
	_, drop, err := freshDatabase(dsn, name)
	if err == nil {
		drop()
	}
}
