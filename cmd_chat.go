package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"time"

	"firebot/campaign"
	"firebot/clock"
	"firebot/config"
	"firebot/sim"
	"firebot/store/embedded"
)

func init() {
	register(&command{
		name:    "chat",
		args:    "-config FILE [-street 街道id] [-as 用户] [-in 群或单位] [-now 时间] [-store 路径]",
		summary: "在终端里模拟企业微信聊天，试用 firebot（无需企业微信）",
		run:     runChat,
	})
}

func runChat(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newCmdFlags("chat", stderr, true)
	as := fs.String("as", "", "以哪个企业微信用户的身份说话（默认：第一个社区的安全员）")
	in := fs.String("in", "", "在哪个群说话：群 ID 或单位名称；“私聊”表示和机器人单聊")
	nowText := fs.String("now", "", "活动时钟的起点（默认：通知发布当天 09:00）")
	storePath := fs.String("store", "", "演练数据文件（默认：临时文件，退出即删除）；不能是正式数据")
	fs.withStreet()
	if code, ok := fs.parseNone(args); !ok {
		return code
	}
	t, code, ok := fs.loadTarget(false)
	if !ok {
		return code
	}
	// In a district, the simulator runs the street alone, as its own file.
	cfg := t.street.Config
	start := cfg.Campaign.Announced.Add(9 * time.Hour)
	if *nowText != "" {
		var err error
		if start, _, err = campaign.ParseTime(*nowText, cfg.Location, campaign.StartOfDay); err != nil {
			fmt.Fprintf(stderr, "firebot chat：无法解析 -now %q\n", *nowText)
			return 2
		}
	}
	dir, err := os.MkdirTemp("", "firebot-chat-")
	if err != nil {
		fmt.Fprintln(stderr, "firebot chat：", err)
		return 1
	}
	defer os.RemoveAll(dir)
	opts := sim.Options{Config: cfg, Dir: dir, Campaign: clock.NewFake(start)}
	if *storePath != "" {
		st, err := embedded.Open(*storePath, embedded.Options{})
		if err != nil {
			fmt.Fprintln(stderr, "firebot chat：", err)
			return 1
		}
		opts.Store = st
	}
	s, err := sim.New(ctx, opts)
	if err != nil {
		fmt.Fprintln(stderr, "firebot chat：", err)
		return 1
	}
	defer s.Close()
	c := &chatSession{sim: s, cfg: s.Config, clock: opts.Campaign.(*clock.Fake), out: stdout}
	c.user, c.chat, c.group = c.defaults()
	if *as != "" {
		c.user = *as
	}
	if *in != "" {
		if msg := c.moveTo(*in); msg != "" {
			fmt.Fprintln(stderr, "firebot chat：", msg)
			return 2
		}
	}
	defer func() {
		if c.photos != nil {
			c.photos.Close()
		}
	}()
	interactive := isTerminal(os.Stdin)
	c.hint()
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for {
		if interactive {
			fmt.Fprintf(stdout, "%s@%s> ", c.user, c.where())
		}
		if !sc.Scan() {
			break
		}
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		if !interactive {
			fmt.Fprintf(stdout, "%s@%s> %s\n", c.user, c.where(), line)
		}
		if line == ":quit" || line == ":q" {
			break
		}
		c.step(ctx, line)
	}
	return 0
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// chatSession is one person typing into the simulator.
type chatSession struct {
	sim     *sim.Sim
	cfg     *config.Config
	clock   *clock.Fake
	out     io.Writer
	user    string
	chat    string
	group   bool
	buttons []string
	photos  *httptest.Server
}

func (c *chatSession) defaults() (user, chat string, group bool) {
	for _, u := range c.cfg.Units {
		if u.Kind == campaign.KindCommunity && len(u.Officers) > 0 && len(u.Chats) > 0 {
			return u.Officers[0], u.Chats[0].ID, true
		}
	}
	if len(c.cfg.Access.OfficeUsers) > 0 {
		return c.cfg.Access.OfficeUsers[0], sim.PrivateChat(c.cfg.Access.OfficeUsers[0]), false
	}
	return "user", sim.PrivateChat("user"), false
}

func (c *chatSession) where() string {
	if !c.group {
		return "私聊"
	}
	for _, u := range c.cfg.Units {
		for _, ch := range u.Chats {
			if ch.ID == c.chat {
				return u.Name + "群"
			}
		}
	}
	return c.chat
}

func (c *chatSession) hint() {
	fmt.Fprintf(c.out, "firebot 聊天模拟器｜活动时钟 %s｜你是 %s，在 %s\n",
		c.clock.Now().In(c.cfg.Location).Format("2006-01-02 15:04"), c.user, c.where())
	fmt.Fprintln(c.out, "直接输入消息和机器人对话（群里自动 @机器人），例如：帮助、活动、截止、上报、推荐、进度。")
	fmt.Fprintln(c.out, "以冒号开头的是模拟器命令，:help 查看全部，:quit 退出。")
}

func (c *chatSession) help() {
	fmt.Fprint(c.out, `模拟器命令：
  :as <用户>          换一个人说话（企业微信用户 ID，例如 zhujun）
  :in <群或单位>      换到某个群（群 ID 或单位名称）；:in 私聊 表示和机器人单聊
  :time +2d           活动时钟前进（+30m、+2h、+2d）；途中到期的提醒按顺序发出
  :time 2023-11-09 08:00   活动时钟跳到某个时间
  :click <按钮>       点击上一条回复里的按钮（序号或按钮文字）
  :photo <文件>       私聊发送一张图片
  :pushes             立即投递并显示待发的推送
  :quit               退出
`)
}

// moveTo switches the chat; it returns a message when the target is unknown.
func (c *chatSession) moveTo(target string) string {
	if target == "私聊" || target == "single" {
		c.chat, c.group = sim.PrivateChat(c.user), false
		return ""
	}
	for _, u := range c.cfg.Units {
		if u.ID == target || u.Name == target {
			if len(u.Chats) == 0 {
				return fmt.Sprintf("%s 没有配置群聊", u.Name)
			}
			c.chat, c.group = u.Chats[0].ID, true
			return ""
		}
		for _, ch := range u.Chats {
			if ch.ID == target {
				c.chat, c.group = ch.ID, true
				return ""
			}
		}
	}
	for _, ch := range c.cfg.Access.OfficeChats {
		if ch.ID == target {
			c.chat, c.group = ch.ID, true
			return ""
		}
	}
	// An unknown id is a new group the robot was just added to.
	c.chat, c.group = target, true
	return ""
}

func (c *chatSession) step(ctx context.Context, line string) {
	if strings.HasPrefix(line, ":") {
		c.control(ctx, line)
		return
	}
	t, err := c.sim.SayIn(ctx, c.chatFor(), c.user, line, c.group)
	c.show(t, err)
}

func (c *chatSession) chatFor() string {
	if c.group {
		return c.chat
	}
	return sim.PrivateChat(c.user)
}

func (c *chatSession) show(t sim.Turn, err error) {
	if err != nil {
		fmt.Fprintln(c.out, "（发送失败：", err, "）")
		return
	}
	if t.Text == "" && len(t.Buttons) == 0 {
		fmt.Fprintln(c.out, "（机器人稍后回复）")
	} else {
		fmt.Fprintln(c.out, indent("机器人：", t.Text))
	}
	c.buttons = c.buttons[:0]
	for i, b := range t.Buttons {
		c.buttons = append(c.buttons, b.Value)
		fmt.Fprintf(c.out, "  [%d] %s\n", i+1, b.Text)
	}
	c.showPushes(context.Background())
}

func indent(prefix, text string) string {
	pad := strings.Repeat(" ", 4)
	return prefix + strings.ReplaceAll(text, "\n", "\n"+pad)
}

func (c *chatSession) showPushes(ctx context.Context) {
	pushes, err := c.sim.NewPushes(ctx)
	if err != nil {
		fmt.Fprintln(c.out, "（推送失败：", err, "）")
		return
	}
	for _, p := range pushes {
		fmt.Fprintln(c.out, indent("推送 ", sim.Describe(p)))
	}
}

func (c *chatSession) control(ctx context.Context, line string) {
	cmd, arg, _ := strings.Cut(line, " ")
	arg = strings.TrimSpace(arg)
	switch cmd {
	case ":help", ":h":
		c.help()
	case ":as":
		if arg == "" {
			fmt.Fprintln(c.out, "用法：:as <用户>")
			return
		}
		c.user = arg
		fmt.Fprintf(c.out, "现在你是 %s，在 %s\n", c.user, c.where())
	case ":in":
		if msg := c.moveTo(arg); msg != "" {
			fmt.Fprintln(c.out, msg)
			return
		}
		fmt.Fprintf(c.out, "现在在 %s\n", c.where())
	case ":time":
		c.jump(ctx, arg)
	case ":click":
		c.click(ctx, arg)
	case ":photo":
		c.photo(ctx, arg)
	case ":pushes":
		c.showPushes(ctx)
	default:
		fmt.Fprintf(c.out, "不认识的模拟器命令 %s（:help 查看全部）\n", cmd)
	}
}

func (c *chatSession) jump(ctx context.Context, arg string) {
	now := c.clock.Now()
	var to time.Time
	if strings.HasPrefix(arg, "+") {
		d, err := config.ParseDuration(arg[1:])
		if err != nil || d <= 0 {
			fmt.Fprintln(c.out, "用法：:time +30m、:time +2h、:time +2d 或 :time 2023-11-09 08:00")
			return
		}
		to = now.Add(d)
	} else {
		t, _, err := campaign.ParseTime(arg, c.cfg.Location, campaign.StartOfDay)
		if err != nil {
			fmt.Fprintln(c.out, "用法：:time +2d 或 :time 2023-11-09 08:00")
			return
		}
		to = t
	}
	if err := c.sim.Advance(ctx, to); err != nil {
		fmt.Fprintln(c.out, "（时钟推进失败：", err, "）")
	}
	fmt.Fprintf(c.out, "活动时钟：%s\n", c.clock.Now().In(c.cfg.Location).Format("2006-01-02 15:04"))
	c.showPushes(ctx)
}

func (c *chatSession) click(ctx context.Context, arg string) {
	value := arg
	var n int
	if _, err := fmt.Sscanf(arg, "%d", &n); err == nil && n >= 1 && n <= len(c.buttons) {
		value = c.buttons[n-1]
	}
	if value == "" {
		fmt.Fprintln(c.out, "用法：:click <按钮序号或文字>")
		return
	}
	t, err := c.sim.ClickIn(ctx, c.chatFor(), c.user, value, c.group)
	c.show(t, err)
}

func (c *chatSession) photo(ctx context.Context, file string) {
	if _, err := os.Stat(file); err != nil {
		fmt.Fprintln(c.out, "读不到图片文件：", err)
		return
	}
	if c.group {
		fmt.Fprintln(c.out, "（群机器人在群里收不到图片：切换到私聊发送，:in 私聊）")
		return
	}
	if c.photos == nil {
		c.photos = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			b, err := os.ReadFile(filepath.Clean(strings.TrimPrefix(r.URL.Path, "/f")))
			if err != nil {
				http.NotFound(w, r)
				return
			}
			w.Write(b)
		}))
	}
	abs, _ := filepath.Abs(file)
	t, err := c.sim.ImageIn(ctx, sim.PrivateChat(c.user), c.user, c.photos.URL+"/f"+abs)
	c.show(t, err)
}
