package httpapi

import "testing"

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"Error 1062 (23000): Duplicate entry '410482199001011232-7' for key 'PRIMARY'": "Error 1062 (23000): Duplicate entry '…' for key '…'",
		`sql: converting argument $1 "13812345678"`:                                    `sql: converting argument $1 '…'`,
		"dial tcp 127.0.0.1:3306: connect: connection refused":                         "dial tcp 127.0.0.1:3306: connect: connection refused",
	} {
		if got := redact(in); got != want {
			t.Errorf("redact(%q) = %q, want %q", in, got, want)
		}
	}
}
