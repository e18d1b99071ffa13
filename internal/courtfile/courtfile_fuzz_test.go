package courtfile_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/xuri/excelize/v2"

	"jiefen/calendar"
	"jiefen/internal/courtfile"
	"jiefen/litigation"
)

// FuzzRead feeds the court file reader any bytes: it returns rows or an
// error, never panics, and every row it returns parses to a case or to a
// rejection (CourtRow.Parse never panics either).
func FuzzRead(f *testing.F) {
	f.Add([]byte("案号,原告,被告,案由,立案日期,开庭日期,负责人出庭,出庭人职务,结案日期,结案方式\n" +
		"（2025）豫0482行初12号,张三,汝州市公安局,行政处罚,2025-03-05,2025-04-10,是,正职,2025-06-01,驳回诉讼请求\n"))
	f.Add([]byte("\xef\xbb\xbfcase_number,plaintiff,defendant,cause,filed_on\n(2024)豫0482行初1号,李四,RZ-GAJ,登记,2024/1/5\n"))
	f.Add([]byte("\xb0\xb8\xba\xc5,\xd4\xad\xb8\xe6\n")) // GBK 案号,原告
	f.Add([]byte("案号\n\"unterminated"))
	f.Add(xlsxSeed(f))
	today := calendar.NewDate(2026, 11, 25)
	f.Fuzz(func(t *testing.T, b []byte) {
		file, err := courtfile.Open(context.Background(), bytes.NewReader(b), courtfile.DefaultLimits())
		if err != nil {
			return
		}
		defer file.Close()
		rows := 0
		_ = file.Each(context.Background(), func(r litigation.CourtRow) error {
			rows++
			_, _ = r.Parse(today, litigation.DefaultTitles())
			if rows > 10000 {
				t.Fatalf("more than 10000 rows from %d bytes", len(b))
			}
			return nil
		})
	})
}

func xlsxSeed(f *testing.F) []byte {
	x := excelize.NewFile()
	defer x.Close()
	for i, v := range []string{"案号", "原告", "被告", "案由", "立案日期"} {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		x.SetCellValue("Sheet1", cell, v)
	}
	for i, v := range []any{"（2025）豫0482行初13号", "王五", "RZ-GAJ", "不予登记", 45700} {
		cell, _ := excelize.CoordinatesToCellName(i+1, 2)
		x.SetCellValue("Sheet1", cell, v)
	}
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		f.Fatal(err)
	}
	return buf.Bytes()
}
