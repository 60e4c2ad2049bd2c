package config

import (
	"testing"
)

// TestDistrictExampleLoadsClean: district.example.yaml and its street files
// load without problems, each street complete with the shared sections.
func TestDistrictExampleLoadsClean(t *testing.T) {
	dist, problems, err := loadDistrict("../district.example.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("problem: %s", p)
	}
	if dist.ID != "yuzhong" || dist.Name != "渝中区" || dist.Single {
		t.Errorf("district = %q %q single=%v", dist.ID, dist.Name, dist.Single)
	}
	var ids []string
	for _, s := range dist.Streets {
		ids = append(ids, s.ID)
		if s.Config.WeCom.CorpID != PlaceholderCorpID || s.Config.Store.Path != "data/firebot.db" || s.Config.Location.String() != "Asia/Shanghai" {
			t.Errorf("street %s: shared sections not filled: %+v", s.ID, s.Config.WeCom)
		}
	}
	t.Log(ids)
}
