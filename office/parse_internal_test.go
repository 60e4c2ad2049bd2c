package office

import (
	"fmt"
	"strings"
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
		u, cands, ok := findUnit(testRoster, tc.in)
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

// Long messages are cut between lines (list items), never inside one; a
// single line over the limit is cut between the names of its list.
func TestItemParts(t *testing.T) {
	var lines []string
	for i := range 40 {
		lines = append(lines, fmt.Sprintf("· 示例单位%02d：完成3/10项（30%%），推荐1份，最后上报11月20日\n", i))
	}
	names := strings.Repeat("示例物业服务公司、", 150)
	text := "【统计】截至11月20日\n" + strings.Join(lines, "") + "还没有上报任何内容：" + names + "\n发送“统计 单位名”查看详情。"
	parts := itemParts(text, 2048)
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
	if got := itemParts("短消息", 2048); len(got) != 1 || got[0] != "短消息" {
		t.Errorf("short: %q", got)
	}
}
