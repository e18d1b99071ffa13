package httpapi

import (
	"fmt"
	"strconv"

	"github.com/xuri/excelize/v2"

	"jiefen/internal/sqlstore"
	"jiefen/mediation"
)

// subsidySheet is the name of the one sheet of the 以案定补 workbook.
const subsidySheet = "以案定补"

// subsidyWorkbook renders the month's 以案定补 report as an XLSX workbook:
// one sheet named 以案定补 with a title row, a header row, a row per case,
// a subtotal row per mediator and a grand total row. Amounts are numbers in
// yuan with two decimals. Every text cell is written as a string, never as a
// formula, and passes through cellText, so that a case title such as
// "=HYPERLINK(...)" cannot become a formula when the sheet is opened or
// re-saved as CSV.
func subsidyWorkbook(month string, lines []sqlstore.SubsidyLine) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName(f.GetSheetName(0), subsidySheet); err != nil {
		return nil, err
	}

	titleStyle, err := f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true, Size: 14},
		Alignment: &excelize.Alignment{Horizontal: "center"},
	})
	if err != nil {
		return nil, err
	}
	headerStyle, err := f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}},
		Alignment: &excelize.Alignment{Horizontal: "center"},
	})
	if err != nil {
		return nil, err
	}
	amountStyle, err := f.NewStyle(&excelize.Style{NumFmt: 4}) // #,##0.00
	if err != nil {
		return nil, err
	}
	totalStyle, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, NumFmt: 4})
	if err != nil {
		return nil, err
	}

	// text writes s as a neutralised string; amount writes fen as yuan.
	text := func(col, row int, s string) error {
		cell, err := excelize.CoordinatesToCellName(col, row)
		if err != nil {
			return err
		}
		return f.SetCellStr(subsidySheet, cell, cellText(s))
	}
	amount := func(row int, fen int64, style int) error {
		cell, err := excelize.CoordinatesToCellName(7, row)
		if err != nil {
			return err
		}
		if err := f.SetCellFloat(subsidySheet, cell, float64(fen)/100, 2, 64); err != nil {
			return err
		}
		return f.SetCellStyle(subsidySheet, cell, cell, style)
	}
	texts := func(row int, values ...string) error {
		for i, v := range values {
			if v == "" {
				continue
			}
			if err := text(i+1, row, v); err != nil {
				return err
			}
		}
		return nil
	}

	if err := text(1, 1, "以案定补 "+month); err != nil {
		return nil, err
	}
	if err := f.MergeCell(subsidySheet, "A1", "G1"); err != nil {
		return nil, err
	}
	if err := f.SetCellStyle(subsidySheet, "A1", "G1", titleStyle); err != nil {
		return nil, err
	}
	if err := texts(2, "调解员", "组织", "案件编号", "纠纷", "难度", "补贴日期", "金额（元）"); err != nil {
		return nil, err
	}
	if err := f.SetCellStyle(subsidySheet, "A2", "G2", headerStyle); err != nil {
		return nil, err
	}

	row := 3
	var totalFen int64
	cases := 0
	for _, l := range lines {
		for _, c := range l.Cases {
			if err := texts(row, l.Mediator, l.OrgCode, c.DisputeCode, c.Title, subsidyTierLabel(c.Tier), c.EarnedOn.String()); err != nil {
				return nil, err
			}
			if err := amount(row, c.AmountFen, amountStyle); err != nil {
				return nil, err
			}
			row++
		}
		if err := texts(row, l.Mediator, l.OrgCode, "小计", "共 "+strconv.Itoa(len(l.Cases))+" 件"); err != nil {
			return nil, err
		}
		if err := amount(row, l.AmountFen, totalStyle); err != nil {
			return nil, err
		}
		row++
		totalFen += l.AmountFen
		cases += len(l.Cases)
	}
	if err := texts(row, "合计", "", "", "共 "+strconv.Itoa(cases)+" 件"); err != nil {
		return nil, err
	}
	if err := amount(row, totalFen, totalStyle); err != nil {
		return nil, err
	}

	for i, width := range []float64{14, 14, 22, 40, 8, 12, 14} {
		col, err := excelize.ColumnNumberToName(i + 1)
		if err != nil {
			return nil, err
		}
		if err := f.SetColWidth(subsidySheet, col, col, width); err != nil {
			return nil, err
		}
	}
	if err := f.SetPanes(subsidySheet, &excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}

	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// cellText neutralises a text destined for a spreadsheet cell against
// formula injection: a text that begins with '=', '+', '-', '@', a tab or a
// carriage return gets a single quote (') in front of it, so that no
// spreadsheet reads it as a formula; any other text is returned unchanged.
func cellText(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// subsidyTierLabel is the Chinese name of a 以案定补 tier, or the tier
// itself when it is not one of general, difficult and major.
func subsidyTierLabel(tier string) string {
	switch mediation.Tier(tier) {
	case mediation.TierGeneral:
		return "一般"
	case mediation.TierDifficult:
		return "疑难"
	case mediation.TierMajor:
		return "重大"
	}
	return tier
}

// tableWorkbook renders one sheet: a bold header row, then the rows. A
// string cell is written as text through cellText (never a formula); ints
// and floats as numbers; nil leaves the cell empty.
func tableWorkbook(sheet string, header []string, rows [][]any) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName(f.GetSheetName(0), sheet); err != nil {
		return nil, err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return nil, err
	}
	set := func(col, row int, v any) error {
		cell, err := excelize.CoordinatesToCellName(col, row)
		if err != nil {
			return err
		}
		switch x := v.(type) {
		case nil:
			return nil
		case string:
			return f.SetCellStr(sheet, cell, cellText(x))
		case int:
			return f.SetCellInt(sheet, cell, int64(x))
		case int64:
			return f.SetCellInt(sheet, cell, x)
		case float64:
			return f.SetCellFloat(sheet, cell, x, -1, 64)
		case bool:
			return f.SetCellBool(sheet, cell, x)
		}
		return f.SetCellStr(sheet, cell, cellText(fmt.Sprint(v)))
	}
	for i, h := range header {
		if err := set(i+1, 1, h); err != nil {
			return nil, err
		}
	}
	last, err := excelize.CoordinatesToCellName(len(header), 1)
	if err != nil {
		return nil, err
	}
	if err := f.SetCellStyle(sheet, "A1", last, bold); err != nil {
		return nil, err
	}
	for r, row := range rows {
		for c, v := range row {
			if err := set(c+1, r+2, v); err != nil {
				return nil, err
			}
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
