package bot

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"firebot/store"
)

// writeReply seals a passive reply with the receive id its request
// carried (WeCom checks it against its own convention, which for the
// robots is not documented consistently).
func (e *Endpoint) writeReply(w http.ResponseWriter, plaintext []byte, receiveID string, p Params, f Format) {
	if len(plaintext) == 0 {
		w.WriteHeader(http.StatusOK)
		return
	}
	sealed, err := e.opts.Codec.SealTo(plaintext, receiveID, p.Timestamp, p.Nonce, f)
	if err != nil {
		e.opts.Logger.Error("seal reply", "channel", e.opts.Channel, "err", err)
		w.WriteHeader(http.StatusOK)
		return
	}
	if f == FormatJSON {
		w.Header().Set("Content-Type", "application/json")
	} else {
		w.Header().Set("Content-Type", "application/xml")
	}
	_, _ = w.Write(sealed)
}

// answer runs the handler and splits its reply into the passive part and
// the part to push, deciding (once) whether the budget still allows a
// passive reply.
func (e *Endpoint) answer(ctx context.Context, tx store.Tx, c *call, m *Message) (outcome, error) {
	if m.Kind == KindStream {
		// A refresh of a stream we already finished: repeat its content.
		b, err := c.mem.Recall(tx, store.MemoStream, m.StreamID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return outcome{}, err
		}
		return outcome{Plaintext: b}, nil
	}
	if m.WebhookKey != "" {
		// Keep the chat's push key (never the host of WebhookUrl: pushes
		// always go to the configured API base).
		if err := store.LearnWebhookKey(tx, m.ChatID, m.WebhookKey); err != nil {
			return outcome{}, err
		}
	}
	reply, err := e.opts.Handler.Handle(ctx, tx, m)
	if err != nil {
		return outcome{}, err
	}
	passive, push := SplitReply(m, reply)
	c.mu.Lock()
	if c.missed {
		passive, push = NoReply, reply
	} else {
		c.chosen = true
	}
	c.mu.Unlock()

	var res outcome
	if !push.IsEmpty() {
		if e.opts.Pusher == nil {
			return outcome{}, errors.New("bot: no pusher for a reply that cannot be passive")
		}
		if err := e.opts.Pusher.PushReply(tx, m, push); err != nil {
			return outcome{}, err
		}
		res.Pushed = true
	}
	if passive.IsEmpty() {
		return res, nil
	}
	pt, err := e.opts.Renderer.Render(m, passive)
	if err != nil {
		return outcome{}, err
	}
	res.Plaintext = pt
	if id := streamID(m, pt); id != "" {
		if err := c.mem.Remember(tx, store.MemoStream, id, pt, e.opts.DedupeTTL); err != nil {
			return outcome{}, err
		}
	}
	return res, nil
}

// streamID extracts the id of an intelligent-robot stream reply, so that a
// refresh for it can be answered with the same content.
func streamID(m *Message, plaintext []byte) string {
	if m.Channel != ChannelAibot {
		return ""
	}
	var v struct {
		MsgType string `json:"msgtype"`
		Stream  struct {
			ID string `json:"id"`
		} `json:"stream"`
	}
	if json.Unmarshal(plaintext, &v) != nil || v.MsgType != "stream" {
		return ""
	}
	return v.Stream.ID
}
