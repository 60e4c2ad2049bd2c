package nominate_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"firebot/config"
	"firebot/handlers"
	"firebot/ledger"
	"firebot/store"
)

// Nominations that keep work: drafts pause instead of vanishing, deeds in
// parts are never dropped silently, nominations start as people say them.

func TestNominationPausedAcrossRestartAndResumed(t *testing.T) {
	h := newHarness(t, "2023-10-26 10:00")
	part1 := strings.Repeat("李梅同志长期坚持入户开展消防宣传。", 10)
	part2 := "她还组织居民疏散演练二十余次，帮助独居老人更换老化电线。"
	for _, in := range []string{"推荐", "个人", "李梅", "学田湾社区居委会", "8年", "2"} {
		h.Single("zhangsan", in)
	}
	must(t, h.Single("zhangsan", part1), "已收到第1段")

	// The deeds take longer than the idle timeout; the process restarts.
	h.Clock.Advance(45 * time.Minute)
	h.Restart()
	// A command does not resume the draft but mentions it.
	rep := h.Single("zhangsan", "截止")
	must(t, rep, "超过30分钟没有回复，已暂停并保存", "你有一份暂停的推荐草稿", "停在“事迹材料”", "继续推荐", "取消")
	mustNot(t, rep, "作废")
	// Still paused after another command; the next part resumes it.
	h.Clock.Advance(2 * time.Hour)
	must(t, h.Single("zhangsan", "进度"), "你有一份暂停的推荐草稿", "【学田湾社区】")
	// A short report told in free text is a report, not more deeds.
	rep = h.Single("zhangsan", "昨天组织了全员演练，60人参加")
	must(t, rep, "你有一份暂停的推荐草稿", "已识别：项目“全员应急疏散演练”")
	must(t, h.Single("zhangsan", "取消"), "已取消上报")
	rep = h.Single("zhangsan", part2)
	must(t, rep, "接着填写你暂停的推荐", "已收到第2段", "目前共198字")
	mustNot(t, rep, "上报", "没看懂")
	must(t, h.Single("zhangsan", "完成"), "共2段", "联系电话")

	// Paused again at the phone step, resumed with 继续推荐 days later.
	h.Clock.Advance(3 * 24 * time.Hour)
	h.Restart()
	must(t, h.Single("zhangsan", "继续推荐"), "接着填写暂停的推荐", "联系电话是")
	must(t, h.Single("zhangsan", "13812345678"), "请核对推荐内容", part2)
	rep = h.Single("zhangsan", "确认")
	must(t, rep, "推荐成功，编号 TJ-0001")
	_, n := nominationOf(t, h, "TJ-0001")
	if n.Deeds != part1+"\n"+part2 || n.Name != "李梅" || n.Years != 8 {
		t.Fatalf("nomination %+v", n)
	}
	must(t, h.Single("zhangsan", "继续推荐"), "没有暂停的推荐草稿")
}

func TestPausedDraftDiscardedAndKeptSevenDays(t *testing.T) {
	h := newHarness(t, "2023-10-26 10:00")
	for _, in := range []string{"推荐", "个人", "李梅"} {
		h.Group(commChat, "zhangsan", in)
	}
	h.Clock.Advance(time.Hour)
	// 取消 discards the paused draft.
	must(t, h.Group(commChat, "zhangsan", "取消"), "已放弃暂停的推荐草稿")
	must(t, h.Group(commChat, "zhangsan", "继续推荐"), "没有暂停的推荐草稿")

	for _, in := range []string{"推荐", "个人", "王芳"} {
		h.Group(commChat, "zhangsan", in)
	}
	h.Clock.Advance(time.Hour)
	// Another user in the group sees nothing of it.
	mustNot(t, h.Group(commChat, "lisi", "进度"), "暂停的推荐")
	h.Clock.Advance(7 * 24 * time.Hour)
	rep := h.Group(commChat, "zhangsan", "进度")
	must(t, rep, "你之前的“推荐”超过30分钟没有回复，已经作废")
	mustNot(t, rep, "暂停的推荐")

	// Paused, then kept for 7 days after the idle timeout, no longer.
	for _, in := range []string{"推荐", "个人", "赵强"} {
		h.Group(commChat, "zhangsan", in)
	}
	h.Clock.Advance(time.Hour)
	must(t, h.Group(commChat, "zhangsan", "截止"), "已暂停并保存")
	h.Clock.Advance(7 * 24 * time.Hour)
	rep = h.Group(commChat, "zhangsan", "截止")
	must(t, rep, "你暂停的推荐草稿已保存满7天，已经作废")
	must(t, h.Group(commChat, "zhangsan", "继续推荐"), "没有暂停的推荐草稿")
}

func TestDeedsInPartsOverTheLimit(t *testing.T) {
	h := newHarness(t, "2023-10-26 10:00")
	for _, in := range []string{"推荐", "个人", "李梅", "学田湾社区居委会", "8年", "2"} {
		h.Single("zhangsan", in)
	}
	p600, p401 := strings.Repeat("甲", 600), strings.Repeat("乙", 401)
	must(t, h.Single("zhangsan", p600), "已收到第1段（600字）")
	rep := h.Single("zhangsan", p401)
	must(t, rep, "收到第2段（401字）", "现在2段共1001字，超出1字", "第1段：600字", "第2段：401字",
		"它会替换上面全部2段", "删除第N段")
	must(t, h.Single("zhangsan", "完成"), "现在2段共1001字")
	whole := strings.Repeat("丙", 960)
	rep = h.Single("zhangsan", whole)
	must(t, rep, "已用这条消息替换原来的全部2段事迹（原来共1001字，不再保留）", "目前共960字")
	must(t, h.Single("zhangsan", "完成"), "事迹材料共960字，已收下")
	h.Single("zhangsan", "13812345678")
	must(t, h.Single("zhangsan", "确认"), "推荐成功", "事迹960字")
	_, n := nominationOf(t, h, "TJ-0001")
	if n.Deeds != whole {
		t.Fatalf("deeds kept %d chars, want the 960 resent", len([]rune(n.Deeds)))
	}
}

func TestDeedsStepAsksAboutCommandsAndQuestions(t *testing.T) {
	h := newHarness(t, "2023-10-26 10:00")
	for _, in := range []string{"推荐", "个人", "李梅", "学田湾社区居委会", "8年", "2", "李梅同志长期坚持入户开展消防宣传。"} {
		h.Group(commChat, "zhangsan", in)
	}
	// A question about the campaign is answered and the step goes on
	// (issue 16's asides); nothing is added to the deeds.
	must(t, h.Group(commChat, "zhangsan", "截止是哪天？"), "截止时间", "——继续刚才的推荐——", "请发送简要事迹材料")
	must(t, h.Group(commChat, "zhangsan", "什么时候交呢"), "看起来是一个问题", "没有加进事迹")
	must(t, h.Group(commChat, "zhangsan", "进度"), "——继续刚才的推荐——")
	must(t, h.Group(commChat, "zhangsan", "13812345678"), "电话号码", "下一步填写")
	must(t, h.Group(commChat, "zhangsan", "确认"), "还在填写事迹材料", "回复“完成”")
	must(t, h.Group(commChat, "zhangsan", "她多次获评优秀志愿者。"), "已收到第2段")
	// A sentence that merely starts with a command word (报告) is deeds.
	must(t, h.Group(commChat, "zhangsan", "报告厅里她给居民讲了一堂消防安全课。"), "已收到第3段")
	must(t, h.Group(commChat, "zhangsan", "完成"), "共3段", "联系电话")
	h.Group(commChat, "zhangsan", "13812345678")
	h.Group(commChat, "zhangsan", "确认")
	_, n := nominationOf(t, h, "TJ-0001")
	if n.Deeds != "李梅同志长期坚持入户开展消防宣传。\n她多次获评优秀志愿者。\n报告厅里她给居民讲了一堂消防安全课。" {
		t.Fatalf("deeds %q", n.Deeds)
	}
}

func TestDeedsEditOnTheChecklist(t *testing.T) {
	h := newHarness(t, "2023-10-26 10:00")
	for _, in := range []string{"推荐", "个人", "李梅", "学田湾社区居委会", "8年", "2", "李梅同志长期坚持入户开展消防宣传。", "完成", "13812345678"} {
		h.Single("zhangsan", in)
	}
	// Refused at 1001: nothing changes, and the person is not trapped.
	must(t, h.Single("zhangsan", "事迹 "+strings.Repeat("丁", 1001)), "这次发来的有1001字，没有修改")
	k1000 := strings.Repeat("戊", 1000)
	rep := h.Single("zhangsan", "事迹 "+k1000)
	must(t, rep, "已用这条消息替换原来的全部1段事迹", "目前共1000字")
	must(t, h.Single("zhangsan", "完成"), "请核对推荐内容")
	// On the checklist itself, "事迹 <1000>" counts only the text.
	must(t, h.Single("zhangsan", "事迹 "+strings.Repeat("己", 1000)), "已修改“事迹材料”", "（共1000字）")
	must(t, h.Single("zhangsan", "确认"), "推荐成功", "事迹1000字")
	_, n := nominationOf(t, h, "TJ-0001")
	if n.Deeds != strings.Repeat("己", 1000) {
		t.Fatalf("deeds %q", handlers.Clip(n.Deeds, 20))
	}
}

func TestNominateWithArguments(t *testing.T) {
	h := newHarness(t, "2023-10-26 10:00")
	rep := h.Group(commChat, "zhangsan", "推荐 个人 王建国")
	must(t, rep, "已记下：个人 · 王建国", "工作单位（或所在社区）是")
	mustNot(t, rep, "个人还是集体", "姓名是")
	h.Group(commChat, "zhangsan", "取消")

	rep = h.Group(commChat, "zhangsan", "推荐 集体")
	must(t, rep, "被推荐集体的名称是")
	rep = h.Group(commChat, "zhangsan", "")
	must(t, rep, "被推荐集体的名称是")
	for _, in := range []string{"学田湾社区红袖章志愿队", "学田湾社区居委会", "6", "2", "志愿队常年开展入户消防宣传和隐患排查。", "完成"} {
		rep = h.Group(commChat, "zhangsan", in)
	}
	must(t, rep, "事迹材料共19字", "联系电话是")
	rep = h.Group(commChat, "zhangsan", "13812345678")
	must(t, rep, "类型：集体", "名称：学田湾社区红袖章志愿队")
	mustNot(t, rep, "姓名")
	must(t, h.Group(commChat, "zhangsan", "名称 学田湾社区红袖章消防志愿队"), "名称：学田湾社区红袖章消防志愿队")
}

func TestFreeTextNomination(t *testing.T) {
	h := newHarness(t, "2023-10-26 10:00")
	rep := h.Single("zhangsan", "我想推荐我们社区的李秀英，做了5年消防志愿者")
	must(t, rep, "开始推荐", "已记下：个人 · 李秀英 · 学田湾社区 · 5年", "属于哪一类推荐范围")
	mustNot(t, rep, "上报", "个人还是集体", "姓名是", "几年了")
	h.Single("zhangsan", "2")
	h.Single("zhangsan", "李秀英阿姨长期入户开展消防宣传。")
	h.Single("zhangsan", "完成")
	rep = h.Single("zhangsan", "13812345678")
	must(t, rep, "类型：个人", "姓名：李秀英", "工作单位：学田湾社区", "服务年限：5年")
	must(t, h.Single("zhangsan", "确认"), "推荐成功，编号 TJ-0001")

	// Everything stated in one sentence, the phone and the scope too.
	rep = h.Group(commChat, "lisi", "我们想推荐牛角沱社区的王桂兰同志，参与消防宣传8年了，电话13912345678")
	must(t, rep, "已记下：个人 · 王桂兰 · 牛角沱社区 · 8年 · 电话 139****5678", "简要事迹材料")
	// A collective said in a sentence is asked nothing about its kind.
	h.Group(commChat, "lisi", "取消")
	rep = h.Group(commChat, "lisi", "我要推荐学田湾社区的红袖章志愿队，成立3年")
	must(t, rep, "已记下：集体 · 红袖章志愿队 · 学田湾社区 · 3年")
	// Words that name nobody are not taken for a name.
	h.Group(commChat, "lisi", "取消")
	rep = h.Group(commChat, "lisi", "我想推荐我们社区的志愿者")
	must(t, rep, "开始推荐", "已记下：学田湾社区。", "个人还是集体")
	mustNot(t, rep, "志愿者 ·", "姓名：志愿者")
	// A question about nominating is not a nomination.
	h.Group(commChat, "lisi", "取消")
	mustNot(t, h.Group(commChat, "lisi", "我想推荐一个人可以吗？"), "开始推荐")
}

func TestNoNominationAndItsUndo(t *testing.T) {
	h := newHarness(t, "2023-10-26 10:00")
	// A grid worker may not; the officer may.
	must(t, h.Group(commChat, worker, "本单位不推荐"), "只有单位安全员和街道工作人员可以使用")
	rep := h.Group(commChat, "zhangsan", "本单位不推荐")
	must(t, rep, "已登记：学田湾社区本次不推荐“最美消防志愿者”", "撤销不推荐")
	must(t, h.Group(commChat, worker, "进度"), "✅ 最美消防志愿者推荐：本单位不推荐（10月26日登记）")
	var owes bool
	if err := h.Store.View(context.Background(), func(tx store.Tx) error {
		u, _ := h.Cfg.Units.Unit("comm_xuetianwan")
		p, err := ledger.Of(tx, &h.Cfg.Campaign, u)
		owes = p.OwesNomination()
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if owes {
		t.Fatal("a unit that said 本单位不推荐 still owes its nomination")
	}
	// 撤销不推荐 undoes it.
	must(t, h.Group(commChat, "lisi", "撤销不推荐"), "已撤销学田湾社区的“本单位不推荐”")
	must(t, h.Group(commChat, worker, "进度"), "⬜ 最美消防志愿者推荐：尚未推荐")
	must(t, h.Group(commChat, "lisi", "撤销不推荐"), "没有登记过")

	// So does a nomination submitted for the unit; office staff may record
	// it for any unit by name.
	must(t, h.Single("zhujun", "本单位不推荐 学田湾社区"), "已登记：学田湾社区")
	must(t, h.Single("zhangsan", "推荐 个人 王建国"), "本单位已登记“本单位不推荐”，提交这份推荐后该登记自动撤销")
	for _, in := range []string{"学田湾社区居委会", "6", "2", "王建国常年开展入户消防宣传和隐患排查。", "完成", "13812345678"} {
		h.Single("zhangsan", in)
	}
	must(t, h.Single("zhangsan", "确认"), "推荐成功，编号 TJ-0001", "之前登记的“本单位不推荐”已随这份推荐撤销")
	must(t, h.Group(commChat, worker, "进度"), "✅ 最美消防志愿者推荐：TJ-0001")
	must(t, h.Group(commChat, "zhangsan", "本单位不推荐"), "已经推荐了 TJ-0001，不能再登记")
}

// A returned (退回) nomination resubmitted with 修改 is active again and
// keeps neither the return's reason nor who returned it.

func TestNominationInGroup(t *testing.T) {
	h := newHarness(t, "2023-10-26 10:00")
	h.Names["zhangsan"] = "张三"
	deeds := "李梅同志自2015年起担任学田湾社区消防志愿者，常年入户开展消防安全检查和宣传，组织居民疏散演练二十余次，帮助独居老人更换老化电线，及时发现并消除火灾隐患多处。"
	must(t, h.Group(commChat, "zhangsan", "推荐"), "开始推荐“最美消防志愿者”", "个人还是集体")
	must(t, h.Group(commChat, "zhangsan", "个人"), "被推荐人的姓名")
	must(t, h.Group(commChat, "zhangsan", "李梅"), "工作单位")
	must(t, h.Group(commChat, "zhangsan", "学田湾社区居委会"), "几年")
	must(t, h.Group(commChat, "zhangsan", "8年"), "推荐范围", "1. 灭火救援")
	must(t, h.Group(commChat, "zhangsan", "2"), "简要事迹材料")
	must(t, h.Group(commChat, "zhangsan", deeds), "目前共")
	must(t, h.Group(commChat, "zhangsan", "完成"), "联系电话")
	rep := h.Group(commChat, "zhangsan", "13812345678")
	must(t, rep, "联系电话：138****5678", "事迹材料："+string([]rune(deeds)[:50])+"…（共")
	mustNot(t, rep, "13812345678")
	rep = h.Group(commChat, "zhangsan", "确认")
	must(t, rep, "推荐成功，编号 TJ-0001", "电话 138****5678")
	mustNot(t, rep, "13812345678", "逾期")

	r, n := nominationOf(t, h, "TJ-0001")
	want := ledger.Nomination{NomineeKind: "个人", Name: "李梅", Affiliation: "学田湾社区居委会", Years: 8, Scope: 2, Deeds: deeds,
		Phone: "13812345678", RecommenderID: "zhangsan", RecommenderName: "张三", ChatID: commChat}
	if diff := cmp.Diff(want, n); diff != "" {
		t.Fatalf("payload (-want +got):\n%s", diff)
	}
	if r.UnitID != "comm_xuetianwan" || r.Kind != store.KindNomination {
		t.Fatalf("record %+v", r)
	}
	must(t, h.Group(commChat, "zhangsan", "进度"), "✅ 最美消防志愿者推荐：TJ-0001")
}

func TestNominationInSingleChatLongDeedsAndOneYear(t *testing.T) {
	h := newHarness(t, "2023-10-26 10:00")
	for _, in := range []string{"推荐", "集体", "学田湾社区红袖章志愿队", "学田湾社区居委会"} {
		h.Single("zhangsan", in)
	}
	must(t, h.Single("zhangsan", "1年"), "原则上应从事消防公益服务2年以上，1年不足2年", "请简要说明理由")
	must(t, h.Single("zhangsan", "队伍成立一年，已排查隐患百余处。"), "推荐范围")
	h.Single("zhangsan", "宣传教育培训")
	long := strings.Repeat("志愿队走街串巷宣传消防知识。", 86)[:0] + strings.Repeat("好", 1200)
	rep := h.Single("zhangsan", long)
	must(t, rep, "事迹材料最多1000字，现在1段共1200字，超出200字，还不能提交", "全文如下", long)
	must(t, h.Single("zhangsan", "完成"), "现在1段共1200字")
	short := strings.Repeat("好", 1000)
	must(t, h.Single("zhangsan", short), "已用这条消息替换原来的全部1段事迹（原来共1200字，不再保留）", "目前共1000字")
	must(t, h.Single("zhangsan", "完成"), "事迹材料共1000字，已收下", "联系电话")
	rep = h.Single("zhangsan", "023-63850029")
	must(t, rep, "服务年限：1年（不足2年）", "不足年限的理由：队伍成立一年", "联系电话：023-63850029", "（共1000字）")
	must(t, h.Single("zhangsan", "确认"), "推荐成功，编号 TJ-0001", "【年限不足】服务年限不足2年，已记录推荐理由")
	_, n := nominationOf(t, h, "TJ-0001")
	if !n.UnderYears || n.Years != 1 || n.YearsReason != "队伍成立一年，已排查隐患百余处。" || n.Deeds != short || n.NomineeKind != "集体" || n.Late {
		t.Fatalf("nomination %+v", n)
	}
}

func TestLateNominations(t *testing.T) {
	h := newHarness(t, "2023-10-28 23:40") // after the district deadline, before the street one
	must(t, h.Single("zhangsan", "推荐"), "区里要求10月27日 17:00前报送，已经过了")
	for _, in := range []string{"个人", "李梅", "居委会", "5", "2", "李梅常年参与消防宣传工作。", "完成", "13812345678"} {
		h.Single("zhangsan", in)
	}
	h.Clock.Set(at(t, "2023-10-29 00:05")) // now past the later deadline
	must(t, h.Single("zhangsan", "确认"), "推荐成功，编号 TJ-0001", "【逾期】推荐截止时间为10月28日")
	if _, n := nominationOf(t, h, "TJ-0001"); !n.Late {
		t.Fatalf("not flagged late: %+v", n)
	}
	if l := handlers.RecordLine(&h.Cfg.Campaign, h.Record("TJ-0001"), "", false); !strings.Contains(l, "TJ-0001 推荐 李梅（个人）【逾期】") {
		t.Fatalf("record line %q", l)
	}

	// With late_policy refuse, late nominations are refused with the reason.
	h.Cfg.Nominations.LatePolicy = config.LateRefuse
	must(t, h.Single("lisi", "推荐"), "推荐已于10月28日截止，不再接收")
}

func TestLegacyNominationWithDeedsPartsContinues(t *testing.T) {
	h := newHarness(t, "2023-10-26 10:05")
	h.PutDialogFile("single_zhangsan", "zhangsan", "testdata/state-v0/nominate-deeds-parts.json", h.Clock.Now().Add(25*time.Minute))
	must(t, h.Single("zhangsan", "她常年为独居老人更换老化电线。"), "已收到第3段")
	// Stored again in this release's shape: the nomination's struct.
	data := h.DialogData("single_zhangsan", "zhangsan")
	if data := string(data); !strings.Contains(data, `"version":1`) || !strings.Contains(data, `"unit":"comm_xuetianwan"`) || !strings.Contains(data, `"nominate":{"kind":"个人"`) || !strings.Contains(data, `"deeds_parts":["李梅同志`) {
		t.Fatalf("stored again as %s", data)
	}
	must(t, h.Single("zhangsan", "完成"), "共3段", "联系电话")
	must(t, h.Single("zhangsan", "13812345678"), "请核对推荐内容")
	must(t, h.Single("zhangsan", "确认"), "推荐成功，编号 TJ-0001")
	_, n := nominationOf(t, h, "TJ-0001")
	want := "李梅同志长期坚持入户开展消防宣传。\n她还组织居民疏散演练二十余次。\n她常年为独居老人更换老化电线。"
	if n.Deeds != want || n.Name != "李梅" || n.Years != 8 || n.Affiliation != "学田湾社区居委会" {
		t.Fatalf("nomination %+v", n)
	}
}

func TestLegacyPausedDraftResumes(t *testing.T) {
	h := newHarness(t, "2023-10-27 09:00")
	h.PutDialogFile("single_zhangsan", "zhangsan"+store.PausedDialogs, "testdata/state-v0/paused-drafts.json", at(t, "2023-11-02 10:30"))
	must(t, h.Single("zhangsan", "进度"), "你有一份暂停的推荐草稿", "停在“事迹材料”")
	must(t, h.Single("zhangsan", "继续推荐"), "接着填写暂停的推荐")
	must(t, h.Single("zhangsan", "完成"), "共2段", "联系电话")
	must(t, h.Single("zhangsan", "13812345678"), "请核对推荐内容")
	must(t, h.Single("zhangsan", "确认"), "推荐成功，编号 TJ-0001")
	_, n := nominationOf(t, h, "TJ-0001")
	if n.Deeds != "李梅同志长期坚持入户开展消防宣传。\n她还组织居民疏散演练二十余次。" || n.Years != 8 {
		t.Fatalf("nomination %+v", n)
	}
}

func TestNominationNeedsAUnit(t *testing.T) {
	h := newHarness(t, "2023-11-06 10:00")
	must(t, h.Group("chat_unbound", worker, "推荐"), "本群还没有绑定单位")
	must(t, h.Group("chat_unbound", worker, "我想推荐我们社区的李梅"), "本群还没有绑定单位")
	a := h.Audit()
	if len(a) != 2 || a[0].Allowed || a[0].Action != "command:推荐" || a[1].Action != "command:推荐" {
		t.Fatalf("audit %+v", a)
	}
}

// A nomination stored by the release before this one (version 1) while the
// deeds step was asking about a phone number typed there: 加入 adds it.
func TestVersion1NominationAskingAboutAMessage(t *testing.T) {
	h := newHarness(t, "2023-10-26 10:05")
	h.PutDialogFile("single_zhangsan", "zhangsan", "testdata/state-v1/nominate-deeds-pending.json", h.Clock.Now().Add(25*time.Minute))
	must(t, h.Single("zhangsan", "加入"), "已收到第3段")
	must(t, h.Single("zhangsan", "完成"), "共3段", "联系电话")
	must(t, h.Single("zhangsan", "13812345678"), "请核对推荐内容", "推荐人：zhangsan")
	must(t, h.Single("zhangsan", "确认"), "推荐成功，编号 TJ-0001")
	_, n := nominationOf(t, h, "TJ-0001")
	if !strings.HasSuffix(n.Deeds, "她还组织居民疏散演练二十余次。\n13812345678") || n.Years != 8 || n.Scope != 2 || n.Name != "李梅" {
		t.Fatalf("nomination %+v", n)
	}
}

// A message the paused draft's deeds step would only ask about (a phone
// number: Flow.Scratch keeps it while the step waits) does not resume the
// draft; a part of the deeds does.
func TestPausedDraftNotResumedByAMessageOnlyAskedAbout(t *testing.T) {
	h := newHarness(t, "2023-10-26 10:00")
	for _, in := range []string{"推荐", "个人", "李梅", "学田湾社区居委会", "8年", "2"} {
		h.Single("zhangsan", in)
	}
	must(t, h.Single("zhangsan", "李梅同志长期坚持入户开展消防宣传。"), "已收到第1段")
	h.Clock.Advance(45 * time.Minute)
	rep := h.Single("zhangsan", "13812345678")
	must(t, rep, "已暂停并保存", "你有一份暂停的推荐草稿", "停在“事迹材料”")
	mustNot(t, rep, "接着填写你暂停的推荐", "看起来是一个电话号码")
	rep = h.Single("zhangsan", "她还组织居民疏散演练二十余次。")
	must(t, rep, "接着填写你暂停的推荐", "已收到第2段")
	mustNot(t, rep, "13812345678")
}
