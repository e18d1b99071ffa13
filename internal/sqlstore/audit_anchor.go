package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"math"

	"gorm.io/gorm"

	"jiefen/internal/audit"
)

// anchorBatch is the most anchors looked up at once by checkAnchors.
const anchorBatch = 500

// AnchorAudit anchors the audit chain's head outside the database: the
// head's sequence number and hash, the instant and a signature under the
// audit key (audit.Anchor) are written as an event of kind audit.anchor
// whose title is the anchor's JSON, delivered to every webhook through the
// outbox, and appended as one line to AnchorFile (when set) in the same
// transaction, so that a line is never missing for an anchor sent (a
// failed append undoes the event; the next run tries again). A head
// anchored before (no entry since) is not anchored again: it reports
// false. An empty chain has nothing to anchor.
//
// The line is the one write of a use case outside the database, and it
// goes before the commit on purpose; a transaction that fails after it
// leaves a line for an anchor never sent, which checkAnchors accepts (its
// entry is there, with that hash). A rerun of the transaction (see tx)
// that finds the same head does not append a second line: it sends the
// anchor already written.
func (s Audit) AnchorAudit(ctx context.Context) (audit.Anchor, bool, error) {
	if _, err := s.SealAudit(ctx); err != nil {
		return audit.Anchor{}, false, err
	}
	var a audit.Anchor
	var anchored bool
	var written audit.Anchor // the line an earlier attempt appended (Seq 0: none)
	err := s.tx(ctx, func(tx *gorm.DB) error {
		a, anchored = audit.Anchor{}, false
		var head chainHead
		if err := tx.Raw("SELECT seq, hash FROM audit_head WHERE id = 1").Scan(&head).Error; err != nil {
			return err
		}
		if head.Seq == 0 {
			return nil
		}
		if written.Seq == head.Seq && written.Hash == head.Hash {
			a = written
		} else {
			a = s.auditKey.Anchor(head.Seq, head.Hash, s.Now())
		}
		line, err := json.Marshal(a)
		if err != nil {
			return err
		}
		n, err := s.emit(tx, []Event{{Key: fmt.Sprintf("audit.anchor:%d:%s", a.Seq, a.Hash), Kind: "audit.anchor",
			SubjectType: "audit_log", SubjectID: a.Seq, Title: string(line)}})
		if err != nil || n == 0 {
			return err
		}
		if s.AnchorFile != "" && a.Sig != written.Sig {
			if err := audit.AppendAnchor(s.AnchorFile, a); err != nil {
				return fmt.Errorf("sqlstore: the audit anchor file: %w", err)
			}
			written = a
		}
		anchored = true
		return nil
	})
	return a, anchored, err
}

// checkAnchors compares the anchors of AnchorFile with the stored chain,
// whose walk ended at sequence number last, and records in out how many it
// checked, rejected and found missing. An anchor whose entry now has
// another hash (the history up to it was rewritten, even by a holder of
// the key) breaks the chain at the anchor's sequence number; one whose
// entry is gone (the end of the chain cut off and its head moved back)
// breaks it just after the last entry there is. A line not signed under
// the audit key proves nothing and is rejected. Anchors are read and
// looked up in batches.
//
// The file must also still hold every anchor jiefen wrote to it, as the
// outbox remembers them (events audit.anchor): one the file lacks breaks
// the chain at its sequence number, so that deleting the file, or its
// last lines with a cut-off end of the chain, does not pass for a file
// with nothing to compare. The anchors sent before the file's first one
// are not asked for (the file was configured after them); anchors sent
// while verification runs are left to the next one. Whoever can edit both
// the database and the file, or holds the audit key, can still hide a
// rewrite from this check: only a copy out of their reach (the webhooks'
// receivers) holds against them.
func (s Audit) checkAnchors(ctx context.Context, out *AuditCheck, last int64) error {
	if s.AnchorFile == "" {
		return nil
	}
	broken := func(seq int64) {
		if out.FirstBroken == 0 || seq < out.FirstBroken {
			out.FirstBroken = seq
		}
	}
	// Every anchor sent up to now was written to the file before it was
	// committed: read which before the file.
	sent := sentAnchors{q: s.read(ctx)}
	if err := sent.q.Raw("SELECT COALESCE(MAX(id), 0) FROM events WHERE kind = 'audit.anchor'").Scan(&sent.maxID).Error; err != nil {
		return translate(err)
	}
	missingUpTo := func(seq int64) error {
		for {
			next, ok, err := sent.peek()
			if err != nil || !ok || next > seq {
				return err
			}
			sent.pop()
			if next < seq {
				out.AnchorsMissing++
				broken(next)
			}
		}
	}
	var batch []audit.Anchor
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		seqs := make([]int64, len(batch))
		for i, a := range batch {
			seqs[i] = a.Seq
		}
		var rows []struct {
			Seq  int64
			Hash string
		}
		err := s.read(ctx).Raw("SELECT seq, hash FROM audit_archive WHERE seq IN ? UNION ALL SELECT seq, hash FROM audit_log WHERE seq IN ?",
			seqs, seqs).Scan(&rows).Error
		if err != nil {
			return translate(err)
		}
		stored := make(map[int64][]string, len(rows))
		for _, r := range rows {
			stored[r.Seq] = append(stored[r.Seq], r.Hash)
		}
		for _, a := range batch {
			out.AnchorsChecked++
			hashes := stored[a.Seq]
			switch {
			case len(hashes) == 0:
				broken(min(a.Seq, last+1))
			case hashes[0] != a.Hash || len(hashes) > 1 && hashes[1] != a.Hash:
				broken(a.Seq)
			}
		}
		batch = batch[:0]
		return nil
	}
	first := true
	err := audit.ReadAnchors(s.AnchorFile, func(a audit.Anchor, ok bool) error {
		if !ok || !s.auditKey.Signed(a) {
			out.AnchorsRejected++
			return nil
		}
		if first {
			first, sent.after = false, a.Seq-1
		}
		if err := missingUpTo(a.Seq); err != nil {
			return err
		}
		if batch = append(batch, a); len(batch) == anchorBatch {
			return flush()
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlstore: the audit anchor file: %w", err)
	}
	if err := missingUpTo(math.MaxInt64); err != nil {
		return err
	}
	return flush()
}

// sentAnchors reads in sequence order, in batches, the sequence numbers
// of the anchors sent (events audit.anchor) after sequence number after
// whose events are no newer than maxID.
type sentAnchors struct {
	q     *gorm.DB
	maxID int64
	after int64
	seqs  []int64
	done  bool
}

// peek returns the next sequence number anchored, or false after the last.
func (s *sentAnchors) peek() (int64, bool, error) {
	if len(s.seqs) == 0 && !s.done {
		err := s.q.Raw("SELECT DISTINCT subject_id FROM events WHERE subject_type = 'audit_log' AND kind = 'audit.anchor' "+
			"AND subject_id > ? AND id <= ? ORDER BY subject_id LIMIT ?", s.after, s.maxID, anchorBatch).Scan(&s.seqs).Error
		if err != nil {
			return 0, false, translate(err)
		}
		s.done = len(s.seqs) < anchorBatch
	}
	if len(s.seqs) == 0 {
		return 0, false, nil
	}
	return s.seqs[0], true, nil
}

// pop moves past the sequence number peek returned.
func (s *sentAnchors) pop() {
	s.after, s.seqs = s.seqs[0], s.seqs[1:]
}
