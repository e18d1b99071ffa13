package sqlstore

import (
	"database/sql"

	"gorm.io/gorm"
)

// scanQuery runs one query (with gorm's expansion of its arguments) and
// hands its answer to scan.
//
// A use case's statements go to MySQL one per query, never several to a
// packet (multiStatements), although a packet would save round trips: on
// a Galera cluster, when another node's commit aborts the transaction
// between two statements of a packet (a brute-force abort), the packet and
// then COMMIT answer no error, the statements before the abort are rolled
// back and those after it commit on their own (issue 23). One statement at
// a time, an abort is the error of the next statement or of COMMIT, and
// the whole use case is rolled back and rerun (conn.tx). A multi-row
// INSERT is still one statement.
func scanQuery(tx *gorm.DB, scan func(*sql.Rows) error, query string, vars ...any) error {
	st := tx.Raw(query, vars...).Statement
	if st.Error != nil {
		return st.Error
	}
	rows, err := tx.Statement.ConnPool.QueryContext(tx.Statement.Context, st.SQL.String(), st.Vars...)
	if err != nil {
		return err
	}
	defer rows.Close()
	if err := scan(rows); err != nil {
		return err
	}
	return rows.Close()
}
