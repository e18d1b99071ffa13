//go:build ignore

// gen writes configs/holidays/YYYY.json from the project's shared holiday
// data: 2023 onwards from the cross-checked holidays-cn.json, earlier years
// from the holiday-cn files (MIT licence, NateScarlet/holiday-cn).
//
//	go run gen.go ../../../shared/data
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"jiefen/calendar"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go run gen.go DATA_DIR")
		os.Exit(2)
	}
	dir := os.Args[1]
	var checked struct {
		Years map[string]json.RawMessage `json:"years"`
	}
	b, err := os.ReadFile(filepath.Join(dir, "holidays-cn.json"))
	must(err)
	must(json.Unmarshal(b, &checked))
	for y := 2007; y <= 2026; y++ {
		var n calendar.Notice
		if raw, ok := checked.Years[fmt.Sprint(y)]; ok {
			n, err = calendar.ParseNotice(raw, y)
		} else {
			b, err = os.ReadFile(filepath.Join(dir, "holiday-cn", fmt.Sprintf("%d.json", y)))
			must(err)
			n, err = calendar.ParseNotice(b, y)
		}
		must(err)
		if !strings.HasPrefix(n.DocNo, "国办") {
			n.DocNo = "" // the source marks it unverified
		}
		n.DocNo, _, _ = strings.Cut(n.DocNo, " (")
		if n.Title == "" {
			n.Title = fmt.Sprintf("国务院办公厅关于%d年部分节假日安排的通知", y)
		}
		must(os.WriteFile(fmt.Sprintf("%d.json", y), n.JSON(), 0o644))
	}
}

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
