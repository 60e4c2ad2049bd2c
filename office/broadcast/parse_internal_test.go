package broadcast

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"firebot/campaign"
)

var testRoster = campaign.Roster{
	{ID: "sector_north", Name: "北片板块", Kind: campaign.KindSector},
	{ID: "comm_a", Name: "学田湾社区", Kind: campaign.KindCommunity, Sector: "sector_north"},
	{ID: "comm_b", Name: "牛角沱社区", Kind: campaign.KindCommunity, Sector: "sector_south"},
	{ID: "org_s", Name: "示例实验小学", Kind: campaign.KindOrganisation, Category: campaign.CategorySchool, Sector: "sector_north"},
	{ID: "org_h", Name: "示例大酒店", Kind: campaign.KindOrganisation, Category: campaign.CategoryHotel},
}

func ids(us []campaign.Unit) []string {
	out := []string{}
	for _, u := range us {
		out = append(out, u.ID)
	}
	return out
}

func TestParseBroadcast(t *testing.T) {
	all := ids(testRoster[1:]) // a sector is not a reporting unit
	for _, tc := range []struct {
		in      string
		label   string
		units   []string
		all     bool
		ack     bool
		content string
	}{
		{"请各单位做好准备", "全部", all, false, false, "请各单位做好准备"},
		{"全部 请各单位做好准备", "全部", all, false, false, "请各单位做好准备"},
		{"学校 @所有人 回执 周五前报送方案", "学校", []string{"org_s"}, true, true, "周五前报送方案"},
		{"社区 回执 @所有人 今晚巡查", "社区", []string{"comm_a", "comm_b"}, true, true, "今晚巡查"},
		{"北片板块 开会", "北片板块", []string{"comm_a", "org_s"}, false, false, "开会"},
		{"学校、医疗机构 回执 请于11月24日前报送", "学校、医疗机构", []string{"org_s"}, false, true, "请于11月24日前报送"},
		{"学校和社区 回执 @所有人 检查", "学校、社区", []string{"comm_a", "comm_b", "org_s"}, true, true, "检查"},
		{"回执 示例大酒店，学田湾社区 检查", "示例大酒店、学田湾社区", []string{"comm_a", "org_h"}, false, true, "检查"},
		{"学校 示例大酒店 检查", "学校、示例大酒店", []string{"org_s", "org_h"}, false, false, "检查"},
		{"学田湾社区、示例大酒店 明天检查", "学田湾社区、示例大酒店", []string{"comm_a", "org_h"}, false, false, "明天检查"},
		{"请各单位 明天检查", "全部", all, false, false, "请各单位 明天检查"},
		{"学校请于周五前报送", "全部", all, false, false, "学校请于周五前报送"},
		// Flags only before the content; the content keeps its lines.
		{"@所有人 第一行\n第二行 回执", "全部", all, true, false, "第一行\n第二行 回执"},
		{"学校", "学校", []string{"org_s"}, false, false, ""},
		{"", "全部", all, false, false, ""},
	} {
		t.Run(tc.in, func(t *testing.T) {
			a := parseBroadcast(tc.in, testRoster)
			if a.unknown != "" {
				t.Fatalf("unknown scope %q", a.unknown)
			}
			got := []any{a.scope.Label, ids(a.scope.Units), a.all, a.ack, a.content}
			want := []any{tc.label, tc.units, tc.all, tc.ack, tc.content}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("(-want +got)\n%s", d)
			}
		})
	}
}

// A word before the content that looks like a scope but names nothing is
// refused with the closest valid scopes, whatever follows.
func TestParseBroadcastUnknownScope(t *testing.T) {
	for in, want := range map[string][2]string{
		"东片板块 请各单位注意":    {"东片板块", "北片板块"},
		"学校、东片板块 开会":     {"东片板块", "北片板块"},
		"学田湾、示例大酒店 明天检查": {"学田湾", ""},
		"医疗结构 回执 开会":     {"医疗结构", "医疗机构"},
		"回执 示例实验小校 开会":   {"示例实验小校", "示例实验小学"},
		"解放碑街道 开会":       {"解放碑街道", ""},
	} {
		a := parseBroadcast(in, testRoster)
		if a.unknown == "" || a.unknown != want[0] || want[1] != "" && (len(a.closest) == 0 || a.closest[0] != want[1]) {
			t.Errorf("%q: unknown %q, closest %v", in, a.unknown, a.closest)
		}
	}
}

func TestParseReadBackArgs(t *testing.T) {
	for in, want := range map[string][2]any{
		"":           {"", false},
		"gb-1":       {"GB-0001", false},
		"GB-0003 催":  {"GB-0003", true},
		"催":          {"", true},
		"HD-0001":    {"", false},
		"GB-0002 提醒": {"GB-0002", true},
	} {
		id, chase := parseReadBackArgs(in)
		if id != want[0] || chase != want[1] {
			t.Errorf("%q: %q %v", in, id, chase)
		}
	}
}
