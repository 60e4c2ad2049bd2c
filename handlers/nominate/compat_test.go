package nominate_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// What this release stores, the release before it reads (a rolling upgrade
// shares one store between them): version 1, every value by name in the
// bag, and the struct in the JSON that release's struct decodes.

type nominateV1 struct {
	Unit        string   `json:"unit,omitempty"`
	Kind        string   `json:"kind,omitempty"`
	Name        string   `json:"name,omitempty"`
	Affiliation string   `json:"affiliation,omitempty"`
	Years       string   `json:"years,omitempty"`
	Reason      string   `json:"reason,omitempty"`
	Scope       string   `json:"scope,omitempty"`
	Deeds       string   `json:"deeds,omitempty"`
	DeedsParts  []string `json:"deeds_parts,omitempty"`
	Phone       string   `json:"phone,omitempty"`
	Recommender string   `json:"recommender,omitempty"`
}

func TestPreviousReleaseReadsWhatIsStored(t *testing.T) {
	h := newHarness(t, "2023-10-26 10:00")
	for _, in := range []string{"推荐", "个人", "李梅", "学田湾社区居委会", "8年", "2", "李梅同志长期坚持入户开展消防宣传。"} {
		h.Single("zhangsan", in)
	}
	must(t, h.Single("zhangsan", "13812345678"), "看起来是一个电话号码")
	data := h.DialogData("single_zhangsan", "zhangsan")
	var st struct {
		Version  int               `json:"version"`
		Values   map[string]string `json:"values"`
		Nominate *nominateV1       `json:"nominate"`
	}
	if err := json.Unmarshal(data, &st); err != nil || st.Version > 1 || st.Nominate == nil {
		t.Fatalf("the previous release cannot read %s: version %d, %v", data, st.Version, err)
	}
	want := map[string]string{"unit": "comm_xuetianwan", "kind": "个人", "name": "李梅", "affiliation": "学田湾社区居委会", "years": "8", "scope": "2",
		"deeds": "李梅同志长期坚持入户开展消防宣传。", "deeds.parts": `["李梅同志长期坚持入户开展消防宣传。"]`, "deeds.pending": "13812345678", "recommender": "zhangsan"}
	if diff := cmp.Diff(want, st.Values); diff != "" {
		t.Errorf("bag (-want +got):\n%s", diff)
	}
	if v := st.Nominate; v.Name != "李梅" || v.Years != "8" || v.Scope != "2" || strings.Join(v.DeedsParts, "") != "李梅同志长期坚持入户开展消防宣传。" {
		t.Errorf("struct as the previous release reads it: %+v", v)
	}
}
