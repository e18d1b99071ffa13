package sqlstore

import (
	"context"
	"database/sql"
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
	PrevHash     string
	Hash         string
}

func (auditRow) TableName() string { return "audit_log" }

func (r auditRow) entry() audit.Entry {
	return audit.Entry{Seq: r.Seq, At: r.At.UTC(), Actor: r.Actor, Role: r.Role, Action: r.Action,
		TargetType: r.TargetType, TargetID: r.TargetID, RequestID: r.RequestID,
		Before: r.BeforeDigest, After: r.AfterDigest, PrevHash: r.PrevHash, Hash: r.Hash}
}

// change describes one audited action for appendAudit.
type change struct {
	action     string // e.g. "org.update"
	targetType string
	targetID   string
	before     any // the record before, digested; nil for a creation
	after      any // the record after, digested; nil for a deletion
}

// appendAudit chains one entry for ch onto the log inside tx, under the actor
// and request id of ctx.
func (db *DB) appendAudit(ctx context.Context, tx *gorm.DB, ch change) error {
	return db.appendAudits(tx, []audited{{ctx: ctx, change: ch}})
}

// audited is a change with the context (actor, request id) it was made in.
type audited struct {
	ctx    context.Context
	change change
}

// appendAudits chains entries onto the log inside tx, in order. The head row
// is locked so that writers on several replicas append one after another:
// no forks, no gaps. A batch of intakes pays for the lock once.
func (db *DB) appendAudits(tx *gorm.DB, items []audited) error {
	q := db.queries(tx)
	head, err := db.auditHead(q)
	if err != nil {
		return err
	}
	if err := q.run(); err != nil {
		return err
	}
	w := db.statements(tx)
	if err := db.chainAudits(w, *head, items); err != nil {
		return err
	}
	_, err = w.send()
	return err
}

// chainHead is the audit chain's last entry: its sequence number and hash.
type chainHead struct {
	Seq  int64
	Hash string
}

// auditHead adds to q the read of the chain's head, locking it until the
// transaction ends; the head is filled in when q runs.
func (db *DB) auditHead(q *queries) (*chainHead, error) {
	head := &chainHead{}
	return head, q.add(func(rows *sql.Rows) error {
		if !rows.Next() {
			if err := rows.Err(); err != nil {
				return err
			}
			return fmt.Errorf("sqlstore: the audit chain has no head row")
		}
		if err := rows.Scan(&head.Seq, &head.Hash); err != nil {
			return err
		}
		for rows.Next() {
		}
		return rows.Err()
	}, "SELECT seq, hash FROM audit_head WHERE id = 1"+db.forUpdate())
}

// chainAudits adds to w the statements that append the entries after head
// (read under lock by auditHead) and move the head.
func (db *DB) chainAudits(w *statements, head chainHead, items []audited) error {
	if len(items) == 0 {
		return nil
	}
	now := db.Now()
	rows := make([]auditRow, len(items))
	for i, it := range items {
		actor, _ := jiefen.ActorFrom(it.ctx)
		name := actor.Username
		if name == "" {
			name = "system"
		}
		ch := it.change
		e := audit.Chain(audit.Entry{
			At: now, Actor: name, Role: string(actor.Role), Action: ch.action,
			TargetType: ch.targetType, TargetID: ch.targetID, RequestID: jiefen.RequestIDFrom(it.ctx),
			Before: audit.Digest(ch.before), After: audit.Digest(ch.after),
		}, head.Seq, head.Hash)
		rows[i] = auditRow{Seq: e.Seq, At: e.At, Actor: e.Actor, Role: e.Role, Action: e.Action,
			TargetType: e.TargetType, TargetID: e.TargetID, RequestID: e.RequestID,
			BeforeDigest: e.Before, AfterDigest: e.After, PrevHash: e.PrevHash, Hash: e.Hash}
		head.Seq, head.Hash = e.Seq, e.Hash
	}
	if err := w.create(&rows); err != nil {
		return err
	}
	return w.exec("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", head.Seq, head.Hash)
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
func (db *DB) ListAudit(ctx context.Context, f AuditFilter) ([]audit.Entry, error) {
	q := db.read(ctx).Model(&auditRow{}).Where("seq > ?", f.AfterSeq).Order("seq").Limit(f.Limit)
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

// VerifyAudit walks the whole chain in batches, the archive (see
// ArchiveAudit) followed by the live log as one chain, and returns how many
// entries it checked and the first broken sequence number (0 when intact).
// An entry altered anywhere breaks the chain at its sequence number, and
// one missing from either table (an archived entry deleted) at the number
// it leaves out; an entry found in both tables is read once. A chain whose
// last entry does not match the head row is broken just after it (entries
// were removed from the end); one whose last entry was re-hashed on its
// own is broken at that entry. Entries moved to the archive while it runs
// are read where they are found.
func (db *DB) VerifyAudit(ctx context.Context) (checked, firstBroken int64, err error) {
	v := audit.NewVerifier()
	var last int64
	var lastHash = audit.Genesis
	batch := func(table string) ([]auditRow, error) {
		var rows []auditRow
		err := db.read(ctx).Table(table).Select(auditColumns).Where("seq > ?", last).Order("seq").Limit(1000).Find(&rows).Error
		return rows, translate(err)
	}
	for {
		rows, err := batch("audit_archive")
		if err != nil {
			return 0, 0, err
		}
		if len(rows) == 0 {
			if rows, err = batch("audit_log"); err != nil {
				return 0, 0, err
			}
			if len(rows) > 0 && rows[0].Seq != last+1 {
				// The entries in between may have been archived since the
				// archive was read.
				moved, err := batch("audit_archive")
				if err != nil {
					return 0, 0, err
				}
				if len(moved) > 0 {
					rows = moved
				}
			}
		}
		if len(rows) == 0 {
			break
		}
		for _, r := range rows {
			if !v.Add(r.entry()) {
				checked, broken := v.Result()
				return checked, broken, nil
			}
			last, lastHash = r.Seq, r.Hash
		}
	}
	checked, _ = v.Result()
	var head struct {
		Seq  int64
		Hash string
	}
	if err := db.read(ctx).Raw("SELECT seq, hash FROM audit_head WHERE id = 1").Scan(&head).Error; err != nil {
		return 0, 0, translate(err)
	}
	switch {
	case head.Seq != last:
		return checked, min(head.Seq, last) + 1, nil
	case head.Hash != lastHash:
		return checked, last, nil
	}
	return checked, 0, nil
}
