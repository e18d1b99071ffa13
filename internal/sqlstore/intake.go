package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"

	"jiefen"
	"jiefen/calendar"
	"jiefen/routing"
)

// IntakeJob is one dispute to register, with the Idempotency-Key it came
// under (if any).
type IntakeJob struct {
	Ctx     context.Context // the actor and request id
	Intake  routing.Intake
	IdemKey string // "" when the request carried none
	IdemSum string // the hash of the request, for the key
}

// IntakeResult is the outcome of a job: the dispute, or an earlier answer
// under the same Idempotency-Key, or an error. Under a key the dispute is
// kept as it was answered, masked (routing.Dispute.Masked), in the same
// transaction: a replay's Body is that record, and the caller says how
// it is answered.
type IntakeResult struct {
	Dispute routing.Dispute
	Replay  *IdempotentResponse
	Err     error
}

// keptCreated is the status kept with a registered dispute under its
// Idempotency-Key: the record was created (201). The rows of the key table
// are the answers of requests, whatever made them.
const keptCreated = 201

// RegisterDispute takes one validated intake in; see Intaker for the rules.
// It returns the dispute with personal data in clear; callers mask it.
func (s Disputes) RegisterDispute(ctx context.Context, in routing.Intake, router *routing.Router, pol IntakePolicy) (routing.Dispute, error) {
	res := s.registerBatch([]*IntakeJob{{Ctx: ctx, Intake: in}}, router, pol)
	return res[0].Dispute, res[0].Err
}

// Intaker registers disputes with group commit: intakes that arrive while
// a transaction is running wait and then go in together, in one
// transaction, so that the locks every intake must take (the code counter,
// the mediators of an org, the audit chain's head) are taken once per
// batch and round trips are shared. Nothing is dropped: every dispute is
// routed, coded, assigned, audited and kept under its Idempotency-Key as a
// lone intake would be. A batch that fails is retried one job at a time,
// so that one bad job cannot fail the others.
//
// On MySQL two batches run at once: the second does its first reads while
// the first holds the locks, then waits for them. A job that names a party
// (by ID number) or an Idempotency-Key of a batch still running waits for
// the next batch, so that it sees that batch's dispute and answer.
type Intaker struct {
	store    Disputes // the disputes registered
	pol      IntakePolicy
	router   func(context.Context) (*routing.Router, error)
	maxBatch int
	lanes    int // batches at once

	mu       sync.Mutex
	pending  []*pendingJob
	running  int
	inflight map[string]int // party ID numbers and keys of running batches
}

type pendingJob struct {
	job  *IntakeJob
	done chan IntakeResult
	// marks are the job's party ID numbers and Idempotency-Key.
	marks []string
}

// NewIntaker returns an intaker that takes at most maxBatch intakes per
// transaction.
func NewIntaker(db *DB, pol IntakePolicy, router func(context.Context) (*routing.Router, error), maxBatch int) *Intaker {
	lanes := 1 // SQLite has one writer
	if db.dialect == "mysql" {
		lanes = 2
	}
	return &Intaker{store: db.Disputes, pol: pol, router: router, maxBatch: max(maxBatch, 1), lanes: lanes, inflight: map[string]int{}}
}

// Register registers one intake and waits for its batch to commit. A
// caller that finds a lane free runs batches itself until none is ready:
// no background goroutine to own or stop.
func (it *Intaker) Register(job *IntakeJob) IntakeResult {
	p := &pendingJob{job: job, done: make(chan IntakeResult, 1), marks: marksOf(job)}
	it.mu.Lock()
	it.pending = append(it.pending, p)
	if it.running >= it.lanes {
		it.mu.Unlock()
		return <-p.done
	}
	it.running++
	for {
		batch := it.take()
		if len(batch) == 0 {
			it.running--
			it.mu.Unlock()
			break
		}
		it.mu.Unlock()
		it.run(batch)
		it.mu.Lock()
		for _, b := range batch {
			for _, m := range b.marks {
				if it.inflight[m]--; it.inflight[m] == 0 {
					delete(it.inflight, m)
				}
			}
		}
	}
	return <-p.done
}

// take removes from the queue, under it.mu, up to maxBatch jobs that share
// no party or key with a running batch, and marks them running. A job
// left behind waits for the batch in its way, whose runner takes it next.
func (it *Intaker) take() []*pendingJob {
	var batch []*pendingJob
	rest := it.pending[:0:0]
	for _, p := range it.pending {
		if len(batch) == it.maxBatch || slices.ContainsFunc(p.marks, func(m string) bool { return it.inflight[m] > 0 }) {
			rest = append(rest, p)
			continue
		}
		batch = append(batch, p)
	}
	for _, p := range batch {
		for _, m := range p.marks {
			it.inflight[m]++
		}
	}
	it.pending = rest
	return batch
}

// marksOf lists what a job must not share with a running batch.
func marksOf(job *IntakeJob) []string {
	var marks []string
	for _, p := range job.Intake.Parties {
		if p.IDNumber != "" {
			marks = append(marks, "id:"+p.IDNumber)
		}
	}
	if job.IdemKey != "" {
		a, _ := jiefen.ActorFrom(job.Ctx)
		marks = append(marks, fmt.Sprintf("key:%d:%s", a.UserID, job.IdemKey))
	}
	return marks
}

func (it *Intaker) run(batch []*pendingJob) {
	jobs := make([]*IntakeJob, len(batch))
	for i, p := range batch {
		jobs[i] = p.job
	}
	router, err := it.router(jobs[0].Ctx)
	if err != nil {
		for _, p := range batch {
			p.done <- IntakeResult{Err: err}
		}
		return
	}
	results := it.store.registerBatch(jobs, router, it.pol)
	for i, p := range batch {
		p.done <- results[i]
	}
}

// registerBatch registers jobs in one transaction and, when that fails as
// a whole, one by one.
func (s Disputes) registerBatch(jobs []*IntakeJob, router *routing.Router, pol IntakePolicy) []IntakeResult {
	results, err := s.registerTx(jobs, router, pol)
	if err == nil {
		return results
	}
	if len(jobs) == 1 {
		return []IntakeResult{{Err: err}}
	}
	out := make([]IntakeResult, len(jobs))
	for i, j := range jobs {
		out[i] = s.registerBatch([]*IntakeJob{j}, router, pol)[0]
	}
	return out
}

// item is a job on its way through registerTx.
type item struct {
	job      *IntakeJob
	res      *IntakeResult
	in       routing.Intake
	dec      routing.Decision
	repeatOf *priorDispute // an earlier dispute in the database
	repeats  *item         // or an earlier intake of the same batch
	row      disputeRow
	assignee string
	why      string
}

// registerTx does the work of one batch in one transaction: idempotency
// keys, repeat detection (the same party's ID number and category within
// the window, also within the batch), routing, codes, the dispute rows,
// the mediation cases and their mediators, history, audit, and the answers
// kept for the keys. Its statements do not grow in number with the batch
// (multi-row inserts and IN lists), each its own round trip (scanQuery);
// the locks are taken from the code counter on.
func (s Disputes) registerTx(jobs []*IntakeJob, router *routing.Router, pol IntakePolicy) ([]IntakeResult, error) {
	results := make([]IntakeResult, len(jobs))
	now := s.Now()
	ctx := jobs[0].Ctx
	// With blocks of numbers (Options.MultiPrimary) the batch leases a
	// number per job before its transaction, and gives back those it did
	// not use after it.
	var lease codeLease
	used := map[int]int{}
	if s.codes != nil {
		need := map[int]int{}
		for _, j := range jobs {
			need[j.Intake.ReceivedOn.Year()]++
		}
		var err error
		if lease, err = s.leaseCodes(ctx, need); err != nil {
			return nil, err
		}
	}
	err := s.txReadCommitted(ctx, func(tx *gorm.DB) error {
		// A rerun (see tx) starts clean: the results are cleared, and the
		// items are made anew from the jobs, which nothing here changes.
		for i := range results {
			results[i] = IntakeResult{}
		}
		clear(used)
		// What the jobs alone decide: earlier answers under their keys, and
		// earlier disputes of their parties.
		blind := s.batchBlind()
		keys, err := keysOf(tx, jobs)
		if err != nil {
			return err
		}
		prior, err := priorDisputes(tx, jobs, pol.RepeatWindowDays, blind)
		if err != nil {
			return err
		}
		items, err := claimKeys(tx, jobs, results, keys, now)
		if err != nil {
			return err
		}
		linkRepeats(items, prior, pol.RepeatWindowDays, blind)
		live := items[:0:0]
		for _, it := range items {
			if (it.repeatOf != nil || it.repeats != nil) && !it.in.HasFlag(routing.FlagRepeat) {
				// Into a new array: it.in shares the job's, which a rerun
				// reads again.
				it.in.Flags = append(slices.Clip(it.in.Flags), routing.FlagRepeat)
			}
			dec, err := router.Route(it.in)
			if err != nil {
				it.res.Err = err
				continue
			}
			it.dec = dec
			live = append(live, it)
		}
		items = live
		if len(items) == 0 {
			return nil
		}
		if err := s.assignCodes(tx, items, pol.CodePrefix, lease, used); err != nil {
			return err
		}
		// What routing decided: the mediators of the chosen orgs, locked
		// until the commit (and the audit chain's head, by appendAudits).
		pool, err := s.mediatorPool(tx, mediatingOrgs(items))
		if err != nil {
			return err
		}
		for _, it := range items {
			if it.dec.Track.Mediates() {
				it.assignee, it.why = pool.pick(it.dec.OrgCode, pol.MediatorCapacity, it.in.Recused, now)
			}
		}
		if sql, vars := pool.update(); sql != "" && !s.multiPrimary {
			if err := tx.Exec(sql, vars...).Error; err != nil {
				return err
			}
		}
		return s.insertDisputes(tx, items, blind, router.Version(), pol.IdempotencyTTL, now)
	})
	if s.codes != nil {
		if err != nil {
			clear(used) // nothing went in
		}
		s.returnCodes(lease, used)
	}
	if err != nil {
		return nil, err
	}
	return results, nil
}

// userKey is an Idempotency-Key with the user it belongs to.
type userKey struct {
	user int64
	key  string
}

// keysOf reads what is kept under the jobs' Idempotency-Keys. A key used twice within the batch is refused, which
// leaves it to the one-by-one retry.
func keysOf(tx *gorm.DB, jobs []*IntakeJob) ([]idempotencyRow, error) {
	var rows []idempotencyRow
	var pairs [][]any
	seen := map[userKey]bool{}
	for _, j := range jobs {
		if j.IdemKey == "" {
			continue
		}
		a, _ := jiefen.ActorFrom(j.Ctx)
		k := userKey{a.UserID, j.IdemKey}
		if seen[k] {
			return nil, jiefen.Errorf(jiefen.ECONFLICT, "one Idempotency-Key twice in a batch")
		}
		seen[k] = true
		pairs = append(pairs, []any{a.UserID, j.IdemKey})
	}
	if len(pairs) == 0 {
		return rows, nil
	}
	return rows, tx.Raw("SELECT * FROM idempotency_keys WHERE (user_id, idem_key) IN ?", pairs).Scan(&rows).Error
}

// claimKeys settles the jobs' Idempotency-Keys: a key already answered
// replays (or, with another body, is refused; still running, conflicts)
// and its job goes no further; an expired key is forgotten.
// The other jobs come back as items.
func claimKeys(tx *gorm.DB, jobs []*IntakeJob, results []IntakeResult, kept []idempotencyRow, now time.Time) ([]*item, error) {
	existing := map[userKey]idempotencyRow{}
	for _, r := range kept {
		if !r.ExpiresAt.After(now) {
			if err := tx.Exec("DELETE FROM idempotency_keys WHERE user_id = ? AND idem_key = ?", r.UserID, r.IdemKey).Error; err != nil {
				return nil, err
			}
			continue
		}
		existing[userKey{r.UserID, r.IdemKey}] = r
	}
	var items []*item
	for i, j := range jobs {
		a, _ := jiefen.ActorFrom(j.Ctx)
		if r, ok := existing[userKey{a.UserID, j.IdemKey}]; ok && j.IdemKey != "" {
			switch {
			case r.RequestHash != j.IdemSum:
				results[i].Err = &jiefen.Error{Code: jiefen.EINVALID, Message: "this Idempotency-Key was used with another request",
					Fields: []jiefen.FieldError{{Field: "Idempotency-Key", Message: "reused with a different body"}}}
			case r.State != "done":
				results[i].Err = jiefen.Errorf(jiefen.ECONFLICT, "a request with this Idempotency-Key is still running")
			default:
				results[i].Replay = &IdempotentResponse{RequestHash: r.RequestHash, Done: true, Status: r.StatusCode, Location: r.Location, Body: r.Body}
			}
			continue
		}
		items = append(items, &item{job: j, res: &results[i], in: j.Intake})
	}
	return items, nil
}

// priorDispute is the latest registered dispute of one party (by ID
// number) in one category.
type priorDispute struct {
	ID         int64
	Code       string
	Category   string
	ReceivedOn sqlDate
	IDNumber   string
}

// priorDisputes reads, for every party of the jobs (found by the blind
// index of their ID numbers, blind, the only form the database keeps them
// in for search), the latest dispute on record of the job's category
// within the job's repeat window: the only earlier dispute of that party
// routing.Repeats can choose. Each is one descending step of the index
// dispute_party_ids_latest (received_on, then id, as Repeats orders them),
// so the rows read do not grow with a party's history: a respondent named
// in thousands of wage disputes costs what a newcomer costs.
func priorDisputes(tx *gorm.DB, jobs []*IntakeJob, window int, blind func(string) string) ([]priorDispute, error) {
	type probe struct {
		party, category string
		from, to        calendar.Date
	}
	var probes []probe
	seen := map[probe]bool{}
	for _, j := range jobs {
		for _, p := range j.Intake.Parties {
			if p.IDNumber == "" {
				continue
			}
			q := probe{blind(p.IDNumber), string(j.Intake.Category), j.Intake.ReceivedOn.AddDays(-window), j.Intake.ReceivedOn}
			if !seen[q] {
				seen[q] = true
				probes = append(probes, q)
			}
		}
	}
	var found []priorDispute
	// One statement per chunk of probes: SQLite takes at most 500 terms in
	// a compound SELECT. A term of the UNION has its own ORDER BY and LIMIT:
	// on MySQL in parentheses; SQLite allows neither, and takes each term
	// as a derived table of its own, which MariaDB would materialize one by
	// one (a batch's 28 probes took 4.8 ms so, 2.7 ms in parentheses).
	mysql := tx.Dialector.Name() == "mysql"
	for chunk := range slices.Chunk(probes, 200) {
		var sql strings.Builder
		vars := make([]any, 0, 4*len(chunk))
		for k, q := range chunk {
			if k > 0 {
				sql.WriteString(" UNION ALL ")
			}
			term := `SELECT dispute_id, id_number FROM dispute_party_ids
				WHERE id_number = ? AND category = ? AND received_on >= ? AND received_on <= ?
				ORDER BY received_on DESC, dispute_id DESC LIMIT 1`
			if mysql {
				fmt.Fprintf(&sql, "(%s)", term)
			} else {
				fmt.Fprintf(&sql, "SELECT * FROM (%s) p%d", term, k)
			}
			vars = append(vars, q.party, q.category, dateOf(q.from), dateOf(q.to))
		}
		var rows []priorDispute
		err := tx.Raw(`SELECT d.id, d.code, d.category, d.received_on, p.id_number FROM (`+sql.String()+`) p
			JOIN disputes d ON d.id = p.dispute_id`, vars...).Scan(&rows).Error
		if err != nil {
			return nil, err
		}
		found = append(found, rows...)
	}
	return found, nil
}

// linkRepeats links each item to what it repeats (routing.Repeats): a
// dispute on record, or an earlier item of the batch.
func linkRepeats(items []*item, prior []priorDispute, window int, blind func(string) string) {
	batch := make([]routing.Intake, len(items))
	for i, it := range items {
		batch[i] = it.in
	}
	earlier := make([]routing.Earlier, len(prior))
	for k, p := range prior {
		earlier[k] = routing.Earlier{ID: p.ID, Category: routing.Category(p.Category), ReceivedOn: p.ReceivedOn.Date, Party: p.IDNumber}
	}
	for i, r := range routing.Repeats(batch, earlier, window, blind) {
		switch {
		case r.Of >= 0:
			items[i].repeatOf = &prior[r.Of]
		case r.Batch >= 0:
			items[i].repeats = items[r.Batch]
		}
	}
}

// mediatingOrgs lists the orgs whose mediators the items need.
func mediatingOrgs(items []*item) []string {
	seen := map[string]bool{}
	var orgs []string
	for _, it := range items {
		if it.dec.Track.Mediates() && !seen[it.dec.OrgCode] {
			seen[it.dec.OrgCode] = true
			orgs = append(orgs, it.dec.OrgCode)
		}
	}
	return orgs
}

// assignCodes hands out the batch's codes, PREFIX-YYYY-NNNNNN, a range per
// year: the counter row is locked by its update, so replicas sharing one
// database never hand out the same code. With a lease (blocks of numbers
// per replica, see codeBlocks) the numbers are the lease's, in order, and
// used counts per year how many of them went.
func (s Disputes) assignCodes(tx *gorm.DB, items []*item, prefix string, lease codeLease, used map[int]int) error {
	if lease != nil {
		for _, it := range items {
			y := it.in.ReceivedOn.Year()
			if used[y] >= len(lease[y]) {
				return fmt.Errorf("sqlstore: the batch leased %d numbers of %d and needs more", len(lease[y]), y)
			}
			it.row.Code = fmt.Sprintf("%s-%d-%06d", prefix, y, lease[y][used[y]])
			used[y]++
		}
		return nil
	}
	byYear := map[int][]*item{}
	var years []int
	for _, it := range items {
		y := it.in.ReceivedOn.Year()
		if byYear[y] == nil {
			years = append(years, y)
		}
		byYear[y] = append(byYear[y], it)
	}
	sort.Ints(years)
	for _, y := range years {
		n := len(byYear[y])
		last, err := s.bumpCounter(tx, y, n)
		if err != nil {
			return err
		}
		for i, it := range byYear[y] {
			it.row.Code = fmt.Sprintf("%s-%d-%06d", prefix, y, last-int64(n)+int64(i)+1)
		}
	}
	return nil
}

// bumpCounter adds n to the year's counter and returns its new value, in
// one statement that also creates the year's row: MySQL hands the value
// back through LAST_INSERT_ID(expr), SQLite through RETURNING. The row
// stays locked until the transaction ends.
func (s Disputes) bumpCounter(tx *gorm.DB, year, n int) (int64, error) {
	if s.dialect == "mysql" {
		res, err := tx.Statement.ConnPool.ExecContext(tx.Statement.Context,
			"INSERT INTO dispute_counters (year, last) VALUES (?, LAST_INSERT_ID(?)) ON DUPLICATE KEY UPDATE last = LAST_INSERT_ID(last + ?)", year, n, n)
		if err != nil {
			return 0, err
		}
		return res.LastInsertId()
	}
	var last []int64
	if err := tx.Raw("INSERT INTO dispute_counters (year, last) VALUES (?, ?) ON CONFLICT (year) DO UPDATE SET last = last + excluded.last RETURNING last",
		year, n).Scan(&last).Error; err != nil {
		return 0, err
	}
	if len(last) != 1 {
		return 0, fmt.Errorf("sqlstore: the counter of %d answered %d rows", year, len(last))
	}
	return last[0], nil
}

// insertDisputes writes the batch's rows with multi-row inserts, audits
// every dispute, keeps the answers for the Idempotency-Keys, and fills in
// the results, in as many statements whatever the size of the batch: the
// audit entries and the disputes; the rows that need the disputes' ids;
// the kept answers, which need the cases' ids.
func (s Disputes) insertDisputes(tx *gorm.DB, items []*item, blind func(string) string, rulesVersion int, ttl time.Duration, now time.Time) error {
	rows := make([]disputeRow, len(items))
	audits := make([]audited, len(items))
	index := make(map[*item]int, len(items))
	for i, it := range items {
		index[it] = i
		in, dec := it.in, it.dec
		parties, err := s.partiesJSON(in.Parties)
		if err != nil {
			return err
		}
		title, titleSealed, err := s.sealText(disputeTitle, in.Title)
		if err != nil {
			return err
		}
		description, descriptionSealed, err := s.sealText(disputeDescription, in.Description)
		if err != nil {
			return err
		}
		actor, _ := jiefen.ActorFrom(it.job.Ctx)
		status := routing.StatusAfter(dec.Track, it.assignee)
		rows[i] = disputeRow{Code: it.row.Code, Title: title, TitleSealed: titleSealed, Description: description, DescriptionSealed: descriptionSealed, Category: string(in.Category),
			Source: string(in.Source), SourceRef: in.SourceRef, Township: in.Township, AmountFen: in.AmountFen,
			OccurredOn: dateOfPtr(in.OccurredOn), ReceivedOn: dateOf(in.ReceivedOn), Flags: joinFlags(in.Flags),
			Recused: strings.Join(in.Recused, ","), Parties: parties, Status: string(status), Priority: string(dec.Priority),
			Track: string(dec.Track), OrgCode: dec.OrgCode, Assignee: it.assignee, Rule: dec.Rule, Reason: dec.Reason,
			Guidance: dec.Guidance, ClockRule: dec.ClockRule, DueOn: dateOfPtr(dec.Due), Basis: dec.Basis,
			IntakeOrg: actor.OrgCode, RulesVersion: rulesVersion, Version: 1,
			CreatedBy: actor.Username, CreatedAt: now, UpdatedAt: now}
		if it.repeatOf != nil {
			id := it.repeatOf.ID
			rows[i].RepeatOf = &id
		}
		audits[i] = audited{ctx: it.job.Ctx, change: change{action: "dispute.create", targetType: "dispute", targetID: rows[i].Code, after: auditView(rows[i])}}
	}
	if err := s.appendAudits(tx, audits); err != nil {
		return err
	}
	if err := tx.Create(&rows).Error; err != nil {
		return err
	}
	if err := s.fillIDs(tx, rows); err != nil {
		return err
	}
	var partyIDs []partyIDRow
	var history []historyRow
	var cases []mediationCaseRow
	// A repeat of an earlier intake of the batch learns its id now, all of
	// them in one statement: with a frequent party most of a batch repeats.
	var repeatOf strings.Builder
	var repeatVars, repeatIDs []any
	for i := range rows {
		it, r := items[i], &rows[i]
		if k, ok := index[it.repeats]; ok && it.repeats != nil {
			id := rows[k].ID
			r.RepeatOf = &id
			repeatOf.WriteString(" WHEN ? THEN ?")
			repeatVars, repeatIDs = append(repeatVars, r.ID, id), append(repeatIDs, r.ID)
		}
		seen := map[string]bool{}
		for _, p := range it.in.Parties {
			if p.IDNumber != "" && !seen[p.IDNumber] {
				seen[p.IDNumber] = true
				partyIDs = append(partyIDs, partyIDRow{IDNumber: blind(p.IDNumber), DisputeID: r.ID, Category: r.Category, ReceivedOn: r.ReceivedOn})
			}
		}
		history = append(history, historyRow{DisputeID: r.ID, Track: r.Track, OrgCode: r.OrgCode, Assignee: r.Assignee,
			Rule: r.Rule, Reason: r.Reason, At: now, ByUser: r.CreatedBy})
		if it.dec.Track.Mediates() {
			c := mediationCaseRow{DisputeID: r.ID, Track: r.Track, OrgCode: r.OrgCode, State: "waiting",
				OpenedOn: r.ReceivedOn, ClockRule: r.ClockRule, AssignReason: it.why, QueueRank: rankIdle, Version: 1, CreatedAt: now, UpdatedAt: now}
			if it.assignee != "" {
				at := now
				c.Assignee, c.State, c.AssignedAt = it.assignee, "assigned", &at
			}
			cases = append(cases, c)
		}
	}
	if len(repeatIDs) > 0 {
		if err := tx.Exec("UPDATE disputes SET repeat_of = CASE id"+repeatOf.String()+" END WHERE id IN ?", append(repeatVars, repeatIDs)...).Error; err != nil {
			return err
		}
	}
	if len(partyIDs) > 0 {
		if err := tx.Create(&partyIDs).Error; err != nil {
			return err
		}
	}
	if err := tx.Create(&history).Error; err != nil {
		return err
	}
	caseOf := map[int64]int64{}
	if len(cases) > 0 {
		if err := tx.Create(&cases).Error; err != nil {
			return err
		}
		var err error
		if caseOf, err = s.caseIDs(tx, cases); err != nil {
			return err
		}
	}
	var keys []idempotencyRow
	for i, r := range rows {
		it := items[i]
		d := disputeOf(r, it.in.Parties, []routing.Step{{Track: routing.Track(r.Track), OrgCode: r.OrgCode, Assignee: r.Assignee,
			Rule: r.Rule, Reason: r.Reason, At: now, By: r.CreatedBy}})
		d.Description = it.in.Description
		d.Routing.Provisional = it.dec.Provisional // read back, the route follows its case
		d.Routing.RuleTitle = it.dec.RuleTitle
		if id, ok := caseOf[r.ID]; ok {
			d.Routing.CaseID = &id
		}
		switch k, ok := index[it.repeats]; {
		case it.repeatOf != nil:
			d.RepeatOf = &it.repeatOf.Code
		case ok && it.repeats != nil:
			d.RepeatOf = &rows[k].Code
		}
		it.res.Dispute = d
		if it.job.IdemKey != "" {
			body, err := json.Marshal(d.Masked())
			if err != nil {
				return err
			}
			a, _ := jiefen.ActorFrom(it.job.Ctx)
			keys = append(keys, idempotencyRow{UserID: a.UserID, IdemKey: it.job.IdemKey, RequestHash: it.job.IdemSum,
				State: "done", StatusCode: keptCreated, Body: body, CreatedAt: now, ExpiresAt: now.Add(ttl)})
		}
	}
	if len(keys) > 0 {
		if err := tx.Create(&keys).Error; err != nil {
			return err
		}
	}
	return nil
}

// fillIDs sets the ids of dispute rows just inserted together: the insert
// gave them where the database numbers a multi-row insert consecutively
// (conn.batchIDs), else they are read back by code.
func (s Disputes) fillIDs(tx *gorm.DB, rows []disputeRow) error {
	if s.batchIDs {
		return nil
	}
	codes := make([]string, len(rows))
	for i, r := range rows {
		codes[i] = r.Code
	}
	var ids []struct {
		ID   int64
		Code string
	}
	if err := tx.Raw("SELECT id, code FROM disputes WHERE code IN ?", codes).Scan(&ids).Error; err != nil {
		return err
	}
	idOf := map[string]int64{}
	for _, r := range ids {
		idOf[r.Code] = r.ID
	}
	for i := range rows {
		rows[i].ID = idOf[rows[i].Code]
	}
	return nil
}

// caseIDs maps each dispute to the id of the case just opened for it (see
// fillIDs).
func (s Disputes) caseIDs(tx *gorm.DB, cases []mediationCaseRow) (map[int64]int64, error) {
	if !s.batchIDs {
		disputeIDs := make([]int64, len(cases))
		for i, c := range cases {
			disputeIDs[i] = c.DisputeID
		}
		return currentCases(tx, disputeIDs)
	}
	caseOf := make(map[int64]int64, len(cases))
	for _, c := range cases {
		caseOf[c.DisputeID] = c.ID
	}
	return caseOf, nil
}
