package jiefen_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestImportsFlowOneWay keeps DESIGN.md's layout true: cmd → internal/* →
// domain packages → calendar → jiefen. The root knows only the standard
// library; the calendar only the root and lunar-go (the lunar dates of the
// provisional calendar); domain packages know no gin, gorm, configs or internal package,
// and not each other; the scheduler knows no store (only its Ledger
// interface), the webhook sender only the standard library, and configs no
// runtime package (it checks a job's cron spec with cron itself).
func TestImportsFlowOneWay(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}|{{join .Imports " "}}`, "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	domains := map[string]bool{"jiefen/routing": true, "jiefen/mediation": true, "jiefen/litigation": true,
		"jiefen/reconsideration": true, "jiefen/liaison": true, "jiefen/calendar": true}
	seen := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, imports, _ := strings.Cut(line, "|")
		for _, imp := range strings.Fields(imports) {
			std := !strings.Contains(strings.Split(imp, "/")[0], ".") && imp != "jiefen" && !strings.HasPrefix(imp, "jiefen/")
			switch {
			case strings.HasPrefix(imp, "jiefen/cmd"):
				t.Errorf("%s imports %s: nothing imports cmd", pkg, imp)
			case pkg == "jiefen" && !std:
				t.Errorf("jiefen imports %s: the root knows only the standard library", imp)
			case pkg == "jiefen/calendar" && !std && imp != "jiefen" && imp != "github.com/6tail/lunar-go/calendar":
				t.Errorf("calendar imports %s: it may import only jiefen and lunar-go", imp)
			case domains[pkg] && pkg != "jiefen/calendar" && !std && imp != "jiefen" && imp != "jiefen/calendar":
				t.Errorf("%s imports %s: a domain package imports only jiefen and calendar", pkg, imp)
			case pkg == "jiefen/internal/schedule" && !std && imp != "github.com/robfig/cron/v3":
				t.Errorf("internal/schedule imports %s: the scheduler knows only cron and its Ledger interface", imp)
			case pkg == "jiefen/internal/pii" && !std && !strings.HasPrefix(imp, "github.com/emmansun/gmsm/"):
				t.Errorf("internal/pii imports %s: sealing knows only the standard library and gmsm", imp)
			case pkg == "jiefen/internal/notify" && !std:
				t.Errorf("internal/notify imports %s: the webhook sender is standard library only", imp)
			case pkg == "jiefen/configs" && strings.HasPrefix(imp, "jiefen/internal/") && imp != "jiefen/internal/auth":
				t.Errorf("configs imports %s: the configuration knows the domain and the password policy, not the runtime", imp)
			}
		}
		if domains[pkg] || pkg == "jiefen" {
			seen++
		}
	}
	if seen < 4 {
		t.Fatalf("found only %d domain packages; is go list looking at the module?", seen)
	}
}
