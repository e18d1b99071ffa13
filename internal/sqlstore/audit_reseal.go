package sqlstore

import (
	"context"
	"math"

	"gorm.io/gorm"

	"jiefen"
	"jiefen/internal/audit"
)

// resealMigration is the migration that introduces audit_head.scheme and
// marks an existing chain 'sha256': the run of Migrate that applies it,
// and no other, seals the chain under the key (resealAudit), in the same
// transaction as its row in schema_migrations. A scheme other than
// 'hmac-sm3' found at any other time was written by someone, not by
// jiefen: it is reported (see CheckAuditHead, VerifyAudit), never acted
// upon, so that flipping it cannot have a forged log sealed again. An
// insider who also rolls the schema back (deletes the rows of
// schema_migrations from 15 on) gets the migration, and so the reseal,
// run again: no record in the database can tell that from an upgrade.
// The reseal is then a second audit.reseal entry, and the anchors of the
// rewritten entries no longer match (see checkAnchors): the webhook
// receiver's copy finds it.
const resealMigration = 15

// resealReport says what resealAudit did.
type resealReport struct {
	// Sealed counts the entries sealed again under the key (0: nothing to
	// do, the chain was keyed already).
	Sealed int64
	// OldHeadHash is the head's hash under the old scheme, and OldChecked
	// and OldFirstBroken the old chain's verification under it (0: it
	// held).
	OldHeadHash    string
	OldChecked     int64
	OldFirstBroken int64
}

// resealAudit seals under the audit key a chain that earlier versions
// sealed with plain SHA-256 (audit_head.scheme 'sha256', set by migration
// 0015 when the log held entries). migrateTo runs it inside the
// transaction that applies migration 0015, so it runs once in the life of
// a database: replicas starting together apply 0015 one after the other
// under the migration lock (on SQLite the second finds the migration's
// columns there and fails its start, to be restarted), and `jiefen
// migrate` followed by `serve` reseals in the first only. The old chain is
// verified with SHA-256 (archive and live log, head included, as
// VerifyAudit does); the entries before the first one it finds broken
// are re-hashed under the key in sequence order and batches of 1000, and
// the rest keep their old hashes, so that a chain broken before the
// upgrade is not made whole and verification still names the break. The
// head is moved and an entry audit.reseal is appended that records how
// many were sealed, the old head's hash and the old verification. A gap
// in the sequence stays a gap and still breaks verification.
func (db *DB) resealAudit(ctx context.Context, tx *gorm.DB) (resealReport, error) {
	var rep resealReport
	var head struct {
		Seq    int64
		Hash   string
		Scheme string
	}
	if err := tx.Raw("SELECT seq, hash, scheme FROM audit_head WHERE id = 1" + db.forUpdate()).Scan(&head).Error; err != nil {
		return rep, err
	}
	if head.Scheme == schemeKeyed {
		return rep, nil
	}
	if head.Scheme != schemeSHA256 {
		return rep, jiefen.Errorf(jiefen.EINTERNAL, "the audit chain is sealed with %q, which this binary does not know", head.Scheme)
	}
	old := audit.NewVerifier(audit.LegacyHash)
	last, lastOldHash, err := db.Audit.walkAudit(tx, math.MaxInt64, func(r auditRow) (bool, error) { return old.Add(r.entry()), nil })
	if err != nil {
		return rep, err
	}
	rep.OldChecked, rep.OldFirstBroken = old.Result()
	if rep.OldFirstBroken == 0 {
		rep.OldFirstBroken = chainHead{Seq: head.Seq, Hash: head.Hash}.breaks(last, lastOldHash)
	}
	rep.OldHeadHash = head.Hash
	sealUpTo := int64(math.MaxInt64)
	if rep.OldFirstBroken != 0 {
		sealUpTo = rep.OldFirstBroken - 1
	}
	prev := audit.Genesis
	_, _, err = db.Audit.walkAudit(tx, sealUpTo, func(r auditRow) (bool, error) {
		e := r.entry()
		e.PrevHash = prev
		prev = db.auditKey.Hash(e)
		rep.Sealed++
		for _, table := range []string{"audit_archive", "audit_log"} {
			if err := tx.Exec("UPDATE "+table+" SET prev_hash = ?, hash = ? WHERE seq = ?", e.PrevHash, prev, e.Seq).Error; err != nil {
				return false, err
			}
		}
		return true, nil
	})
	if err != nil {
		return rep, err
	}
	// The reseal's own entry follows the old head (entries cut off the end
	// stay missing: the sequence goes on from there, leaving the gap that
	// shows them gone), chained onto the last entry sealed; after a break
	// nothing verifies beyond it anyway, and it follows the old head's hash.
	if rep.OldFirstBroken != 0 && rep.OldFirstBroken <= last {
		prev = head.Hash
	}
	if err := tx.Exec("UPDATE audit_head SET hash = ?, scheme = ? WHERE id = 1", prev, schemeKeyed).Error; err != nil {
		return rep, err
	}
	after := map[string]any{"scheme": schemeKeyed, "sealed": rep.Sealed, "old_head_seq": head.Seq,
		"old_head_hash": head.Hash, "old_checked": rep.OldChecked, "old_chain_ok": rep.OldFirstBroken == 0,
		"old_first_broken": rep.OldFirstBroken}
	err = db.chainAudits(tx, chainHead{Seq: max(head.Seq, last), Hash: prev}, []audited{{
		ctx: jiefen.NewContextWithRequestID(ctx, "migrate:0015"),
		change: change{action: "audit.reseal", targetType: "audit_log",
			before: map[string]any{"scheme": schemeSHA256}, after: after},
	}})
	return rep, err
}
