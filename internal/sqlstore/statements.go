package sqlstore

import (
	"database/sql"
	"reflect"

	"gorm.io/gorm"
)

// statements runs the writes of a use case, each as its own statement and
// at once, on every dialect. They used to travel to MySQL several to a
// packet (multiStatements) to save round trips, but that is not safe on a
// Galera cluster: when another node's commit aborts the transaction between
// two statements of a packet (a brute-force abort), the packet and then
// COMMIT answer no error, the statements before the abort are rolled back
// and those after it commit on their own (issue 23). One statement at a
// time, an abort is the error of the next statement or of COMMIT, and the
// whole use case is rolled back and rerun (conn.tx). A multi-row INSERT is
// still one statement.
type statements struct {
	tx *gorm.DB
	// first is the id of the first row the last create inserted.
	first int64
}

func (c *conn) statements(tx *gorm.DB) *statements {
	return &statements{tx: tx}
}

// create inserts rows (a pointer to a slice of rows with an ID field) with
// one statement.
func (s *statements) create(rows any) error {
	if err := s.tx.Create(rows).Error; err != nil {
		return err
	}
	s.first = 0
	if v := reflect.ValueOf(rows).Elem(); v.Len() > 0 {
		if id := v.Index(0).FieldByName("ID"); id.IsValid() && id.CanInt() {
			s.first = id.Int()
		}
	}
	return nil
}

// exec runs one statement, with gorm's expansion of its arguments.
func (s *statements) exec(sql string, vars ...any) error {
	return s.tx.Exec(sql, vars...).Error
}

// send returns the id of the first row the last create inserted, which
// fillIDs and caseIDs read the batch's ids from where the database gives
// consecutive ids (conn.batchIDs).
func (s *statements) send() (int64, error) {
	first := s.first
	s.first = 0
	return first, nil
}

// queries runs the reads of a use case, one statement at a time, for the
// same reason as statements; each answer is handed to its own scan
// function as it comes.
type queries struct {
	tx *gorm.DB
}

func (c *conn) queries(tx *gorm.DB) *queries {
	return &queries{tx: tx}
}

// add reads the answer of one query (with gorm's expansion of its
// arguments) into scan.
func (q *queries) add(scan func(*sql.Rows) error, query string, vars ...any) error {
	st := q.tx.Raw(query, vars...).Statement
	if st.Error != nil {
		return st.Error
	}
	rows, err := q.tx.Statement.ConnPool.QueryContext(q.tx.Statement.Context, st.SQL.String(), st.Vars...)
	if err != nil {
		return err
	}
	defer rows.Close()
	if err := scan(rows); err != nil {
		return err
	}
	return rows.Close()
}

// run is where the reads gathered used to be sent together; they now run
// as they are added, and run has nothing left to do.
func (q *queries) run() error { return nil }

// into scans every row of an answer into *dest, by column name.
func into[T any](tx *gorm.DB, dest *[]T) func(*sql.Rows) error {
	return func(rows *sql.Rows) error {
		for rows.Next() {
			var v T
			if err := tx.ScanRows(rows, &v); err != nil {
				return err
			}
			*dest = append(*dest, v)
		}
		return rows.Err()
	}
}
