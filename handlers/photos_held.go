package handlers

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"firebot/bot"
	"firebot/store"
)

// Photos sent before reporting. A person often sends the pictures first and
// then says what they show. Images that arrive outside a dialog when the
// sender has no report to attach them to (Hooks.Images) are filed as pending photos and
// held for holdPhotos in one more dialog slot, (chat, user+heldSlot); the
// sender's next report (上报, or a report told in free text) starts with
// them, and its checklist lists them.

const (
	holdPhotos = 30 * time.Minute
	heldSlot   = "#photos"
)

type heldPhotos struct {
	Photos []string  `json:"photos"`
	At     time.Time `json:"at"` // campaign clock, when last added
}

// runImages answers images sent alone outside a dialog: the hook of the
// feature that takes them (handlers/records attaches them to the sender's
// latest report) or, without one, they are held.
func runImages(c *Context) (bot.Reply, error) {
	c.imagesUsed = true
	if images := c.router.hooks.Images; images != nil {
		return images(c)
	}
	return c.HoldImages()
}

// HoldImages files the message's images as held photos, for the sender's
// next report, and says so.
func (c *Context) HoldImages() (bot.Reply, error) {
	names, failed, err := c.SavePending()
	if err != nil {
		return bot.NoReply, err
	}
	if len(names) == 0 {
		if failed > 0 {
			return c.Reply("图片没有接收成功，请重新发送。"), nil
		}
		return bot.NoReply, nil
	}
	h, d, err := c.loadHeld()
	if err != nil {
		return bot.NoReply, err
	}
	h.Photos = append(h.Photos, names...)
	h.At = c.Now
	data, err := json.Marshal(h)
	if err != nil {
		return bot.NoReply, err
	}
	nd := &store.Dialog{ChatID: c.Msg.ChatID, UserID: c.Msg.SenderID + heldSlot, ExpiresAt: c.Now.Add(holdPhotos), Data: data}
	if d != nil {
		nd.Version = d.Version
	}
	if err := store.PutDialog(c.Tx, nd); err != nil {
		return bot.NoReply, fmt.Errorf("handlers: hold photos: %w", err)
	}
	return c.Reply(fmt.Sprintf("收到图片，共%d张。你还没有上报记录，先替你保留%d分钟：这段时间内发送“上报”（或直接说开展了什么活动），核对清单上会带上这些照片。",
		len(h.Photos), int(holdPhotos/time.Minute))), nil
}

// loadHeld reads the sender's held photos (empty when none or expired).
func (c *Context) loadHeld() (heldPhotos, *store.Dialog, error) {
	var h heldPhotos
	d, err := store.GetDialog(c.Tx, c.Msg.ChatID, c.Msg.SenderID+heldSlot)
	if errors.Is(err, store.ErrNotFound) {
		return h, nil, nil
	}
	if err != nil {
		return h, nil, err
	}
	if json.Unmarshal(d.Data, &h) != nil || !c.Now.Before(d.ExpiresAt) {
		h = heldPhotos{}
	}
	return h, d, nil
}

// takeHeld returns the held photos and forgets them.
func (c *Context) takeHeld() ([]string, error) {
	h, d, err := c.loadHeld()
	if err != nil || d == nil {
		return nil, err
	}
	if err := store.DeleteDialog(c.Tx, c.Msg.ChatID, c.Msg.SenderID+heldSlot); err != nil {
		return nil, err
	}
	return h.Photos, nil
}
