package service_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"firebot/sim"
	"firebot/store"
	"firebot/wecom/fakewecom"
)

// TestDistrictUnitBroadcast: the district's 广播 … 全部单位 reaches every
// unit group of the chosen streets exactly once, only after 确认 and the
// fan-out, as each street's own GB broadcast; units answer 收到 in their
// street and the district's 回执 counts them street by street; unknown
// streets and scopes send nothing; a retried 确认 or fan-out doubles
// nothing; a street's 回执 sees only its own broadcasts.
func TestDistrictUnitBroadcast(t *testing.T) {
	checkUnitBroadcast(t, newDistrict(t))
}

// TestDistrictUnitBroadcastOnRedisCluster: the same with every street's
// slot on its own hash tag of a Redis Cluster.
func TestDistrictUnitBroadcastOnRedisCluster(t *testing.T) {
	checkUnitBroadcast(t, newDistrictOnCluster(t))
}

// flushAll runs the fan-out and delivers every outbox (district and
// streets), returning what reached WeCom since seen.
func (f *districtFixture) flushAll(t *testing.T, seen int) []fakewecom.Recorded {
	t.Helper()
	ctx := context.Background()
	if err := f.d.FanOut(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := f.d.Outbox.DeliverDue(ctx); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"sqs", "jfb", "qxg"} {
		if _, err := f.d.Street(id).Outbox.DeliverDue(ctx); err != nil {
			t.Fatal(err)
		}
	}
	return f.fake.Messages()[seen:]
}

// unitChats are the groups of every unit (sectors too) of the streets.
func (f *districtFixture) unitChats(streets ...string) map[string]int {
	out := map[string]int{}
	for _, id := range streets {
		for _, u := range f.streets[id].Units {
			for _, c := range u.Chats {
				out[c.ID] = 1
			}
		}
	}
	return out
}

// chatsWith counts, per group, the pushes whose body contains want.
func chatsWith(msgs []fakewecom.Recorded, want string) map[string]int {
	got := map[string]int{}
	for _, m := range msgs {
		if strings.Contains(m.Content(), want) {
			for _, c := range m.Chats {
				got[c]++
			}
		}
	}
	return got
}

func checkUnitBroadcast(t *testing.T, f *districtFixture) {
	ctx := context.Background()
	const content = "请各单位于本周五前完成疏散演练并报送"

	// Refused before any preview: nothing is kept, nothing is sent.
	seen := len(f.fake.Messages())
	for _, tc := range []struct{ text, want string }{
		{"广播 解放碑街道、朝天门街道 全部单位 " + content, "没有找到街道：朝天门街道"},
		{"广播 解放碑、朝天门 全部单位 " + content, "没有找到街道：朝天门"},
		{"广播 解放碑街道 学校 " + content, "区级广播不能按“学校”发送"},
		{"广播 解放碑街道 全部单位 医疗机构 " + content, "区级广播不能按“医疗机构”发送"},
		{"广播 解放碑街道 全部单位", "请写上广播的内容"},
	} {
		if got := f.private(t, "qu-zhang", tc.text); !strings.Contains(got, tc.want) {
			t.Errorf("%s: %q, want %q", tc.text, got, tc.want)
		}
		if got := f.private(t, "qu-zhang", "确认"); !strings.Contains(got, "没有等待确认的广播") {
			t.Errorf("确认 after %s: %q", tc.text, got)
		}
	}
	if msgs := f.flushAll(t, seen); len(msgs) != 0 {
		t.Fatalf("refused broadcasts sent %d messages: %s", len(msgs), msgs[0].Body)
	}

	// The preview lists each street's groups and units, and sends nothing.
	preview := f.private(t, "qu-zhang", "广播 解放碑街道、上清寺街道 全部单位 @所有人 "+content)
	jfbGroups, sqsGroups := len(f.unitChats("jfb")), len(f.unitChats("sqs"))
	for _, want := range []string{"【区级广播预览】发给2个街道（解放碑街道、上清寺街道）的全部单位",
		"· 解放碑街道：", "个单位，" + strconv.Itoa(jfbGroups) + "个群", "· 上清寺街道：", "@所有人：是", content, "回复“确认”发送"} {
		if !strings.Contains(preview, want) {
			t.Errorf("preview lacks %q:\n%s", want, preview)
		}
	}
	if strings.Contains(preview, "七星岗街道") {
		t.Errorf("preview names a street not chosen:\n%s", preview)
	}
	if msgs := f.flushAll(t, seen); len(msgs) != 0 {
		t.Fatalf("the preview sent %d messages", len(msgs))
	}

	// 确认 keeps the district's broadcast; the fan-out sends it, once per
	// unit group of the two streets, none of the third's.
	res, err := f.app.SendAppText(ctx, "qu-zhang", "确认")
	if err != nil {
		t.Fatal(err)
	}
	if got := sim.ReplyText(res.Reply); !strings.Contains(got, "区级广播 QB-0001 已确认") {
		t.Fatalf("确认: %q", got)
	}
	if _, err := f.app.Resend(ctx, res); err != nil { // WeCom's retry of the same callback
		t.Fatal(err)
	}
	if got := f.private(t, "qu-zhang", "确认"); !strings.Contains(got, "没有等待确认的广播") {
		t.Errorf("a second 确认: %q", got)
	}
	// Two fan-outs at once (two replicas woken together) send it once.
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			if err := f.d.FanOut(ctx); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	msgs := f.flushAll(t, seen)
	got := chatsWith(msgs, "【渝中区通知】\n"+content)
	want := f.unitChats("jfb", "sqs")
	if !maps.Equal(got, want) {
		t.Errorf("the broadcast reached %v, want each of %d+%d unit groups once: %v", got, jfbGroups, sqsGroups, want)
	}
	for c := range got {
		if strings.HasPrefix(c, "qxg-") || strings.HasSuffix(c, "chat_office") {
			t.Errorf("the unit broadcast reached %s", c)
		}
	}
	for _, m := range msgs {
		if strings.Contains(string(m.Body), content) && len(m.Chats) > 0 && !strings.Contains(string(m.Body), "@all") {
			t.Errorf("@所有人 not kept in %s", m.Body)
			break
		}
	}

	// A fan-out run again, even one that lost what it had recorded (a
	// replica killed after 解放碑街道's unit of work), doubles nothing.
	forget(t, f, "QB-0001", "jfb")
	if msgs := f.flushAll(t, len(f.fake.Messages())); len(chatsWith(msgs, content)) != 0 {
		t.Errorf("a fan-out run again sent %d more", len(msgs))
	}

	// Each street has its own GB id (taken in its slot: on Redis, two
	// fan-outs racing may leave a gap in a street's numbering).
	gb := sentIDs(t, f, "QB-0001")
	if len(gb) != 2 || gb["jfb"] == "" || gb["sqs"] == "" {
		t.Fatalf("the district recorded %v, want a GB id for jfb and sqs", gb)
	}

	// Units acknowledge in their own street's group.
	for _, s := range []string{"jfb", "sqs"} {
		if got := f.say(t, s+"-chat_comm_xuetianwan", s+"-zhangsan", "收到"); !strings.Contains(got, "已登记回执："+gb[s]+"（学田湾社区）") {
			t.Errorf("收到 in %s: %q", s, got)
		}
	}
	if got := f.say(t, "jfb-chat_comm_niujiaotuo", "jfb-wangwu", "收到"); !strings.Contains(got, "已登记回执") {
		t.Errorf("收到 in jfb's second group: %q", got)
	}

	// The district's 回执 reads each street's acknowledgements.
	for _, ask := range []string{"回执", "回执 QB-1"} {
		got := f.private(t, "qu-zhang", ask)
		for _, want := range []string{"【区级广播回执】QB-0001（11月20日 10:00 发出，2个街道的全部单位）", "已回执3/", "解放碑街道 " + gb["jfb"] + "：已回执2/", "上清寺街道 " + gb["sqs"] + "：已回执1/", "未回执："} {
			if !strings.Contains(got, want) {
				t.Errorf("%s lacks %q:\n%s", ask, want, got)
			}
		}
		if strings.Contains(got, "七星岗街道") {
			t.Errorf("%s names a street not broadcast to:\n%s", ask, got)
		}
		if i := strings.Index(got, "上清寺街道 "+gb["sqs"]); i < 0 || strings.Contains(got[i:], "· 牛角沱社区") {
			// 牛角沱社区 acknowledged in 解放碑街道 only.
			t.Errorf("%s: 上清寺街道's silent units wrong:\n%s", ask, got)
		}
	}
	if got := f.private(t, "qu-zhang", "回执 QB-0009"); !strings.Contains(got, "没有找到区级广播 QB-0009") {
		t.Errorf("回执 of an unknown id: %q", got)
	}

	// A street's 回执 sees its own broadcasts only.
	if got := f.private(t, "qxg-zhujun", "回执"); !strings.Contains(got, "还没有发过广播") {
		t.Errorf("七星岗街道's 回执: %q", got)
	}
	got2 := f.private(t, "jfb-zhujun", "回执 "+gb["jfb"])
	if !strings.Contains(got2, "已回执2/") || strings.Contains(got2, "上清寺街道消防站") {
		t.Errorf("解放碑街道's 回执 %s:\n%s", gb["jfb"], got2)
	}
	if got := f.private(t, "jfb-zhujun", "回执"); strings.Count(got, "\n· GB-") != 1 {
		t.Errorf("解放碑街道's broadcasts are not just the district's one:\n%s", got)
	}
	checkDistrictChase(t, f, gb)
}

// checkDistrictChase: 回执 QB-… 催 reminds, in each street, the groups of
// the units that have not acknowledged, once, even when WeCom resends the
// callback; acknowledged groups and other streets get nothing.
func checkDistrictChase(t *testing.T, f *districtFixture, gb map[string]string) {
	ctx := context.Background()
	if got := f.private(t, "qu-zhang", "回执 催"); !strings.Contains(got, "请写明要提醒哪条区级广播") {
		t.Errorf("回执 催 without an id: %q", got)
	}
	seen := len(f.fake.Messages())
	res, err := f.app.SendAppText(ctx, "qu-zhang", "回执 QB-0001 催")
	if err != nil {
		t.Fatal(err)
	}
	got := sim.ReplyText(res.Reply)
	for _, want := range []string{"【区级广播回执提醒】QB-0001：已向", "· 解放碑街道 " + gb["jfb"] + "：再次发给", "· 上清寺街道 " + gb["sqs"] + "：再次发给"} {
		if !strings.Contains(got, want) {
			t.Errorf("回执 催 lacks %q:\n%s", want, got)
		}
	}
	if _, err := f.app.Resend(ctx, res); err != nil { // WeCom's retry of the same callback
		t.Fatal(err)
	}
	reminded := chatsWith(f.flushAll(t, seen), "【回执提醒】")
	if !strings.Contains(got, fmt.Sprintf("已向%d个群再次发送提醒", len(reminded))) {
		t.Errorf("the reply counts other groups than the %d reminded:\n%s", len(reminded), got)
	}
	streets := map[string]int{}
	for c, n := range reminded {
		if n != 1 {
			t.Errorf("%s reminded %d times", c, n)
		}
		switch c {
		case "jfb-chat_comm_xuetianwan", "jfb-chat_comm_niujiaotuo", "sqs-chat_comm_xuetianwan":
			t.Errorf("%s acknowledged, and was reminded", c)
		}
		street, _, _ := strings.Cut(c, "-")
		streets[street]++
	}
	if streets["jfb"] == 0 || streets["sqs"] == 0 || streets["qxg"] != 0 {
		t.Errorf("reminded groups by street %v, want jfb and sqs only", streets)
	}
	// The street sees the round on its own broadcast.
	if got := f.private(t, "jfb-zhujun", "回执 "+gb["jfb"]); !strings.Contains(got, "已回执2/") {
		t.Errorf("解放碑街道's 回执 after the district's reminder:\n%s", got)
	}
}

// sentIDs is what the district's slot recorded of broadcast id: each
// street's GB id.
func sentIDs(t *testing.T, f *districtFixture, id string) map[string]string {
	t.Helper()
	var rec struct{ Sent map[string]string }
	if err := f.d.Store.View(context.Background(), func(tx store.Tx) error {
		return store.GetJSON(tx, "district_unit_broadcast", id, &rec)
	}); err != nil {
		t.Fatal(err)
	}
	return rec.Sent
}

// forget removes street from what the district's slot recorded of
// broadcast id and marks it due again, as if the fan-out had died after
// the street's unit of work and before recording it.
func forget(t *testing.T, f *districtFixture, id, street string) {
	t.Helper()
	err := f.d.Store.Update(context.Background(), func(tx store.Tx) error {
		var rec map[string]json.RawMessage
		if err := store.GetJSON(tx, "district_unit_broadcast", id, &rec); err != nil {
			return err
		}
		var sent map[string]string
		if err := json.Unmarshal(rec["sent"], &sent); err != nil {
			return err
		}
		if _, ok := sent[street]; !ok {
			t.Errorf("%s: street %s not recorded: %v", id, street, slices.Collect(maps.Keys(sent)))
		}
		delete(sent, street)
		b, err := json.Marshal(sent)
		if err != nil {
			return err
		}
		rec["sent"] = b
		if err := store.PutJSON(tx, "district_unit_broadcast", id, rec); err != nil {
			return err
		}
		return tx.Put("district_unit_broadcast_due", id, nil)
	})
	if err != nil {
		t.Fatal(err)
	}
}
