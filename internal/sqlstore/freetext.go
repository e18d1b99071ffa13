package sqlstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"gorm.io/gorm"

	"jiefen"
	"jiefen/internal/pii"
	"jiefen/mediation"
	"jiefen/reconsideration"
)

// Free text at rest. Staff type ID numbers and phones into titles,
// descriptions, session records, attendees, agreements and reasons as
// readily as into the parties' fields, so a free text is kept as the fields are (个人信息保护法 第51条):
// its column holds it masked (jiefen.MaskText), which is what searches,
// reports and exports read, and a companion column <column>_sealed holds
// the whole text sealed under the pii keyring, NULL when masking changed
// nothing. A JSON column of records (a mediation case's dossier, a
// reconsideration case's record) is kept the same way, its texts masked
// within the JSON and the whole JSON sealed. Reading a record opens the
// companion, so that the domain works on the whole text and answers mask
// it again unless the caller may unmask.

// freeText is a column of free text kept masked with its companion.
type freeText struct {
	table, column string
	// mask is the masked form of what the column keeps whole.
	mask func(string) (string, error)
}

// field is what a whole text is sealed as beside the masked text the
// column keeps: bound to the column and to that masked text, so that the
// companion opens in its own column only, and only while the column holds
// what it was sealed beside.
func (t freeText) field(column string) pii.Field {
	return pii.Field(t.table + "." + t.column).Beside(column)
}

// The columns of free text.
var (
	disputeTitle       = freeText{"disputes", "title", maskPlain}
	disputeDescription = freeText{"disputes", "description", maskPlain}
	disputeReason      = freeText{"disputes", "reason", maskPlain}
	historyReason      = freeText{"dispute_history", "reason", maskPlain}
	mediationDossier   = freeText{"mediation_cases", "dossier", maskJSON[dossier]}
	followUpComment    = freeText{"mediation_followups", "comment", maskPlain}
	rectifyAction      = freeText{"mediation_followups", "rectify_action", maskPlain}
	reconAct           = freeText{"reconsideration_cases", "act", maskPlain}
	reconRecordText    = freeText{"reconsideration_cases", "record", maskJSON[reconRecord]}
)

// freeTexts lists them for the walk of SealPersonalData.
func freeTexts() []freeText {
	return []freeText{disputeTitle, disputeDescription, disputeReason, historyReason, mediationDossier, followUpComment, rectifyAction, reconAct, reconRecordText}
}

func maskPlain(text string) (string, error) { return jiefen.MaskText(text), nil }

// records is what a JSON column of records keeps: it knows its own masked
// form.
type records[T any] interface{ masked() T }

// maskJSON masks the texts of the records a JSON column keeps.
func maskJSON[T records[T]](text string) (string, error) {
	var v T
	if err := json.Unmarshal([]byte(text), &v); err != nil {
		return "", fmt.Errorf("sqlstore: stored records: %w", err)
	}
	return jsonText(v.masked())
}

// masked is the dossier with the texts in it masked, as
// mediation.Case.Masked masks them.
func (d dossier) masked() dossier {
	c := mediation.Case{Sessions: d.Sessions, Agreement: d.Agreement, Failure: d.Failure}.Masked()
	d.Sessions, d.Agreement, d.Failure = c.Sessions, c.Agreement, c.Failure
	return d
}

// dossierOf is what a case's dossier column and its companion keep.
func (c *conn) dossierOf(mc mediation.Case) (string, *string, error) {
	d := dossier{Sessions: mc.Sessions, Agreement: mc.Agreement, Failure: mc.Failure, Confirmation: mc.Confirmation}
	return c.sealJSON(mediationDossier, d, d.masked())
}

// masked is the record with the texts in it masked, as
// reconsideration.Case.Masked masks them.
func (r reconRecord) masked() reconRecord {
	c := reconsideration.Case{Review: r.Review, Reply: r.Reply, Committee: r.Committee, Suspensions: r.Suspensions,
		Extension: r.Extension, Decision: r.Decision}.Masked()
	r.Review, r.Reply, r.Committee, r.Suspensions, r.Extension, r.Decision = c.Review, c.Reply, c.Committee, c.Suspensions, c.Extension, c.Decision
	return r
}

func jsonText(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}

// seal returns what the column and its companion keep of a whole text
// given its masked form: the masked text, and the whole text sealed when
// masking changed it (nil otherwise: there is nothing to hide).
func (c *conn) seal(t freeText, whole, masked string) (string, *string, error) {
	if masked == whole {
		return whole, nil, nil
	}
	sealed, err := c.keys.Seal(t.field(masked), whole)
	if err != nil {
		return "", nil, err
	}
	return masked, &sealed, nil
}

// sealJSON is seal for a JSON column of records, given them whole and
// masked.
func (c *conn) sealJSON(t freeText, whole, masked any) (string, *string, error) {
	w, err := jsonText(whole)
	if err != nil {
		return "", nil, err
	}
	m, err := jsonText(masked)
	if err != nil {
		return "", nil, err
	}
	return c.seal(t, w, m)
}

// sealText is seal for a plain text, masked by jiefen.MaskText.
func (c *conn) sealText(t freeText, whole string) (string, *string, error) {
	return c.seal(t, whole, jiefen.MaskText(whole))
}

// open returns the whole text of a column and its companion. A companion
// that does not open beside the column is stale: the column was written
// since by a version that knew nothing of the companion (a replica not yet
// upgraded), and what it wrote wins.
func (c *conn) open(t freeText, column string, sealed *string) (string, error) {
	if sealed == nil || *sealed == "" {
		return column, nil
	}
	whole, err := c.keys.Open(t.field(column), *sealed)
	if errors.Is(err, pii.ErrAltered) {
		return column, nil
	}
	return whole, err
}

// sealFreeText brings a column of free text under the current key and the
// current masking: a text kept in clear (from before masking, or written
// since by an older version beside a now stale companion) is masked with
// its whole form sealed; a companion sealed under an older key, or beside a
// text in which this version's masking finds more to mask (a full-width
// check character, a session's attendees), is sealed again beside the text
// masked anew. It works
// by id in batches of 500 rows, each its own transaction; every update is
// conditional on the row being as it was read, so that a request or
// another replica that changed it meanwhile wins, and a rerun does
// nothing more.
func (c *conn) sealFreeText(ctx context.Context, t freeText) (int, error) {
	type row struct {
		ID     int64
		Text   *string
		Sealed *string
	}
	query := fmt.Sprintf("SELECT id, %[1]s AS text, %[1]s_sealed AS sealed FROM %[2]s WHERE id > ? ORDER BY id LIMIT %[3]d",
		t.column, t.table, batchRows)
	return inBatches(ctx, c, query, func(r row) int64 { return r.ID }, func(tx *gorm.DB, rows []row) (int, error) {
		changed := 0
		for _, r := range rows {
			if r.Text == nil {
				continue
			}
			n, err := c.sealRow(tx, t, r.ID, *r.Text, r.Sealed)
			if err != nil {
				return 0, fmt.Errorf("%s %d: %w", t.table, r.ID, err)
			}
			changed += n
		}
		return changed, nil
	})
}

// sealRow is sealFreeText for one row; it returns the number of rows
// changed.
func (c *conn) sealRow(tx *gorm.DB, t freeText, id int64, text string, sealed *string) (int, error) {
	whole, current := text, false
	if sealed != nil {
		opened, err := c.keys.Open(t.field(text), *sealed)
		switch {
		case errors.Is(err, pii.ErrAltered): // stale: the column is the text
		case err != nil:
			return 0, err
		default:
			whole, current = opened, pii.KeyOf(*sealed) == c.keys.Current()
		}
	}
	masked, err := t.mask(whole)
	if err != nil {
		return 0, err
	}
	if current && masked == text {
		return 0, nil
	}
	column, companion, err := c.seal(t, whole, masked)
	if err != nil {
		return 0, err
	}
	if sealed == nil && companion == nil {
		return 0, nil
	}
	q := fmt.Sprintf("UPDATE %s SET %s = ?, %[2]s_sealed = ? WHERE id = ? AND %[2]s = ? AND %[2]s_sealed IS NULL", t.table, t.column)
	args := []any{column, companion, id, text}
	if sealed != nil {
		q = fmt.Sprintf("UPDATE %s SET %s = ?, %[2]s_sealed = ? WHERE id = ? AND %[2]s = ? AND %[2]s_sealed = ?", t.table, t.column)
		args = append(args, *sealed)
	}
	res := tx.Exec(q, args...)
	return int(res.RowsAffected), res.Error
}
