package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"

	"gorm.io/gorm"

	"jiefen"
	"jiefen/internal/pii"
)

// Personal data at rest: a party's ID number, phone and address are kept
// sealed (SM4-GCM, see package pii) inside the JSON of the disputes'
// parties and of the reconsideration applicants; the ID numbers that find
// a party's earlier disputes are kept as their blind index (HMAC-SM3).
// Names are kept as they are: a name alone is not the data PIPL's 第28条
// counts as sensitive, and the case pages need them. An organisation's
// credit code is not personal data and is kept in clear.

// sealParty returns p with its ID number, phone and address sealed.
func (c *conn) sealParty(p jiefen.Party) (jiefen.Party, error) {
	var err error
	if p.IDNumber, err = c.reseal(pii.IDNumber, p.IDNumber); err != nil {
		return p, err
	}
	if p.Phone, err = c.reseal(pii.Phone, p.Phone); err != nil {
		return p, err
	}
	p.Address, err = c.reseal(pii.Address, p.Address)
	return p, err
}

// reseal seals a value in clear, or one sealed under a key that is not
// the current one, under the current key.
func (c *conn) reseal(f pii.Field, v string) (string, error) {
	if v == "" || pii.Sealed(v) && pii.KeyOf(v) == c.keys.Current() {
		return v, nil
	}
	if pii.Sealed(v) {
		clear, err := c.keys.Open(f, v)
		if err != nil {
			return "", err
		}
		v = clear
	}
	return c.keys.Seal(f, v)
}

// openParty returns p with its sealed fields opened. A value still in
// clear (a row from before sealing, not yet migrated) is returned as it is.
// A party stored before parties had a kind is a person.
func (c *conn) openParty(p jiefen.Party) (jiefen.Party, error) {
	if p.Kind == "" {
		p.Kind = jiefen.PartyPerson
	}
	var err error
	if p.IDNumber, err = c.unseal(pii.IDNumber, p.IDNumber); err != nil {
		return p, err
	}
	if p.Phone, err = c.unseal(pii.Phone, p.Phone); err != nil {
		return p, err
	}
	p.Address, err = c.unseal(pii.Address, p.Address)
	return p, err
}

func (c *conn) unseal(f pii.Field, v string) (string, error) {
	if !pii.Sealed(v) {
		return v, nil
	}
	return c.keys.Open(f, v)
}

// partiesJSON is the stored form of parties: JSON with the personal data
// sealed.
func (c *conn) partiesJSON(ps []jiefen.Party) (string, error) {
	if len(ps) == 0 {
		return "[]", nil
	}
	sealed := make([]jiefen.Party, len(ps))
	for i, p := range ps {
		var err error
		if sealed[i], err = c.sealParty(p); err != nil {
			return "", err
		}
	}
	b, err := json.Marshal(sealed)
	return string(b), err
}

// partiesOf reads stored parties, opening their sealed fields.
func (c *conn) partiesOf(s string) ([]jiefen.Party, error) {
	var ps []jiefen.Party
	if err := json.Unmarshal([]byte(s), &ps); err != nil {
		return nil, fmt.Errorf("sqlstore: stored parties: %w", err)
	}
	if ps == nil {
		return []jiefen.Party{}, nil
	}
	for i := range ps {
		var err error
		if ps[i], err = c.openParty(ps[i]); err != nil {
			return nil, err
		}
	}
	return ps, nil
}

// partyJSON and partyOf are partiesJSON and partiesOf for one party.
func (c *conn) partyJSON(p jiefen.Party) (string, error) {
	sealed, err := c.sealParty(p)
	if err != nil {
		return "", err
	}
	b, err := json.Marshal(sealed)
	return string(b), err
}

func (c *conn) partyOf(s string) (jiefen.Party, error) {
	var p jiefen.Party
	if err := json.Unmarshal([]byte(s), &p); err != nil {
		return p, fmt.Errorf("sqlstore: a stored party: %w", err)
	}
	return c.openParty(p)
}

// blindID is the blind index of an ID number, as dispute_party_ids keeps it.
func (c *conn) blindID(id string) string { return c.keys.Blind(pii.IDNumber, id) }

// batchBlind is blindID remembered for one batch of intakes, in which an ID
// number is looked up, compared with every earlier intake of the batch and
// indexed: each is hashed once. It is not safe for concurrent use.
func (c *conn) batchBlind() func(string) string {
	seen := map[string]string{}
	return func(id string) string {
		b, ok := seen[id]
		if !ok {
			b = c.blindID(id)
			seen[id] = b
		}
		return b
	}
}

// PersonalDataReport is what SealPersonalData did.
type PersonalDataReport struct {
	Key             string `json:"key"`
	Disputes        int    `json:"disputes"`
	Reconsideration int    `json:"reconsideration"`
	PartyIDs        int    `json:"party_ids"`
	// Texts counts the free texts masked and sealed, or sealed again
	// (freetext.go).
	Texts int `json:"texts"`
}

// SealPersonalData brings every stored value under the current key: values
// in clear (rows from before sealing) are sealed, values under an older key
// are resealed (key rotation), ID numbers kept in clear for the repeat
// search are replaced by their blind index, free texts kept in clear are
// masked with their whole form sealed (sealFreeText). It works in batches of 500
// rows, each its own transaction, and records the key when done, so that a
// start with the same key skips the walk; a row changed meanwhile by a
// request is left to that request (which seals under the current key).
func (db *DB) SealPersonalData(ctx context.Context) (PersonalDataReport, error) {
	rep := PersonalDataReport{Key: db.keys.Current()}
	var state struct {
		KeyID string
		Probe string
	}
	if err := db.read(ctx).Raw("SELECT key_id, probe FROM pii_state WHERE id = 1").Scan(&state).Error; err != nil {
		return rep, translate(err)
	}
	// The probe proves that the keys loaded are the ones the data was
	// sealed with: a lost key file replaced by a new one (with the same key
	// id) must stop the start, not seal new data under the wrong key.
	if state.Probe != "" {
		if _, err := db.keys.Open(probeField, state.Probe); err != nil {
			return rep, fmt.Errorf("sqlstore: the keys loaded do not open the personal data of this database (sealed under key %q): "+
				"restore its key file or JIEFEN_PII_KEYS; never start it with new keys", state.KeyID)
		}
	}
	if state.KeyID == db.keys.Current() {
		return rep, nil
	}
	n, err := resealColumn(ctx, db.conn, "disputes", "parties", db.partiesOf, db.partiesJSON)
	rep.Disputes = n
	if err != nil {
		return rep, err
	}
	n, err = resealColumn(ctx, db.conn, "reconsideration_cases", "applicant", db.partyOf, db.partyJSON)
	rep.Reconsideration = n
	if err != nil {
		return rep, err
	}
	if rep.PartyIDs, err = db.blindPartyIDs(ctx); err != nil {
		return rep, err
	}
	for _, t := range freeTexts() {
		n, err := db.sealFreeText(ctx, t)
		rep.Texts += n
		if err != nil {
			return rep, err
		}
	}
	now := db.Now()
	probe, err := db.keys.Seal(probeField, "jiefen")
	if err != nil {
		return rep, err
	}
	err = db.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Exec("DELETE FROM pii_state WHERE id = 1").Error; err != nil {
			return err
		}
		return tx.Exec("INSERT INTO pii_state (id, key_id, probe, sealed_at) VALUES (1, ?, ?, ?)", db.keys.Current(), probe, now).Error
	})
	return rep, translate(err)
}

// probeField is what the probe of pii_state is sealed as.
const probeField pii.Field = "pii_state.probe"

// resealColumn rewrites a JSON column of personal data, by id in batches,
// where a value is in clear or under another key than the current one.
func resealColumn[T any](ctx context.Context, c *conn, table, column string, read func(string) (T, error), write func(T) (string, error)) (int, error) {
	type row struct {
		ID   int64
		Text string
	}
	query := fmt.Sprintf("SELECT id, %s AS text FROM %s WHERE id > ? ORDER BY id LIMIT %d", column, table, batchRows)
	return inBatches(ctx, c, query, func(r row) int64 { return r.ID }, func(tx *gorm.DB, rows []row) (int, error) {
		changed := 0
		for _, r := range rows {
			if !c.needsReseal(r.Text) {
				continue
			}
			v, err := read(r.Text)
			if err != nil {
				return 0, fmt.Errorf("%s %d: %w", table, r.ID, err)
			}
			text, err := write(v)
			if err != nil {
				return 0, err
			}
			res := tx.Exec(fmt.Sprintf("UPDATE %s SET %s = ? WHERE id = ? AND %s = ?", table, column, column), text, r.ID, r.Text)
			if res.Error != nil {
				return 0, res.Error
			}
			changed += int(res.RowsAffected)
		}
		return changed, nil
	})
}

// batchRows is how many rows a walk over a table reads and changes in one
// transaction.
const batchRows = 500

// inBatches walks a table by id: query selects at most batchRows rows
// after an id (its one argument) in the order of id, and change gets each
// batch in a transaction of its own and counts the rows it changed. A
// batch that fails stops the walk; the batches before it stay done.
func inBatches[R any](ctx context.Context, c *conn, query string, id func(R) int64, change func(tx *gorm.DB, rows []R) (int, error)) (int, error) {
	changed := 0
	var after int64
	for {
		var rows []R
		if err := c.read(ctx).Raw(query, after).Scan(&rows).Error; err != nil {
			return changed, translate(err)
		}
		if len(rows) == 0 {
			return changed, nil
		}
		after = id(rows[len(rows)-1])
		var n int
		err := c.tx(ctx, func(tx *gorm.DB) error {
			var err error
			n, err = change(tx, rows)
			return err
		})
		if err != nil {
			return changed, translate(err)
		}
		changed += n
	}
}

// sealedFields are the JSON keys of a party that hold personal data.
var sealedFields = map[string]bool{"id_number": true, "phone": true, "address": true}

// needsReseal reports whether stored JSON holds a personal value in clear
// or under another key than the current one.
func (c *conn) needsReseal(text string) bool {
	var v any
	if json.Unmarshal([]byte(text), &v) != nil {
		return false
	}
	var walk func(any) bool
	walk = func(v any) bool {
		switch x := v.(type) {
		case []any:
			for _, e := range x {
				if walk(e) {
					return true
				}
			}
		case map[string]any:
			for k, e := range x {
				if s, ok := e.(string); ok && sealedFields[k] && s != "" && (!pii.Sealed(s) || pii.KeyOf(s) != c.keys.Current()) {
					return true
				}
				if walk(e) {
					return true
				}
			}
		}
		return false
	}
	return walk(v)
}

// blindPartyIDs replaces the ID numbers kept in clear in dispute_party_ids
// (rows from before sealing) by their blind index. A blind index is 64 hex
// characters; an ID number is at most 18 characters (or a passport's).
func (c *conn) blindPartyIDs(ctx context.Context) (int, error) {
	changed := 0
	for {
		var rows []partyIDRow
		if err := c.read(ctx).Where("LENGTH(id_number) <> 64").Limit(500).Find(&rows).Error; err != nil {
			return changed, translate(err)
		}
		if len(rows) == 0 {
			return changed, nil
		}
		n := 0
		err := c.tx(ctx, func(tx *gorm.DB) error {
			n = 0 // a rerun (see tx) counts again
			for _, r := range rows {
				if err := tx.Where("id_number = ? AND dispute_id = ?", r.IDNumber, r.DisputeID).Delete(&partyIDRow{}).Error; err != nil {
					return err
				}
				blind := partyIDRow{IDNumber: c.blindID(r.IDNumber), DisputeID: r.DisputeID, Category: r.Category, ReceivedOn: r.ReceivedOn}
				if err := tx.Where("id_number = ? AND dispute_id = ?", blind.IDNumber, blind.DisputeID).FirstOrCreate(&blind).Error; err != nil {
					return err
				}
				n++
			}
			return nil
		})
		if err != nil {
			return changed, translate(err)
		}
		changed += n
	}
}
