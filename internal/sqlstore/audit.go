package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"

	"jiefen"
	"jiefen/internal/audit"
)

type auditRow struct {
	Seq          int64 `gorm:"primaryKey;autoIncrement:false"`
	At           time.Time
	Actor        string
	Role         string
	Action       string
	TargetType   string
	TargetID     string
	RequestID    string
	BeforeDigest string
	AfterDigest  string
	Changes      string
	PrevHash     string
	Hash         string
}

func (auditRow) TableName() string { return "audit_log" }

// entry is the entry the row holds; an entry made before changes were
// kept has none ("[]").
func (r auditRow) entry() audit.Entry {
	changes := r.Changes
	if changes == "" {
		changes = "[]"
	}
	return audit.Entry{Seq: r.Seq, At: r.At.UTC(), Actor: r.Actor, Role: r.Role, Action: r.Action,
		TargetType: r.TargetType, TargetID: r.TargetID, RequestID: r.RequestID,
		Before: r.BeforeDigest, After: r.AfterDigest, Changes: json.RawMessage(changes), PrevHash: r.PrevHash, Hash: r.Hash}
}

// How the chain is sealed (audit_head.scheme): under the audit key, or
// with plain SHA-256 as before migration 0015 (see resealAudit); any
// other value was set by hand (see resealMigration).
const (
	schemeKeyed  = "hmac-sm3"
	schemeSHA256 = "sha256"
)

// change describes one audited action for appendAudit.
type change struct {
	action     string // e.g. "org.update"
	targetType string
	targetID   string
	// before and after are the record before and after, digested and
	// compared field by field (audit.Changes); nil for a creation's before
	// or a deletion's after.
	before any
	after  any
}

// appendAudit chains one entry for ch onto the log inside tx, under the actor
// and request id of ctx.
func (c *conn) appendAudit(ctx context.Context, tx *gorm.DB, ch change) error {
	return c.appendAudits(tx, []audited{{ctx: ctx, change: ch}})
}

// audited is a change with the context (actor, request id) it was made in.
type audited struct {
	ctx    context.Context
	change change
}

// appendAudits chains entries onto the log inside tx, in order. The head row
// is locked so that writers on several replicas append one after another:
// no forks, no gaps. A batch of intakes pays for the lock once. When
// several database nodes take writes (multiPrimary) the head row would be a
// row every write updates, conflicting across nodes: the entries are then
// stored unsealed in audit_pending, in the same transaction, and SealAudit
// chains them after the commit.
func (c *conn) appendAudits(tx *gorm.DB, items []audited) error {
	entries, err := c.newEntries(items)
	if err != nil || len(entries) == 0 {
		return err
	}
	if c.multiPrimary {
		rows := make([]pendingAuditRow, len(entries))
		for i, e := range entries {
			rows[i] = pendingAuditRow{At: e.At, Actor: e.Actor, Role: e.Role, Action: e.Action, TargetType: e.TargetType,
				TargetID: e.TargetID, RequestID: e.RequestID, BeforeDigest: e.Before, AfterDigest: e.After, Changes: string(e.Changes)}
		}
		return tx.Create(&rows).Error
	}
	head, err := c.auditHead(tx)
	if err != nil {
		return err
	}
	return c.sealEntries(tx, head, entries)
}

// chainHead is the audit chain's last entry: its sequence number and hash.
type chainHead struct {
	Seq  int64
	Hash string
}

// auditHead reads the chain's head, locking it until the transaction
// ends. An entry is chained
// under the key whatever audit_head.scheme says: a scheme other than
// 'hmac-sm3' is a head tampered with, which VerifyAudit reports, and it
// does not stop the writes of every use case (see resealMigration).
func (c *conn) auditHead(tx *gorm.DB) (chainHead, error) {
	var heads []chainHead
	if err := tx.Raw("SELECT seq, hash FROM audit_head WHERE id = 1" + c.forUpdate()).Scan(&heads).Error; err != nil {
		return chainHead{}, err
	}
	if len(heads) != 1 {
		return chainHead{}, fmt.Errorf("sqlstore: the audit chain has no head row")
	}
	return heads[0], nil
}

// newEntries makes the entries of items, not yet chained: the actor and
// request of each one's context, the digests of its record before and
// after, and the fields it changed.
func (c *conn) newEntries(items []audited) ([]audit.Entry, error) {
	now := c.Now()
	entries := make([]audit.Entry, len(items))
	for i, it := range items {
		actor, _ := jiefen.ActorFrom(it.ctx)
		name := actor.Username
		if name == "" {
			name = "system"
		}
		ch := it.change
		changes, err := audit.Changes(ch.targetType, ch.before, ch.after)
		if err != nil {
			return nil, err
		}
		var text []byte // none: "[]" (Chain)
		if len(changes) > 0 {
			if text, err = json.Marshal(changes); err != nil {
				return nil, err
			}
		}
		entries[i] = audit.Entry{
			At: now, Actor: name, Role: string(actor.Role), Action: ch.action,
			TargetType: ch.targetType, TargetID: ch.targetID, RequestID: jiefen.RequestIDFrom(it.ctx),
			Before: audit.Digest(ch.before), After: audit.Digest(ch.after), Changes: text,
		}
	}
	return entries, nil
}

// chainAudits appends the entries of items after head (read under lock
// by auditHead) and moves the head.
func (c *conn) chainAudits(tx *gorm.DB, head chainHead, items []audited) error {
	entries, err := c.newEntries(items)
	if err != nil {
		return err
	}
	return c.sealEntries(tx, head, entries)
}

// sealEntries chains entries after head (read under lock by auditHead),
// in order, stores them in the log and moves the head.
func (c *conn) sealEntries(tx *gorm.DB, head chainHead, entries []audit.Entry) error {
	if len(entries) == 0 {
		return nil
	}
	rows := make([]auditRow, len(entries))
	for i, e := range entries {
		e = c.auditKey.Chain(e, head.Seq, head.Hash)
		rows[i] = auditRow{Seq: e.Seq, At: e.At, Actor: e.Actor, Role: e.Role, Action: e.Action,
			TargetType: e.TargetType, TargetID: e.TargetID, RequestID: e.RequestID,
			BeforeDigest: e.Before, AfterDigest: e.After, Changes: string(e.Changes), PrevHash: e.PrevHash, Hash: e.Hash}
		head.Seq, head.Hash = e.Seq, e.Hash
	}
	if err := tx.Create(&rows).Error; err != nil {
		return err
	}
	return tx.Exec("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", head.Seq, head.Hash).Error
}

// pendingAuditRow is an audit entry written but not yet sealed into the
// chain (see appendAudits): it has its place in the order of writing
// (ID), and will have its sequence number and hash when SealAudit chains
// it.
type pendingAuditRow struct {
	ID           int64 `gorm:"primaryKey"`
	At           time.Time
	Actor        string
	Role         string
	Action       string
	TargetType   string
	TargetID     string
	RequestID    string
	BeforeDigest string
	AfterDigest  string
	Changes      string
}

func (pendingAuditRow) TableName() string { return "audit_pending" }

// sealBatch is how many pending entries one sealing transaction chains.
const sealBatch = 500

// SealAudit chains the audit entries written but not yet sealed (see
// appendAudits), in the order they were written (audit_pending.id), onto
// the chain, and returns how many it sealed. Each batch is one
// transaction that locks the head, moves the entries into the log and
// deletes them from audit_pending, so that two replicas sealing at once
// seal each entry once. Entries keep the instant they were written at.
// When several nodes take writes a replica seals every
// audit.seal_interval, and every read of the chain (the log, its
// verification, archiving, anchoring) seals first, so that it sees every
// committed write. With sealing at commit (the default) there is never
// anything to seal.
//
// An entry still pending is not yet protected by the chain: someone who
// writes the database could alter or remove it unseen until it is sealed,
// within the interval. That window is the price of writes that do not
// all queue on the head row; docs/SCALING.md says so.
func (s Audit) SealAudit(ctx context.Context) (int, error) {
	if !s.multiPrimary {
		return 0, nil
	}
	sealed := 0
	for {
		var any []int64
		if err := s.read(ctx).Raw("SELECT id FROM audit_pending ORDER BY id LIMIT 1").Scan(&any).Error; err != nil {
			return sealed, translate(err)
		}
		if len(any) == 0 {
			return sealed, nil
		}
		n := 0
		err := s.txReadCommitted(ctx, func(tx *gorm.DB) error {
			n = 0
			head, err := s.auditHead(tx)
			if err != nil {
				return err
			}
			var rows []pendingAuditRow
			if err := tx.Raw("SELECT * FROM audit_pending ORDER BY id LIMIT ?"+s.forUpdate(), sealBatch).Scan(&rows).Error; err != nil {
				return err
			}
			if len(rows) == 0 {
				return nil
			}
			entries := make([]audit.Entry, len(rows))
			ids := make([]int64, len(rows))
			for i, r := range rows {
				entries[i] = audit.Entry{At: r.At, Actor: r.Actor, Role: r.Role, Action: r.Action, TargetType: r.TargetType,
					TargetID: r.TargetID, RequestID: r.RequestID, Before: r.BeforeDigest, After: r.AfterDigest, Changes: json.RawMessage(r.Changes)}
				ids[i] = r.ID
			}
			if err := s.sealEntries(tx, head, entries); err != nil {
				return err
			}
			n = len(rows)
			return tx.Exec("DELETE FROM audit_pending WHERE id IN ?", ids).Error
		})
		if err != nil {
			return sealed, translate(err)
		}
		if n == 0 {
			return sealed, nil
		}
		sealed += n
	}
}

// AuditRead records that the actor of ctx read something the audit must
// show they read (the annual report's figures): action names the read,
// targetType and targetID what was read.
func (s Audit) AuditRead(ctx context.Context, action, targetType, targetID string) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		return s.appendAudit(ctx, tx, change{action: action, targetType: targetType, targetID: targetID})
	})
}

// AuditFilter selects audit entries; zero fields do not filter.
type AuditFilter struct {
	AfterSeq int64 // the cursor: entries after this sequence number
	Limit    int
	Actor    string
	Action   string
	From, To time.Time // half-open [From, To)
}

// ListAudit returns entries in sequence order.
func (s Audit) ListAudit(ctx context.Context, f AuditFilter) ([]audit.Entry, error) {
	if _, err := s.SealAudit(ctx); err != nil {
		return nil, err
	}
	q := s.read(ctx).Model(&auditRow{}).Where("seq > ?", f.AfterSeq).Order("seq").Limit(f.Limit)
	if f.Actor != "" {
		q = q.Where("actor = ?", f.Actor)
	}
	if f.Action != "" {
		q = q.Where("action = ?", f.Action)
	}
	if !f.From.IsZero() {
		q = q.Where("at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("at < ?", f.To.UTC())
	}
	var rows []auditRow
	if err := q.Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]audit.Entry, len(rows))
	for i, r := range rows {
		out[i] = r.entry()
	}
	return out, nil
}

// AuditCheck is the outcome of VerifyAudit.
type AuditCheck struct {
	// Checked counts the entries checked, up to the first broken one.
	Checked int64
	// FirstBroken is the first sequence number at which the chain or an
	// anchor fails, 0 when both hold.
	FirstBroken int64
	// AnchorsChecked counts the signed anchors compared with the chain,
	// AnchorsRejected the lines of the anchor file that are no anchor
	// signed under the audit key (ignored), and AnchorsMissing the anchors
	// jiefen sent that the anchor file no longer holds (see checkAnchors).
	AnchorsChecked  int64
	AnchorsRejected int64
	AnchorsMissing  int64
}

// VerifyAudit walks the chain as it stood when verification began (up to
// the head read first: entries appended meanwhile are left to the next
// verification), the archive (see ArchiveAudit) followed by the live log
// as one chain, recomputing every hash under the audit key, and then
// compares the anchors of AnchorFile with it (see checkAnchors). An entry
// altered anywhere breaks the chain at its sequence number, and one
// missing from either table (an archived entry deleted) at the number it
// leaves out; an entry found in both tables is read once. A chain whose
// last entry does not match the head row is broken just after it (entries
// were removed from the end); one whose last entry was re-hashed on its
// own is broken at that entry. A chain re-hashed by someone without the
// key (with plain SHA-256, or another key) is broken at the first entry
// re-hashed. A head whose scheme is not 'hmac-sm3' was tampered with
// (only migration 0015 ever set another, and its run sealed the chain):
// the chain is broken at 1, for nothing in it can be trusted to be sealed
// under the key. Entries written but not yet sealed (see SealAudit) are
// sealed first. Entries moved to the archive while it runs are read where
// they are found. Memory stays constant however long the log and the
// anchor file.
func (s Audit) VerifyAudit(ctx context.Context) (AuditCheck, error) {
	var out AuditCheck
	if _, err := s.SealAudit(ctx); err != nil {
		return out, err
	}
	var head chainHead
	var scheme string
	err := s.read(ctx).Raw("SELECT seq, hash, scheme FROM audit_head WHERE id = 1").Row().Scan(&head.Seq, &head.Hash, &scheme)
	if err != nil {
		return out, translate(err)
	}
	v := audit.NewVerifier(s.auditKey.Hash)
	last, lastHash, err := s.walkAudit(s.read(ctx), head.Seq, func(r auditRow) (bool, error) { return v.Add(r.entry()), nil })
	if err != nil {
		return out, err
	}
	out.Checked, out.FirstBroken = v.Result()
	if out.FirstBroken == 0 {
		out.FirstBroken = head.breaks(last, lastHash)
	}
	if out.FirstBroken == 0 {
		if out.FirstBroken, err = s.pastHead(ctx); err != nil {
			return out, err
		}
	}
	if scheme != schemeKeyed {
		out.FirstBroken = 1
	}
	return out, s.checkAnchors(ctx, &out, last)
}

// pastHead returns where the chain breaks for entries stored past its
// head (seq of the first of them), 0 when there are none. An entry
// appended since VerifyAudit read the head moved the head with it, in one
// transaction, so the head read after the entries is at or past it;
// an entry beyond that head was put there by hand.
func (s Audit) pastHead(ctx context.Context) (int64, error) {
	var lastSeq sql.NullInt64
	if err := s.read(ctx).Raw("SELECT MAX(seq) FROM audit_log").Row().Scan(&lastSeq); err != nil {
		return 0, translate(err)
	}
	var head int64
	if err := s.read(ctx).Raw("SELECT seq FROM audit_head WHERE id = 1").Row().Scan(&head); err != nil {
		return 0, translate(err)
	}
	if lastSeq.Int64 > head {
		return head + 1, nil
	}
	return 0, nil
}

// CheckAuditHead returns an error naming the audit head when its scheme
// is not 'hmac-sm3', which only someone writing the database can have
// done (see resealMigration). jiefen starts all the same and logs it:
// entries go on being chained under the key, and VerifyAudit shows the
// auditor the chain broken at 1.
func (s Audit) CheckAuditHead(ctx context.Context) error {
	var scheme string
	if err := s.read(ctx).Raw("SELECT scheme FROM audit_head WHERE id = 1").Scan(&scheme).Error; err != nil {
		return translate(err)
	}
	if scheme != schemeKeyed {
		return jiefen.Errorf(jiefen.EINTERNAL, "the audit head (audit_head.scheme) says %q, not %q: it was altered in the database; "+
			"verification reports the audit chain broken at 1 until an investigation sets it back", scheme, schemeKeyed)
	}
	return nil
}

// breaks returns where a chain that holds up to its last entry (sequence
// number last, hash lastHash) breaks against the head row h: just after
// its last entry when the head names another (entries were removed from
// the end), at its last entry when only the hash differs (it was re-hashed
// on its own), 0 when they agree.
func (h chainHead) breaks(last int64, lastHash string) int64 {
	switch {
	case h.Seq != last:
		return min(h.Seq, last) + 1
	case h.Hash != lastHash:
		return last
	}
	return 0
}

// walkAudit calls fn with every entry of the chain up to sequence number
// upto in sequence order, the archive's and then the live log's, read in
// batches through q, until fn returns false. It returns the last entry's
// sequence number and hash.
func (s Audit) walkAudit(q *gorm.DB, upto int64, fn func(auditRow) (bool, error)) (last int64, lastHash string, err error) {
	lastHash = audit.Genesis
	batch := func(table string) ([]auditRow, error) {
		var rows []auditRow
		err := q.Table(table).Select(auditColumns).Where("seq > ? AND seq <= ?", last, upto).Order("seq").Limit(1000).Find(&rows).Error
		return rows, translate(err)
	}
	for {
		rows, err := batch("audit_archive")
		if err != nil {
			return 0, "", err
		}
		if len(rows) == 0 {
			if rows, err = batch("audit_log"); err != nil {
				return 0, "", err
			}
			if len(rows) > 0 && rows[0].Seq != last+1 {
				// The entries in between may have been archived since the
				// archive was read.
				moved, err := batch("audit_archive")
				if err != nil {
					return 0, "", err
				}
				if len(moved) > 0 {
					rows = moved
				}
			}
		}
		if len(rows) == 0 {
			return last, lastHash, nil
		}
		for _, r := range rows {
			more, err := fn(r)
			if err != nil || !more {
				return last, lastHash, err
			}
			last, lastHash = r.Seq, r.Hash
		}
	}
}
