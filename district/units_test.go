package district_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"firebot/bot"
	"firebot/campaign"
	"firebot/district"
	"firebot/store"
)

// fakeUnits is each street's broadcast machinery as the district sees
// it: Send keeps one GB id per district broadcast and street, like the
// service's; a street in down fails.
type fakeUnits struct {
	mu    sync.Mutex
	reach map[string]district.Reach
	sent  map[string]string // street/QB id → GB id
	sends map[string]int    // street → calls that sent
	down  map[string]bool
	// reminds counts Remind calls by street/key, and the rounds they
	// sent by street/GB id.
	reminds map[string]int
}

func (u *fakeUnits) Reach(_ context.Context, street string) (district.Reach, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.down[street] {
		return district.Reach{}, store.ErrUnavailable
	}
	return u.reach[street], nil
}

func (u *fakeUnits) Send(_ context.Context, street string, b district.UnitBroadcast) (string, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.down[street] {
		return "", store.ErrUnavailable
	}
	if id, ok := u.sent[street+"/"+b.ID]; ok {
		return id, nil
	}
	id := ""
	if u.reach[street].Groups > 0 {
		id = fmt.Sprintf("GB-%04d", len(u.sent)+1)
	}
	u.sent[street+"/"+b.ID] = id
	u.sends[street]++
	return id, nil
}

func (u *fakeUnits) Remind(_ context.Context, street, id, key, by string) (district.Reminded, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.down[street] {
		return district.Reminded{}, store.ErrUnavailable
	}
	if u.reminds == nil {
		u.reminds = map[string]int{}
	}
	if u.reminds[street+"/"+key] == 0 {
		u.reminds[street+"/"+id]++ // rounds of the street's broadcast
	}
	u.reminds[street+"/"+key]++
	return district.Reminded{Chats: 1, Silent: 1}, nil
}

func (u *fakeUnits) ReadBack(_ context.Context, street, id string) (district.ReadBack, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.down[street] {
		return district.ReadBack{}, store.ErrUnavailable
	}
	return district.ReadBack{Acked: []string{street + "一社区"}, Silent: []string{street + "二社区"}, Sent: u.reach[street].Groups}, nil
}

// TestUnitBroadcastStreetByStreet: a unit broadcast is previewed per
// street (read in Prepare), kept in the district's slot on 确认 and sent by
// FanOut street by street: a street that fails is left for the next run,
// which sends it alone; no street is sent twice; 回执 lists each street's
// GB id. An unreadable street refuses the preview.
func TestUnitBroadcastStreetByStreet(t *testing.T) {
	ctx := context.Background()
	own := street(t, nil, nil)
	units := &fakeUnits{
		reach: map[string]district.Reach{"jfb": {Units: 3, Groups: 2, Direct: 1}, "qxg": {Units: 2, Groups: 2}, "sqs": {Units: 1, Missed: 1}},
		sent:  map[string]string{}, sends: map[string]int{}, down: map[string]bool{},
	}
	desk := &district.Desk{Name: "渝中区", Staff: map[string]bool{"qu": true}, Store: own, Units: units, Streets: []district.Street{
		{ID: "jfb", Name: "解放碑街道", Campaign: camp}, {ID: "qxg", Name: "七星岗街道", Campaign: camp}, {ID: "sqs", Name: "上清寺街道", Campaign: camp},
	}}
	n := 0
	say := func(text string) string {
		t.Helper()
		n++
		return handle(t, desk, own, text, fmt.Sprint(n))
	}

	units.down["qxg"] = true
	if got := say("广播 全部单位 请周五前报送"); !strings.Contains(got, "七星岗街道") || !strings.Contains(got, "暂时读不到") {
		t.Errorf("preview with an unreadable street: %q", got)
	}
	if got := say("确认"); !strings.Contains(got, "没有等待确认的广播") {
		t.Errorf("确认 after a refused preview: %q", got)
	}
	units.down["qxg"] = false
	if got := say("广播 上清寺街道 全部单位 请周五前报送"); !strings.Contains(got, "都没有能收到广播的单位") {
		t.Errorf("preview of a street nobody can receive: %q", got)
	}

	got := say("广播 解放碑、七星岗、上清寺 全部单位 请周五前报送")
	for _, want := range []string{"发给3个街道（解放碑街道、七星岗街道、上清寺街道）的全部单位：共6个单位，4个群",
		"· 解放碑街道：3个单位，2个群，1个单位没有群", "· 上清寺街道：1个单位，0个群，1个单位没有群也没有安全员、收不到（没有能收到的单位，不会发送）"} {
		if !strings.Contains(got, want) {
			t.Errorf("preview lacks %q:\n%s", want, got)
		}
	}
	if got := say("确认"); !strings.Contains(got, "区级广播 QB-0001 已确认") {
		t.Fatalf("确认: %q", got)
	}
	if len(units.sends) != 0 {
		t.Fatalf("确认 sent before the fan-out: %v", units.sends)
	}

	units.down["qxg"] = true
	if err := desk.FanOut(ctx); err == nil || !strings.Contains(err.Error(), "qxg") {
		t.Errorf("fan-out with a street down: %v", err)
	}
	if got := say("回执"); !strings.Contains(got, "· 解放碑街道 GB-0001：已回执1/2个单位") || !strings.Contains(got, "· 七星岗街道：正在发送") ||
		!strings.Contains(got, "· 上清寺街道：没有能收到的单位") {
		t.Errorf("回执 while one street is missing:\n%s", got)
	}
	units.down["qxg"] = false
	for range 2 {
		if err := desk.FanOut(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if want := map[string]int{"jfb": 1, "qxg": 1, "sqs": 1}; fmt.Sprint(units.sends) != fmt.Sprint(want) {
		t.Errorf("sends %v, want %v", units.sends, want)
	}
	got = say("回执 qb-1")
	for _, want := range []string{"【区级广播回执】QB-0001", "已回执2/4个单位", "· 七星岗街道 GB-0003：已回执1/2个单位", "未回执：qxg二社区"} {
		if !strings.Contains(got, want) {
			t.Errorf("回执 lacks %q:\n%s", want, got)
		}
	}
	if got := say("回执 QB-0002"); !strings.Contains(got, "没有找到区级广播 QB-0002") {
		t.Errorf("回执 of an unknown id: %q", got)
	}
	// 回执 … 催 names the broadcast to chase, never the latest by default;
	// each street reached is reminded once per message, a street down is
	// said and the others are reminded all the same.
	if got := say("回执 催"); !strings.Contains(got, "请写明要提醒哪条区级广播") {
		t.Errorf("回执 催 without an id: %q", got)
	}
	units.down["qxg"] = true
	got = handle(t, desk, own, "回执 QB-0001 催", "chase-1")
	for _, want := range []string{"【区级广播回执提醒】QB-0001：已向1个群再次发送提醒", "· 解放碑街道 GB-0001：再次发给1个群",
		"· 七星岗街道 GB-0003：数据暂时读不到，没有提醒", "· 上清寺街道：没有能收到的单位，没有提醒", "有1个街道暂时读不到"} {
		if !strings.Contains(got, want) {
			t.Errorf("回执 催 lacks %q:\n%s", want, got)
		}
	}
	units.down["qxg"] = false
	handle(t, desk, own, "回执 QB-0001 催", "chase-1") // the same callback again
	if n := units.reminds["jfb/GB-0001"]; n != 1 {
		t.Errorf("解放碑街道 reminded %d times by one message, want 1", n)
	}
	if n := units.reminds["qxg/GB-0003"]; n != 1 {
		t.Errorf("七星岗街道 reminded %d times once it could be read, want 1", n)
	}
	if got := say("回执 QB-0009 催"); !strings.Contains(got, "没有找到区级广播 QB-0009") {
		t.Errorf("回执 催 of an unknown id: %q", got)
	}

	// Nothing is due any more: another run reads nothing from the streets.
	units.down["jfb"], units.down["qxg"] = true, true
	if err := desk.FanOut(ctx); err != nil {
		t.Errorf("fan-out with nothing due: %v", err)
	}
}

// TestUnitBroadcastWords: the office-chat broadcast is unchanged; scopes
// the district cannot send to refuse; 全部单位 without streets is every
// street's units.
func TestUnitBroadcastWords(t *testing.T) {
	own := street(t, nil, nil)
	units := &fakeUnits{reach: map[string]district.Reach{"jfb": {Units: 1, Groups: 1}, "qxg": {Units: 1, Groups: 1}},
		sent: map[string]string{}, sends: map[string]int{}, down: map[string]bool{}}
	desk := &district.Desk{Name: "渝中区", Staff: map[string]bool{"qu": true}, Store: own, Units: units, Streets: []district.Street{
		{ID: "jfb", Name: "解放碑街道", Campaign: camp, OfficeChats: []campaign.Chat{{ID: "jfb-office"}}},
		{ID: "qxg", Name: "七星岗街道", Campaign: camp, OfficeChats: []campaign.Chat{{ID: "qxg-office"}}},
	}}
	for _, tc := range []struct{ text, want string }{
		{"广播 请各街道于11月30日前完成汇总报送", "【广播预览】将发给2个街道（解放碑街道、七星岗街道）的2个工作群"},
		{"广播 解放碑街道 请汇总", "【广播预览】将发给1个街道（解放碑街道）的1个工作群"},
		{"广播 全部单位 请汇总", "【区级广播预览】发给2个街道（解放碑街道、七星岗街道）的全部单位"},
		{"广播 七星岗 全部单位 @所有人 回执 请汇总", "@所有人：是"},
		{"广播 社区 请汇总", "区级广播不能按“社区”发送"},
		{"广播 解放碑街道 全部 请汇总", "区级广播不能按“全部”发送"},
		{"广播 解放碑街道 重点单位 请汇总", "区级广播不能按“重点单位”发送"},
		{"广播 解放碑街道、朝天门街道 全部单位 请汇总", "没有找到街道：朝天门街道"},
	} {
		if got := handle(t, desk, own, tc.text, tc.text); !strings.Contains(got, tc.want) {
			t.Errorf("%s: %q, want %q", tc.text, got, tc.want)
		}
	}
	if len(units.sends) != 0 {
		t.Errorf("previews sent: %v", units.sends)
	}
}

// handle prepares text from district staff and answers it in the
// district's slot own, as the service does.
func handle(t *testing.T, desk *district.Desk, own store.Store, text, key string) string {
	t.Helper()
	ctx := context.Background()
	m := &bot.Message{Kind: bot.KindText, Text: text, SenderID: "qu", ChatID: "qu", DedupeKey: key}
	p, err := desk.Prepare(ctx, m)
	if err != nil {
		t.Fatal(err)
	}
	m.Prepared = p
	var rep bot.Reply
	if err := own.Update(ctx, func(tx store.Tx) error {
		var err error
		rep, err = desk.Handle(ctx, tx, m)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return rep.Text
}
