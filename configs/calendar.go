package configs

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"os"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"jiefen/calendar"
)

//go:embed holidays/*.json
var holidayFS embed.FS

//go:embed rules.yaml
var rulesYAML []byte

// Holidays returns the State Council holiday notices shipped in
// configs/holidays, every year from 2007, oldest first.
func Holidays() ([]calendar.Notice, error) {
	entries, err := fs.ReadDir(holidayFS, "holidays")
	if err != nil {
		return nil, err
	}
	var out []calendar.Notice
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		b, err := holidayFS.ReadFile("holidays/" + e.Name())
		if err != nil {
			return nil, err
		}
		var year int
		if _, err := fmt.Sscanf(e.Name(), "%d.json", &year); err != nil {
			return nil, fmt.Errorf("holidays/%s: name must be YYYY.json", e.Name())
		}
		n, err := calendar.ParseNotice(b, year)
		if err != nil {
			return nil, fmt.Errorf("holidays/%s: %v", e.Name(), err)
		}
		out = append(out, n)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Year < out[j].Year })
	return out, nil
}

// Rules returns the catalogue of statutory clocks: the embedded rules.yaml,
// then the rules of the file at path (when not empty), which replace rules
// with the same id and add new ones. A rule that replaces one may leave out
// its kind (duty or window), which it then keeps; a new rule must say it.
func Rules(path string) (*calendar.Rules, error) {
	list, err := decodeRules(rulesYAML)
	if err != nil {
		return nil, fmt.Errorf("rules.yaml: %w", err)
	}
	if path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("calendar.rules_file: %w", err)
		}
		more, err := decodeRules(b)
		if err != nil {
			return nil, fmt.Errorf("calendar.rules_file %s: %w", path, err)
		}
		kinds := map[string]calendar.ClockKind{}
		for _, r := range list {
			kinds[r.ID] = r.Kind
		}
		for i := range more {
			if more[i].Kind == "" {
				more[i].Kind = kinds[more[i].ID]
			}
		}
		list = append(list, more...)
	}
	return calendar.NewRules(list)
}

func decodeRules(b []byte) ([]calendar.Rule, error) {
	var doc struct {
		Rules []calendar.Rule `yaml:"rules"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil {
		return nil, err
	}
	return doc.Rules, nil
}

// Options returns the calendar's choices as the calendar package takes
// them.
func (c Calendar) Options() calendar.Options {
	return calendar.Options{Rollover: calendar.Rollover(c.Rollover),
		Provisional: calendar.ProvisionalPolicy{MakeUpCoincident: c.ProvisionalMakeUpCoincident}}
}
