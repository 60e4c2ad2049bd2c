package sim_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"firebot/ledger"
	"firebot/sim"
)

// End-to-end tests of how report messages are read, through signed
// callbacks and the fake WeCom, on the campaign clock 2023-11-20 10:00.

func readingSim(t *testing.T) *sim.Sim {
	t.Helper()
	s, _ := campaignSim(t, t.TempDir(), time.Date(2023, 11, 20, 10, 0, 0, 0, time.FixedZone("CST", 8*3600)))
	t.Cleanup(func() { s.Close() })
	return s
}

func sayer(t *testing.T, s *sim.Sim, chat, user string) func(string) string {
	return func(text string) string {
		t.Helper()
		rep, err := s.Say(context.Background(), chat, user, text)
		if err != nil {
			t.Fatalf("%q: %v", text, err)
		}
		return rep
	}
}

func wants(t *testing.T, rep string, subs ...string) {
	t.Helper()
	for _, w := range subs {
		if !strings.Contains(rep, w) {
			t.Fatalf("reply lacks %q:\n%s", w, rep)
		}
	}
}

var reHD = regexp.MustCompile(`HD-\d{4}`)

func TestReadmeExampleAndNaturalConfirmations(t *testing.T) {
	for i, yes := range []string{"对的", "好的", "没问题", "ok", "是", "确认无误", "👌"} {
		// A store each: the same drill reported again would rightly be
		// asked about as a possible duplicate.
		s := readingSim(t)
		say := sayer(t, s, "chat_comm_xuetianwan", fmt.Sprintf("worker%d", i))
		// The README's example, as written, in a community group.
		rep := say("今天上午我们社区组织了疏散演练，80人参加")
		wants(t, rep, "请核对上报内容", "项目：全员应急疏散演练", "日期：11月20日", "参演人数：80")
		rep = say(yes)
		wants(t, rep, "成功")
		id := reHD.FindString(rep)
		if id == "" {
			t.Fatalf("%q: no record id in %q", yes, rep)
		}
		c, err := ledger.DecodeConfirmation(record(t, s, id))
		if err != nil || c.Date != "2023-11-20" || c.Fields["participants"] != "80" {
			t.Fatalf("%q: %+v %v", yes, c, err)
		}
	}
}

func TestChecklistNaturalCorrections(t *testing.T) {
	s := readingSim(t)
	say := sayer(t, s, "chat_comm_xuetianwan", "worker")
	wants(t, say("今天上午我们社区组织了疏散演练，80人参加"), "参演人数：80")
	wants(t, say("90人"), "已修改", "参演人数：90")
	wants(t, say("改成95人"), "参演人数：95")
	wants(t, say("日期是昨天"), "日期：11月19日")
	wants(t, say("人数不对 应该是99"), "参演人数：99")
	rep := say("确认")
	wants(t, rep, "成功")
	c, err := ledger.DecodeConfirmation(record(t, s, reHD.FindString(rep)))
	if err != nil || c.Date != "2023-11-19" || c.Fields["participants"] != "99" {
		t.Fatalf("%+v %v", c, err)
	}
}

func TestEveryAnswerFillsWhatItContains(t *testing.T) {
	s := readingSim(t)
	say := sayer(t, s, "chat_comm_xuetianwan", "worker")
	say("上报")
	wants(t, say("全员应急疏散演练"), "活动是哪天开展的")
	// The date step answered with the date and the count.
	rep := say("11月3号，80人")
	if strings.Contains(rep, "参演人数是多少") {
		t.Fatalf("the count given with the date was asked again:\n%s", rep)
	}
	say("跳过")
	rep = say("跳过")
	wants(t, rep, "日期：11月3日", "参演人数：80")

	// Optional fields stated in the text are kept: 形式, 地点.
	say = sayer(t, s, "chat_org_ktv_a", "yanhua")
	rep = say("上周五晚上组织员工看了警示片，35人，地点在三楼会议室")
	wants(t, rep, "项目：警示教育（三个一）", "日期：11月17日", "参加人数：35", "形式（警示教育会或警示片）：警示片", "地点：三楼会议室")
}

func TestChecklistSaysWhatTheReadingChose(t *testing.T) {
	s := readingSim(t)
	say := sayer(t, s, "chat_comm_zhongsisilu", "worker")
	rep := say("居民80人，志愿者12人，共92人参加了今天的全员疏散演练")
	wants(t, rep, "参演人数：92", "\n（人数取“共92人”）")
	// A later correction wins, and the note says so.
	say = sayer(t, s, "chat_org_hotel_a", "jinbo")
	rep = say("上周四组织员工搞了消防安全培训 两百人 不对，是90人")
	wants(t, rep, "培训人数：90", "（人数取“是90人”）")
	// Editing the value removes the note.
	rep = say("培训人数 91")
	if strings.Contains(rep, "人数取") {
		t.Fatalf("note kept after an edit:\n%s", rep)
	}
}

func TestAmbiguousTaskIsOneQuestionListingOnlyWhatFits(t *testing.T) {
	s := readingSim(t)
	say := sayer(t, s, "chat_org_school_a", "heping")
	rep := say("昨天开展了消防演练和应急演练，参演120人")
	wants(t, rep, "请回复序号", "1. 疏散演练", "2. 全员应急疏散演练")
	if strings.Contains(rep, "主题宣传活动") || strings.Contains(rep, "3. ") {
		t.Fatalf("the question lists tasks that do not fit:\n%s", rep)
	}
	rep = say("2")
	wants(t, rep, "请核对上报内容", "项目：全员应急疏散演练", "日期：11月19日", "参演人数：120")
}

func TestAnnouncementStartsNoReport(t *testing.T) {
	s := readingSim(t)
	say := sayer(t, s, "chat_comm_xuetianwan", "worker")
	rep := say("明天上午9点社区要搞消防演练，请大家准时参加")
	if strings.Contains(rep, "上报") && strings.Contains(rep, "请核对") || strings.Contains(rep, "哪天开展") {
		t.Fatalf("an announcement started a report:\n%s", rep)
	}
}
