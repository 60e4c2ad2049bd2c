package config

import (
	"strings"
	"testing"
)

// Officers may be plain ids or objects {id, name, phone}; a unit may carry
// a contact. Both forms pass; an object without id, or an unknown key in
// it, is a problem at its path.
func TestOfficerObjectsAndContact(t *testing.T) {
	text := strings.Replace(base, "{id: c1, name: 社区一, kind: community, sector: s1}",
		"{id: c1, name: 社区一, kind: community, sector: s1, officers: [wangxiao, {id: chener, name: 陈二, phone: '13800000002'}], contact: {name: 李主任, phone: '023-1'}}", 1)
	cfg, problems := parse(t, text, nil)
	for _, p := range problems {
		t.Errorf("problem: %s", p)
	}
	if cfg == nil {
		t.Fatal("no config")
	}
	u, _ := cfg.Units.Unit("c1")
	if got := cfg.Units.NameOf("chener"); got != "陈二" || len(u.Officers) != 2 || u.Officers[0] != "wangxiao" {
		t.Errorf("officers = %v %+v, NameOf(chener) = %q", u.Officers, u.OfficerInfo, got)
	}
	if u.Contact == nil || u.Contact.Name != "李主任" {
		t.Errorf("contact = %+v", u.Contact)
	}
	for _, tt := range []struct{ officers, path string }{
		{"[{name: 陈二}]", "units[1].officers[0]"},
		{"[{id: chener, nmae: 陈二}]", "units[1].officers[0].nmae"},
	} {
		text := strings.Replace(base, "sector: s1}", "sector: s1, officers: "+tt.officers+"}", 1)
		_, problems := parse(t, text, nil)
		found := false
		for _, p := range problems {
			found = found || p.Path == tt.path
		}
		if !found {
			t.Errorf("%s: no problem at %s; got:\n%s", tt.officers, tt.path, listProblems(problems))
		}
	}
}
