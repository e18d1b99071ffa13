package configs

import (
	"bytes"
	_ "embed"
	"fmt"
	"os"

	"gopkg.in/yaml.v3"

	"jiefen"
	"jiefen/routing"
)

//go:embed routing.yaml
var routingYAML []byte

//go:embed orgs.yaml
var orgsYAML []byte

// RoutingRules returns the routing rules of the file at path, or the
// shipped defaults (configs/routing.yaml) when path is empty. They are
// checked against orgs and clocks when loaded into the store.
func RoutingRules(path string) (routing.RuleSet, error) {
	b := routingYAML
	if path != "" {
		var err error
		if b, err = os.ReadFile(path); err != nil {
			return routing.RuleSet{}, fmt.Errorf("routing.rules_file: %w", err)
		}
	}
	var set routing.RuleSet
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&set); err != nil {
		return routing.RuleSet{}, fmt.Errorf("routing rules: %w", err)
	}
	return set, nil
}

// SeedOrgs returns the organisations of the file at path, or of the
// shipped model city (configs/orgs.yaml) when path is empty.
func SeedOrgs(path string) ([]jiefen.Org, error) {
	b := orgsYAML
	if path != "" {
		var err error
		if b, err = os.ReadFile(path); err != nil {
			return nil, fmt.Errorf("orgs.seed_file: %w", err)
		}
	}
	var doc struct {
		Orgs []struct {
			Code       string   `yaml:"code"`
			Name       string   `yaml:"name"`
			Kind       string   `yaml:"kind"`
			Aliases    []string `yaml:"aliases"`
			ParentCode string   `yaml:"parent_code"`
		} `yaml:"orgs"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("orgs: %w", err)
	}
	out := make([]jiefen.Org, 0, len(doc.Orgs))
	for i, o := range doc.Orgs {
		org := jiefen.Org{Code: o.Code, Name: o.Name, Kind: jiefen.OrgKind(o.Kind), Aliases: o.Aliases, ParentCode: o.ParentCode}
		org.Normalize()
		if err := org.Validate(); err != nil {
			return nil, fmt.Errorf("orgs[%d] (%s): %v", i, o.Code, err)
		}
		out = append(out, org)
	}
	return out, nil
}
