package sim_test

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"firebot/bot"
	"firebot/campaign"
	"firebot/clock"
	"firebot/config"
	"firebot/config/configtest"
	"firebot/ledger"
	"firebot/sim"
	"firebot/store"
	"firebot/wecom/fakewecom"
	"firebot/workbook"
)

var update = flag.Bool("update", false, "rewrite testdata/campaign.golden")

const campaignGolden = "testdata/campaign.golden"

// TestCampaign2023 plays the whole 2023 campaign of config.example.yaml end
// to end: real HTTP callbacks signed and encrypted like WeCom's, the
// callback driver, the fake WeCom, and both clocks fake, stepped by the test
// from 2023-10-26 08:00 to 2023-12-01 18:00 (every reminder's fire time and
// every scripted moment; nothing sleeps). Groups bind, the office
// broadcasts with read-back, units nominate and report through commands,
// free text and buttons, the office enters, returns and exports.
//
// Every push the fake WeCom receives is written, with the campaign time it
// was delivered at, into a transcript together with the conversation that
// caused it and, at the end, every record and the exported workbook; the
// transcript must equal testdata/campaign.golden (go test -run Campaign2023
// -update rewrites it). The key facts are also asserted one by one.
func TestCampaign2023(t *testing.T) {
	r := newCampaignRun(t)
	defer r.s.Close()

	r.script()
	r.checkDelivery()
	r.checkRecords()
	r.checkLateNovember()
	r.checkWorkbook()
	r.compareGolden()
}

// campaignRun is one run of the campaign: the simulation, its clocks, the
// transcript and every push received.
type campaignRun struct {
	t    *testing.T
	ctx  context.Context
	s    *sim.Sim
	cfg  *config.Config
	loc  *time.Location
	real *clock.Fake
	now  time.Time

	out     strings.Builder // the transcript
	heading time.Time       // the time last written as a heading
	pushes  []campaignPush
	fires   map[time.Time][]string // plan ids firing at a time
	xlsx    string                 // the exported workbook, on disk
}

// campaignPush is one push as the fake WeCom received it, stamped with the
// campaign time at which it was delivered.
type campaignPush struct {
	At     time.Time
	Target string // "chat:<id>" for a group push, "user:<a|b>" for an application message
	Text   string // sim.Describe plus the mentions
	R      fakewecom.Recorded
}

func newCampaignRun(t *testing.T) *campaignRun {
	t.Helper()
	cfg := configtest.Example(t)
	loc := cfg.Location
	start := time.Date(2023, 10, 26, 8, 0, 0, 0, loc)
	// The real clock starts at the same instant and moves with the
	// campaign clock, as it would in a live campaign: tokens expire,
	// webhook rate windows pass. Neither clock is ever printed.
	real := clock.NewFake(start)
	s, err := sim.New(context.Background(), sim.Options{Config: cfg, Dir: t.TempDir(), Real: real, Campaign: clock.NewFake(start)})
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{
		"zhujun": "朱君", "zhangsan": "张三", "lisi": "李四", "wangwu": "王五", "heping": "何平", "kongling": "孔玲",
		"jinbo": "金波", "jiangtao": "江涛", "yanhua": "严华", "chenjing": "陈静", "chener": "陈尔", "gelin": "葛林",
		"fengyi": "冯一",
	}
	for id, n := range names {
		s.SetName(id, n)
	}
	return &campaignRun{t: t, ctx: context.Background(), s: s, cfg: s.Config, loc: loc, real: real, now: start,
		fires: map[time.Time][]string{}}
}

func (r *campaignRun) at(month time.Month, day, hour, min int) time.Time {
	return time.Date(2023, month, day, hour, min, 0, 0, r.loc)
}

// ---------------------------------------------------------------------------
// The script.

// script runs the campaign: every reminder fire time and every scripted
// moment in order. At a fire time the test first works out from the store
// who the reminder must reach, then steps the clocks and compares.
func (r *campaignRun) script() {
	acts := r.actions()
	end := r.at(12, 1, 18, 0)
	var times []time.Time
	for _, f := range r.s.Service.Scheduler.Timetable().Fires(r.now, end) {
		r.fires[f.Due()] = append(r.fires[f.Due()], f.Plan)
		times = append(times, f.Due())
	}
	for at := range acts {
		times = append(times, at)
	}
	times = append(times, end)
	slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
	times = slices.Compact(times)

	r.collect() // nothing before the first step
	for _, at := range times {
		want := map[string][]string{}
		for _, plan := range r.fires[at] {
			want[plan] = r.expectedTargets(plan, at)
		}
		r.advance(at)
		got := r.collect()
		r.checkFires(at, want, got)
		if a, ok := acts[at]; ok {
			a()
		}
	}
}

// actions are the scripted moments of the campaign.
func (r *campaignRun) actions() map[time.Time]func() {
	at := r.at
	return map[time.Time]func(){
		at(10, 26, 9, 0):   r.bindGroups,
		at(10, 26, 10, 0):  r.broadcastNotice,
		at(10, 26, 10, 30): r.acknowledge,
		at(10, 26, 11, 0):  r.nominateValid,
		at(10, 26, 14, 0):  r.nominateTooLongThenCorrected,
		at(10, 27, 10, 0):  r.nominateOneYear,
		at(10, 29, 10, 0):  r.nominateLate,
		at(11, 2, 10, 0):   r.reportByCommand,
		at(11, 3, 14, 0):   r.reportByFreeText,
		at(11, 6, 10, 0):   r.reportDrillOfSchool,
		at(11, 6, 15, 0):   r.reportByButtons,
		at(11, 7, 10, 0):   r.reportTrainingOfHotel,
		at(11, 8, 10, 0):   r.reportDrillOfFillingStation,
		at(11, 9, 11, 0):   r.reportFourOnes,
		at(11, 10, 10, 0):  r.reportCloudLearning,
		at(11, 13, 15, 0):  r.reportTrainingOfKTV,
		at(11, 14, 10, 0):  r.reportAtmosphere,
		at(11, 15, 10, 0):  r.enterOnBehalf,
		at(11, 16, 10, 0):  r.sendBack,
		at(11, 17, 17, 0):  r.returnedCountsAsMissing,
		at(11, 20, 10, 0):  r.resubmit,
		at(11, 21, 14, 0):  r.reportForGuihuayuan,
		at(11, 22, 10, 0):  r.notApplicable,
		at(11, 22, 11, 0):  r.officeStats,
		at(11, 27, 10, 0):  r.niujiaotuoCatchesUp,
		at(12, 1, 17, 0):   r.export,
	}
}

// 09:00 on the day of the notice: groups bind to their units. The roster
// binds most groups already; the south sector's group takes on two
// communities (桂花园社区 has no group of its own), and the property
// company, which had no group, gets one.
func (r *campaignRun) bindGroups() {
	const south = "chat_sector_south"
	r.expect(r.say(south, "chenjing", "绑定 南片板块"), "已把本群绑定到“南片板块”")
	r.expect(r.say(south, "chener", "绑定 桂花园社区"), "已把本群绑定到“桂花园社区”", "本群现在对应")
	r.expect(r.say(south, "fengyi", "绑定 嘉西村"), "嘉西村社区")
	r.expect(r.say(south, "fengyi", "是"), "已把本群绑定到“嘉西村社区”")

	const other = "chat_org_other_a"
	r.expect(r.say(other, "gelin", "绑定 示例大酒店"), "不是“示例大酒店”的安全员")
	r.expect(r.say(other, "gelin", "绑定 物业服务公司"), "示例物业服务公司")
	r.expect(r.say(other, "gelin", "是"), "已把本群绑定到“示例物业服务公司”")

	r.view(func(tx store.Tx) {
		units, err := store.UnitsOfChat(tx, south)
		r.noErr(err)
		if want := []string{"comm_guihuayuan", "comm_jiaxicun", "sector_south"}; !slices.Equal(units, want) {
			r.t.Errorf("%s serves %v, want %v", south, units, want)
		}
		chats, err := store.ChatsOfUnit(tx, "org_other_a")
		r.noErr(err)
		if !slices.Equal(chats, []string{other}) {
			r.t.Errorf("org_other_a's groups: %v", chats)
		}
	})
}

const noticeText = "各单位：街道已印发《上清寺街道2023年“119”消防宣传月活动方案》，请认真组织实施，10月28日前报送“最美消防志愿者”推荐，12月1日前报送活动信息和图文资料。"

// 10:00: the office broadcasts the notice with read-back.
func (r *campaignRun) broadcastNotice() {
	r.expect(r.say("chat_office", "zhujun", "广播 全部 回执 "+noticeText), "【广播预览】", "回执：需要")
	bound := r.boundChats()
	first := len(r.pushes)
	r.expect(r.say("chat_office", "zhujun", "确认"), "GB-0001")

	got := map[string]int{}
	var reports, cards int
	for _, p := range r.pushes[first:] {
		switch {
		case strings.Contains(p.Text, "【广播送达情况】"):
			reports++
			if p.Target != "chat:chat_office" {
				r.t.Errorf("delivery report went to %s", p.Target)
			}
			r.expect(p.Text, fmt.Sprintf("发送到%d个群：成功%d个", len(bound), len(bound)))
		case strings.Contains(p.Text, noticeText):
			got[p.Target]++
		case strings.Contains(p.Text, "请确认收到广播 GB-0001") && strings.Contains(p.Text, "[按钮：收到]"):
			cards++ // officers' 收到 button (application card)
		default:
			r.t.Errorf("unexpected push with the broadcast: %s", p.Text)
		}
	}
	if reports != 1 {
		r.t.Errorf("%d delivery reports", reports)
	}
	if cards == 0 {
		r.t.Error("no officer was offered a 收到 button")
	}
	want := map[string]int{}
	for _, c := range bound {
		want["chat:"+c] = 1
	}
	// The sectors without a group: their officers, by application message.
	want["user:liuyang"], want["user:wangjun"] = 1, 1
	if diff := cmp.Diff(want, got); diff != "" {
		r.t.Errorf("broadcast reached (-want +got):\n%s", diff)
	}
}

// 10:30: three groups acknowledge; the office reads back.
func (r *campaignRun) acknowledge() {
	r.expect(r.say("chat_comm_xuetianwan", "zhangsan", "收到"), "已登记回执：GB-0001")
	r.expect(r.say("chat_org_school_a", "heping", "收到"), "已登记回执：GB-0001")
	r.expect(r.say("chat_sector_south", "chenjing", "收到"), "已登记回执：GB-0001")
	r.expect(r.say("chat_comm_xuetianwan", "lisi", "收到"), "目前没有需要学田湾社区回执的通知") // already acknowledged
	r.expect(r.say("chat_office", "zhujun", "回执 GB-0001"), "学田湾社区", "示例实验小学", "桂花园社区", "嘉西村社区", "未回执")
}

const deedsLine = "带领学生开展消防安全隐患排查。" // 15 characters

// 11:00: a valid nomination, privately.
func (r *campaignRun) nominateValid() {
	say := func(text string) string { return r.sayPrivately("zhangsan", text) }
	r.expect(say("推荐"), "个人还是集体")
	say("个人")
	say("李秀英")
	say("学田湾社区红袖章志愿队")
	say("6")
	say("2")
	say("李秀英阿姨2017年起带领红袖章志愿队每晚巡查辖区楼栋，清理楼道杂物、劝导电动车违规充电，组织居民消防演练十余次。")
	say("完成")
	say("13812345678")
	r.expect(say("确认"), "推荐成功，编号 TJ-0001")
}

// 14:00: in the school's group, deeds of 1,200 characters are refused with
// their count, and a shortened version is accepted.
func (r *campaignRun) nominateTooLongThenCorrected() {
	say := func(text string) string { return r.say("chat_org_school_a", "heping", text) }
	say("推荐")
	say("个人")
	say("何老师")
	say("示例实验小学")
	say("8")
	say("2")
	long := strings.Repeat(deedsLine, 80)
	r.expect(say(long), "最多1000字，现在1段共1200字，超出200字，还不能提交")
	r.expect(say("完成"), "还不能提交")
	r.expect(say(strings.Repeat(deedsLine, 60)), "替换原来的全部1段", "900字")
	say("完成")
	say("13912345678")
	r.expect(say("确认"), "推荐成功，编号 TJ-0002", "139****5678")
}

// 10-27 10:00: a volunteer of one year; the reason is asked and given.
func (r *campaignRun) nominateOneYear() {
	say := func(text string) string { return r.say("chat_comm_niujiaotuo", "wangwu", text) }
	say("推荐")
	say("个人")
	say("王桂兰")
	say("牛角沱社区")
	r.expect(say("1年"), "不足2年", "请简要说明理由")
	say("虽然服务刚满一年，但带动了二十多位居民加入楼栋消防志愿巡查，成效突出")
	say("2")
	say("王桂兰阿姨退休后加入社区志愿消防队，每周两次入户宣传用火用电安全，劝导清理楼道杂物三十余处。")
	say("完成")
	say("13900001111")
	r.expect(say("确认"), "推荐成功，编号 TJ-0003", "【年限不足】")
}

// 10-29 10:00: after the street's deadline of 10-28: accepted, flagged 逾期.
func (r *campaignRun) nominateLate() {
	say := func(text string) string { return r.sayPrivately("kongling", text) }
	r.expect(say("推荐"), "逾期")
	say("集体")
	say("示例社区卫生服务中心志愿消防队")
	say("示例社区卫生服务中心")
	say("4")
	say("1")
	say("志愿消防队由中心医护人员组成，四年来参与周边火灾现场伤员救护三次，开展急救与消防培训二十余场。")
	say("完成")
	say("023-63851234")
	r.expect(say("确认"), "推荐成功，编号 TJ-0004", "【逾期】")
}

// 11-02: 上报 step by step (a community's all-hands drill).
func (r *campaignRun) reportByCommand() {
	say := func(text string) string { return r.say("chat_comm_xuetianwan", "zhangsan", text) }
	r.expect(say("上报"), "开展的是哪一项活动")
	say("2")
	say("11月1日")
	say("八十六人")
	say("社区广场")
	say("跳过")
	r.expect(say("确认"), "上报成功，编号 HD-0001", "全员应急疏散演练")
}

// 11-03: told in free text.
func (r *campaignRun) reportByFreeText() {
	say := func(text string) string { return r.say("chat_comm_xuetianwan", "lisi", text) }
	r.expect(say("今天下午社区开展了消防主题宣传活动，发放宣传资料，300人参加"), "主题宣传活动", "300")
	r.expect(say("确认"), "上报成功，编号 HD-0002")
}

// 11-06 10:00: a school's evacuation drill, in free text.
func (r *campaignRun) reportDrillOfSchool() {
	say := func(text string) string { return r.say("chat_org_school_a", "heping", text) }
	r.expect(say("今天上午我校组织了疏散演练，全校1200名师生参加"), "疏散演练", "1200")
	r.expect(say("确认"), "上报成功，编号 HD-0003")
}

// 11-06 15:00: a community's all-hands drill, through buttons.
func (r *campaignRun) reportByButtons() {
	const chat, user = "chat_comm_niujiaotuo", "wangwu"
	turn := r.turn(chat, user, "上报")
	turn = r.click(chat, user, turn, "全员应急疏散演练")
	turn = r.click(chat, user, turn, "昨天")
	r.expect(turn.Text, "参演人数是多少")
	turn = r.turn(chat, user, "120")
	turn = r.click(chat, user, turn, "跳过") // place
	turn = r.click(chat, user, turn, "跳过") // description
	turn = r.click(chat, user, turn, "确认提交")
	r.expect(turn.Text, "上报成功，编号 HD-0004", "11月5日")
}

// 11-07: a hotel's training, 上报 with the task named.
func (r *campaignRun) reportTrainingOfHotel() {
	say := func(text string) string { return r.say("chat_org_hotel_a", "jinbo", text) }
	r.expect(say("上报 专项能力培训"), "专项能力培训")
	say("11月6日")
	r.expect(say("45"), "请核对上报内容") // free text leaves the optional steps to the summary
	r.expect(say("地点 酒店三楼会议室"), "地点：酒店三楼会议室")
	r.expect(say("确认"), "上报成功，编号 HD-0005")
}

// 11-08: a filling station's drill, in free text with a relative date.
func (r *campaignRun) reportDrillOfFillingStation() {
	say := func(text string) string { return r.say("chat_org_hazchem_a", "jiangtao", text) }
	r.expect(say("昨天加油站开展了全员应急疏散演练，32人参加"), "全员应急疏散演练", "11月7日")
	r.expect(say("确认"), "上报成功，编号 HD-0006")
}

// 11-09: 四个一, four numbers.
func (r *campaignRun) reportFourOnes() {
	say := func(text string) string { return r.say("chat_comm_xuetianwan", "zhangsan", text) }
	say("今天组织了四个一消防体验，走疏散通道120人")
	say("95")
	say("60")
	say("30")
	r.expect(say("确认"), "上报成功，编号 HD-0007")
}

func (r *campaignRun) reportCloudLearning() {
	say := func(text string) string { return r.say("chat_comm_xuetianwan", "lisi", text) }
	say("今天组织居民在学习云平台注册学习，注册256人")
	r.expect(say("确认"), "上报成功，编号 HD-0008")
}

// 11-13: a KTV's training, choosing the task by number.
func (r *campaignRun) reportTrainingOfKTV() {
	say := func(text string) string { return r.say("chat_org_ktv_a", "yanhua", text) }
	say("上报")
	say("7")
	say("11月12日")
	say("28")
	say("跳过")
	say("组织员工学习灭火器使用和疏散逃生常识")
	r.expect(say("确认"), "上报成功，编号 HD-0009", "消防安全培训（三个一）")
}

// 11-14: the last of 学田湾社区's tasks; it is done.
func (r *campaignRun) reportAtmosphere() {
	say := func(text string) string { return r.say("chat_comm_xuetianwan", "zhangsan", text) }
	r.expect(say("今天社区开展了宣传氛围营造活动，悬挂横幅、张贴海报"), "宣传氛围营造", "宣传物料数量")
	say("42") // the kinds were in the message: no question about them
	r.expect(say("确认"), "上报成功，编号 HD-0010")
	p := r.progress("comm_xuetianwan")
	if done, all := p.DoneCount(); done != all {
		r.t.Errorf("学田湾社区 done %d/%d after its last report", done, all)
	}
}

// 11-15: the office enters a report mailed in by the property company.
func (r *campaignRun) enterOnBehalf() {
	say := func(text string) string { return r.say("chat_office", "zhujun", text) }
	r.expect(say("代录 示例物业服务公司"), "代录", "哪位提供")
	say("物业办 刘经理")
	say("5")
	say("11月14日")
	say("60")
	say("观看警示教育片")
	say("跳过")
	say("跳过")
	r.expect(say("确认"), "上报成功，编号 HD-0011", "警示教育（三个一）")
}

// 11-16: the office sends the school's drill back.
func (r *campaignRun) sendBack() {
	r.expect(r.say("chat_office", "zhujun", "退回 HD-0003 参演人数与照片不符，请核实后重新提交"), "【退回预览】", "HD-0003")
	r.expect(r.say("chat_office", "zhujun", "确认"), "已退回 HD-0003")
	rec := r.record("HD-0003")
	c, err := ledger.DecodeConfirmation(rec)
	r.noErr(err)
	if rec.Status != store.StatusReturned || c.ReturnReason == "" || c.ReturnedBy != "zhujun" {
		r.t.Errorf("returned HD-0003: status %s, payload %+v", rec.Status, c)
	}
	if r.taskDone("org_school_a", "evacuation_drill") {
		r.t.Error("a returned drill still counts as done")
	}
}

// 11-17 after the Friday nudge: the returned drill was asked for again, and
// 进度 shows it missing.
func (r *campaignRun) returnedCountsAsMissing() {
	var nudged bool
	for _, p := range r.pushesAt(r.at(11, 17, 16, 0)) {
		if p.Target == "chat:chat_org_school_a" && strings.Contains(p.Text, "疏散演练（已退回，待重新上报）") {
			nudged = true
		}
	}
	if !nudged {
		r.t.Error("the Friday nudge did not ask the school for its returned drill")
	}
	r.say("chat_org_school_a", "heping", "进度")
}

// 11-20: the school corrects and resubmits the drill.
func (r *campaignRun) resubmit() {
	say := func(text string) string { return r.say("chat_org_school_a", "heping", text) }
	r.expect(say("修改 HD-0003"), "被退回")
	say("参演人数 1150")
	r.expect(say("确认"), "已保存对 HD-0003 的修改")
	rec := r.record("HD-0003")
	c, err := ledger.DecodeConfirmation(rec)
	r.noErr(err)
	if rec.Status != store.StatusActive || c.ReturnReason != "" || c.Fields["participants"] != "1150" {
		r.t.Errorf("resubmitted HD-0003: status %s, payload %+v", rec.Status, c)
	}
	if !r.taskDone("org_school_a", "evacuation_drill") {
		r.t.Error("the resubmitted drill does not count")
	}
}

// 11-21: 桂花园社区 reports through the south sector's group, which serves
// two communities: each report asks which.
func (r *campaignRun) reportForGuihuayuan() {
	say := func(text string) string { return r.say("chat_sector_south", "chener", text) }
	r.expect(say("今天社区开展了消防主题宣传活动，120人参加"), "为哪个单位上报")
	say("桂花园社区")
	r.expect(say("确认"), "上报成功，编号 HD-0012", "桂花园社区")
	say("今天组织了全员应急疏散演练，90人参加")
	say("桂花园社区")
	r.expect(say("确认"), "HD-0013")
	say("今天组织居民在学习云平台注册学习，注册75人")
	say("桂花园社区")
	r.expect(say("确认"), "HD-0014")
	say("今天开展了四个一消防体验，走疏散通道60人")
	say("桂花园社区")
	say("40")
	say("30")
	say("0")
	r.expect(say("确认"), "HD-0015")
}

// 11-22: the office marks the last task not applicable: 桂花园社区 is done.
func (r *campaignRun) notApplicable() {
	r.expect(r.say("chat_office", "zhujun", "不适用 桂花园社区 宣传氛围营造 社区整体拆迁改造中，不具备布置条件"), "已标记")
	p := r.progress("comm_guihuayuan")
	if done, all := p.DoneCount(); done != all {
		r.t.Errorf("桂花园社区 done %d/%d", done, all)
	}
}

// The answer may come as the reply or, when longer than a passive reply
// may be, pushed to the chat in parts. Sectors come in roster order.
func (r *campaignRun) officeStats() {
	first := len(r.pushes)
	text := r.say("chat_office", "zhujun", "统计")
	for _, p := range r.pushes[first:] {
		if p.Target == "chat:chat_office" {
			text += p.Text
		}
	}
	r.expect(text, "【统计】")
	if n, m := strings.Index(text, "北片板块："), strings.Index(text, "中片板块："); n < 0 || m < n {
		r.t.Errorf("统计: sectors not in roster order:\n%s", text)
	}
}

// 11-27: 牛角沱社区 reports everything it still owed.
func (r *campaignRun) niujiaotuoCatchesUp() {
	say := func(text string) string { return r.say("chat_comm_niujiaotuo", "wangwu", text) }
	say("今天社区开展了消防主题宣传活动，200人参加")
	r.expect(say("确认"), "HD-0016")
	say("今天组织居民在学习云平台注册学习，注册180人")
	r.expect(say("确认"), "HD-0017")
	say("今天开展了四个一消防体验，走疏散通道80人")
	say("60")
	say("45")
	say("20")
	r.expect(say("确认"), "HD-0018")
	r.expect(say("今天在小区悬挂横幅6条"), "宣传物料数量：6", "物料种类：横幅") // count and kind both read
	r.expect(say("确认"), "HD-0019")
	p := r.progress("comm_niujiaotuo")
	if done, all := p.DoneCount(); done != all {
		r.t.Errorf("牛角沱社区 done %d/%d", done, all)
	}
}

// 12-01 17:00: the office exports; the workbook is pushed to the office
// chat.
func (r *campaignRun) export() {
	first := len(r.pushes)
	r.expect(r.say("chat_office", "zhujun", "导出"), "正在生成")
	var head, files int
	for _, p := range r.pushes[first:] {
		if p.Target != "chat:chat_office" {
			r.t.Errorf("export pushed to %s", p.Target)
		}
		switch {
		case strings.Contains(p.Text, "【导出】"):
			head++
		case p.R.MsgType == "file":
			files++
		}
	}
	if head != 1 || files < 1 {
		r.t.Errorf("export pushes: %d heads, %d files", head, files)
	}
	found, err := filepath.Glob(filepath.Join(r.cfg.Media.Dir, "exports", "*", "*.xlsx"))
	r.noErr(err)
	if len(found) != 1 {
		r.t.Fatalf("exported workbooks: %v", found)
	}
	r.xlsx = found[0]
}

// ---------------------------------------------------------------------------
// Reminders.

// expectedTargets works out from the store, before the clocks move, whom a
// fire of plan must reach: for a chasing plan, the groups of the units that
// still owe something for its deadline (their officers by application
// message when a unit has no group); for the event notice, every bound
// group; for the digest, the office chat.
func (r *campaignRun) expectedTargets(plan string, at time.Time) []string {
	var pc config.Plan
	for _, p := range r.cfg.Reminders.Plans {
		if p.ID == plan {
			pc = p
		}
	}
	var out []string
	switch pc.Audience.Type {
	case config.AudienceOffice:
		for _, c := range r.cfg.Access.OfficeChats {
			out = append(out, "chat:"+c.ID)
		}
		return out
	case config.AudienceAllBound:
		for _, c := range r.boundChats() {
			out = append(out, "chat:"+c)
		}
		return out
	case config.AudienceMissing:
	default:
		r.t.Fatalf("plan %s: audience %q not modelled by the test", plan, pc.Audience.Type)
	}
	d, ok := r.cfg.Campaign.Deadline(pc.Deadline)
	if !ok {
		r.t.Fatalf("plan %s: no deadline", plan)
	}
	r.view(func(tx store.Tx) {
		roster, err := store.Roster(tx)
		r.noErr(err)
		progress, err := ledger.All(tx, &r.cfg.Campaign, roster)
		r.noErr(err)
		for _, p := range progress {
			owes := d.CoversNomination() && p.OwesNomination()
			if !d.CoversNomination() {
				owes = len(p.MissingFor(d.ID)) > 0
			}
			if !owes {
				continue
			}
			chats, err := store.ChatsOfUnit(tx, p.Unit.ID)
			r.noErr(err)
			for _, c := range chats {
				out = append(out, "chat:"+c)
			}
			if len(chats) == 0 {
				out = append(out, "user:"+strings.Join(p.Unit.Officers, "|"))
			}
		}
	})
	slices.Sort(out)
	return slices.Compact(out)
}

// checkFires compares what the fires at a time sent with what they must
// have sent: each target exactly once. At a time with several plans the
// office chat's push is the digest's.
func (r *campaignRun) checkFires(at time.Time, want map[string][]string, got []campaignPush) {
	if len(want) == 0 {
		if len(got) > 0 {
			r.t.Errorf("%s: %d pushes with no reminder due", at.Format("01-02 15:04"), len(got))
		}
		return
	}
	var office, others []string
	for _, p := range got {
		if p.Target == "chat:chat_office" && len(want) > 1 {
			office = append(office, p.Target)
			continue
		}
		others = append(others, p.Target)
	}
	slices.Sort(others)
	for plan, targets := range want {
		g := others
		if len(want) > 1 && plan == "office_digest" {
			g = office
		}
		if diff := cmp.Diff(targets, g); diff != "" {
			r.t.Errorf("%s %s reached (-want +got):\n%s", at.Format("01-02 15:04"), plan, diff)
		}
	}
}

// checkLateNovember: the report reminders from 11-24 on reach only units
// still missing items; units that finished get nothing from then on.
func (r *campaignRun) checkLateNovember() {
	from := r.at(11, 24, 0, 0)
	finished := map[string]time.Time{ // a unit's own group → when the unit was done
		"chat:chat_comm_xuetianwan": r.at(11, 14, 10, 0),
		"chat:chat_comm_niujiaotuo": r.at(11, 27, 10, 0),
	}
	var toSouth, toNiujiaotuo int
	for _, p := range r.pushes {
		if p.At.Before(from) || !strings.Contains(p.Text, "提醒") {
			continue
		}
		if done, ok := finished[p.Target]; ok && p.At.After(done) {
			r.t.Errorf("%s reminded at %s after it finished: %s", p.Target, p.At.Format("01-02 15:04"), p.Text)
		}
		switch p.Target {
		case "chat:chat_sector_south":
			toSouth++
			if strings.Contains(p.Text, "桂花园社区") || !strings.Contains(p.Text, "嘉西村社区") {
				r.t.Errorf("the south sector's group: %s", p.Text)
			}
		case "chat:chat_comm_niujiaotuo":
			toNiujiaotuo++
		}
	}
	if toSouth != 6 { // report_chase ×5 and the Friday nudge of 11-24
		r.t.Errorf("the south sector's group got %d late-November reminders, want 6", toSouth)
	}
	if toNiujiaotuo != 2 { // 11-24 09:00 and 16:00, before it caught up
		r.t.Errorf("牛角沱社区 got %d late-November reminders, want 2", toNiujiaotuo)
	}
}

// checkDelivery: nothing is left in the outbox, and every call the fake
// WeCom answered is a push in the transcript (no retries, no duplicates).
func (r *campaignRun) checkDelivery() {
	r.view(func(tx store.Tx) {
		depth, _, err := store.OutboxPendingStats(tx)
		r.noErr(err)
		if depth != 0 {
			r.t.Errorf("%d outbox entries left", depth)
		}
	})
	count := map[string]int{}
	for _, p := range r.pushes {
		count[p.R.API]++
	}
	for api, n := range count {
		if calls := r.s.Fake.CallCount(api); calls != n {
			r.t.Errorf("%s: %d calls for %d pushes", api, calls, n)
		}
	}
	if len(r.s.Fake.Messages()) != len(r.pushes) {
		r.t.Errorf("the fake received %d messages, the transcript has %d", len(r.s.Fake.Messages()), len(r.pushes))
	}
}

// ---------------------------------------------------------------------------
// Records and the workbook.

// checkRecords asserts the key facts of every record.
func (r *campaignRun) checkRecords() {
	noms := map[string]ledger.Nomination{}
	for _, id := range []string{"TJ-0001", "TJ-0002", "TJ-0003", "TJ-0004"} {
		n, err := ledger.DecodeNomination(r.record(id))
		r.noErr(err)
		noms[id] = n
	}
	if n := noms["TJ-0002"]; len([]rune(n.Deeds)) != 900 || n.RecommenderID != "heping" {
		t := n
		t.Deeds = fmt.Sprintf("（%d字）", len([]rune(n.Deeds)))
		r.t.Errorf("TJ-0002: %+v", t)
	}
	if n := noms["TJ-0003"]; n.Years != 1 || !n.UnderYears || !strings.Contains(n.YearsReason, "二十多位居民") {
		r.t.Errorf("TJ-0003 years %d under %v reason %q", n.Years, n.UnderYears, n.YearsReason)
	}
	for id, n := range noms {
		if n.Late != (id == "TJ-0004") {
			r.t.Errorf("%s late = %v", id, n.Late)
		}
		if n.UnderYears != (id == "TJ-0003") {
			r.t.Errorf("%s under years = %v", id, n.UnderYears)
		}
	}
	for _, id := range []string{"HD-0001", "HD-0003", "HD-0004", "HD-0009", "HD-0011"} {
		rec := r.record(id)
		c, err := ledger.DecodeConfirmation(rec)
		r.noErr(err)
		want := ""
		if id == "HD-0011" {
			want = "zhujun"
		}
		if c.EnteredBy != want {
			r.t.Errorf("%s entered by %q", id, c.EnteredBy)
		}
		if id == "HD-0011" && c.SuppliedBy != "物业办 刘经理" {
			r.t.Errorf("%s supplied by %q", id, c.SuppliedBy)
		}
	}
	if rec := r.record("HD-0011"); rec.UnitID != "org_other_a" || rec.TaskID != "warning_education" || rec.ReporterID != "zhujun" {
		r.t.Errorf("HD-0011: %+v", rec)
	}
	var n int
	r.eachRecord(func(rec *store.Record) {
		n++
		if rec.Status != store.StatusActive {
			r.t.Errorf("%s ends %s", rec.ID, rec.Status)
		}
	})
	if n != 19+4+1 {
		r.t.Errorf("%d records, want 24", n)
	}
}

// checkWorkbook opens the exported workbook and compares its summary and
// nomination sheets with the records.
func (r *campaignRun) checkWorkbook() {
	if r.xlsx == "" {
		r.t.Fatal("no workbook exported")
	}
	f, err := excelize.OpenFile(r.xlsx)
	r.noErr(err)
	defer f.Close()

	var progress []ledger.UnitProgress
	r.view(func(tx store.Tx) {
		roster, err := store.Roster(tx)
		r.noErr(err)
		progress, err = ledger.All(tx, &r.cfg.Campaign, roster)
		r.noErr(err)
	})

	// 汇总: one line per unit with tasks or a nomination expected, with its
	// done and applicable counts and its nominations.
	rows, err := f.GetRows(workbook.SheetSummary)
	r.noErr(err)
	byName := map[string][]string{}
	for _, row := range rows[3:] {
		if len(row) > 1 {
			byName[row[1]] = row
		}
	}
	nTasks := len(r.cfg.Campaign.Tasks)
	for _, p := range progress {
		done, all := p.DoneCount()
		row, ok := byName[p.Unit.Name]
		if all == 0 && !p.NominationExpected {
			if ok {
				r.t.Errorf("汇总 lists %s", p.Unit.Name)
			}
			continue
		}
		if !ok {
			r.t.Errorf("汇总 misses %s", p.Unit.Name)
			continue
		}
		// 序号 单位名称 类型 板块 类别 联系人 联系电话, then 状态 日期 数字 per task
		at := 7 + 3*nTasks
		got := []string{cellAt(row, at), cellAt(row, at+1), cellAt(row, at+3)}
		want := []string{fmt.Sprint(done), fmt.Sprint(all), fmt.Sprint(len(p.Nominations))}
		if !slices.Equal(got, want) {
			r.t.Errorf("汇总 %s: done, applicable, nominations %v, want %v", p.Unit.Name, got, want)
		}
		for _, ts := range p.Tasks {
			col := 7 + 3*slices.IndexFunc(r.cfg.Campaign.Tasks, func(t campaign.Task) bool { return t.ID == ts.Task.ID })
			st, _, _ := strings.Cut(cellAt(row, col), "\n") // the status, then notes

			wantSt := workbook.StatusMissing
			switch {
			case ts.NotApplicable != nil:
				wantSt = workbook.StatusNA
			case ts.Done():
				wantSt = workbook.StatusDone
			}
			if st != wantSt {
				r.t.Errorf("汇总 %s %s: %q, want %q", p.Unit.Name, ts.Task.Name, st, wantSt)
			}
		}
	}
	if total := rows[len(rows)-1]; cellAt(total, 1) != "合计" || cellAt(total, 7+3*nTasks+3) != "4" {
		r.t.Errorf("合计 line: %v", total)
	}

	// 志愿者推荐: exactly the four nominations, with their flags.
	rows, err = f.GetRows(workbook.SheetNominations)
	r.noErr(err)
	head := rows[0]
	col := func(name string) int { return slices.Index(head, name) }
	type line struct{ ID, Unit, Name, Years, Late, Under, Deeds string }
	var got []line
	for _, row := range rows[1:] {
		got = append(got, line{cellAt(row, col("编号")), cellAt(row, col("推荐单位")), cellAt(row, col("名称")),
			cellAt(row, col("从事消防公益服务年限")), cellAt(row, col("逾期")), cellAt(row, col("不满2年")), cellAt(row, col("事迹字数"))})
	}
	sort.Slice(got, func(i, j int) bool { return got[i].ID < got[j].ID })
	// 事迹字数 is the deeds' length in characters, as each nomination's
	// dialog said it (事迹材料共N字, in the golden transcript).
	want := []line{
		{"TJ-0001", "学田湾社区", "李秀英", "6", "", "", "57"},
		{"TJ-0002", "示例实验小学", "何老师", "8", "", "", "900"},
		{"TJ-0003", "牛角沱社区", "王桂兰", "1", "", "是", "46"},
		{"TJ-0004", "示例社区卫生服务中心", "示例社区卫生服务中心志愿消防队", "4", "是", "", "47"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		r.t.Errorf("志愿者推荐 (-want +got):\n%s", diff)
	}

	// 活动明细: one line per counted confirmation.
	rows, err = f.GetRows(workbook.SheetDetails)
	r.noErr(err)
	var confirmations, listed []string
	r.eachRecord(func(rec *store.Record) {
		if rec.Kind == store.KindConfirmation && rec.Status == store.StatusActive {
			confirmations = append(confirmations, rec.ID)
		}
	})
	for _, row := range rows[1:] {
		listed = append(listed, cellAt(row, 0))
	}
	slices.Sort(listed)
	if diff := cmp.Diff(confirmations, listed); diff != "" {
		r.t.Errorf("活动明细 (-records +sheet):\n%s", diff)
	}

	// 未完成清单: one line per task still owed and per owed nomination.
	rows, err = f.GetRows(workbook.SheetMissing)
	r.noErr(err)
	var owed []string
	for _, p := range progress {
		for _, ts := range p.Missing() {
			owed = append(owed, p.Unit.Name+" "+ts.Task.Name)
		}
		if p.OwesNomination() {
			owed = append(owed, p.Unit.Name+" "+workbook.NominationItem)
		}
	}
	var missing []string
	for _, row := range rows[1:] {
		missing = append(missing, cellAt(row, 0)+" "+cellAt(row, 4))
	}
	slices.Sort(owed)
	slices.Sort(missing)
	if diff := cmp.Diff(owed, missing); diff != "" {
		r.t.Errorf("未完成清单 (-owed +sheet):\n%s", diff)
	}

	r.section("导出的汇总表")
	for _, sheet := range []string{workbook.SheetSummary, workbook.SheetDetails, workbook.SheetNominations, workbook.SheetMissing} {
		rows, err := f.GetRows(sheet)
		r.noErr(err)
		r.line("### " + sheet)
		for _, row := range rows {
			cells := make([]string, len(row))
			for i, c := range row {
				cells[i] = clipCell(c)
			}
			r.line(strings.TrimRight(strings.Join(cells, " | "), " |"))
		}
	}
	r.line("### 工作表：" + strings.Join(f.GetSheetList(), "、"))
}

func cellAt(row []string, i int) string {
	if i < 0 || i >= len(row) {
		return ""
	}
	return row[i]
}

// clipCell keeps long cells (deeds) readable in the golden file.
func clipCell(s string) string {
	s = strings.ReplaceAll(s, "\n", "⏎")
	if r := []rune(s); len(r) > 40 {
		return string(r[:30]) + fmt.Sprintf("…（共%d字）", len(r))
	}
	return s
}

// dumpRecords writes every record to the transcript.
func (r *campaignRun) dumpRecords() {
	r.section("全部记录")
	r.eachRecord(func(rec *store.Record) {
		var head []string
		for _, f := range []string{rec.ID, rec.UnitID, rec.TaskID, rec.Status,
			"提交 " + rec.CreatedAt.In(r.loc).Format("01-02 15:04"), "更新 " + rec.UpdatedAt.In(r.loc).Format("01-02 15:04"),
			"报送人 " + rec.ReporterID} {
			if strings.TrimSpace(f) != "" && f != "报送人 " {
				head = append(head, f)
			}
		}
		var data map[string]any
		r.noErr(json.Unmarshal(rec.Data, &data))
		if d, ok := data["deeds"].(string); ok {
			data["deeds"] = fmt.Sprintf("（%d字）", len([]rune(d)))
		}
		b, err := json.Marshal(data)
		r.noErr(err)
		r.line(strings.Join(head, " "))
		r.line("  " + string(b))
	})
}

func (r *campaignRun) compareGolden() {
	r.dumpRecords()
	got := r.out.String()
	if *update {
		r.noErr(os.MkdirAll("testdata", 0o755))
		r.noErr(os.WriteFile(campaignGolden, []byte(got), 0o644))
	}
	want, err := os.ReadFile(campaignGolden)
	if err != nil {
		r.t.Fatalf("%v (run with -update to create it)", err)
	}
	if diff := cmp.Diff(strings.Split(string(want), "\n"), strings.Split(got, "\n")); diff != "" {
		r.t.Errorf("the campaign differs from %s (-want +got):\n%s", campaignGolden, diff)
	}
}

// ---------------------------------------------------------------------------
// Talking, stepping and collecting.

// advance steps both clocks to t; the scheduler fires, in order, what falls
// due on the way.
func (r *campaignRun) advance(t time.Time) {
	r.t.Helper()
	r.real.Advance(t.Sub(r.now))
	if err := r.s.Advance(r.ctx, t); err != nil {
		r.t.Fatalf("advance to %s: %v", t, err)
	}
	r.now = t
}

// collect delivers the outbox and records what the fake WeCom received,
// in a stable order (deliveries to different targets run concurrently;
// each target's own order is kept).
func (r *campaignRun) collect() []campaignPush {
	r.t.Helper()
	got, err := r.s.NewPushes(r.ctx)
	if err != nil {
		r.t.Fatalf("deliver: %v", err)
	}
	ps := make([]campaignPush, 0, len(got))
	for _, g := range got {
		ps = append(ps, campaignPush{At: r.now, Target: pushTarget(g), Text: describePush(g), R: g})
	}
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].Target < ps[j].Target })
	for _, p := range ps {
		r.head()
		r.block("⇒ ", p.Text)
	}
	r.pushes = append(r.pushes, ps...)
	return ps
}

func pushTarget(g fakewecom.Recorded) string {
	switch g.API {
	case "webhook/send":
		return "chat:" + g.ChatID
	case "message/send":
		return "user:" + g.ToUser
	}
	return g.API + ":" + g.ChatID
}

// describePush is sim.Describe with a text message's mentions.
func describePush(g fakewecom.Recorded) string {
	var b struct {
		Text struct {
			MentionedList []string `json:"mentioned_list"`
		} `json:"text"`
	}
	_ = json.Unmarshal(g.Body, &b)
	d := sim.Describe(g)
	if len(b.Text.MentionedList) > 0 {
		d += "\n〔提及 " + strings.Join(b.Text.MentionedList, " ") + "〕"
	}
	return d
}

// say sends text in a group, writes the exchange to the transcript and
// collects the pushes it caused.
func (r *campaignRun) say(chat, user, text string) string {
	r.t.Helper()
	return sim.ReplyWithButtons(r.turnIn(chat, user, text, true))
}

func (r *campaignRun) sayPrivately(user, text string) string {
	r.t.Helper()
	return sim.ReplyWithButtons(r.turnIn(sim.PrivateChat(user), user, text, false))
}

func (r *campaignRun) turn(chat, user, text string) sim.Turn {
	r.t.Helper()
	return r.turnIn(chat, user, text, true)
}

func (r *campaignRun) turnIn(chat, user, text string, group bool) sim.Turn {
	r.t.Helper()
	tn, err := r.s.SayIn(r.ctx, chat, user, text, group)
	if err != nil {
		r.t.Fatalf("%s in %s: %q: %v", user, chat, text, err)
	}
	r.exchange(chat, user, userText(text), tn)
	return tn
}

// click presses the button of the last turn labelled label.
func (r *campaignRun) click(chat, user string, last sim.Turn, label string) sim.Turn {
	r.t.Helper()
	i := slices.IndexFunc(last.Buttons, func(b bot.Button) bool { return b.Text == label })
	if i < 0 {
		r.t.Fatalf("no button %q in %q", label, sim.ReplyWithButtons(last))
	}
	tn, err := r.s.ClickIn(r.ctx, chat, user, last.Buttons[i].Value, true)
	if err != nil {
		r.t.Fatalf("click %q: %v", label, err)
	}
	r.exchange(chat, user, "〔点击按钮："+label+"〕", tn)
	return tn
}

func (r *campaignRun) exchange(chat, user, said string, tn sim.Turn) {
	r.head()
	r.block("› "+user+" @ "+chat+"：", said)
	r.block("‹ ", sim.ReplyWithButtons(tn))
	r.collect()
}

// userText shortens very long messages in the transcript.
func userText(s string) string {
	if n := len([]rune(s)); n > 100 {
		return string([]rune(s)[:20]) + fmt.Sprintf("…（共%d字）", n)
	}
	return s
}

// head writes the current campaign time as a heading once, with the
// reminder plans firing then.
func (r *campaignRun) head() {
	if r.heading.Equal(r.now) {
		return
	}
	r.heading = r.now
	h := "## " + r.now.Format("2006-01-02 15:04")
	if plans := r.fires[r.now]; len(plans) > 0 {
		h += "　提醒：" + strings.Join(plans, "、")
	}
	r.out.WriteString("\n" + h + "\n")
}

func (r *campaignRun) section(title string) { r.out.WriteString("\n# " + title + "\n") }
func (r *campaignRun) line(s string)        { r.out.WriteString(s + "\n") }

// block writes text under a prefix, continuation lines indented.
func (r *campaignRun) block(prefix, text string) {
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	r.out.WriteString(prefix + lines[0] + "\n")
	for _, l := range lines[1:] {
		r.out.WriteString("    " + l + "\n")
	}
}

func (r *campaignRun) expect(got string, parts ...string) {
	r.t.Helper()
	for _, p := range parts {
		if !strings.Contains(got, p) {
			r.t.Errorf("%s: %q lacks %q", r.now.Format("01-02 15:04"), got, p)
		}
	}
}

func (r *campaignRun) noErr(err error) {
	r.t.Helper()
	if err != nil {
		r.t.Fatal(err)
	}
}

func (r *campaignRun) view(fn func(tx store.Tx)) {
	r.t.Helper()
	r.noErr(r.s.Service.Store.View(r.ctx, func(tx store.Tx) error {
		fn(tx)
		return nil
	}))
}

func (r *campaignRun) record(id string) *store.Record {
	r.t.Helper()
	var rec *store.Record
	r.view(func(tx store.Tx) {
		var err error
		rec, err = store.GetRecord(tx, id)
		r.noErr(err)
	})
	return rec
}

// eachRecord visits every record of the campaign in id order.
func (r *campaignRun) eachRecord(fn func(*store.Record)) {
	var all []*store.Record
	r.view(func(tx store.Tx) {
		for _, k := range []store.Kind{store.KindBroadcast, store.KindConfirmation, store.KindNomination} {
			r.noErr(store.EachRecord(tx, r.cfg.Campaign.ID, k, time.Time{}, time.Time{}, func(rec *store.Record) error {
				all = append(all, rec)
				return nil
			}))
		}
	})
	sort.Slice(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	for _, rec := range all {
		fn(rec)
	}
}

func (r *campaignRun) progress(unitID string) ledger.UnitProgress {
	var p ledger.UnitProgress
	r.view(func(tx store.Tx) {
		u, err := store.GetUnit(tx, unitID)
		r.noErr(err)
		p, err = ledger.Of(tx, &r.cfg.Campaign, u)
		r.noErr(err)
	})
	return p
}

func (r *campaignRun) taskDone(unitID, taskID string) bool {
	for _, ts := range r.progress(unitID).Tasks {
		if ts.Task.ID == taskID {
			return ts.Done()
		}
	}
	r.t.Fatalf("%s has no task %s", unitID, taskID)
	return false
}

// boundChats lists every group bound to a unit.
func (r *campaignRun) boundChats() []string {
	var out []string
	r.view(func(tx store.Tx) {
		r.noErr(store.EachBinding(tx, func(b store.Binding) error {
			out = append(out, b.ChatID)
			return nil
		}))
	})
	slices.Sort(out)
	return slices.Compact(out)
}

func (r *campaignRun) pushesAt(t time.Time) []campaignPush {
	var out []campaignPush
	for _, p := range r.pushes {
		if p.At.Equal(t) {
			out = append(out, p)
		}
	}
	return out
}
