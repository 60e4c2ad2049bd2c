package config

import (
	"os"
	"reflect"
	"regexp"
	"strings"
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
	if want := []string{"chaotianmen", "jiefangbei", "shangqingsi"}; !reflect.DeepEqual(ids, want) {
		t.Errorf("streets = %v, want %v", ids, want)
	}
	if s, ok := dist.StreetOfUser("zhujun"); !ok || s.Name != "上清寺街道" {
		t.Errorf("zhujun belongs to %v, %v", s, ok)
	}
}

// TestDistrictExampleSharesExample: the example district's shared sections
// are config.example.yaml's, so the two examples do not drift apart.
func TestDistrictExampleSharesExample(t *testing.T) {
	dist, _, err := loadDistrict("../district.example.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	single := loadExample(t)
	typ := reflect.TypeFor[Config]()
	got, want := reflect.ValueOf(dist.Shared).Elem(), reflect.ValueOf(single).Elem()
	for i := 0; i < typ.NumField(); i++ {
		key := typ.Field(i).Tag.Get("yaml")
		for _, k := range SharedKeys() {
			if k == key && !reflect.DeepEqual(got.Field(i).Interface(), want.Field(i).Interface()) {
				t.Errorf("%s differs:\n district %+v\n example  %+v", key, got.Field(i).Interface(), want.Field(i).Interface())
			}
		}
	}
}

// TestReadmeSaysWhereKeysGo: the README's table of what goes in the
// district file and what in a street file names every key on its side.
func TestReadmeSaysWhereKeysGo(t *testing.T) {
	data, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, sec, ok := strings.Cut(string(data), "\n## 多个街道（区级部署）\n")
	_, table, ok2 := strings.Cut(sec, "| 写在区级文件里（各街道共用） | 写在各街道文件里 |\n| --- | --- |\n")
	if !ok || !ok2 {
		t.Fatal("README has no table of where keys go in 多个街道（区级部署）")
	}
	table, _, _ = strings.Cut(table, "\n\n")
	sides := [2]map[string]bool{{}, {}}
	code := regexp.MustCompile("`([a-z_]+)`")
	for _, row := range strings.Split(table, "\n") {
		cells := strings.Split(strings.Trim(row, "| "), " | ")
		for i := 0; i < len(cells) && i < 2; i++ {
			for _, m := range code.FindAllStringSubmatch(cells[i], -1) {
				sides[i][m[1]] = true
			}
		}
	}
	check := func(keys []string, side int, where string) {
		for _, k := range keys {
			if !sides[side][k] || sides[1-side][k] {
				t.Errorf("README table: %s should be listed under %s only", k, where)
			}
		}
	}
	check(append(SharedKeys(), districtKeys...), 0, "the district file")
	check(StreetKeys(), 1, "a street file")
}
