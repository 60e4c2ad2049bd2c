package nominate

import (
	"strings"
	"testing"

	"firebot/handlers"
	"firebot/handlers/flowtest"
)

// Table tests for the nomination's steps and its flow, without I/O
// (handlers/flowtest).

func TestNominationSteps(t *testing.T) {
	e := flowtest.Env(t, "2023-10-26 10:00", "comm_xuetianwan")
	flowtest.RunSteps(t, e, newNominateFlow(), "kind", []flowtest.StepCase{
		{Name: "individual", In: "个人", Done: true, Want: map[string]string{"kind": "个人"}},
		{Name: "number", In: "2", Done: true, Want: map[string]string{"kind": "集体"}},
		{Name: "other", In: "团队", Msg: "请回复“个人”或“集体”"},
	})
	flowtest.RunSteps(t, e, newNominateFlow(), "name", []flowtest.StepCase{
		{Name: "ok", In: "李梅", Done: true, Want: map[string]string{"name": "李梅"}},
		{Name: "empty", In: "  ", Msg: "请填写姓名"},
		{Name: "too long", In: strings.Repeat("名", 51), Msg: "姓名最多50字，现在有51字"},
	})
	flowtest.RunSteps(t, e, newNominateFlow(), "affiliation", []flowtest.StepCase{
		{Name: "ok", In: "学田湾社区居委会", Done: true, Want: map[string]string{"affiliation": "学田湾社区居委会"}},
		{Name: "empty", In: "", Msg: "请填写工作单位"},
		{Name: "too long", In: strings.Repeat("单", 101), Msg: "工作单位最多100字，现在有101字"},
	})
	flowtest.RunSteps(t, e, newNominateFlow(), "years", []flowtest.StepCase{
		{Name: "digits", In: "3", Done: true, Want: map[string]string{"years": "3"}},
		{Name: "with 年", In: "3年", Done: true, Want: map[string]string{"years": "3"}},
		{Name: "chinese", In: "五年多", Done: true, Want: map[string]string{"years": "5"}},
		{Name: "under the minimum", In: "1", Done: true, Msg: "原则上应从事消防公益服务2年以上，1年不足2年", Want: map[string]string{"years": "1"}},
		{Name: "less than a year", In: "不到一年", Done: true, Want: map[string]string{"years": "0"}},
		{Name: "enough clears reason", Values: map[string]string{"reason": "旧理由"}, In: "4", Done: true, Want: map[string]string{"reason": ""}},
		{Name: "implausible", In: "100", Msg: "100年不太可能"},
		{Name: "words", In: "很久了", Msg: "请回复从事消防公益服务的整年数"},
	})
	flowtest.RunSteps(t, e, newNominateFlow(), "reason", []flowtest.StepCase{
		{Name: "ok", In: "虽然只有一年，但带动了全社区。", Done: true},
		{Name: "too short", In: "很好", Msg: "理由至少5字"},
		{Name: "too long", In: strings.Repeat("理", 201), Msg: "理由最多200字，现在有201字"},
	})
	flowtest.RunSteps(t, e, newNominateFlow(), "scope", []flowtest.StepCase{
		{Name: "number", In: "2", Done: true, Want: map[string]string{"scope": "2"}},
		{Name: "label prefix", In: "科研", Done: true, Want: map[string]string{"scope": "3"}},
		{Name: "out of range", In: "9", Msg: "没有第 9 项"},
	})
	flowtest.RunSteps(t, e, newNominateFlow(), "phone", []flowtest.StepCase{
		{Name: "mobile", In: "138 1234 5678", Done: true, Want: map[string]string{"phone": "13812345678"}},
		{Name: "landline", In: "(023)63850029", Done: true, Want: map[string]string{"phone": "023-63850029"}},
		{Name: "bad", In: "12345", Msg: "手机号应为 11 位数字"},
		{Name: "letters", In: "abc", Msg: "电话"},
	})
}

func TestDeedsStep(t *testing.T) {
	e := flowtest.Env(t, "2023-10-26 10:00", "comm_xuetianwan")
	k1000 := strings.Repeat("事", 1000)
	k1001 := strings.Repeat("事", 1001)
	spaced := strings.Repeat("事 \n\u3000", 1000) // whitespace does not count
	flowtest.RunSteps(t, e, newNominateFlow(), "deeds", []flowtest.StepCase{
		{Name: "first message", In: "李梅长期参与社区消防宣传。", Msg: "已收到第1段（13字），事迹材料目前共13字", Want: map[string]string{"deeds": "李梅长期参与社区消防宣传。"}},
		{Name: "appends", Values: map[string]string{"deeds": "第一段内容。"}, In: "第二段内容。", Msg: "已收到第2段（6字），事迹材料目前共12字", Want: map[string]string{"deeds": "第一段内容。\n第二段内容。"}},
		{Name: "continue", Values: map[string]string{"deeds": "第一段内容。"}, In: "继续", Msg: "请接着发送"},
		{Name: "1000 accepted", Values: map[string]string{"deeds": k1000}, In: "完成", Done: true, Msg: "1000字，已收下"},
		{Name: "1000 in one message", In: k1000, Msg: "目前共1000字"},
		{Name: "1001 refused and kept", In: k1001, Msg: "现在1段共1001字，超出1字", Want: map[string]string{"deeds": k1001}},
		{Name: "over by appending", Values: map[string]string{"deeds": k1000}, In: "多多", Msg: "现在2段共1002字",
			Want: map[string]string{"deeds": k1000 + "\n多多", deedsPartsKey: `["` + k1000 + `","多多"]`}},
		{Name: "done while over", Values: map[string]string{"deeds": k1001}, In: "完成", Msg: "现在1段共1001字"},
		{Name: "confirm is asked about", Values: map[string]string{"deeds": "第一段内容。"}, In: "确认", Msg: "还在填写事迹材料", Want: map[string]string{"deeds": "第一段内容。"}},
		{Name: "continue while over", Values: map[string]string{"deeds": k1001}, In: "继续", Msg: "它会替换上面全部1段"},
		{Name: "replacement after refusal", Values: map[string]string{"deeds": k1001}, In: "精简后的事迹，共十二个字。", Msg: "已用这条消息替换原来的全部1段事迹",
			Want: map[string]string{"deeds": "精简后的事迹，共十二个字。"}},
		{Name: "replacement still over", Values: map[string]string{"deeds": k1001}, In: k1001 + "多", Msg: "仍超过上限1000字，没有替换", Want: map[string]string{"deeds": k1001}},
		{Name: "drop a part", Values: map[string]string{deedsPartsKey: `["` + k1000 + `","多多"]`, "deeds": k1000 + "\n多多"}, In: "删除第2段", Msg: "已删除第2段（2字）",
			Want: map[string]string{"deeds": k1000}},
		{Name: "question asked about", Values: map[string]string{"deeds": "第一段内容。"}, In: "截止是哪天？", Msg: "看起来是一个问题",
			Want: map[string]string{"deeds": "第一段内容。", deedsPendingKey: "截止是哪天？"}},
		{Name: "sentence starting with a command word appended", Values: map[string]string{"deeds": "第一段内容。"}, In: "报告厅里她讲了一堂消防安全课。", Msg: "已收到第2段"},
		{Name: "phone asked about", Values: map[string]string{"deeds": "第一段内容。"}, In: "13812345678", Msg: "电话号码", Want: map[string]string{"deeds": "第一段内容。"}},
		{Name: "added after asking", Values: map[string]string{"deeds": "第一段内容。", deedsPendingKey: "她还好吗？"}, In: "加入", Msg: "已收到第2段",
			Want: map[string]string{"deeds": "第一段内容。\n她还好吗？", deedsPendingKey: ""}},
		{Name: "label typed in the step replaces", Values: map[string]string{"deeds": "第一段内容。"}, In: "事迹：" + k1000, Msg: "替换原来的全部1段",
			Want: map[string]string{"deeds": k1000}},
		{Name: "whitespace not counted", In: spaced, Msg: "目前共1000字"},
		{Name: "empty done", In: "完成", Msg: "还没有收到事迹材料"},
		{Name: "too short", Values: map[string]string{"deeds": "很好"}, In: "完成", Msg: "只有2字，太短了"},
		{Name: "edit replaces", Values: map[string]string{"deeds": "旧的事迹旧的事迹旧的事迹"}, In: "新的事迹新的事迹新的事迹", Edit: true, Done: true,
			Want: map[string]string{"deeds": "新的事迹新的事迹新的事迹"}},
	})
	group := *e
	group.Group = true
	flowtest.RunSteps(t, &group, newNominateFlow(), "deeds", []flowtest.StepCase{
		{Name: "group shows a preview", In: strings.Repeat("长", 1200), Msg: "第1段：1200字（长长长长长长长长长长长长…）"},
	})
}

func TestEngineNomination(t *testing.T) {
	e := flowtest.Env(t, "2023-10-26 10:00", "comm_xuetianwan")
	f := newNominateFlow()
	s0 := handlers.State{Units: []string{"comm_xuetianwan"}, Unit: "comm_xuetianwan", Done: map[string]bool{"unit": true}}
	deeds := "李梅同志多年来坚持参与社区消防宣传。"
	s, tr := flowtest.Drive(t, f, e, s0, "个人", "李梅", "学田湾社区居委会", "1")
	if s.Step != "reason" || !strings.Contains(tr.Text, "1年不足2年") {
		t.Fatalf("under years: step %q: %s", s.Step, tr.Text)
	}
	s, tr = flowtest.Drive(t, f, e, s0, "个人", "李梅", "学田湾社区居委会", "1", "带动了全社区参与消防宣传。", "2", deeds, "完成", "13812345678")
	if s.Step != handlers.StepSummary {
		t.Fatalf("step %q: %s", s.Step, tr.Text)
	}
	for _, w := range []string{"类型：个人", "姓名：李梅", "服务年限：1年（不足2年）", "不足年限的理由：带动了全社区参与消防宣传。", "推荐范围：2. 宣传教育培训", "联系电话：13812345678", deeds} {
		if !strings.Contains(tr.Text, w) {
			t.Fatalf("summary lacks %q:\n%s", w, tr.Text)
		}
	}
	// Raising the years drops the reason from the dialog.
	s2, tr := f.Next(e, s, handlers.Input{Text: "年限 3"})
	if s2.Step != handlers.StepSummary || strings.Contains(tr.Text, "理由") || data(&s2).Reason != "" {
		t.Fatalf("years 3: step %q reason %q:\n%s", s2.Step, data(&s2).Reason, tr.Text)
	}
	// Lowering them asks for a reason before the summary.
	s3, tr := f.Next(e, s2, handlers.Input{Text: "年限 0"})
	if s3.Step != "reason" {
		t.Fatalf("years 0: step %q:\n%s", s3.Step, tr.Text)
	}
	// Phone on the summary, masked in a group.
	g := *e
	g.Group = true
	_, tr = f.Next(&g, s, handlers.Input{Text: "电话 13900001111"})
	if !strings.Contains(tr.Text, "联系电话：139****1111") || strings.Contains(tr.Text, "13900001111") {
		t.Fatalf("group summary phone:\n%s", tr.Text)
	}
	_, tr = f.Next(e, s, handlers.Input{Text: "电话 123"})
	if !strings.Contains(tr.Text, "手机号应为 11 位数字") {
		t.Fatalf("bad phone Edit:\n%s", tr.Text)
	}
	_, tr = f.Next(e, s, handlers.Input{Text: "事迹 " + strings.Repeat("长", 1001)})
	if !strings.Contains(tr.Text, "这次发来的有1001字，没有修改") {
		t.Fatalf("long deeds Edit:\n%s", handlers.Clip(tr.Text, 200))
	}
	// Only the text after the label counts: 1000 characters are taken.
	s4, tr := f.Next(e, s, handlers.Input{Text: "事迹 " + strings.Repeat("长", 1000)})
	if s4.Step != handlers.StepSummary || data(&s4).Deeds != strings.Repeat("长", 1000) || !strings.Contains(tr.Text, "已修改“事迹材料”") {
		t.Fatalf("1000 deeds Edit: step %q:\n%s", s4.Step, handlers.Clip(tr.Text, 200))
	}
}
