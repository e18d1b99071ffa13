package jiefen_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"jiefen"
	"jiefen/configs"
)

// shippedOrgs are the orgs of configs/orgs.yaml: the real names of 汝州市.
func shippedOrgs(t *testing.T) []jiefen.Org {
	t.Helper()
	orgs, err := configs.SeedOrgs("")
	if err != nil {
		t.Fatal(err)
	}
	return orgs
}

func TestNameKey(t *testing.T) {
	for _, tc := range []struct{ name, city, want string }{
		{"汝州市钟楼街道办事处", "汝州市", "钟楼街道"},
		{"钟楼街道办事处", "汝州市", "钟楼街道"},
		{"汝州市钟楼街道", "汝州市", "钟楼街道"},
		{"钟楼街道", "汝州市", "钟楼街道"},
		{" 汝州市　钟楼街道 办事处 ", "汝州市", "钟楼街道"},
		{"汝州市临汝镇人民政府", "汝州市", "临汝镇"},
		{"临汝镇政府", "汝州市", "临汝镇"},
		{"汝州市骑岭乡人民政府", "汝州市", "骑岭乡"},
		{"汝州市人民政府", "汝州市", "汝州市"},
		{"汝州市政府", "汝州市", "汝州市"},
		{"汝州市司法局", "汝州市", "司法局"},
		{"汝州市公安局(测试)", "汝州市", "公安局（测试）"},
		{"平顶山市生态环境局汝州分局", "汝州市", "平顶山市生态环境局汝州分局"},
		{"国家税务总局汝州市税务局", "汝州市", "国家税务总局汝州市税务局"},
		{"人民政府", "汝州市", "人民政府"},
		{"汝州市钟楼街道办事处", "", "汝州市钟楼街道"},
	} {
		if got := jiefen.NameKey(tc.name, tc.city); got != tc.want {
			t.Errorf("NameKey(%q, %q) = %q, want %q", tc.name, tc.city, got, tc.want)
		}
	}
}

// TestShippedOrgsAreFoundByWhatCourtsWrite: the city government, the
// 街道办事处 and the town governments of orgs.yaml are found by the ways
// court files write them, and no two of the shipped orgs' names meet on one
// key.
func TestShippedOrgsAreFoundByWhatCourtsWrite(t *testing.T) {
	orgs := shippedOrgs(t)
	if city := jiefen.CityName(orgs); city != "汝州市" {
		t.Fatalf("CityName = %q, want 汝州市", city)
	}
	d := jiefen.NewOrgDirectory(orgs)
	for ref, want := range map[string]string{
		"RZ": "RZ", "汝州市人民政府": "RZ", "市政府": "RZ", "汝州市政府": "RZ", "汝州市 人民政府": "RZ",
		"汝州市钟楼街道办事处": "RZ-ZL", "钟楼街道办事处": "RZ-ZL", "钟楼街道": "RZ-ZL", "汝州市钟楼街道": "RZ-ZL",
		"汝州市煤山街道办事处": "RZ-MS", "风穴路街道办事处": "RZ-FXL",
		"汝州市临汝镇人民政府": "RZ-LR", "临汝镇人民政府": "RZ-LR", "临汝镇政府": "RZ-LR", "临汝镇": "RZ-LR",
		"汝州市寄料镇": "RZ-JL", "骑岭乡人民政府": "RZ-QL", "王寨乡": "RZ-WZ",
		"汝州市司法局": "RZ-SFJ", "司法局": "RZ-SFJ", "汝州市行政复议办公室": "RZ-SFJ", "行政复议办公室": "RZ-SFJ",
		"汝州市公安局交通警察大队": "RZ-JJDD", "交警大队": "RZ-JJDD", "汝州市税务局": "RZ-SWJ", "国家税务总局汝州市税务局": "RZ-SWJ",
		"汝州市委依法治市办": "RZ-YFZS",
	} {
		o, err := d.Administrative(ref)
		if err != nil || o.Code != want {
			t.Errorf("Administrative(%q) = %s, %v; want %s", ref, o.Code, err, want)
		}
	}
	for _, ref := range []string{"汝州市人民法院", "豫0482", "钟楼街道人民调解委员会", "RZ-ZL-TWH", "不存在局", "", "钟楼"} {
		o, err := d.Administrative(ref)
		var le *jiefen.OrgLookupError
		if !errors.As(err, &le) || len(le.Candidates) > 0 {
			t.Errorf("Administrative(%q) = %s, %v; want no administrative body", ref, o.Code, err)
		}
	}
	for i, o := range orgs {
		if clashes := jiefen.NameClashes(orgs, o); len(clashes) > 0 {
			t.Errorf("org %d (%s): %s", i, o.Code, clashes[0].Message())
		}
		if o.Kind == jiefen.OrgTownship && !(strings.HasSuffix(o.Name, "街道办事处") || strings.HasSuffix(o.Name, "人民政府")) {
			t.Errorf("township %s is named %s, not as its government signs", o.Code, o.Name)
		}
	}
}

// TestAmbiguousNamesAreRefused: a name whose key two bodies share names
// neither, and the error lists both by name; a name one of them has as
// written still finds it.
func TestAmbiguousNamesAreRefused(t *testing.T) {
	orgs := append(shippedOrgs(t),
		jiefen.Org{Code: "T-ZL1", Name: "城东街道办事处", Kind: jiefen.OrgTownship},
		jiefen.Org{Code: "T-ZL2", Name: "汝州市城东街道", Kind: jiefen.OrgTownship})
	d := jiefen.NewOrgDirectory(orgs)
	_, err := d.Administrative("城东街道")
	var le *jiefen.OrgLookupError
	if !errors.As(err, &le) || len(le.Candidates) != 2 || !strings.Contains(err.Error(), "城东街道办事处（T-ZL1）、汝州市城东街道（T-ZL2）") {
		t.Fatalf("城东街道: %v, want ambiguous between both", err)
	}
	if o, err := d.Administrative("汝州市城东街道"); err != nil || o.Code != "T-ZL2" {
		t.Errorf("a name as written: %s, %v", o.Code, err)
	}
	if _, err := d.Administrative("汝州市人民法院"); err == nil || !strings.Contains(err.Error(), "不是行政机关") {
		t.Errorf("a court: %v", err)
	}
}

// TestNameClashes: a new org may take no name or alias of another, nor one
// that differs from it only in the city's name or 办事处/人民政府.
func TestNameClashes(t *testing.T) {
	orgs := shippedOrgs(t)
	for _, tc := range []struct {
		org    jiefen.Org
		field  string
		holder string
		exact  bool
	}{
		{jiefen.Org{Code: "T1", Name: "汝州市司法局", Kind: jiefen.OrgAgency}, "name", "RZ-SFJ", true},
		{jiefen.Org{Code: "T1", Name: "某局", Kind: jiefen.OrgAgency, Aliases: []string{"某某", "司法局"}}, "aliases[1]", "RZ-SFJ", true},
		{jiefen.Org{Code: "T1", Name: "钟楼街道办事处", Kind: jiefen.OrgTownship}, "name", "RZ-ZL", false},
		{jiefen.Org{Code: "T1", Name: "汝州市临汝镇政府", Kind: jiefen.OrgTownship}, "name", "RZ-LR", false},
		{jiefen.Org{Code: "T1", Name: "汝州市临汝镇司法所", Kind: jiefen.OrgAgency, Aliases: []string{"临汝镇司法所"}}, "", "", false},
	} {
		got := jiefen.NameClashes(orgs, tc.org)
		switch {
		case tc.field == "" && len(got) > 0:
			t.Errorf("%s: %s, want no clash", tc.org.Name, got[0].Message())
		case tc.field != "" && (len(got) != 1 || got[0].Field != tc.field || got[0].Holder.Code != tc.holder || got[0].Exact != tc.exact):
			t.Errorf("%s: %+v, want %s held by %s (exact %v)", tc.org.Name, got, tc.field, tc.holder, tc.exact)
		}
	}
	// An org keeps its own names when it is changed.
	zl := orgs[slices.IndexFunc(orgs, func(o jiefen.Org) bool { return o.Code == "RZ-ZL" })]
	zl.Aliases = append(zl.Aliases, "汝州市钟楼街道")
	if got := jiefen.NameClashes(orgs, zl); len(got) > 0 {
		t.Errorf("RZ-ZL against itself: %s", got[0].Message())
	}
}
