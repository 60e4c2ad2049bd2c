package campaign

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestOfficerPeople(t *testing.T) {
	u := Unit{ID: "u1", Officers: []string{"wangxiao", "chener"},
		OfficerInfo: []Person{{ID: "chener", Name: "陈二", Phone: "13800000002"}},
		Contact:     &Person{Name: "李主任"}}
	want := []Person{{ID: "wangxiao"}, {ID: "chener", Name: "陈二", Phone: "13800000002"}}
	if diff := cmp.Diff(want, u.OfficerPeople()); diff != "" {
		t.Errorf("OfficerPeople (-want +got):\n%s", diff)
	}
	if _, ok := u.Officer("zhujun"); ok {
		t.Error("zhujun is an officer")
	}
	r := Roster{{ID: "u0"}, u}
	if got := r.NameOf("chener"); got != "陈二" {
		t.Errorf("NameOf(chener) = %q", got)
	}
	if got := r.NameOf("wangxiao"); got != "" {
		t.Errorf("NameOf(wangxiao) = %q, want unknown", got)
	}
	if got := r.NameOf(""); got != "" {
		t.Errorf("NameOf(\"\") = %q", got)
	}
}
