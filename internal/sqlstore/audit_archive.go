package sqlstore

import (
	"context"
	"time"

	"gorm.io/gorm"

	"jiefen"
)

// archiveBatch is the most audit entries moved in one transaction, so that
// archiving a long log never holds its locks for long.
const archiveBatch = 1000

// auditColumns are the columns an audit entry has in both the live log and
// the archive.
const auditColumns = "seq, at, actor, role, action, target_type, target_id, request_id, " +
	"before_digest, after_digest, changes, prev_hash, hash"

// ArchiveAudit moves the audit entries made before the instant before from
// the live log into the archive, unchanged, and returns how many it moved.
// Entries move in sequence order, at most 1000 per transaction, each batch
// copied and removed in the same transaction, so that an entry is never in
// neither table. The archive is always the beginning of the chain: moving
// stops at the first entry that is not older than before, and the head of
// the chain (its latest entry) stays in the live log however old it is.
// Replicas may run it at once: each batch locks its entries, so an entry
// is moved once. An entry the archive already holds with another hash is
// never overwritten nor deleted from the log: the batch is undone and the
// error is internal.
func (s Audit) ArchiveAudit(ctx context.Context, before time.Time) (int64, error) {
	if _, err := s.SealAudit(ctx); err != nil {
		return 0, err
	}
	before = before.UTC()
	var moved int64
	for {
		n, more, err := s.archiveAuditBatch(ctx, before)
		moved += n
		if err != nil || !more {
			return moved, err
		}
	}
}

// archiveAuditBatch moves the next batch of ArchiveAudit and reports
// whether entries may remain to be moved.
func (s Audit) archiveAuditBatch(ctx context.Context, before time.Time) (moved int64, more bool, err error) {
	err = s.tx(ctx, func(tx *gorm.DB) error {
		moved, more = 0, false
		var head int64
		if err := tx.Raw("SELECT seq FROM audit_head WHERE id = 1").Scan(&head).Error; err != nil {
			return err
		}
		// Locking the batch first makes a replica archiving at the same
		// time wait, then find the entries gone and take the next ones.
		var batch []struct {
			Seq int64
			At  time.Time
		}
		if err := tx.Raw("SELECT seq, at FROM audit_log WHERE seq < ? ORDER BY seq LIMIT ?"+s.forUpdate(),
			head, archiveBatch).Scan(&batch).Error; err != nil {
			return err
		}
		take := 0
		for take < len(batch) && batch[take].At.Before(before) {
			take++
		}
		if take == 0 {
			return nil
		}
		lo, hi := batch[0].Seq, batch[take-1].Seq
		insert := "INSERT IGNORE INTO"
		if s.dialect == "sqlite" {
			insert = "INSERT OR IGNORE INTO"
		}
		if err := tx.Exec(insert+" audit_archive ("+auditColumns+", archived_at) SELECT "+auditColumns+
			", ? FROM audit_log WHERE seq BETWEEN ? AND ?", s.Now().UTC().Truncate(time.Microsecond), lo, hi).Error; err != nil {
			return err
		}
		// Only entries the archive now holds as they are leave the log.
		res := tx.Exec("DELETE FROM audit_log WHERE seq BETWEEN ? AND ? AND EXISTS "+
			"(SELECT 1 FROM audit_archive a WHERE a.seq = audit_log.seq AND a.hash = audit_log.hash)", lo, hi)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != int64(take) {
			return jiefen.Errorf(jiefen.EINTERNAL, "the audit archive holds other entries between %d and %d", lo, hi)
		}
		moved, more = res.RowsAffected, take == archiveBatch
		return nil
	})
	if err != nil {
		return 0, false, err
	}
	return moved, more, nil
}
