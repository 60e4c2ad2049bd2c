package broadcast_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"firebot/office"
	"firebot/office/broadcast"
	"firebot/office/officetest"
	"firebot/store"
)

func broadcastPushes(h *officetest.Harness, source string) map[string]officetest.Push {
	out := map[string]officetest.Push{}
	for _, p := range h.Pushes() {
		if strings.HasPrefix(p.Key, source+":") {
			out[p.Target] = p
		}
	}
	return out
}

func TestBroadcastPreviewThenSend(t *testing.T) {
	h := newHarness(t, "2023-11-02 09:00", office.Options{})
	got := h.Group(officetest.OfficeChat, officetest.OfficeUser, "广播 社区 @所有人 回执 请各社区本周五前报送演练计划")
	officetest.Contains(t, got, "【广播预览】", "范围：社区（8个单位）", "发送到：7个群", "@所有人：是", "回执：需要",
		"没有群、以应用消息发给安全员（全文和“收到”按钮）的单位（1个）：桂花园社区", "请各社区本周五前报送演练计划", "确认")
	if ps := h.Pushes(); len(ps) != 0 {
		t.Fatalf("sent before 确认: %+v", ps)
	}
	got = h.Group(officetest.OfficeChat, officetest.OfficeUser, "确认")
	officetest.Contains(t, got, "已发出广播 GB-0001", "7个群", "桂花园社区", "回执 GB-0001")

	sent := broadcastPushes(h, broadcast.Source("GB-0001", 1))
	var chats []string
	for chat, p := range sent {
		chats = append(chats, chat)
		if p.Key != broadcast.Key("GB-0001", 1, chat) || p.Key != "broadcast:GB-0001:"+chat {
			t.Errorf("key %q", p.Key)
		}
		if p.Msg.Webhook.MsgType != "text" || !slices.Equal(p.Mentions, []string{"@all"}) {
			t.Errorf("%s: %s %v", chat, p.Msg.Webhook.MsgType, p.Mentions)
		}
		officetest.Contains(t, p.Text, "请各社区本周五前报送演练计划", "收到", "GB-0001")
	}
	slices.Sort(chats)
	want := []string{"chat_comm_jiaxicun", "chat_comm_meizhuanxiao", "chat_comm_niujiaotuo", "chat_comm_shangqingsi",
		"chat_comm_xuetianwan", "chat_comm_zengjiayan", "chat_comm_zhongsisilu"}
	if d := cmp.Diff(want, chats); d != "" {
		t.Errorf("groups (-want +got)\n%s", d)
	}
	var r *store.Record
	h.View(func(tx store.Tx) error {
		var err error
		r, err = store.GetRecord(tx, "GB-0001")
		return err
	})
	bc, err := broadcast.DecodeBroadcast(r)
	if err != nil {
		t.Fatal(err)
	}
	if bc.ScopeLabel != "社区" || !bc.MentionAll || !bc.Ack || bc.IssuerID != officetest.OfficeUser || bc.ReportChat != officetest.OfficeChat ||
		len(bc.Groups) != 7 || !slices.Equal(bc.Direct, []string{"comm_guihuayuan"}) || len(bc.Missed) != 0 || len(bc.Units) != 8 {
		t.Errorf("payload %+v", bc)
	}
	// 确认 again is not a command: nothing is sent twice.
	h.Group(officetest.OfficeChat, officetest.OfficeUser, "确认")
	if n := len(broadcastPushes(h, broadcast.Source("GB-0001", 1))); n != 7 {
		t.Errorf("%d pushes after a second 确认", n)
	}
}

func TestBroadcastCancelled(t *testing.T) {
	h := newHarness(t, "2023-11-02 09:00", office.Options{})
	h.Single(officetest.OfficeUser, "广播 开会")
	got := h.Single(officetest.OfficeUser, "取消")
	officetest.Contains(t, got, "取消")
	if ps := h.Pushes(); len(ps) != 0 {
		t.Fatalf("sent after 取消: %+v", ps)
	}
	h.View(func(tx store.Tx) error {
		if _, err := store.GetRecord(tx, "GB-0001"); err == nil {
			t.Error("record created")
		}
		return nil
	})
}

func TestBroadcastRefusals(t *testing.T) {
	h := newHarness(t, "2023-11-02 09:00", office.Options{})
	officetest.Contains(t, h.Single(officetest.OfficeUser, "广播"), "请写上广播内容")
	officetest.Contains(t, h.Single(officetest.OfficeUser, "广播 学校 回执"), "请写上广播内容")
	// 其他: one organisation, with no group: its officer gets it by
	// application message.
	officetest.Contains(t, h.Single(officetest.OfficeUser, "广播 其他 开会"), "发送到：0个群", "以应用消息发给安全员", "示例物业服务公司")
}

// The content goes out as a text message exactly as written: what would
// be a mention, a link or a colour in markdown stays literal text. Echoes
// (the preview) are neutralised.
func TestBroadcastContentCannotInject(t *testing.T) {
	h := newHarness(t, "2023-11-02 09:00", office.Options{})
	content := `<@zhangsan> 请点 [这里](http://evil.example) <font color="warning">紧急</font>`
	got := h.Single(officetest.OfficeUser, "广播 示例实验小学 "+content)
	officetest.Lacks(t, got, "<@", "<font", "[这里]")
	h.Single(officetest.OfficeUser, "确认")
	p := broadcastPushes(h, broadcast.Source("GB-0001", 1))["chat_org_school_a"]
	if p.Msg.Webhook == nil || p.Msg.Webhook.MsgType != "text" || len(p.Mentions) != 0 {
		t.Fatalf("push %+v", p)
	}
	officetest.Contains(t, p.Text, content)
}

func TestAcknowledgeAndReadBack(t *testing.T) {
	h := newHarness(t, "2023-11-02 09:00", office.Options{})
	h.Group(officetest.OfficeChat, officetest.OfficeUser, "广播 社区 回执 请各社区本周五前报送演练计划")
	h.Group(officetest.OfficeChat, officetest.OfficeUser, "确认")
	h.Group(officetest.OfficeChat, officetest.OfficeUser, "广播 学校 回执 学校注意")
	h.Group(officetest.OfficeChat, officetest.OfficeUser, "确认")
	h.Group(officetest.OfficeChat, officetest.OfficeUser, "广播 全部 不要回执的通知")
	h.Group(officetest.OfficeChat, officetest.OfficeUser, "确认")

	h.Clk.Advance(65 * 60e9)
	got := h.Group(officetest.UnitChat, "zhangsan", "收到")
	officetest.Contains(t, got, "已登记回执：GB-0001（学田湾社区）", "zhangsan")
	officetest.Contains(t, h.Group(officetest.UnitChat, "lisi", "收到"), "目前没有需要学田湾社区回执的通知")
	officetest.Contains(t, h.Group(officetest.UnitChat, "lisi", "收到 GB-0001"), "之前已回执", "zhangsan")
	officetest.Contains(t, h.Group(officetest.UnitChat, "lisi", "收到 GB-0002"), "不是发给学田湾社区的通知")
	officetest.Contains(t, h.Group(officetest.UnitChat, "lisi", "收到 GB-0003"), "不需要回执")
	officetest.Contains(t, h.Group("chat_org_school_a", "someone", "收到 gb-2"), "已登记回执：GB-0002（示例实验小学）")
	// An officer acknowledges one-to-one for their unit.
	officetest.Contains(t, h.Single("wangwu", "收到"), "GB-0001（牛角沱社区）")
	// A group with no unit cannot acknowledge.
	officetest.Contains(t, h.Group("chat_unbound", "x", "收到"), "还没有绑定单位")

	got = h.Group(officetest.OfficeChat, officetest.OfficeUser, "回执 GB-0001")
	officetest.Contains(t, got, "【回执情况】GB-0001", "已回执2/8个单位", "学田湾社区：zhangsan 11月2日 10:05", "牛角沱社区：wangwu",
		"未回执（6个）", "上清寺社区", "嘉西村社区", "桂花园社区（没有群，已发应用消息）", "回执 GB-0001 催")
	officetest.Lacks(t, got, "示例实验小学")
	officetest.Contains(t, h.Group(officetest.OfficeChat, officetest.OfficeUser, "回执"), "GB-0001", "（回执 2/8）", "GB-0002", "（回执 1/2）", "GB-0003")
	officetest.Contains(t, h.Group(officetest.OfficeChat, officetest.OfficeUser, "回执 GB-0003"), "没有要求回执")
	officetest.Contains(t, h.Group(officetest.OfficeChat, officetest.OfficeUser, "回执 GB-0009"), "没有找到")

	// 催: the five silent groups again, new keys, officers mentioned; the
	// silent unit without a group by application message.
	got = h.Group(officetest.OfficeChat, officetest.OfficeUser, "回执 GB-0001 催")
	officetest.Contains(t, got, "已向5个群再次发送 GB-0001（第2轮提醒）", "6个未回执", "另有1个没有群的单位已用应用消息提醒")
	var reminded []string
	for _, p := range h.PushesTo("chener") {
		if strings.Contains(p.Key, ":r2:") {
			reminded = append(reminded, p.Text)
		}
	}
	if len(reminded) != 1 {
		t.Fatalf("app reminders: %q", reminded)
	}
	officetest.Contains(t, reminded[0], "【回执提醒】", "桂花园社区", "私聊我回复“收到”", "请各社区本周五前报送演练计划")
	again := broadcastPushes(h, broadcast.Source("GB-0001", 2))
	if len(again) != 5 {
		t.Fatalf("reminders: %+v", again)
	}
	if _, ok := again[officetest.UnitChat]; ok {
		t.Error("reminded a group that acknowledged")
	}
	p := again["chat_comm_zengjiayan"]
	if p.Key != "broadcast:GB-0001:r2:chat_comm_zengjiayan" || !slices.Equal(p.Mentions, []string{"sunqi", "zhouba"}) {
		t.Errorf("reminder %+v", p)
	}
	officetest.Contains(t, p.Text, "【回执提醒】", "请各社区本周五前报送演练计划")
	// Everyone acknowledges: nothing left to remind.
	for _, chat := range []string{"chat_comm_shangqingsi", "chat_comm_zengjiayan", "chat_comm_meizhuanxiao", "chat_comm_zhongsisilu", "chat_comm_jiaxicun"} {
		h.Group(chat, "u", "收到")
	}
	officetest.Contains(t, h.Group(officetest.OfficeChat, officetest.OfficeUser, "回执 GB-0001"), "已回执7/8")
	officetest.Contains(t, h.Single("chener", "收到"), "已登记回执：GB-0001（桂花园社区）")
	officetest.Contains(t, h.Group(officetest.OfficeChat, officetest.OfficeUser, "回执 GB-0001"), "已回执8/8", "都已回执")
	officetest.Contains(t, h.Group(officetest.OfficeChat, officetest.OfficeUser, "回执 GB-0001 催"), "不需要再提醒")
}

// A preview waits 10 minutes on the campaign clock; 确认 after that does
// nothing. 取消 names the broadcast that was dropped.
func TestPreviewExpires(t *testing.T) {
	h := newHarness(t, "2023-11-02 09:00", office.Options{})
	officetest.Contains(t, h.Single(officetest.OfficeUser, "广播 学校 开会"), "【广播预览】预览＃1", "10分钟内有效")
	h.Clk.Advance(10 * 60e9)
	officetest.Contains(t, h.Single(officetest.OfficeUser, "确认"), "预览＃1（广播 学校（2个单位，2个群）：开会）超过10分钟没有确认，已经作废")
	if ps := h.Pushes(); len(ps) != 0 {
		t.Fatalf("sent after expiry: %+v", ps)
	}
	officetest.Contains(t, h.Single(officetest.OfficeUser, "广播 学校 开会"), "【广播预览】预览＃2")
	got := h.Single(officetest.OfficeUser, "广播 学校 开会")
	officetest.Contains(t, got, "之前待确认的预览＃2（广播 学校", "已作废", "【广播预览】预览＃3")
	officetest.Lacks(t, got, "预览＃1")
}

// A sector is not a reporting unit: it is not counted, but its group (or,
// without one, its officers by application message) receives what is
// sent to it, and its group may acknowledge.
func TestBroadcastToSector(t *testing.T) {
	h := newHarness(t, "2023-11-02 09:00", office.Options{})
	h.Update(func(tx store.Tx) error {
		return store.Bind(tx, store.Binding{ChatID: "chat_sector_north", UnitID: "sector_north", By: "test", At: h.Clk.Now()})
	})
	got := h.Single(officetest.OfficeUser, "广播 北片板块、南片板块 回执 周五开会")
	// 北片: 3 communities + 5 organisations; 南片: 2 communities + 5
	// organisations; the two sectors are not counted.
	officetest.Contains(t, got, "范围：北片板块、南片板块（15个单位）", "板块负责人以应用消息收到（不计入单位）：南片板块")
	h.Single(officetest.OfficeUser, "确认")
	if ps := h.PushesTo("chat_sector_north"); len(ps) != 1 || !strings.Contains(ps[0].Text, "周五开会") {
		t.Errorf("sector group: %+v", ps)
	}
	var app int
	for _, p := range h.PushesTo("chenjing") {
		if strings.Contains(p.Text, "周五开会") {
			app++
		}
	}
	if app != 1 {
		t.Errorf("南片板块's officer got %d application messages", app)
	}
	officetest.Contains(t, h.Group("chat_sector_north", "wangjun", "收到"), "已登记回执：GB-0001（北片板块）")
	got = h.Single(officetest.OfficeUser, "回执 GB-0001")
	officetest.Contains(t, got, "已回执0/")
	officetest.Lacks(t, got, "北片板块：wangjun")
}

// 板块 alone addresses no reporting unit, but the sectors' officers.
func TestBroadcastToSectorsOnly(t *testing.T) {
	h := newHarness(t, "2023-11-02 09:00", office.Options{})
	officetest.Contains(t, h.Single(officetest.OfficeUser, "广播 板块 负责人会议改到周五"), "范围：板块（0个单位）", "板块负责人以应用消息收到（不计入单位）：北片板块、中片板块、南片板块")
	officetest.Contains(t, h.Single(officetest.OfficeUser, "确认"), "已发出广播 GB-0001")
	for _, officer := range []string{"wangjun", "liuyang", "chenjing"} {
		if ps := h.PushesTo(officer); len(ps) != 1 || !strings.Contains(ps[0].Text, "负责人会议改到周五") {
			t.Errorf("%s: %+v", officer, ps)
		}
	}
	// The round has no group: its delivery report comes at the next tick.
	h.Tick()
	var report string
	for _, p := range h.PushesTo(officetest.OfficeUser) {
		report += p.Text
	}
	officetest.Contains(t, report, "【广播送达情况】GB-0001", "发送到0个群")
}
