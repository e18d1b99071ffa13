package configs

import (
	_ "embed"
	"os"

	"jiefen/report"
)

//go:embed report_annual.tmpl
var annualTemplate string

// AnnualDrafter returns the drafter of the annual report's text from the
// templates of the file at path, or the shipped report_annual.tmpl when
// path is "".
func AnnualDrafter(path string) (*report.Drafter, error) {
	text := annualTemplate
	if path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		text = string(b)
	}
	return report.NewDrafter(text)
}
