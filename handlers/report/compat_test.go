package report_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// What this release stores, the release before it reads (a rolling upgrade
// shares one store between them; a rollback reads what this one wrote):
// version 1, every value by name in the bag, and the flow's struct in the
// JSON that release's struct decodes.

// confirmV1 is the struct the release before this one stored a report in.
type confirmV1 struct {
	Unit        string            `json:"unit,omitempty"`
	Supplier    string            `json:"supplier,omitempty"`
	Task        string            `json:"task,omitempty"`
	Date        string            `json:"date,omitempty"`
	Fields      map[string]string `json:"fields,omitempty"`
	Proposed    map[string]string `json:"proposed,omitempty"`
	Place       string            `json:"place,omitempty"`
	Desc        string            `json:"desc,omitempty"`
	Also        string            `json:"also,omitempty"`
	PhotosSaved string            `json:"photos_saved,omitempty"`
	Hint        string            `json:"hint,omitempty"`
	Cand        string            `json:"cand,omitempty"`
	Notes       map[string]string `json:"notes,omitempty"`
}

// readAsPreviousRelease reads a stored report as the release before this
// one did: the bag, with the struct's non-empty values put over it.
func readAsPreviousRelease(t *testing.T, data []byte) map[string]string {
	t.Helper()
	var st struct {
		Version int               `json:"version"`
		Values  map[string]string `json:"values"`
		Confirm *confirmV1        `json:"confirm"`
	}
	if err := json.Unmarshal(data, &st); err != nil {
		t.Fatalf("the previous release cannot decode %s: %v", data, err)
	}
	if st.Version > 1 {
		t.Fatalf("the previous release refuses version %d", st.Version)
	}
	bag := st.Values
	if bag == nil {
		bag = map[string]string{}
	}
	if v := st.Confirm; v != nil {
		for k, p := range map[string]string{"unit": v.Unit, "supplier": v.Supplier, "task": v.Task, "date": v.Date, "place": v.Place,
			"desc": v.Desc, "also": v.Also, "photos.saved": v.PhotosSaved, "hint.text": v.Hint, "cand": v.Cand} {
			if p != "" {
				bag[k] = p
			}
		}
		for prefix, m := range map[string]map[string]string{"f.": v.Fields, "p.": v.Proposed, "note.": v.Notes} {
			for id, p := range m {
				bag[prefix+id] = p
			}
		}
	}
	return bag
}

func TestPreviousReleaseReadsWhatIsStored(t *testing.T) {
	h := newHarness(t, "2023-11-06 10:00")
	// A report told in free text, at its checklist, with a photo.
	h.Image("heping", "", h.Photo("a.jpg", "x"))
	must(t, h.Single("heping", "今天上午我们学校组织了疏散演练，80人参加"), "请核对上报内容")
	want := map[string]string{"unit": "org_school_a", "task": "evacuation_drill", "date": "2023-11-06", "f.participants": "80",
		"hint.text": "今天上午我们学校组织了疏散演练，80人参加"}
	if diff := cmp.Diff(want, readAsPreviousRelease(t, h.DialogData("single_heping", "heping"))); diff != "" {
		t.Errorf("free text (-want +got):\n%s", diff)
	}
	// A large number waiting to be confirmed.
	must(t, h.Group(commChat, worker, "昨天组织了全员演练"), "参演人数是多少")
	must(t, h.Group(commChat, worker, "5000"), "确认无误吗")
	want = map[string]string{"unit": "comm_xuetianwan", "task": "all_hands_drill", "date": "2023-11-05", "p.participants": "5000",
		"hint.text": "昨天组织了全员演练"}
	if diff := cmp.Diff(want, readAsPreviousRelease(t, h.DialogData(commChat, worker))); diff != "" {
		t.Errorf("proposed (-want +got):\n%s", diff)
	}
	// A near-duplicate asked about: the question's record is in the bag.
	must(t, h.Group(commChat, worker, "是"), "请核对上报内容")
	must(t, h.Group(commChat, worker, "确认"), "HD-0001")
	h.Clock.Advance(time.Hour)
	must(t, h.Group(commChat, worker, "昨天组织了全员演练，60人参加"), "请核对上报内容")
	must(t, h.Group(commChat, worker, "确认"), "相近的记录 HD-0001")
	if got := readAsPreviousRelease(t, h.DialogData(commChat, worker)); got["dup.of"] != "HD-0001" || got["f.participants"] != "60" {
		t.Errorf("duplicate asked about: %v", got)
	}
}
