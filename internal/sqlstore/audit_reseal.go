package sqlstore

import (
	"context"

	"gorm.io/gorm"

	"jiefen"
	"jiefen/internal/audit"
)

// ResealReport says what ResealAudit did.
type ResealReport struct {
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

// ResealAudit seals under the audit key, once, a chain that earlier
// versions sealed with plain SHA-256 (audit_head.scheme 'sha256', set by
// migration 0015 when the log held entries); Migrate runs it. In one
// transaction, under the lock of the head row (so that replicas starting
// together reseal once, the others finding the chain keyed, and no entry
// is appended meanwhile): the old chain is verified with SHA-256 (archive
// and live log, head included, as VerifyAudit does), every entry is
// re-hashed under the key in sequence order and batches of 1000, the head
// is moved, and an entry audit.reseal is appended that records how many
// were sealed, the old head's hash and the old verification. A chain the
// old verification found broken (an entry altered, removed or inserted
// before the reseal) is sealed as it is: the record of its old breakage
// stays in the audit.reseal entry, itself sealed; a gap in the sequence
// stays a gap and still breaks verification.
func (db *DB) ResealAudit(ctx context.Context) (ResealReport, error) {
	var rep ResealReport
	err := db.tx(ctx, func(tx *gorm.DB) error {
		rep = ResealReport{}
		var head struct {
			Seq    int64
			Hash   string
			Scheme string
		}
		if err := tx.Raw("SELECT seq, hash, scheme FROM audit_head WHERE id = 1" + db.forUpdate()).Scan(&head).Error; err != nil {
			return err
		}
		if head.Scheme == schemeKeyed {
			return nil
		}
		if head.Scheme != schemeSHA256 {
			return jiefen.Errorf(jiefen.EINTERNAL, "the audit chain is sealed with %q, which this binary does not know", head.Scheme)
		}
		old := audit.NewVerifier(audit.LegacyHash)
		prev := audit.Genesis
		w := db.statements(tx)
		pending := 0
		last, lastOldHash, err := db.walkAudit(tx, func(r auditRow) (bool, error) {
			e := r.entry()
			old.Add(e)
			e.PrevHash = prev
			prev = db.auditKey.Hash(e)
			rep.Sealed++
			for _, table := range []string{"audit_archive", "audit_log"} {
				if err := w.exec("UPDATE "+table+" SET prev_hash = ?, hash = ? WHERE seq = ?", e.PrevHash, prev, e.Seq); err != nil {
					return false, err
				}
			}
			if pending++; pending == archiveBatch {
				pending = 0
				_, err := w.send()
				return err == nil, err
			}
			return true, nil
		})
		if err != nil {
			return err
		}
		if _, err := w.send(); err != nil {
			return err
		}
		rep.OldChecked, rep.OldFirstBroken = old.Result()
		if rep.OldFirstBroken == 0 {
			rep.OldFirstBroken = chainHead{Seq: head.Seq, Hash: head.Hash}.breaks(last, lastOldHash)
		}
		rep.OldHeadHash = head.Hash
		if err := tx.Exec("UPDATE audit_head SET hash = ?, scheme = ? WHERE id = 1", prev, schemeKeyed).Error; err != nil {
			return err
		}
		// Entries cut off the end stay missing: the sequence goes on from
		// the old head, leaving the gap that shows them gone.
		after := map[string]any{"scheme": schemeKeyed, "sealed": rep.Sealed, "old_head_seq": head.Seq,
			"old_head_hash": head.Hash, "old_checked": rep.OldChecked, "old_chain_ok": rep.OldFirstBroken == 0,
			"old_first_broken": rep.OldFirstBroken}
		w = db.statements(tx)
		if err := db.chainAudits(w, chainHead{Seq: max(head.Seq, last), Hash: prev}, []audited{{
			ctx: jiefen.NewContextWithRequestID(ctx, "migrate:0015"),
			change: change{action: "audit.reseal", targetType: "audit_log",
				before: map[string]any{"scheme": schemeSHA256}, after: after},
		}}); err != nil {
			return err
		}
		_, err = w.send()
		return err
	})
	return rep, err
}
