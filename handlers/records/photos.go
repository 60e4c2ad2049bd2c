package records

import (
	"fmt"

	"firebot/bot"
	"firebot/handlers"
	"firebot/ledger"
	"firebot/store"
	"firebot/zhfmt"
)

// Photos for records: images sent without a dialog attach to the sender's
// most recent confirmation (Hooks); "照片 HD-0003" names the record
// (attaching the images of the same message, or opening a short dialog
// for the next ones). A group robot never receives images, so in such
// groups the bot says to send them privately. Images that find no record
// are held for the sender's next report by the core
// (handlers.Context.HoldImages).

const (
	flowPhoto  = "photo"
	stepPhotos = "photos"
)

func newPhotoFlow() *handlers.Flow {
	f := &handlers.Flow{ID: flowPhoto, Name: "补充照片", Submit: submitPhotos, Images: photoFlowImages}
	st := &handlers.Step{
		ID:          stepPhotos,
		Controls:    true,
		TakesPhotos: true,
		Help:        "直接发送图片，可以多张，发完回复“完成”。",
		Ask: func(e *handlers.Env, s *handlers.State) handlers.Prompt {
			return handlers.Prompt{
				Text:    "请发送 " + s.Record + " 的照片，可以多张，发完回复“完成”。",
				Buttons: []bot.Button{{Text: handlers.CtlDone, Value: handlers.CtlDone}},
			}
		},
		Answer: func(e *handlers.Env, s *handlers.State, in handlers.Input) handlers.Reaction {
			switch handlers.Control(in.Text) {
			case handlers.CtlDone, handlers.CtlConfirm:
				return handlers.Answered("")
			}
			return handlers.Bad("请直接发送图片，发完回复“完成”。")
		},
	}
	f.Single(st)
	return f
}

func submitPhotos(c *handlers.Context, e *handlers.Env, s handlers.State) (bot.Reply, error) {
	r, err := store.GetRecord(c.Tx, s.Record)
	if err != nil {
		return bot.NoReply, err
	}
	pay, err := ledger.DecodeConfirmation(r)
	if err != nil {
		return bot.NoReply, err
	}
	return c.Reply(fmt.Sprintf("好的，%s 现在共有%d张照片。", r.ID, len(pay.Photos))), nil
}

// photoFlowImages attaches the images of a message to the record of the
// photo dialog.
func photoFlowImages(c *handlers.Context, s handlers.State) (bot.Reply, error) {
	r, err := store.GetRecord(c.Tx, s.Record)
	if err != nil {
		return bot.NoReply, err
	}
	msg, err := attachImages(c, r)
	if err != nil {
		return bot.NoReply, err
	}
	return c.Ask(msg+"还有请继续发送，发完回复“完成”。", bot.Button{Text: handlers.CtlDone, Value: handlers.CtlDone}), nil
}

// runPhoto is the 照片 command.
func runPhoto(c *handlers.Context) (bot.Reply, error) {
	if !c.ImagesArrive() {
		return c.Reply("群里我收不到图片。请私聊我：先发送“照片 编号”（例如“照片 HD-0003”），再发送图片。"), nil
	}
	if c.Args == "" {
		r, err := latestConfirmation(c)
		if err != nil {
			return bot.NoReply, err
		}
		if r == nil && len(c.Msg.Images) > 0 {
			c.UseImages()
			return c.HoldImages()
		}
		if r == nil {
			return c.Reply("你还没有上报记录，照片无处可附。请先发送“上报”。"), nil
		}
		if len(c.Msg.Images) > 0 {
			c.UseImages()
			msg, err := attachImages(c, r)
			return c.Reply(msg), err
		}
		return c.Reply("直接发送图片即可，会附到你最近的记录 " + r.ID + "。要附到别的记录，请发送“照片 编号”，例如“照片 HD-0003”。"), nil
	}
	r, refusal, err := loadRecord(c, "补充照片", c.Args)
	if err != nil || refusal != "" {
		return c.Reply(refusal), err
	}
	if r.Kind != store.KindConfirmation {
		return c.Reply("只有上报记录（HD-…）可以附照片。"), nil
	}
	if r.Status == store.StatusWithdrawn {
		return c.Reply(r.ID + " 已经撤回，不能再附照片。"), nil
	}
	if len(c.Msg.Images) > 0 {
		c.UseImages()
		msg, err := attachImages(c, r)
		return c.Reply(msg), err
	}
	return c.StartFlow(flowPhoto, handlers.State{Record: r.ID}, "")
}

// runImages handles images sent outside a dialog (Hooks.Images): they
// attach to the sender's most recent confirmation, or are held when there
// is none.
func runImages(c *handlers.Context) (bot.Reply, error) {
	r, err := latestConfirmation(c)
	if err != nil {
		return bot.NoReply, err
	}
	if r == nil {
		return c.HoldImages()
	}
	msg, err := attachImages(c, r)
	if err != nil {
		return bot.NoReply, err
	}
	return c.Reply(msg + "要附到别的记录，请先发送“照片 编号”再发图片。"), nil
}

// strayImages files the images that came with a command that did not use
// them (Hooks.StrayImages) on the sender's latest confirmation, if any.
func strayImages(c *handlers.Context) (string, error) {
	r, err := latestConfirmation(c)
	if err != nil || r == nil {
		return "", err
	}
	return attachImages(c, r)
}

// attachImages files the message's images as photos of r and lists them
// in the record.
func attachImages(c *handlers.Context, r *store.Record) (string, error) {
	pay, err := ledger.DecodeConfirmation(r)
	if err != nil {
		return "", err
	}
	names, failed := c.AttachImages(r.ID, len(pay.Photos)+1)
	if len(names) == 0 {
		return "图片没有接收成功，请重新发送。", nil
	}
	pay.Photos = append(pay.Photos, names...)
	r.UpdatedAt = c.Now
	if err := ledger.Encode(r, pay); err != nil {
		return "", err
	}
	if err := store.PutRecord(c.Tx, r); err != nil {
		return "", err
	}
	if err := c.AuditAllowed(auditPhoto, r.ID, fmt.Sprintf("%d张", len(names))); err != nil {
		return "", err
	}
	msg := fmt.Sprintf("已把%d张照片附到 %s，这条记录现在共%d张照片。", len(names), recordBrief(c, r, pay), len(pay.Photos))
	if failed > 0 {
		msg += fmt.Sprintf("另有%d张没有接收成功，请重发。", failed)
	}
	return msg, nil
}

// latestConfirmation is the sender's most recent confirmation that is not
// withdrawn, or nil.
func latestConfirmation(c *handlers.Context) (*store.Record, error) {
	recs, err := store.RecordsOfReporter(c.Tx, c.Campaign().ID, c.Msg.SenderID)
	if err != nil {
		return nil, err
	}
	var best *store.Record
	for _, r := range recs {
		if r.Kind != store.KindConfirmation || r.Status == store.StatusWithdrawn {
			continue
		}
		if best == nil || r.CreatedAt.After(best.CreatedAt) || r.CreatedAt.Equal(best.CreatedAt) && r.ID > best.ID {
			best = r
		}
	}
	return best, nil
}

// recordBrief names a confirmation briefly: HD-0003（疏散演练，11月3日）.
func recordBrief(c *handlers.Context, r *store.Record, pay ledger.Confirmation) string {
	name := r.TaskID
	if t, ok := c.Campaign().Task(r.TaskID); ok {
		name = t.Name
	}
	return r.ID + "（" + name + "，" + zhfmt.StoredDate(pay.Date) + "）"
}
