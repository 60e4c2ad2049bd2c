package office

import (
	"fmt"
	"strings"
	"testing"

	"firebot/campaign"
)

var testRoster = campaign.Roster{
	{ID: "sector_north", Name: "北片板块", Kind: campaign.KindSector},
	{ID: "comm_a", Name: "学田湾社区", Kind: campaign.KindCommunity, Sector: "sector_north"},
	{ID: "comm_b", Name: "牛角沱社区", Kind: campaign.KindCommunity, Sector: "sector_south"},
	{ID: "org_s", Name: "示例实验小学", Kind: campaign.KindOrganisation, Category: campaign.CategorySchool, Sector: "sector_north"},
	{ID: "org_h", Name: "示例大酒店", Kind: campaign.KindOrganisation, Category: campaign.CategoryHotel},
}

func TestFindUnit(t *testing.T) {
	for _, tc := range []struct {
		in    string
		want  string
		cands int
	}{
		{"学田湾社区", "comm_a", 0},
		{"comm_b", "comm_b", 0},
		{"学田湾", "comm_a", 0},
		{"示例", "", 2},
		{"不存在", "", 0},
	} {
		u, cands, ok := FindUnit(testRoster, tc.in)
		if ok != (tc.want != "") || u.ID != tc.want || len(cands) != tc.cands {
			t.Errorf("%s: %v %d %v", tc.in, u.ID, len(cands), ok)
		}
	}
}

func TestNeutralize(t *testing.T) {
	in := `<@zhangsan> [点我](http://evil) <font color="warning">急</font> **粗** # 标题`
	got := Neutralize(in)
	for _, bad := range []string{"<", ">", "[", "]", "*", "#"} {
		if strings.Contains(got, bad) {
			t.Errorf("%q left in %q", bad, got)
		}
	}
	if Neutralize("请于11月9日前报送（见附件）") != "请于11月9日前报送（见附件）" {
		t.Error("plain text changed")
	}
}

// Long messages are cut between lines (list items), never inside one; a
// single line over the limit is cut between the names of its list.
func TestItemParts(t *testing.T) {
	var lines []string
	for i := range 40 {
		lines = append(lines, fmt.Sprintf("· 示例单位%02d：完成3/10项（30%%），推荐1份，最后上报11月20日\n", i))
	}
	names := strings.Repeat("示例物业服务公司、", 150)
	text := "【统计】截至11月20日\n" + strings.Join(lines, "") + "还没有上报任何内容：" + names + "\n发送“统计 单位名”查看详情。"
	parts := ItemParts(text, 2048)
	if len(parts) < 3 || strings.Join(parts, "") != text {
		t.Fatalf("%d parts, joined back %v", len(parts), strings.Join(parts, "") == text)
	}
	whole := map[string]bool{}
	for _, l := range strings.SplitAfter(text, "\n") {
		whole[l] = true
	}
	for i, p := range parts {
		if len(p) > 2048 {
			t.Errorf("part %d is %d bytes", i, len(p))
		}
		first, _, _ := strings.Cut(p, "\n")
		if strings.HasPrefix(first, "· ") && !whole[first+"\n"] {
			t.Errorf("part %d starts inside a list item: %q", i, first)
		}
		if strings.Contains(p, "还没有上报任何内容") || strings.HasPrefix(p, "示例物业") {
			if !strings.HasSuffix(p, "、") && !strings.HasSuffix(p, "\n") && i != len(parts)-1 {
				t.Errorf("part %d of the long line ends inside a name: %q", i, p[len(p)-20:])
			}
		}
	}
	if got := ItemParts("短消息", 2048); len(got) != 1 || got[0] != "短消息" {
		t.Errorf("short: %q", got)
	}
}
