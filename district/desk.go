package district

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"firebot/bot"
	"firebot/campaign"
	"firebot/clock"
	"firebot/handlers/textparse"
	"firebot/outbox"
	"firebot/store"
	"firebot/zhfmt"
)

// Desk answers the district staff's messages, in the district's own store
// slot: 统计 across streets, 催报 to a street's office, and 广播 to the
// streets' office chats after a preview. What it sends to a street's
// office goes through the district's outbox, addressed to that street's
// office chats and staff, so nothing is written into a street's slot; a
// 广播 to every unit of streets is sent in each street's own slot by
// FanOut (units.go).
type Desk struct {
	Name    string          // the district's name, e.g. 渝中区
	Staff   map[string]bool // district_users
	Chats   map[string]bool // district_chats
	Streets []Street
	// Exports is the directory of the district's export files (ExportDir
	// of the media directory); Campaign is the campaign clock, the time
	// an export is as of.
	Exports  string
	Campaign clock.Clock
	// Keep is how long export files are kept (media.exports_keep); an
	// export removes those older (0 keeps them all).
	Keep time.Duration
	// Store is the district's own slot, for what runs outside a
	// message's unit of work (FanOut, and Prepare's reading of unit
	// broadcasts); Units reaches the streets' units (broadcast … 全部单位).
	Store store.Store
	Units Units
}

// Command words.
const (
	CmdStats     = "统计"
	CmdChase     = "催报"
	CmdBroadcast = "广播"
	// CmdEnter is how district staff enter a street ("进入 街道名", or the
	// street's name alone); the route puts them there (service).
	CmdEnter = "进入"
)

// Seed teaches the district slot the push keys of the chats it sends to:
// every street's office chats and the district's own.
func (d *Desk) Seed(tx store.Tx, own []campaign.Chat) error {
	chats := append([]campaign.Chat(nil), own...)
	for _, s := range d.Streets {
		chats = append(chats, s.OfficeChats...)
	}
	for _, c := range chats {
		if err := store.LearnWebhookKey(tx, c.ID, c.WebhookKey.Reveal()); err != nil {
			return err
		}
	}
	return nil
}

// Handle answers m (a message of no street) inside the district slot's
// unit of work tx.
func (d *Desk) Handle(ctx context.Context, tx store.Tx, m *bot.Message) (bot.Reply, error) {
	text := strings.TrimSpace(m.Text)
	if m.Kind != bot.KindText && m.Kind != bot.KindClick || text == "" {
		return bot.NoReply, nil
	}
	if !d.Staff[m.SenderID] {
		if d.Chats[m.ChatID] {
			return reply("只有区级工作人员可以在这里使用命令。"), nil
		}
		if m.ChatType == bot.ChatGroup {
			return reply("这个群还没有归属任何街道。请单位的安全员在群里发送“绑定 单位名称”（单位名称与街道名单一致），绑定后即可报送。"), nil
		}
		return reply("你还不在任何街道的名单里。请联系所在街道的安全应急岗，把你登记为单位的安全员后再试。"), nil
	}
	word, args := textparse.CutWord(text)
	p, _ := m.Prepared.(*prepared)
	if p == nil {
		// Not prepared before the unit of work (a caller without a
		// route): do the reading now.
		var err error
		if p, err = d.prepare(ctx, m); err != nil {
			return bot.NoReply, err
		}
	}
	switch word {
	case CmdStats, "总体进度", "汇总":
		return reply(p.overview.Text()), nil
	case CmdChase:
		return d.chase(tx, m, args, p.overview)
	case CmdBroadcast:
		return d.preview(tx, m, args, p)
	case CmdReadBack:
		id, chase := parseReadBack(args)
		switch {
		case chase && id == "":
			return reply("请写明要提醒哪条区级广播，例如“回执 QB-0001 催”。发送“回执”查看最近的区级广播。"), nil
		case p.readBack == nil:
			return bot.NoReply, errors.New("district: 回执 not prepared")
		case chase && p.readBack.ub != nil:
			return reply(remindText(p.readBack.ub.ID, p.reminded)), nil
		}
		return reply(p.readBack.text()), nil
	case CmdExport:
		return d.export(tx, m, p.file)
	case CmdEnter:
		if args == "" {
			return reply("请写明进入哪个街道，例如“进入 解放碑街道”。\n\n" + d.help()), nil
		}
		s, ok := d.street(args)
		if !ok {
			return reply("没有找到街道：" + args + "。\n\n" + d.help()), nil
		}
		return reply("已进入" + s.label() + "：接下来你发的消息在该街道处理，和街道工作人员一样可用 统计、催报、广播、回执、导出、图表、进度（只读，不能改街道的记录）。发送“返回区级”回到区级，30分钟不发消息也会自动回到区级。"), nil
	case "返回区级", "区级":
		return reply("已回到区级。\n\n" + d.help()), nil
	case "确认", "是", "发送":
		return d.confirm(tx, m)
	case "取消", "否", "不发":
		return d.cancel(tx, m)
	}
	return reply(d.help()), nil
}

func reply(s string) bot.Reply { return bot.Reply{Text: s} }

// prepared is what a district command reads from the streets (and the
// export file it writes), done by Prepare before the unit of work.
type prepared struct {
	overview *Overview      // 统计, and 催报's streets
	file     *exportFile    // 导出
	reach    []streetReach  // 广播 … 全部单位: each street's reach
	readBack *readBack      // 回执
	reminded []streetRemind // 回执 QB-… 催
}

// Prepare does, before m's unit of work in the district's slot begins,
// what a district staff's command needs from the streets: reading their
// stores (统计, 催报) and writing the export file (导出). The unit of
// work then holds none of it — on the embedded store every street shares
// one file, whose single writer would wait for all of it — and a unit of
// work run again does not read again. The result goes in m.Prepared
// (EndpointOptions.Route); nil when the message needs nothing.
func (d *Desk) Prepare(ctx context.Context, m *bot.Message) (any, error) {
	if !d.Staff[m.SenderID] || (m.Kind != bot.KindText && m.Kind != bot.KindClick) {
		return nil, nil
	}
	p, err := d.prepare(ctx, m)
	if err != nil || (p.overview == nil && p.file == nil && p.reach == nil && p.readBack == nil) {
		return nil, err
	}
	return p, nil
}

func (d *Desk) prepare(ctx context.Context, m *bot.Message) (*prepared, error) {
	word, args := textparse.CutWord(m.Text)
	p := &prepared{}
	switch word {
	case CmdStats, "总体进度", "汇总":
		o, err := Stats(ctx, d.Streets)
		if err != nil {
			return nil, err
		}
		p.overview = &o
	case CmdChase:
		found, unknown := d.streets(args)
		if len(unknown) > 0 || len(found) == 0 {
			break
		}
		o, err := Stats(ctx, found)
		if err != nil {
			return nil, err
		}
		p.overview = &o
	case CmdBroadcast:
		a := d.parseBroadcast(args)
		if !a.units || len(a.unknown) > 0 || a.scope != "" || a.content == "" {
			break
		}
		r, err := d.reachStreets(ctx, a.targets)
		if err != nil {
			return nil, err
		}
		p.reach = r
	case CmdReadBack:
		id, chase := parseReadBack(args)
		if chase && id == "" {
			break // which broadcast to chase is asked, never guessed
		}
		r, err := d.readBacks(ctx, id)
		if err != nil {
			return nil, err
		}
		p.readBack = r
		if chase && r.ub != nil && d.Units != nil {
			if p.reminded, err = d.remindStreets(ctx, r, m); err != nil {
				return nil, err
			}
		}
	case CmdExport:
		f, err := d.writeExport(ctx, m)
		if err != nil {
			return nil, err
		}
		p.file = f
	}
	return p, nil
}

func (d *Desk) help() string {
	names := make([]string, 0, len(d.Streets))
	for _, s := range d.Streets {
		names = append(names, s.label())
	}
	return "区级工作人员可用的命令：\n" +
		"· 统计 —— 全区各街道的完成情况（按街道、单位类型和类别）\n" +
		"· 催报 街道名 —— 提醒该街道的工作人员督促未完成的单位\n" +
		"· 广播 [街道名、街道名] 内容 —— 发给各街道（或所列街道）的工作群，先预览，回复“确认”才发送\n" +
		"· 广播 [街道名、街道名] 全部单位 [@所有人] 内容 —— 发给各街道（或所列街道）的每个单位的群，预览按街道列出群数和单位数，回复“确认”才发送；单位在群里回复“收到”即回执\n" +
		"· 回执 [QB-编号] —— 发给单位的区级广播在各街道的回执情况（哪些单位已回执、哪些还没有）；“回执 QB-编号 催”逐个街道再提醒还没回执的群\n" +
		"· 导出 —— 各街道的活动汇总和志愿者推荐表（一个工作簿），发到区级工作群\n" +
		"· 街道名 [命令] —— 进入该街道，像街道工作人员一样查看和发通知，例如“解放碑街道 广播 学校 请周五前报送”发到解放碑街道的学校群（只读；发送“返回区级”回来）\n\n" +
		"本区的街道：" + zhfmt.List(names)
}

// streets resolves names (separated by 、，, or spaces) to streets. Any
// name that matches no street is returned in unknown: the caller asks
// instead of sending to fewer or more streets than meant.
func (d *Desk) streets(names string) (found []Street, unknown []string) {
	for _, n := range strings.FieldsFunc(names, func(r rune) bool { return r == '、' || r == '，' || r == ',' || unicode.IsSpace(r) }) {
		s, ok := d.street(n)
		if !ok {
			unknown = append(unknown, n)
			continue
		}
		found = append(found, s)
	}
	return found, unknown
}

// street finds a street by id, name, or name without 街道.
func (d *Desk) street(n string) (Street, bool) {
	n = strings.TrimSpace(n)
	for _, s := range d.Streets {
		if n == s.ID || n == s.Name || (n != "" && strings.TrimSuffix(s.Name, "街道") == strings.TrimSuffix(n, "街道")) {
			return s, true
		}
	}
	return Street{}, false
}

// chase sends one street's office its standing and asks it to chase.
func (d *Desk) chase(tx store.Tx, m *bot.Message, args string, o *Overview) (bot.Reply, error) {
	if args == "" {
		return reply("请写明催哪个街道，例如“催报 解放碑街道”。\n\n" + d.help()), nil
	}
	found, unknown := d.streets(args)
	if len(unknown) > 0 || o == nil {
		return reply("没有找到街道：" + zhfmt.List(unknown) + "。没有发送任何提醒。\n\n" + d.help()), nil
	}
	var sent []string
	for _, s := range found {
		line := "（数据暂时读不到）"
		for _, t := range o.Streets {
			if t.Label == s.label() {
				line = t.Line()
			}
		}
		text := fmt.Sprintf("【%s催报】%s\n请督促还未完成的单位在截止前报送。", d.Name, line)
		if err := d.send(tx, outbox.Key("district-chase", m.DedupeKey, s.ID), s, text); err != nil {
			return bot.NoReply, err
		}
		sent = append(sent, s.label())
	}
	return reply("已提醒" + zhfmt.List(sent) + "的工作人员（街道工作群和安全应急岗）。"), nil
}

// send enqueues text to a street's office chats and office staff.
func (d *Desk) send(tx store.Tx, key string, s Street, text string) error {
	for _, c := range s.OfficeChats {
		if err := outbox.GroupText(tx, outbox.Key(key, c.ID), "district", c.ID, text, nil); err != nil {
			return err
		}
	}
	if len(s.OfficeUsers) > 0 {
		return outbox.UserText(tx, outbox.Key(key, "users"), "district", s.OfficeUsers, text)
	}
	return nil
}
