package records

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"firebot/bot"
	"firebot/handlers"
	"firebot/store"
)

// Command names.
const (
	CommandRecords  = "我的记录"
	CommandEdit     = "修改"
	CommandWithdraw = "撤回"
	CommandPhoto    = "照片"
)

// Audit actions written by the commands, allowed or refused.
const (
	auditEdit     = "edit"
	auditWithdraw = "withdraw"
	auditPhoto    = "photo"
)

// Commands are 我的记录, 修改, 撤回 and 照片, in the order 帮助 lists them.
func Commands() []handlers.Command {
	return []handlers.Command{
		{Name: CommandRecords, Words: []string{"记录", "我的上报", "查记录", "records"}, Help: "查看提交过的记录和编号", Aside: true, Run: runRecords},
		{Name: CommandEdit, Usage: "修改 编号", Words: []string{"更正", "编辑", "edit"}, Args: true, Help: "修改提交过的记录，例如“修改 HD-0003”", Writes: true, Run: runEdit},
		{Name: CommandWithdraw, Usage: "撤回 编号", Words: []string{"撤销", "删除", "withdraw"}, Args: true, Help: "撤回提交过的记录", Writes: true, Run: runWithdraw},
		{Name: CommandPhoto, Usage: "照片 编号", Words: []string{"图片", "补照片", "传照片", "上传照片", "photo"}, Args: true, Help: "给上报记录补充照片（私聊我发送）", Writes: true, Run: runPhoto},
	}
}

// Flows are the dialogs of 撤回 (a yes-or-no) and 照片 (images until 完成).
func Flows() []*handlers.Flow { return []*handlers.Flow{newWithdrawFlow(), newPhotoFlow()} }

// Hooks take the images sent outside any dialog: they attach to the
// sender's latest report.
func Hooks() handlers.Hooks { return handlers.Hooks{Images: runImages, StrayImages: strayImages} }

// 我的记录: one's own records, and for officers their units' records.

const recordsShown = 20

func runRecords(c *handlers.Context) (bot.Reply, error) {
	camp := c.Campaign()
	own, err := store.RecordsOfReporter(c.Tx, camp.ID, c.Msg.SenderID)
	if err != nil {
		return bot.NoReply, err
	}
	names := unitNameCache{c: c}
	var b strings.Builder
	if len(own) == 0 {
		b.WriteString("你还没有提交过记录。")
	} else {
		b.WriteString("你提交的记录：")
		writeRecords(&b, c, own, &names)
	}
	seen := map[string]bool{}
	for _, r := range own {
		seen[r.ID] = true
	}
	units, err := c.OfficerUnits()
	if err != nil {
		return bot.NoReply, err
	}
	for _, u := range units {
		recs, err := store.RecordsOfUnit(c.Tx, camp.ID, u.ID)
		if err != nil {
			return bot.NoReply, err
		}
		var others []*store.Record
		for _, r := range recs {
			if !seen[r.ID] {
				others = append(others, r)
			}
		}
		if len(others) > 0 {
			b.WriteString("\n\n" + u.Name + "的其他记录（你是安全员，可以修改或撤回）：")
			writeRecords(&b, c, others, &names)
		}
	}
	b.WriteString("\n\n修改请发送“修改 编号”，撤回请发送“撤回 编号”")
	if c.ImagesArrive() {
		b.WriteString("，补照片请发送“照片 编号”后发图片")
	}
	b.WriteString("。")
	return c.Reply(b.String()), nil
}

func writeRecords(b *strings.Builder, c *handlers.Context, recs []*store.Record, names *unitNameCache) {
	recs = append([]*store.Record(nil), recs...)
	sort.SliceStable(recs, func(i, j int) bool { return recs[i].CreatedAt.After(recs[j].CreatedAt) })
	for i, r := range recs {
		if i == recordsShown {
			fmt.Fprintf(b, "\n……另有%d条未列出", len(recs)-recordsShown)
			break
		}
		b.WriteString("\n· " + recordLine(c, r, names.name(r.UnitID)))
	}
}

// unitNameCache reads each unit's name once per message.
type unitNameCache struct {
	c     *handlers.Context
	names map[string]string
}

func (n *unitNameCache) name(id string) string {
	if n.names == nil {
		n.names = map[string]string{}
	}
	if v, ok := n.names[id]; ok {
		return v
	}
	v := id
	if u, err := store.GetUnit(n.c.Tx, id); err == nil {
		v = u.Name
	}
	n.names[id] = v
	return v
}

// recordLine describes a record in one line for its reporter or unit.
func recordLine(c *handlers.Context, r *store.Record, unitName string) string {
	return handlers.RecordLine(c.Campaign(), r, unitName, false)
}

// loadRecord reads the record a user named, checking that they may manage
// it: its reporter, an officer of its unit, or office staff. The refusal
// (a reply) is returned instead of the record when they may not.
func loadRecord(c *handlers.Context, action, arg string) (*store.Record, string, error) {
	f := strings.Fields(arg)
	if len(f) == 0 {
		return nil, fmt.Sprintf("请写明记录编号，例如“%s HD-0003”。发送“我的记录”可以查看编号。", action), nil
	}
	id, err := store.NormalizeID(f[0])
	if err != nil {
		return nil, fmt.Sprintf("“%s”不是记录编号。编号形如 HD-0003（上报）或 TJ-0001（推荐），发送“我的记录”可以查看。", handlers.Clip(f[0], 20)), nil
	}
	r, err := store.GetRecord(c.Tx, id)
	if errors.Is(err, store.ErrNotFound) || err == nil && r.CampaignID != c.Campaign().ID {
		return nil, "没有找到记录 " + id + "。发送“我的记录”可以查看你的记录编号。", nil
	}
	if err != nil {
		return nil, "", err
	}
	if r.Kind != store.KindConfirmation && r.Kind != store.KindNomination {
		return nil, id + " 不是上报或推荐记录，不能在这里" + action + "。", nil
	}
	allowed, err := c.MayManage(r)
	if err != nil {
		return nil, "", err
	}
	if !allowed {
		reason := id + " 不是你提交的，你也不是该单位的安全员，所以不能" + action + "。如有需要，请联系提交人或单位安全员。"
		if err := c.AuditRefused(auditAction(action), id, "非提交人、非本单位安全员"); err != nil {
			return nil, "", err
		}
		return nil, reason, nil
	}
	return r, "", nil
}

func auditAction(action string) string {
	switch action {
	case CommandEdit:
		return auditEdit
	case CommandWithdraw:
		return auditWithdraw
	case "补充照片":
		return auditPhoto
	}
	return action
}
