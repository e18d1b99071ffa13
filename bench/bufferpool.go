package main

import (
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// parseSize reads a size in bytes, with an optional K, M or G (binary
// multiples): "1G", "512M", "134217728". "" is 0.
func parseSize(s string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	mult := int64(1)
	switch strings.ToUpper(s[len(s)-1:]) {
	case "K":
		mult = 1 << 10
	case "M":
		mult = 1 << 20
	case "G":
		mult = 1 << 30
	}
	if mult > 1 {
		s = s[:len(s)-1]
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("a size is a positive number of bytes, with K, M or G: %q", s)
	}
	return n * mult, nil
}

// setBufferPool sets the MariaDB server's InnoDB buffer pool to size bytes
// (rounded up by the server to whole chunks) and waits until the resize
// is done, so that a run can measure jiefen on a server sized for its data
// as a production one would be. It returns what the pool was, to be given
// back to setBufferPool at the end. size 0 changes nothing.
func setBufferPool(dsn string, size int64) (was int64, err error) {
	db, err := openPlain(dsn)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	if err := db.QueryRow("SELECT @@innodb_buffer_pool_size").Scan(&was); err != nil {
		return 0, err
	}
	if size == 0 || size == was {
		return was, nil
	}
	if _, err := db.Exec("SET GLOBAL innodb_buffer_pool_size = ?", size); err != nil {
		return was, fmt.Errorf("setting the buffer pool to %d bytes: %w", size, err)
	}
	return was, waitResize(db, size)
}

// waitResize waits, at most five minutes, until the buffer pool has at
// least size bytes and no resize is under way.
func waitResize(db *sql.DB, size int64) error {
	deadline := time.Now().Add(5 * time.Minute)
	for {
		var now int64
		var name, status string
		if err := db.QueryRow("SELECT @@innodb_buffer_pool_size").Scan(&now); err != nil {
			return err
		}
		if err := db.QueryRow("SHOW STATUS LIKE 'Innodb_buffer_pool_resize_status'").Scan(&name, &status); err != nil && err != sql.ErrNoRows {
			return err
		}
		settled := status == "" || strings.Contains(status, "Completed") || strings.Contains(status, "completed")
		if (now >= size || size < 128<<20) && settled {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the buffer pool is %d bytes after five minutes (wanted %d): %s", now, size, status)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
