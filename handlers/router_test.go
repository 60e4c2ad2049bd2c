package handlers

import (
	"context"
	"errors"
	"strings"
	"testing"

	"firebot/bot"
	"firebot/store"
)

const (
	commChat = "chat_comm_xuetianwan" // bound to 学田湾社区 (officers zhangsan, lisi)
	office   = "zhujun"               // office staff
	worker   = "wangxiao"             // a grid worker: no roles
)

func TestCommandWords(t *testing.T) {
	h := newHarness(t, "2023-11-06 10:00")
	tests := []struct{ in, want string }{
		{"帮助", "可以帮你"},
		{"/帮助", "可以帮你"},
		{"／帮助", "可以帮你"},
		{"help", "可以帮你"},
		{"HELP", "可以帮你"},
		{"  菜单  ", "可以帮你"},
		{"【进度】", "【学田湾社区】已完成"},
		{"进度！", "【学田湾社区】已完成"},
		{"/进度。", "【学田湾社区】已完成"},
		{"查进度", "【学田湾社区】已完成"},
		{"完成情况", "【学田湾社区】已完成"},
		{"活动", "预防为主，生命至上"},
		{"活动介绍", "学田湾正街59号"},
		{"宣传月", "消防集中宣传活动：11月9日 09:30"},
		{"截止", "〔report〕"},
		{"截止时间", "〔nomination_district〕"},
		{"ddl", "〔nomination_street〕"},
		{"取消", "现在没有正在填写的内容"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			must(t, h.Group(commChat, worker, tc.in), tc.want)
		})
	}
}

func TestUnknownInputSuggests(t *testing.T) {
	h := newHarness(t, "2023-11-06 10:00")
	tests := []struct{ in, want string }{
		{"进渡", "你是不是想：进度"},
		{"帮住", "你是不是想：帮助"},
		{"截至", "截止"},
		{"？？", "发送“帮助”查看全部功能"},
		{"今天天气不错", "没看懂“今天天气不错”"},
		{"11月9日的宣传活动在哪里？", "没看懂"}, // a question, not a report
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			rep := h.Group(commChat, worker, tc.in)
			must(t, rep, tc.want)
			if len(rep.Buttons) == 0 {
				t.Fatalf("no suggestion buttons")
			}
		})
	}
	// An empty mention answers with help, never silence.
	must(t, h.Group(commChat, worker, ""), "可以帮你")
}

func TestRegisterPanics(t *testing.T) {
	run := func(c *Context) (bot.Reply, error) { return c.Reply("x"), nil }
	tests := []struct {
		name string
		cmd  Command
	}{
		{"empty name", Command{Name: " ", Run: run}},
		{"nil run", Command{Name: "统计"}},
		{"duplicate name", Command{Name: "进度", Run: run}},
		{"duplicate word", Command{Name: "统计", Words: []string{"查进度"}, Run: run}},
		{"word taken by a name", Command{Name: "统计", Words: []string{"帮助"}, Run: run}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := New(Options{Config: loadConfig(t)})
			registerCore(r)
			defer func() {
				if recover() == nil {
					t.Fatal("no panic")
				}
			}()
			r.Register(tc.cmd)
		})
	}
}

func TestOfficeCommandRefusedAndAudited(t *testing.T) {
	h := newHarness(t, "2023-11-06 10:00")
	h.r.Register(Command{Name: "统计", Words: []string{"汇总"}, For: OfficeStaff, Help: "全部单位的完成情况",
		Run: func(c *Context) (bot.Reply, error) { return c.Reply("统计结果"), nil }})

	rep := h.Group(commChat, "zhangsan", "统计")
	must(t, rep, "“统计”只有街道工作人员可以使用", "朱君 023-63850029")
	mustNot(t, rep, "统计结果")
	a := h.Audit()
	if len(a) != 1 || a[0].Allowed || a[0].Actor != "zhangsan" || a[0].Action != "command:统计" || a[0].ChatID != commChat {
		t.Fatalf("audit %+v", a)
	}
	must(t, h.Single(office, "/汇总"), "统计结果")

	// 帮助 shows office commands to office staff only.
	mustNot(t, h.Group(commChat, "zhangsan", "帮助"), "统计")
	must(t, h.Single(office, "帮助"), "统计 —— 全部单位的完成情况", "你是街道工作人员")
}

func TestMiddlewareOrder(t *testing.T) {
	h := newHarness(t, "2023-11-06 10:00")
	var order []string
	mw := func(name string) Middleware {
		return func(next Next) Next {
			return func(c *Context) (bot.Reply, error) {
				order = append(order, name+":"+c.Command.Name)
				return next(c)
			}
		}
	}
	h.r.Use(mw("first"), mw("second"))
	h.Group(commChat, worker, "进度")
	if strings.Join(order, ",") != "first:进度,second:进度" {
		t.Fatalf("order %v", order)
	}
}

func TestPanicRollsBack(t *testing.T) {
	h := newHarness(t, "2023-11-06 10:00")
	h.r.Register(Command{Name: "崩溃", Run: func(c *Context) (bot.Reply, error) {
		if err := c.Audit("before-panic", "", true, ""); err != nil {
			return bot.NoReply, err
		}
		panic("boom")
	}})
	m := &bot.Message{Channel: bot.ChannelRobot, Kind: bot.KindText, ChatID: commChat, ChatType: bot.ChatGroup, SenderID: worker, Text: "崩溃"}
	err := h.Store.Update(context.Background(), func(tx store.Tx) error {
		_, err := h.r.Handle(context.Background(), tx, m)
		return err
	})
	if !errors.Is(err, ErrPanic) {
		t.Fatalf("err = %v", err)
	}
	if a := h.Audit(); len(a) != 0 {
		t.Fatalf("audit kept after a panic: %+v", a)
	}
}

func TestEvents(t *testing.T) {
	h := newHarness(t, "2023-11-06 10:00")
	rep := h.Handle(&bot.Message{Kind: bot.KindEvent, Event: bot.EventAddToChat, ChatID: "chat_new", ChatType: bot.ChatGroup, SenderID: worker})
	must(t, rep, "大家好", "本群还没有绑定单位")
	rep = h.Handle(&bot.Message{Kind: bot.KindEvent, Event: bot.EventEnterChat, ChatID: "single_zhangsan", ChatType: bot.ChatSingle, SenderID: "zhangsan"})
	must(t, rep, "可以帮你", "你是学田湾社区的安全员")
	rep = h.Handle(&bot.Message{Kind: bot.KindEvent, Event: bot.EventFeedback, ChatID: "single_zhangsan", ChatType: bot.ChatSingle, SenderID: "zhangsan"})
	if !rep.IsEmpty() {
		t.Fatalf("feedback answered: %+v", rep)
	}
	rep = h.Handle(&bot.Message{Kind: bot.KindFile, ChatID: "single_zhangsan", ChatType: bot.ChatSingle, SenderID: "zhangsan"})
	must(t, rep, "暂时只能处理文字和图片")
}

func TestDeadlines(t *testing.T) {
	h := newHarness(t, "2023-10-26 10:00")
	rep := h.Group(commChat, worker, "截止")
	must(t, rep,
		"最美消防志愿者推荐截止（区）〔nomination_district〕：10月27日 17:00，还剩1天7小时",
		"最美消防志愿者推荐截止（街道）〔nomination_street〕：10月28日，还剩2天13小时",
		"活动信息和图文资料报送截止〔report〕：12月1日",
		"“最美消防志愿者”推荐有2个截止时间", "请按较早的10月27日 17:00准备")
}
